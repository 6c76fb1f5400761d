// lab_main.h — what the lab's executables do with a command line: parse it, run the command or
// hand it to the executable that has it, turn errors into one line and an exit code (commands.h).
//
// `lab` holds the runner and the commands a run needs (run, list, check); the campaigns (claims,
// survey, matrix) are in `lab-campaigns` and the pictures (report) in `lab-report`, beside it. A
// command given to the wrong one is handed over with exec: the same process, pid and signals, so
// `lab claims` is what users type either way. A first scenario builds `lab` alone, in half the
// time (docs/development.md).
#pragma once

#include <string>

#include "cli/arguments.h"

namespace cli {

// "lab", "lab-campaigns" or "lab-report".
std::string executable_of(const std::string& command);

// Runs a command this executable has.
using Commands = int (*)(const Arguments& arguments);

int lab_main(int argc, char** argv, const std::string& self, Commands commands);

// The commands of `lab` (commands.cc).
int lab_commands(const Arguments& arguments);

}  // namespace cli
