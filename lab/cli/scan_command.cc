// scan_command.cc — lab scan: the processes running on libraries that were replaced or overwritten
// in place (scan/scan.h), as a table, JSON (--json) or needrestart's batch lines (--batch).
#include <cstdio>

#include "cli/commands.h"
#include "input/input_error.h"
#include "scan/scan.h"

namespace cli {

int scan(const std::vector<int>& pids, bool json, bool batch)
{
    if (json && batch) throw lab::ScenarioError("--json", "", "and --batch cannot be given together");
    std::vector<pid_t> targets(pids.begin(), pids.end());
    for (pid_t pid : targets) {  // a process named on the command line must be there and readable
        if (pid <= 0) throw lab::ScenarioError("--pid", "", std::to_string(pid) + " is not a process id");
        bool gone = false;
        if (!lab::scan_process(pid, &gone))
            throw lab::ScenarioError("--pid", "", std::to_string(pid) + (gone ? ": no such process" : ": its /proc/PID/maps cannot be read by this user"));
    }
    lab::ScanResult result = lab::scan_processes(targets);
    if (json) std::printf("%s\n", result.to_json().dump(2).c_str());
    else if (batch) std::fputs(lab::scan_batch(result).c_str(), stdout);
    else std::fputs(lab::scan_table(result).c_str(), stdout);
    return result.processes.empty() ? 0 : 1;
}

}  // namespace cli
