// paths.cc — locating the lab's files from /proc/self/exe.
#include "system/paths.h"

#include <cstdlib>
#include <filesystem>

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

}  // namespace lab
