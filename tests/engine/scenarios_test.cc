// scenarios_test.cc — the core scenarios, run as a user runs them, give the verdicts observed on
// this machine, every time; and their result files keep the keys users read.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/run.h"
#include "base/files.h"
#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

using nlohmann::ordered_json;

constexpr int repetitions = 5;

testing::RunResult run_repo_scenario(const std::string& name)
{
    static const Paths paths = testing::paths();
    Scenario scenario = testing::load_repo_scenario(name);
    return testing::run(scenario);
}

std::string verdict(const ordered_json& result, const std::string& host)
{
    const auto& value = result["hosts"][host]["verdict"];
    return value.is_null() ? "null" : value.get<std::string>();
}

TEST(ScenariosTest, InplaceCrashesProcess1AndProcess2RunsNewEveryTime)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = run_repo_scenario("inplace");
        const ordered_json& json = result.json;
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        EXPECT_EQ(json["update"]["same_file"], true);
        EXPECT_EQ(json["update"]["identity_before"]["inode"], json["update"]["identity_after"]["inode"]);
        EXPECT_EQ(verdict(json, "process1"), "crashed");
        EXPECT_EQ(verdict(json, "process2"), "runs-new");
        const auto& end = json["hosts"]["process1"]["termination"];
        EXPECT_EQ(end["kind"], "signal");
        EXPECT_EQ(end["signal"], "SIGSEGV");
        EXPECT_EQ(end["si_code"], "SEGV_MAPERR");
        EXPECT_EQ(end["fault_address"], "0x0");
        EXPECT_EQ(json["hosts"]["process1"]["mapping_deleted"], false);
        // The call that crashed is recorded, unanswered, after the update.
        const auto& last = json["hosts"]["process1"]["calls"].back();
        EXPECT_EQ(last["chapter"], 5);
        EXPECT_EQ(last["answer"], "none");
        EXPECT_EQ(last["after_update"], true);
    }
}

TEST(ScenariosTest, RmThenBuildLeavesProcess1OnTheDeletedOldCopyEveryTime)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = run_repo_scenario("rm-then-build");
        const ordered_json& json = result.json;
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        EXPECT_EQ(json["update"]["same_file"], false);
        EXPECT_EQ(verdict(json, "process1"), "kept-old");
        EXPECT_EQ(verdict(json, "process2"), "runs-new");
        EXPECT_EQ(json["hosts"]["process1"]["mapping_deleted"], true);
        EXPECT_EQ(json["hosts"]["process2"]["mapping_deleted"], false);
        for (const auto& line : json["hosts"]["process1"]["mapping"])
            EXPECT_NE(line.get<std::string>().find(" (deleted)"), std::string::npos) << line;
        EXPECT_EQ(json["hosts"]["process1"]["termination"]["kind"], "running");
    }
}

TEST(ScenariosTest, RelinkWithGnuLdMakesANewFileSoTheSeedsInPlaceClaimIsRefuted)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = run_repo_scenario("relink");
        const ordered_json& json = result.json;
        std::string linker = json["environment"]["linker"];
        if (linker.find("GNU ld") == std::string::npos) GTEST_SKIP() << "not GNU ld: " << linker;
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        EXPECT_EQ(json["update"]["same_file"], false);
        EXPECT_EQ(verdict(json, "process1"), "kept-old");
        EXPECT_EQ(verdict(json, "process2"), "runs-new");
    }
}

TEST(ScenariosTest, TheResultFileHasTheKeysUsersRead)
{
    testing::ScratchDir scratch;
    CommandResult run = testing::run_lab(
        {"run", testing::source_path("scenarios/inplace.json"), "--out", scratch.path("inplace.json"), "--quiet"},
        scratch.dir());
    ASSERT_EQ(run.status.code, 0) << run.err;
    EXPECT_EQ(run.out.rfind("PASS inplace: ", 0), 0u) << run.out;
    auto json = ordered_json::parse(read_file(scratch.path("inplace.json")));
    EXPECT_EQ(json["schema"], "libfoo-lab/result/1");
    EXPECT_EQ(json["scenario"]["name"], "inplace");
    for (const char* key : {"kernel", "libc", "compiler", "linker", "filesystem", "uid"})
        EXPECT_TRUE(json["environment"].contains(key)) << key;
    for (const char* key : {"strategy", "same_file", "identity_before", "identity_after", "actions"})
        EXPECT_TRUE(json["update"].contains(key)) << key;
    for (const char* host : {"process1", "process2"})
        for (const char* key : {"pid", "calls", "mapping", "mapping_deleted", "termination", "verdict"})
            EXPECT_TRUE(json["hosts"][host].contains(key)) << host << "." << key;
    const auto& call = json["hosts"]["process2"]["calls"][0];
    for (const char* key : {"chapter", "version", "value", "t_ns"}) EXPECT_TRUE(call.contains(key)) << key;
    EXPECT_EQ(call["version"], "v2");
    EXPECT_EQ(call["value"], 2001);
    EXPECT_TRUE(json["timeline"].is_array());
    EXPECT_TRUE(json["expectation"].is_object());
    EXPECT_EQ(json["outcome"], "PASS");
    EXPECT_TRUE(json.contains("reason"));
    // Atomic write: no temporary file is left beside the result.
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(scratch.dir())) ++files;
    EXPECT_EQ(files, 1);
}

TEST(ScenariosTest, WithoutOutTheResultGoesToResultsNameJsonInTheCurrentDirectory)
{
    testing::ScratchDir scratch;
    CommandResult run = testing::run_lab({"run", testing::source_path("scenarios/rm-then-build.json"), "--quiet"},
                                         scratch.dir());
    ASSERT_EQ(run.status.code, 0) << run.err;
    EXPECT_TRUE(std::filesystem::exists(scratch.path("results/rm-then-build.json")));
}

TEST(ScenariosTest, AnExpectationThatDoesNotHoldIsAFailWithTheDifference)
{
    Scenario scenario = testing::load_repo_scenario("inplace");
    scenario.expect.back().hosts["process1"].verdict = Verdict::kept_old;  // what the seed's reader might hope
    testing::RunResult result = testing::run(scenario);
    EXPECT_EQ(result.outcome, Outcome::FAIL);
    EXPECT_NE(result.reason.find("process1: expected kept-old, observed crashed"), std::string::npos) << result.reason;
}

TEST(ScenariosTest, NoExpectationForThisEnvironmentIsConfWithTheReason)
{
    Scenario scenario = testing::load_repo_scenario("inplace");
    for (auto& expectation : scenario.expect) expectation.when.kernel_below = "2.6";
    testing::RunResult result = testing::run(scenario);
    EXPECT_EQ(result.outcome, Outcome::CONF);
    EXPECT_NE(result.reason.find("is not below 2.6"), std::string::npos) << result.reason;
}

}  // namespace
}  // namespace lab
