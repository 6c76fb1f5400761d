// observation.h — what an "observe" step records of a host, and the page-sharing summary that
// compares process1's pages with process2's.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "inspect/maps.h"
#include "inspect/pages.h"

namespace lab {

struct ObserveRequest {
    pid_t pid = 0;
    std::vector<MapsLine> lines;    // the host's libfoo mapping now
    std::vector<Segment> segments;  // of the variant it loaded
    std::vector<std::string> what;  // "pages", "smaps", "faults", "page_cache"
    std::string library;            // the file whose page cache residency to report
};

// One page of the host's libfoo mapping, placed in the library's segments.
struct PageRecord {
    std::uint64_t address = 0, relative = 0, offset = 0;  // relative: address minus the load base
    std::string perms;
    std::optional<bool> writable_segment;  // nullopt: in no segment
    bool present = false;
    std::optional<std::uint64_t> frame;  // physical frame number; only root can see it
};

// Which of the file's pages are in the page cache ('#' resident, '.' not).
struct PageCacheView {
    std::size_t file_pages = 0;
    long resident_pages = 0;
    std::string resident;
};

// What one observe step saw; each part is there when it was asked for. A part asked for that
// could not be read is an empty optional inside (faults, page_cache), recorded as null.
struct Observation {
    std::int64_t t_ns = 0;
    std::string host, label;
    bool after_update = false;
    std::optional<std::optional<FaultCounts>> faults;
    std::optional<std::optional<PageCacheView>> page_cache;
    std::optional<std::vector<SmapsFigures>> smaps;
    std::optional<std::vector<PageRecord>> pages;
};

// Fills what `request` asks for into `observation`, and says it in a sentence or two (each on a
// line of its own, after a newline) for the transcript.
void observe(const ObserveRequest& request, Observation* observation, std::string* sentence);

// Page sharing between two hosts' observed pages, compared by address relative to the load base;
// only pages present in both are compared.
struct Sharing {
    bool frames_visible = true;
    long readonly_compared = 0, writable_compared = 0;
    std::optional<long> readonly_same_frame, writable_same_frame;  // nullopt when frames are hidden
    std::string reason;  // why frames are hidden; "" when visible
    long compared(bool writable) const { return writable ? writable_compared : readonly_compared; }
    long same_frame(bool writable) const { return (writable ? writable_same_frame : readonly_same_frame).value_or(0); }
};
Sharing sharing_summary(const std::vector<PageRecord>& first, const std::vector<PageRecord>& second);

}  // namespace lab
