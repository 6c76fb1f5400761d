// command_line_test.cc — a word the lab cannot use on its command line, or a result file it could
// not write, is one line naming it, exit 2, before anything runs; a result that still cannot be
// written at the end does not swallow the outcome.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

struct Place : testing::OwnTmpdir {
    CommandResult lab(const std::vector<std::string>& args) const { return run_lab(args); }
    bool nothing_made() const { return std::filesystem::is_empty(tmp) && !std::filesystem::exists(scratch.path("results")); }
};

// One line on stderr that contains `word`, exit 2.
void expect_usage_error(const CommandResult& lab, const std::string& word)
{
    EXPECT_EQ(lab.status.code, 2) << lab.err;
    EXPECT_EQ(std::count(lab.err.begin(), lab.err.end(), '\n'), 1) << lab.err;
    EXPECT_EQ(lab.err.rfind("lab: ", 0), 0u) << lab.err;
    EXPECT_NE(lab.err.find(word), std::string::npos) << lab.err;
    EXPECT_TRUE(lab.out.empty()) << lab.out;
}

std::string inplace() { return testing::source_path("scenarios/inplace.json"); }

TEST(CommandLineTest, AnUnknownCommandOrFlagIsNamed)
{
    Place place;
    expect_usage_error(place.lab({"frob"}), "\"frob\"");
    expect_usage_error(place.lab({"run", inplace(), "--bogus"}), "--bogus");
    expect_usage_error(place.lab({"survey", "--fs", "ext4"}), "--fs");
    expect_usage_error(place.lab({"run"}), "FILE");
    expect_usage_error(place.lab({"run", inplace(), "--stop-after-step", "two"}), "two");
    EXPECT_TRUE(place.nothing_made());
}

TEST(CommandLineTest, AnEmptySizeAndAStepOutsideTheScenarioAreErrors)
{
    Place place;
    expect_usage_error(place.lab({"run", inplace(), "--size", ""}), "--size");
    expect_usage_error(place.lab({"run", inplace(), "--size", "12Q"}), "\"12Q\"");
    expect_usage_error(place.lab({"run", inplace(), "--stop-after-step", "99"}), "--stop-after-step: 99 is not a step of inplace");
    expect_usage_error(place.lab({"run", inplace(), "--stop-after-step", "-2"}), "--stop-after-step");
    EXPECT_TRUE(place.nothing_made());
}

// Every command that writes a result checks where before it starts anything: no sandbox, no host.
TEST(CommandLineTest, AnUnwritableOutIsRefusedBeforeAnythingRuns)
{
    Place place;
    std::ofstream(place.scratch.path("a-file")) << "not a directory";
    const std::string out = place.scratch.path("a-file/result.json");
    for (std::vector<std::string> args : {std::vector<std::string>{"run", inplace()}, {"survey"}, {"matrix"}, {"claims"}}) {
        args.insert(args.end(), {"--out", out});
        CommandResult lab = place.lab(args);
        expect_usage_error(lab, out + ": cannot write a result there: Not a directory");
        EXPECT_EQ(lab.err.find("XXXXXX"), std::string::npos) << lab.err;
    }
    expect_usage_error(place.lab({"run", inplace(), "--out", place.tmp}), "it is a directory");
    EXPECT_TRUE(place.nothing_made());
}

// An ordinary user with a root-owned results/ is told at once, not after the whole survey.
TEST(CommandLineTest, APermissionProblemIsToldAtOnce)
{
    if (geteuid() != 0) GTEST_SKIP() << "needs root to make a directory another user cannot write";
    Place place;
    place.scratch.open_to_everyone();
    std::filesystem::create_directory(place.scratch.path("results"));  // root's, 0755
    std::string why_not;
    CommandResult lab = testing::run_lab_unprivileged({"survey"}, place.scratch.dir(), &why_not);
    if (!why_not.empty()) GTEST_SKIP() << why_not;
    expect_usage_error(lab, "results/survey.json: cannot write a result there: Permission denied");
}

// The destination's directory becomes a file while the run is stopped: the outcome is printed all the same, then
// why the result could not be written, and the exit code says so.
TEST(CommandLineTest, AResultThatCannotBeWrittenAtTheEndStillPrintsTheOutcome)
{
    Place place;
    std::filesystem::create_directory(place.scratch.path("gone"));
    SpawnSpec spec;
    spec.argv = {testing::paths().bin_dir + "/lab", "run", inplace(), "--quiet", "--out", place.scratch.path("gone/r.json"),
                 "--stop-after-step", "0"};
    spec.env_set = {{"TMPDIR", place.tmp}};
    Child runner(spec);
    siginfo_t info = {};
    alarm(60);  // bounds the blocking wait; the test fails by SIGALRM rather than hanging
    ASSERT_EQ(waitid(P_PID, runner.pid(), &info, WSTOPPED | WNOWAIT), 0);
    alarm(0);
    std::filesystem::remove_all(place.scratch.path("gone"));
    std::ofstream(place.scratch.path("gone")) << "a file where the directory was";
    kill(runner.pid(), SIGCONT);
    ASSERT_TRUE(runner.wait_until(Clock::now() + std::chrono::seconds(30)));
    std::string out, err;
    drain(runner.out(), &out);
    drain(runner.err(), &err);
    EXPECT_EQ(runner.status()->code, 1);
    EXPECT_EQ(out.rfind("PASS inplace: ", 0), 0u) << out;
    EXPECT_NE(err.find("gone/r.json: the result could not be written: "), std::string::npos) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

// `lab claims|survey|matrix` becomes lab-campaigns, the executable beside lab: the same process
// (exec), so the campaign's output and exit code are lab's. A lab copied without it says what to
// build, in one line, and runs nothing.
TEST(CommandLineTest, ACampaignIsRunByLabCampaignsBesideLab)
{
    Place place;
    CommandResult help = place.lab({"survey", "--help"});
    EXPECT_EQ(help.status.code, 0) << help.err;
    EXPECT_NE(help.out.find("--updater"), std::string::npos) << help.out;

    std::filesystem::copy_file(testing::paths().bin_dir + "/lab", place.scratch.path("lab"));
    std::filesystem::permissions(place.scratch.path("lab"), std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
    for (const std::string campaign : {"claims", "survey", "matrix"}) {
        CommandResult alone = run_command({place.scratch.path("lab"), campaign}, place.scratch.dir(), std::chrono::seconds(30));
        EXPECT_EQ(alone.status.code, 1) << alone.err;
        EXPECT_EQ(std::count(alone.err.begin(), alone.err.end(), '\n'), 1) << alone.err;
        EXPECT_NE(alone.err.find("lab: " + campaign + " needs " + place.scratch.path("lab-campaigns")), std::string::npos) << alone.err;
        EXPECT_NE(alone.err.find("make -f Makefile.demo build"), std::string::npos) << alone.err;
        EXPECT_TRUE(alone.out.empty()) << alone.out;
    }
    EXPECT_FALSE(std::filesystem::exists(place.scratch.path("results")));
}

}  // namespace
}  // namespace lab
