// dlopen_scenarios_test.cc — a host that loads libfoo with dlopen: glibc's name cache hands back
// the deleted old copy, and copying before dlopen protects a host from an in-place overwrite.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/run.h"
#include "test_support.h"

namespace lab {
namespace {

using nlohmann::ordered_json;

constexpr int repetitions = 3;

TEST(DlopenScenariosTest, DlopenOfTheSamePathReturnsTheOldDeletedCopyUntilEveryHandleIsClosed)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("dlopen-cache");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        const auto& process2 = result.json["hosts"]["process2"];
        EXPECT_EQ(process2["mode"], "dlopen");
        const auto& events = process2["library_events"];
        ASSERT_EQ(events.size(), 5u) << events.dump();
        // At start, then again after rm + build: the same handle, the same name, a deleted mapping.
        EXPECT_EQ(events[1]["op"], "dlopen");
        EXPECT_EQ(events[1]["handle"], events[0]["handle"]);
        EXPECT_EQ(events[1]["link_map_name"], events[0]["link_map_name"]);
        EXPECT_EQ(events[1]["handles"], "2");
        EXPECT_EQ(events[1]["mapping_deleted"], true);
        // Two dlcloses unload it; the next dlopen maps the new file.
        EXPECT_EQ(events[3]["op"], "dlclose");
        EXPECT_TRUE(events[3]["mapping"].empty());
        EXPECT_EQ(events[4]["mapping_deleted"], false);
        EXPECT_EQ(process2["verdict"], "switched-to-new");
    }
}

TEST(DlopenScenariosTest, ACopyDlopenedUnderItsOwnNameIsSafeFromAnInPlaceOverwrite)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("copy-then-dlopen");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        EXPECT_EQ(result.json["hosts"]["process1"]["verdict"], "crashed");
        const auto& process2 = result.json["hosts"]["process2"];
        EXPECT_EQ(process2["verdict"], "switched-to-new");
        EXPECT_EQ(process2["at_exit"], "clean");
        for (const auto& call : process2["calls"]) EXPECT_NE(call["answer"], "wrong");
        std::string first = process2["library_events"][0]["link_map_name"];
        EXPECT_NE(first.find("libfoo.so.copy-"), std::string::npos) << first;
    }
}

TEST(DlopenScenariosTest, ALinkedHostCannotBeAskedToDlopen)
{
    nlohmann::json document = nlohmann::json::parse(R"({"schema": "libfoo-lab/scenario/1", "name": "x", "title": "t",
        "description": "d", "seed": "s", "library": {"from": "v1", "to": "v2"},
        "steps": [{"start": "process1"}, {"call": "process1", "chapters": [1]}, {"dlopen": "process1"}],
        "expect": {"hosts": {"process1": {"verdict": "kept-old"}}}})");
    try {
        parse_scenario("/x/x.json", document.dump(), testing::catalogue());
        FAIL() << "no error";
    } catch (const ScenarioError& error) {
        EXPECT_EQ(std::string(error.what()),
                  "/x/x.json: steps[2]: process1 links libfoo at build time; start it with \"mode\": \"dlopen\"");
    }
}

}  // namespace
}  // namespace lab
