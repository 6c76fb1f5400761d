// lab — the scenario runner's command line. Thin: parse, call the runner library, report.
//
//   lab run FILE [--out PATH] [--keep] [--quiet] [--stop-after-step N] [--size SIZE]
//   lab list [DIR]          the scenarios in DIR (./scenarios, else the source tree's)
//   lab check [FILE...]     parse and check scenario files without running them
//   lab claims [--ledger FILE] [--out PATH]  run the scenarios that test the seed's claims, print
//                               the ledger, write results/claims.json (and each scenario's result
//                               beside it)
//   lab survey [--updater NAME=COMMAND]... [--out PATH]  replace libfoo.so with each real updater
//                               (and yours), print the table, write results/survey.json
//   lab matrix [--fs NAME]... [--narrate] [--stop-on NAME] [--out PATH]  (root) the scenarios on
//                               ext4, xfs, btrfs, tmpfs, overlayfs, squashfs and erofs made for the
//                               purpose; print the table, write results/matrix.json
//
// Exit codes: 0 PASS or CONF (and a clean check); 1 FAIL or BROK, or a result that could not be
// written at the end; 2 bad input or usage (one line on stderr, before anything runs). SIGINT,
// SIGTERM and SIGHUP remove what the run made and end it by the same signal (leftovers.h).
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

#include "scenario/catalogue.h"
#include "base/files.h"
#include "campaigns/claims/claims.h"
#include "system/leftovers.h"
#include "campaigns/matrix/matrix.h"
#include "system/paths.h"
#include "result/result_file.h"
#include "engine/run.h"
#include "system/sandbox.h"
#include "scenario/scenario.h"
#include "campaigns/survey/survey.h"
#include "base/text.h"
#include "report/transcript.h"

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

// Writes a result at the end of the work. The destination was checked before the work began, so
// this fails only when something changed meanwhile (a full disk): then the caller has still
// printed its outcome, and the error follows it.
// Returns "" when written, else the line that says why not.
std::string write_result(const std::string& out, const nlohmann::ordered_json& json)
{
    try {
        lab::write_result_atomically(out, json);
        return "";
    } catch (const std::system_error& error) {
        return lab::printable(out, 120) + ": the result could not be written: " + error.code().message();
    }
}

// After the outcome has been printed: the write error, if any, and the exit code.
int finish(const std::string& write_error, int code)
{
    if (write_error.empty()) return code;
    std::fflush(stdout);
    std::fprintf(stderr, "lab: %s\n", write_error.c_str());
    return 1;
}

struct RunArguments {
    std::string file, out, size;
    bool keep = false, quiet = false, size_given = false;
    int stop_after_step = -1;
};

// --size, else LAB_SIZE, else 0 (the scenario's own library.pad_to).
long long library_size(const RunArguments& arguments)
{
    std::string size = arguments.size;
    std::string from = "--size";
    if (!arguments.size_given)
        if (const char* from_environment = std::getenv("LAB_SIZE"); from_environment && *from_environment) {
            size = from_environment;
            from = "LAB_SIZE";
        }
    if (!arguments.size_given && from == "--size") return 0;
    auto bytes = lab::parse_size(size);
    if (!bytes || *bytes == 0) throw lab::ScenarioError(from, "", lab::quote_value(size) + " is not a size like 64M or 1G");
    return *bytes;
}

int run(const RunArguments& arguments)
{
    const long long size = library_size(arguments);
    lab::Catalogue catalogue = lab::Catalogue::load(lab::Paths::locate().libfoo_dir);
    lab::Scenario scenario = lab::load_scenario(arguments.file, catalogue);
    const int steps = static_cast<int>(scenario.steps.size());
    if (arguments.stop_after_step < -1 || arguments.stop_after_step >= steps)
        throw lab::ScenarioError("--stop-after-step", "", std::to_string(arguments.stop_after_step) + " is not a step of " +
                                                              scenario.name + " (0 to " + std::to_string(steps - 1) + ")");
    const std::string out = arguments.out.empty() ? lab::default_result_path(scenario.name) : arguments.out;
    lab::check_result_destination(out);
    const bool quiet = arguments.quiet;

    lab::Transcript transcript(stdout);
    lab::RunOptions options;
    options.keep = arguments.keep;
    options.stop_after_step = arguments.stop_after_step;
    options.library_size = size;
    options.narrator = quiet ? nullptr : &transcript;
    if (!quiet) transcript.header(scenario);
    lab::RunResult result = lab::run_scenario(scenario, catalogue, lab::Paths::locate(), options);
    const std::string write_error = write_result(out, result.json);  // the outcome is printed all the same
    if (!quiet) transcript.summary(result.json, write_error.empty() ? out : "");
    else std::printf("%s %s: %s\n", std::string(lab::to_string(result.outcome)).c_str(), scenario.name.c_str(), result.reason.c_str());
    return finish(write_error, result.outcome == lab::Outcome::PASS || result.outcome == lab::Outcome::CONF ? 0 : 1);
}

