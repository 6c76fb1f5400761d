// scan_signals.h — the evidence that a file a process maps was changed in place after it mapped
// it (scan.h lists the signals and how sure each is).
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "inspect/maps.h"
#include "scan/scan.h"

namespace lab {

// One file as a process maps it: every maps line of one (device, inode, path).
struct MappedFile {
    std::string path, device;
    std::uint64_t inode = 0;
    bool deleted = false, executable = false;
    std::vector<MapsLine> lines;
};

// When the process started, in ns since the epoch, rounded down to the kernel's clock tick
// (/proc/PID/stat's starttime is in ticks of 1/sysconf(_SC_CLK_TCK) s since boot); 0 if unknown.
std::int64_t process_start_ns(pid_t pid);
// The length of one tick, in ns: a change less than this after the rounded start time cannot be
// told from one made just before the process started, and is not counted as after it.
std::int64_t clock_tick_ns();

// The signals that the file at `path` (the mapped file itself, `st` its stat) changed after the
// process started at `start_ns`: none when its inode did not change since (ctime).
std::vector<ScanEvidence> modification_signals(const std::string& path, const MappedFile& file, const struct stat& st,
                                               std::int64_t start_ns, pid_t pid);

// Whether the PT_LOAD segments of the ELF file at `path`, mapped as the loader maps them at the
// base the process used, are exactly the mappings in `file`; "" when they are, else the first
// difference, in a sentence.
std::string layout_difference(const std::string& path, const MappedFile& file);

}  // namespace lab
