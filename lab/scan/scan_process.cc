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
#include "probe/environment.h"
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

// Whether `identity` is the file maps names in `file` (by maps' numbers: not root).
bool maps_names(const MappedFile& file, const FileIdentity& identity)
{
    return identity.ino == file.inode && (file.device.rfind("00:", 0) == 0 || identity.device() == file.device);
}

// When the upper layer's file came to be: its birth time where the file system keeps one, else
// its ctime (never earlier than its birth).
std::int64_t born_ns(const std::string& path, const struct stat& st)
{
    struct statx sx;
    if (statx(AT_FDCWD, path.c_str(), 0, STATX_BTIME, &sx) == 0 && (sx.stx_mask & STATX_BTIME))
        return static_cast<std::int64_t>(sx.stx_btime.tv_sec) * 1000000000 + sx.stx_btime.tv_nsec;
    return static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
}

// On overlayfs, the (st_dev, st_ino) that maps, map_files and stat show are all the overlay's:
// the device is the overlay's, and the inode number is kept across a copy-up (it stays the lower
// file's), so the path and the mapping look like one file before and after. What tells is the
// upper layer: where it holds a file whose own inode number is not the one the overlay shows,
// the file was copied up; and where that copy was made after the process started, the process
// maps the lower file it was copied from. Where the process maps the upper file itself (it was
// created there), that file may still have been written in place.
std::optional<ScannedLibrary> judge_overlay(pid_t pid, const MappedFile& file, const std::optional<FileIdentity>& held, std::int64_t start_ns)
{
    const std::string upper = overlay_upper_path(file.path);
    struct stat st;
    if (upper.empty() || stat(upper.c_str(), &st) != 0) return std::nullopt;  // only a lower layer has it: the file it maps
    const std::uint64_t shown = held ? held->ino : file.inode;
    const std::int64_t born = born_ns(upper, st);
    if (shown != st.st_ino && born >= start_ns + clock_tick_ns()) {
        return ScannedLibrary{file.path, ScanStatus::copied_up,
                              {{"overlay-upper", "likely",
                                "the path leads to the upper layer's copy (" + upper + ", inode " + std::to_string(st.st_ino) +
                                    "), made after the process started; the process maps the file it was copied from (inode " +
                                    std::to_string(shown) + " as the overlay shows it)"}}};
    }
    ScannedLibrary library{file.path, ScanStatus::modified_in_place, modification_signals(upper, file, st, start_ns, pid)};
    if (library.evidence.empty()) return std::nullopt;
    return library;
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
    if (statfs(now_path.c_str(), &where) == 0 && where.f_type == overlayfs_magic) return judge_overlay(pid, file, held, start_ns);
    if (held && !held->same_file_as(current)) {
        library.evidence.push_back({"identity", "certain",
                                    "the path names " + current.device() + " inode " + std::to_string(current.ino) + ", the process maps " +
                                        held->device() + " inode " + std::to_string(held->ino)});
        return library;
    }
    if (!held) {  // not root: maps' own numbers (the device is not comparable on btrfs, "00:NN")
        if (!maps_names(file, current)) {
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
