// leftovers.cc — owned directories, the interrupt handler that removes them, and the sweep.
#include "leftovers.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
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
#include <system_error>

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
void empty_directory(int fd, int depth)
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
            if (is_dot(entry->d_name)) continue;
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
    empty_directory(fd, 8);
    close(fd);
    rmdir(path);
}

void on_interrupt(int signal_number)
{
    int saved = errno;
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

bool exists_at(int dir_fd, const char* name)
{
    struct stat st;
    return fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

}  // namespace

OwnedDirectory::OwnedDirectory(const std::string& prefix)
{
    std::string pattern = temporary_directory() + "/" + prefix + ".XXXXXX";
    if (pattern.size() >= PATH_MAX) throw std::system_error(ENAMETOOLONG, std::generic_category(), pattern);
    std::string buffer = pattern;
    if (!mkdtemp(buffer.data())) throw std::system_error(errno, std::generic_category(), pattern);
    path_ = buffer;
    lock_fd_ = open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    // Blocking: a sweep may hold it for a moment, seeing a new directory with no owner mark yet.
    while (lock_fd_ >= 0 && flock(lock_fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
    int mark = lock_fd_ < 0 ? -1 : openat(lock_fd_, owner_mark, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (mark < 0) {
        int error = errno;
        if (lock_fd_ >= 0) close(lock_fd_);
        rmdir(path_.c_str());
        throw std::system_error(error, std::generic_category(), path_);
    }
    std::string text = "lab, pid " + std::to_string(getpid()) + "; removed once that process is gone (it holds flock on this directory)\n";
    ssize_t ignored = write(mark, text.data(), text.size());
    (void)ignored;
    close(mark);
    slot_ = take_slot(path_);
}

OwnedDirectory::~OwnedDirectory()
{
    if (!kept_) {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
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

void remove_on_interrupt()
{
    struct sigaction action = {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&action.sa_mask, signal_number);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal_number, &action, nullptr);
}

std::vector<std::string> sweep_leftovers()
{
    std::vector<std::string> removed;
    const std::string tmp = temporary_directory();
    DIR* dir = opendir(tmp.c_str());
    if (!dir) return removed;
    std::vector<std::string> candidates;
    while (struct dirent* entry = readdir(dir)) {
        std::string name = entry->d_name;
        if (name.rfind("libfoo-lab.", 0) == 0 || name.rfind("libfoo-lab-matrix.", 0) == 0) candidates.push_back(tmp + "/" + name);
    }
    closedir(dir);
    for (const auto& path : candidates) {
        int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) continue;  // not a directory, or not ours to read
        struct stat st;
        bool ours = fstat(fd, &st) == 0 && st.st_uid == geteuid();
        // The lock taken: its owner is gone (or it is being made right now: see the owner mark).
        bool abandoned = ours && flock(fd, LOCK_EX | LOCK_NB) == 0;
        bool young = std::time(nullptr) - st.st_mtime < 60;
        if (abandoned && !exists_at(fd, kept_mark) && (exists_at(fd, owner_mark) || !young)) {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
            if (!std::filesystem::exists(path, ignored)) removed.push_back(path);
        }
        close(fd);  // lets go of the lock
    }
    return removed;
}

}  // namespace lab
