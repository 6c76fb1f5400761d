// survey_test.cc — the real updaters (issue 5): which keep the file, which replace it, and what
// that does to a running process; and an updater of the user's own, judged the same way.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sandbox.h"
#include "survey.h"
#include "test_support.h"

namespace lab {
namespace {

SurveyRow run_builtin(const std::string& name)
{
    for (const auto& updater : builtin_updaters())
        if (updater.name == name) return survey_one(updater, testing::catalogue(), testing::paths());
    ADD_FAILURE() << "no updater " << name;
    return {};
}

TEST(SurveyTest, InPlaceWritersKeepTheFileAndProcess1MeetsTheNewBytes)
{
    for (const char* name : {"cp", "cat >", "dd conv=notrunc", "rsync --inplace"}) {
        SurveyRow row = run_builtin(name);
        if (row.status == "CONF") continue;  // not installed here: the row says why
        EXPECT_EQ(row.status, "PASS") << name << ": " << row.reason;
        EXPECT_EQ(row.same_file, true) << name;
        EXPECT_EQ(row.process1_verdict, "crashed") << name;
    }
}

TEST(SurveyTest, ReplacersMakeANewFileAndProcess1KeepsTheOld)
{
    for (const char* name : {"install", "mv", "GNU ld (bfd)", "gold", "lld", "mold"}) {
        SurveyRow row = run_builtin(name);
        if (row.status == "CONF") {
            EXPECT_NE(row.reason.find("not installed"), std::string::npos) << name;
            continue;
        }
        EXPECT_EQ(row.status, "PASS") << name << ": " << row.reason;
        EXPECT_EQ(row.same_file, false) << name;
        EXPECT_EQ(row.process1_verdict, "kept-old") << name;
        EXPECT_FALSE(row.tool_version.empty()) << name;
    }
}

TEST(SurveyTest, AMissingToolIsConfWithTheReason)
{
    Updater missing{"frobnicate", "frobnicate {new} {path}", "frobnicate-not-installed", {}, true};
    SurveyRow row = survey_one(missing, testing::catalogue(), testing::paths());
    EXPECT_EQ(row.status, "CONF");
    EXPECT_EQ(row.reason, "frobnicate-not-installed is not installed");
}

TEST(SurveyTest, YourOwnUpdaterIsJudgedLikeTheBuiltInOnes)
{
    auto updater = parse_updater("deploy=cp {new} {path}.tmp && mv -f {path}.tmp {path}");
    ASSERT_TRUE(updater);
    SurveyRow row = survey_one(*updater, testing::catalogue(), testing::paths());
    EXPECT_EQ(row.status, "PASS") << row.reason;
    EXPECT_EQ(row.same_file, false);
    EXPECT_EQ(row.process1_verdict, "kept-old");
    EXPECT_FALSE(parse_updater("no-equals-sign"));
    EXPECT_FALSE(parse_updater("=cp {new} {path}"));
    SurveyRow broken = survey_one(*parse_updater("broken=false"), testing::catalogue(), testing::paths());
    EXPECT_EQ(broken.status, "BROK");
}

TEST(SurveyTest, TheCommandWritesSurveyJsonAndRejectsABadUpdater)
{
    testing::ScratchDir scratch;
    CommandResult run = testing::run_lab({"survey", "--updater", "mine=cat {new} > {path}"}, scratch.dir());
    EXPECT_EQ(run.status.code, 0) << run.out << run.err;
    auto json = nlohmann::json::parse(read_file(scratch.path("results/survey.json")));
    EXPECT_EQ(json["updaters"]["mine"]["same_file"], true);
    EXPECT_EQ(json["updaters"]["cp"]["status"], "PASS");
    CommandResult bad = testing::run_lab({"survey", "--updater", "nonsense"}, scratch.dir());
    EXPECT_EQ(bad.status.code, 2);
    EXPECT_EQ(bad.err, "lab: --updater: \"nonsense\" is not NAME=COMMAND\n");
}

}  // namespace
}  // namespace lab
