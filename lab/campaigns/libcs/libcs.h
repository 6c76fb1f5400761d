// libcs.h — lab libcs: every scenario with the hosts built for glibc and for musl, side by side.
//
// What dlopen returns after a replacement, and when calls into libfoo are bound, are the C
// library's decisions (../shared/reference/loader-facts.md); the same scenario, run once with
// each libc's hosts, shows which facts follow the kernel and which the libc. Each scenario's
// expectations say per libc (the "libc" condition) what to observe. A libc whose hosts were not
// built is CONF, with the reason, in every row.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/facts.h"
#include "scenario/catalogue.h"
#include "scenario/scenario.h"
#include "system/paths.h"

namespace lab {

// One scenario with one libc's hosts.
struct LibcCell {
    Outcome status = Outcome::CONF;
    std::string reason;
    std::string libc;            // what the hosts' dynamic linker said it is ("musl 1.2.3")
    Facts facts;                 // what lab compare compares (compare/facts.h)
    nlohmann::ordered_json result;  // the whole result, written beside libcs.json
};

struct LibcsRow {
    std::string scenario;
    std::map<Libc, LibcCell> cells;
    // Where the libcs disagree: "hosts.process2.versions_after_update: v1 v1 v2 v2 (glibc), v2 v2
    // v2 v2 (musl)", for each decisive field (compare/facts.h) that differs.
    std::vector<std::string> differences;
};

struct LibcsResult {
    std::vector<Libc> libcs = {Libc::glibc, Libc::musl};
    std::vector<LibcsRow> rows;
    std::map<Libc, std::string> versions;  // "glibc 2.36"; why not, for a libc not run
    std::string kernel;
    nlohmann::ordered_json to_json() const;  // results/libcs.json (results/README.md)
    bool failed() const;                     // any FAIL or BROK
};

// Runs each scenario with each libc's hosts; `on_row` is called as each row completes.
LibcsResult run_libcs(const std::vector<Scenario>& scenarios, const Catalogue& catalogue, const Paths& paths,
                      const std::function<void(const LibcsRow&)>& on_row);

// The table, as lab libcs prints it: a header naming each libc as the first row's runs saw it, then
// a line per scenario (marked * where the libcs differ), then the differences.
std::string libcs_header(const LibcsRow& first, const std::vector<Libc>& libcs);
std::string libcs_line(const LibcsRow& row, const std::vector<Libc>& libcs);
std::string libcs_notes(const LibcsResult& result);

}  // namespace lab
