// lab_main.h — what both executables do with a command line: parse it, run the command, turn
// errors into one line and an exit code (commands.h).
//
// `lab` holds the runner and the commands a run needs (run, list, check); the campaigns (claims,
// survey, matrix) are in `lab-campaigns`, beside it, to which `lab` hands their command lines
// with exec: the same process, pid and signals, so `lab claims` is what users type either way. A
// first scenario builds `lab` alone, in half the time (docs/development.md).
#pragma once

#include "cli/arguments.h"

namespace cli {

// Runs a campaign: in `lab`, by exec'ing lab-campaigns with argv; in lab-campaigns, itself.
using CampaignEntry = int (*)(const Arguments& arguments, char** argv);

int lab_main(int argc, char** argv, CampaignEntry campaigns);

}  // namespace cli
