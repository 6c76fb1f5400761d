// sandbox.cc — mkdtemp, recursive removal, and whole-file copies with plain read/write.
#include "sandbox.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace lab {

namespace {

[[noreturn]] void fail(const std::string& what)
{
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

Sandbox::Sandbox()
{
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/libfoo-lab.XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data())) fail(pattern);
    dir_ = buffer.data();
}

Sandbox::~Sandbox()
{
    if (keep_) return;
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

long long copy_file(const std::string& from, const std::string& to, int mode)
{
    int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) fail(from);
    int out = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (out < 0) {
        int saved = errno;
        close(in);
        errno = saved;
        fail(to);
    }
    long long total = 0;
    char buffer[1 << 16];
    for (;;) {
        ssize_t got = read(in, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) { close(in); close(out); fail(from); }
        if (got == 0) break;
        for (ssize_t done = 0; done < got;) {
            ssize_t put = write(out, buffer + done, static_cast<size_t>(got - done));
            if (put < 0 && errno == EINTR) continue;
            if (put < 0) { close(in); close(out); fail(to); }
            done += put;
        }
        total += got;
    }
    close(in);
    if (close(out) != 0) fail(to);
    return total;
}

std::string read_file(const std::string& path)
{
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path);
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) { close(fd); fail(path); }
        if (got == 0) break;
        text.append(buffer, static_cast<size_t>(got));
    }
    close(fd);
    return text;
}

}  // namespace lab
