// child.h — starting and waiting for the processes a run needs (hosts, the compiler driver).
//
// Every child gets PR_SET_PDEATHSIG(SIGKILL), so none outlives the runner even when the runner is
// killed with SIGKILL; RLIMIT_CORE 0, so a crash writes no core file; and a pidfd, so the runner
// can wait for its death with poll() next to its pipes, with a timeout, never with a sleep.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lab {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC

struct SpawnSpec {
    std::vector<std::string> argv;  // argv[0]: a path, or a name searched in PATH
    std::string cwd;
    std::vector<std::pair<std::string, std::string>> env_set;
    std::vector<std::string> env_unset;
    bool pipe_stdin = false;   // otherwise /dev/null
    bool crash_pipe = false;   // a pipe on the child's fd 3, for its crash record
};

// How a child ended, from waitid().
struct ExitStatus {
    bool signaled = false;
    int code = 0;    // exit status, or the signal number when signaled
    bool core = false;
};

class Child {
public:
    // Throws std::system_error naming argv[0] when the child cannot be started (exec failure too).
    explicit Child(const SpawnSpec& spec);
    ~Child();  // kills and reaps a child still alive; closes every descriptor
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return pid_; }
    int pidfd() const { return pidfd_; }
    int in() const { return in_; }
    int out() const { return out_; }
    int err() const { return err_; }
    int crash() const { return crash_; }
    void close_in();

    bool exited() const { return status_.has_value(); }
    const std::optional<ExitStatus>& status() const { return status_; }
    // Reaps the child if it has ended (pidfd readable); returns whether it has.
    bool try_reap();
    // Waits up to `deadline` for the child to end; true when reaped.
    bool wait_until(Clock::time_point deadline);
    void kill_now();  // SIGKILL and reap

private:
    pid_t pid_ = -1;
    int pidfd_ = -1, in_ = -1, out_ = -1, err_ = -1, crash_ = -1;
    std::optional<ExitStatus> status_;
};

// Drains what is readable now from a non-blocking descriptor into `into`; false at EOF.
bool drain(int fd, std::string* into);

// Runs a command to completion (or until the timeout, then kills it), capturing its output. With
// a `cwd`, the command also gets TMPDIR=cwd: whatever temporary files it makes go with that
// directory.
struct CommandResult {
    std::vector<std::string> argv;
    ExitStatus status;
    bool timed_out = false;
    std::string out, err;
    std::string spawn_error;  // set when the command could not be started at all
    std::int64_t elapsed_ns = 0;
    bool ok() const { return spawn_error.empty() && !timed_out && !status.signaled && status.code == 0; }
};
CommandResult run_command(const std::vector<std::string>& argv, const std::string& cwd,
                          std::chrono::milliseconds timeout);

// The same, started now and finished later, so other work can go on meanwhile. A command that
// cannot be started (not installed) is reported in spawn_error, never thrown.
class AsyncCommand {
public:
    AsyncCommand(const std::vector<std::string>& argv, const std::string& cwd);
    CommandResult finish(Clock::time_point deadline);

private:
    CommandResult result_;
    Clock::time_point start_;
    std::unique_ptr<Child> child_;
};

std::string join_command(const std::vector<std::string>& argv);
// Where `name` is: the first directory of PATH (then /usr/sbin, /sbin) with an executable of that
// name; nullopt when none has.
std::optional<std::string> find_program(const std::string& name);

}  // namespace lab
