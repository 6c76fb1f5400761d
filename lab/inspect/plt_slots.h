// plt_slots.h — a host's table of contents: the GOT slot through which its PLT calls each of
// libfoo's chapters, and what each slot holds now. The slot addresses come from the host
// executable's R_X86_64_JUMP_SLOT relocations (libelf); the values from /proc/PID/mem, which the
// runner may read because the host is its child.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "inspect/maps.h"

namespace lab {

class PltSlots {
public:
    // Reads the executable's .rela.plt; chapters() is empty when it cannot, and error() says why.
    explicit PltSlots(const std::string& executable);
    const std::string& error() const { return error_; }
    const std::map<int, std::uint64_t>& chapters() const { return slots_; }  // chapter -> slot vaddr

    // The value of each chapter's slot in process `pid` (which runs this executable, loaded at
    // `base`: executable_base()), or an empty map when its memory cannot be read.
    std::map<int, std::uint64_t> read(pid_t pid, std::uint64_t base) const;

private:
    std::string executable_;
    std::map<int, std::uint64_t> slots_;
    std::string error_;
};

// Where the executable `path` is loaded in process `pid` (its maps line with offset 0).
std::optional<std::uint64_t> executable_base(pid_t pid, const std::string& path);
// The same, from maps lines already read; `path` must be canonical, as the kernel prints it.
std::optional<std::uint64_t> executable_base(const std::vector<MapsLine>& lines, const std::string& path);

}  // namespace lab
