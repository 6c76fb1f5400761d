// file_identity.h — a file is (st_dev, st_ino) of something you hold open, never a path and
// never an inode number alone: ext4 hands a freed inode number straight back (loader-facts.md).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace lab {

struct FileIdentity {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    nlink_t links = 0;

    bool same_file_as(const FileIdentity& other) const { return dev == other.dev && ino == other.ino; }
    std::string device() const;  // "fd:01", as /proc/PID/maps spells it
};

std::optional<FileIdentity> identity_of_fd(int fd);
std::optional<FileIdentity> identity_of_path(const std::string& path);  // nullopt: path missing

// FNV-1a (64 bit) of a file's bytes, as 16 hex digits: enough to tell "the same inode, new
// contents". nullopt when the file cannot be read or is larger than `limit` bytes.
constexpr off_t digest_limit = 256LL << 20;
std::optional<std::string> digest_of_fd(int fd, off_t limit = digest_limit);
std::optional<std::string> digest_of_path(const std::string& path, off_t limit = digest_limit);

// Whether the file at `path` begins with every byte of the file at `reference` (a copy of it, or
// one padded past its end); nullopt when either cannot be read.
std::optional<bool> starts_with_file(const std::string& path, const std::string& reference);

// An open, read-only descriptor held across an update: while it is open, the file it names
// cannot be freed, so its inode number cannot be reused by the file that replaces it.
class HeldFile {
public:
    explicit HeldFile(const std::string& path);
    ~HeldFile();
    HeldFile(const HeldFile&) = delete;
    HeldFile& operator=(const HeldFile&) = delete;

    std::optional<FileIdentity> identity() const { return identity_of_fd(fd_); }
    std::optional<std::string> digest() const { return digest_of_fd(fd_); }
    // Up to `length` bytes from `offset`, as the file holds them now (fewer past its end).
    std::string read(off_t offset, std::size_t length) const;

private:
    int fd_ = -1;
};

}  // namespace lab
