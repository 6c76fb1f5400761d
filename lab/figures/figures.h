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
