// scan_process.cc — one process's mapped files, read from /proc, and what became of each.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <map>

#include "base/files.h"
#include "base/text.h"
#include "scan/scan.h"
#include "scan/scan_signals.h"

namespace lab {

namespace {

constexpr long overlayfs_magic = 0x794c7630;

std::string proc_path(pid_t pid, const std::string& rest) { return "/proc/" + std::to_string(pid) + "/" + rest; }

// Mappings that are not files of a file system, though maps names them like one: memfd, SysV
// shared memory, devices, DRM objects, aio rings. They have no name to compare with, ever.
bool special(const std::string& path)
{
    for (const char* prefix : {"/memfd:", "/SYSV", "/dev/", "/drm", "/i915", "/[aio]", "/anon_hugepage"})
        if (path.rfind(prefix, 0) == 0) return true;
    return false;
}

// The files a process maps, each with all of its lines; only those with an executable mapping
// (shared objects and the executable), in the order of their first line.
std::vector<MappedFile> mapped_files(const std::vector<MapsLine>& lines)
{
    std::vector<MappedFile> files;
    std::map<std::string, size_t> index;  // by "device inode path"
    for (const auto& line : lines) {
        if (line.inode == 0 || line.path.empty() || line.path[0] != '/' || special(line.path)) continue;
        const std::string key = line.device + " " + std::to_string(line.inode) + " " + line.path;
        auto [at, added] = index.emplace(key, files.size());
        if (added) files.push_back({line.path, line.device, line.inode, line.deleted, false, {}});
        MappedFile& file = files[at->second];
        file.lines.push_back(line);
        file.executable |= line.perms.find('x') != std::string::npos;
    }
    std::vector<MappedFile> executable;
    for (auto& file : files)
        if (file.executable) executable.push_back(std::move(file));
    return executable;
}

// The mapped file, as the process holds it: through map_files (root), else nullopt.
std::optional<FileIdentity> mapped_identity(pid_t pid, const MappedFile& file, struct stat* st)
{
    char range[64];
    std::snprintf(range, sizeof range, "%lx-%lx", static_cast<unsigned long>(file.lines.front().start),
                  static_cast<unsigned long>(file.lines.front().end));
    int fd = open(proc_path(pid, "map_files/" + std::string(range)).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::optional<FileIdentity> identity;
    if (fstat(fd, st) == 0) identity = FileIdentity{st->st_dev, st->st_ino, st->st_size, st->st_nlink};
    close(fd);
    return identity;
}

// What happened to one mapped file; nullopt when nothing did.
std::optional<ScannedLibrary> judge(pid_t pid, const MappedFile& file, std::int64_t start_ns)
{
    ScannedLibrary library{file.path, ScanStatus::replaced, {}};
    if (file.deleted) {
        library.evidence.push_back({"deleted", "certain", "maps says \"(deleted)\": the file it maps has no name any more"});
        return library;
    }
    // The path as the process sees it (its root), now.
    const std::string now_path = proc_path(pid, "root" + file.path);
    struct stat now, mapped;
    if (stat(now_path.c_str(), &now) != 0) {
        library.evidence.push_back({"missing", "certain", file.path + " does not exist any more (" + std::strerror(errno) + ")"});
        return library;
    }
    const FileIdentity current{now.st_dev, now.st_ino, now.st_size, now.st_nlink};
    std::optional<FileIdentity> held = mapped_identity(pid, file, &mapped);
    struct statfs where;
    const bool overlay = statfs(now_path.c_str(), &where) == 0 && where.f_type == overlayfs_magic;
    if (held && !held->same_file_as(current)) {
        library.status = overlay ? ScanStatus::copied_up : ScanStatus::replaced;
        library.evidence.push_back({overlay ? "overlay-upper" : "identity", "certain",
                                    "the path names " + current.device() + " inode " + std::to_string(current.ino) + ", the process maps " +
                                        held->device() + " inode " + std::to_string(held->ino) +
                                        (overlay ? " (overlayfs: the path leads to the upper layer's copy)" : "")});
        return library;
    }
    if (!held) {  // not root: maps' own numbers (the device is not comparable on btrfs, "00:NN")
        const bool device_comparable = file.device.rfind("00:", 0) != 0;
        if (now.st_ino != file.inode || (device_comparable && current.device() != file.device)) {
            library.evidence.push_back({"identity", "certain",
                                        "the path names " + current.device() + " inode " + std::to_string(now.st_ino) + ", maps says the process maps " +
                                            file.device + " inode " + std::to_string(file.inode)});
            return library;
        }
        mapped = now;
    }
    library.status = ScanStatus::modified_in_place;
    library.evidence = modification_signals(now_path, file, mapped, start_ns, pid);
    if (library.evidence.empty()) return std::nullopt;
    return library;
}

}  // namespace

const char* to_string(ScanStatus status)
{
    switch (status) {
    case ScanStatus::replaced: return "replaced";
    case ScanStatus::copied_up: return "copied-up";
    case ScanStatus::modified_in_place: return "modified-in-place";
    }
    return "?";
}

std::optional<ScannedProcess> scan_process(pid_t pid, bool* gone)
{
    if (gone) *gone = false;
    std::string maps;
    try {
        maps = read_file(proc_path(pid, "maps"));
    } catch (const std::system_error& error) {
        if (gone) *gone = error.code().value() == ENOENT || error.code().value() == ESRCH;
        return std::nullopt;
    }
    std::vector<MapsLine> lines;
    for (const auto& text : split_lines(maps))
        if (auto line = parse_maps_line(text)) lines.push_back(*line);
    ScannedProcess process;
    process.pid = pid;
    try {
        process.comm = read_file(proc_path(pid, "comm"));
    } catch (const std::system_error&) {
    }
    if (!process.comm.empty() && process.comm.back() == '\n') process.comm.pop_back();
    std::error_code ignored;
    process.exe = std::filesystem::read_symlink(proc_path(pid, "exe"), ignored).string();
    const std::int64_t start_ns = process_start_ns(pid);
    for (const auto& file : mapped_files(lines))
        if (auto library = judge(pid, file, start_ns)) process.libraries.push_back(*library);
    return process;
}

ScanResult scan_processes(const std::vector<pid_t>& pids)
{
    std::vector<pid_t> targets = pids;
    if (targets.empty()) {
        DIR* proc = opendir("/proc");
        while (struct dirent* entry = proc ? readdir(proc) : nullptr) {
            const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
            if (pid > 0 && pid != getpid()) targets.push_back(pid);
        }
        if (proc) closedir(proc);
    }
    ScanResult result;
    for (pid_t pid : targets) {
        bool gone = false;
        std::optional<ScannedProcess> process = scan_process(pid, &gone);
        if (!process) {
            ++(gone ? result.gone : result.unreadable);
            continue;
        }
        ++result.scanned;
        if (!process->libraries.empty()) result.processes.push_back(std::move(*process));
    }
    return result;
}

}  // namespace lab
