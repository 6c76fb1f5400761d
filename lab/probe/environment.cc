// environment.cc — uname, the hosts' libc, `cc --version`, `ld --version`, mountinfo.
#include "probe/environment.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <system_error>

#include "base/files.h"
#include "system/child.h"
#include "system/elf_file.h"
#include "system/sandbox.h"

namespace lab {

// (Outside the anonymous namespace: EnvironmentProbe::Pending keeps the cache as read.)
// A tool's version line, and the identity of the program it came from: "cc", its path, and
// "dev:ino:size:mtime:ctime" of the file that path leads to.
struct ToolVersion {
    std::string tool, key, line;
};

namespace {

// The first line a version command printed, or why there is none.
std::string first_line(const CommandResult& result)
{
    if (!result.spawn_error.empty()) return "not available: " + result.spawn_error;
    if (!result.ok()) return "unknown (" + join_command(result.argv) + " failed)";
    return result.out.substr(0, result.out.find('\n'));
}

// "glibc 2.36" or "musl 1.2.3", from what a dynamic linker says to --version: glibc's prints
// "ld.so (Debian GLIBC 2.36-9) stable release version 2.36." on stdout; musl's knows no options
// and prints its usage, "musl libc (x86_64)\nVersion 1.2.3\n...", on stderr, exiting 1.
std::string libc_line(const CommandResult& result)
{
    if (!result.spawn_error.empty()) return "not available: " + result.spawn_error;
    const std::string text = result.out + "\n" + result.err;
    auto version_after = [&](const std::string& marker) {
        size_t at = text.find(marker);
        if (at == std::string::npos) return std::string();
        at += marker.size();
        size_t end = text.find_first_not_of("0123456789.", at);
        std::string version = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        while (!version.empty() && version.back() == '.') version.pop_back();
        return version;
    };
    if (text.find("GLIBC") != std::string::npos && !version_after("release version ").empty())
        return "glibc " + version_after("release version ");
    if (text.find("musl libc") != std::string::npos && !version_after("Version ").empty())
        return "musl " + version_after("Version ");
    return "unknown (" + join_command(result.argv) + " said neither glibc nor musl)";
}

// Where PATH finds `tool` (or the file `tool` names, when it is a path), with symlinks resolved,
// and its file identity; "" when not found.
std::string identity_key(const std::string& tool)
{
    auto found = tool.find('/') == std::string::npos ? find_program(tool) : std::optional<std::string>(tool);
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

std::optional<Libc> Environment::libc_family() const { return from_string<Libc>(libc.substr(0, libc.find(' '))); }

std::string filesystem_type(const std::string& path)
{
    auto mount = mount_of(path);
    return mount ? mount->type : "unknown";
}

std::string overlay_upper_path(const std::string& path)
{
    auto mount = mount_of(path);
    if (!mount || mount->type != "overlay" || path.rfind(mount->mount_point + "/", 0) != 0) return "";
    std::string upper = option_value(mount->super_options, "upperdir");
    if (upper.empty()) return "";  // a read-only overlay has only lower layers
    struct stat st;
    std::string in_upper = upper + path.substr(mount->mount_point.size());
    return lstat(in_upper.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? in_upper : "";
}

std::string overlay_layer(const std::string& path)
{
    auto mount = mount_of(path);
    if (!mount || mount->type != "overlay" || path.rfind(mount->mount_point + "/", 0) != 0) return "";
    return overlay_upper_path(path).empty() ? "lower" : "upper";
}

// A tool's version: from the cache, or asked now and collected by finish().
struct EnvironmentProbe::Pending {
    struct Tool {
        std::string name, program, key;
        std::string (*read)(const CommandResult&) = first_line;
        std::optional<std::string> line;
        std::unique_ptr<AsyncCommand> asked;
    };
    Tool compiler, linker, loader;
    std::vector<ToolVersion> cached;  // the cache as read at the start
    bool asked_any = false;
};

EnvironmentProbe::EnvironmentProbe(std::string sandbox_dir, std::string cache, const std::string& host)
    : sandbox_dir_(std::move(sandbox_dir)), cache_(std::move(cache))
{
    pending_ = new Pending;
    pending_->compiler.name = pending_->compiler.program = "cc";
    pending_->linker.name = pending_->linker.program = "ld";
    std::string why_not;
    auto loader = interpreter_of(host, &why_not);
    pending_->loader.name = "libc:" + (loader ? *loader : std::string());  // one entry per dynamic linker
    pending_->loader.program = loader ? *loader : "";
    pending_->loader.read = libc_line;
    if (!loader) pending_->loader.line = "unknown (the hosts' dynamic linker: " + why_not + ")";
    pending_->cached = read_cache(cache_);
    const auto& versions = pending_->cached;
    for (auto* tool : {&pending_->compiler, &pending_->linker, &pending_->loader}) {
        if (tool->line) continue;
        tool->key = identity_key(tool->program);
        tool->line = cached(versions, tool->name, tool->key);
        if (tool->line) continue;
        tool->asked = std::make_unique<AsyncCommand>(std::vector<std::string>{tool->program, "--version"}, "");
        pending_->asked_any = true;
    }
}

EnvironmentProbe::~EnvironmentProbe() { delete pending_; }

Environment EnvironmentProbe::finish()
{
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    const std::initializer_list<Pending::Tool*> tools = {&pending_->compiler, &pending_->linker, &pending_->loader};
    for (auto* tool : tools)
        if (tool->asked) tool->line = tool->read(tool->asked->finish(deadline));
    if (pending_->asked_any) {  // what was asked replaces what the cache said of the same tool
        std::vector<ToolVersion> versions;
        for (const auto* tool : tools)
            if (!tool->key.empty() && tool->line->rfind("not available", 0) != 0 && tool->line->rfind("unknown", 0) != 0)
                versions.push_back({tool->name, tool->key, *tool->line});
        for (const auto& old : pending_->cached)
            if (std::none_of(versions.begin(), versions.end(), [&](const ToolVersion& v) { return v.tool == old.tool; }))
                versions.push_back(old);
        write_cache(cache_, versions);
    }
    Environment environment;
    struct utsname names;
    if (uname(&names) == 0) {
        environment.kernel = names.release;
        environment.machine = names.machine;
    }
    environment.libc = *pending_->loader.line;
    environment.compiler = *pending_->compiler.line;
    environment.linker = *pending_->linker.line;
    environment.filesystem = filesystem_type(sandbox_dir_);
    environment.uid = getuid();
    environment.euid = geteuid();
    return environment;
}

}  // namespace lab
