// matrix_setup.cc — image files, mkfs, loop devices and mounts for each kind of file system.
#include "campaigns/matrix/matrix_setup.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "system/child.h"

namespace lab {

namespace {

constexpr unsigned long mount_flags = MS_NOSUID | MS_NODEV;  // never MS_NOEXEC: the hosts run from here

std::string make_dir(const std::string& path)
{
    if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) throw std::system_error(errno, std::generic_category(), path);
    return path;
}

// A sparse image file of `size` bytes: on the matrix's tmpfs it costs only what mkfs writes.
void make_image(const std::string& path, long long size)
{
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), path);
    if (ftruncate(fd, size) != 0) {
        int error = errno;
        close(fd);
        throw std::system_error(error, std::generic_category(), "ftruncate " + path);
    }
    close(fd);
}

void run_tool(const std::vector<std::string>& argv)
{
    CommandResult result = run_command(argv, "", std::chrono::seconds(60));
    if (result.ok()) return;
    std::string said = !result.err.empty() ? result.err : result.out;
    throw std::runtime_error(join_command(argv) + (result.timed_out ? ": timed out" : ": failed") +
                             (said.empty() ? "" : ": " + said.substr(0, said.find('\n'))));
}

// Image sizes: each tool's minimum with room to spare (xfsprogs 6.1 refuses less than 300 MiB).
long long image_size(const std::string& type)
{
    if (type == "xfs") return 320LL << 20;
    if (type == "btrfs") return 256LL << 20;
    return 64LL << 20;
}

std::vector<std::string> mkfs_command(const std::string& type, const std::string& tool, const std::string& image)
{
    return {tool, "-q", type == "ext4" ? "-F" : "-f", image};  // -F (mke2fs), -f (xfs, btrfs): make it without asking
}

void loop_mounted(PreparedFileSystem& prepared, const std::string& type, const std::string& tool, const std::string& dir,
                  const Seeder& seed)
{
    std::string image = dir + "/" + type + ".img";
    make_image(image, image_size(type));
    run_tool(mkfs_command(type, tool, image));
    prepared.loop = std::make_unique<LoopDevice>(image, false);
    prepared.root = make_dir(dir + "/mnt");
    prepared.mounts.push_back(std::make_unique<Mount>(prepared.loop->path(), prepared.root, type, mount_flags, ""));
    seed(prepared.root);
}

void read_only_image(PreparedFileSystem& prepared, const std::string& type, const std::string& tool,
                     const std::string& dir, const Seeder& seed)
{
    std::string staging = make_dir(dir + "/staging"), image = dir + "/" + type + ".img";
    seed(staging);
    if (type == "squashfs") run_tool({tool, staging, image, "-quiet", "-no-progress", "-noappend"});
    else run_tool({tool, "--quiet", image, staging});  // mkfs.erofs FILE DIRECTORY
    prepared.loop = std::make_unique<LoopDevice>(image, true);
    prepared.root = make_dir(dir + "/mnt");
    prepared.mounts.push_back(std::make_unique<Mount>(prepared.loop->path(), prepared.root, type, mount_flags | MS_RDONLY, ""));
}

void overlay(PreparedFileSystem& prepared, bool in_lower, const std::string& dir, const Seeder& seed)
{
    prepared.lower = make_dir(dir + "/lower");
    prepared.upper = make_dir(dir + "/upper");
    std::string work = make_dir(dir + "/work");
    prepared.root = make_dir(dir + "/merged");
    if (in_lower) seed(prepared.lower);  // before the mount: changing a lower layer under a mounted overlay is undefined
    prepared.mounts.push_back(std::make_unique<Mount>(
        "overlay", prepared.root, "overlay", mount_flags,
        "lowerdir=" + prepared.lower + ",upperdir=" + prepared.upper + ",workdir=" + work));
    if (!in_lower) seed(prepared.root);  // written through the merged view: created in the upper layer
}

}  // namespace

std::unique_ptr<PreparedFileSystem> prepare_filesystem(const MatrixFileSystem& filesystem, const std::string& tool,
                                                       const std::string& dir, const Seeder& seed)
{
    auto prepared = std::make_unique<PreparedFileSystem>();
    const std::string& name = filesystem.name;
    if (name == "ext4" || name == "xfs" || name == "btrfs") {
        loop_mounted(*prepared, name, tool, dir, seed);
    } else if (name == "squashfs" || name == "erofs") {
        read_only_image(*prepared, name, tool, dir, seed);
    } else if (name == "overlay-lower" || name == "overlay-merged") {
        overlay(*prepared, name == "overlay-lower", dir, seed);
    } else {  // tmpfs
        prepared->root = make_dir(dir + "/mnt");
        prepared->mounts.push_back(std::make_unique<Mount>("tmpfs", prepared->root, "tmpfs", mount_flags, "size=256m,mode=0755"));
        seed(prepared->root);
    }
    return prepared;
}

}  // namespace lab
