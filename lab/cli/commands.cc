// commands.cc — the commands a run needs (run, list, check): read the input, call the runner
// library, print and write what it gives. The campaigns' are in campaigns.cc.
#include "cli/commands.h"

#include "compare/compare.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "base/colour.h"
#include "base/files.h"
#include "base/text.h"
#include "cli/classroom.h"
#include "cli/lab_main.h"
#include "engine/run.h"
#include "engine/user_edition.h"
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

std::vector<std::string> scenario_files(const std::string& dir)
{
    std::vector<std::string> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error))
        if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

namespace {

// --step, or LAB_STEP=1 (make -f Makefile.demo scenario-NAME STEP=1). It waits for Enter before
// each step: it needs someone at a terminal to press it.
bool classroom_mode(const RunArguments& arguments)
{
    const char* from_environment = std::getenv("LAB_STEP");
    if (!arguments.step && !(from_environment && *from_environment && std::string(from_environment) != "0")) return false;
    if (arguments.quiet) throw lab::ScenarioError("--step", "", "tells the class what comes next: it cannot be --quiet");
    if (!isatty(STDIN_FILENO)) throw lab::ScenarioError("--step", "", "waits for Enter before each step: stdin must be a terminal");
    return true;
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

void check_junit_destination(const std::string& junit)
{
    if (!junit.empty()) lab::check_result_destination(junit);
}

std::string write_junit_file(const std::string& junit, const std::string& suite, const std::vector<lab::JunitCase>& cases)
{
    if (junit.empty()) return "";
    try {
        lab::write_junit(junit, suite, cases);
        return "";
    } catch (const std::system_error& error) {
        return lab::printable(junit, 120) + ": the JUnit file could not be written: " + error.code().message();
    }
}

namespace {

// A testcase per run: "inplace", or "lazy-vs-now [lazy]" for one binding of several.
std::vector<lab::JunitCase> run_cases(const lab::ScenarioResult& result)
{
    std::vector<lab::JunitCase> cases;
    for (const auto& run : result.runs) {
        const std::string name = run.scenario_name + (result.runs.size() > 1 ? " [" + std::string(lab::to_string(run.binding)) + "]" : "");
        cases.push_back({"lab.run", name, run.outcome, run.reason, static_cast<double>(run.duration_ns) / 1e9});
    }
    return cases;
}

}  // namespace

std::string edition_reference(const std::string& option, const std::string& given, const lab::Catalogue& catalogue)
{
    if (lab::names_a_file(given)) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(given, error)) throw lab::ScenarioError(option, "", lab::quote_value(given, 60) + " names no file");
        return std::filesystem::absolute(given).lexically_normal().string();
    }
    if (catalogue.find(given)) return given;
    std::vector<std::string> names;
    for (const auto& entry : catalogue.variants()) names.push_back(entry.first);
    throw lab::ScenarioError(option, "", lab::quote_value(given, 24) + " is neither a file (NAME.c, NAME.so, a path) nor a built-in variant (" +
                                             lab::join(names, ", ") + ")");
}

// --from and --to: a built-in variant's name, or a user's edition (a path from here).
void choose_editions(const RunArguments& arguments, const lab::Catalogue& catalogue, lab::Scenario* scenario)
{
    if (!arguments.from.empty()) scenario->from = edition_reference("--from", arguments.from, catalogue);
    if (!arguments.to.empty()) scenario->to = edition_reference("--to", arguments.to, catalogue);
}

int run(const RunArguments& arguments)
{
    const long long size = library_size(arguments);
    lab::Catalogue catalogue = lab::Catalogue::load(lab::Paths::locate().libfoo_dir);
    lab::Scenario scenario = lab::load_scenario(arguments.file, catalogue);
    choose_editions(arguments, catalogue, &scenario);
    const int steps = static_cast<int>(scenario.steps.size());
    if (arguments.stop_after_step < -1 || arguments.stop_after_step >= steps)
        throw lab::ScenarioError("--stop-after-step", "", std::to_string(arguments.stop_after_step) + " is not a step of " +
                                                              scenario.name + " (0 to " + std::to_string(steps - 1) + ")");
    const lab::Libc libc = lab::from_string<lab::Libc>(arguments.libc).value_or(lab::Libc::glibc);
    const std::string out = !arguments.out.empty()   ? arguments.out
                            : libc == lab::Libc::musl ? lab::default_result_path("musl/" + scenario.name)
                                                      : lab::default_result_path(scenario.name);
    const bool step = classroom_mode(arguments);
    lab::check_result_destination(out);
    check_junit_destination(arguments.junit);
    const bool quiet = arguments.quiet;
    // A user's editions are built and probed before anything is printed: one that does not
    // compile or lacks a chapter is a one-line error (exit 2), and the run finds them cached.
    const lab::Catalogue editions = lab::with_user_editions(scenario, catalogue, lab::Paths::locate().with_libc(libc));

    lab::Transcript transcript(stdout);
    lab::RunOptions options;
    options.keep = arguments.keep;
    options.stop_after_step = arguments.stop_after_step;
    options.library_size = size;
    options.narrator = quiet ? nullptr : &transcript;
    if (!quiet) transcript.header(scenario);
    if (step) options.before_step = classroom_pauses(stdout, stdin);
    lab::ScenarioResult result = lab::run_scenario(scenario, editions, lab::Paths::locate().with_libc(libc), options);
    if (result.quit()) {
        std::printf("\nStopped before step %zu: the hosts were stopped and the sandbox removed; no result written.\n",
                    *result.runs.back().quit_before_step + 1);
        return 0;
    }
    std::string write_error = write_result(out, lab::to_json(result));  // the outcome is printed all the same
    if (write_error.empty()) write_error = write_junit_file(arguments.junit, "lab run " + scenario.name, run_cases(result));
    if (!quiet) transcript.summary(result, write_error.empty() ? out : "");
    else std::fputs(lab::Colour::for_stream(stdout).words(lab::format("%s %s: %s\n", std::string(lab::to_string(result.outcome)).c_str(), scenario.name.c_str(), result.reason.c_str())).c_str(), stdout);
    return finish(write_error, lab::exit_code(result.outcome));
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

int compare(const std::vector<std::string>& files)
{
    std::vector<lab::ResultFacts> facts;
    for (const auto& file : files) facts.push_back(lab::read_result_facts(file));  // all read before anything is printed
    lab::Comparison comparison = lab::compare_results(std::move(facts));
    std::fputs(lab::comparison_text(comparison).c_str(), stdout);
    return comparison.verdicts_differ() ? 1 : 0;
}

int lab_commands(const Arguments& a)
{
    if (a.command == "run") return run(a.run);
    if (a.command == "compare") return compare(a.compare_files);
    if (a.command == "scan") return scan(a.scan_pids, a.scan_json, a.scan_batch);
    if (a.command == "list") return list(a.list_dir.empty() ? scenario_dir() : a.list_dir);
    return check(a.check_files);
}

}  // namespace cli
