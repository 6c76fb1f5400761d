// scenario_parts.h — the scenario parser's pieces, internal to scenario/: the steps
// (scenario_steps.cc) and the expectations (scenario_expect.cc); scenario.cc reads the rest.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "input/json_fields.h"
#include "scenario/scenario.h"

namespace lab::scenario_parts {

Step parse_step(const Fields& step, int chapters);
// The order of steps must make sense: start before call, at most one update, no call after stop.
void check_step_order(const std::string& file, const std::vector<Step>& steps);

// `started`: the hosts the steps start; `has_update`: whether a step updates.
Expectation parse_expectation(const Fields& fields, const std::set<std::string>& started, bool has_update);
// An expectation the steps give nothing to compare with could never pass: refused now, not as a
// FAIL after the run.
void check_observable(const std::string& file, const std::string& where, const Expectation& expectation,
                      const std::vector<Step>& steps);

}  // namespace lab::scenario_parts
