// environment.cc — uname, glibc, `cc --version`, `ld --version`, mountinfo.
#include "probe/environment.h"

#include <gnu/libc-version.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <system_error>

#include "base/files.h"
#include "system/child.h"
#include "system/sandbox.h"

namespace lab {

namespace {

// The first line a version command printed, or why there is none.
std::string first_line(const CommandResult& result)
{
    if (!result.spawn_error.empty()) return "not available: " + result.spawn_error;
    if (!result.ok()) return "unknown (" + join_command(result.argv) + " failed)";
    return result.out.substr(0, result.out.find('\n'));
}

// A tool's version line, and the identity of the program it came from: "cc", its path, and
// "dev:ino:size:mtime:ctime" of the file that path leads to.
struct ToolVersion {
    std::string tool, key, line;
};

// Where PATH finds `tool`, with symlinks resolved, and its file identity; "" when not found.
std::string identity_key(const std::string& tool)
{
    auto found = find_program(tool);
    if (!found) return "";
    std::error_code error;
    const std::string path = std::filesystem::canonical(*found, error).string();
    struct stat st;
    if (error || stat(path.c_str(), &st) != 0) return "";
    char key[256];
    std::snprintf(key, sizeof key, "%llu:%llu:%lld:%lld.%09ld:%lld.%09ld", static_cast<unsigned long long>(st.st_dev),
                  static_cast<unsigned long long>(st.st_ino), static_cast<long long>(st.st_size),
                  static_cast<long long>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec, static_cast<long long>(st.st_ctim.tv_sec),
                  st.st_ctim.tv_nsec);
    return path + " " + key;
}

// The cache: one line per tool, "tool<TAB>key<TAB>version line". Anything unreadable is a miss.
std::vector<ToolVersion> read_cache(const std::string& cache)
{
    std::vector<ToolVersion> versions;
    std::string text;
    try {
        text = cache.empty() ? "" : read_file(cache);
    } catch (const std::system_error&) {
        return versions;
    }
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        size_t first = line.find('\t'), second = first == std::string::npos ? first : line.find('\t', first + 1);
        if (second == std::string::npos) continue;
        versions.push_back({line.substr(0, first), line.substr(first + 1, second - first - 1), line.substr(second + 1)});
    }
    return versions;
}

// Written whole to a temporary name, then renamed: a reader sees the old cache or the new one.
void write_cache(const std::string& cache, const std::vector<ToolVersion>& versions)
{
    if (cache.empty()) return;
    const std::string temporary = cache + "." + std::to_string(getpid());
    {
        std::ofstream out(temporary);
        for (const auto& version : versions) out << version.tool << '\t' << version.key << '\t' << version.line << '\n';
        if (!out) return (void)std::remove(temporary.c_str());
    }
    if (std::rename(temporary.c_str(), cache.c_str()) != 0) std::remove(temporary.c_str());
}

std::optional<std::string> cached(const std::vector<ToolVersion>& versions, const std::string& tool, const std::string& key)
{
    if (key.empty()) return std::nullopt;
    for (const auto& version : versions)
        if (version.tool == tool && version.key == key) return version.line;
    return std::nullopt;
}

}  // namespace

namespace {

struct MountEntry {
    std::string type, mount_point, super_options;
};

// The mount `path` is on: the last mountinfo line with its st_dev (the one on top).
std::optional<MountEntry> mount_of(const std::string& path)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return std::nullopt;
    std::string mountinfo;
    try {
        mountinfo = read_file("/proc/self/mountinfo");
    } catch (const std::system_error&) {
        return std::nullopt;
    }
    // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
    std::istringstream lines(mountinfo);
    std::string line;
    std::optional<MountEntry> found;
    const std::string device = std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string id, parent, majmin, root, mount_point;
        fields >> id >> parent >> majmin >> root >> mount_point;
        size_t dash = line.find(" - ");
        if (majmin != device || dash == std::string::npos) continue;
        MountEntry entry;
        entry.mount_point = mount_point;
        std::istringstream rest(line.substr(dash + 3));
        std::string source;
        rest >> entry.type >> source >> entry.super_options;
        found = entry;
    }
    return found;
}

// "lowerdir=/a,upperdir=/b,workdir=/c" -> "/b" for key "upperdir".
std::string option_value(const std::string& options, const std::string& key)
{
    std::istringstream items(options);
    std::string item;
    while (std::getline(items, item, ','))
        if (item.rfind(key + "=", 0) == 0) return item.substr(key.size() + 1);
    return "";
}

}  // namespace

std::string filesystem_type(const std::string& path)
{
    auto mount = mount_of(path);
    return mount ? mount->type : "unknown";
}

std::string overlay_layer(const std::string& path)
{
    auto mount = mount_of(path);
    if (!mount || mount->type != "overlay" || path.rfind(mount->mount_point + "/", 0) != 0) return "";
    std::string upper = option_value(mount->super_options, "upperdir");
    if (upper.empty()) return "lower";  // a read-only overlay has only lower layers
    struct stat st;
    std::string in_upper = upper + path.substr(mount->mount_point.size());
    return lstat(in_upper.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? "upper" : "lower";
}

// A tool's version: from the cache, or asked now and collected by finish().
struct EnvironmentProbe::Pending {
    struct Tool {
        std::string name, key;
        std::optional<std::string> line;
        std::unique_ptr<AsyncCommand> asked;
    };
    Tool compiler, linker;
    bool asked_any = false;
};

EnvironmentProbe::EnvironmentProbe(std::string sandbox_dir, std::string cache)
    : sandbox_dir_(std::move(sandbox_dir)), cache_(std::move(cache))
{
    pending_ = new Pending;
    const auto versions = read_cache(cache_);
    for (auto* tool : {&pending_->compiler, &pending_->linker}) {
        tool->name = tool == &pending_->compiler ? "cc" : "ld";
        tool->key = identity_key(tool->name);
        tool->line = cached(versions, tool->name, tool->key);
        if (tool->line) continue;
        tool->asked = std::make_unique<AsyncCommand>(std::vector<std::string>{tool->name, "--version"}, "");
        pending_->asked_any = true;
    }
}

EnvironmentProbe::~EnvironmentProbe() { delete pending_; }

Environment EnvironmentProbe::finish()
{
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    for (auto* tool : {&pending_->compiler, &pending_->linker})
        if (tool->asked) tool->line = first_line(tool->asked->finish(deadline));
    if (pending_->asked_any) {
        std::vector<ToolVersion> versions;
        for (const auto* tool : {&pending_->compiler, &pending_->linker})
            if (!tool->key.empty() && tool->line->rfind("not available", 0) != 0 && tool->line->rfind("unknown", 0) != 0)
                versions.push_back({tool->name, tool->key, *tool->line});
        write_cache(cache_, versions);
    }
    Environment environment;
    struct utsname names;
    if (uname(&names) == 0) {
        environment.kernel = names.release;
        environment.machine = names.machine;
    }
    environment.libc = std::string("glibc ") + gnu_get_libc_version();
    environment.compiler = *pending_->compiler.line;
    environment.linker = *pending_->linker.line;
    environment.filesystem = filesystem_type(sandbox_dir_);
    environment.uid = getuid();
    environment.euid = geteuid();
    return environment;
}

}  // namespace lab
