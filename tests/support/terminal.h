// terminal.h — a command run under a pseudo-terminal, as a person at a keyboard would run it:
// what it prints is read as the terminal shows it, and keys are typed into it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lab::testing {

class Terminal {
public:
    // Starts argv in `cwd` with `environment` ("NAME=value") added to this process's own.
    Terminal(const std::vector<std::string>& argv, const std::vector<std::string>& environment, const std::string& cwd);
    ~Terminal();  // kills what is still running
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    // Reads until the output holds `text` after position `from`, or `timeout` passes.
    bool wait_for(const std::string& text, std::chrono::seconds timeout, size_t from = 0);
    void type(const std::string& keys);
    // Reads to the end and reaps: the exit code, or nullopt when it did not end in time.
    std::optional<int> finish(std::chrono::seconds timeout);
    const std::string& output() const { return output_; }
    pid_t pid() const { return pid_; }

private:
    bool read_some(std::chrono::milliseconds wait);
    bool reaped();  // whether it has ended (then exit_code_ says how)
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
    int master_ = -1;
    std::string output_;
};

}  // namespace lab::testing
