// junit_test.cc — --junit FILE: JUnit XML a CI system reads back, a testcase per scenario (per
// binding, claim case, updater, file system); FAIL and BROK failures, CONF skipped, each with its
// reason, escaped.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "campaigns/claims/claims.h"
#include "junit/junit.h"
#include "test_support.h"

namespace lab {
namespace {

pugi::xml_node suite_of(const pugi::xml_document& document) { return document.child("testsuites").child("testsuite"); }

TEST(JunitTest, FailAndBrokAreFailuresConfIsSkippedEachWithItsReason)
{
    const std::string xml = junit_xml("lab run", {{"lab.run", "inplace", Outcome::PASS, "observed what the expectation says", 0.01},
                                                  {"lab.run", "shrink", Outcome::FAIL, "process1: expected <crashed> & got \"kept-old\"", 0.02},
                                                  {"lab.run", "hang", Outcome::BROK, "process1 did not say ready", 0},
                                                  {"lab.run", "etxtbsy", Outcome::CONF, "not root", 0}});
    pugi::xml_document document;
    ASSERT_TRUE(document.load_string(xml.c_str()));
    pugi::xml_node suite = suite_of(document);
    EXPECT_EQ(suite.attribute("tests").as_int(), 4);
    EXPECT_EQ(suite.attribute("failures").as_int(), 2);
    EXPECT_EQ(suite.attribute("skipped").as_int(), 1);
    EXPECT_STREQ(suite.find_child_by_attribute("testcase", "name", "shrink").child("failure").child_value(),
                 "process1: expected <crashed> & got \"kept-old\"");
    EXPECT_STREQ(suite.find_child_by_attribute("testcase", "name", "hang").child("failure").attribute("type").value(), "BROK");
    EXPECT_STREQ(suite.find_child_by_attribute("testcase", "name", "etxtbsy").child("skipped").attribute("message").value(), "CONF: not root");
    EXPECT_FALSE(suite.find_child_by_attribute("testcase", "name", "inplace").first_child());
}

TEST(JunitTest, LabRunWritesATestcaseForTheScenarioAndRefusesABadPathFirst)
{
    testing::OwnTmpdir place;
    CommandResult run = place.run_lab({"run", testing::source_path("scenarios/inplace.json"), "--quiet", "--out", "r.json", "--junit", "j.xml"});
    EXPECT_EQ(run.status.code, 0) << run.err;
    pugi::xml_document document;
    ASSERT_TRUE(document.load_file(place.scratch.path("j.xml").c_str()));
    pugi::xml_node testcase = suite_of(document).child("testcase");
    EXPECT_STREQ(testcase.attribute("name").value(), "inplace");
    EXPECT_FALSE(testcase.first_child());  // PASS: no failure, not skipped
    CommandResult refused = place.run_lab({"run", testing::source_path("scenarios/inplace.json"), "--out", "r2.json", "--junit", "/proc/j.xml"});
    EXPECT_EQ(refused.status.code, 2);
    EXPECT_NE(refused.err.find("/proc/j.xml"), std::string::npos) << refused.err;
    EXPECT_FALSE(std::filesystem::exists(place.scratch.path("r2.json")));
}

// issue 13's bar: a testcase per claim case of the ledger.
TEST(JunitTest, LabClaimsWritesATestcasePerClaimCase)
{
    testing::OwnTmpdir place;
    CommandResult claims = place.run_lab({"claims", "--out", place.scratch.path("c/claims.json"), "--junit", place.scratch.path("claims.xml")});
    ASSERT_TRUE(std::filesystem::exists(place.scratch.path("claims.xml"))) << claims.err;
    size_t cases = 0;
    for (const auto& claim : load_claims(testing::source_path("scenarios/claims/seed.json"))) cases += claim.cases.size();
    pugi::xml_document document;
    ASSERT_TRUE(document.load_file(place.scratch.path("claims.xml").c_str()));
    pugi::xml_node suite = suite_of(document);
    EXPECT_EQ(static_cast<size_t>(suite.attribute("tests").as_int()), cases);
    size_t testcases = 0;
    for (pugi::xml_node testcase = suite.child("testcase"); testcase; testcase = testcase.next_sibling("testcase")) ++testcases;
    EXPECT_EQ(testcases, cases);
    EXPECT_TRUE(suite.find_child_by_attribute("testcase", "name", "An in-place update most likely crashes the running process (inplace)"));
}

}  // namespace
}  // namespace lab
