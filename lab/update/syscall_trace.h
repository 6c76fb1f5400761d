// syscall_trace.h — which system calls an updater made on libfoo.so, seen by strace (optional).
// The survey runs each updater under `strace -f -y` when strace is installed and allowed to
// trace (ptrace may be forbidden in a container), and keeps the calls that named the installed
// path, by its absolute name, by a descriptor open on it, or as "libfoo.so" relative to the
// sandbox.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lab {

// Why tracing cannot be done here ("strace is not installed", "strace cannot trace here: ..."),
// or nullopt when it can. Asked once per process.
std::optional<std::string> tracing_unavailable();

// `argv` run under strace, writing its trace to `trace_file`.
std::vector<std::string> traced_command(const std::vector<std::string>& argv, const std::string& trace_file);

// The calls in `trace` (strace -f -y output) that touched `library` (an absolute path in
// `sandbox`), each summarised: "openat(O_WRONLY|O_TRUNC) = 4", "unlinkat = 0", "write x4".
// stat and access calls are left out: they look, and change nothing.
std::vector<std::string> path_syscalls(const std::string& trace, const std::string& library, const std::string& sandbox);

}  // namespace lab
