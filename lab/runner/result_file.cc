// result_file.cc — mkstemp + write + fsync + rename.
#include "result_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <vector>

namespace lab {

void write_result_atomically(const std::string& path, const nlohmann::ordered_json& json)
{
    std::filesystem::path target(path);
    std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
    std::filesystem::create_directories(dir);
    std::string pattern = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    if (fd < 0) throw std::system_error(errno, std::generic_category(), pattern);
    std::string text = json.dump(2) + "\n";
    size_t done = 0;
    int error = 0;
    while (done < text.size() && !error) {
        ssize_t written = write(fd, text.data() + done, text.size() - done);
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) error = errno;
        else done += static_cast<size_t>(written);
    }
    if (!error) fchmod(fd, 0644);
    if (close(fd) != 0 && !error) error = errno;
    if (!error && rename(name.data(), path.c_str()) != 0) error = errno;
    if (error) {
        unlink(name.data());
        throw std::system_error(error, std::generic_category(), path);
    }
}

std::string default_result_path(const std::string& scenario_name) { return "results/" + scenario_name + ".json"; }

}  // namespace lab
