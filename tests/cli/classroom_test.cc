// classroom_test.cc — what a class sees on a terminal: `lab run --step` waits before each step
// with the hosts alive and running, Enter finishes with the verdicts of a run without --step, q
// leaves nothing behind; verdict words coloured on a terminal, not with NO_COLOR, not in a pipe.
#include <signal.h>

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "terminal.h"
#include "test_support.h"

namespace lab {
namespace {

std::string inplace() { return testing::source_path("scenarios/inplace.json"); }

// 'R' (running) or 'S' (sleeping), not 'T' (stopped) nor gone, from /proc/PID/stat.
char state_of(pid_t pid)
{
    std::string text = testing::proc_text(pid, "stat");
    const size_t end = text.rfind(')');
    return end == std::string::npos || end + 2 >= text.size() ? '?' : text[end + 2];
}

struct Classroom : testing::OwnTmpdir {
    testing::Terminal terminal;
    explicit Classroom(const std::vector<std::string>& args, const std::vector<std::string>& environment = {})
        : terminal(arguments(args), with_tmpdir(environment), scratch.dir())
    {
    }
    std::vector<std::string> arguments(std::vector<std::string> args) const
    {
        args.insert(args.begin(), testing::paths().bin_dir + "/lab");
        return args;
    }
    std::vector<std::string> with_tmpdir(std::vector<std::string> environment) const
    {
        environment.push_back("TMPDIR=" + tmp);
        return environment;
    }
};

TEST(ClassroomTest, StepWaitsWithTheHostsRunningAndEnterFinishesTheRun)
{
    Classroom room({"run", inplace(), "--step", "--out", "r.json"}, {"NO_COLOR=1"});
    testing::Terminal& t = room.terminal;
    ASSERT_TRUE(t.wait_for(">> Step 1 of ", std::chrono::seconds(30))) << t.output();
    // Nothing runs until Enter: no host yet, and the question stays the last thing printed.
    EXPECT_EQ(t.output().find("Started process1"), std::string::npos);
    size_t steps = 1;
    std::optional<pid_t> seen;
    for (; steps < 40; ++steps) {
        const size_t before = t.output().size();
        t.type("\n");
        if (!t.wait_for(">> Step " + std::to_string(steps + 1) + " of ", std::chrono::seconds(30), before)) break;
        std::smatch host;
        const std::string pause = t.output().substr(before);
        if (!seen && std::regex_search(pause, host, std::regex(R"(grep libfoo /proc/(\d+)/maps +# process1)"))) {
            seen = std::stoi(host[1]);
            EXPECT_TRUE(state_of(*seen) == 'S' || state_of(*seen) == 'R') << "process1 is " << state_of(*seen) << " between steps";
        }
    }
    EXPECT_TRUE(seen) << t.output();
    EXPECT_EQ(t.finish(std::chrono::seconds(60)), 0) << t.output();
    EXPECT_NE(t.output().find("PASS: observed what the expectation says"), std::string::npos) << t.output();
    EXPECT_TRUE(std::filesystem::exists(room.scratch.path("r.json")));
    EXPECT_EQ(t.output().find("\033["), std::string::npos);  // NO_COLOR
}

TEST(ClassroomTest, QEndsTheRunAndLeavesNothingBehind)
{
    Classroom room({"run", inplace(), "--step", "--out", "r.json"});
    testing::Terminal& t = room.terminal;
    ASSERT_TRUE(t.wait_for(">> Step 1 of ", std::chrono::seconds(30))) << t.output();
    t.type("\n");
    ASSERT_TRUE(t.wait_for(">> Step 2 of ", std::chrono::seconds(30))) << t.output();
    t.type("\n");
    ASSERT_TRUE(t.wait_for(">> Step 3 of ", std::chrono::seconds(30))) << t.output();
    std::smatch host;
    const std::string output = t.output();
    ASSERT_TRUE(std::regex_search(output, host, std::regex(R"(/proc/(\d+)/maps)"))) << output;
    const pid_t process1 = std::stoi(host[1]);
    t.type("q\n");
    EXPECT_EQ(t.finish(std::chrono::seconds(30)), 0) << t.output();
    EXPECT_NE(t.output().find("Stopped before step 3"), std::string::npos) << t.output();
    EXPECT_FALSE(std::filesystem::exists(room.scratch.path("r.json")));
    EXPECT_TRUE(room.left().empty()) << room.left().front();
    EXPECT_FALSE(testing::host_alive(process1));
}

TEST(ClassroomTest, VerdictWordsAreColouredOnATerminalOnly)
{
    {
        Classroom room({"run", inplace(), "--quiet", "--out", "r.json"});
        EXPECT_EQ(room.terminal.finish(std::chrono::seconds(60)), 0);
        EXPECT_NE(room.terminal.output().find("\033[1;32mPASS\033[0m inplace"), std::string::npos) << room.terminal.output();
    }
    {
        Classroom room({"run", inplace(), "--quiet", "--out", "r.json"}, {"NO_COLOR=1"});
        EXPECT_EQ(room.terminal.finish(std::chrono::seconds(60)), 0);
        EXPECT_EQ(room.terminal.output().find("\033["), std::string::npos) << room.terminal.output();
    }
    testing::OwnTmpdir place;
    CommandResult piped = place.run_lab({"run", inplace(), "--out", "r.json"});
    EXPECT_EQ(piped.out.find("\033["), std::string::npos);
    EXPECT_NE(piped.out.find("crashed"), std::string::npos);
}

// A campaign on a terminal says where it is on stderr ("[3/13] survey: rsync"), each progress
// line replaced by the next row; in a pipe it says nothing of the kind.
TEST(ClassroomTest, CampaignsShowTheirProgressOnATerminal)
{
    Classroom room({"survey", "--out", "survey.json"}, {"NO_COLOR=1"});
    ASSERT_EQ(room.terminal.finish(std::chrono::seconds(120)), 0) << room.terminal.output();
    EXPECT_NE(room.terminal.output().find("[1/"), std::string::npos) << room.terminal.output();
    EXPECT_NE(room.terminal.output().find("] survey: cp"), std::string::npos) << room.terminal.output();
    testing::OwnTmpdir place;
    CommandResult piped = place.run_lab({"survey", "--out", "survey.json"});
    EXPECT_EQ(piped.err.find("] survey: "), std::string::npos) << piped.err;
}

TEST(ClassroomTest, StepWithoutATerminalIsRefusedInOneLine)
{
    testing::OwnTmpdir place;
    CommandResult refused = place.run_lab({"run", inplace(), "--step"});
    EXPECT_EQ(refused.status.code, 2);
    EXPECT_EQ(refused.err, "lab: --step: waits for Enter before each step: stdin must be a terminal\n");
    EXPECT_FALSE(std::filesystem::exists(place.scratch.path("results")));
}

}  // namespace
}  // namespace lab
