// file_identity.cc — fstat/stat into FileIdentity.
#include "file_identity.h"

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

nlohmann::ordered_json to_json(const std::optional<FileIdentity>& identity)
{
    if (!identity) return nullptr;
    return {{"dev", identity->device()},
            {"inode", identity->ino},
            {"size", identity->size},
            {"links", identity->links}};
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

HeldFile::HeldFile(const std::string& path) : fd_(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}

HeldFile::~HeldFile()
{
    if (fd_ >= 0) close(fd_);
}

}  // namespace lab
