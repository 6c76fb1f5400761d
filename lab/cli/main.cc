// lab — the scenario runner's command line. Thin: parse, call the runner library, report.
//
//   lab run FILE [--out PATH] [--keep] [--quiet] [--stop-after-step N] [--size SIZE]
//   lab list [DIR]          the scenarios in DIR (./scenarios, else the source tree's)
//   lab check [FILE...]     parse and check scenario files without running them
//   lab claims [--ledger FILE]  run the scenarios that test the seed's claims, print the ledger,
//                               write results/claims.json
//   lab survey [--updater NAME=COMMAND]...  replace libfoo.so with each real updater (and yours),
//                               print the table, write results/survey.json
//   lab matrix [--fs NAME]... [--narrate] [--stop-on NAME]  (root) the scenarios on ext4, xfs, btrfs, tmpfs, overlayfs, squashfs
//                               and erofs made for the purpose; print the table, write results/matrix.json
//
// Exit codes: 0 PASS or CONF (and a clean check); 1 FAIL or BROK; 2 bad input or usage.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "catalogue.h"
#include "claims.h"
#include "matrix.h"
#include "paths.h"
#include "result_file.h"
#include "run.h"
#include "sandbox.h"
#include "scenario.h"
#include "survey.h"
#include "text.h"
#include "transcript.h"

namespace {

constexpr int exit_bad_input = 2;

std::string scenario_dir()
{
    if (std::filesystem::is_directory("scenarios")) return "scenarios";
    return LAB_SOURCE_DIR "/scenarios";
}

std::vector<std::string> scenario_files(const std::string& dir)
{
    std::vector<std::string> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error))
        if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

int run(const std::string& file, std::string out, bool keep, bool quiet, int stop_after_step, std::string size)
{
    if (size.empty())
        if (const char* from_environment = std::getenv("LAB_SIZE")) size = from_environment;
    long long library_size = 0;
    if (!size.empty()) {
        auto bytes = lab::parse_size(size);
        if (!bytes || *bytes == 0) throw lab::ScenarioError("--size", "", "\"" + size + "\" is not a size like 64M or 1G");
        library_size = *bytes;
    }
    lab::Catalogue catalogue = lab::Catalogue::load(lab::Paths::locate().libfoo_dir);
    lab::Scenario scenario = lab::load_scenario(file, catalogue);
    if (out.empty()) out = lab::default_result_path(scenario.name);

    lab::Transcript transcript(stdout);
    lab::RunOptions options;
    options.keep = keep;
    options.stop_after_step = stop_after_step;
    options.library_size = library_size;
    options.narrator = quiet ? nullptr : &transcript;
    if (!quiet) transcript.header(scenario);
    lab::RunResult result = lab::run_scenario(scenario, catalogue, lab::Paths::locate(), options);
    lab::write_result_atomically(out, result.json);
    if (!quiet) transcript.summary(result.json, out);
    else std::printf("%s %s: %s\n", std::string(lab::to_string(result.outcome)).c_str(), scenario.name.c_str(), result.reason.c_str());
    return result.outcome == lab::Outcome::PASS || result.outcome == lab::Outcome::CONF ? 0 : 1;
}

