// arguments.h — the lab command line, parsed once (CLI11) for both executables: `lab` and
// `lab-campaigns` (main.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace cli {

// Every subcommand's options; `command` names the one given.
struct Arguments {
    std::string command;  // run, list, check, compare, scan, claims, survey, matrix, libcs, kernels or report
    RunArguments run;
    std::string list_dir, ledger, claims_out, survey_out, stop_on, matrix_out, claims_junit, survey_junit, matrix_junit;
    std::string libcs_out, libcs_junit, kernels_out, kernels_junit, survey_from, survey_to;
    std::vector<std::string> kernels, kernel_scenarios;
    std::vector<std::string> check_files, compare_files, updaters, filesystems, report_files;
    std::string report_out, report_format = "html";
    bool narrate = false, claims_kernels = false, scan_json = false, scan_batch = false;
    std::vector<int> scan_pids;
};

// The arguments, or the exit code when there is nothing to run: 0 after --help, 2 after a usage
// error (one line on stderr that names the bad word).
std::optional<Arguments> parse_arguments(int argc, char** argv, int& exit_code);


}  // namespace cli
