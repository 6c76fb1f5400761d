// judge_test.cc — verdicts from observations, and conditions on the environment.
#include <csignal>

#include <gtest/gtest.h>

#include "result/judge.h"
#include "result/host_record.h"
#include "base/kernel_version.h"

namespace lab {
namespace {

CallRecord answered(int chapter, AnswerKind kind, bool after_update = false)
{
    CallRecord call;
    call.chapter = chapter;
    call.kind = kind;
    call.variant = kind == AnswerKind::new_version ? "v2" : "v1";
    call.value = 1000 + chapter;
    call.after_update = after_update;
    return call;
}

Verdict verdict_of(HostRecord record)
{
    judge(&record);
    EXPECT_TRUE(record.verdict) << record.verdict_reason;
    return record.verdict.value_or(Verdict::exited);
}

TEST(JudgeTest, OldAnswersBeforeAndAfterAreKeptOld)
{
    HostRecord host;
    host.calls = {answered(1, AnswerKind::old_version), answered(5, AnswerKind::old_version, true)};
    EXPECT_EQ(verdict_of(host), Verdict::kept_old);
}

TEST(JudgeTest, NewAnswersOnlyAreRunsNew)
{
    HostRecord host;
    host.calls = {answered(1, AnswerKind::new_version), answered(2, AnswerKind::new_version)};
    EXPECT_EQ(verdict_of(host), Verdict::runs_new);
}

TEST(JudgeTest, OldThenNewWithoutARestartIsSwitchedToNew)
{
    HostRecord host;
    host.calls = {answered(1, AnswerKind::old_version), answered(1, AnswerKind::new_version, true)};
    EXPECT_EQ(verdict_of(host), Verdict::switched_to_new);
}

TEST(JudgeTest, AnyAnswerNeitherVersionGivesIsWrongAnswer)
{
    HostRecord host;
    host.calls = {answered(1, AnswerKind::old_version), answered(4, AnswerKind::wrong, true),
                  answered(1, AnswerKind::old_version, true)};
    EXPECT_EQ(verdict_of(host), Verdict::wrong_answer);
}

TEST(JudgeTest, AnUnrequestedSignalIsACrashWhateverWasAnsweredBefore)
{
    HostRecord host;
    host.calls = {answered(1, AnswerKind::old_version), answered(5, AnswerKind::none, true)};
    host.termination.kind = Termination::Kind::signal;
    host.termination.signal = SIGSEGV;
    EXPECT_EQ(verdict_of(host), Verdict::crashed);
}

TEST(JudgeTest, KilledByTheRunnerAfterATimeoutIsHungNotCrashed)
{
    HostRecord host;
    host.calls = {answered(1, AnswerKind::old_version), answered(5, AnswerKind::none, true)};
    host.termination.kind = Termination::Kind::signal;
    host.termination.signal = SIGKILL;
    host.termination.requested = true;
    host.termination.hung = true;
    EXPECT_EQ(verdict_of(host), Verdict::hung);
}

TEST(JudgeTest, DyingOnlyWhenAskedToQuitKeepsTheVerdictOfTheAnswersAndSaysSoAtExit)
{
    HostRecord host;
    host.calls = {answered(1, AnswerKind::old_version), answered(1, AnswerKind::new_version, true)};
    host.termination.kind = Termination::Kind::signal;
    host.termination.signal = SIGSEGV;
    host.termination.during = "quit";
    EXPECT_EQ(verdict_of(host), Verdict::switched_to_new);
    EXPECT_EQ(host.at_exit(), AtExit::crashed);
    host.termination = Termination{};
    host.termination.kind = Termination::Kind::running;
    host.termination.during = "quit";
    EXPECT_EQ(host.at_exit(), AtExit::clean);
    host.termination.during = "call";
    EXPECT_EQ(host.at_exit_text(), "not reached");
}

TEST(JudgeTest, ExitingUnaskedIsExited)
{
    HostRecord host;
    host.calls = {answered(1, AnswerKind::old_version)};
    host.termination.kind = Termination::Kind::exit;
    host.termination.exit_code = 127;
    EXPECT_EQ(verdict_of(host), Verdict::exited);
}

TEST(JudgeTest, NoAnswersMeansNoVerdict)
{
    HostRecord host;
    judge(&host);
    EXPECT_FALSE(host.verdict);
}

TEST(VerdictWordsTest, EveryWordRoundTrips)
{
    for (auto verdict : {Verdict::kept_old, Verdict::runs_new, Verdict::switched_to_new, Verdict::wrong_answer,
                         Verdict::crashed, Verdict::hung, Verdict::exited})
        EXPECT_EQ(verdict_from_string(to_string(verdict)), verdict);
    EXPECT_EQ(to_string(Verdict::switched_to_new), "switched-to-new");
    EXPECT_FALSE(verdict_from_string("crash"));
}

TEST(KernelVersionTest, ReadsReleaseStrings)
{
    EXPECT_EQ(parse_kernel_version("6.18.44-fc-v657"), (KernelVersion{6, 18, 44}));
    EXPECT_EQ(parse_kernel_version("6.12"), (KernelVersion{6, 12, 0}));
    EXPECT_EQ(parse_kernel_version("5.15.0+"), (KernelVersion{5, 15, 0}));
    EXPECT_FALSE(parse_kernel_version("six"));
    EXPECT_FALSE(parse_kernel_version("6"));
}

TEST(ConditionTest, KernelRangesAreHalfOpen)
{
    Environment environment;
    Condition window;  // the 6.11.0-6.11.10 window of loader-facts.md
    window.kernel_at_least = "6.11.0";
    window.kernel_below = "6.11.11";
    std::string why;
    environment.kernel = "6.11.10-generic";
    EXPECT_TRUE(condition_holds(window, environment, &why));
    environment.kernel = "6.11.11";
    EXPECT_FALSE(condition_holds(window, environment, &why));
    EXPECT_EQ(why, "kernel 6.11.11 is not below 6.11.11");
    environment.kernel = "6.10.3";
    EXPECT_FALSE(condition_holds(window, environment, &why));
}

TEST(ConditionTest, RootAndLinkerConditionsSayWhyTheyFail)
{
    Environment environment;
    environment.euid = 1000;
    environment.linker = "GNU gold (GNU Binutils for Debian 2.40) 1.16";
    Condition root;
    root.root = true;
    std::string why;
    EXPECT_FALSE(condition_holds(root, environment, &why));
    EXPECT_EQ(why, "needs root (running as uid 1000)");
    Condition bfd;
    bfd.linker_contains = "GNU ld";
    EXPECT_FALSE(condition_holds(bfd, environment, &why));
}

TEST(ConditionTest, FileSystemAndOverlayLayerConditions)
{
    Environment environment;
    environment.kernel = "6.18.44";
    environment.filesystem = "overlay";
    environment.library_layer = "upper";
    Condition read_only;
    read_only.filesystems = {"squashfs", "erofs"};
    std::string why;
    EXPECT_FALSE(condition_holds(read_only, environment, &why));
    EXPECT_EQ(why, "the sandbox is on overlay, not squashfs or erofs");
    Condition lower;
    lower.filesystems = {"overlay"};
    lower.layer = "lower";
    EXPECT_FALSE(condition_holds(lower, environment, &why));
    EXPECT_EQ(why, "libfoo.so is in the upper layer, not in the lower layer");
    environment.library_layer = "lower";
    EXPECT_TRUE(condition_holds(lower, environment, &why));
}

// A refused update is an observation: PASS where the scenario expects that refusal, BROK where not.
TEST(RefusedUpdateTest, IsBrokenUnlessTheExpectationSaysSo)
{
    Environment environment;
    environment.kernel = "6.18.44";
    environment.filesystem = "squashfs";
    Scenario scenario;
    Expectation read_only;
    read_only.when.filesystems = {"squashfs"};
    read_only.update_errno = "EROFS";
    Expectation anywhere;
    scenario.expect = {read_only, anywhere};
    RunRecord refused;
    refused.environment = environment;
    refused.update.emplace();
    refused.update->ok = false;
    refused.update->error = "open libfoo.so for writing: EROFS (Read-only file system)";
    refused.update->errno_name = "EROFS";
    RunRecord judged = refused;
    judge_run(scenario, &judged);
    EXPECT_EQ(judged.outcome, Outcome::PASS);
    RunRecord elsewhere = refused;
    elsewhere.environment.filesystem = "ext4";
    judge_run(scenario, &elsewhere);
    EXPECT_EQ(elsewhere.outcome, Outcome::BROK);
    EXPECT_EQ(elsewhere.reason, "update failed: open libfoo.so for writing: EROFS (Read-only file system)");
    RunRecord accepted;  // the update went through where a refusal was expected
    accepted.environment = environment;
    judge_run(scenario, &accepted);
    EXPECT_EQ(accepted.outcome, Outcome::FAIL);
    EXPECT_EQ(accepted.reason, "expected the update to be refused with EROFS, observed it succeeded");
}

}  // namespace
}  // namespace lab
