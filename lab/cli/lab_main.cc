// lab_main.cc — parse, call or hand over, report: the part of main() the executables share.
#include "cli/lab_main.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>

#include "base/text.h"
#include "input/input_error.h"
#include "system/leftovers.h"

namespace cli {

namespace {

// Becomes `executable`, from the directory this one was started from.
int hand_off(const Arguments& arguments, const std::string& executable, char** argv)
{
    std::error_code unknown;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", unknown);
    const std::string sibling = (self.parent_path() / executable).string();
    execv(sibling.c_str(), argv);
    std::fprintf(stderr, "lab: %s needs %s: %s%s\n", arguments.command.c_str(), sibling.c_str(), std::strerror(errno),
                 errno == ENOENT ? " (build it: make -f Makefile.demo build)" : "");
    return 1;
}

}  // namespace

std::string executable_of(const std::string& command)
{
    if (command == "claims" || command == "survey" || command == "matrix" || command == "libcs" || command == "kernels") return "lab-campaigns";
    if (command == "report") return "lab-report";
    return "lab";
}

int lab_main(int argc, char** argv, const std::string& self, Commands commands)
{
    signal(SIGPIPE, SIG_IGN);  // a host that died is seen through its pidfd, not by dying of EPIPE
    int exit_code = 0;
    std::optional<Arguments> arguments = parse_arguments(argc, argv, exit_code);
    if (!arguments) return exit_code;
    const std::string executable = executable_of(arguments->command);
    if (executable != self) return hand_off(*arguments, executable, argv);
    lab::remove_on_interrupt();
    try {
        lab::sweep_leftovers();  // what runs killed with SIGKILL left in $TMPDIR
        return commands(*arguments);
    } catch (const lab::ScenarioError& error) {
        std::fprintf(stderr, "lab: %s\n", error.what());
        return exit_bad_input;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "lab: %s\n", lab::printable(error.what(), 190).c_str());
        return 1;
    }
}

}  // namespace cli
