// files.h — whole files with plain read and write: copy, pad, read; sizes as people write them;
// free space. Every failure is a std::system_error that names the path.
#pragma once

#include <optional>
#include <string>

namespace lab {

// Copies `from` to `to` (created, or truncated if it exists: the same file then), returning
// the bytes copied; throws std::system_error naming the path on failure.
long long copy_file(const std::string& from, const std::string& to, int mode = 0755);
// How padding gets its disk blocks.
enum class Padding {
    allocate,  // fallocate(): real blocks, read as zeros, nothing through the page cache (falls
               // back to writing where the file system cannot allocate)
    write,     // a pseudo-random pattern, written: blocks with data a read must fetch from disk
               // (what a fault benchmark needs), and that no file system can store in less space
};
// Extends the file at `path` to `size` bytes (nothing when it already is that long), returning
// how many bytes were added; throws std::system_error naming the path on failure. An ELF shared
// object padded like this still loads: nothing maps what follows its image.
long long pad_file(const std::string& path, long long size, Padding padding = Padding::allocate);
// "64M", "1G", "4096" -> bytes; nullopt when the text is not a size.
std::optional<long long> parse_size(const std::string& text);
// Free space of the file system holding `path`, for an unprivileged user (statvfs f_bavail).
std::optional<long long> free_bytes(const std::string& path);

// Reads a whole file; throws std::system_error naming the path on failure.
std::string read_file(const std::string& path);

}  // namespace lab