// Runs every scenario the ledger needs (those that exist), then judges the claims from them.
int claims(std::string ledger)
{
    if (ledger.empty()) ledger = scenario_dir() + "/claims/seed.json";
    std::vector<lab::Claim> claims = lab::load_claims(ledger);
    lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    std::vector<lab::Scenario> scenarios;
    for (const auto& name : lab::scenarios_of(claims)) {
        std::string file = std::filesystem::path(ledger).parent_path().parent_path() / (name + ".json");
        if (std::filesystem::exists(file)) scenarios.push_back(lab::load_scenario(file, catalogue));
    }
    std::map<std::string, nlohmann::ordered_json> results;
    bool broken = false;
    // Cases on other file systems first: the matrix needs a process with no threads yet.
    for (const auto& [key, result] : lab::run_matrix_cases(claims, scenarios, catalogue, paths)) {
        results[key] = result;
        std::printf("%s %s: %s\n", result["outcome"].get<std::string>().c_str(), key.c_str(),
                    result.value("reason", "").c_str());
        broken |= result["outcome"] == "BROK";
    }
    std::string environment;
    for (const auto& scenario : scenarios) {
        lab::RunResult result = lab::run_scenario(scenario, catalogue, paths, lab::RunOptions{});
        lab::write_result_atomically(lab::default_result_path(scenario.name), result.json);
        std::printf("%s %s: %s\n", std::string(lab::to_string(result.outcome)).c_str(), scenario.name.c_str(),
                    result.reason.c_str());
        broken |= result.outcome == lab::Outcome::BROK;
        const auto& env = result.json["environment"];
        environment = "Linux " + env["kernel"].get<std::string>() + ", " + env["libc"].get<std::string>() + ", " +
                      env["linker"].get<std::string>() + ", " + env["filesystem"].get<std::string>() +
                      (env["euid"].get<int>() == 0 ? ", as root" : ", not root");
        results[scenario.name] = result.json;
    }
    std::vector<lab::ClaimVerdict> verdicts = lab::judge_claims(claims, results);
    lab::print_claims(stdout, verdicts, environment);
    nlohmann::ordered_json ledger_json = {{"schema", "libfoo-lab/claims-result/1"},
                                          {"ledger", ledger},
                                          {"environment", environment},
                                          {"claims", nlohmann::ordered_json::array()}};
    for (const auto& verdict : verdicts) ledger_json["claims"].push_back(verdict.to_json());
    std::string out = lab::default_result_path("claims");
    lab::write_result_atomically(out, ledger_json);
    std::printf("\nLedger written to %s\n", out.c_str());
    return broken ? 1 : 0;
}

// Every built-in updater, then the user's, one run each.
int survey(const std::vector<std::string>& custom)
{
    std::vector<lab::Updater> updaters = lab::builtin_updaters();
    for (const auto& text : custom) {
        auto updater = lab::parse_updater(text);
        if (!updater) throw lab::ScenarioError("--updater", "", "\"" + text + "\" is not NAME=COMMAND");
        updaters.push_back(*updater);
    }
    lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    nlohmann::ordered_json rows = nlohmann::ordered_json::object();
    bool failed = false;
    std::printf("%-17s %-9s %-7s %-17s %-6s %s\n", "updater", "same file", "missing", "process1", "status", "tool / reason");
    for (const auto& updater : updaters) {
        lab::SurveyRow row = lab::survey_one(updater, catalogue, paths);
        rows[row.name] = row.to_json();
        failed |= row.status == "FAIL" || row.status == "BROK";
        std::string same = row.same_file ? (*row.same_file ? "yes" : "no") : "-";
        std::string detail = row.reason.empty() ? row.tool_version : row.reason;
        std::string missing = row.status == "CONF" ? "-" : std::to_string(row.path_missing_observations);
        std::printf("%-17s %-9s %-7s %-17s %-6s %s\n", row.name.c_str(), same.c_str(), missing.c_str(),
                    row.process1_verdict.empty() ? "-" : row.process1_verdict.c_str(), row.status.c_str(),
                    detail.substr(0, 40).c_str());
    }
    std::string calls;
    for (const auto& [name, row] : rows.items()) {
        if (!row["syscalls"].is_array()) continue;
        std::string list;
        for (const auto& call : row["syscalls"]) list += (list.empty() ? "" : ", ") + call.get<std::string>();
        calls += "  " + name + ": " + (list.empty() ? "nothing" : list) + "\n";
    }
    std::printf("\n\"missing\": how often a prober opening libfoo.so in a tight loop during the update found no file.\n");
    if (!calls.empty()) std::printf("\nSystem calls on libfoo.so (strace -f -y):\n%s", calls.c_str());
    else
        for (const auto& [name, row] : rows.items())
            if (row.contains("syscalls_unavailable")) {
                std::printf("\nSystem calls on libfoo.so: not available: %s\n", row["syscalls_unavailable"].get<std::string>().c_str());
                break;
            }
    std::string out = lab::default_result_path("survey");
    lab::write_result_atomically(out, {{"schema", "libfoo-lab/survey/1"}, {"updaters", rows}});
    std::printf("\nSurvey written to %s\n", out.c_str());
    return failed ? 1 : 0;
}

