// expectation.h — comparing what was observed with what the scenario expects, afterwards.
// The expectation never shapes an observation: verdicts are drawn first (host_record.h), then
// the first expectation whose condition holds in this environment is compared with them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/environment.h"
#include "result/host_record.h"
#include "scenario/scenario.h"

namespace lab {

struct Observed {
    std::optional<bool> same_file;            // nullopt when the update never happened
    std::optional<bool> content_changed;      // nullopt when unknown (no update, or too large)
    std::optional<bool> new_variant_bytes;    // the path holds the new variant's bytes after the update
    std::optional<bool> path_missing;         // the prober found no file at the path during the update
    std::map<std::string, HostRecord> hosts;  // by host name
    std::vector<std::string> broken;          // what broke that must work (-> BROK)
    // A failed update: what failed, and the errno name when a system call refused it ("EROFS").
    // BROK, unless the expectation that applies says the update is refused with that errno.
    std::optional<std::string> update_error, update_errno;
    nlohmann::ordered_json sharing = nullptr; // observation.h's sharing_summary, when taken
    nlohmann::ordered_json disk = nullptr;    // run.cc's disk record: held and released bytes
    nlohmann::ordered_json etxtbsy = nullptr; // write_probe.h's probes, by what was probed
};

struct Judgement {
    Outcome outcome = Outcome::BROK;
    std::string reason;
    const Expectation* applied = nullptr;
};

// Whether `condition` holds here; when not, `why_not` says which part failed.
bool condition_holds(const Condition& condition, const Environment& environment, std::string* why_not);
Judgement judge_outcome(const Scenario& scenario, const Environment& environment, const Observed& observed);
nlohmann::ordered_json to_json(const Expectation& expectation);

}  // namespace lab
