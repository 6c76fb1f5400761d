// environment.h — what the behaviour under test depends on, recorded with every result:
// kernel, C library, compiler and linker, the sandbox's file system, and who ran it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "base/words.h"

namespace lab {

struct Environment {
    std::string kernel;      // uname -r
    std::string machine;     // uname -m
    std::string libc;        // "glibc 2.36", "musl 1.2.3": what the hosts' dynamic linker says it is
    std::string compiler;    // first line of `cc --version`
    std::string linker;      // first line of `ld --version`
    std::string filesystem;  // type of the file system the sandbox is on ("ext4", "tmpfs")
    std::string library_layer;  // on overlayfs: "lower" or "upper", where libfoo.so was when
                                // installed (the runner sets it); empty elsewhere
    uid_t uid = 0, euid = 0;
    Binding binding = Binding::lazy;  // of the run: how the hosts bind calls into libfoo

    bool root() const { return euid == 0; }
    // The libc family `libc` names ("musl 1.2.3": musl); nullopt when it names none.
    std::optional<Libc> libc_family() const;
};

// Probes everything. The compiler's, the linker's and the libc's versions cost a process start
// each (`cc --version`, `ld --version`, and the dynamic linker of `host`, the run's process1, with
// --version): they are asked once and kept in `cache` (a file; "" for none), keyed by the tool's
// path and file identity (device, inode, size, mtime and ctime of the program), so a new tool is
// asked again.
// What must be asked is started by the constructor and collected by finish(), so a run can go on
// meanwhile instead of waiting for two process starts.
class EnvironmentProbe {
public:
    EnvironmentProbe(std::string sandbox_dir, std::string cache, const std::string& host);
    ~EnvironmentProbe();
    EnvironmentProbe(const EnvironmentProbe&) = delete;
    EnvironmentProbe& operator=(const EnvironmentProbe&) = delete;
    Environment finish();

private:
    struct Pending;
    std::string sandbox_dir_, cache_;
    Pending* pending_ = nullptr;
};
// The type of the file system holding `path`, from /proc/self/mountinfo (matched by st_dev).
std::string filesystem_type(const std::string& path);
// For a file on overlayfs: "upper" when the upper layer holds it (it was created or copied up
// there), "lower" when only a lower layer does; "" when `path` is not on an overlay. Read from
// the mount's upperdir option in mountinfo and an lstat there.
std::string overlay_layer(const std::string& path);
// For a file on overlayfs that the upper layer holds: its path there (upperdir + the rest of
// `path`); "" when `path` is not on an overlay, or only a lower layer holds it.
std::string overlay_upper_path(const std::string& path);

}  // namespace lab
