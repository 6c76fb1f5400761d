// libcs_test.cc — lab libcs: every scenario with the glibc hosts and the musl hosts, a row each,
// the differences named, each run's result beside the table's file, JUnit when asked.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "base/files.h"
#include "test_support.h"

namespace lab {
namespace {

struct LibcsTest : ::testing::Test, testing::OwnTmpdir {};

TEST_F(LibcsTest, EveryScenarioRunsWithBothLibcsAndTheDifferencesAreNamed)
{
    if (const std::string why = testing::musl_missing(); !why.empty()) GTEST_SKIP() << why;
    CommandResult libcs = run_lab({"libcs", "--out", scratch.path("r/libcs.json"), "--junit", scratch.path("libcs.xml")});
    ASSERT_EQ(libcs.status.code, 0) << libcs.out << libcs.err;
    EXPECT_NE(libcs.out.find("glibc 2."), std::string::npos) << libcs.out;
    EXPECT_NE(libcs.out.find("musl 1."), std::string::npos) << libcs.out;
    EXPECT_NE(libcs.out.find("hosts.process2.versions_after_update: v1 v1 v2 v2 (glibc), v2 v2 v2 v2 (musl)"), std::string::npos)
        << libcs.out;
    auto table = nlohmann::json::parse(read_file(scratch.path("r/libcs.json")));
    EXPECT_EQ(table["schema"], "libfoo-lab/libcs/1");
    const auto& musl = table["cases"]["dlopen-cache@musl"];
    EXPECT_EQ(musl["status"], "PASS");
    EXPECT_EQ(musl["libc_version"].get<std::string>().rfind("musl ", 0), 0u);
    EXPECT_EQ(musl["facts"]["hosts.process2.versions_after_update"], "v2 v2 v2 v2");
    EXPECT_TRUE(std::filesystem::exists(scratch.path("r/libcs/musl/dlopen-cache.json")));
    EXPECT_TRUE(std::filesystem::exists(scratch.path("r/libcs/glibc/dlopen-cache.json")));

    pugi::xml_document junit;
    ASSERT_TRUE(junit.load_file(scratch.path("libcs.xml").c_str()));
    size_t testcases = 0;
    for (auto suite : junit.child("testsuites").children("testsuite"))
        for (auto testcase : suite.children("testcase")) {
            (void)testcase;
            ++testcases;
        }
    EXPECT_EQ(testcases, 2 * table["scenarios"].size());
}

// Where the musl hosts were not built, every musl cell is CONF with the reason, not a failure.
TEST_F(LibcsTest, WithoutTheMuslHostsEveryMuslCellIsNotAvailable)
{
    testing::ScratchDir bin;
    for (const char* host : {"lab", "lab-campaigns", "process1", "process2", "process2-dlopen"})
        std::filesystem::copy_file(testing::paths().bin_dir + "/" + host, bin.path(host));
    CommandResult libcs = run_command({"env", "LAB_LIBFOO_DIR=" + testing::paths().libfoo_dir, bin.path("lab"), "libcs",
                                                "--out", scratch.path("libcs.json")},
                                               scratch.dir(), std::chrono::seconds(120));
    ASSERT_EQ(libcs.status.code, 0) << libcs.out << libcs.err;
    EXPECT_NE(libcs.out.find("musl (not available)"), std::string::npos) << libcs.out;
    EXPECT_NE(libcs.out.find("the musl hosts were not built"), std::string::npos) << libcs.out;
    auto table = nlohmann::json::parse(read_file(scratch.path("libcs.json")));
    EXPECT_EQ(table["cases"]["inplace@musl"]["status"], "CONF");
    EXPECT_EQ(table["cases"]["inplace@glibc"]["status"], "PASS");
}

}  // namespace
}  // namespace lab
