// browser.cc — chromium --headless, bounded by a timeout, its profile in a scratch directory.
#include "browser.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "system/child.h"

namespace lab::testing {

namespace {

std::vector<std::string> chromium_command(const std::string& scratch)
{
    // --no-sandbox: its sandbox refuses to start as root, as the tests run in CI. Its home, caches
    // and profile in the scratch directory: nothing left behind.
    const std::string home = scratch + "/chromium-home";
    return {"env", "HOME=" + home, "XDG_CONFIG_HOME=" + home + "/.config", "XDG_CACHE_HOME=" + home + "/.cache",
            "XDG_DATA_HOME=" + home + "/.local/share", chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-crash-reporter", "--user-data-dir=" + scratch + "/chromium-profile"};
}

std::string url_of(const std::string& file) { return "file://" + std::filesystem::absolute(file).string(); }

}  // namespace

std::string chromium()
{
    for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (access(candidate, X_OK) == 0) return candidate;
    return "";
}

std::string screenshot(const std::string& file, const std::string& png, int width, int height, const std::string& scratch)
{
    if (chromium().empty()) return "chromium is not installed (Debian package chromium)";
    std::vector<std::string> argv = chromium_command(scratch);
    argv.insert(argv.end(), {"--window-size=" + std::to_string(width) + "," + std::to_string(height), "--screenshot=" + png, url_of(file)});
    std::filesystem::remove(png);
    CommandResult run = run_command(argv, scratch, std::chrono::seconds(60));
    if (!run.spawn_error.empty()) return run.spawn_error;
    if (run.timed_out) return "chromium did not finish within 60 s";
    if (!std::filesystem::exists(png)) return "chromium wrote no screenshot: " + run.err.substr(0, 300);
    return "";
}

std::string dumped_dom(const std::string& file, const std::string& scratch, std::string* why)
{
    if (chromium().empty()) {
        *why = "chromium is not installed (Debian package chromium)";
        return "";
    }
    std::vector<std::string> argv = chromium_command(scratch);
    argv.insert(argv.end(), {"--dump-dom", url_of(file)});
    CommandResult run = run_command(argv, scratch, std::chrono::seconds(60));
    if (run.timed_out || !run.spawn_error.empty() || run.out.empty()) *why = "chromium printed no DOM: " + run.err.substr(0, 300);
    return run.out;
}

std::pair<int, int> png_size(const std::string& png)
{
    std::ifstream in(png, std::ios::binary);
    unsigned char header[24] = {};
    if (!in.read(reinterpret_cast<char*>(header), sizeof header) || header[1] != 'P' || header[2] != 'N' || header[3] != 'G') return {0, 0};
    auto big_endian = [&](int at) { return (header[at] << 24) | (header[at + 1] << 16) | (header[at + 2] << 8) | header[at + 3]; };
    return {big_endian(16), big_endian(20)};
}

}  // namespace lab::testing