// Runs every scenario the ledger needs (those that exist), then judges the claims from them.
int claims(std::string ledger, std::string out)
{
    if (ledger.empty()) ledger = scenario_dir() + "/claims/seed.json";
    std::vector<lab::Claim> claims = lab::load_claims(ledger);
    if (out.empty()) out = lab::default_result_path("claims");
    lab::check_result_destination(out);
    // Each scenario's result goes beside the ledger's.
    const std::filesystem::path results_dir = std::filesystem::path(out).has_parent_path() ? std::filesystem::path(out).parent_path() : ".";
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
        std::string error = write_result((results_dir / (scenario.name + ".json")).string(), result.json);
        if (write_error.empty()) write_error = error;
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
    std::string error = write_result(out, ledger_json);
    if (error.empty()) std::printf("\nLedger written to %s\n", out.c_str());
    return finish(write_error.empty() ? error : write_error, broken ? 1 : 0);
}

// Every built-in updater, then the user's, one run each.
int survey(const std::vector<std::string>& custom, std::string out)
{
    std::vector<lab::Updater> updaters = lab::builtin_updaters();
    for (const auto& text : custom) {
        auto updater = lab::parse_updater(text);
        if (!updater) throw lab::ScenarioError("--updater", "", lab::quote_value(text) + " is not NAME=COMMAND");
        updaters.push_back(*updater);
    }
    if (out.empty()) out = lab::default_result_path("survey");
    lab::check_result_destination(out);
    lab::Paths paths = lab::Paths::locate();
    lab::Catalogue catalogue = lab::Catalogue::load(paths.libfoo_dir);
    nlohmann::ordered_json rows = nlohmann::ordered_json::object();
    std::vector<lab::SurveyRow> done;
    bool failed = false;
    std::printf("%s\n", lab::survey_table_header().c_str());
    for (const auto& updater : updaters) {
        lab::SurveyRow row = lab::survey_one(updater, catalogue, paths);
        rows[row.name] = row.to_json();
        failed |= row.status == "FAIL" || row.status == "BROK";
        std::printf("%s\n", lab::survey_table_line(row).c_str());
        std::fflush(stdout);
        done.push_back(row);
    }
    std::printf("%s", lab::survey_notes(done).c_str());
    std::string error = write_result(out, {{"schema", "libfoo-lab/survey/1"}, {"updaters", rows}});
    if (error.empty()) std::printf("\nSurvey written to %s\n", out.c_str());
    return finish(error, failed ? 1 : 0);
}

// Each file system made, used by every scenario of the matrix, and undone; a row printed as it ends.
int matrix(const std::vector<std::string>& only, const std::string& stop_on, bool narrate, std::string out)
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
        if (!is_known(name)) throw lab::ScenarioError("--fs", "", lab::quote_value(name) + " is not one of " + known);
    if (!stop_on.empty() && !is_known(stop_on))
        throw lab::ScenarioError("--stop-on", "", lab::quote_value(stop_on) + " is not one of " + known);
    if (out.empty()) out = lab::default_result_path("matrix");
    lab::check_result_destination(out);
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
    std::string error = write_result(out, result.to_json());
    if (error.empty()) std::printf("\nMatrix written to %s\n", out.c_str());
    return finish(error, failed ? 1 : 0);
}

int list(const std::string& dir)
{
    lab::Catalogue catalogue = lab::Catalogue::load(lab::Paths::locate().libfoo_dir);
    int status = 0;
    for (const auto& file : scenario_files(dir)) {
        try {
            lab::Scenario scenario = lab::load_scenario(file, catalogue);
            std::printf("%-16s %s\n", scenario.name.c_str(), lab::printable(scenario.title, 200).c_str());
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
            std::printf("ok   %s\n", lab::printable(file, 200).c_str());
        } catch (const lab::ScenarioError& error) {
            std::fprintf(stderr, "lab: %s\n", error.what());
            status = exit_bad_input;
        }
    }
    return status;
}

const std::vector<std::string>& command_names()
{
    static const std::vector<std::string> names = {"run", "list", "check", "claims", "survey", "matrix"};
    return names;
}

