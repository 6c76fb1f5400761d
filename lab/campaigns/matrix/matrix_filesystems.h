// matrix_filesystems.h — the file systems and scenarios of lab matrix, by name: what a ledger or
// the command line may name, without the matrix's machinery.
#pragma once

#include <string>
#include <vector>

namespace lab {

// One way of making a file system for the matrix.
struct MatrixFileSystem {
    std::string name;         // "ext4", "overlay-lower", "squashfs": a row of the table
    std::string description;  // "ext4, loop-mounted 64 MiB image file"
    std::string tool;         // the program that makes it ("mkfs.ext4"), "" when the kernel alone does
};
const std::vector<MatrixFileSystem>& matrix_filesystems();
// The scenarios the matrix runs, by name, when they exist.
const std::vector<std::string>& matrix_scenario_names();

// The names of matrix_filesystems(), "a, b, c": for an error that names a wrong one.
std::string matrix_filesystem_names();
// The file system of that name; nullptr when there is none.
const MatrixFileSystem* find_matrix_filesystem(const std::string& name);

}  // namespace lab
