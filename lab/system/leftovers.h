// leftovers.h — nothing of the lab outlives the runner.
//
// Every directory a run makes in ${TMPDIR:-/tmp} (a scenario's sandbox "libfoo-lab.XXXXXX", the
// matrix's scratch "libfoo-lab-matrix.XXXXXX", lab kernels' "libfoo-lab-kernels.XXXXXX") is an
// OwnedDirectory:
//   - its owner holds flock(LOCK_EX) on the directory itself for as long as it lives. The kernel
//     drops the lock when the owner dies, however it dies, so "owner gone" is an observation
//     (the lock can be taken), never a guess from a pid number that may have been reused;
//   - it is removed when the object goes (normal end, exceptions), by the handler of SIGINT,
//     SIGTERM and SIGHUP (which then dies of the same signal, as if nothing had been caught), and
//     after SIGKILL by the next lab command's sweep_leftovers();
//   - hosts and commands started in it die with the runner (PR_SET_PDEATHSIG, child.h), and the
//     matrix's mounts with its mount namespace (mounts.h).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace lab {

class OwnedDirectory {
public:
    // mkdtemp("${TMPDIR:-/tmp}/" + prefix + ".XXXXXX"), locked and marked with its owner; throws
    // std::system_error naming the pattern on failure.
    explicit OwnedDirectory(const std::string& prefix);
    ~OwnedDirectory();  // removes it, unless kept
    OwnedDirectory(const OwnedDirectory&) = delete;
    OwnedDirectory& operator=(const OwnedDirectory&) = delete;

    const std::string& path() const { return path_; }
    // Never removed, by anyone: it stays for the user to look at (lab run --keep).
    void keep();
    // Something is mounted on it: the interrupt handler detaches that mount before removing it.
    void set_mounted(bool mounted);

private:
    std::string path_;
    int lock_fd_ = -1;
    int slot_ = -1;
    bool kept_ = false;
};

// Installs the handler of SIGINT, SIGTERM and SIGHUP described above. Call it once, early.
void remove_on_interrupt();

// Every child the runner starts leads a process group of its own (child.cc). The interrupt
// handler kills each registered group outright before it removes anything, so that nothing (a
// compiler driver's linker, say, which PR_SET_PDEATHSIG does not reach) writes into a directory
// while it is being removed.
void register_child_group(int pgid);
void forget_child_group(int pgid);

// Removes the directories of this user's runs in ${TMPDIR:-/tmp} whose owner is gone (their lock
// can be taken), except kept ones; returns their paths. A process still working in one (its cwd
// there: a linker the owner's compiler started) is an orphan of the dead run and is killed first.
// Never touches a live run's directory: a run holds ${TMPDIR} locked (shared) from before it makes
// its directory until it has locked it, and the sweep looks with ${TMPDIR} locked exclusively.
// (Where it cannot have that lock at once, it does not wait: it spares directories less than a
// minute old that have no owner mark yet.) The owner mark goes last, so a removal cut short is finished by the
// next sweep.
std::vector<std::string> sweep_leftovers();

// The kernel's start time of `pid` (/proc/PID/stat field 22, in clock ticks since boot): with the
// pid, it names one process, even after the pid number has been handed out again. "" when the
// process is gone, even if it went while being read (ESRCH from read()).
std::string start_time(pid_t pid);

// The names inside an owned directory that are the lab's own bookkeeping, not the run's files.
inline constexpr const char* owner_mark = ".lab-owner";
inline constexpr const char* kept_mark = ".lab-kept";

}  // namespace lab
