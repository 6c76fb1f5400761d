// write_probe.cc — open(O_WRONLY) and close; PT_INTERP through libelf.
#include "probe/write_probe.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>


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

std::optional<std::string> interpreter_of(const std::string& executable)
{
    if (elf_version(EV_CURRENT) == EV_NONE) return std::nullopt;
    int fd = open(executable.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::optional<std::string> interpreter;
    Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
    size_t count = 0;
    if (elf && elf_getphdrnum(elf, &count) == 0) {
        for (size_t i = 0; i < count && !interpreter; ++i) {
            GElf_Phdr header;
            if (!gelf_getphdr(elf, static_cast<int>(i), &header) || header.p_type != PT_INTERP) continue;
            std::string text(header.p_filesz, '\0');
            if (pread(fd, text.data(), text.size(), static_cast<off_t>(header.p_offset)) == static_cast<ssize_t>(text.size()))
                interpreter = text.c_str();
        }
    }
    if (elf) elf_end(elf);
    close(fd);
    if (!interpreter) return std::nullopt;
    std::error_code error;
    auto resolved = std::filesystem::canonical(*interpreter, error);
    return error ? *interpreter : resolved.string();
}

}  // namespace lab
