// result_file.cc — an unnamed file (O_TMPFILE, else mkstemp), written, named, renamed over.
#include "result/result_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <vector>

#include "input/input_error.h"

namespace lab {

namespace {

std::filesystem::path directory_of(const std::string& path)
{
    std::filesystem::path target(path);
    return target.has_parent_path() ? target.parent_path() : ".";
}

bool write_all(int fd, const std::string& text)
{
    size_t done = 0;
    while (done < text.size()) {
        ssize_t written = write(fd, text.data() + done, text.size() - done);
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) return false;
        done += static_cast<size_t>(written);
    }
    return true;
}

// A hidden name beside the target, for the moment between naming the file and the rename.
std::string temporary_name(const std::string& path)
{
    std::filesystem::path target(path);
    return (directory_of(path) / ("." + target.filename().string() + "." + std::to_string(getpid()) + ".tmp")).string();
}

}  // namespace

void write_result_atomically(const std::string& path, const nlohmann::ordered_json& json)
{
    write_text_atomically(path, json.dump(2) + "\n");
}

void write_text_atomically(const std::string& path, const std::string& text)
{
    std::error_code made;
    std::filesystem::create_directories(directory_of(path), made);
    if (made) throw std::system_error(made, path);
    const std::string temporary = temporary_name(path);
    // O_TMPFILE: the bytes are written to a file with no name at all, so a runner killed while
    // writing leaves nothing behind; it gets a name only once it is whole.
    int fd = open(directory_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    bool unnamed = fd >= 0;
    if (!unnamed) fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), path);
    int error = write_all(fd, text) ? 0 : errno;
    if (!error && unnamed) {
        std::string self = "/proc/self/fd/" + std::to_string(fd);
        unlink(temporary.c_str());  // a leftover of a runner with this pid that was killed
        if (linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temporary.c_str(), AT_SYMLINK_FOLLOW) != 0) error = errno;
    }
    if (close(fd) != 0 && !error) error = errno;
    if (!error && rename(temporary.c_str(), path.c_str()) != 0) error = errno;
    if (error) {
        unlink(temporary.c_str());
        throw std::system_error(error, std::generic_category(), path);
    }
}

std::string default_result_path(const std::string& scenario_name) { return "results/" + scenario_name + ".json"; }

void check_result_destination(const std::string& path)
{
    auto refuse = [&](const std::string& why) { throw ScenarioError(path, "", "cannot write a result there: " + why); };
    if (path.empty()) throw ScenarioError("--out", "", "must name a file");
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) refuse("it is a directory");
    std::filesystem::create_directories(directory_of(path), error);
    if (error) refuse(error.message());
    int fd = open(directory_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {  // no O_TMPFILE here
        std::string probe = temporary_name(path);
        fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) unlink(probe.c_str());
    }
    if (fd < 0) refuse(std::error_code(errno, std::generic_category()).message());
    close(fd);
}

}  // namespace lab
