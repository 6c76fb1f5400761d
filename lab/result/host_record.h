// host_record.h — everything the runner observed of one host, and the verdict drawn from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/crash_record.h"
#include "inspect/maps.h"
#include "common/verdict.h"

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
    nlohmann::ordered_json slot = nullptr;  // after the update: what its table-of-contents slot held
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
    // Where the pc and the fault address fell in the host's libfoo mapping: {mapping, offset}
    // (and, for the fault, file_size and beyond_end_of_file); null when outside it.
    nlohmann::ordered_json where = nullptr, fault = nullptr;
    // The call that went wrong: {chapter, slot} (forensics.h's describe_slot).
    nlohmann::ordered_json call = nullptr;
};

struct HostRecord {
    std::string name;
    std::string mode = "linked";  // how it reaches libfoo: "linked", "dlopen", "dlopen-copy"
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
    // Each chapter's table-of-contents slot just before the update, by chapter.
    nlohmann::ordered_json plt_before_update = nullptr;
    Termination termination;
    std::string stderr_text;
    // dlopen hosts: every open and close, with the host's reply and its libfoo mapping after it.
    nlohmann::ordered_json library_events = nlohmann::ordered_json::array();
    std::optional<Verdict> verdict;
    std::string verdict_reason;

    bool mapping_deleted() const;
    // How the host's exit went when it was asked to quit: "clean", "crashed", "exit N", or
    // "not reached" when it died before.
    std::string at_exit() const;
    // Answered calls made after the update (before the host died, if it did).
    int calls_after_update() const;
    // `update_ns`: when the update happened (timeline time), or -1 when there was none.
    nlohmann::ordered_json to_json(std::int64_t update_ns) const;
};

std::string_view to_string(AnswerKind kind);
std::string_view to_string(Termination::Kind kind);

// The verdict, from what was observed: how the host ended, then what it answered.
// Sets record->verdict (nullopt when there is nothing to judge) and record->verdict_reason.
void judge(HostRecord* record);

}  // namespace lab
