// matrix_filesystems.cc — the file systems and scenarios of lab matrix, by name.
#include "campaigns/matrix/matrix_filesystems.h"

#include "base/text.h"

namespace lab {

const std::vector<MatrixFileSystem>& matrix_filesystems()
{
    static const std::vector<MatrixFileSystem> filesystems = {
        {"ext4", "ext4, loop-mounted 64 MiB image file", "mkfs.ext4"},
        {"xfs", "xfs, loop-mounted 320 MiB image file", "mkfs.xfs"},
        {"btrfs", "btrfs, loop-mounted 256 MiB image file", "mkfs.btrfs"},
        {"tmpfs", "tmpfs", ""},
        {"overlay-lower", "overlayfs, libfoo.so in the lower layer (on tmpfs)", ""},
        {"overlay-merged", "overlayfs, libfoo.so created in the merged view (upper layer)", ""},
        {"squashfs", "squashfs, read-only image file, loop-mounted", "mksquashfs"},
        {"erofs", "erofs, read-only image file, loop-mounted", "mkfs.erofs"},
    };
    return filesystems;
}

const std::vector<std::string>& matrix_scenario_names()
{
    static const std::vector<std::string> names = {"inplace", "rm-then-build", "same-layout", "etxtbsy"};
    return names;
}

std::string matrix_filesystem_names()
{
    std::vector<std::string> names;
    for (const auto& filesystem : matrix_filesystems()) names.push_back(filesystem.name);
    return join(names, ", ");
}

const MatrixFileSystem* find_matrix_filesystem(const std::string& name)
{
    for (const auto& filesystem : matrix_filesystems())
        if (filesystem.name == name) return &filesystem;
    return nullptr;
}

}  // namespace lab
