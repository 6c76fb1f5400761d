// child.cc — vfork/exec with pipes and a pidfd; waiting on events with poll().
#include "system/child.h"
#include "base/errors.h"
#include "base/text.h"
#include "system/leftovers.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

extern char** environ;

namespace lab {

namespace {


void make_pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
}

void close_fd(int* fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

std::vector<std::string> child_environment(const SpawnSpec& spec)
{
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        std::string text = *entry;
        std::string key = text.substr(0, text.find('='));
        bool replaced = false;
        for (const auto& [name, value] : spec.env_set) replaced |= (name == key);
        for (const auto& name : spec.env_unset) replaced |= (name == key);
        if (!replaced) env.push_back(text);
    }
    for (const auto& [name, value] : spec.env_set) env.push_back(name + "=" + value);
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    for (auto& text : strings) result.push_back(text.data());
    result.push_back(nullptr);
    return result;
}

// Tells the parent why the child could not become what it was asked to be, then ends it.
[[noreturn]] void child_failed(int status_fd)
{
    int error = errno;
    ssize_t ignored = write(status_fd, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

// In the vfork child, before exec: only system calls on memory prepared by the parent, then exec
// or _exit. signal() here changes the child's own dispositions: vfork does not share them.
[[noreturn]] void become_child(pid_t parent, const SpawnSpec& spec, int stdin_fd, int stdout_fd,
                               int stderr_fd, int crash_fd, int status_fd, char** argv, char** envp)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_failed(status_fd);
    if (getppid() != parent) _exit(127);  // the runner died before prctl took effect
    // A process group of its own: whatever it starts (cc starts ld, which PR_SET_PDEATHSIG does
    // not reach) can be killed with it, by the destructor or the interrupt handler (leftovers.h).
    setpgid(0, 0);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    signal(SIGPIPE, SIG_DFL);
    // dup2 clears FD_CLOEXEC on the copies; fd 3 is placed last so it cannot clobber a source.
    if (dup2(stdin_fd, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) child_failed(status_fd);
    if (crash_fd >= 0 && dup2(crash_fd, 3) < 0) child_failed(status_fd);
    if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) child_failed(status_fd);
    execvpe(argv[0], argv, envp);
    child_failed(status_fd);
}

}  // namespace

Child::Child(const SpawnSpec& spec)
{
    int in[2] = {-1, -1}, out[2], err[2], crash[2] = {-1, -1}, status[2];
    make_pipe(out);
    make_pipe(err);
    make_pipe(status);
    if (spec.pipe_stdin) make_pipe(in);
    else if ((in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) throw_errno("/dev/null");
    if (spec.crash_pipe) make_pipe(crash);

    std::vector<std::string> argv_strings = spec.argv;
    std::vector<std::string> env_strings = child_environment(spec);
    std::vector<char*> argv = pointers(argv_strings);
    std::vector<char*> envp = pointers(env_strings);

    // vfork: the child borrows the runner's memory until exec instead of copying its page tables
    // (what glibc's posix_spawn does too). So until exec the child may only make system calls and
    // must not return; become_child keeps to that, and everything it needs is built above.
    pid_t parent = getpid();
    pid_ = vfork();
    if (pid_ < 0) throw_errno("vfork");
    if (pid_ == 0)
        become_child(parent, spec, in[0], out[1], err[1], crash[1], status[1], argv.data(), envp.data());
    setpgid(pid_, pid_);  // done by both, so it holds whichever runs first (EACCES once it has exec'd)
    register_child_group(pid_);

    close(in[0]);
    close(out[1]);
    close(err[1]);
    close(status[1]);
    if (crash[1] >= 0) close(crash[1]);
    in_ = in[1];
    out_ = out[0];
    err_ = err[0];
    crash_ = crash[0];
    for (int fd : {out_, err_, crash_})
        if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

    int child_errno = 0;
    ssize_t got;
    do got = read(status[0], &child_errno, sizeof child_errno); while (got < 0 && errno == EINTR);
    close(status[0]);
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    if (got > 0) {  // exec (or the set-up before it) failed; the child has exited with 127
        wait_until(Clock::now() + std::chrono::seconds(5));
        errno = child_errno;
        throw_errno(spec.argv.empty() ? std::string("?") : spec.argv[0]);
    }
    if (pidfd_ < 0) {
        int saved = errno;
        kill_now();
        errno = saved;
        throw_errno("pidfd_open");
    }
}

Child::~Child()
{
    if (!status_) kill_now();
    for (int* fd : {&pidfd_, &in_, &out_, &err_, &crash_}) close_fd(fd);
}

void Child::close_in() { close_fd(&in_); }

bool Child::try_reap()
{
    if (status_) return true;
    siginfo_t info = {};
    if (waitid(P_PID, pid_, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return false;
    // Whatever the child left running in its group goes with it; while the child is a zombie, its
    // pid (the group's id) cannot be handed to another process.
    kill(-pid_, SIGKILL);
    forget_child_group(pid_);
    waitid(P_PID, pid_, &info, WEXITED);
    ExitStatus status;
    status.signaled = info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED;
    status.core = info.si_code == CLD_DUMPED;
    status.code = info.si_status;
    status_ = status;
    return true;
}

bool Child::wait_until(Clock::time_point deadline)
{
    while (!try_reap()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        if (pidfd_ < 0) {  // only while the constructor is failing: waitpid blocks briefly
            int ignored;
            waitpid(pid_, &ignored, __WALL | WNOWAIT);
            continue;
        }
        struct pollfd ready = {pidfd_, POLLIN, 0};
        poll(&ready, 1, static_cast<int>(left.count()) + 1);
    }
    return true;
}

void Child::kill_now()
{
    if (status_ || pid_ <= 0) return;
    kill(-pid_, SIGKILL);  // the child and whatever it started
    kill(pid_, SIGKILL);
    wait_until(Clock::now() + std::chrono::seconds(10));
}

bool drain(int fd, std::string* into)
{
    char buffer[4096];
    for (;;) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got > 0) { into->append(buffer, static_cast<size_t>(got)); continue; }
        if (got == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN;  // nothing more now
    }
}

AsyncCommand::AsyncCommand(const std::vector<std::string>& argv, const std::string& cwd) : start_(Clock::now())
{
    result_.argv = argv;
    try {
        // Run in a directory (a sandbox), it keeps its temporary files there too (cc's in
        // $TMPDIR): they go with the directory, however the runner ends.
        std::vector<std::pair<std::string, std::string>> env;
        if (!cwd.empty()) env.emplace_back("TMPDIR", cwd);
        child_ = std::make_unique<Child>(SpawnSpec{argv, cwd, env, {}, false, false});
    } catch (const std::system_error& error) {
        result_.status.code = 127;
        result_.spawn_error = error.what();
    }
}

CommandResult AsyncCommand::finish(Clock::time_point deadline)
{
    if (!child_) return result_;
    Child& child = *child_;
    bool out_open = true, err_open = true;
    while (out_open || err_open || !child.exited()) {
        struct pollfd fds[3] = {{out_open ? child.out() : -1, POLLIN, 0},
                                {err_open ? child.err() : -1, POLLIN, 0},
                                {child.exited() ? -1 : child.pidfd(), POLLIN, 0}};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            result_.timed_out = true;
            child.kill_now();
            break;
        }
        poll(fds, 3, static_cast<int>(left.count()) + 1);
        if (out_open) out_open = drain(child.out(), &result_.out);
        if (err_open) err_open = drain(child.err(), &result_.err);
        child.try_reap();
    }
    if (child.status()) result_.status = *child.status();
    result_.elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
    child_.reset();
    return result_;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& cwd,
                          std::chrono::milliseconds timeout)
{
    return AsyncCommand(argv, cwd).finish(Clock::now() + timeout);
}

std::optional<std::string> find_program(const std::string& name)
{
    const char* path = std::getenv("PATH");
    // mkfs and friends live in sbin, which an ordinary user's PATH may leave out.
    std::string dirs = std::string(path ? path : "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
        start = end + 1;
    }
    return std::nullopt;
}

std::string join_command(const std::vector<std::string>& argv) { return join(argv, " "); }

}  // namespace lab
