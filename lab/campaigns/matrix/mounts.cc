// mounts.cc — unshare(CLONE_NEWNS), mount(2)/umount2(2) and loop devices by ioctl.
#include "campaigns/matrix/mounts.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "base/errors.h"
#include "base/files.h"
#include "base/text.h"
#include "system/sandbox.h"

namespace lab {

std::string enter_private_mount_namespace()
{
    if (unshare(CLONE_NEWNS) != 0) return "unshare(CLONE_NEWNS): " + errno_text(errno);
    // Without this, mounts made here would propagate to the parent namespace through a shared "/".
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return "making / private in the new mount namespace: " + errno_text(errno);
    return "";
}

Mount::Mount(const std::string& source, const std::string& target, const std::string& type, unsigned long flags,
             const std::string& options)
    : target_(target)
{
    if (mount(source.c_str(), target.c_str(), type.c_str(), flags, options.empty() ? nullptr : options.c_str()) != 0) {
        int error = errno;
        if (error == ENODEV) throw Unsupported("this kernel cannot mount " + type + " (" + errno_text(error) + ")");
        if (error == EPERM) throw Unsupported("mounting " + type + " is not permitted here (" + errno_text(error) + ")");
        throw_errno("mount -t " + type + " " + source + " " + target, error);
    }
}

Mount::~Mount()
{
    if (umount2(target_.c_str(), 0) != 0) umount2(target_.c_str(), MNT_DETACH);
}

LoopDevice::LoopDevice(const std::string& image, bool read_only)
{
    int image_fd = open(image.c_str(), (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (image_fd < 0) throw_errno(image);
    int control = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (control < 0) {
        int error = errno;
        close(image_fd);
        throw Unsupported("no loop devices here: /dev/loop-control: " + errno_text(error));
    }
    loop_config config;
    std::memset(&config, 0, sizeof config);
    config.fd = static_cast<unsigned>(image_fd);
    config.info.lo_flags = LO_FLAGS_AUTOCLEAR | (read_only ? LO_FLAGS_READ_ONLY : 0);
    // Another process may take the free device between the two calls: then ask again.
    int error = 0;
    for (int attempt = 0; attempt < 8; ++attempt) {
        int number = ioctl(control, LOOP_CTL_GET_FREE);
        if (number < 0) {
            error = errno;
            break;
        }
        path_ = "/dev/loop" + std::to_string(number);
        fd_ = open(path_.c_str(), (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        if (fd_ < 0) {
            error = errno;
            break;
        }
        if (ioctl(fd_, LOOP_CONFIGURE, &config) == 0) {
            error = 0;
            break;
        }
        error = errno;
        close(fd_);
        fd_ = -1;
        if (error != EBUSY) break;
    }
    close(control);
    close(image_fd);  // the loop device holds its own reference to the image
    if (fd_ < 0) throw_errno("attaching " + image + " to a loop device" + (path_.empty() ? "" : " (" + path_ + ")"), error);
}

LoopDevice::~LoopDevice()
{
    if (fd_ >= 0) close(fd_);
}

std::string loop_devices_under(const std::string& dir)
{
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/sys/block", error)) {
        std::string name = entry.path().filename();
        if (name.rfind("loop", 0) != 0) continue;
        std::string backing;
        try {
            backing = read_file(entry.path() / "loop" / "backing_file");
        } catch (const std::system_error&) {
            continue;  // not attached
        }
        if (backing.rfind(dir, 0) == 0) found.push_back(name + " -> " + backing.substr(0, backing.find('\n')));
    }
    return join(found, ", ");
}

}  // namespace lab
