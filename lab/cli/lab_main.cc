// lab_main.cc — parse, call, report: the part of main() both executables share.
#include "cli/lab_main.h"

#include <csignal>
#include <cstdio>
#include <exception>

#include "base/text.h"
#include "input/input_error.h"
#include "system/leftovers.h"

namespace cli {

namespace {

int dispatch(const Arguments& a)
{
    lab::sweep_leftovers();  // what runs killed with SIGKILL left in $TMPDIR
    if (a.command == "run") return run(a.run);
    if (a.command == "list") return list(a.list_dir.empty() ? scenario_dir() : a.list_dir);
    return check(a.check_files);
}

}  // namespace

int lab_main(int argc, char** argv, CampaignEntry campaigns)
{
    signal(SIGPIPE, SIG_IGN);  // a host that died is seen through its pidfd, not by dying of EPIPE
    int exit_code = 0;
    std::optional<Arguments> arguments = parse_arguments(argc, argv, exit_code);
    if (!arguments) return exit_code;
    lab::remove_on_interrupt();
    try {
        return is_campaign(arguments->command) ? campaigns(*arguments, argv) : dispatch(*arguments);
    } catch (const lab::ScenarioError& error) {
        std::fprintf(stderr, "lab: %s\n", error.what());
        return exit_bad_input;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "lab: %s\n", lab::printable(error.what(), 190).c_str());
        return 1;
    }
}

}  // namespace cli
