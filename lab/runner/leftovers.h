// leftovers.h — nothing of the lab outlives the runner.
//
// Every directory a run makes in ${TMPDIR:-/tmp} (a scenario's sandbox "libfoo-lab.XXXXXX", the
// matrix's scratch "libfoo-lab-matrix.XXXXXX") is an OwnedDirectory:
//   - its owner holds flock(LOCK_EX) on the directory itself for as long as it lives. The kernel
//     drops the lock when the owner dies, however it dies, so "owner gone" is an observation
//     (the lock can be taken), never a guess from a pid number that may have been reused;
//   - it is removed when the object goes (normal end, exceptions), by the handler of SIGINT,
//     SIGTERM and SIGHUP (which then dies of the same signal, as if nothing had been caught), and
//     after SIGKILL by the next lab command's sweep_leftovers();
//   - hosts and commands started in it die with the runner (PR_SET_PDEATHSIG, child.h), and the
//     matrix's mounts with its mount namespace (mounts.h).
#pragma once

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

// Removes the directories of this user's runs in ${TMPDIR:-/tmp} whose owner is gone (their lock
// can be taken), except kept ones; returns their paths. Never touches a live run's directory,
// nor one made less than a minute ago that has no owner mark yet (its owner may be taking the lock).
std::vector<std::string> sweep_leftovers();

// The names inside an owned directory that are the lab's own bookkeeping, not the run's files.
inline constexpr const char* owner_mark = ".lab-owner";
inline constexpr const char* kept_mark = ".lab-kept";

}  // namespace lab
