// host.h — one running host (process1 or process2) as the runner sees it: a child process, the
// pipes of the line protocol (protocol.h), its crash record, and its wait status.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "system/child.h"
#include "common/crash_record.h"
#include "common/protocol.h"

namespace lab {

struct HostSpec {
    std::string name;        // "process1"
    std::string executable;  // build/bin/process1
    std::string sandbox;     // cwd, and where libfoo.so is looked for (LD_LIBRARY_PATH)
    bool bind_now = false;   // LD_BIND_NOW=1: every PLT slot resolved at start, not at first call
    std::vector<std::string> arguments = {};  // more arguments for the host ("--copy")
};

// What came back for one request.
struct Reply {
    enum class Kind { line, died, timeout } kind = Kind::timeout;
    protocol::Message message;  // for Kind::line
    std::string raw;
};

class Host {
public:
    explicit Host(const HostSpec& spec);  // starts it; throws std::system_error if it cannot

    const std::string& name() const { return name_; }
    pid_t pid() const { return child_->pid(); }
    bool alive() { return !child_->try_reap(); }
    const Child& child() const { return *child_; }

    // Sends one command; returns the first line back, or how the host stopped answering.
    Reply request(const protocol::Command& command, Clock::time_point deadline);
    // Waits for the next line without sending anything (the "ready" handshake).
    Reply next_line(Clock::time_point deadline);
    // Waits for the host to exit (after "quit"); true when it has, by `deadline`.
    bool wait_exit(Clock::time_point deadline);
    // Kills the host (after a timeout, or to clean up) and collects what it left behind.
    void kill_now();

    const std::optional<CrashRecord>& crash_record() const { return crash_; }
    const std::string& stderr_text() const { return stderr_; }

private:
    void collect_remains();  // after death: the last stdout lines, the crash record, stderr

    std::string name_;
    std::unique_ptr<Child> child_;
    std::string stdout_buffer_, stderr_, crash_text_;
    std::optional<CrashRecord> crash_;
    bool stdout_open_ = true, stderr_open_ = true;
};

}  // namespace lab
