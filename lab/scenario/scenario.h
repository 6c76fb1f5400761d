// scenario.h — a scenario file (scenarios/NAME.json): what to run and what is expected.
//
//   {
//     "schema": "libfoo-lab/scenario/1",
//     "name": "inplace",                      // = the file's name without .json
//     "title": "...", "description": "...",   // for the classroom
//     "seed": "...",                          // the sentence of the seed answer it tests
//     "library": {"from": "v1", "to": "v2"},  // variants from build/libfoo/catalogue.json;
//                                             // "pad_to": "64M" makes every libfoo.so that large
//     "timeout_ms": 1000,                     // optional: how long a host may take to answer
//     "binding": "lazy",                      // optional: "lazy", "now", or ["lazy", "now"]
//     "steps": [ {"start": "process1"},
//                {"call": "process1", "chapters": [1, 2, 5]},
//                {"update": "inplace"},                // at most one; or an updater of your own:
//                    {"update": {"name": "deploy", "command": "cp {new} {path}"}}
//                {"observe": "process1", "what": ["pages", "smaps", "faults", "page_cache"]},
//                {"evict": "libfoo.so"},               // drop its pages from the page cache
//                {"start": "process2", "mode": "dlopen"},  // or "dlopen-copy"; then:
//                {"dlopen": "process2", "copy": false}, {"dlclose": "process2"},
//                {"etxtbsy": "process1"},              // open its files for writing (write_probe.h)
//                {"stop": "process1"},  ... ],      // any step may add "why": "..."
//     "expect": [ {"when": {...}, "same_file": true,
//                  "hosts": {"process1": {"verdict": "crashed", "signal": "SIGSEGV",
//                                         "mapping_deleted": false, "at_exit": "clean",
//                                         "calls_after_update": 4,
//                                         "read_the_disk": true}},   // a major fault after evict
//                  "sharing": {"readonly": "all-same", "writable": "all-different"}} ]
//   }
// "expect" is one object or a list; the first whose "when" holds here applies. "when" may say
// kernel_at_least, kernel_below ("6.11.11"), root (true/false), linker_contains ("GNU ld"),
// binding ("lazy", "now"), filesystem ("squashfs" or a list) and layer ("lower", "upper": where
// libfoo.so was on an overlayfs). "update_errno": "EROFS" expects the update to be refused.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "input/input_error.h"
#include "base/words.h"

namespace lab {

class Catalogue;

// A scenario's name: lower-case letters, digits and dashes, not starting with a dash, at most
// max_name_length of them (it names the result file and appears in every table).
constexpr std::size_t max_name_length = 64;
bool is_scenario_name(const std::string& name);
// The most calls_after_update an expectation may name: more than any scenario makes.
constexpr long long max_calls = 1000000;

struct Step {
    enum class Kind { start, call, update, stop, observe, evict, dlopen, dlclose, etxtbsy } kind = Kind::start;
    std::string host;           // start, call, stop, observe
    std::vector<int> chapters;  // call
    Strategy strategy = Strategy::inplace;  // update
    std::string command;        // update with "command": the shell command (placeholders: update_command.cc)
    bool trace = false;         // update with "command": record its system calls on libfoo.so (lab survey)
    std::vector<std::string> what;  // observe: of "pages", "smaps", "faults", "page_cache"
    std::string label;          // observe: a name for this observation in the result
    HostMode mode = HostMode::linked;  // start: how it reaches libfoo (dlopen modes: process2 only)
    bool copy = false;          // dlopen: open a copy of libfoo.so under a unique name
    std::string why;            // optional words for the transcript
};

// What an observe step can look at; all of them when it does not say.
const std::vector<std::string>& observable_things();

struct Condition {
    std::optional<std::string> kernel_at_least, kernel_below;
    std::optional<bool> root;
    std::optional<std::string> linker_contains;
    std::optional<Binding> binding;  // the run's binding
    std::optional<Libc> libc;        // the libc the hosts ran on (environment.libc says which)
    // File system types the sandbox may be on, as /proc/self/mountinfo names them ("squashfs");
    // one of them must match. Empty: any.
    std::vector<std::string> filesystems;
    // On overlayfs: "lower" or "upper", the layer libfoo.so was in when it was installed.
    std::optional<std::string> layer;
    bool empty() const
    {
        return !kernel_at_least && !kernel_below && !root && !linker_contains && !binding && !libc && filesystems.empty() && !layer;
    }
};

struct HostExpectation {
    Verdict verdict = Verdict::kept_old;
    std::optional<bool> mapping_deleted;
    std::optional<std::string> signal;   // "SIGSEGV"
    std::optional<std::string> si_code;  // "BUS_ADRERR"
    std::optional<AtExit> at_exit;  // clean, crashed or hung: how it went when asked to quit
    std::optional<int> calls_after_update;  // answered calls between the update and the end
    // The versions that answered the calls made after the update, in order ("v1", "v2"; "wrong"
    // for an answer neither gives, "none" for no answer): which version each call reached.
    std::optional<std::vector<std::string>> versions_after_update;
    // A touch after the evict step read the disk: a major fault between the eviction and the
    // host's last observation of "faults" (false on tmpfs, where nothing can be evicted).
    std::optional<bool> read_the_disk;
};

// Page sharing between process1 and process2, from their last "pages" observations.
struct SharingExpectation {
    SharingPattern readonly = SharingPattern::all_same;
    SharingPattern writable = SharingPattern::all_different;
};

// Disk space held by an unlinked but mapped library, and given back when its user exits.
struct DiskExpectation {
    double tolerance = 0.10;  // held_bytes and released_bytes within this fraction of the size
};

struct Expectation {
    Condition when;
    std::string note;
    std::optional<std::string> update_errno;  // the update is refused with this errno ("EROFS")
    std::optional<bool> same_file;
    std::optional<bool> content_changed;  // the file's bytes differ after the update
    std::optional<bool> path_missing;     // an open of the path failed (ENOENT) during the update
    std::map<std::string, HostExpectation> hosts;
    std::optional<SharingExpectation> sharing;
    std::optional<DiskExpectation> disk;
    // What open(O_WRONLY) gives on a running host's files: "ETXTBSY", or null when it opened.
    std::map<std::string, std::optional<std::string>> etxtbsy;  // executable, library, interpreter
};

struct Scenario {
    std::string file;
    std::string name, title, description, seed;
    std::string from, to;
    long long pad_to = 0;  // bytes; 0: the libraries as built
    int timeout_ms = 1000;
    // How the hosts bind their calls into libfoo (words.h). Two bindings run the steps twice,
    // side by side.
    std::vector<Binding> bindings = {Binding::lazy};
    std::vector<Step> steps;
    std::vector<Expectation> expect;
};

// The hosts a scenario may start; each is an executable beside the runner.
const std::vector<std::string>& known_hosts();
// The hosts its steps start.
std::set<std::string> started_hosts(const Scenario& scenario);

// Reads and checks a scenario; throws ScenarioError for any problem, before anything runs.
Scenario load_scenario(const std::string& path, const Catalogue& catalogue);
// Whether a library.from/to value names a user's own edition (a C source or a shared object, by
// a path: it has a '/', or ends in .c or .so) rather than a built-in variant. The parser makes
// such a value the file's absolute path; engine/user_edition.h builds and probes it.
bool names_a_file(const std::string& reference);
Scenario parse_scenario(const std::string& path, const std::string& text, const Catalogue& catalogue);
// The same from a document parse_json_input() read (json_input.h).
Scenario parse_scenario_document(const std::string& path, const nlohmann::ordered_json& document, const Catalogue& catalogue);

}  // namespace lab
