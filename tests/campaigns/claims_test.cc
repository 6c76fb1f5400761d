// claims_test.cc — the ledger's verdicts come from the results: confirmed, refuted, depends.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "campaigns/claims/claims.h"
#include "scenario/scenario.h"
#include "test_support.h"

namespace lab {
namespace {

using nlohmann::ordered_json;

Claim relink_claim()
{
    ClaimCase item{"relink", "with the system linker",
                   {{"update.same_file", "equals", true}},
                   {{"update.same_file", "equals", false}},
                   {"environment.linker"},
                   "",
                   std::nullopt,
                   ""};
    return Claim{"relinking updates in place", "gcc -shared -o libfoo.so foo.o", {item}};
}

ordered_json result(bool same_file, const char* outcome = "PASS")
{
    return {{"outcome", outcome}, {"reason", "because"}, {"update", {{"same_file", same_file}}},
            {"environment", {{"linker", "GNU ld 2.40"}}}};
}

TEST(ClaimsTest, TheStatusFollowsTheObservation)
{
    auto refuted = judge_claims({relink_claim()}, {{"relink", result(false)}});
    EXPECT_EQ(refuted[0].status, ClaimStatus::refuted);
    EXPECT_EQ(refuted[0].evidence[0], "relink: environment.linker = \"GNU ld 2.40\"");
    auto confirmed = judge_claims({relink_claim()}, {{"relink", result(true)}});
    EXPECT_EQ(confirmed[0].status, ClaimStatus::confirmed);
}

TEST(ClaimsTest, MissingOrConfScenariosMakeItDependWithTheReason)
{
    auto missing = judge_claims({relink_claim()}, {});
    EXPECT_EQ(missing[0].status, ClaimStatus::depends);
    EXPECT_NE(missing[0].reason.find("relink has not been observed"), std::string::npos);
    auto conf = judge_claims({relink_claim()}, {{"relink", result(true, "CONF")}});
    EXPECT_EQ(conf[0].status, ClaimStatus::depends);
    EXPECT_EQ(conf[0].reason, "relink was CONF: because");
}

TEST(ClaimsTest, CasesThatDisagreeMakeItDependOnTheirConditions)
{
    Claim claim = relink_claim();
    ClaimCase other = claim.cases[0];
    other.scenario = "relink-lld";
    other.when = "with lld";
    claim.cases.push_back(other);
    auto verdicts = judge_claims({claim}, {{"relink", result(false)}, {"relink-lld", result(true)}});
    EXPECT_EQ(verdicts[0].status, ClaimStatus::depends);
    EXPECT_EQ(verdicts[0].reason, "confirmed with lld; refuted with the system linker");
}

// The seed's ETXTBSY row, one case per file system of lab matrix: judged from "etxtbsy@FS".
// A case that names a libc is judged from the scenario's run with that libc's hosts, keyed
// "dlopen-cache@musl"; the claim depends on the libc when the cases disagree.
TEST(ClaimsTest, ALibcCaseIsJudgedFromTheRunWithThatLibcsHosts)
{
    auto claims = parse_claims("/x/seed.json", R"({"schema": "libfoo-lab/claims/1", "claims": [{"claim": "c", "quote": "q",
        "cases": [{"scenario": "dlopen-cache", "libc": "glibc", "when": "glibc",
                   "confirmed": [{"path": "hosts.process2.calls.2.version", "equals": "v2"}],
                   "refuted": [{"path": "hosts.process2.calls.2.version", "equals": "v1"}]},
                  {"scenario": "dlopen-cache", "libc": "musl", "when": "musl",
                   "confirmed": [{"path": "hosts.process2.calls.2.version", "equals": "v2"}],
                   "refuted": [{"path": "hosts.process2.calls.2.version", "equals": "v1"}]}]}]})");
    ASSERT_EQ(claims.at(0).cases.size(), 2u);
    EXPECT_EQ(claims[0].cases[1].key(), "dlopen-cache@musl");
    EXPECT_EQ(libc_cases_of(claims), (std::vector<std::pair<std::string, Libc>>{{"dlopen-cache", Libc::glibc}, {"dlopen-cache", Libc::musl}}));
    auto answered = [](const char* version) {
        return ordered_json{{"outcome", "PASS"}, {"hosts", {{"process2", {{"calls", {{{"version", "v1"}}, {{"version", "v1"}}, {{"version", version}}}}}}}}};
    };
    auto verdicts = judge_claims(claims, {{"dlopen-cache@glibc", answered("v1")}, {"dlopen-cache@musl", answered("v2")}});
    EXPECT_EQ(verdicts.at(0).status, ClaimStatus::depends);
    EXPECT_EQ(verdicts[0].reason, "confirmed musl; refuted glibc");
    try {
        parse_claims("/x/seed.json", R"({"schema": "libfoo-lab/claims/1", "claims": [{"claim": "c", "quote": "q",
            "cases": [{"scenario": "etxtbsy", "libc": "musl", "filesystem": "ext4", "confirmed": [], "refuted": []}]}]})");
        ADD_FAILURE() << "a case with a libc and a file system was accepted";
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("claims[0].cases[0].libc: a case runs on a file system of lab matrix or with a libc's hosts, not both"),
                  std::string::npos) << error.what();
    }
}

