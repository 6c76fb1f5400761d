// host_record.h — everything the runner observed of one host, and the verdict drawn from it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/words.h"
#include "common/crash_record.h"
#include "inspect/forensics.h"
#include "inspect/maps.h"

namespace lab {

// Which version an answer belongs to, judged against the two variants of the scenario.
enum class AnswerKind {
    old_version,  // exactly what the "from" variant answers for that chapter
    new_version,  // exactly what the "to" variant answers for that chapter
    wrong,        // anything else: another chapter's value, an unknown variant, garbage
    none,         // no answer came back (the host died or hung on this call)
};

struct CallRecord {
    int chapter = 0;
    std::optional<std::string> variant;
    std::optional<long> value;
    AnswerKind kind = AnswerKind::none;
    bool after_update = false;
    std::int64_t t_ns = 0;  // when the call was sent
    std::int64_t answer_ns = 0;  // how long the answer took
    std::optional<Slot> slot;  // after the update: what its table-of-contents slot held
};

struct Termination {
    enum class Kind {
        running,  // still running when the scenario ended (then asked to quit)
        exit,     // exited by itself, or after "quit" when the scenario stopped it
        signal,   // killed by a signal
    } kind = Kind::running;
    int exit_code = 0;
    int signal = 0;
    bool requested = false;  // the runner asked for it ("quit", or SIGKILL after a hang)
    std::string during;      // what the host was doing when it ended: "start", "call", "quit"
    std::int64_t t_ns = -1;  // when the runner saw it end (timeline time)
    bool hung = false;       // the runner killed it because it did not answer in time
    std::optional<CrashRecord> crash;
    // Where the pc fell: in the host's libfoo mapping, else in whatever it had mapped there at
    // start (Place::outside_path); nullopt when nowhere known.
    std::optional<Place> where;
    // Where the fault address fell in the libfoo mapping, and the file's size when it died.
    std::optional<Place> fault;
    std::optional<long long> file_size;
    // The call that killed it, and the table-of-contents slot it went through.
    struct StaleCall {
        int chapter = 0;
        Slot slot;
    };
    std::optional<StaleCall> call;
};

// A dlopen host's open or close of libfoo: what it replied, and its libfoo mapping after it.
struct LibraryEvent {
    std::int64_t t_ns = 0;
    std::string op;  // "dlopen", "dlopen-copy", "dlclose"
    bool at_start = false;  // the open a dlopen host makes as it starts
    std::string reply, handles, link_map_name, handle, base;  // as the host said them
    bool same_handle_as_before = false;
    std::vector<MapsLine> mapping;
    bool mapping_deleted = false;
    // The mapping at the newest handle's load address (its link_map's l_addr): which file that
    // object was read from. nullopt when nothing is mapped there (or nothing is open).
    std::optional<MapsLine> object;
};

struct HostRecord {
    std::string name;
    HostMode mode = HostMode::linked;
    std::string executable;
    pid_t pid = 0;
    bool started = false;
    bool started_after_update = false;
    std::vector<CallRecord> calls;
    std::vector<MapsLine> mapping_at_start;
    std::vector<MapsLine> all_maps_at_start;  // every mapping, to name a pc outside libfoo
    std::vector<MapsLine> mapping;  // after the update (at start, for a host started after it)
    bool mapping_observed = false;
    // On overlayfs, after an update that kept the path's identity: whether the bytes the host maps
    // are the file's bytes now (maps.h); nullopt where identity is trusted instead.
    std::optional<bool> mapping_matches_file;
    // Across the update: whether the bytes the host maps read-only from libfoo (its code and
    // constants, which are the page cache's pages) changed under it. Read through a descriptor
    // the runner held on the file the host maps, before and after; on overlayfs, where such a
    // descriptor follows a copy-up the mapping does not, from the host's memory. nullopt: not
    // measured (not running, or mapping another file than the one at the path then).
    std::optional<bool> mapped_bytes_changed;
    // Major faults (pages read from the disk) counted since the evict step: its count then, and
    // how many more its last observation of "faults" after it saw. On tmpfs there is no disk
    // behind the pages, and the eviction drops none of them.
    std::optional<long> majflt_at_eviction;
    std::optional<long> major_faults_since_eviction;
    // Each chapter's table-of-contents slot just before the update, by chapter (nullopt: the host
    // was not running then).
    std::optional<std::map<int, Slot>> plt_before_update;
    Termination termination;
    std::string stderr_text;
    // dlopen hosts: every open and close.
    std::vector<LibraryEvent> library_events;
    std::optional<Verdict> verdict;
    std::string verdict_reason;

    bool mapping_deleted() const;
    // How the host's exit went when it was asked to quit; "exit N" spelt out by at_exit_text().
    AtExit at_exit() const;
    std::string at_exit_text() const;
    // Answered calls made after the update (before the host died, if it did).
    int calls_after_update() const;
    // How long after the update (at `update_ns`, timeline time; -1: none) it crashed; nullopt
    // unless it was killed by a signal it did not ask for, after the update.
    std::optional<std::int64_t> time_to_crash_ns(std::int64_t update_ns) const;
};

std::string_view to_string(AnswerKind kind);
std::string_view to_string(Termination::Kind kind);

// The verdict, from what was observed: how the host ended, then what it answered.
// Sets record->verdict (nullopt when there is nothing to judge) and record->verdict_reason.
void judge(HostRecord* record);

}  // namespace lab
