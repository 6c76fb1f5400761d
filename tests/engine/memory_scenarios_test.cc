// memory_scenarios_test.cc — the seed's memory claims, page by page (issue 3): every scenario
// gives the same observations on every repetition, as root and as an ordinary user.
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "probe/environment.h"
#include "base/files.h"
#include "engine/run.h"
#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

using nlohmann::ordered_json;

constexpr int repetitions = 3;

const ordered_json& host(const testing::RunResult& result, const char* name) { return result.json["hosts"][name]; }

TEST(MemoryScenariosTest, SameLayoutSwitchesToNewAndTheTruncatingCopyCrashesAtExit)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult truncating = testing::run_repo_scenario("same-layout");
        EXPECT_EQ(truncating.outcome, Outcome::PASS) << truncating.reason;
        EXPECT_EQ(host(truncating, "process1")["verdict"], "switched-to-new");
        EXPECT_EQ(host(truncating, "process1")["at_exit"], "crashed");
        EXPECT_EQ(truncating.json["update"]["same_file"], true);

        testing::RunResult notrunc = testing::run_repo_scenario("same-layout-notrunc");
        EXPECT_EQ(notrunc.outcome, Outcome::PASS) << notrunc.reason;
        EXPECT_EQ(host(notrunc, "process1")["verdict"], "switched-to-new");
        EXPECT_EQ(host(notrunc, "process1")["at_exit"], "clean");
        // Every call after the update answered v9's values, without a restart.
        for (const auto& call : host(notrunc, "process1")["calls"])
            EXPECT_EQ(call["version"], call["after_update"].get<bool>() ? "v9" : "v1");
    }
}

TEST(MemoryScenariosTest, NeverNoticesWithoutTruncationButNoticesAtExitWithIt)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult quiet = testing::run_repo_scenario("never-notices");
        EXPECT_EQ(quiet.outcome, Outcome::PASS) << quiet.reason;
        EXPECT_EQ(quiet.json["update"]["same_file"], true);
        EXPECT_EQ(quiet.json["update"]["content_changed"], true);
        EXPECT_NE(quiet.json["update"]["digest_before"], quiet.json["update"]["digest_after"]);
        EXPECT_EQ(host(quiet, "process1")["verdict"], "kept-old");
        EXPECT_EQ(host(quiet, "process1")["at_exit"], "clean");

        testing::RunResult loud = testing::run_repo_scenario("notices-at-exit");
        EXPECT_EQ(loud.outcome, Outcome::PASS) << loud.reason;
        EXPECT_EQ(host(loud, "process1")["verdict"], "kept-old");
        EXPECT_EQ(host(loud, "process1")["at_exit"], "crashed");
        EXPECT_EQ(host(loud, "process1")["termination"]["during"], "quit");
    }
}

TEST(MemoryScenariosTest, ShrinkGivesSigbusBeyondTheNewEndOfFile)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("shrink");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        const auto& end = host(result, "process1")["termination"];
        EXPECT_EQ(end["signal"], "SIGBUS");
        EXPECT_EQ(end["si_code"], "BUS_ADRERR");
        ASSERT_TRUE(end["fault"].is_object());
        EXPECT_EQ(end["fault"]["beyond_end_of_file"], true);
        EXPECT_EQ(end["fault"]["offset"], "0x" + [] {
            char text[32];
            std::snprintf(text, sizeof text, "%llx",
                          static_cast<unsigned long long>(testing::symbol_offset("p1", "foo_chapter8")));
            return std::string(text);
        }());
        EXPECT_GT(result.json["update"]["identity_before"]["size"].get<long>(),
                  result.json["update"]["identity_after"]["size"].get<long>());
    }
}

TEST(MemoryScenariosTest, DemandPagingFindsTheDamageOnlyAtTheMovedChapter)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("demand-paging");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        const auto& process1 = host(result, "process1");
        EXPECT_EQ(process1["calls_after_update"], 4);
        EXPECT_GT(process1["time_to_crash_ns"].get<long long>(), 0);
        std::map<std::string, ordered_json> by_label;
        for (const auto& observation : result.json["observations"]) by_label[observation["label"]] = observation;
        // The truncation took every page out of process1's page tables ...
        for (const auto& page : by_label["after the update"]["pages"]) EXPECT_FALSE(page["present"].get<bool>());
        // ... eviction emptied the page cache ...
        EXPECT_EQ(by_label["after eviction"]["page_cache"]["resident_pages"], 0);
        // ... so touching the unchanged chapters again needed the disk: major faults.
        EXPECT_GT(by_label["after chapters 1-4"]["faults"]["major"].get<long>(),
                  by_label["after eviction"]["faults"]["major"].get<long>());
        EXPECT_GT(by_label["after chapters 1-4"]["page_cache"]["resident_pages"].get<long>(), 0);
    }
}

