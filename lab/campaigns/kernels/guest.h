// guest.h — one QEMU guest: boot a kernel with the lab's initramfs and disk, follow what its init
// says on the console, take the result files it sends back, and make sure it is gone.
//
// QEMU is a child like any other (system/child.h): its own process group, PR_SET_PDEATHSIG, killed
// by the interrupt handler, so a `lab kernels` killed in any way leaves no guest running. The
// disk is attached with snapshot=on (the guest's writes go to a temporary file in the scratch
// directory), so one image serves every kernel. The runner waits on the console pipe and the
// pidfd with poll(), never with a sleep; a guest that says nothing for `quiet_limit` is killed.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lab {

struct GuestBoot {
    std::string vmlinuz, initramfs, disk;
    std::string accel = "tcg";           // "kvm" or "tcg" (software emulation)
    std::string results_file;            // what the guest writes to its second serial port
    std::string scratch;                 // QEMU's temporary files (the disk's snapshot)
    std::chrono::seconds quiet_limit{300};
    // When non-zero: a guest that prints nothing at all within this long is stalled (killed, and
    // said so): how a KVM that creates a VM but never runs it is told from a slow boot.
    std::chrono::seconds first_output_within{0};
    std::function<void(const std::string& event)> on_event;  // each "lab-guest: EVENT" line
};

struct GuestOutcome {
    bool stalled = false;   // nothing within first_output_within, or nothing at all before QEMU ended
    std::string error;      // why the guest did not finish ("" when its init said "done")
    std::string release;    // what the guest's uname said ("lab-guest: kernel RELEASE")
    std::string console;    // everything it printed on ttyS0
    std::map<std::string, std::string> files;  // sent back on ttyS1: "inplace.json" -> its bytes
    double seconds = 0;
};

GuestOutcome boot_guest(const GuestBoot& boot);

// "" when this machine could run a guest under KVM (/dev/kvm opens read-write), else why not.
std::string kvm_unusable();

// The files of a ttyS1 stream ("lab-file NAME SIZE\n" + SIZE bytes, repeated); `error` names a
// frame that is cut short or malformed (the files before it are kept).
std::map<std::string, std::string> read_frames(const std::string& stream, std::string* error);

}  // namespace lab
