// files.cc — whole-file copies, padding and reads with plain read/write; sizes; free space.
#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <system_error>
#include <vector>

#include "base/errors.h"

namespace lab {

long long copy_file(const std::string& from, const std::string& to, int mode)
{
    int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) throw_errno(from);
    int out = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (out < 0) {
        int saved = errno;
        close(in);
        errno = saved;
        throw_errno(to);
    }
    long long total = 0;
    char buffer[1 << 16];
    for (;;) {
        ssize_t got = read(in, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) { close(in); close(out); throw_errno(from); }
        if (got == 0) break;
        for (ssize_t done = 0; done < got;) {
            ssize_t put = write(out, buffer + done, static_cast<size_t>(got - done));
            if (put < 0 && errno == EINTR) continue;
            if (put < 0) { close(in); close(out); throw_errno(to); }
            done += put;
        }
        total += got;
    }
    close(in);
    if (close(out) != 0) throw_errno(to);
    return total;
}

long long pad_file(const std::string& path, long long size, Padding padding)
{
    static const std::vector<char> pattern = [] {
        std::vector<char> bytes(1 << 20);
        std::uint64_t state = 0x9e3779b97f4a7c15ULL;  // xorshift64
        for (size_t i = 0; i < bytes.size(); i += sizeof state) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            std::memcpy(&bytes[i], &state, sizeof state);
        }
        return bytes;
    }();
    int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) throw_errno(path);
    struct stat st;
    if (fstat(fd, &st) != 0) { close(fd); throw_errno(path); }
    long long appended = 0, missing = size - st.st_size;
    if (missing > 0 && padding == Padding::allocate && fallocate(fd, 0, st.st_size, missing) == 0) {
        if (close(fd) != 0) throw_errno(path);
        return missing;
    }
    while (appended < missing) {
        size_t chunk = static_cast<size_t>(std::min<long long>(missing - appended, static_cast<long long>(pattern.size())));
        ssize_t put = write(fd, pattern.data(), chunk);
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) { close(fd); throw_errno(path); }
        appended += put;
    }
    if (close(fd) != 0) throw_errno(path);
    return appended;
}

std::optional<long long> parse_size(const std::string& text)
{
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || end == text.c_str() || value < 0) return std::nullopt;
    std::string unit = end;
    long long scale = unit.empty() ? 1 : unit == "K" || unit == "KiB" ? 1LL << 10
                                        : unit == "M" || unit == "MiB" ? 1LL << 20
                                        : unit == "G" || unit == "GiB" ? 1LL << 30 : 0;
    if (scale == 0 || value > (1LL << 42) / scale) return std::nullopt;
    return value * scale;
}

std::optional<long long> free_bytes(const std::string& path)
{
    struct statvfs vfs;
    if (statvfs(path.c_str(), &vfs) != 0) return std::nullopt;
    return static_cast<long long>(vfs.f_bavail) * static_cast<long long>(vfs.f_frsize);
}

std::string read_file(const std::string& path)
{
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno(path);
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) { close(fd); throw_errno(path); }
        if (got == 0) break;
        text.append(buffer, static_cast<size_t>(got));
    }
    close(fd);
    return text;
}

}  // namespace lab
