// classroom.h — `lab run --step`: before each step, what is about to happen and why, and the
// commands the class can type in another terminal to see for themselves; then the run waits for
// Enter (q and Enter ends it: hosts stopped, sandbox removed, nothing written).
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include "engine/run.h"

namespace cli {

// What a step is about to do, in one sentence: "process1 calls chapters 1 2 3 4 5 6 7 8."
std::string describe_step(const lab::Step& step);

// Prints to `out`, reads the answer from `in`.
std::function<bool(const lab::StepPause&)> classroom_pauses(std::FILE* out, std::FILE* in);

}  // namespace cli
