// scan_bench.cc — a scan of the whole machine, against needrestart's (`needrestart -b`) on the
// same machine in the same run: the work an administrator would run after every package upgrade.
// Both as whole commands (a process started, /proc read, the answer printed), and the lab's scan
// also in-process. needrestart missing: its benchmark says so and skips.
#include <benchmark/benchmark.h>

#include <chrono>

#include "scan/scan.h"
#include "system/child.h"
#include "system/paths.h"

namespace {

void run_whole_command(benchmark::State& state, const std::vector<std::string>& argv)
{
    for (auto _ : state) {
        lab::CommandResult result = lab::run_command(argv, "", std::chrono::seconds(60));
        if (!result.spawn_error.empty()) {
            state.SkipWithError((argv.front() + ": " + result.spawn_error).c_str());
            return;
        }
        state.SetIterationTime(static_cast<double>(result.elapsed_ns) / 1e9);
    }
}

void lab_scan_command(benchmark::State& state) { run_whole_command(state, {lab::Paths::locate().bin_dir + "/lab", "scan", "--batch"}); }

void needrestart_batch(benchmark::State& state)
{
    if (!lab::find_program("needrestart")) {
        state.SkipWithError("needrestart is not installed (Debian package needrestart)");
        return;
    }
    run_whole_command(state, {"needrestart", "-b", "-r", "l"});
}

void lab_scan_in_process(benchmark::State& state)
{
    size_t processes = 0;
    for (auto _ : state) processes = lab::scan_processes({}).scanned;
    state.counters["processes"] = static_cast<double>(processes);
}

}  // namespace

BENCHMARK(lab_scan_command)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(needrestart_batch)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(lab_scan_in_process)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(3)->ReportAggregatesOnly(true);
