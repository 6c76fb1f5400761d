// terminal.cc — forkpty, poll on the master side, and a bounded wait for the child.
#include "terminal.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

extern char** environ;

namespace lab::testing {

Terminal::Terminal(const std::vector<std::string>& argv, const std::vector<std::string>& environment, const std::string& cwd)
{
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) env.push_back(*entry);
    env.insert(env.end(), environment.begin(), environment.end());
    std::vector<char*> args, envp;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    struct winsize size = {40, 120, 0, 0};
    pid_ = forkpty(&master_, nullptr, nullptr, &size);
    if (pid_ == 0) {
        if (chdir(cwd.c_str()) != 0) _exit(126);
        execve(args[0], args.data(), envp.data());
        _exit(127);
    }
}

Terminal::~Terminal()
{
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
}

bool Terminal::read_some(std::chrono::milliseconds wait)
{
    struct pollfd ready = {master_, POLLIN, 0};
    if (poll(&ready, 1, static_cast<int>(wait.count())) <= 0) return false;
    char buffer[4096];
    ssize_t got = read(master_, buffer, sizeof buffer);
    if (got <= 0) return false;  // EIO: the child and every holder of the terminal are gone
    output_.append(buffer, static_cast<size_t>(got));
    return true;
}

bool Terminal::reaped()
{
    if (pid_ <= 0) return true;
    int status;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    while (read_some(std::chrono::milliseconds(50))) {
    }
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    pid_ = -1;
    return true;
}

bool Terminal::wait_for(const std::string& text, std::chrono::seconds timeout, size_t from)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (output_.find(text, from) == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        if (!read_some(std::min(left, std::chrono::milliseconds(200))) && reaped())  // gone: what it printed is all there is
            return output_.find(text, from) != std::string::npos;
    }
    return true;
}

void Terminal::type(const std::string& keys)
{
    ssize_t written = write(master_, keys.data(), keys.size());
    (void)written;
}

std::optional<int> Terminal::finish(std::chrono::seconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!reaped() && std::chrono::steady_clock::now() < deadline) read_some(std::chrono::milliseconds(50));
    return exit_code_;
}

}  // namespace lab::testing
