// survey_test.cc — the real updaters (issue 5): which keep the file, which replace it, and what
// that does to a running process; and an updater of the user's own, judged the same way.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "system/sandbox.h"
#include "base/files.h"
#include "campaigns/survey/survey.h"
#include "update/syscall_trace.h"
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
        if (row.status == Outcome::CONF) continue;  // not installed here: the row says why
        EXPECT_EQ(row.status, Outcome::PASS) << name << ": " << row.reason;
        EXPECT_EQ(row.same_file, true) << name;
        EXPECT_EQ(row.process1_verdict, Verdict::crashed) << name;
    }
}

TEST(SurveyTest, ReplacersMakeANewFileAndProcess1KeepsTheOld)
{
    for (const char* name : {"install", "mv", "GNU ld (bfd)", "gold", "lld", "mold"}) {
        SurveyRow row = run_builtin(name);
        if (row.status == Outcome::CONF) {
            EXPECT_NE(row.reason.find("not installed"), std::string::npos) << name;
            continue;
        }
        EXPECT_EQ(row.status, Outcome::PASS) << name << ": " << row.reason;
        EXPECT_EQ(row.same_file, false) << name;
        EXPECT_EQ(row.process1_verdict, Verdict::kept_old) << name;
        EXPECT_FALSE(row.tool_version.empty()) << name;
    }
}

bool has_call_starting(const std::optional<std::vector<std::string>>& calls, const std::string& prefix)
{
    if (calls)
        for (const auto& call : *calls)
            if (call.rfind(prefix, 0) == 0) return true;
    return false;
}

TEST(SurveyTest, StraceShowsWhatEachUpdaterDidToThePath)
{
    if (auto why = tracing_unavailable()) GTEST_SKIP() << *why;
    SurveyRow cp = run_builtin("cp");
    EXPECT_TRUE(has_call_starting(cp.syscalls, "openat(O_WRONLY|O_TRUNC) = ")) << cp.to_json()["syscalls"].dump();
    EXPECT_FALSE(has_call_starting(cp.syscalls, "unlink")) << cp.to_json()["syscalls"].dump();
    SurveyRow install = run_builtin("install");
    EXPECT_TRUE(has_call_starting(install.syscalls, "unlinkat(libfoo.so) = 0")) << install.to_json()["syscalls"].dump();
    SurveyRow mv = run_builtin("mv");
    EXPECT_TRUE(has_call_starting(mv.syscalls, "renameat")) << mv.to_json()["syscalls"].dump();
    EXPECT_EQ(mv.path_missing_observations, 0);  // a rename never leaves the name empty
}

TEST(SyscallTraceTest, KeepsOnlyCallsOnTheInstalledPathAndSummarisesThem)
{
    const std::string trace =
        "101 openat(AT_FDCWD</s>, \"/s/new/libfoo.so\", O_RDONLY) = 3</s/new/libfoo.so>\n"
        "101 openat(AT_FDCWD</s>, \"/s/libfoo.so\", O_WRONLY|O_TRUNC|O_CLOEXEC) = 4</s/libfoo.so>\n"
        "101 write(4</s/libfoo.so>, \"\"..., 4096) = 4096\n"
        "101 write(4</s/libfoo.so>, \"\"..., 100) = 100\n"
        "101 newfstatat(4</s/libfoo.so>, \"\", {...}, AT_EMPTY_PATH) = 0\n"
        "102 unlinkat(5</s>, \"libfoo.so\", 0) = -1 ENOENT (No such file or directory)\n"
        "102 renameat(AT_FDCWD</s>, \"/s/libfoo.so.tmp\", AT_FDCWD</s>, \"/s/libfoo.so\") = 0\n"
        "101 close(3</s/new/libfoo.so>) = 0\n";
    EXPECT_EQ(path_syscalls(trace, "/s/libfoo.so", "/s"),
              (std::vector<std::string>{"openat(O_WRONLY|O_TRUNC) = 4", "write x2", "unlinkat(libfoo.so) = -1 ENOENT",
                                        "renameat(libfoo.so.tmp -> libfoo.so) = 0"}));
}