// Each file system made, used by every scenario of the matrix, and undone; a row printed as it ends.
int matrix(const std::vector<std::string>& only, const std::string& stop_on, bool narrate)
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
    std::vector<std::string> all_names;
    for (const auto& filesystem : lab::matrix_filesystems()) all_names.push_back(filesystem.name);
    const std::string known = lab::join(all_names, ", ");
    auto is_known = [&](const std::string& name) {
        return std::any_of(lab::matrix_filesystems().begin(), lab::matrix_filesystems().end(),
                           [&](const auto& filesystem) { return filesystem.name == name; });
    };
    for (const auto& name : only)
        if (!is_known(name)) throw lab::ScenarioError("--fs", "", "\"" + name + "\" is not one of " + known);
    if (!stop_on.empty() && !is_known(stop_on))
        throw lab::ScenarioError("--stop-on", "", "\"" + stop_on + "\" is not one of " + known);
    for (const auto& filesystem : lab::matrix_filesystems())
        if (only.empty() || std::find(only.begin(), only.end(), filesystem.name) != only.end())
            options.filesystems.push_back(filesystem);
    options.stop_on = stop_on;
    if (narrate) options.narrate = stdout;
    if (!narrate) options.on_row = [&](const lab::MatrixRow& row) {
        std::printf("%s\n", lab::matrix_line(row, scenarios).c_str());
        std::fflush(stdout);
    };
    if (!narrate) std::printf("%s\n", lab::matrix_header(scenarios).c_str());
    std::fflush(stdout);
    lab::MatrixResult result = lab::run_matrix(scenarios, catalogue, paths, options);
    if (narrate) {  // the transcripts came first; now the table, in one piece
        std::printf("\n%s\n", lab::matrix_header(scenarios).c_str());
        for (const auto& row : result.rows) std::printf("%s\n", lab::matrix_line(row, scenarios).c_str());
    }
    bool failed = !result.left_behind.empty();
    std::string notes;
    for (const auto& row : result.rows) {
        for (const auto& note : row.notes) notes += "- " + row.filesystem.name + ", " + note + "\n";
        for (const auto& [name, cell] : row.cells) failed |= cell.status == "FAIL" || cell.status == "BROK";
    }
    std::string answers;
    for (const auto& [answer, names] : result.library_write_open()) {
        answers += (answers.empty() ? "" : "; ") + answer + " on " + lab::join(names, ", ");
    }
    if (!answers.empty()) std::printf("\nOpening the mapped libfoo.so for writing (etxtbsy): %s.\n", answers.c_str());
    if (!notes.empty()) std::printf("\nNotes:\n%s", notes.c_str());
    if (!result.left_behind.empty()) std::printf("\nLeft behind: %s\n", result.left_behind.c_str());
    std::string out = lab::default_result_path("matrix");
    lab::write_result_atomically(out, result.to_json());
    std::printf("\nMatrix written to %s\n", out.c_str());
    return failed ? 1 : 0;
}

int list(const std::string& dir)
{
    lab::Catalogue catalogue = lab::Catalogue::load(lab::Paths::locate().libfoo_dir);
    int status = 0;
    for (const auto& file : scenario_files(dir)) {
        try {
            lab::Scenario scenario = lab::load_scenario(file, catalogue);
            std::printf("%-16s %s\n", scenario.name.c_str(), scenario.title.c_str());
        } catch (const lab::ScenarioError& error) {
            std::fprintf(stderr, "lab: %s\n", error.what());
            status = exit_bad_input;
        }
    }
    return status;
}

