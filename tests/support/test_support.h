// test_support.h — what the lab's tests share: the build's paths and variants, scenario files
// from the source tree, a scratch directory, and running the `lab` command.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/run.h"
#include "scenario/catalogue.h"
#include "scenario/scenario.h"
#include "system/child.h"
#include "system/paths.h"
#include "update/update.h"

namespace lab::testing {

const Paths& paths();
const Catalogue& catalogue();
// A catalogue variant as an update installs it (UpdateContext::to).
NewVersion new_version(const std::string& name);
std::string source_path(const std::string& relative);  // LAB_SOURCE_DIR/relative
Scenario load_repo_scenario(const std::string& name);  // scenarios/NAME.json
// A run's outcome and its result file's contents, which tests read by key as users do.
struct RunResult {
    Outcome outcome = Outcome::BROK;
    std::string reason;
    nlohmann::ordered_json json;
    ScenarioResult record;
};
// Runs a scenario in-process, quietly, with the hosts built for `libc`.
RunResult run(const Scenario& scenario, const RunOptions& options = RunOptions{}, Libc libc = Libc::glibc);
// Runs scenarios/NAME.json in-process, quietly (`size`: pad the libraries to it, as --size).
RunResult run_repo_scenario(const std::string& name, long long size = 0, Libc libc = Libc::glibc);
// Why the musl hosts cannot run here ("" when they can): for GTEST_SKIP.
std::string musl_missing();

// A scratch directory, removed with everything in it when the object goes.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    const std::string& dir() const { return dir_; }
    void open_to_everyone() const;  // chmod 1777, so an unprivileged run can write results here
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

private:
    std::string dir_;
};

// A TMPDIR of the test's own (scratch/tmp), so what is left in it is the runner's and nobody
// else's; lab runs with its cwd in the scratch directory.
struct OwnTmpdir {
    ScratchDir scratch;
    std::string tmp = scratch.path("tmp");
    OwnTmpdir();
    SpawnSpec lab_spec(const std::vector<std::string>& args) const;    // to start it yourself
    CommandResult run_lab(const std::vector<std::string>& args) const; // run to its end (60 s at most)
    std::vector<std::string> left() const;                             // the names in tmp
};

// Runs build/bin/lab with `args` in `cwd`.
CommandResult run_lab(const std::vector<std::string>& args, const std::string& cwd);
// The same as the unprivileged user nobody, through setpriv, when the tests run as root; as the
// current user otherwise. Empty `why_not` means it ran; otherwise why it could not.
CommandResult run_lab_unprivileged(const std::vector<std::string>& args, const std::string& cwd, std::string* why_not);

// /proc/PID/FILE's text; "" when the process is gone, even if it went while being read (ESRCH).
std::string proc_text(pid_t pid, const char* file);
// The pids whose parent is `parent` (from /proc/*/stat).
std::vector<pid_t> children_of(pid_t parent);
// Whether a lab host (process1 or process2) is running with this pid; zombies are not.
bool host_alive(pid_t pid);

// Watches a process (through a pidfd opened now) so a test can wait, bounded, for its death
// after something else is to kill it, without sleeping.
class DeathWatch {
public:
    explicit DeathWatch(pid_t pid);
    ~DeathWatch();
    DeathWatch(const DeathWatch&) = delete;
    DeathWatch& operator=(const DeathWatch&) = delete;
    bool watching() const { return pidfd_ >= 0; }  // false: it was gone already
    bool gone_within(std::chrono::milliseconds timeout) const;

private:
    int pidfd_ = -1;
};

// Returns once the clock tick after `pid`'s start has passed: lab scan cannot tell a change within
// one tick of a process's start from one just before it (scan/scan_signals.h), so a test that
// updates a library under a host it will scan waits for it. A wait on the clock, for the
// measurement's resolution, not for another process.
void wait_past_start_tick(pid_t pid);

// The offset of `symbol` in a libfoo variant (dlopen'd privately; dladdr gives the base).
std::uint64_t symbol_offset(const std::string& variant, const std::string& symbol);

}  // namespace lab::testing
