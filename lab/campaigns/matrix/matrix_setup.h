// matrix_setup.h — making one of the matrix's file systems, seeded with what the runs need.
// Internal to matrix.cc; the kinds are listed in matrix_filesystems().
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "campaigns/matrix/matrix_filesystems.h"
#include "campaigns/matrix/mounts.h"

namespace lab {

struct PreparedFileSystem {
    std::string root;   // holds bin/ and one directory per scenario: where the runs happen
    std::string lower;  // overlayfs: the layer directories ("" otherwise)
    std::string upper;
    std::unique_ptr<LoopDevice> loop;
    std::vector<std::unique_ptr<Mount>> mounts;  // in the order mounted

    // Unmounts in reverse order, then lets the loop device go (it detaches: autoclear).
    ~PreparedFileSystem()
    {
        while (!mounts.empty()) mounts.pop_back();
        loop.reset();
    }
};

// Puts bin/ and the scenarios' directories into a directory. A read-only image and the lower
// layer of an overlay are seeded before they are mounted; the others once mounted.
using Seeder = std::function<void(const std::string& dir)>;

// Makes `filesystem` under `dir` (an empty directory on the matrix's tmpfs) with the program at
// `tool` (mkfs.ext4, mksquashfs...), mounts it and seeds it. Throws std::system_error, or
// std::runtime_error when the tool fails, with the step that failed.
std::unique_ptr<PreparedFileSystem> prepare_filesystem(const MatrixFileSystem& filesystem, const std::string& tool,
                                                       const std::string& dir, const Seeder& seed);

}  // namespace lab
