// report_bench.cc — `lab report` over every scenario's result (issue 12: under 1 s for all the
// results of `make -f Makefile.demo scenarios`), against reading the same files alone (the
// baseline: what parsing the JSON costs before anything is drawn).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "input/json_input.h"
#include "pages/report.h"
#include "result/result_file.h"
#include "result/result_json.h"
#include "scenario/catalogue.h"
#include "scenario/scenario.h"
#include "engine/run.h"
#include "system/paths.h"
#include "system/sandbox.h"

namespace {

// Every scenario run once, its result written into `dir`; the files.
std::vector<std::string> all_results(const std::string& dir)
{
    const lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(LAB_SOURCE_DIR "/scenarios")) {
        if (entry.path().extension() != ".json") continue;
        lab::Scenario scenario = lab::load_scenario(entry.path().string(), catalogue);
        files.push_back(dir + "/" + scenario.name + ".json");
        lab::write_result_atomically(files.back(), lab::to_json(lab::run_scenario(scenario, catalogue, paths, lab::RunOptions{})));
    }
    return files;
}

void report_all_results(benchmark::State& state)
{
    lab::Sandbox scratch;
    const std::vector<std::string> files = all_results(scratch.dir());
    const lab::ReportFormat format = state.range(0) ? lab::ReportFormat::markdown : lab::ReportFormat::html;
    for (auto _ : state) benchmark::DoNotOptimize(lab::write_report(files, scratch.path("report"), format));
    state.counters["results"] = static_cast<double>(files.size());
}

void read_all_results(benchmark::State& state)
{
    lab::Sandbox scratch;
    const std::vector<std::string> files = all_results(scratch.dir());
    for (auto _ : state)
        for (const auto& file : files) benchmark::DoNotOptimize(lab::load_json_input(file));
    state.counters["results"] = static_cast<double>(files.size());
}

}  // namespace

BENCHMARK(read_all_results)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(report_all_results)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(20)->Repetitions(3)->ReportAggregatesOnly(true);
