// safe_update_test.cc — the safe recipe (issue 5): write beside, fsync, rename over. The running
// process keeps the old file, a new one gets the new file, and the name never goes missing,
// where rm followed by a build leaves a moment with no file at all.
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <system_error>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "system/elf_file.h"
#include "system/file_identity.h"
#include "base/files.h"
#include "system/sandbox.h"
#include "test_support.h"
#include "update/update.h"
#include "probe/write_probe.h"

namespace lab {
namespace {

constexpr int repetitions = 3;

TEST(SafeUpdateTest, AtomicRenameNeverLeavesThePathMissing)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("atomic-rename");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        const auto& update = result.json["update"];
        EXPECT_EQ(update["same_file"], false);
        EXPECT_GT(update["path_probes"].get<long>(), 0);
        EXPECT_EQ(update["path_missing_observations"], 0);
        EXPECT_EQ(result.json["hosts"]["process1"]["verdict"], "kept-old");
        EXPECT_EQ(result.json["hosts"]["process2"]["verdict"], "runs-new");
    }
}

TEST(SafeUpdateTest, RmThenBuildLeavesAWindowWithNoFile)
{
    for (int i = 0; i < repetitions; ++i) {
        testing::RunResult result = testing::run_repo_scenario("rm-then-build");
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
        EXPECT_GT(result.json["update"]["path_missing_observations"].get<long>(), 0);
    }
}

TEST(SafeUpdateTest, AtomicRenameLeavesNoTemporaryFileBehind)
{
    testing::ScratchDir scratch;
    copy_file(testing::catalogue().find("v1")->shared_object, scratch.path("libfoo.so"));
    UpdateRecord record = update_atomic_rename({scratch.dir(), scratch.path("libfoo.so"), "foo-v2.o", testing::new_version("v2")});
    ASSERT_TRUE(record.ok) << record.error;
    EXPECT_EQ(read_file(scratch.path("libfoo.so")), read_file(testing::catalogue().find("v2")->shared_object));
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(scratch.dir())) ++files;
    EXPECT_EQ(files, 1);
    EXPECT_EQ(record.actions.back().rfind("rename(", 0), 0u);
}

}  // namespace
}  // namespace lab

namespace lab {
namespace {

TEST(EtxtbsyTest, TheRunningExecutableIsRefusedTheMappedLibraryIsNot)
{
    for (int i = 0; i < 3; ++i) {
        testing::RunResult result = testing::run_repo_scenario("etxtbsy");
        const auto& probes = result.json["etxtbsy"];
        ASSERT_TRUE(probes.is_object());
        for (const char* what : {"executable", "library", "interpreter"}) {
            ASSERT_TRUE(probes.contains(what)) << what;
            EXPECT_TRUE(probes[what].contains("errno")) << what;
        }
        // The sandbox's libfoo.so is ours to open on any kernel: ld.so never write-protected it.
        EXPECT_EQ(probes["library"]["available"], true);
        EXPECT_TRUE(probes["library"]["errno"].is_null());
        if (geteuid() != 0) {
            EXPECT_NE(result.outcome, Outcome::FAIL) << result.reason;
            continue;
        }
        EXPECT_EQ(result.outcome, Outcome::PASS) << result.reason;
    }
}

// Why the probing suites run alone: an interpreter open for writing stops every exec that needs
// it (exec opens PT_INTERP with open_exec(), which denies writers and is denied by them).
TEST(EtxtbsyTest, WhileTheInterpreterIsOpenForWritingNoDynamicProgramStarts)
{
    auto interpreter = interpreter_of(testing::paths().host("process1"));
    ASSERT_TRUE(interpreter);
    int fd = open(interpreter->c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) GTEST_SKIP() << "cannot open " << *interpreter << " for writing: " << std::strerror(errno);
    SpawnSpec spec;
    spec.argv = {testing::paths().host("process1")};
    std::string refused;
    try {
        Child blocked(spec);
    } catch (const std::system_error& error) {
        refused = error.what();
    }
    close(fd);
    EXPECT_NE(refused.find("Text file busy"), std::string::npos) << "exec while ld.so was open for writing: " << refused;
    CommandResult after = run_command({"/bin/true"}, "", std::chrono::seconds(10));
    EXPECT_TRUE(after.ok()) << after.err;
}

TEST(EtxtbsyTest, NothingIsWrittenThroughWhatOpens)
{
    testing::ScratchDir scratch;
    copy_file(testing::catalogue().find("v1")->shared_object, scratch.path("libfoo.so"));
    std::string before = read_file(scratch.path("libfoo.so"));
    WriteProbe probe = probe_write(scratch.path("libfoo.so"));
    EXPECT_TRUE(probe.available);
    EXPECT_FALSE(probe.errno_name);
    EXPECT_EQ(read_file(scratch.path("libfoo.so")), before);
    EXPECT_FALSE(probe_write(scratch.path("missing")).available);
    EXPECT_NE(interpreter_of(testing::paths().host("process1")).value_or("").find("ld-linux"), std::string::npos);
}

}  // namespace
}  // namespace lab