// A case that names a kernel series is judged from the scenario's run in a guest under that
// kernel (lab claims --kernels), keyed "etxtbsy@linux-6.1".
TEST(ClaimsTest, AKernelCaseIsJudgedFromTheRunUnderThatKernel)
{
    auto claims = parse_claims("/x/seed.json", R"({"schema": "libfoo-lab/claims/1", "claims": [{"claim": "c", "quote": "q",
        "cases": [{"scenario": "etxtbsy", "kernel": "6.1", "when": "6.1",
                   "confirmed": [{"path": "etxtbsy.library.errno", "equals": "ETXTBSY"}],
                   "refuted": [{"path": "etxtbsy.library.errno", "equals": null}]}]}]})");
    EXPECT_EQ(claims.at(0).cases.at(0).key(), "etxtbsy@linux-6.1");
    EXPECT_EQ(kernel_cases_of(claims), (std::vector<std::pair<std::string, std::string>>{{"etxtbsy", "6.1"}}));
    auto verdicts = judge_claims(claims, {{"etxtbsy@linux-6.1", ordered_json{{"outcome", "PASS"}, {"etxtbsy", {{"library", {{"errno", nullptr}}}}}}}});
    EXPECT_EQ(verdicts.at(0).status, ClaimStatus::refuted);
    for (const char* bad : {R"("kernel": "six")", R"("kernel": "6")", R"("kernel": "6.1.0")", R"("kernel": "6.1", "libc": "musl")"}) {
        try {
            parse_claims("/x/seed.json", std::string(R"({"schema": "libfoo-lab/claims/1", "claims": [{"claim": "c", "quote": "q",
                "cases": [{"scenario": "etxtbsy", )") + bad + R"(, "confirmed": [], "refuted": []}]}]})");
            ADD_FAILURE() << bad << " was accepted";
        } catch (const ScenarioError& error) {
            EXPECT_NE(std::string(error.what()).find("claims[0].cases[0].kernel: "), std::string::npos) << error.what();
        }
    }
}

TEST(ClaimsTest, AMatrixCaseIsJudgedFromTheRunOnThatFileSystem)
{
    ClaimCase squashfs{"etxtbsy", "on squashfs",
                       {{"etxtbsy.library.errno", "equals", "ETXTBSY"}},
                       {{"etxtbsy.library.errno", "one_of", nlohmann::json::array({nullptr, "EROFS"})}},
                       {"etxtbsy.library.errno"},
                       "squashfs",
                       std::nullopt,
                       ""};
    Claim claim{"ETXTBSY on some file systems", "Linux does that for some file systems", {squashfs}};
    EXPECT_EQ(matrix_cases_of({claim}).at("squashfs"), std::vector<std::string>{"etxtbsy"});
    ordered_json refused = {{"outcome", "PASS"}, {"etxtbsy", {{"library", {{"errno", "EROFS"}}}}}};
    auto verdicts = judge_claims({claim}, {{"etxtbsy", result(true)}, {"etxtbsy@squashfs", refused}});
    EXPECT_EQ(verdicts[0].status, ClaimStatus::refuted);
    EXPECT_EQ(verdicts[0].evidence[0], "etxtbsy@squashfs: etxtbsy.library.errno = \"EROFS\"");
    ordered_json busy = {{"outcome", "PASS"}, {"etxtbsy", {{"library", {{"errno", "ETXTBSY"}}}}}};
    EXPECT_EQ(judge_claims({claim}, {{"etxtbsy@squashfs", busy}})[0].status, ClaimStatus::confirmed);
    ordered_json not_root = {{"outcome", "CONF"}, {"reason", "needs root to mount file systems"}};
    auto conf = judge_claims({claim}, {{"etxtbsy@squashfs", not_root}});
    EXPECT_EQ(conf[0].status, ClaimStatus::depends);
    EXPECT_EQ(conf[0].reason, "etxtbsy@squashfs was CONF: needs root to mount file systems");
    EXPECT_TRUE(conf[0].evidence.empty());  // nothing was observed there
    Claim two = claim;
    two.cases.push_back(two.cases[0]);
    two.cases[1].filesystem = "erofs";
    auto grouped = judge_claims({two}, {{"etxtbsy@squashfs", not_root}, {"etxtbsy@erofs", not_root}});
    EXPECT_EQ(grouped[0].reason, "etxtbsy@squashfs, etxtbsy@erofs were CONF: needs root to mount file systems");
}

TEST(ClaimsTest, TheRepositorysLedgerNamesScenariosThatExist)
{
    auto claims = load_claims(testing::source_path("scenarios/claims/seed.json"));
    EXPECT_GE(claims.size(), 8u);
    for (const auto& name : scenarios_of(claims)) {
        if (name == "etxtbsy") continue;  // issue 5 adds it; until then the row says "depends"
        EXPECT_NO_THROW(testing::load_repo_scenario(name)) << name;
    }
}

TEST(ClaimsTest, AMalformedLedgerNamesTheField)
{
    testing::ScratchDir scratch;
    std::ofstream(scratch.path("ledger.json"))
        << R"({"schema": "libfoo-lab/claims/1", "claims": [{"claim": "x", "quote": "y", "cases": [{"scenario": "a", "confirmed": [{"path": "p"}], "refuted": []}]}]})";
    try {
        load_claims(scratch.path("ledger.json"));
        FAIL() << "no error";
    } catch (const ScenarioError& error) {
        EXPECT_EQ(std::string(error.what()), scratch.path("ledger.json") +
                                                 ": claims[0].cases[0].confirmed[0]: needs \"path\" and one of equals, "
                                                 "not_equals, at_least, one_of");
    }
}

}  // namespace
}  // namespace lab
