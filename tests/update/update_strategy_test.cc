// update_strategy_test.cc — what each update strategy does to the file's identity, judged by a
// descriptor held across the update, and that the new bytes are v2's.
#include <fstream>

#include <gtest/gtest.h>

#include "system/file_identity.h"
#include "base/files.h"
#include "system/sandbox.h"
#include "test_support.h"
#include "update/update.h"

namespace lab {
namespace {

class UpdateStrategyTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        v1 = testing::catalogue().find("v1");
        v2 = testing::catalogue().find("v2");
        copy_file(v1->shared_object, scratch.path("libfoo.so"));
        copy_file(v2->object, scratch.path("foo-v2.o"), 0644);
    }

    struct Outcome {
        UpdateRecord record;
        bool same_file;
        std::string contents;
    };

    Outcome update_with(const std::string& name)
    {
        HeldFile held(scratch.path("libfoo.so"));
        auto before = held.identity();
        UpdateRecord record = find_strategy(*from_string<Strategy>(name))->run({scratch.dir(), scratch.path("libfoo.so"), "foo-v2.o", testing::new_version("v2")});
        auto after = identity_of_path(scratch.path("libfoo.so"));
        EXPECT_TRUE(before && after);
        return {record, before && after && before->same_file_as(*after), read_file(scratch.path("libfoo.so"))};
    }

    testing::ScratchDir scratch;
    const Variant* v1 = nullptr;
    const Variant* v2 = nullptr;
};

TEST_F(UpdateStrategyTest, InplaceKeepsTheSameFileAndWritesV2sBytes)
{
    Outcome outcome = update_with("inplace");
    ASSERT_TRUE(outcome.record.ok) << outcome.record.error;
    EXPECT_TRUE(outcome.same_file);
    EXPECT_EQ(outcome.contents, read_file(v2->shared_object));
}

TEST_F(UpdateStrategyTest, RmThenBuildMakesANewFileWithTheCompilerDriver)
{
    Outcome outcome = update_with("rm-then-build");
    ASSERT_TRUE(outcome.record.ok) << outcome.record.error;
    EXPECT_FALSE(outcome.same_file);
    ASSERT_EQ(outcome.record.commands.size(), 1u);
    EXPECT_EQ(join_command(outcome.record.commands[0].argv), "cc -shared -o libfoo.so foo-v2.o");
    EXPECT_EQ(outcome.record.actions.front(), "unlink(\"libfoo.so\") = 0");
}

TEST_F(UpdateStrategyTest, RelinkRunsTheSeedsCommandWithoutRm)
{
    Outcome outcome = update_with("relink");
    ASSERT_TRUE(outcome.record.ok) << outcome.record.error;
    ASSERT_EQ(outcome.record.actions.size(), 1u);
    EXPECT_EQ(outcome.record.actions[0], "cc -shared -o libfoo.so foo-v2.o");
    // The seed says this is an in-place update. GNU ld (and gold, lld, mold) replace the file.
    std::string linker = run_command({"ld", "--version"}, "", std::chrono::seconds(10)).out;
    if (linker.find("GNU ld") == std::string::npos) GTEST_SKIP() << "the system linker is not GNU ld: " << linker;
    EXPECT_FALSE(outcome.same_file);
}

TEST_F(UpdateStrategyTest, InplaceOnAMissingFileFailsWithTheErrnoAndCreatesNothing)
{
    std::remove(scratch.path("libfoo.so").c_str());
    UpdateRecord record = update_inplace({scratch.dir(), scratch.path("libfoo.so"), "foo-v2.o", testing::new_version("v2")});
    EXPECT_FALSE(record.ok);
    EXPECT_NE(record.error.find("ENOENT"), std::string::npos) << record.error;
    EXPECT_FALSE(identity_of_path(scratch.path("libfoo.so")));
}

TEST_F(UpdateStrategyTest, ABrokenLinkIsReportedWithTheLinkersWords)
{
    std::ofstream(scratch.path("foo-v2.o")) << "not an object file\n";  // ld reads it as a bad script
    UpdateRecord record = update_relink({scratch.dir(), scratch.path("libfoo.so"), "foo-v2.o", testing::new_version("v2")});
    EXPECT_FALSE(record.ok);
    EXPECT_NE(record.error.find("cc -shared -o libfoo.so foo-v2.o: failed"), std::string::npos) << record.error;
}

TEST(FileIdentityTest, AHeldDescriptorStillNamesTheOldFileAfterUnlink)
{
    testing::ScratchDir scratch;
    copy_file(testing::catalogue().find("v1")->shared_object, scratch.path("a"));
    HeldFile held(scratch.path("a"));
    auto before = held.identity();
    std::remove(scratch.path("a").c_str());
    copy_file(testing::catalogue().find("v1")->shared_object, scratch.path("a"));
    auto after = identity_of_path(scratch.path("a"));
    ASSERT_TRUE(before && after);
    EXPECT_FALSE(before->same_file_as(*after));  // the held file keeps its inode number busy
    EXPECT_EQ(held.identity()->links, 0u);       // and has no name left
}

}  // namespace
}  // namespace lab
