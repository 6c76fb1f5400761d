// fault_bench.cc — what touching a page of libfoo's mapping costs: a minor fault (the page is
// in the page cache) and a major fault (it was evicted, so the disk is read). Each with the
// kernel's defaults (fault-around maps up to 64 KiB of cached neighbours at once; readahead
// reads ahead), and, for major faults, with MADV_RANDOM, which turns readahead off. The faults
// that really happened are counted (/proc/self/stat), so both the cost per page and the cost per
// fault are reported.
// loader-facts.md: 44 ns per page (amortised by fault-around); major 2.5 us/page with readahead,
// 119 us without.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "scenario/catalogue.h"
#include "base/files.h"
#include "inspect/pages.h"
#include "system/paths.h"
#include "system/sandbox.h"

namespace {

// The paged libfoo padded to `size`, in a scratch directory of its own.
struct LargeLibfoo {
    explicit LargeLibfoo(long long size)
    {
        const lab::Catalogue catalogue = lab::Catalogue::load(lab::Paths::locate().libfoo_dir);
        lab::copy_file(catalogue.find("p1")->shared_object, path());
        lab::pad_file(path(), size, lab::Padding::write);  // data on disk, not unwritten extents
        fd = open(path().c_str(), O_RDONLY | O_CLOEXEC);
        this->size = static_cast<size_t>(size);
    }
    ~LargeLibfoo()
    {
        if (fd >= 0) close(fd);
    }
    std::string path() const { return sandbox.path("libfoo.so"); }

    lab::Sandbox sandbox;
    int fd = -1;
    size_t size = 0;
};

struct Touch {
    double seconds = -1;
    long minor = 0, major = 0;  // faults taken while touching
};

// Maps the file as the loader maps a segment (private, read-only), touches one byte per page,
// unmaps; returns the time the touching took and the faults it took.
Touch touch_every_page(const LargeLibfoo& file, bool random)
{
    Touch touch;
    void* mapped = mmap(nullptr, file.size, PROT_READ, MAP_PRIVATE, file.fd, 0);
    if (mapped == MAP_FAILED) return touch;
    if (random) madvise(mapped, file.size, MADV_RANDOM);
    const volatile char* bytes = static_cast<const char*>(mapped);
    auto before = lab::faults_of(getpid());
    auto start = std::chrono::steady_clock::now();
    for (size_t at = 0; at < file.size; at += lab::page_size) (void)bytes[at];
    auto end = std::chrono::steady_clock::now();
    auto after = lab::faults_of(getpid());
    munmap(mapped, file.size);
    touch.seconds = std::chrono::duration<double>(end - start).count();
    if (before && after) {
        touch.minor = after->minor - before->minor;
        touch.major = after->major - before->major;
    }
    return touch;
}

// Time per page touched and per fault taken (minor or major, as `major` says).
void report(benchmark::State& state, const LargeLibfoo& file, double seconds, long faults, bool major)
{
    double pages = static_cast<double>(file.size / lab::page_size) * static_cast<double>(state.iterations());
    state.counters["per_page"] = benchmark::Counter(seconds / pages * 1e9);
    state.counters[major ? "major_faults_per_iter" : "minor_faults_per_iter"] =
        benchmark::Counter(static_cast<double>(faults) / static_cast<double>(state.iterations()));
    state.counters[major ? "ns_per_major_fault" : "ns_per_minor_fault"] =
        benchmark::Counter(faults > 0 ? seconds / static_cast<double>(faults) * 1e9 : 0);
}

// Touches every page of `file` once per iteration; `evict` first empties the page cache, so the
// faults are major; `random` turns readahead off.
void touch_loop(benchmark::State& state, const LargeLibfoo& file, bool evict, bool random)
{
    double total = 0;
    long faults = 0;
    for (auto _ : state) {
        std::string error = evict ? lab::evict_from_page_cache(file.path()) : "";
        if (!error.empty()) state.SkipWithError(error.c_str());
        Touch touch = touch_every_page(file, random);
        if (touch.seconds < 0) state.SkipWithError("mmap failed");
        state.SetIterationTime(touch.seconds);
        total += touch.seconds;
        faults += evict ? touch.major : touch.minor;
    }
    report(state, file, total, faults, evict);
}

void minor_faults(benchmark::State& state)
{
    LargeLibfoo file(64LL << 20);
    lab::read_file(file.path());  // every page in the page cache
    touch_loop(state, file, false, false);
}

void major_faults(benchmark::State& state, bool random)
{
    LargeLibfoo file(8LL << 20);
    touch_loop(state, file, true, random);
}

}  // namespace

BENCHMARK(minor_faults)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK_CAPTURE(major_faults, readahead, false)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(major_faults, no_readahead, true)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);
