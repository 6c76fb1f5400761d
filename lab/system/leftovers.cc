// leftovers.cc — owned directories, the interrupt handler that removes them, and the sweep.
#include "system/leftovers.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "base/files.h"

namespace lab {

namespace {

// ---- what the interrupt handler may read: plain bytes, filled before they are marked ready ------

struct Slot {
    volatile sig_atomic_t state = 0;  // 0 free, 1 being filled or emptied, 2 ready
    volatile sig_atomic_t mounted = 0;
    char path[PATH_MAX] = {};
};
constexpr int slot_count = 16;  // a run has one sandbox; the matrix a scratch and a sandbox per cell
Slot slots[slot_count];

int take_slot(const std::string& path)
{
    for (int i = 0; i < slot_count; ++i) {
        if (slots[i].state != 0) continue;
        slots[i].state = 1;
        std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
        slots[i].mounted = 0;
        slots[i].state = 2;
        return i;
    }
    return -1;  // not covered by the handler; the sweep still is
}

void free_slot(int slot)
{
    if (slot >= 0) slots[slot].state = 0;
}

constexpr int group_count = 64;
volatile sig_atomic_t groups[group_count];  // process group ids; 0 for a free entry

// Blocks SIGINT, SIGTERM and SIGHUP in this thread while it lives; one that arrives meanwhile is
// handled when it goes.
class InterruptsHeld {
public:
    InterruptsHeld()
    {
        sigset_t interrupts;
        sigemptyset(&interrupts);
        for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&interrupts, signal_number);
        pthread_sigmask(SIG_BLOCK, &interrupts, &previous_);
    }
    ~InterruptsHeld() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    InterruptsHeld(const InterruptsHeld&) = delete;
    InterruptsHeld& operator=(const InterruptsHeld&) = delete;

private:
    sigset_t previous_;
};

// The kernel's record for getdents64(2).
struct LinuxDirent64 {
    std::uint64_t d_ino;
    std::int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
};

bool is_dot(const char* name) { return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')); }

// Removes what is inside the directory open at `fd`, at most `depth` levels down, with system
// calls only (async-signal-safe: no malloc, no opendir). A run's directories are shallow.
void empty_directory(int fd, int depth, const char* spare = nullptr)
{
    alignas(8) char buffer[4096];
    for (int pass = 0; pass < 1000; ++pass) {
        lseek(fd, 0, SEEK_SET);
        long got = syscall(SYS_getdents64, fd, buffer, sizeof buffer);
        if (got <= 0) return;
        bool removed = false;
        for (long at = 0; at < got;) {
            auto* entry = reinterpret_cast<LinuxDirent64*>(buffer + at);
            at += entry->d_reclen;
            if (is_dot(entry->d_name) || (spare && std::strcmp(entry->d_name, spare) == 0)) continue;
            if (unlinkat(fd, entry->d_name, 0) == 0) {
                removed = true;
                continue;
            }
            if (errno != EISDIR || depth == 0) continue;
            int child = openat(fd, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child < 0) continue;
            empty_directory(child, depth - 1);
            close(child);
            removed |= unlinkat(fd, entry->d_name, AT_REMOVEDIR) == 0;
        }
        if (!removed) return;
    }
}

void remove_tree_signal_safe(const char* path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    empty_directory(fd, 8, owner_mark);  // the mark last: a removal cut short is finished by a sweep
    unlinkat(fd, owner_mark, 0);
    close(fd);
    rmdir(path);
}

void on_interrupt(int signal_number)
{
    int saved = errno;
    for (auto& group : groups)
        if (group > 0) kill(-group, SIGKILL);
    for (auto& slot : slots) {
        if (slot.state != 2) continue;
        if (slot.mounted) umount2(slot.path, MNT_DETACH);  // every mount below goes with it
        remove_tree_signal_safe(slot.path);
    }
    errno = saved;
    // Die of the signal, as if nothing had caught it: the shell sees 128 + signal.
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

std::string temporary_directory()
{
    const char* tmp = std::getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/tmp";
}

// flock on ${TMPDIR} itself: shared while a run makes its directory and locks it, exclusive while
// a sweep looks; so a sweep never sees a directory in the moment between mkdtemp and its lock.
// (-1, and no such guarantee, where the directory cannot be opened: then the sweep spares young
// directories without an owner mark instead.)
int lock_temporary_directory(const std::string& tmp, int operation)
{
    int fd = open(tmp.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    // $TMPDIR may itself be a run's directory (a command a run started, a benchmark's scratch):
    // its owner holds its lock for the whole run, so waiting for it would never end. Nothing sweeps
    // inside a live run's directory anyway.
    struct stat mark;
    if (fstatat(fd, owner_mark, &mark, AT_SYMLINK_NOFOLLOW) == 0) {
        close(fd);
        return -1;
    }
    while (flock(fd, operation) != 0) {
        if (errno == EINTR && !(operation & LOCK_NB)) continue;
        close(fd);
        return -1;
    }
    return fd;
}

bool exists_at(int dir_fd, const char* name)
{
    struct stat st;
    return fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

// Kills the processes whose working directory is `dir` or below it, and waits (bounded, on
// their pidfds) until they are gone.
bool is_under(const std::string& path, const std::string& dir) { return path == dir || path.rfind(dir + "/", 0) == 0; }

// Whether `pid` works in `dir`: its working directory, or a descriptor it holds (a child of the
// dead owner that had not reached exec yet still holds the owner's lock), is there.
bool works_in(pid_t pid, const std::string& dir)
{
    const std::string proc = "/proc/" + std::to_string(pid);
    std::error_code error;
    if (is_under(std::filesystem::read_symlink(proc + "/cwd", error).string(), dir) && !error) return true;
    for (const auto& fd : std::filesystem::directory_iterator(proc + "/fd", error))
        if (is_under(std::filesystem::read_symlink(fd.path(), error).string(), dir) && !error) return true;
    return false;
}


// Whether the process named in the owner mark ("pid P start S") is gone.
bool owner_gone(const std::string& dir)
{
    std::ifstream mark(dir + "/" + owner_mark);
    std::string word, start;
    pid_t pid = 0;
    if (!(mark >> word >> pid >> word >> start) || pid <= 0) return false;
    return start_time(pid) != start;
}

void kill_orphans_in(const std::string& dir)
{
    std::vector<int> pidfds;
    DIR* proc = opendir("/proc");
    while (struct dirent* entry = proc ? readdir(proc) : nullptr) {
        pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0 || pid == getpid() || !works_in(pid, dir)) continue;
        int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        if (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0) == 0) pidfds.push_back(pidfd);
        else if (pidfd >= 0) close(pidfd);
    }
    if (proc) closedir(proc);
    for (int pidfd : pidfds) {
        struct pollfd gone = {pidfd, POLLIN, 0};
        poll(&gone, 1, 2000);
        close(pidfd);
    }
}

// Everything in `dir` but the owner mark, then the mark, then the directory.
bool remove_owned(const std::string& dir)
{
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error))
        if (entry.path().filename() != owner_mark) std::filesystem::remove_all(entry.path(), error);
    std::filesystem::remove(dir + "/" + owner_mark, error);
    return rmdir(dir.c_str()) == 0;
}

}  // namespace

