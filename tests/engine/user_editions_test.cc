// user_editions_test.cc — a user's own editions of libfoo (scenarios/editions/): two C sources
// the project has never seen, built, probed, run, judged and explained; the same as prebuilt
// shared objects; and the one-line errors for a source that does not compile or lacks a chapter.
#include <sys/stat.h>

#include <time.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "engine/user_edition.h"
#include "pages/report.h"
#include "scan/scan.h"
#include "scan/scan_signals.h"
#include "input/input_error.h"
#include "test_support.h"

namespace lab {
namespace {

// The worked example of docs/editions.md (scenarios/editions/), and the broken ones (here).
std::string edition(const std::string& name)
{
    const std::string example = testing::source_path("scenarios/editions/" + name);
    return std::filesystem::exists(example) ? example : testing::source_path("tests/engine/editions/" + name);
}

TEST(UserEditionsTest, TwoSourcesRunEndToEndAndTheForensicsNameBoth)
{
    const Scenario scenario = load_scenario(edition("grow2.json"), testing::catalogue());
    EXPECT_EQ(scenario.from, edition("mine-v1.c"));
    std::string scanned;  // lab scan's word on process1 just after the update
    RunOptions options;
    options.before_step = [&](const StepPause& pause) {
        if (pause.index == 2) testing::wait_past_start_tick(pause.hosts.at("process1"));
        if (pause.index == 3)
            if (auto process = scan_process(pause.hosts.at("process1")))
                for (const auto& library : process->libraries)
                    if (library.path.rfind(pause.sandbox_dir, 0) == 0) scanned = to_string(library.status);
        return true;
    };
    testing::RunResult result = testing::run(scenario, options);
    EXPECT_EQ(scanned, "modified-in-place");
    ASSERT_EQ(result.outcome, Outcome::PASS) << result.reason;
    const auto& process1 = result.json["hosts"]["process1"];
    EXPECT_EQ(process1["verdict"], "crashed");
    EXPECT_EQ(process1["calls"][0]["version"], "mine1");
    const auto& slot = process1["termination"]["call"]["slot"];
    EXPECT_EQ(slot["old"]["symbol"], "foo_chapter5") << slot.dump();
    EXPECT_EQ(slot["new"]["symbol"], "foo_chapter2") << slot.dump();  // the stale pointer, in the grown chapter
    EXPECT_EQ(result.json["hosts"]["process2"]["verdict"], "runs-new");
    const auto& recorded = result.json["libraries"]["to"]["edition"];
    EXPECT_EQ(recorded["file"], edition("mine-grow2.c"));
    EXPECT_EQ(recorded["answers"][1], "mine2 202");
    EXPECT_NE(recorded["built"].get<std::string>().find("cc -shared -o libfoo.so foo.o"), std::string::npos);

    // lab report's figures name both editions' functions.
    testing::ScratchDir scratch;
    std::ofstream(scratch.path("grow2.json")) << result.json.dump();
    write_report({scratch.path("grow2.json")}, scratch.path("report"));
    const std::string page = read_file(scratch.path("report/grow2.html"));
    EXPECT_NE(page.find("mine-grow2"), std::string::npos);
    EXPECT_NE(page.find("foo_chapter2"), std::string::npos);

    // A second run builds nothing: the edition is found by its content.
    const Variant built = user_edition(edition("mine-grow2.c"), testing::catalogue(), testing::paths());
    struct stat before, after;
    ASSERT_EQ(stat(built.object.c_str(), &before), 0);
    EXPECT_EQ(user_edition(edition("mine-grow2.c"), testing::catalogue(), testing::paths()).object, built.object);
    ASSERT_EQ(stat(built.object.c_str(), &after), 0);
    EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
    EXPECT_EQ(before.st_ino, after.st_ino);
    EXPECT_EQ(built.name_of(2), "mine2");
    EXPECT_EQ(built.value_of(2), 202);
}

TEST(UserEditionsTest, PrebuiltSharedObjectsRunFromTheCommandLine)
{
    testing::OwnTmpdir place;
    for (const char* name : {"mine-v1", "mine-grow2"})
        copy_file(user_edition(edition(std::string(name) + ".c"), testing::catalogue(), testing::paths()).shared_object,
                  place.scratch.path(std::string(name) + ".so"));
    CommandResult run = place.run_lab({"run", testing::source_path("scenarios/inplace.json"), "--from", "mine-v1.so", "--to", "mine-grow2.so",
                                       "--out", place.scratch.path("r.json")});
    EXPECT_EQ(run.status.code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("mine-grow2 is your edition " + place.scratch.path("mine-grow2.so")), std::string::npos) << run.out;
    auto result = nlohmann::json::parse(read_file(place.scratch.path("r.json")));
    EXPECT_EQ(result["hosts"]["process1"]["verdict"], "crashed");
    EXPECT_EQ(result["hosts"]["process2"]["calls"][0]["version"], "mine2");
    // A shared object has no foo.o: an update that links one is refused, before anything runs.
    CommandResult links = place.run_lab({"run", testing::source_path("scenarios/rm-then-build.json"), "--to", "mine-grow2.so"});
    EXPECT_EQ(links.status.code, 2) << links.out << links.err;
    EXPECT_EQ(links.out, "");
    EXPECT_NE(links.err.find("needs a C source"), std::string::npos) << links.err;
}

// The survey's rows between a user's editions: the linkers read the edition's own foo.o.
TEST(UserEditionsTest, TheSurveyRunsEveryUpdaterBetweenAUsersEditions)
{
    testing::OwnTmpdir place;
    CommandResult survey = place.run_lab({"survey", "--from", edition("mine-v1.c"), "--to", edition("mine-grow2.c"), "--out",
                                          place.scratch.path("survey.json")});
    ASSERT_EQ(survey.status.code, 0) << survey.out << survey.err;
    auto rows = nlohmann::json::parse(read_file(place.scratch.path("survey.json")))["updaters"];
    EXPECT_EQ(rows["cp"]["same_file"], true);
    EXPECT_EQ(rows["cp"]["new_process_answer"], "mine2");
    EXPECT_EQ(rows["GNU ld (bfd)"]["same_file"], false);
    EXPECT_EQ(rows["GNU ld (bfd)"]["new_process_answer"], "mine2");
    EXPECT_EQ(rows["GNU ld (bfd)"]["status"], "PASS");
}

// A source that does not compile, or that lacks a chapter, is one line naming the file and what
// is wrong (the compiler's first error), exit 2, before anything is printed or started.
TEST(UserEditionsTest, ABrokenEditionIsOneLineAndExitTwo)
{
    testing::OwnTmpdir place;
    for (const auto& [name, says] : std::vector<std::pair<std::string, std::string>>{
             {"broken.c", "broken.c: does not compile: "}, {"missing-chapter.c", "missing-chapter.c: does not export foo_chapter7"}}) {
        CommandResult run = place.run_lab({"run", testing::source_path("scenarios/inplace.json"), "--to", edition(name)});
        EXPECT_EQ(run.status.code, 2) << name << ": " << run.out << run.err;
        EXPECT_EQ(run.out, "") << name;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
        EXPECT_NE(run.err.find(says), std::string::npos) << run.err;
    }
    EXPECT_NE(place.run_lab({"run", testing::source_path("scenarios/inplace.json"), "--to", edition("broken.c")}).err.find("error: expected"),
              std::string::npos);
    EXPECT_TRUE(place.left().empty());
}

// A user's chapter may die of anything, a signal the crash handler does not catch included: the
// probe says which chapter and how, and the run says what killed process1, from its wait status.
TEST(UserEditionsTest, AChapterThatDiesOfAnUncaughtSignalIsToldTruthfully)
{
    const Variant aborts = user_edition(edition("abort8.c"), testing::catalogue(), testing::paths());
    ASSERT_EQ(aborts.probe_failures.count(8), 1u);
    EXPECT_EQ(aborts.probe_failures.at(8), "died of SIGABRT");
    EXPECT_EQ(aborts.name_of(7), "ab");
    Scenario scenario = testing::load_repo_scenario("inplace");
    scenario.from = edition("abort8.c");
    scenario.to = edition("mine-grow2.c");
    testing::RunResult result = testing::run(scenario);
    const auto& process1 = result.json["hosts"]["process1"];
    EXPECT_EQ(process1["verdict"], "crashed") << process1.dump();
    EXPECT_EQ(process1["termination"]["signal"], "SIGABRT") << process1["termination"].dump();
    EXPECT_EQ(result.outcome, Outcome::FAIL);  // inplace's own expectation says SIGSEGV
    EXPECT_NE(result.reason.find("SIGABRT"), std::string::npos) << result.reason;
}

// An edition that reads its own constants and calls its own chapters, written over in place with a
// same-layout one: the calls through libfoo's own PLT go through its GOT, whose relocated private
// copy the truncation took; the pointer read from the file instead is an unrelocated offset, and
// the transcript says so rather than naming no place at all.
TEST(UserEditionsTest, ACallThroughItsOwnUnrelocatedPltIsExplained)
{
    Scenario scenario = testing::load_repo_scenario("same-layout");
    scenario.from = edition("tables1.c");
    scenario.to = edition("tables2.c");
    testing::RunResult result = testing::run(scenario);
    const auto& process1 = result.json["hosts"]["process1"];
    ASSERT_EQ(process1["verdict"], "crashed") << process1.dump();
    EXPECT_EQ(process1["calls_after_update"], 2);  // chapters 1 and 2 answer tab2's values from the new .rodata
    bool explained = false;
    for (const auto& event : result.json["timeline"])
        explained |= event.value("text", std::string()).find("never relocated") != std::string::npos;
    EXPECT_TRUE(explained) << result.json["timeline"].dump();
}

TEST(UserEditionsTest, MuslHostsRunTheSameEditions)
{
    if (const std::string why = testing::musl_missing(); !why.empty()) GTEST_SKIP() << why;
    testing::RunResult result = testing::run(load_scenario(edition("grow2.json"), testing::catalogue()), RunOptions{}, Libc::musl);
    EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
    EXPECT_EQ(result.json["environment"]["libc"].get<std::string>().rfind("musl", 0), 0u);
}

}  // namespace
}  // namespace lab
