// initramfs.h — the guest's first file system: its init and the kernel's own modules it needs.
//
// The guest's disk is a virtio block device with ext4 on it. Where the kernel does not have the
// drivers built in (modules.builtin says), the modules come from the same package, with what each
// depends on (`modinfo -F depends`, Debian's kmod), loaded in order by the init. The archive is written
// here in the kernel's "newc" cpio format: no cpio program is needed.
#pragma once

#include <string>
#include <vector>

namespace lab {

// The module files (relative to `modules_dir`) that give a kernel virtio_pci, virtio_blk and ext4
// (and crc32c, which ext4 asks for at mount time), each after the ones it depends on; none when
// they are built in. Sets `error` when a module is
// neither built in nor shipped, or modinfo cannot say what it depends on.
std::vector<std::string> guest_modules(const std::string& modules_dir, std::string* error);

// One file of the archive: its path in the archive, and where its bytes come from.
struct ArchiveFile {
    std::string name;    // "init", "modules/virtio_blk.ko.xz"
    std::string source;  // a file to read, or "" with `text`
    std::string text;
    unsigned mode = 0644;
};

// Writes `files` (and the directories they are in) as a newc archive; "" or why not.
std::string write_newc(const std::string& path, const std::vector<ArchiveFile>& files);

}  // namespace lab
