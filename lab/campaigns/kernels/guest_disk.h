// guest_disk.h — the disk a `lab kernels` guest runs the lab from.
//
// What goes on it is found, not listed: each scenario is run once natively under strace, and
// every file the run opened, executed or looked up successfully (the runner, the hosts, the libfoo
// variants, the scenario file, the libraries they load, cc and the linker and everything the
// linker reads) is copied to the same path on the disk, with the symbolic links on the way to it.
// Nothing under /proc, /sys, /dev or the traced runs' own scratch directory is copied. Then the
// plan for the guest's init (guest_init.c) goes into /lab-guest/plan, and mkfs.ext4 -d makes
// the image, as an ordinary user.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lab {

struct GuestScenario {
    std::string name;  // "inplace"
    std::string file;  // absolute path of its scenario file
};

struct GuestDisk {
    std::string image;      // the ext4 image
    std::string error;      // why there is none ("" when there is)
    size_t files = 0;       // regular files copied
    std::uint64_t bytes = 0;
    double seconds = 0;     // tracing, copying and mkfs
};

// Traces `runner run FILE` for each scenario (in `scratch`), copies what the runs used into
// scratch/root, and makes scratch/root.img.
GuestDisk make_guest_disk(const std::string& runner, const std::vector<GuestScenario>& scenarios, const std::string& scratch);

// The absolute paths a `strace -f -e status=successful` log names as the first path argument of
// its calls (execve, openat(AT_FDCWD, ...), newfstatat, readlink, ...), unescaped; relative ones
// are left out.
std::vector<std::string> traced_paths(const std::string& trace);

}  // namespace lab