TEST(MemoryScenariosTest, SharingComparesFramesAsRootAndIsConfWithAReasonOtherwise)
{
    testing::RunResult result = testing::run_repo_scenario("sharing");
    const auto& sharing = result.json["sharing"];
    ASSERT_TRUE(sharing.is_object());
    EXPECT_GT(sharing["readonly_pages_compared"].get<long>(), 0);
    EXPECT_GT(sharing["writable_pages_compared"].get<long>(), 0);
    // smaps figures are there for every mapping either way.
    EXPECT_FALSE(result.json["observations"][0]["smaps"].empty());
    if (geteuid() != 0) {
        EXPECT_EQ(result.outcome, Outcome::CONF);
        EXPECT_NE(result.reason.find("CAP_SYS_ADMIN"), std::string::npos) << result.reason;
        GTEST_SKIP() << "frame numbers need root; checked that the run is CONF with the reason";
    }
    for (int i = 0; i < repetitions; ++i) {
        if (i > 0) result = testing::run_repo_scenario("sharing");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        EXPECT_EQ(result.json["sharing"]["readonly_pages_same_frame"], result.json["sharing"]["readonly_pages_compared"]);
        EXPECT_EQ(result.json["sharing"]["writable_pages_same_frame"], 0);
    }
}

TEST(MemoryScenariosTest, DiskUsageHoldsAndReleasesTheLibrarysSize)
{
    auto free = free_bytes("/tmp");
    if (!free || *free < (1LL << 30)) GTEST_SKIP() << "less than 1 GiB free on /tmp: not enough room for two 64 MiB copies and a margin";
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("disk-usage");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        const auto& disk = result.json["disk"];
        double size = disk["library_bytes"].get<double>();
        EXPECT_EQ(size, 64.0 * (1 << 20));
        EXPECT_NEAR(disk["held_bytes"].get<double>(), size, size * 0.1);
        EXPECT_NEAR(disk["released_bytes"].get<double>(), size, size * 0.1);
        EXPECT_EQ(host(result, "process1")["mapping_deleted"], true);
    }
}

TEST(MemoryScenariosTest, TheSizeOptionPadsTheLibrary)
{
    testing::RunResult result = testing::run_repo_scenario("disk-usage", 8LL << 20);
    EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
    EXPECT_EQ(result.json["disk"]["library_bytes"], 8LL << 20);
}

// As an ordinary user: everything passes except what needs root, which is CONF with a reason.
TEST(MemoryScenariosTest, AnOrdinaryUserGetsPassOrConfWithAReason)
{
    testing::ScratchDir scratch;
    scratch.open_to_everyone();
    for (const char* name : {"sharing", "demand-paging", "never-notices", "notices-at-exit", "shrink", "same-layout",
                             "same-layout-notrunc", "disk-usage"}) {
        std::string why_not;
        std::string out = scratch.path(std::string(name) + ".json");
        std::vector<std::string> args = {"run", testing::source_path(std::string("scenarios/") + name + ".json"), "--quiet", "--out", out};
        if (std::string(name) == "disk-usage") args.insert(args.end(), {"--size", "8M"});
        CommandResult run = testing::run_lab_unprivileged(args, scratch.dir(), &why_not);
        if (!why_not.empty()) GTEST_SKIP() << why_not;
        ASSERT_EQ(run.status.code, 0) << name << ": " << run.out << run.err;
        auto json = ordered_json::parse(read_file(out));
        EXPECT_NE(json["environment"]["euid"], 0) << name;
        std::string outcome = json["outcome"];
        if (std::string(name) == "sharing") {
            EXPECT_EQ(outcome, "CONF") << name;
            EXPECT_FALSE(json["reason"].get<std::string>().empty());
        } else {
            EXPECT_EQ(outcome, "PASS") << name << ": " << json["reason"];
        }
    }
}

}  // namespace
}  // namespace lab

namespace lab {
namespace {

// On tmpfs the page cache is the file: the eviction drops nothing, no touch reads a disk, and the
// scenario says so instead of claiming a disk read (issue 10).
TEST(MemoryScenariosTest, OnTmpfsNothingIsEvictedAndNoTouchReadsTheDisk)
{
    if (filesystem_type("/dev/shm") != "tmpfs") GTEST_SKIP() << "/dev/shm is not a tmpfs here";
    testing::ScratchDir scratch;
    std::string tmp = "/dev/shm/" + std::filesystem::path(scratch.dir()).filename().string();
    std::filesystem::create_directory(tmp);
    CommandResult run = run_command({"env", "TMPDIR=" + tmp, testing::paths().bin_dir + "/lab", "run",
                                     testing::source_path("scenarios/demand-paging.json"), "--out", scratch.path("r.json")},
                                    scratch.dir(), std::chrono::seconds(60));
    std::filesystem::remove_all(tmp);
    EXPECT_EQ(run.status.code, 0) << run.out << run.err;
    std::string said;  // the transcript's words, without its line wrapping
    for (char c : run.out) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!said.empty() && said.back() != ' ') said += ' ';
        } else {
            said += c;
        }
    }
    EXPECT_NE(said.find("on tmpfs the page cache is the file's only copy, so no page can be evicted"), std::string::npos) << run.out;
    auto json = ordered_json::parse(read_file(scratch.path("r.json")));
    EXPECT_EQ(json["environment"]["filesystem"], "tmpfs");
    EXPECT_EQ(json["hosts"]["process1"]["major_faults_since_eviction"], 0);
    EXPECT_EQ(json["outcome"], "PASS") << json["reason"];
}

}  // namespace
}  // namespace lab
