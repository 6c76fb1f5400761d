// commands.h — the lab command's subcommands, each called with its parsed arguments; each returns
// the exit code: 0 PASS or CONF (and a clean check); 1 FAIL or BROK, or a result that could not be
// written at the end. Bad input throws lab::ScenarioError (exit 2, one line, before anything runs).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "junit/junit.h"
#include "scenario/catalogue.h"

namespace cli {

constexpr int exit_bad_input = 2;

// ./scenarios when there is one here, else the source tree's.
std::string scenario_dir();
// The scenario files (*.json) in `dir`, sorted.
std::vector<std::string> scenario_files(const std::string& dir);

struct RunArguments {
    std::string file, out, size, junit;
    std::string from, to;  // --from, --to: the editions instead of the scenario's (a variant, or a file)
    std::string libc = "glibc";  // the hosts' libc: glibc or musl
    bool keep = false, quiet = false, size_given = false, step = false;
    int stop_after_step = -1;
};
int run(const RunArguments& arguments);
// What --from or --to names: a built-in variant (its name), or a user's edition (its file's
// absolute path); a ScenarioError naming the option when it is neither.
std::string edition_reference(const std::string& option, const std::string& given, const lab::Catalogue& catalogue);
int list(const std::string& dir);
int check(std::vector<std::string> files);
// The environments of two or more result files side by side, then what differs (compare/compare.h).
int compare(const std::vector<std::string>& files);
// The processes on replaced or overwritten libraries (scan/scan.h): exit 0 when none, 1 when some.
int scan(const std::vector<int>& pids, bool json, bool batch);

// The campaigns (campaigns.cc, in lab-campaigns).
// Runs every scenario the ledger needs (those that exist), then judges the claims from them.
// With `kernels`, also the cases under other kernels (in QEMU guests, lab kernels).
int claims(std::string ledger, std::string out, const std::string& junit, bool kernels);
// Every built-in updater, then the user's (NAME=COMMAND), one run each.
// With `from` and `to` (--from, --to), between those editions instead of v1 and v2.
int survey(const std::vector<std::string>& custom, std::string out, const std::string& junit, const std::string& from = "",
           const std::string& to = "");
// Each file system made, used by every scenario of the matrix, and undone; a row printed as it ends.
int matrix(const std::vector<std::string>& only, const std::string& stop_on, bool narrate, std::string out, const std::string& junit);
// Every scenario with the glibc hosts and with the musl hosts; a row printed as each ends.
int libcs(std::string out, const std::string& junit);
// The scenarios (the core ones by default) under each kernel; the table when all have run.
int kernels(const std::vector<std::string>& kernels, const std::vector<std::string>& scenarios, std::string out, const std::string& junit);

// Writes a result at the end of the work; "" when written, else the line that says why not.
std::string write_result(const std::string& out, const nlohmann::ordered_json& json);
// After the outcome has been printed: the write error, if any, and the exit code.
int finish(const std::string& write_error, int code);
// --junit FILE: checked before any work (as --out is); written at the end like a result ("" when
// done or not asked for, else why not).
void check_junit_destination(const std::string& junit);
std::string write_junit_file(const std::string& junit, const std::string& suite, const std::vector<lab::JunitCase>& cases);

}  // namespace cli
