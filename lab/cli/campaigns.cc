// campaigns.cc — lab-campaigns: the commands that run many scenarios (claims, survey, matrix),
// reached through `lab CAMPAIGN ...` (lab_main.h). The tables and texts themselves belong to the
// campaigns (campaigns/*).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "base/text.h"
#include "campaigns/claims/claims.h"
#include "campaigns/kernels/kernels.h"
#include "campaigns/libcs/libcs.h"
#include "campaigns/matrix/matrix.h"
#include "campaigns/survey/survey.h"
#include "cli/lab_main.h"
#include "cli/progress.h"
#include "engine/run.h"
#include "engine/user_edition.h"
#include "result/result_file.h"
#include "result/result_json.h"
#include "scenario/catalogue.h"
#include "scenario/scenario.h"
#include "system/paths.h"

namespace cli {

namespace {

// A testcase per case of every claim, named by the claim and the case's result ("inplace",
// "etxtbsy@squashfs"), its outcome that result's; CONF when the ledger's scenario is missing.
std::vector<lab::JunitCase> claim_cases(const std::vector<lab::Claim>& claims, const std::map<std::string, nlohmann::ordered_json>& results)
{
    std::vector<lab::JunitCase> cases;
    for (const auto& claim : claims)
        for (const auto& one : claim.cases) {
            lab::JunitCase testcase{"lab.claims", claim.claim + " (" + one.key() + ")", lab::Outcome::CONF, "no such scenario", 0};
            auto found = results.find(one.key());
            if (found != results.end() && found->second.is_object()) {
                const auto& result = found->second;
                auto outcome = lab::from_string<lab::Outcome>(result.value("outcome", std::string()));
                testcase.outcome = outcome.value_or(lab::Outcome::BROK);
                testcase.reason = result.value("reason", std::string());
                testcase.seconds = static_cast<double>(result.value("duration_ns", 0LL)) / 1e9;
            }
            cases.push_back(testcase);
        }
    return cases;
}

// Where a campaign's runs go: the directory of its table's file ("." for a bare name).
std::filesystem::path results_beside(const std::string& out)
{
    const std::filesystem::path path(out);
    return path.has_parent_path() ? path.parent_path() : ".";
}

// DIR/NAME.json, DIR made first when missing: "" when written, else why not (write_result).
std::string write_result_under(const std::filesystem::path& dir, const std::string& name, const nlohmann::ordered_json& result)
{
    std::error_code ignored;
    std::filesystem::create_directories(dir, ignored);
    return write_result((dir / (name + ".json")).string(), result);
}

// The cases that name a libc: the scenario again with that libc's hosts, its result written under
// LIBC/ in `results_dir` (with glibc, the hosts of the plain run: its result serves). Returns the
// first result that could not be written ("" when all were).
std::string run_libc_cases(const std::vector<lab::Claim>& claims, const std::vector<lab::Scenario>& scenarios,
                           const lab::Catalogue& catalogue, const lab::Paths& paths, const std::filesystem::path& results_dir,
                           std::map<std::string, nlohmann::ordered_json>* results, bool* broken, Progress& progress)
{
    std::string write_error;
    for (const auto& [name, libc] : lab::libc_cases_of(claims)) {
        const std::string libc_name(lab::to_string(libc)), key = name + "@" + libc_name;
        auto scenario = std::find_if(scenarios.begin(), scenarios.end(), [&](const lab::Scenario& one) { return one.name == name; });
        if (scenario == scenarios.end()) continue;
        if (libc == lab::Libc::glibc && results->count(name)) {
            (*results)[key] = results->at(name);
            continue;
        }
        lab::ScenarioResult result = lab::run_scenario(*scenario, catalogue, paths.with_libc(libc), lab::RunOptions{});
        (*results)[key] = lab::to_json(result);
        std::string error = write_result_under(results_dir / libc_name, name, (*results)[key]);
        if (write_error.empty()) write_error = error;
        progress.line(std::string(lab::to_string(result.outcome)) + " " + key + ": " + result.reason);
        *broken |= result.outcome == lab::Outcome::BROK;
    }
    return write_error;
}

// The cases that name a kernel series: the scenarios in a guest under the newest Debian cloud
// kernel of that series (lab kernels), each result written under linux-SERIES/ in `results_dir`.
std::string run_kernel_cases(const std::vector<lab::Claim>& claims, const std::vector<lab::Scenario>& scenarios,
                             const lab::Catalogue& catalogue, const lab::Paths& paths, const std::filesystem::path& results_dir,
                             std::map<std::string, nlohmann::ordered_json>* results, bool* broken, Progress& progress)
{
    std::map<std::string, std::vector<lab::Scenario>> by_series;
    for (const auto& [name, series] : lab::kernel_cases_of(claims)) {
        auto scenario = std::find_if(scenarios.begin(), scenarios.end(), [&](const lab::Scenario& one) { return one.name == name; });
        if (scenario != scenarios.end()) by_series[series].push_back(*scenario);
    }
    if (by_series.empty()) return "";
    std::string write_error;
    const std::vector<std::string> images = lab::debian_cloud_images();
    for (const auto& [series, wanted] : by_series) {
        auto image = std::find_if(images.begin(), images.end(), [&](const std::string& one) { return lab::cloud_series(one) == series; });
        lab::KernelsOptions options;
        options.cache_dir = (std::filesystem::path(paths.bin_dir).parent_path() / "kernels").string();
        options.guest_init = paths.bin_dir + "/lab-guest-init";
        options.kernels = {image == images.end() ? "" : *image};
        lab::KernelsResult run;
        if (image != images.end()) run = lab::run_kernels(wanted, catalogue, paths, options);
        for (const auto& scenario : wanted) {
            const std::string key = scenario.name + "@linux-" + series;
            nlohmann::ordered_json& result = (*results)[key];
            if (run.kernels.empty()) {
                result = {{"outcome", "CONF"}, {"reason", "not available: apt knows no Debian cloud kernel of the " + series + " series"}};
            } else {
                const lab::KernelCell& cell = run.kernels.front().cells.at(scenario.name);
                result = cell.result.is_object() ? cell.result
                                                 : nlohmann::ordered_json{{"outcome", lab::to_string(cell.status)}, {"reason", cell.reason}};
                if (cell.result.is_object()) {
                    std::string error = write_result_under(results_dir / ("linux-" + series), scenario.name, result);
                    if (write_error.empty()) write_error = error;
                }
            }
            progress.line(result.value("outcome", std::string()) + " " + key + ": " + result.value("reason", std::string()));
            *broken |= result.value("outcome", std::string()) == "BROK";
        }
    }
    return write_error;
}

// The cases under other kernels boot QEMU guests (a minute, and Debian's images fetched the first
// time): only with --kernels. Without, the claims are judged from their other cases, and the
// ledger names the ones left out (`not_run`); a claim with no other case is left out too.
std::vector<lab::Claim> without_kernel_cases(std::vector<lab::Claim> claims, std::vector<std::string>* not_run)
{
    for (auto& claim : claims) {
        for (const auto& one : claim.cases)
            if (!one.kernel.empty()) not_run->push_back(one.key());
        claim.cases.erase(std::remove_if(claim.cases.begin(), claim.cases.end(), [](const lab::ClaimCase& one) { return !one.kernel.empty(); }),
                          claim.cases.end());
    }
    claims.erase(std::remove_if(claims.begin(), claims.end(), [](const lab::Claim& claim) { return claim.cases.empty(); }), claims.end());
    return claims;
}

}  // namespace

// Runs every scenario the ledger needs (those that exist), then judges the claims from them.
int claims(std::string ledger, std::string out, const std::string& junit, bool kernels)
{
    if (ledger.empty()) ledger = scenario_dir() + "/claims/seed.json";
    const std::vector<lab::Claim> all_claims = lab::load_claims(ledger);
    std::vector<std::string> not_run;
    std::vector<lab::Claim> claims = kernels ? all_claims : without_kernel_cases(all_claims, &not_run);
    if (out.empty()) out = lab::default_result_path("claims");
    lab::check_result_destination(out);
    check_junit_destination(junit);
    // Each scenario's result goes beside the ledger's.
    const std::filesystem::path results_dir = results_beside(out);
    std::string write_error;
    lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    std::vector<lab::Scenario> scenarios;
    for (const auto& name : lab::scenarios_of(claims)) {
        std::string file = std::filesystem::path(ledger).parent_path().parent_path() / (name + ".json");
        if (std::filesystem::exists(file)) scenarios.push_back(lab::load_scenario(file, catalogue));
    }
    std::map<std::string, nlohmann::ordered_json> results;
    bool broken = false;
    Progress progress("claims", scenarios.size());
    // Cases on other file systems first: the matrix needs a process with no threads yet.
    for (const auto& [key, cell] : lab::run_matrix_cases(claims, scenarios, catalogue, paths)) {
        results[key] = cell.result.is_null() ? nlohmann::ordered_json{{"outcome", lab::to_string(cell.status)}, {"reason", cell.reason}}
                                             : cell.result;
        progress.line(std::string(lab::to_string(cell.status)) + " " + key + ": " + cell.reason);
        broken |= cell.status == lab::Outcome::BROK;
    }
    std::string environment;
    for (const auto& scenario : scenarios) {
        progress.next(scenario.name);
        lab::ScenarioResult result = lab::run_scenario(scenario, catalogue, paths, lab::RunOptions{});
        results[scenario.name] = lab::to_json(result);
        std::string error = write_result((results_dir / (scenario.name + ".json")).string(), results[scenario.name]);
        if (write_error.empty()) write_error = error;
        progress.line(std::string(lab::to_string(result.outcome)) + " " + scenario.name + ": " + result.reason);
        broken |= result.outcome == lab::Outcome::BROK;
        environment = lab::environment_line(result.first().environment);
    }
    const std::string error_in_libcs = run_libc_cases(claims, scenarios, catalogue, paths, results_dir, &results, &broken, progress);
    if (write_error.empty()) write_error = error_in_libcs;
    const std::string error_in_kernels = run_kernel_cases(claims, scenarios, catalogue, paths, results_dir, &results, &broken, progress);
    if (write_error.empty()) write_error = error_in_kernels;
    std::vector<lab::ClaimVerdict> verdicts = lab::judge_claims(claims, results);
    lab::print_claims(stdout, verdicts, environment);
    if (!not_run.empty())
        std::printf("\nNot run: %s (under other kernels: lab claims --kernels boots them in QEMU guests).\n", lab::join(not_run, ", ").c_str());
    std::string error = write_result(out, lab::ledger_json(ledger, environment, verdicts));
    if (error.empty()) std::printf("\nLedger written to %s\n", out.c_str());
    for (const auto& key : not_run) results[key] = {{"outcome", "CONF"}, {"reason", "not run: lab claims --kernels boots the guests"}};
    if (error.empty()) error = write_junit_file(junit, "lab claims", claim_cases(all_claims, results));
    return finish(write_error.empty() ? error : write_error, broken ? 1 : 0);
}

// Every built-in updater, then the user's, one run each.
int survey(const std::vector<std::string>& custom, std::string out, const std::string& junit, const std::string& from_given,
           const std::string& to_given)
{
    std::vector<lab::Updater> updaters = lab::builtin_updaters();
    for (const auto& text : custom) {
        auto updater = lab::parse_updater(text);
        if (!updater) throw lab::ScenarioError("--updater", "", lab::quote_value(text) + " is not NAME=COMMAND");
        updaters.push_back(*updater);
    }
    if (out.empty()) out = lab::default_result_path("survey");
    lab::check_result_destination(out);
    check_junit_destination(junit);
    lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    const std::string from = from_given.empty() ? "v1" : edition_reference("--from", from_given, catalogue);
    const std::string to = to_given.empty() ? "v2" : edition_reference("--to", to_given, catalogue);
    lab::Scenario editions;  // built and probed before the table starts: a broken one is one line, exit 2
    editions.file = "--to";
    editions.from = from;
    editions.to = to;
    lab::with_user_editions(editions, catalogue, paths);
    nlohmann::ordered_json rows = nlohmann::ordered_json::object();
    std::vector<lab::SurveyRow> done;
    bool failed = false;
    std::printf("%s\n", lab::survey_table_header().c_str());
    Progress progress("survey", updaters.size());
    for (const auto& updater : updaters) {
        progress.next(updater.name);
        lab::SurveyRow row = lab::survey_one(updater, catalogue, paths, from, to);
        rows[row.name] = row.to_json();
        failed |= lab::exit_code(row.status) != 0;
        progress.line(lab::survey_table_line(row));
        done.push_back(row);
    }
    std::printf("%s", lab::survey_notes(done).c_str());
    std::string error = write_result(out, {{"schema", "libfoo-lab/survey/1"}, {"updaters", rows}});
    if (error.empty()) std::printf("\nSurvey written to %s\n", out.c_str());
    std::vector<lab::JunitCase> cases;
    for (const auto& row : done) cases.push_back({"lab.survey", row.name, row.status, row.reason, 0});
    if (error.empty()) error = write_junit_file(junit, "lab survey", cases);
    return finish(error, failed ? 1 : 0);
}

// Each file system made, used by every scenario of the matrix, and undone; a row printed as it ends.
int matrix(const std::vector<std::string>& only, const std::string& stop_on, bool narrate, std::string out, const std::string& junit)
{
    lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    std::vector<lab::Scenario> scenarios;
    for (const auto& name : lab::matrix_scenario_names()) {
        std::string file = scenario_dir() + "/" + name + ".json";
        if (std::filesystem::exists(file)) scenarios.push_back(lab::load_scenario(file, catalogue));
    }
    lab::MatrixOptions options;
    options.filesystems.clear();
    const std::string known = lab::matrix_filesystem_names();
    for (const auto& name : only)
        if (!lab::find_matrix_filesystem(name)) throw lab::ScenarioError("--fs", "", lab::quote_value(name) + " is not one of " + known);
    if (!stop_on.empty() && !lab::find_matrix_filesystem(stop_on))
        throw lab::ScenarioError("--stop-on", "", lab::quote_value(stop_on) + " is not one of " + known);
    if (out.empty()) out = lab::default_result_path("matrix");
    lab::check_result_destination(out);
    check_junit_destination(junit);
    for (const auto& filesystem : lab::matrix_filesystems())
        if (only.empty() || std::find(only.begin(), only.end(), filesystem.name) != only.end())
            options.filesystems.push_back(filesystem);
    options.stop_on = stop_on;
    if (narrate) options.narrate = stdout;
    Progress progress("matrix", options.filesystems.size());
    size_t rows_done = 0;
    if (!narrate) options.on_row = [&](const lab::MatrixRow& row) {
        progress.line(lab::matrix_line(row, scenarios));
        if (++rows_done < options.filesystems.size()) progress.next(options.filesystems[rows_done].name);
    };
    if (!narrate) std::printf("%s\n", lab::matrix_header(scenarios).c_str());
    std::fflush(stdout);
    if (!narrate && !options.filesystems.empty()) progress.next(options.filesystems.front().name);
    lab::MatrixResult result = lab::run_matrix(scenarios, catalogue, paths, options);
    if (narrate) {  // the transcripts came first; now the table, in one piece
        std::printf("\n%s\n", lab::matrix_header(scenarios).c_str());
        for (const auto& row : result.rows) std::printf("%s\n", lab::matrix_line(row, scenarios).c_str());
    }
    std::printf("%s", lab::matrix_notes(result).c_str());
    std::string error = write_result(out, result.to_json());
    if (error.empty()) std::printf("\nMatrix written to %s\n", out.c_str());
    std::vector<lab::JunitCase> cases;
    for (const auto& row : result.rows)
        for (const auto& [scenario, cell] : row.cells) cases.push_back({"lab.matrix." + row.filesystem.name, scenario, cell.status, cell.reason, 0});
    if (error.empty()) error = write_junit_file(junit, "lab matrix", cases);
    return finish(error, lab::matrix_failed(result) ? 1 : 0);
}

// Every scenario with each libc's hosts; a row printed as each scenario ends; each run's result
// written under libcs/LIBC/ beside the table's file.
int libcs(std::string out, const std::string& junit)
{
    if (out.empty()) out = lab::default_result_path("libcs");
    lab::check_result_destination(out);
    check_junit_destination(junit);
    const std::filesystem::path results_dir = results_beside(out);
    lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    std::vector<lab::Scenario> scenarios;
    for (const auto& file : scenario_files(scenario_dir())) scenarios.push_back(lab::load_scenario(file, catalogue));
    Progress progress("libcs", scenarios.size());
    std::string write_error;
    const std::vector<lab::Libc> libcs = lab::LibcsResult().libcs;
    if (!scenarios.empty()) progress.next(scenarios.front().name);
    size_t done = 0;
    lab::LibcsResult result = lab::run_libcs(scenarios, catalogue, paths, [&](const lab::LibcsRow& row) {
        for (const auto& [libc, cell] : row.cells) {
            std::string error = write_result_under(results_dir / "libcs" / std::string(lab::to_string(libc)), row.scenario, cell.result);
            if (write_error.empty()) write_error = error;
        }
        if (done == 0) progress.line(lab::libcs_header(row, libcs));
        progress.line(lab::libcs_line(row, libcs));
        if (++done < scenarios.size()) progress.next(scenarios[done].name);
    });
    std::printf("%s", lab::libcs_notes(result).c_str());
    std::string error = write_result(out, result.to_json());
    if (error.empty()) std::printf("\nLibcs written to %s (each run under %s)\n", out.c_str(), (results_dir / "libcs").c_str());
    std::vector<lab::JunitCase> cases;
    for (const auto& row : result.rows)
        for (const auto& [libc, cell] : row.cells)
            cases.push_back({"lab.libcs." + std::string(lab::to_string(libc)), row.scenario, cell.status, cell.reason, 0});
    if (error.empty()) error = write_junit_file(junit, "lab libcs", cases);
    return finish(write_error.empty() ? error : write_error, result.failed() ? 1 : 0);
}

// The scenarios under each kernel: natively under the running one, in a guest under the others.
// A line as each kernel ends; the table (a column per kernel) when all have.
int kernels(const std::vector<std::string>& kernels, const std::vector<std::string>& names, std::string out, const std::string& junit)
{
    if (out.empty()) out = lab::default_result_path("kernels");
    lab::check_result_destination(out);
    check_junit_destination(junit);
    const std::filesystem::path results_dir = results_beside(out);
    lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    std::vector<lab::Scenario> scenarios;
    for (const auto& name : names.empty() ? lab::core_kernel_scenarios() : names) {
        std::string file = scenario_dir() + "/" + name + ".json";
        if (name.find('/') != std::string::npos || (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0)) file = name;
        if (!std::filesystem::is_regular_file(file))
            throw lab::ScenarioError("--scenario", "", lab::quote_value(name) + " is neither a scenario of " + scenario_dir() + " nor a scenario file");
        scenarios.push_back(lab::load_scenario(file, catalogue));
    }
    for (const auto& kernel : kernels) lab::check_kernel_name(kernel);
    lab::KernelsOptions options;
    options.kernels = kernels.empty() ? lab::default_kernels() : kernels;
    options.cache_dir = (std::filesystem::path(paths.bin_dir).parent_path() / "kernels").string();
    options.guest_init = paths.bin_dir + "/lab-guest-init";
    Progress progress("kernels", options.kernels.size());
    options.on_step = [&](const std::string& what) { progress.now(what); };
    std::string write_error;
    size_t kernels_done = 0;
    options.on_kernel = [&](const lab::KernelColumn& column) {
        if (!column.console.empty()) {  // what the guest printed: the evidence when it broke
            std::error_code ignored;
            std::filesystem::create_directories(results_dir / "kernels" / column.release, ignored);
            std::ofstream(results_dir / "kernels" / column.release / "console.log") << column.console;
        }
        for (const auto& [scenario, cell] : column.cells)
            if (cell.result.is_object()) {
                std::string error = write_result_under(results_dir / "kernels" / column.release, scenario, cell.result);
                if (write_error.empty()) write_error = error;
            }
        progress.line(lab::kernel_line(column));
        if (++kernels_done < options.kernels.size()) progress.next(options.kernels[kernels_done]);
    };
    if (!options.kernels.empty()) progress.next(options.kernels.front());
    lab::KernelsResult result = lab::run_kernels(scenarios, catalogue, paths, options);
    std::printf("\n%s%s", lab::kernels_table(result).c_str(), lab::kernels_notes(result).c_str());
    std::string error = write_result(out, result.to_json());
    if (error.empty())
        std::printf("\nKernels written to %s (each run under %s) in %.0f s\n", out.c_str(), (results_dir / "kernels").c_str(), result.seconds);
    std::vector<lab::JunitCase> cases;
    for (const auto& column : result.kernels)
        for (const auto& [scenario, cell] : column.cells)
            cases.push_back({"lab.kernels." + column.release, scenario, cell.status, cell.reason, 0});
    if (error.empty()) error = write_junit_file(junit, "lab kernels", cases);
    return finish(write_error.empty() ? error : write_error, result.failed() ? 1 : 0);
}

}  // namespace cli

namespace {

int run_campaign(const cli::Arguments& a)
{
    if (a.command == "claims") return cli::claims(a.ledger, a.claims_out, a.claims_junit, a.claims_kernels);
    if (a.command == "survey") return cli::survey(a.updaters, a.survey_out, a.survey_junit, a.survey_from, a.survey_to);
    if (a.command == "libcs") return cli::libcs(a.libcs_out, a.libcs_junit);
    if (a.command == "kernels") return cli::kernels(a.kernels, a.kernel_scenarios, a.kernels_out, a.kernels_junit);
    return cli::matrix(a.filesystems, a.stop_on, a.narrate, a.matrix_out, a.matrix_junit);
}

}  // namespace

int main(int argc, char** argv) { return cli::lab_main(argc, argv, "lab-campaigns", run_campaign); }
