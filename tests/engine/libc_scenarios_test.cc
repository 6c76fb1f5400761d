// libc_scenarios_test.cc — the same scenarios with hosts built for musl: what dlopen returns after
// a replacement and when calls are bound are the libc's decisions, and the result says which libc
// ran. Skipped where musl-gcc was missing at build time (Debian's musl-tools).
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/run.h"
#include "inspect/forensics.h"
#include "inspect/symbols.h"
#include "test_support.h"

namespace lab {
namespace {

#define SKIP_WITHOUT_MUSL() \
    if (const std::string why = testing::musl_missing(); !why.empty()) GTEST_SKIP() << why

TEST(LibcScenariosTest, UnderMuslTheSecondDlopenLoadsTheNewFileAndV2AnswersAtOnce)
{
    SKIP_WITHOUT_MUSL();
    testing::RunResult result = testing::run_repo_scenario("dlopen-cache", 0, Libc::musl);
    EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
    EXPECT_EQ(result.json["environment"]["libc"].get<std::string>().rfind("musl 1.", 0), 0u) << result.json["environment"];
    const auto& process2 = result.json["hosts"]["process2"];
    const auto& events = process2["library_events"];
    ASSERT_EQ(events.size(), 5u) << events.dump();
    // The dlopen after rm + build: a new object, read from the file now at the path.
    EXPECT_NE(events[1]["handle"], events[0]["handle"]);
    ASSERT_TRUE(events[1]["object"].is_string()) << events[1].dump();
    EXPECT_EQ(events[1]["object"].get<std::string>().find("(deleted)"), std::string::npos);
    const auto after = result.json["update"]["identity_after"]["inode"].get<std::uint64_t>();
    EXPECT_NE(events[1]["object"].get<std::string>().find(" " + std::to_string(after) + " "), std::string::npos);
    for (const auto& call : process2["calls"]) {
        if (call["after_update"] != true) continue;
        EXPECT_EQ(call["version"], "v2") << call.dump();
    }
}

TEST(LibcScenariosTest, UnderGlibcTheSecondDlopenReturnsTheOldObjectFromTheDeletedFile)
{
    testing::RunResult result = testing::run_repo_scenario("dlopen-cache");
    EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
    EXPECT_EQ(result.json["environment"]["libc"].get<std::string>().rfind("glibc 2.", 0), 0u) << result.json["environment"];
    const auto& events = result.json["hosts"]["process2"]["library_events"];
    ASSERT_EQ(events.size(), 5u) << events.dump();
    EXPECT_EQ(events[1]["handle"], events[0]["handle"]);
    ASSERT_TRUE(events[1]["object"].is_string()) << events[1].dump();
    EXPECT_NE(events[1]["object"].get<std::string>().find("(deleted)"), std::string::npos);
}

// musl binds every call when it loads the host: LD_BIND_NOW changes nothing, and the call through
// the slot filled at start crashes in both runs (glibc's lazy run answers wrongly instead).
TEST(LibcScenariosTest, UnderMuslLazyAndNowBindingAreTheSame)
{
    SKIP_WITHOUT_MUSL();
    testing::RunResult result = testing::run_repo_scenario("lazy-vs-now", 0, Libc::musl);
    EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
    ASSERT_EQ(result.record.runs.size(), 2u);
    for (const auto& run : result.record.runs) {
        const HostRecord* process1 = run.host("process1");
        ASSERT_NE(process1, nullptr);
        EXPECT_EQ(process1->verdict, Verdict::crashed) << to_string(run.binding);
    }
}

// The crash handler, the protocol and forensics work unchanged: a stale call after cp over the
// file dies of SIGSEGV, recorded by the handler and named in both versions.
TEST(LibcScenariosTest, UnderMuslTheInplaceCrashIsRecordedAndNamedAsUnderGlibc)
{
    SKIP_WITHOUT_MUSL();
    testing::RunResult result = testing::run_repo_scenario("inplace", 0, Libc::musl);
    EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
    const auto& end = result.json["hosts"]["process1"]["termination"];
    EXPECT_EQ(end["signal"], "SIGSEGV");
    EXPECT_EQ(end["si_code"], "SEGV_MAPERR");
    EXPECT_EQ(end["where"]["old"]["symbol"], "foo_chapter5");
    EXPECT_EQ(end["where"]["new"]["symbol"], "foo_chapter3");
}

// Truncation takes back the ends of libfoo's writable pages that musl's loader lent to malloc:
// process1 does not crash at exit, as under glibc, it hangs there.
TEST(LibcScenariosTest, UnderMuslAHostWhoseLibraryWasTruncatedHangsAtExit)
{
    SKIP_WITHOUT_MUSL();
    testing::RunResult result = testing::run_repo_scenario("notices-at-exit", 0, Libc::musl);
    EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
    EXPECT_EQ(result.json["hosts"]["process1"]["verdict"], "kept-old");
    EXPECT_EQ(result.json["hosts"]["process1"]["at_exit"], "hung");
}

// A pc in the loader or libc is named by that file's own symbols: musl's libc.so, which is also
// its dynamic linker, has strlen (with its size) in its dynamic symbol table.
TEST(LibcScenariosTest, APcInMuslsLoaderIsNamedByItsSymbols)
{
    const std::string libc = "/usr/lib/x86_64-linux-musl/libc.so";
    if (!std::filesystem::exists(libc)) GTEST_SKIP() << libc << " is missing (Debian package musl)";
    auto strlen_offset = SymbolTable(libc).file_offset_of("strlen");
    ASSERT_TRUE(strlen_offset);
    auto line = parse_maps_line("7f0000000000-7f0000100000 r-xp 00000000 fe:00 42 " + libc);
    ASSERT_TRUE(line);
    auto place = locate_outside(0x7f0000000000 + *strlen_offset + 4, {*line});
    ASSERT_TRUE(place);
    EXPECT_EQ(place->outside_path, libc);
    ASSERT_TRUE(place->outside_symbol);
    EXPECT_EQ(place->outside_symbol->text(), "strlen+0x4");
}

TEST(LibcScenariosTest, HostsThatWereNotBuiltAreNotAvailableNotBroken)
{
    testing::ScratchDir bin;
    for (const char* host : {"process1", "process2", "process2-dlopen"})
        std::filesystem::copy_file(testing::paths().host(host), bin.path(host));
    Paths paths = testing::paths().with_libc(Libc::musl);
    paths.bin_dir = bin.dir();  // glibc hosts only: no musl/ beside them
    ScenarioResult result = run_scenario(testing::load_repo_scenario("inplace"), testing::catalogue(), paths, RunOptions{});
    EXPECT_EQ(result.outcome, Outcome::CONF);
    EXPECT_NE(result.reason.find("not available: the musl hosts were not built"), std::string::npos) << result.reason;
    EXPECT_NE(result.reason.find("musl-tools"), std::string::npos) << result.reason;
}

}  // namespace
}  // namespace lab
