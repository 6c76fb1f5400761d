// arguments.cc — the subcommands and their options (CLI11). Alone in its file: CLI11 is the
// costliest header the command compiles, and it compiles here once, for both executables.
#include "cli/arguments.h"

#include <algorithm>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "base/text.h"

namespace cli {

namespace {

const std::vector<std::string>& command_names()
{
    static const std::vector<std::string> names = {"run", "list", "check", "compare", "scan", "claims", "survey", "matrix", "libcs", "kernels", "report"};
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

CLI::Option* add_run(CLI::App& app, Arguments& a)
{
    CLI::App* run = app.add_subcommand("run", "run one scenario and write its result");
    run->add_option("FILE", a.run.file, "scenario file, e.g. scenarios/inplace.json")->required();
    run->add_option("--out", a.run.out, "result file (default: results/NAME.json)");
    run->add_flag("--keep", a.run.keep, "keep the sandbox directory");
    run->add_flag("--quiet", a.run.quiet, "print only the outcome line");
    run->add_option("--junit", a.run.junit, "also write the outcome as JUnit XML, for CI");
    run->add_option("--libc", a.run.libc, "the hosts' C library: glibc (default) or musl (hosts built with musl-gcc)")
        ->check(CLI::IsMember({"glibc", "musl"}));
    run->add_option("--from", a.run.from, "start on this edition instead: a built-in variant, or your own (mine.c, mine.so)");
    run->add_option("--to", a.run.to, "update to this edition instead: a built-in variant, or your own (mine.c, mine.so)");
    run->add_flag("--step", a.run.step, "classroom mode: before each step say what comes, wait for Enter (q: stop there)");
    run->add_option("--stop-after-step", a.run.stop_after_step, "stop the runner (SIGSTOP) after step N, from 0");
    return run->add_option("--size", a.run.size, "pad every libfoo.so to this size, e.g. 1G (default: LAB_SIZE, or the scenario's library.pad_to)");
}

void add_campaigns(CLI::App& app, Arguments& a)
{
    CLI::App* survey = app.add_subcommand("survey", "replace libfoo.so with each real updater, one run each");
    survey->add_option("--updater", a.updaters, "an updater of your own: NAME=COMMAND, with {new} and {path}");
    survey->add_option("--out", a.survey_out, "result file (default: results/survey.json)");
    survey->add_option("--junit", a.survey_junit, "also write a testcase per updater as JUnit XML, for CI");
    survey->add_option("--from", a.survey_from, "start on this edition instead of v1: a built-in variant, or your own (mine.c, mine.so)");
    survey->add_option("--to", a.survey_to, "update to this edition instead of v2: a built-in variant, or your own (mine.c: the linkers need its foo.o)");
    CLI::App* matrix = app.add_subcommand("matrix", "(root) run the scenarios on file systems made for the purpose");
    matrix->add_option("--fs", a.filesystems, "only this file system (repeatable): ext4, xfs, btrfs, tmpfs, overlay-lower, overlay-merged, squashfs, erofs");
    matrix->add_flag("--narrate", a.narrate, "print every run's transcript, then the table");
    matrix->add_option("--stop-on", a.stop_on, "stop (SIGSTOP) on this file system once process1 runs from it, for a test");
    matrix->add_option("--out", a.matrix_out, "result file (default: results/matrix.json)");
    matrix->add_option("--junit", a.matrix_junit, "also write a testcase per scenario and file system as JUnit XML, for CI");
    CLI::App* libcs = app.add_subcommand("libcs", "run every scenario with hosts built for glibc and for musl, side by side");
    libcs->add_option("--out", a.libcs_out, "result file (default: results/libcs.json); each run's result goes under libcs/ beside it");
    libcs->add_option("--junit", a.libcs_junit, "also write a testcase per scenario and libc as JUnit XML, for CI");
    CLI::App* kernels = app.add_subcommand("kernels", "run the scenarios under other kernels in QEMU guests, beside the running kernel");
    kernels->add_option("--kernel", a.kernels,
                        "a kernel (repeatable): running, a Debian package (linux-image-...), a .deb, an unpacked package or a bzImage "
                        "(default: running and the newest cloud image of each series apt knows)");
    kernels->add_option("--scenario", a.kernel_scenarios, "a scenario name or file (repeatable; default: the core scenarios)");
    kernels->add_option("--out", a.kernels_out, "result file (default: results/kernels.json); each run's result goes under kernels/ beside it");
    kernels->add_option("--junit", a.kernels_junit, "also write a testcase per scenario and kernel as JUnit XML, for CI");
    CLI::App* claims = app.add_subcommand("claims", "judge the seed's claims by running the scenarios");
    claims->add_option("--ledger", a.ledger, "ledger file (default: scenarios/claims/seed.json)");
    claims->add_option("--out", a.claims_out, "ledger result (default: results/claims.json); each scenario's result goes beside it");
    claims->add_option("--junit", a.claims_junit, "also write a testcase per claim case as JUnit XML, for CI");
    claims->add_flag("--kernels", a.claims_kernels, "also the cases under other kernels, in QEMU guests (lab kernels)");
    CLI::App* report = app.add_subcommand("report", "draw pages with pictures (HTML, inline SVG) from result files");
    report->add_option("RESULT", a.report_files, "result files, e.g. results/inplace.json")->required();
    report->add_option("--out", a.report_out, "directory for the pages (default: results/report)");
    report->add_option("--format", a.report_format, "html (pages with their figures inside) or md (Markdown, figures as .svg beside it)")
        ->check(CLI::IsMember({"html", "md"}));
}

}  // namespace

std::optional<Arguments> parse_arguments(int argc, char** argv, int& exit_code)
{
    CLI::App app{"libfoo-lab: what happens to running processes when a shared library is replaced"};
    Arguments arguments;
    app.require_subcommand(1);
    CLI::Option* size = add_run(app, arguments);
    app.add_subcommand("list", "list the scenarios")->add_option("DIR", arguments.list_dir, "directory of scenario files");
    app.add_subcommand("check", "check scenario files without running them")
        ->add_option("FILE", arguments.check_files, "scenario files (default: all)");
    app.add_subcommand("compare", "compare result files: environments side by side, then what differs (exit 1 when verdicts differ)")
        ->add_option("RESULT", arguments.compare_files, "result files of lab run, matrix, survey, claims, libcs or kernels")
        ->required()
        ->expected(2, -1);
    CLI::App* scan = app.add_subcommand("scan", "find the running processes whose libraries were replaced or overwritten in place");
    scan->add_option("--pid", arguments.scan_pids, "only this process (repeatable; default: every process this user may read)");
    scan->add_flag("--json", arguments.scan_json, "print JSON: {processes: [{pid, comm, exe, libraries: [{path, status, evidence}]}], unreadable}");
    scan->add_flag("--batch", arguments.scan_batch, "print needrestart's batch lines: NEEDRESTART-PID: comm=pid,...");
    add_campaigns(app, arguments);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        exit_code = app.exit(help);
        return std::nullopt;
    } catch (const CLI::CallForAllHelp& help) {
        exit_code = app.exit(help);
        return std::nullopt;
    } catch (const CLI::ParseError& error) {
        std::fprintf(stderr, "lab: %s\n", usage_error(argc, argv, error).c_str());
        exit_code = exit_bad_input;
        return std::nullopt;
    }
    arguments.command = app.get_subcommands().front()->get_name();
    arguments.run.size_given = size->count() > 0;
    return arguments;
}

}  // namespace cli
