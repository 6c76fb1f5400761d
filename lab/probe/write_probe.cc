// write_probe.cc — open(O_WRONLY) and close.
#include "probe/write_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>


namespace lab {

WriteProbe probe_write(const std::string& path)
{
    WriteProbe probe;
    probe.path = path;
    // Any exec on the machine denies writes to its ELF interpreter while loading it (open_exec()
    // in fs/exec.c, called for PT_INTERP too, until load_elf_binary() allows writes again): an
    // ETXTBSY that is gone at the next attempt is someone else's exec, not this file's state.
    int fd = -1, error = 0;
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        fd = open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
        error = fd < 0 ? errno : 0;
        if (error != ETXTBSY) break;
        ++probe.transient_refusals;
    }
    if (fd >= 0) {
        close(fd);  // opened: nothing is written through it
        return probe;
    }
    if (error == ETXTBSY) probe.transient_refusals = 0;  // refused every time: not transient
    const char* name = strerrorname_np(error);
    // EROFS is an answer (the file system refuses every write), not a missing permission.
    if (error == EACCES || error == EPERM || error == ENOENT) {
        probe.available = false;
        probe.reason = "not available: opening " + path + " for writing was refused for another reason (" +
                       (name ? name : "?") + ", " + std::strerror(error) + ")" +
                       (geteuid() != 0 && (error == EACCES || error == EPERM) ? "; this user may not write it" : "");
        return probe;
    }
    probe.errno_name = name ? name : std::to_string(error);
    return probe;
}

}  // namespace lab
