// run.h — running one scenario: a fresh sandbox, v1 installed as libfoo.so, the steps, the
// observations, the verdicts, and the comparison with the expectation; nothing outlives it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "catalogue.h"
#include "paths.h"
#include "scenario.h"
#include "timeline.h"
#include "verdict.h"

namespace lab {

struct RunOptions {
    bool keep = false;          // keep the sandbox directory (hosts are stopped all the same)
    int stop_after_step = -1;   // raise SIGSTOP after this step (0-based), for a debugger or a test
    long long library_size = 0; // pad every libfoo.so to this many bytes (overrides library.pad_to)
    Narrator* narrator = nullptr;
};

struct RunResult {
    Outcome outcome = Outcome::BROK;
    std::string reason;
    nlohmann::ordered_json json;  // the result file's contents (results/README.md)
};

RunResult run_scenario(const Scenario& scenario, const Catalogue& catalogue, const Paths& paths,
                       const RunOptions& options);

}  // namespace lab
