// commands.cc — each lab command: read its input, call the runner library, print and write what
// it gives. The tables and texts themselves belong to the campaigns (campaigns/*).
#include "cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/files.h"
#include "base/text.h"
#include "campaigns/claims/claims.h"
#include "campaigns/matrix/matrix.h"
#include "campaigns/survey/survey.h"
#include "engine/run.h"
#include "report/transcript.h"
#include "result/result_file.h"
#include "result/result_json.h"
#include "scenario/catalogue.h"
#include "scenario/scenario.h"
#include "system/paths.h"

namespace cli {

std::string scenario_dir()
{
    if (std::filesystem::is_directory("scenarios")) return "scenarios";
    return LAB_SOURCE_DIR "/scenarios";
}

namespace {

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

}  // namespace

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
    lab::ScenarioResult result = lab::run_scenario(scenario, catalogue, lab::Paths::locate(), options);
    const std::string write_error = write_result(out, lab::to_json(result));  // the outcome is printed all the same
    if (!quiet) transcript.summary(result, write_error.empty() ? out : "");
    else std::printf("%s %s: %s\n", std::string(lab::to_string(result.outcome)).c_str(), scenario.name.c_str(), result.reason.c_str());
    return finish(write_error, lab::exit_code(result.outcome));
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
    for (const auto& [key, cell] : lab::run_matrix_cases(claims, scenarios, catalogue, paths)) {
        results[key] = cell.result.is_null() ? nlohmann::ordered_json{{"outcome", lab::to_string(cell.status)}, {"reason", cell.reason}}
                                             : cell.result;
        std::printf("%s %s: %s\n", std::string(lab::to_string(cell.status)).c_str(), key.c_str(), cell.reason.c_str());
        broken |= cell.status == lab::Outcome::BROK;
    }
    std::string environment;
    for (const auto& scenario : scenarios) {
        lab::ScenarioResult result = lab::run_scenario(scenario, catalogue, paths, lab::RunOptions{});
        results[scenario.name] = lab::to_json(result);
        std::string error = write_result((results_dir / (scenario.name + ".json")).string(), results[scenario.name]);
        if (write_error.empty()) write_error = error;
        std::printf("%s %s: %s\n", std::string(lab::to_string(result.outcome)).c_str(), scenario.name.c_str(),
                    result.reason.c_str());
        broken |= result.outcome == lab::Outcome::BROK;
        environment = lab::environment_line(result.first().environment);
    }
    std::vector<lab::ClaimVerdict> verdicts = lab::judge_claims(claims, results);
    lab::print_claims(stdout, verdicts, environment);
    std::string error = write_result(out, lab::ledger_json(ledger, environment, verdicts));
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
        failed |= lab::exit_code(row.status) != 0;
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
    const std::string known = lab::matrix_filesystem_names();
    for (const auto& name : only)
        if (!lab::find_matrix_filesystem(name)) throw lab::ScenarioError("--fs", "", lab::quote_value(name) + " is not one of " + known);
    if (!stop_on.empty() && !lab::find_matrix_filesystem(stop_on))
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
    std::printf("%s", lab::matrix_notes(result).c_str());
    std::string error = write_result(out, result.to_json());
    if (error.empty()) std::printf("\nMatrix written to %s\n", out.c_str());
    return finish(error, lab::matrix_failed(result) ? 1 : 0);
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

}  // namespace cli
