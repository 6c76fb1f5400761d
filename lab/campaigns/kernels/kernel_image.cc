// kernel_image.cc — naming, fetching and unpacking the kernels a guest boots.
#include "campaigns/kernels/kernel_image.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/text.h"
#include "input/input_error.h"
#include "system/child.h"

namespace lab {

namespace fs = std::filesystem;

namespace {

// Every number in a package name, in order: how two images of one series are ranked
// (6.1.0-55 < 6.1.0-56; 6.12.115+deb12 < 6.12.117+deb12).
std::vector<long> numbers_in(const std::string& text)
{
    std::vector<long> numbers;
    for (size_t at = 0; at < text.size();) {
        if (!std::isdigit(static_cast<unsigned char>(text[at]))) {
            ++at;
            continue;
        }
        size_t end = at;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
        numbers.push_back(std::stol(text.substr(at, std::min<size_t>(end - at, 9))));
        at = end;
    }
    return numbers;
}

bool package_name(const std::string& word)
{
    if (word.size() < 2 || !std::isalnum(static_cast<unsigned char>(word[0]))) return false;
    return std::all_of(word.begin(), word.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
}

std::string first_line(const std::string& text)
{
    std::string line = text.substr(0, text.find('\n'));
    return line.empty() ? "no message" : printable(line, 160);
}

// An unpacked package (or any directory): boot/vmlinuz-* or vmlinuz* in it, and the modules of
// the release the image says it is.
KernelImage from_directory(const std::string& given, const fs::path& dir)
{
    KernelImage image;
    image.given = given;
    for (const fs::path& where : {dir / "boot", dir}) {
        std::error_code error;
        for (const auto& entry : fs::directory_iterator(where, error))
            if (entry.path().filename().string().rfind("vmlinuz", 0) == 0 && entry.is_regular_file()) image.vmlinuz = entry.path();
        if (!image.vmlinuz.empty()) break;
    }
    if (image.vmlinuz.empty()) {
        image.not_available = "no boot/vmlinuz-* in " + dir.string();
        return image;
    }
    image.release = bzimage_release(image.vmlinuz);
    if (image.release.empty()) image.not_available = image.vmlinuz + " is not a bzImage";
    const fs::path modules = dir / "lib" / "modules" / image.release;
    if (!image.release.empty() && fs::is_directory(modules)) image.modules_dir = modules;
    return image;
}

// `dpkg-deb -x DEB` into `into` (through a temporary directory beside it, renamed when complete,
// so a run cut short leaves no half-unpacked cache entry); "" or why not.
std::string unpack(const fs::path& deb, const fs::path& into)
{
    if (fs::is_directory(into)) return "";
    const fs::path partial = into.string() + ".partial." + std::to_string(getpid());  // another run may unpack it too
    std::error_code error;
    fs::remove_all(partial, error);
    fs::create_directories(partial, error);
    CommandResult result = run_command({"dpkg-deb", "-x", deb.string(), partial.string()}, "", std::chrono::minutes(5));
    if (!result.ok()) {
        fs::remove_all(partial, error);
        return "dpkg-deb -x " + deb.filename().string() + " failed: " + first_line(result.spawn_error.empty() ? result.err : result.spawn_error);
    }
    fs::rename(partial, into, error);
    if (error && fs::is_directory(into)) {  // another run was first: its copy serves
        fs::remove_all(partial, error);
        return "";
    }
    return error ? "cannot rename " + partial.string() + ": " + error.message() : "";
}

// `apt-get download PACKAGE` into the cache, then unpacked there.
KernelImage from_package(const std::string& package, const fs::path& cache)
{
    const fs::path unpacked = cache / package;
    if (!fs::is_directory(unpacked)) {
        const fs::path download = cache / (package + ".download." + std::to_string(getpid()));
        std::error_code error;
        fs::remove_all(download, error);
        fs::create_directories(download, error);
        if (error) return {package, "", "", "", "cannot make " + download.string() + ": " + error.message()};
        CommandResult fetched = run_command({"apt-get", "download", package}, download.string(), std::chrono::minutes(10));
        fs::path deb;
        for (const auto& entry : fs::directory_iterator(download, error))
            if (entry.path().extension() == ".deb") deb = entry.path();
        std::string why;
        if (!fetched.ok() || deb.empty())
            why = "apt-get download " + package + " failed: " + first_line(fetched.spawn_error.empty() ? fetched.err : fetched.spawn_error);
        else
            why = unpack(deb, unpacked);
        fs::remove_all(download, error);
        if (!why.empty()) return {package, "", "", "", why};
    }
    return from_directory(package, unpacked);
}

}  // namespace

std::string bzimage_release(const std::string& path)
{
    // The x86 boot protocol: "HdrS" at 0x202; at 0x20e, the offset (less 0x200) of a text that
    // starts with the release ("6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) #1 ...").
    std::ifstream in(path, std::ios::binary);
    char header[0x210] = {};
    if (!in.read(header, sizeof header) || std::string(header + 0x202, 4) != "HdrS") return "";
    const unsigned offset = static_cast<unsigned char>(header[0x20e]) | static_cast<unsigned char>(header[0x20f]) << 8;
    char text[256] = {};
    if (!in.seekg(offset + 0x200) || !in.read(text, sizeof text - 1)) return "";
    std::string release(text);
    return release.substr(0, release.find(' '));
}

std::string cloud_series(const std::string& package)
{
    const std::string prefix = "linux-image-", suffix = "-cloud-amd64";
    if (package.rfind(prefix, 0) != 0 || package.size() <= prefix.size() + suffix.size() ||
        package.compare(package.size() - suffix.size(), suffix.size(), suffix) != 0)
        return "";
    const std::string version = package.substr(prefix.size(), package.size() - prefix.size() - suffix.size());
    std::vector<long> numbers = numbers_in(version);
    if (numbers.size() < 3 || !std::isdigit(static_cast<unsigned char>(version[0]))) return "";  // "6.12-cloud-amd64"
    return std::to_string(numbers[0]) + "." + std::to_string(numbers[1]);
}

std::vector<std::string> newest_cloud_images(const std::vector<std::string>& packages)
{
    std::map<std::string, std::string> newest;  // series -> package
    for (const auto& name : packages) {
        const std::string series = cloud_series(name);
        if (series.empty()) continue;
        auto& best = newest[series];
        if (best.empty() || numbers_in(best) < numbers_in(name)) best = name;
    }
    std::vector<std::pair<std::vector<long>, std::string>> ordered;
    for (const auto& [series, package] : newest) ordered.emplace_back(numbers_in(series), package);
    std::sort(ordered.begin(), ordered.end());
    std::vector<std::string> images;
    for (const auto& [numbers, package] : ordered) images.push_back(package);
    return images;
}

std::vector<std::string> debian_cloud_images()
{
    CommandResult names = run_command({"apt-cache", "pkgnames", "linux-image-"}, "", std::chrono::minutes(1));
    return newest_cloud_images(split_lines(names.out));
}

std::vector<std::string> default_kernels()
{
    std::vector<std::string> kernels = {"running"};
    for (const auto& image : debian_cloud_images()) kernels.push_back(image);
    return kernels;
}

void check_kernel_name(const std::string& given)
{
    std::error_code error;
    if (given == "running" || fs::exists(given, error)) return;
    if (given.find('/') != std::string::npos || !package_name(given))
        throw ScenarioError("--kernel", "", quote_value(given) + " is not \"running\", an existing file or directory, or a Debian package name");
}

KernelImage find_kernel(const std::string& given, const std::string& cache_dir)
{
    if (given == "running") {
        struct utsname names;
        return {given, uname(&names) == 0 ? names.release : "unknown", "", "", ""};
    }
    std::error_code error;
    const fs::path path(given);
    if (fs::is_directory(path, error)) return from_directory(given, path);
    if (fs::is_regular_file(path, error)) {
        if (path.extension() == ".deb") {
            KernelImage image = {given, "", "", "", unpack(path, fs::path(cache_dir) / path.stem())};
            return image.not_available.empty() ? from_directory(given, fs::path(cache_dir) / path.stem()) : image;
        }
        KernelImage image = {given, bzimage_release(given), fs::absolute(path).string(), "", ""};
        if (image.release.empty()) image.not_available = given + " is not a bzImage (no \"HdrS\" boot header)";
        return image;
    }
    check_kernel_name(given);
    fs::create_directories(cache_dir, error);
    return from_package(given, cache_dir);
}

}  // namespace lab
