// paths.cc — locating the lab's files from /proc/self/exe.
#include "system/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "system/elf_file.h"

namespace lab {

Paths Paths::locate()
{
    std::error_code error;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
    Paths paths;
    paths.bin_dir = exe.parent_path().string();
    paths.libfoo_dir = (exe.parent_path().parent_path() / "libfoo").string();
    if (const char* dir = std::getenv("LAB_BIN_DIR"); dir && *dir) paths.bin_dir = dir;
    if (const char* dir = std::getenv("LAB_LIBFOO_DIR"); dir && *dir) paths.libfoo_dir = dir;
    return paths;
}

Paths Paths::with_libc(Libc other) const
{
    Paths paths = *this;
    paths.libc = other;
    return paths;
}

std::string Paths::host(const std::string& name) const
{
    return bin_dir + (libc == Libc::musl ? "/musl/" : "/") + name;
}

std::string Paths::hosts_missing() const
{
    for (const char* name : {"process1", "process2", "process2-dlopen"})
        if (access(host(name).c_str(), X_OK) != 0)
            return "the " + std::string(to_string(libc)) + " hosts were not built: " + host(name) + " is missing" +
                   (libc == Libc::musl ? " (install musl-tools, then build again)" : "");
    auto loader = interpreter_of(host("process1"));
    if (loader && access(loader->c_str(), X_OK) != 0)
        return "the " + std::string(to_string(libc)) + " hosts' dynamic linker " + *loader + " is missing" +
               (libc == Libc::musl ? " (install musl)" : "");
    return "";
}

}  // namespace lab
