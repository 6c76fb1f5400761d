// kernels.h — lab kernels: the scenarios under other kernels, each in a QEMU guest, beside the
// running kernel natively.
//
// Which writes the kernel refuses (ETXTBSY), what truncation takes from a process and how the
// page cache fills are the kernel's decisions (../shared/reference/loader-facts.md). The same
// scenarios, run by the same build of the lab under each kernel, show which verdicts follow the
// kernel. Every cell is what the runner inside that kernel observed; a kernel that cannot be had
// or booted here is CONF or BROK with the reason, in every row.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/kernels/kernel_image.h"
#include "compare/facts.h"
#include "scenario/catalogue.h"
#include "scenario/scenario.h"
#include "system/paths.h"

namespace lab {

// One scenario under one kernel.
struct KernelCell {
    Outcome status = Outcome::CONF;
    std::string reason;
    Facts facts;                    // what lab compare compares (compare/facts.h)
    nlohmann::ordered_json result;  // the whole result, written under kernels/RELEASE/
};

struct KernelColumn {
    KernelImage image;
    std::string release;  // what the kernel said it is (uname, inside the guest)
    std::string how;      // "native", "qemu tcg", "qemu kvm"
    std::string problem;  // why no scenario ran as it should ("" when they did)
    double seconds = 0;   // booting and running every scenario (fetching not included)
    std::string console;  // what a guest printed on its console
    std::map<std::string, KernelCell> cells;  // by scenario
};

struct KernelsOptions {
    std::vector<std::string> kernels;  // as named on the command line; default_kernels() when empty
    std::string cache_dir;             // where fetched packages are unpacked (build/kernels)
    std::string guest_init;            // the guest's static init (build/bin/lab-guest-init)
    std::function<void(const std::string& what)> on_step;        // "6.1.0-56-cloud-amd64: relink"
    std::function<void(const KernelColumn& column)> on_kernel;   // a kernel is done
};

struct KernelsResult {
    std::vector<std::string> scenarios;
    std::vector<KernelColumn> kernels;
    std::string accel;      // how the guests ran, and why: "tcg (KVM: the guest printed nothing in 5 s)"
    std::string disk;       // "142 files, 21 MiB, found by tracing the scenarios natively in 2.3 s"
    std::map<std::string, std::vector<std::string>> differences;  // by scenario (compare/facts.h)
    std::map<std::string, std::vector<std::string>> observed;     // observations that differ, by scenario
    double seconds = 0;
    nlohmann::ordered_json to_json() const;  // results/kernels.json (results/README.md)
    bool failed() const;                     // any FAIL or BROK
};

// inplace, rm-then-build, relink, same-layout, demand-paging, shrink, etxtbsy, dlopen-cache,
// notices-at-exit: the scenarios whose verdicts the kernel could change.
const std::vector<std::string>& core_kernel_scenarios();

KernelsResult run_kernels(const std::vector<Scenario>& scenarios, const Catalogue& catalogue, const Paths& paths,
                          const KernelsOptions& options);

// The table as lab kernels prints it: a column per kernel, a line per scenario (marked * where the
// kernels differ); then the notes: what differs, and why a kernel did not run.
std::string kernels_table(const KernelsResult& result);
std::string kernels_notes(const KernelsResult& result);
// "6.1.0-56-cloud-amd64 (qemu tcg): 9 PASS in 27.8 s", as each kernel ends.
std::string kernel_line(const KernelColumn& column);

}  // namespace lab
