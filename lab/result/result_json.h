// result_json.h — the one place a run's typed result becomes the result file's JSON, whose keys
// are a contract with users (results/README.md): "nothing observed" is null, never "" or a
// missing key, except where the README says a key appears only when it applies.
#pragma once

#include <nlohmann/json.hpp>

#include "result/run_record.h"
#include "scenario/scenario.h"

namespace lab {

// The result file: one run's record with its "binding", or, for a scenario run once per
// binding, every run under "runs" and the hosts side by side.
nlohmann::ordered_json to_json(const ScenarioResult& result);
nlohmann::ordered_json to_json(const RunRecord& run);
nlohmann::ordered_json to_json(const Expectation& expectation);
nlohmann::ordered_json to_json(const Environment& environment);

}  // namespace lab