int check(std::vector<std::string> files)
{
    lab::Catalogue catalogue = lab::Catalogue::load(lab::Paths::locate().libfoo_dir);
    if (files.empty()) files = scenario_files(scenario_dir());
    int status = 0;
    for (const auto& file : files) {
        try {
            lab::load_scenario(file, catalogue);
            std::printf("ok   %s\n", file.c_str());
        } catch (const lab::ScenarioError& error) {
            std::fprintf(stderr, "lab: %s\n", error.what());
            status = exit_bad_input;
        }
    }
    return status;
}

}  // namespace

int main(int argc, char** argv)
{
    signal(SIGPIPE, SIG_IGN);  // a host that died is seen through its pidfd, not by dying of EPIPE
    CLI::App app{"libfoo-lab: what happens to running processes when a shared library is replaced"};
    app.require_subcommand(1);

    std::string file, out, list_dir, size;
    bool keep = false, quiet = false;
    int stop_after_step = -1;
    std::vector<std::string> check_files;
    auto* run_command = app.add_subcommand("run", "run one scenario and write its result");
    run_command->add_option("FILE", file, "scenario file, e.g. scenarios/inplace.json")->required();
    run_command->add_option("--out", out, "result file (default: results/NAME.json)");
    run_command->add_flag("--keep", keep, "keep the sandbox directory");
    run_command->add_flag("--quiet", quiet, "print only the outcome line");
    run_command->add_option("--stop-after-step", stop_after_step, "stop the runner (SIGSTOP) after step N, from 0");
    run_command->add_option("--size", size, "pad every libfoo.so to this size, e.g. 1G (default: LAB_SIZE, or the scenario's library.pad_to)");
    auto* list_command = app.add_subcommand("list", "list the scenarios");
    list_command->add_option("DIR", list_dir, "directory of scenario files");
    auto* check_command = app.add_subcommand("check", "check scenario files without running them");
    check_command->add_option("FILE", check_files, "scenario files (default: all)");
    std::string ledger;
    std::vector<std::string> updaters;
    auto* survey_command = app.add_subcommand("survey", "replace libfoo.so with each real updater, one run each");
    survey_command->add_option("--updater", updaters, "an updater of your own: NAME=COMMAND, with {new} and {path}");
    std::vector<std::string> matrix_filesystems;
    std::string stop_on;
    bool narrate = false;
    auto* matrix_command = app.add_subcommand("matrix", "(root) run the scenarios on file systems made for the purpose");
    matrix_command->add_option("--fs", matrix_filesystems, "only this file system (repeatable): ext4, xfs, btrfs, tmpfs, overlay-lower, overlay-merged, squashfs, erofs");
    matrix_command->add_flag("--narrate", narrate, "print every run's transcript, then the table");
    matrix_command->add_option("--stop-on", stop_on, "stop (SIGSTOP) on this file system once process1 runs from it, for a test");
    auto* claims_command = app.add_subcommand("claims", "judge the seed's claims by running the scenarios");
    claims_command->add_option("--ledger", ledger, "ledger file (default: scenarios/claims/seed.json)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : exit_bad_input;
    }
    try {
        if (*run_command) return run(file, out, keep, quiet, stop_after_step, size);
        if (*list_command) return list(list_dir.empty() ? scenario_dir() : list_dir);
        if (*claims_command) return claims(ledger);
        if (*survey_command) return survey(updaters);
        if (*matrix_command) return matrix(matrix_filesystems, stop_on, narrate);
        return check(check_files);
    } catch (const lab::ScenarioError& error) {
        std::fprintf(stderr, "lab: %s\n", error.what());
        return exit_bad_input;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "lab: %s\n", error.what());
        return 1;
    }
}