// CLI11's message, made one line that names the bad word; `lab frob` would otherwise only hear
// that a subcommand is required.
std::string usage_error(int argc, char** argv, const CLI::ParseError& error)
{
    if (argc > 1 && argv[1][0] != '-') {
        const auto& names = command_names();
        if (std::find(names.begin(), names.end(), argv[1]) == names.end())
            return "unknown command " + lab::quote_value(argv[1]) + " (commands: " + lab::join(names, ", ") + ")";
    }
    std::string what = error.what();
    if (!what.empty() && what.back() == '.') what.pop_back();
    return lab::printable(what, 160) + " (lab --help)";
}

}  // namespace

int main(int argc, char** argv)
{
    signal(SIGPIPE, SIG_IGN);  // a host that died is seen through its pidfd, not by dying of EPIPE
    lab::remove_on_interrupt();
    lab::sweep_leftovers();  // what runs killed with SIGKILL left in $TMPDIR
    CLI::App app{"libfoo-lab: what happens to running processes when a shared library is replaced"};
    app.require_subcommand(1);

    RunArguments run_arguments;
    std::string list_dir;
    std::vector<std::string> check_files;
    auto* run_command = app.add_subcommand("run", "run one scenario and write its result");
    run_command->add_option("FILE", run_arguments.file, "scenario file, e.g. scenarios/inplace.json")->required();
    run_command->add_option("--out", run_arguments.out, "result file (default: results/NAME.json)");
    run_command->add_flag("--keep", run_arguments.keep, "keep the sandbox directory");
    run_command->add_flag("--quiet", run_arguments.quiet, "print only the outcome line");
    run_command->add_option("--stop-after-step", run_arguments.stop_after_step, "stop the runner (SIGSTOP) after step N, from 0");
    auto* size_option = run_command->add_option("--size", run_arguments.size, "pad every libfoo.so to this size, e.g. 1G (default: LAB_SIZE, or the scenario's library.pad_to)");
    auto* list_command = app.add_subcommand("list", "list the scenarios");
    list_command->add_option("DIR", list_dir, "directory of scenario files");
    auto* check_command = app.add_subcommand("check", "check scenario files without running them");
    check_command->add_option("FILE", check_files, "scenario files (default: all)");
    std::string ledger, claims_out;
    std::vector<std::string> updaters;
    std::string survey_out;
    auto* survey_command = app.add_subcommand("survey", "replace libfoo.so with each real updater, one run each");
    survey_command->add_option("--updater", updaters, "an updater of your own: NAME=COMMAND, with {new} and {path}");
    survey_command->add_option("--out", survey_out, "result file (default: results/survey.json)");
    std::vector<std::string> matrix_filesystems;
    std::string stop_on, matrix_out;
    bool narrate = false;
    auto* matrix_command = app.add_subcommand("matrix", "(root) run the scenarios on file systems made for the purpose");
    matrix_command->add_option("--fs", matrix_filesystems, "only this file system (repeatable): ext4, xfs, btrfs, tmpfs, overlay-lower, overlay-merged, squashfs, erofs");
    matrix_command->add_flag("--narrate", narrate, "print every run's transcript, then the table");
    matrix_command->add_option("--stop-on", stop_on, "stop (SIGSTOP) on this file system once process1 runs from it, for a test");
    matrix_command->add_option("--out", matrix_out, "result file (default: results/matrix.json)");
    auto* claims_command = app.add_subcommand("claims", "judge the seed's claims by running the scenarios");
    claims_command->add_option("--ledger", ledger, "ledger file (default: scenarios/claims/seed.json)");
    claims_command->add_option("--out", claims_out, "ledger result (default: results/claims.json); each scenario's result goes beside it");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::ParseError& error) {
        std::fprintf(stderr, "lab: %s\n", usage_error(argc, argv, error).c_str());
        return exit_bad_input;
    }
    run_arguments.size_given = size_option->count() > 0;
    try {
        if (*run_command) return run(run_arguments);
        if (*list_command) return list(list_dir.empty() ? scenario_dir() : list_dir);
        if (*claims_command) return claims(ledger, claims_out);
        if (*survey_command) return survey(updaters, survey_out);
        if (*matrix_command) return matrix(matrix_filesystems, stop_on, narrate, matrix_out);
        return check(check_files);
    } catch (const lab::ScenarioError& error) {
        std::fprintf(stderr, "lab: %s\n", error.what());
        return exit_bad_input;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "lab: %s\n", lab::printable(error.what(), 190).c_str());
        return 1;
    }
}
