// scenario_bench.cc — how long the scenarios take: as a user's command (`lab run ... --quiet`),
// beside a floor program doing the same work with nothing observed (inplace_floor.c), and
// in-process (the runner library alone), with glibc's hosts and musl's. Targets (issue 2): inplace median <= 10 ms wall;
// rm-then-build <= the link time (BM_LinkLibfooWithCc) + 10 ms. And the file-system matrix (issue 5).
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "scenario/catalogue.h"
#include "base/files.h"
#include "system/child.h"
#include "system/paths.h"
#include "engine/run.h"
#include "system/sandbox.h"
#include "scenario/scenario.h"

namespace {

const lab::Paths& paths()
{
    static const lab::Paths located = lab::Paths::locate();
    return located;
}

std::string scenario_file(const std::string& name) { return LAB_SOURCE_DIR "/scenarios/" + name + ".json"; }

// `lab run FILE --quiet --out TMP [--size SIZE]`, wall time of the whole command.
void lab_command(benchmark::State& state, const std::string& name, const std::string& size = "")
{
    lab::Sandbox scratch;  // for the result file only
    std::vector<std::string> argv = {paths().bin_dir + "/lab", "run", scenario_file(name), "--quiet",
                                     "--out", scratch.path("result.json")};
    if (!size.empty()) {
        auto needed = lab::parse_size(size);
        auto free = lab::free_bytes(scratch.dir());
        if (!needed || !free || *free < 3 * *needed) {
            state.SkipWithError(("not enough free space for two copies of a " + size + " library").c_str());
            return;
        }
        argv.insert(argv.end(), {"--size", size});
    }
    for (auto _ : state) {
        lab::CommandResult result = lab::run_command(argv, scratch.dir(), std::chrono::seconds(60));
        if (!result.ok()) state.SkipWithError(("lab run failed: " + result.err + result.out).c_str());
    }
}

void in_process(benchmark::State& state, const std::string& name, lab::Libc libc = lab::Libc::glibc)
{
    const lab::Paths hosts = paths().with_libc(libc);
    if (const std::string missing = hosts.hosts_missing(); !missing.empty()) {
        state.SkipWithError(missing.c_str());
        return;
    }
    lab::Catalogue catalogue = lab::Catalogue::load(paths().libfoo_dir);
    lab::Scenario scenario = lab::load_scenario(scenario_file(name), catalogue);
    for (auto _ : state) {
        lab::ScenarioResult result = lab::run_scenario(scenario, catalogue, hosts, lab::RunOptions{});
        if (result.outcome != lab::Outcome::PASS) state.SkipWithError(result.reason.c_str());
    }
}

// `lab matrix [--fs FS]`: every file system made, used by the four scenarios and undone (root).
void lab_matrix(benchmark::State& state, const std::string& filesystem)
{
    if (geteuid() != 0) {
        state.SkipWithError("lab matrix mounts file systems: needs root");
        return;
    }
    lab::Sandbox scratch;  // its working directory: results/matrix.json goes there
    std::vector<std::string> argv = {paths().bin_dir + "/lab", "matrix"};
    if (!filesystem.empty()) argv.insert(argv.end(), {"--fs", filesystem});
    for (auto _ : state) {
        lab::CommandResult result = lab::run_command(argv, scratch.dir(), std::chrono::seconds(120));
        if (!result.ok()) state.SkipWithError(("lab matrix failed: " + result.err + result.out).c_str());
    }
}

void BM_LinkLibfooWithCc(benchmark::State& state)
{
    lab::Sandbox scratch;
    const lab::Catalogue catalogue = lab::Catalogue::load(paths().libfoo_dir);
    const lab::Variant* v2 = catalogue.find("v2");
    lab::copy_file(v2->object, scratch.path("foo-v2.o"), 0644);
    for (auto _ : state) {
        auto result = lab::run_command({"cc", "-shared", "-o", "libfoo.so", "foo-v2.o"}, scratch.dir(), std::chrono::seconds(60));
        if (!result.ok()) state.SkipWithError(result.err.c_str());
    }
}

// The floor (inplace_floor.c): the same hosts and libraries, the same work, nothing observed.
std::vector<std::string> floor_command()
{
    return {INPLACE_FLOOR, paths().bin_dir, paths().libfoo_dir};
}

void floor_program(benchmark::State& state)
{
    lab::Sandbox scratch;
    for (auto _ : state) {
        lab::CommandResult result = lab::run_command(floor_command(), scratch.dir(), std::chrono::seconds(60));
        if (!result.spawn_error.empty() || result.timed_out) state.SkipWithError("the floor program failed");
    }
}

double milliseconds_of(const std::vector<std::string>& argv, const std::string& cwd)
{
    auto start = std::chrono::steady_clock::now();
    lab::run_command(argv, cwd, std::chrono::seconds(60));
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// `lab run scenarios/inplace.json --quiet` and the floor, one after the other in every iteration
// (so the machine's mood weighs on both alike); the time is lab's, and the counters give the
// medians and their ratio (issue 11: ratio <= 1.5).
void lab_run_over_floor(benchmark::State& state)
{
    lab::Sandbox scratch;
    const std::vector<std::string> lab = {paths().bin_dir + "/lab", "run", scenario_file("inplace"), "--quiet", "--out",
                                          scratch.path("result.json")};
    std::vector<double> lab_ms, floor_ms;
    for (auto _ : state) {
        floor_ms.push_back(milliseconds_of(floor_command(), scratch.dir()));
        lab_ms.push_back(milliseconds_of(lab, scratch.dir()));
        state.SetIterationTime(lab_ms.back() / 1000);
    }
    auto median = [](std::vector<double> values) {
        std::sort(values.begin(), values.end());
        return values.empty() ? 0.0 : values[values.size() / 2];
    };
    state.counters["lab_ms"] = median(lab_ms);
    state.counters["floor_ms"] = median(floor_ms);
    state.counters["ratio"] = median(floor_ms) > 0 ? median(lab_ms) / median(floor_ms) : 0;
}

}  // namespace

BENCHMARK(floor_program)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(lab_run_over_floor)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(40)->Repetitions(3);
BENCHMARK_CAPTURE(lab_command, inplace, std::string("inplace"))
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(lab_command, rm_then_build, std::string("rm-then-build"))
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(10)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(lab_command, relink, std::string("relink"))
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(10)->Repetitions(5)->ReportAggregatesOnly(true);
// issue 3: with SIZE=1G, the disk-usage run takes <= 3 s.
BENCHMARK_CAPTURE(lab_command, disk_usage_1G, std::string("disk-usage"), std::string("1G"))
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(in_process, inplace, std::string("inplace"))
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(5)->ReportAggregatesOnly(true);
// The same runs with the hosts built for musl (issue 13), beside glibc's: dlopen-cache loads libfoo
// three times in one host, so the loaders' costs show.
BENCHMARK_CAPTURE(in_process, inplace_musl, std::string("inplace"), lab::Libc::musl)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(in_process, dlopen_cache_glibc, std::string("dlopen-cache"), lab::Libc::glibc)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(in_process, dlopen_cache_musl, std::string("dlopen-cache"), lab::Libc::musl)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_LinkLibfooWithCc)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(10)->Repetitions(5)->ReportAggregatesOnly(true);
// issue 5: the whole matrix, and one loop-mounted file system (mkfs, loop, mount, 4 runs, undo).
BENCHMARK_CAPTURE(lab_matrix, all, std::string(""))
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(lab_matrix, xfs, std::string("xfs"))
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3)->Repetitions(5)->ReportAggregatesOnly(true);
