// judge.h — comparing what was observed with what the scenario expects, afterwards.
// The expectation never shapes an observation: the hosts' verdicts are drawn first, from what was
// observed of them (host_record.h), then the first expectation whose condition holds in this
// environment is compared with the record.
#pragma once

#include <string>

#include "probe/environment.h"
#include "result/run_record.h"
#include "scenario/scenario.h"

namespace lab {

// Whether `condition` holds here; when not, `why_not` says which part failed.
bool condition_holds(const Condition& condition, const Environment& environment, std::string* why_not);

// Judges every host, then the run: sets run->expectation (the one that applied), run->outcome
// and run->reason.
void judge_run(const Scenario& scenario, RunRecord* run);

}  // namespace lab
