// run.h — running one scenario: a fresh sandbox, v1 installed as libfoo.so, the steps, the
// observations, the verdicts, and the comparison with the expectation; nothing outlives it.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>

#include "scenario/catalogue.h"
#include "system/paths.h"
#include "scenario/scenario.h"
#include "engine/timeline.h"
#include "result/run_record.h"

namespace lab {

// Where a run stands before one of its steps (classroom mode).
struct StepPause {
    size_t index = 0, count = 0;  // the step about to run (0-based), of how many
    const Step* step = nullptr;
    std::string sandbox_dir;
    std::map<std::string, pid_t> hosts;  // the hosts running now, by name
};

struct RunOptions {
    bool keep = false;          // keep the sandbox directory (hosts are stopped all the same)
    int stop_after_step = -1;   // raise SIGSTOP after this step (0-based), for a debugger or a test
    long long library_size = 0; // pad every libfoo.so to this many bytes (overrides library.pad_to)
    // Run in this existing directory instead of a new one; install_library() has already put the
    // scenario's files there (on a file system prepared for it: lab matrix). Its owner removes it.
    std::string sandbox_dir;
    Narrator* narrator = nullptr;
    // Classroom mode (lab run --step): called before each step; returning false ends the run
    // there (hosts stopped, sandbox removed; the record says where: RunRecord::quit_before_step).
    // Between steps the hosts are running, not stopped.
    std::function<bool(const StepPause& pause)> before_step;
};

// Puts what a run of `scenario` starts from into `dir`: libfoo.so (the "from" variant, padded to
// `pad_to` bytes when that is not 0) and, when the update links, the new variant's object file.
// Returns the bytes of libfoo.so; throws std::system_error naming the path on failure.
long long install_library(const std::string& dir, const Scenario& scenario, const Catalogue& catalogue, long long pad_to);

// Runs the scenario once per binding it asks for; result_json.h writes what it returns.
ScenarioResult run_scenario(const Scenario& scenario, const Catalogue& catalogue, const Paths& paths,
                       const RunOptions& options);

}  // namespace lab
