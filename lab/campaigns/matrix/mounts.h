// mounts.h — the file systems lab matrix makes for itself, and how they are always undone.
//
// Three layers make sure no mount outlives the matrix, on every path:
//   1. Each Mount and LoopDevice undoes itself in its destructor (normal end, exceptions).
//   2. The matrix runs in a mount namespace of its own with private propagation: its mounts are
//      invisible outside, and when its last process exits (the runner, killed even with SIGKILL,
//      and its hosts, killed by PR_SET_PDEATHSIG) the kernel unmounts everything in it.
//   3. Loop devices are attached with LO_FLAGS_AUTOCLEAR: once the file system on one is gone, or
//      if nothing was ever mounted on it, the device detaches itself.
#pragma once

#include <stdexcept>
#include <string>

namespace lab {

// This machine cannot do it at all (no loop devices, a file system the kernel lacks, mounting
// forbidden): the matrix reports CONF with what() as the reason, not BROK.
class Unsupported : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Moves the calling process into a new mount namespace and makes every mount in it private, so
// nothing mounted afterwards propagates back. Returns "" on success, else why not ("unshare:
// EPERM (Operation not permitted)": not root, or a container without CAP_SYS_ADMIN).
std::string enter_private_mount_namespace();

// mount(2); the destructor unmounts (lazily, MNT_DETACH, if something still uses it).
class Mount {
public:
    // Throws std::system_error naming the type and target on failure; Unsupported when the kernel
    // has no such file system (ENODEV) or mounting is not permitted (EPERM).
    Mount(const std::string& source, const std::string& target, const std::string& type, unsigned long flags,
          const std::string& options);
    ~Mount();
    Mount(const Mount&) = delete;
    Mount& operator=(const Mount&) = delete;
    const std::string& target() const { return target_; }

private:
    std::string target_;
};

// A free loop device attached to an image file (LOOP_CTL_GET_FREE, LOOP_CONFIGURE; Linux >= 5.8)
// with LO_FLAGS_AUTOCLEAR. It detaches when its last user goes: this object (which closes its
// descriptor when destroyed) and any file system mounted from it.
class LoopDevice {
public:
    // Throws std::system_error naming the image or the device on failure; Unsupported when there
    // are no loop devices to have (no /dev/loop-control, or no access to it).
    LoopDevice(const std::string& image, bool read_only);
    ~LoopDevice();
    LoopDevice(const LoopDevice&) = delete;
    LoopDevice& operator=(const LoopDevice&) = delete;
    const std::string& path() const { return path_; }  // "/dev/loop3"

private:
    std::string path_;
    int fd_ = -1;
};

// The loop devices whose backing file lies under `dir` (from /sys/block/loop*/loop/backing_file),
// for tests and for the matrix's own check that it left nothing behind.
std::string loop_devices_under(const std::string& dir);

}  // namespace lab