TEST(SurveyTest, AMissingToolIsConfWithTheReason)
{
    Updater missing{"frobnicate", "frobnicate {new} {path}", "frobnicate-not-installed", {}, true};
    SurveyRow row = survey_one(missing, testing::catalogue(), testing::paths());
    EXPECT_EQ(row.status, Outcome::CONF);
    EXPECT_EQ(row.reason, "frobnicate-not-installed is not installed");
}

TEST(SurveyTest, YourOwnUpdaterIsJudgedLikeTheBuiltInOnes)
{
    auto updater = parse_updater("deploy=cp {new} {path}.tmp && mv -f {path}.tmp {path}");
    ASSERT_TRUE(updater);
    SurveyRow row = survey_one(*updater, testing::catalogue(), testing::paths());
    EXPECT_EQ(row.status, Outcome::PASS) << row.reason;
    EXPECT_EQ(row.same_file, false);
    EXPECT_EQ(row.process1_verdict, Verdict::kept_old);
    EXPECT_FALSE(parse_updater("no-equals-sign"));
    EXPECT_FALSE(parse_updater("=cp {new} {path}"));
    SurveyRow broken = survey_one(*parse_updater("broken=false"), testing::catalogue(), testing::paths());
    EXPECT_EQ(broken.status, Outcome::BROK);
}

// The same file rewritten while the code process1 runs stays where it was: process1 goes on, and
// that is what the model predicts, not a failure (issue 10: no status from "same file, so damage").
TEST(SurveyTest, TheSameFileWithItsCodeUntouchedIsKeptOldAndPasses)
{
    for (const char* text : {"touch=touch {path}", "append=cat {new} >> {path}", "same-bytes=cp {path} {dir}/copy && cp {dir}/copy {path}"}) {
        SurveyRow row = survey_one(*parse_updater(text), testing::catalogue(), testing::paths());
        EXPECT_EQ(row.status, Outcome::PASS) << text << ": " << row.reason;
        EXPECT_EQ(row.same_file, true) << text;
        EXPECT_EQ(row.mapped_bytes_changed, false) << text;
        EXPECT_EQ(row.process1_verdict, Verdict::kept_old) << text;
        EXPECT_EQ(row.holds_new_version, false) << text;  // a process started after it still gets v1
        EXPECT_EQ(row.new_process_answer, "v1") << text;
    }
    SurveyRow touch = survey_one(*parse_updater("touch=touch {path}"), testing::catalogue(), testing::paths());
    EXPECT_NE(touch.reason.find("never uses {new}"), std::string::npos) << touch.reason;
}

// Whatever the verdict, the reason says what was observed: the file, the mapped bytes, the version now.
TEST(SurveyTest, EveryStatusIsExplainedByWhatWasSeen)
{
    SurveyRow cp = run_builtin("cp");
    EXPECT_EQ(cp.mapped_bytes_changed, true);
    EXPECT_EQ(cp.holds_new_version, true);
    EXPECT_EQ(cp.reason, "the same file, and the bytes process1 maps changed under it: crashed");
    SurveyRow mv = run_builtin("mv");
    EXPECT_EQ(mv.mapped_bytes_changed, false);
    EXPECT_EQ(mv.reason, "a new file, and the bytes process1 maps did not change: kept-old");
    // The table cuts a reason at 40 characters; the notes under it give it whole.
    std::string line = survey_table_line(mv);
    EXPECT_NE(line.find(" " + mv.reason.substr(0, 37) + "..."), std::string::npos) << line;
    EXPECT_EQ(line.back(), '.') << line;
    EXPECT_NE(survey_notes({mv}).find("mv: PASS, " + mv.reason), std::string::npos);
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
