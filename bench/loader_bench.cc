// loader_bench.cc — what the dynamic loader costs here: dlopen + dlsym + dlclose of libfoo, and
// the first call through a PLT slot resolved lazily versus at load time (-z now).
// loader-facts.md measured 55 us, and ~0.3 us / ~0.05 us, on this kind of machine.
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <chrono>
#include <string>

#include "scenario/catalogue.h"
#include "system/paths.h"

namespace {

std::string libfoo_v1() { return lab::Catalogue::load(lab::Paths::locate().libfoo_dir).find("v1")->shared_object; }

void BM_DlopenDlsymDlclose(benchmark::State& state)
{
    const std::string path = libfoo_v1();
    for (auto _ : state) {
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            state.SkipWithError(dlerror());
            break;
        }
        benchmark::DoNotOptimize(dlsym(handle, "foo_chapter1"));
        dlclose(handle);
    }
}
BENCHMARK(BM_DlopenDlsymDlclose)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);

// Times only the first call after a fresh dlopen of the caller library; libfoo itself stays
// loaded (held by `keep`), so a lazy first call pays the symbol lookup and nothing else.
void first_call(benchmark::State& state, const char* caller)
{
    void* keep = dlopen(libfoo_v1().c_str(), RTLD_NOW | RTLD_GLOBAL);
    for (auto _ : state) {
        void* handle = dlopen(caller, RTLD_LAZY | RTLD_LOCAL);
        auto call = handle ? reinterpret_cast<long (*)()>(dlsym(handle, "plt_caller_call")) : nullptr;
        if (!call) {
            state.SkipWithError(dlerror());
            break;
        }
        auto start = std::chrono::steady_clock::now();
        long value = call();
        auto end = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(value);
        state.SetIterationTime(std::chrono::duration<double>(end - start).count());
        dlclose(handle);
    }
    if (keep) dlclose(keep);
}
// A fixed count: with manual time, the default run lasts until 0.5 s of *measured* time, which
// would be millions of dlopen/dlclose cycles around a sub-microsecond call.
BENCHMARK_CAPTURE(first_call, lazy_plt, PLT_CALLER_LAZY)
    ->UseManualTime()->Unit(benchmark::kNanosecond)->Iterations(3000)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(first_call, bind_now, PLT_CALLER_NOW)
    ->UseManualTime()->Unit(benchmark::kNanosecond)->Iterations(3000)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
