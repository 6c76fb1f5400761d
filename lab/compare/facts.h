// facts.h — what `lab compare` compares: the facts a result file states, named by case and field.
//
// A result of `lab run` is one case per run ("inplace"; "lazy-vs-now [now]" for one binding of
// several); `lab matrix` one per scenario and file system ("inplace@ext4"); `lab libcs` one per
// scenario and libc ("dlopen-cache@musl"); `lab kernels` one per scenario and kernel; `lab survey`
// one per updater ("updater:cp"); `lab claims` one per claim ("claim: ..."). Each case is
// a set of fields ("hosts.process1.verdict" = "crashed"). Decisive fields are verdicts and
// outcomes: the outcome, each host's verdict, signal, si_code, how it ended, where a crash landed
// and which versions answered after the update, and the update's same_file and errno. Observations
// (faults, pages in the page cache) are compared and shown, but numbers that vary from run to run
// never decide.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace lab {

using Facts = std::map<std::string, std::string>;  // field -> value, "" for none

struct ResultFacts {
    std::string file;
    std::string kind;  // "run", "matrix", "survey", "claims", "libcs", "kernels"
    // The environment, as "key" -> "value" lines, in the order shown.
    std::vector<std::pair<std::string, std::string>> environment;
    std::map<std::string, Facts> cases;
};

// Whether a field decides (a verdict or outcome) or is an observation.
bool decisive(const std::string& field);

// The facts of one run's result (a "libfoo-lab/result/1" run object, or one binding's run).
Facts facts_of_run(const nlohmann::ordered_json& run);
// The cases of a "libfoo-lab/result/1" document: {"inplace": ...}, or one per binding
// {"lazy-vs-now [lazy]": ..., "lazy-vs-now [now]": ...}.
std::map<std::string, Facts> cases_of_result(const nlohmann::ordered_json& result);

// The facts of every case of a result in one map, the binding in front of each field of a
// scenario run once per binding ("[lazy] hosts.process1.verdict"): one cell of a campaign.
Facts merged_facts(const nlohmann::ordered_json& result);

// A campaign cell in a few words: the status, each host's verdict (per binding where there are
// several), then how a host ended when it did not end cleanly: "PASS kept-old, exit hung".
std::string cell_summary(const std::string& status, const Facts& facts);

// Where the cells of one row of a campaign (a scenario under each libc or kernel) disagree:
// "hosts.process2.versions_after_update: v1 v1 v2 v2 (glibc), v2 v2 v2 v2 (musl)" for each
// decisive field that differs, "-" where a cell lacks it; with `observations`, each observation
// (page-cache and fault figures, which never decide) instead. Fewer than two cells differ in nothing.
std::vector<std::string> differing_facts(const std::vector<std::pair<std::string, const Facts*>>& cells, bool observations = false);

// The facts of a whole result file, of any kind above; throws ScenarioError (one line naming the
// file and the field) for a file that is none of them.
ResultFacts read_result_facts(const std::string& file);

}  // namespace lab
