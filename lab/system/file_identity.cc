// file_identity.cc — fstat/stat into FileIdentity.
#include "system/file_identity.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>

namespace lab {

namespace {

FileIdentity from_stat(const struct stat& st)
{
    return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_nlink};
}

}  // namespace

std::string FileIdentity::device() const
{
    char text[32];
    std::snprintf(text, sizeof text, "%02x:%02x", major(dev), minor(dev));
    return text;
}

std::optional<FileIdentity> identity_of_fd(int fd)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) return std::nullopt;
    return from_stat(st);
}

std::optional<FileIdentity> identity_of_path(const std::string& path)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return std::nullopt;
    return from_stat(st);
}

std::optional<std::string> digest_of_fd(int fd, off_t limit)
{
    auto identity = identity_of_fd(fd);
    if (!identity || identity->size > limit) return std::nullopt;
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    char buffer[1 << 16];
    for (off_t at = 0;;) {
        ssize_t got = pread(fd, buffer, sizeof buffer, at);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return std::nullopt;
        if (got == 0) break;
        for (ssize_t i = 0; i < got; ++i) hash = (hash ^ static_cast<unsigned char>(buffer[i])) * 0x100000001b3ULL;
        at += got;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

std::optional<std::string> digest_of_path(const std::string& path, off_t limit)
{
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    auto digest = digest_of_fd(fd, limit);
    close(fd);
    return digest;
}

namespace {

// Up to `length` bytes of `fd` from `offset`.
std::string read_at(int fd, off_t offset, std::size_t length)
{
    std::string bytes(length, '\0');
    std::size_t done = 0;
    while (fd >= 0 && done < length) {
        ssize_t got = pread(fd, bytes.data() + done, length - done, offset + static_cast<off_t>(done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        done += static_cast<std::size_t>(got);
    }
    bytes.resize(done);
    return bytes;
}

}  // namespace

std::optional<bool> starts_with_file(const std::string& path, const std::string& reference)
{
    int file = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    int model = open(reference.c_str(), O_RDONLY | O_CLOEXEC);
    auto size = model >= 0 ? identity_of_fd(model) : std::nullopt;
    std::optional<bool> result;
    if (file >= 0 && size && size->size <= digest_limit) {
        auto length = static_cast<std::size_t>(size->size);
        result = read_at(file, 0, length) == read_at(model, 0, length);
    }
    if (file >= 0) close(file);
    if (model >= 0) close(model);
    return result;
}

std::string HeldFile::read(off_t offset, std::size_t length) const { return read_at(fd_, offset, length); }

HeldFile::HeldFile(const std::string& path) : fd_(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}

HeldFile::~HeldFile()
{
    if (fd_ >= 0) close(fd_);
}

}  // namespace lab
