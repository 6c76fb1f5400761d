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
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "input/input_error.h"
#include "base/text.h"
#include "cli/commands.h"
#include "system/leftovers.h"

namespace {

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

// Every subcommand's options, bound to where the parse puts them.
struct Arguments {
    cli::RunArguments run;
    std::string list_dir, ledger, claims_out, survey_out, stop_on, matrix_out;
    std::vector<std::string> check_files, updaters, filesystems;
    bool narrate = false;
    CLI::App *run_command = nullptr, *list_command = nullptr, *check_command = nullptr, *claims_command = nullptr,
             *survey_command = nullptr, *matrix_command = nullptr;
    CLI::Option* size = nullptr;
};

void add_run(CLI::App& app, Arguments& a)
{
    a.run_command = app.add_subcommand("run", "run one scenario and write its result");
    a.run_command->add_option("FILE", a.run.file, "scenario file, e.g. scenarios/inplace.json")->required();
    a.run_command->add_option("--out", a.run.out, "result file (default: results/NAME.json)");
    a.run_command->add_flag("--keep", a.run.keep, "keep the sandbox directory");
    a.run_command->add_flag("--quiet", a.run.quiet, "print only the outcome line");
    a.run_command->add_option("--stop-after-step", a.run.stop_after_step, "stop the runner (SIGSTOP) after step N, from 0");
    a.size = a.run_command->add_option("--size", a.run.size, "pad every libfoo.so to this size, e.g. 1G (default: LAB_SIZE, or the scenario's library.pad_to)");
}

void add_campaigns(CLI::App& app, Arguments& a)
{
    a.survey_command = app.add_subcommand("survey", "replace libfoo.so with each real updater, one run each");
    a.survey_command->add_option("--updater", a.updaters, "an updater of your own: NAME=COMMAND, with {new} and {path}");
    a.survey_command->add_option("--out", a.survey_out, "result file (default: results/survey.json)");
    a.matrix_command = app.add_subcommand("matrix", "(root) run the scenarios on file systems made for the purpose");
    a.matrix_command->add_option("--fs", a.filesystems, "only this file system (repeatable): ext4, xfs, btrfs, tmpfs, overlay-lower, overlay-merged, squashfs, erofs");
    a.matrix_command->add_flag("--narrate", a.narrate, "print every run's transcript, then the table");
    a.matrix_command->add_option("--stop-on", a.stop_on, "stop (SIGSTOP) on this file system once process1 runs from it, for a test");
    a.matrix_command->add_option("--out", a.matrix_out, "result file (default: results/matrix.json)");
    a.claims_command = app.add_subcommand("claims", "judge the seed's claims by running the scenarios");
    a.claims_command->add_option("--ledger", a.ledger, "ledger file (default: scenarios/claims/seed.json)");
    a.claims_command->add_option("--out", a.claims_out, "ledger result (default: results/claims.json); each scenario's result goes beside it");
}

void add_commands(CLI::App& app, Arguments& a)
{
    app.require_subcommand(1);
    add_run(app, a);
    a.list_command = app.add_subcommand("list", "list the scenarios");
    a.list_command->add_option("DIR", a.list_dir, "directory of scenario files");
    a.check_command = app.add_subcommand("check", "check scenario files without running them");
    a.check_command->add_option("FILE", a.check_files, "scenario files (default: all)");
    add_campaigns(app, a);
}

int dispatch(Arguments& a)
{
    a.run.size_given = a.size->count() > 0;
    if (*a.run_command) return cli::run(a.run);
    if (*a.list_command) return cli::list(a.list_dir.empty() ? cli::scenario_dir() : a.list_dir);
    if (*a.claims_command) return cli::claims(a.ledger, a.claims_out);
    if (*a.survey_command) return cli::survey(a.updaters, a.survey_out);
    if (*a.matrix_command) return cli::matrix(a.filesystems, a.stop_on, a.narrate, a.matrix_out);
    return cli::check(a.check_files);
}

}  // namespace

int main(int argc, char** argv)
{
    signal(SIGPIPE, SIG_IGN);  // a host that died is seen through its pidfd, not by dying of EPIPE
    lab::remove_on_interrupt();
    lab::sweep_leftovers();  // what runs killed with SIGKILL left in $TMPDIR
    CLI::App app{"libfoo-lab: what happens to running processes when a shared library is replaced"};
    Arguments arguments;
    add_commands(app, arguments);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::ParseError& error) {
        std::fprintf(stderr, "lab: %s\n", usage_error(argc, argv, error).c_str());
        return cli::exit_bad_input;
    }
    try {
        return dispatch(arguments);
    } catch (const lab::ScenarioError& error) {
        std::fprintf(stderr, "lab: %s\n", error.what());
        return cli::exit_bad_input;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "lab: %s\n", lab::printable(error.what(), 190).c_str());
        return 1;
    }
}
