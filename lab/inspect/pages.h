// pages.h — looking at a library page by page: which of a process's pages are present and on
// which physical frame (/proc/PID/pagemap), its per-mapping memory figures (/proc/PID/smaps),
// its fault counters (/proc/PID/stat), which pages of the file are in the page cache
// (mincore), evicting them (POSIX_FADV_DONTNEED), and the file's segments (libelf).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "inspect/maps.h"

namespace lab {

constexpr std::uint64_t page_size = 4096;

// One page of a process's libfoo mapping.
struct PageInfo {
    std::uint64_t address = 0;
    std::uint64_t file_offset = 0;
    std::string perms;
    bool present = false;
    std::optional<std::uint64_t> frame;  // physical frame number; only root can see it
};

// Every page of `lines` in process `pid`. Frames are nullopt when the kernel hides them (since
// Linux 4.2, only CAP_SYS_ADMIN sees frame numbers in another process's pagemap).
std::vector<PageInfo> pages_of(pid_t pid, const std::vector<MapsLine>& lines);
// "#..##": one character per page, '#' present.
std::string present_map(const std::vector<PageInfo>& pages, const MapsLine& line);

// The figures of /proc/PID/smaps for one mapping, in kB.
struct SmapsFigures {
    std::string mapping;
    long rss = 0, pss = 0, shared_clean = 0, shared_dirty = 0, private_clean = 0, private_dirty = 0,
         anonymous = 0;
};
std::vector<SmapsFigures> smaps_of(pid_t pid, const std::vector<MapsLine>& lines);

struct FaultCounts {
    long minor = 0, major = 0;  // /proc/PID/stat fields 10 and 12
};
std::optional<FaultCounts> faults_of(pid_t pid);

// Which pages of the file are in the page cache now ('#' resident, '.' not); nullopt on error.
std::optional<std::string> page_cache_map(const std::string& path);
// Writes back and drops the file's cached pages that no process maps; returns an error text or "".
std::string evict_from_page_cache(const std::string& path);

// A PT_LOAD segment of an ELF file.
struct Segment {
    std::uint64_t offset = 0, file_size = 0, vaddr = 0, mem_size = 0;
    bool writable = false;
};
// The file's loadable segments; empty when it cannot be read as ELF (then `why_not` says why).
std::vector<Segment> load_segments(const std::string& path, std::string* why_not = nullptr);
// Whether the page at `relative` (address minus the library's load base) belongs to a writable
// segment (.data, .got, and the RELRO part made read-only after relocation); nullopt when it
// belongs to none. By address, not file offset: one file page can be mapped twice, once as the
// end of the read-only segment and once as the start of the writable one.
std::optional<bool> in_writable_segment(const std::vector<Segment>& segments, std::uint64_t relative);
// The load base of a mapping: the start of its line with file offset 0.
std::optional<std::uint64_t> load_base(const std::vector<MapsLine>& lines);

}  // namespace lab
