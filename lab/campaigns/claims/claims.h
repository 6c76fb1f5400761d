// claims.h — the claims ledger: the seed's statements, each judged from the results of the
// scenarios that test it, never typed in.
//
// A ledger file (scenarios/claims/seed.json) lists claims; each has one or more cases:
//   {"scenario": "relink", "when": "with the system linker",
//    "confirmed": [{"path": "update.same_file", "equals": true}],
//    "refuted":   [{"path": "update.same_file", "equals": false}],
//    "evidence":  ["update.same_file", "environment.linker"]}
// A case with "filesystem": "squashfs" is judged from the scenario's run on that file system of
// lab matrix (results keyed "etxtbsy@squashfs"), which needs root; without it the case is CONF.
// A case with "libc": "musl" is judged from the scenario's run with that libc's hosts (results
// keyed "dlopen-cache@musl"); where they were not built, the case is CONF.
// A case with "kernel": "6.1" is judged from the scenario's run in a QEMU guest under the newest
// Debian cloud kernel of that series (lab kernels; results keyed "etxtbsy@linux-6.1"); where that
// kernel cannot be had or booted, the case is CONF or BROK with the reason.
// A path's parts name object keys, or array indexes ("hosts.process2.calls.2.version").
// A condition is {"path", and one of "equals", "not_equals", "at_least", "one_of" (a list)};
// a case is confirmed
// or refuted when all of its conditions hold, and undecided otherwise. The claim is confirmed
// when every case is, refuted when every case is, and "depends" when they disagree (on the
// cases' "when"), when a scenario is missing or gave CONF or BROK (on why).
#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/words.h"
#include "campaigns/matrix/matrix.h"
#include "probe/environment.h"
#include "scenario/catalogue.h"
#include "system/paths.h"
#include "scenario/scenario.h"

namespace lab {

struct ClaimCondition {
    std::string path;  // "hosts.process1.verdict"
    std::string op;    // "equals", "not_equals", "at_least"
    nlohmann::ordered_json value;
};

struct ClaimCase {
    std::string scenario;
    std::string when;  // what this case depends on, for a "depends" verdict
    std::vector<ClaimCondition> confirmed, refuted;
    std::vector<std::string> evidence;  // result paths to quote
    std::string filesystem;  // of lab matrix; "" for the sandbox's own file system
    std::optional<Libc> libc;  // the hosts' libc; nullopt: the default hosts (glibc)
    std::string kernel;        // a series of Debian's kernels, run in a guest ("6.1"); "": the running kernel
    // Its result's name: "etxtbsy", "etxtbsy@squashfs" for a matrix case, "dlopen-cache@musl".
    std::string key() const
    {
        if (!kernel.empty()) return scenario + "@linux-" + kernel;
        return !filesystem.empty() ? scenario + "@" + filesystem : libc ? scenario + "@" + std::string(to_string(*libc)) : scenario;
    }
};

struct Claim {
    std::string claim;  // short, for the ledger's row
    std::string quote;  // the seed's words
    std::vector<ClaimCase> cases;
};

struct ClaimVerdict {
    std::string claim, quote;
    ClaimStatus status = ClaimStatus::depends;
    std::vector<std::string> scenarios;
    std::string reason;
    std::vector<std::string> evidence;  // "relink: update.same_file = false"
    nlohmann::ordered_json to_json() const;
};

// Reads a ledger file; throws ScenarioError (file, field, problem) when it is malformed.
std::vector<Claim> load_claims(const std::string& path);
// The same from the file's text (`path` names it in errors).
std::vector<Claim> parse_claims(const std::string& path, const std::string& text);
// The scenarios the claims need, each once, in order of first mention.
std::vector<std::string> scenarios_of(const std::vector<Claim>& claims);
// The matrix file systems the claims need, each with the scenarios to run there.
std::map<std::string, std::vector<std::string>> matrix_cases_of(const std::vector<Claim>& claims);
// Runs the cases that name a file system, with lab matrix, and returns their cells keyed
// "scenario@fs", in the matrix's order (a cell's `result` is the run's result file, or null when
// the cell could not run). Call it before anything starts a thread: the matrix enters a mount
// namespace of its own.
std::vector<std::pair<std::string, MatrixCell>> run_matrix_cases(const std::vector<Claim>& claims,
                                                                 const std::vector<Scenario>& scenarios,
                                                                 const Catalogue& catalogue, const Paths& paths);
// The (scenario, libc) pairs of the cases that name a libc, each once, in order of first mention.
std::vector<std::pair<std::string, Libc>> libc_cases_of(const std::vector<Claim>& claims);
// The (scenario, kernel series) pairs of the cases that name a kernel, each once.
std::vector<std::pair<std::string, std::string>> kernel_cases_of(const std::vector<Claim>& claims);
// Judges every claim from the results (by scenario name; a missing name means not run).
std::vector<ClaimVerdict> judge_claims(const std::vector<Claim>& claims,
                                       const std::map<std::string, nlohmann::ordered_json>& results);

// The claims ledger, one claim a block: status, claim, the seed's words, the evidence.
void print_claims(std::FILE* out, const std::vector<ClaimVerdict>& verdicts, const std::string& environment);
// The environment the claims were judged in, in a line: "Linux 6.1.0, glibc 2.36, GNU ld ..., ext4, as root".
std::string environment_line(const Environment& environment);
// results/claims.json: the ledger file, the environment line and every verdict.
nlohmann::ordered_json ledger_json(const std::string& ledger, const std::string& environment,
                                   const std::vector<ClaimVerdict>& verdicts);

}  // namespace lab
