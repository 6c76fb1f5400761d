// landing_scenarios_test.cc — where a stale pointer lands decides the outcome (issue 4): a wrong
// answer, a hang, a crash; and lazy or immediate binding decides which pointers are stale.
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/run.h"
#include "test_support.h"

namespace lab {
namespace {

using nlohmann::ordered_json;

constexpr int repetitions = 3;

TEST(LandingScenariosTest, WrongAnswerLandsOnTheStartOfAnotherChapter)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("wrong-answer");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        const auto& process1 = result.json["hosts"]["process1"];
        EXPECT_EQ(process1["verdict"], "wrong-answer");
        ordered_json stale;
        for (const auto& call : process1["calls"])
            if (call["after_update"].get<bool>() && call["chapter"] == 7) stale = call;
        EXPECT_EQ(stale["version"], "p2");
        EXPECT_EQ(stale["value"], 2006);  // p2's chapter 6 answered the call to chapter 7
        EXPECT_EQ(stale["slot"]["old"]["symbol"], "foo_chapter7");
        EXPECT_EQ(stale["slot"]["new"]["symbol"], "foo_chapter6");
    }
}

TEST(LandingScenariosTest, HangIsKilledWithinItsTimeoutAndLeavesNothing)
{
    Scenario scenario = testing::load_repo_scenario("hang");
    ASSERT_LE(scenario.timeout_ms, 1000);
    for (int i = 0; i < repetitions; ++i) {
        auto start = Clock::now();
        testing::RunResult result = testing::run(scenario);
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        EXPECT_EQ(result.json["hosts"]["process1"]["verdict"], "hung");
        EXPECT_EQ(result.json["hosts"]["process1"]["termination"]["signal"], "SIGKILL");
        EXPECT_EQ(result.json["hosts"]["process1"]["termination"]["hung"], true);
        EXPECT_LE(elapsed, scenario.timeout_ms + 500);
        EXPECT_TRUE(testing::children_of(getpid()).empty());
        EXPECT_FALSE(testing::host_alive(result.json["hosts"]["process1"]["pid"].get<pid_t>()));
    }
}

TEST(LandingScenariosTest, LazyBindingResolvesAFirstCallAgainstTheNewLayoutImmediateBindingDoesNot)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("lazy-vs-now");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        const auto& lazy = result.json["runs"]["lazy"]["hosts"]["process1"];
        const auto& now = result.json["runs"]["now"]["hosts"]["process1"];
        EXPECT_EQ(result.json["side_by_side"]["process1"]["lazy"]["verdict"], "wrong-answer");
        EXPECT_EQ(result.json["side_by_side"]["process1"]["now"]["verdict"], "crashed");
        // Lazy: chapter 6 unbound before the update; its first call after it answers right.
        EXPECT_EQ(lazy["plt_before_update"]["6"]["state"], "unresolved");
        EXPECT_EQ(lazy["plt_before_update"]["7"]["state"], "resolved");
        std::map<int, std::string> answers;
        for (const auto& call : lazy["calls"])
            if (call["after_update"].get<bool>()) answers[call["chapter"].get<int>()] = call["answer"];
        EXPECT_EQ(answers[6], "new");
        EXPECT_EQ(answers[7], "wrong");
        // Now: every slot bound at start, chapter 6's to p1's address.
        for (int chapter = 1; chapter <= 8; ++chapter)
            EXPECT_EQ(now["plt_before_update"][std::to_string(chapter)]["state"], "resolved") << chapter;
        EXPECT_EQ(now["termination"]["call"]["slot"]["new"]["symbol"], "foo_chapter5");
        EXPECT_EQ(result.json["runs"]["now"]["environment"]["binding"], "now");
    }
}

TEST(LandingScenariosTest, ALazyLookupAfterATruncatingCopyDiesInsideTheDynamicLinker)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("lazy-lookup-after-cp");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        const auto& where = result.json["hosts"]["process1"]["termination"]["where"];
        ASSERT_TRUE(where.is_object()) << result.json["hosts"]["process1"]["termination"].dump();
        EXPECT_NE(where["path"].get<std::string>().find("ld-linux"), std::string::npos) << where.dump();
    }
}

}  // namespace
}  // namespace lab
