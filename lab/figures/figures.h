// figures.h — the pictures `lab report` draws, each from what a result recorded (never from the
// scenario's expectation). The report fills these plain structs from a result file; the figures
// know nothing of JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "figures/svg.h"

namespace lab::figures {

// A function of a libfoo.so: where it starts in the file, and its length.
struct Entry {
    std::string name;
    std::uint64_t offset = 0, size = 0;
};

// One version of the library, as a book: its title ("v1, what process1 loaded") and its table of
// contents.
struct Book {
    std::string title;
    std::vector<Entry> entries;
};

// A slot of the host's table of contents (its GOT), as recorded before the update.
struct TocSlot {
    int chapter = 0;
    bool resolved = false;
    std::uint64_t offset = 0;  // the file offset it leads to, when resolved
    std::string leads_to;      // "foo_chapter5"
};

// The call that went through a stale slot: where it landed in the new book, and how it ended.
struct StaleCall {
    int chapter = 0;
    std::uint64_t offset = 0;
    std::string landed;   // the result's termination.where.new text: "foo_chapter3+0x20"
    std::string outcome;  // "SIGSEGV (SEGV_MAPERR), fault address 0x0"
};

// Figure 2: the table of contents and the two books, to scale.
struct TocFigure {
    std::string host;
    Book loaded, on_disk;
    std::vector<TocSlot> slots;
    std::optional<StaleCall> stale;
};
Svg table_of_contents(const TocFigure& figure);

// Figure 3: memory page by page at each observation: which pages of the file are in the page
// cache, and which of the host's libfoo pages are present in its page tables.
struct PagesRow {
    std::string host, label;      // "process1", "after eviction"
    std::int64_t t_ns = 0;
    std::string cache;            // a character per page of the file: '#' in the page cache, '.' not; "" when not observed
    std::vector<bool> present;    // per page of the host's libfoo mappings, in address order; empty when not observed
    std::optional<long> major_faults;
};
struct PagesFigure {
    std::vector<PagesRow> rows;
};
Svg demand_paging(const PagesFigure& figure);

// Figure 1: the host's mappings of libfoo beside the files on disk they map, and which of their
// pages share a physical frame with the other host's.
struct MappedPage {
    bool present = false, shared = false;  // shared: the same frame is in the other host's pages
};
struct MappingRow {
    std::string range, perms, offset;  // "7f..000-7f..000", "r-xp", "0x1000"
    std::string file;                  // the inode it maps, "inode 11084769"
    bool deleted = false;
    std::vector<MappedPage> pages;     // when frames were observed
};
struct MappedHost {
    std::string name;
    std::vector<MappingRow> rows;
};
struct DiskFile {
    std::string file;  // "inode 11084769", as in MappingRow::file
    std::string role;  // "installed as libfoo.so (v1)", "at libfoo.so now (v2)"
    bool deleted = false;
};
struct MappingsFigure {
    std::vector<MappedHost> hosts;  // one or two
    std::vector<DiskFile> files;
    std::string sharing;            // "read-only pages: 2 of 2 share a frame; writable: 0 of 2", or ""
};
Svg mappings(const MappingsFigure& figure);

// Figure 4: every host on one time axis.
struct TimelineCall {
    std::int64_t t_ns = 0;
    int chapter = 0;
    std::string answer;  // "old", "new", "wrong" or "none" (no answer)
};
struct TimelineHost {
    std::string name;
    std::int64_t start_ns = 0, end_ns = 0;
    std::string end;  // "killed by SIGSEGV", "exit 0", "still running: asked to quit"
    bool died = false;
    std::vector<TimelineCall> calls;
};
struct TimelineMark {
    std::int64_t t_ns = 0;
    std::string label;  // "update", "evict"
};
struct TimelineFigure {
    std::vector<TimelineHost> hosts;
    std::vector<TimelineMark> marks;
    std::int64_t end_ns = 0;
};
Svg timeline(const TimelineFigure& figure);

}  // namespace lab::figures
