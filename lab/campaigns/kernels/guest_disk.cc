// guest_disk.cc — tracing the scenarios natively, copying what they used, mkfs.ext4 -d.
#include "campaigns/kernels/guest_disk.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "base/files.h"
#include "base/text.h"
#include "system/child.h"
#include "update/syscall_trace.h"

namespace lab {

namespace fs = std::filesystem;

namespace {

// strace's quoted string starting at `at` (just after the opening quote), its escapes undone:
// \" \\ \n \t and octal \NNN.
std::string unquoted(const std::string& line, size_t at)
{
    std::string text;
    while (at < line.size() && line[at] != '"') {
        char c = line[at++];
        if (c != '\\' || at >= line.size()) {
            text += c;
            continue;
        }
        char escaped = line[at++];
        if (escaped >= '0' && escaped <= '7') {
            int value = escaped - '0';
            for (int digits = 1; digits < 3 && at < line.size() && line[at] >= '0' && line[at] <= '7'; ++digits) value = value * 8 + (line[at++] - '0');
            text += static_cast<char>(value);
        } else {
            text += escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped;
        }
    }
    return text;
}

struct Copier {
    std::string root;
    size_t files = 0;
    std::uint64_t bytes = 0;

    // Copies `path` to the same path under `root`, making each directory on the way and each
    // symbolic link met (then following it, so that what it points to is copied too).
    void copy(const std::string& path, int links_followed = 0)
    {
        if (links_followed > 40) return;  // a loop of links: the kernel gives up there too (ELOOP)
        std::vector<std::string> parts;
        for (const auto& part : fs::path(path)) {
            const std::string name = part.string();
            if (!name.empty() && name != "/") parts.push_back(name);
        }
        std::string current;
        for (size_t i = 0; i < parts.size(); ++i) {
            if (parts[i] == ".") continue;
            if (parts[i] == "..") {
                current = fs::path(current).parent_path().string();
                if (current == "/") current.clear();
                continue;
            }
            current += "/" + parts[i];
            struct stat st;
            if (lstat(current.c_str(), &st) != 0) return;
            const std::string copied = root + current;
            if (S_ISLNK(st.st_mode)) {
                std::error_code error;
                const fs::path target = fs::read_symlink(current, error);
                if (error) return;
                if (!fs::is_symlink(copied, error)) fs::create_symlink(target, copied, error);
                std::string rest;
                for (size_t j = i + 1; j < parts.size(); ++j) rest += "/" + parts[j];
                const std::string followed = target.is_absolute() ? target.string() : fs::path(current).parent_path().string() + "/" + target.string();
                copy(followed + rest, links_followed + 1);
                return;
            }
            if (S_ISDIR(st.st_mode)) {
                if (mkdir(copied.c_str(), st.st_mode & 07777) == 0) chmod(copied.c_str(), st.st_mode & 07777);
                continue;
            }
            if (S_ISREG(st.st_mode) && i + 1 == parts.size() && access(copied.c_str(), F_OK) != 0) {
                bytes += static_cast<std::uint64_t>(copy_file(current, copied, st.st_mode & 07777));
                ++files;
            }
            return;
        }
    }
};

bool excluded(const std::string& path, const std::string& scratch)
{
    for (const std::string prefix : {"/proc", "/sys", "/dev", "/run", scratch.c_str()})
        if (path == prefix || path.rfind(prefix + "/", 0) == 0) return true;
    return false;
}

// mkfs.ext4 -d: without orphan_file where this mke2fs knows it (kernels before 5.15 cannot mount
// it), else with its defaults.
std::string make_filesystem(const std::string& root, const std::string& image, std::uint64_t bytes)
{
    const std::uint64_t megabytes = (bytes * 2 >> 20) + 1024;  // room for what the scenarios write
    const std::vector<std::string> base = {"mkfs.ext4", "-q", "-F", "-L", "lab-guest", "-d", root};
    for (bool without_orphan_file : {true, false}) {
        std::vector<std::string> argv = base;
        if (without_orphan_file) argv.insert(argv.end(), {"-O", "^orphan_file"});
        argv.insert(argv.end(), {image, std::to_string(megabytes) + "M"});
        CommandResult made = run_command(argv, "", std::chrono::minutes(5));
        if (made.ok()) return "";
        if (!without_orphan_file)
            return "mkfs.ext4 failed: " + (made.spawn_error.empty() ? printable(made.err, 200) : made.spawn_error + " (Debian package e2fsprogs)");
    }
    return "";
}

}  // namespace

std::vector<std::string> traced_paths(const std::string& trace)
{
    std::vector<std::string> paths;
    for (const auto& line : split_lines(trace)) {
        size_t open = line.find('(');
        if (open == std::string::npos) continue;
        size_t at = open + 1;
        if (line.compare(at, 10, "AT_FDCWD, ") == 0) at += 10;
        if (at >= line.size() || line[at] != '"') continue;  // a descriptor: relative to what, we do not know
        std::string path = unquoted(line, at + 1);
        if (!path.empty() && path[0] == '/') paths.push_back(path);
    }
    return paths;
}

GuestDisk make_guest_disk(const std::string& runner, const std::vector<GuestScenario>& scenarios, const std::string& scratch)
{
    const auto start = Clock::now();
    GuestDisk disk;
    if (auto why = tracing_unavailable()) {
        disk.error = *why + ": the guest's files are found by tracing each scenario natively";
        return disk;
    }
    std::set<std::string> used = {runner};
    for (const auto& scenario : scenarios) {
        const std::string dir = scratch + "/traced-" + scenario.name, trace = scratch + "/" + scenario.name + ".trace";
        fs::create_directories(dir);
        CommandResult traced = run_command({"strace", "-f", "-qq", "-e", "trace=%file", "-e", "status=successful", "-o", trace, runner,
                                            "run", scenario.file, "--out", dir + "/result.json", "--quiet"},
                                           dir, std::chrono::minutes(3));
        if (traced.timed_out || !traced.spawn_error.empty()) {
            disk.error = "tracing " + scenario.name + " natively " + (traced.timed_out ? "took over 3 minutes" : "failed: " + traced.spawn_error);
            return disk;
        }
        for (const auto& path : traced_paths(read_file(trace)))
            if (!excluded(path, scratch)) used.insert(path);
    }
    Copier copier{scratch + "/root"};
    fs::create_directories(copier.root + "/lab-guest");
    fs::create_directories(copier.root + "/tmp");
    fs::permissions(copier.root + "/tmp", fs::perms::all | fs::perms::sticky_bit);
    for (const auto& path : used) copier.copy(path);
    std::ofstream plan(copier.root + "/lab-guest/plan");
    plan << runner << "\n";
    for (const auto& scenario : scenarios) plan << scenario.name << " " << scenario.file << "\n";
    plan.close();
    disk.files = copier.files;
    disk.bytes = copier.bytes;
    disk.image = scratch + "/root.img";
    disk.error = make_filesystem(copier.root, disk.image, disk.bytes);
    if (!disk.error.empty()) disk.image.clear();
    disk.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return disk;
}

}  // namespace lab