OwnedDirectory::OwnedDirectory(const std::string& prefix)
{
    const std::string tmp = temporary_directory();
    std::string pattern = tmp + "/" + prefix + ".XXXXXX";
    if (pattern.size() >= PATH_MAX) throw std::system_error(ENAMETOOLONG, std::generic_category(), pattern);
    const int making = lock_temporary_directory(tmp, LOCK_SH);
    std::string buffer = pattern;
    {
        // The directory is in the handler's list from the moment it exists: no interrupt between.
        InterruptsHeld held;
        if (!mkdtemp(buffer.data())) {
            int error = errno;
            if (making >= 0) close(making);
            throw std::system_error(error, std::generic_category(), pattern);
        }
        path_ = buffer;
        slot_ = take_slot(path_);
    }
    lock_fd_ = open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    // Blocking, though nobody else can hold it while we hold ${TMPDIR} shared.
    while (lock_fd_ >= 0 && flock(lock_fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
    int mark = lock_fd_ < 0 ? -1 : openat(lock_fd_, owner_mark, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (making >= 0) close(making);  // ours is locked: a sweep may look now
    if (mark < 0) {
        int error = errno;
        if (lock_fd_ >= 0) close(lock_fd_);
        rmdir(path_.c_str());
        free_slot(slot_);
        throw std::system_error(error, std::generic_category(), path_);
    }
    std::string text = "pid " + std::to_string(getpid()) + " start " + start_time(getpid()) +
                       "\nThis directory belongs to a run of libfoo-lab's runner, the process above. It holds flock on the\n"
                       "directory while it lives; once it is gone, any lab command removes the directory.\n";
    ssize_t ignored = write(mark, text.data(), text.size());
    (void)ignored;
    close(mark);
}

OwnedDirectory::~OwnedDirectory()
{
    if (!kept_) remove_owned(path_);
    free_slot(slot_);
    if (lock_fd_ >= 0) close(lock_fd_);
}

void OwnedDirectory::keep()
{
    if (kept_) return;
    kept_ = true;
    free_slot(slot_);
    slot_ = -1;
    int mark = openat(lock_fd_, kept_mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (mark >= 0) close(mark);
}

void OwnedDirectory::set_mounted(bool mounted)
{
    if (slot_ >= 0) slots[slot_].mounted = mounted;
}

void register_child_group(int pgid)
{
    for (auto& group : groups)
        if (group == 0) {
            group = pgid;
            return;
        }
}

void forget_child_group(int pgid)
{
    for (auto& group : groups)
        if (group == pgid) group = 0;
}

void remove_on_interrupt()
{
    struct sigaction action = {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&action.sa_mask, signal_number);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal_number, &action, nullptr);
}

std::string start_time(pid_t pid)
{
    std::string text;
    try {
        text = read_file("/proc/" + std::to_string(pid) + "/stat");
    } catch (const std::system_error&) {
        return "";
    }
    size_t close = text.rfind(')');
    if (close == std::string::npos) return "";
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22) return field;
    return "";
}

std::vector<std::string> sweep_leftovers()
{
    std::vector<std::string> removed;
    const std::string tmp = temporary_directory();
    // Not waiting for it: where another holds it, this sweep is only more careful (young ones spared).
    const int looking = lock_temporary_directory(tmp, LOCK_EX | LOCK_NB);
    DIR* dir = opendir(tmp.c_str());
    if (!dir) {
        if (looking >= 0) close(looking);
        return removed;
    }
    std::vector<std::string> candidates;
    while (struct dirent* entry = readdir(dir)) {
        std::string name = entry->d_name;
        for (const char* prefix : {"libfoo-lab.", "libfoo-lab-matrix.", "libfoo-lab-kernels."})
            if (name.rfind(prefix, 0) == 0) candidates.push_back(tmp + "/" + name);
    }
    closedir(dir);
    for (const auto& path : candidates) {
        int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) continue;  // not a directory, or not ours to read
        struct stat st;
        bool ours = fstat(fd, &st) == 0 && st.st_uid == geteuid();
        // The lock taken: its owner is gone (or it is being made right now: see the owner mark).
        bool abandoned = ours && flock(fd, LOCK_EX | LOCK_NB) == 0;
        if (ours && !abandoned && owner_gone(path)) {  // what holds it is a child of the dead owner
            kill_orphans_in(path);
            abandoned = flock(fd, LOCK_EX | LOCK_NB) == 0;
        }
        bool young = looking < 0 && std::time(nullptr) - st.st_mtime < 60;
        if (abandoned && !exists_at(fd, kept_mark) && (exists_at(fd, owner_mark) || !young)) {
            kill_orphans_in(path);
            if (remove_owned(path)) removed.push_back(path);
        }
        close(fd);  // lets go of the lock
    }
    if (looking >= 0) close(looking);
    return removed;
}

}  // namespace lab
