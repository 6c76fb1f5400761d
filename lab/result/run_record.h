// run_record.h — the typed result of a run: everything the runner observed (the update, the disk,
// the hosts, what the observe and etxtbsy steps saw, the timeline), the expectation that applied
// and the outcome. result_json.h writes it as the documented JSON (results/README.md); everything
// else reads its fields.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/words.h"
#include "inspect/observation.h"
#include "inspect/symbols.h"
#include "probe/environment.h"
#include "probe/write_probe.h"
#include "result/host_record.h"
#include "scenario/scenario.h"
#include "system/child.h"
#include "system/file_identity.h"

namespace lab {

// One sentence of the run's story, with its monotonic time (engine/timeline.h tells them).
struct TimelineEvent {
    std::int64_t t_ns = 0;  // since the run started (CLOCK_MONOTONIC)
    std::string event;      // "start", "ready", "call", "answer", "update", "observe", "death", ...
    std::string host;       // "" when not about one host
    std::string text;       // the sentence for the transcript
    std::string figure;     // preformatted lines shown as they are (a picture), or ""
};

// The update step: what the strategy did, and the file's identity and bytes around it (by a
// descriptor the runner held), and what a prober on the path saw meanwhile.
struct UpdateObservation {
    Strategy strategy = Strategy::inplace;
    std::string summary;            // the strategy's sentence
    std::string command;            // an updater of the user's own; "" for the built-in ways
    std::string to;                 // the variant installed
    bool ok = true;
    std::string error;              // when !ok
    std::optional<std::string> errno_name;  // the errno a system call refused it with ("EROFS")
    std::optional<bool> same_file;  // the path's (st_dev, st_ino) before and after
    std::optional<FileIdentity> identity_before, identity_after;
    std::string library_layer_after;  // overlayfs: "lower" or "upper"; "" elsewhere
    std::optional<std::string> digest_before, digest_after;
    std::optional<bool> content_changed;    // the bytes at the path differ after the update
    std::optional<bool> new_variant_bytes;  // the path holds the new variant's bytes (padded or not)
    std::vector<std::string> actions;       // what was done, literally
    std::vector<CommandResult> commands;    // the commands run
    // What strace saw the updater do to libfoo.so; nullopt when not traced (the reason in
    // path_syscalls_unavailable when tracing was asked for).
    std::optional<std::vector<std::string>> path_syscalls;
    std::optional<std::string> path_syscalls_unavailable;
    long path_probes = 0, path_missing_observations = 0;
    std::int64_t elapsed_ns = 0;
    std::int64_t t_ns = -1;  // when it began (timeline time)
    bool path_missing() const { return path_missing_observations > 0; }
};

// Free space around the update and around each host's exit: what an unlinked, still mapped
// library holds, and gives back.
struct DiskRelease {
    std::string host;
    long long free_before = 0, free_after = 0, released_bytes = 0;
};
struct DiskRecord {
    std::string filesystem;
    std::optional<long long> library_bytes, free_before_update, free_after_update, held_bytes, released_bytes;
    std::vector<DiskRelease> releases;
};

// An etxtbsy step's probes, in the order made: executable, library, interpreter.
using WriteProbes = std::vector<std::pair<std::string, WriteProbe>>;

// A version's table of contents: every sized function of its libfoo.so, where it starts in the
// file and how long it is, read by the runner (symbols.h) from the installed file before any host
// started, and from the new variant. What a picture of the two books is drawn from.
struct LibraryLayout {
    std::string variant;
    std::vector<SymbolTable::Entry> functions;  // by offset
    std::string error;                          // why there is no table; "" when there is one
    // A user's own edition (engine/user_edition.h): its file, how it was built, and what each
    // chapter answered when probed ("mine1 101", or how the probe's process ended: "died of SIGABRT").
    std::string file, built;
    std::vector<std::string> answers;
};

struct RunRecord {
    // The scenario, as the result names it.
    std::string scenario_name, scenario_title, scenario_file, scenario_seed, from, to;
    Binding binding = Binding::lazy;
    Environment environment;
    std::string sandbox_dir;
    bool sandbox_kept = false;
    std::optional<FileIdentity> installed;  // libfoo.so as installed (the "from" variant)
    std::optional<LibraryLayout> layout_from, layout_to;
    std::optional<UpdateObservation> update;
    std::map<std::string, HostRecord> hosts;  // by name
    std::vector<Observation> observations;
    std::optional<DiskRecord> disk;
    std::optional<WriteProbes> etxtbsy;
    std::optional<Sharing> sharing;  // from process1's and process2's last "pages"
    std::vector<std::string> broken;  // what broke that must work (-> BROK)
    std::string not_available;        // why this run could not be made here at all (-> CONF)
    std::optional<Expectation> expectation;  // the one that applied here
    Outcome outcome = Outcome::BROK;
    std::string reason;
    std::int64_t duration_ns = 0;
    std::vector<TimelineEvent> timeline;
    std::optional<size_t> quit_before_step;  // classroom mode: the user ended the run before this step

    std::int64_t update_ns() const { return update ? update->t_ns : -1; }
    const HostRecord* host(const std::string& name) const
    {
        auto found = hosts.find(name);
        return found == hosts.end() ? nullptr : &found->second;
    }
};

// A scenario's result: one run per binding it asks for (most ask for one), and the worst outcome.
struct ScenarioResult {
    std::vector<RunRecord> runs;
    Outcome outcome = Outcome::BROK;
    std::string reason;
    const RunRecord& first() const { return runs.front(); }
    // Ended by the user in classroom mode (lab run --step): nothing to judge or write.
    bool quit() const { return !runs.empty() && runs.back().quit_before_step.has_value(); }
};

}  // namespace lab
