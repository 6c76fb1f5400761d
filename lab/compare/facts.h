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

// The facts of a whole result file, of any kind above; throws ScenarioError (one line naming the
// file and the field) for a file that is none of them.
ResultFacts read_result_facts(const std::string& file);

}  // namespace lab
