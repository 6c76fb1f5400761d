// compare_test.cc — lab compare: the environments side by side, then only what differs, named by
// case and field; exit 0 when verdicts and outcomes agree, 1 when they differ, 2 for bad input.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "compare/compare.h"
#include "result/result_json.h"
#include "test_support.h"

namespace lab {
namespace {

using nlohmann::ordered_json;

struct CompareTest : ::testing::Test, testing::OwnTmpdir {
    // Writes `document` as NAME in the scratch directory; returns its path.
    std::string write(const std::string& name, const ordered_json& document) const
    {
        std::ofstream(scratch.path(name)) << document.dump(1);
        return scratch.path(name);
    }
    static ordered_json result_of(const std::string& scenario, Libc libc = Libc::glibc)
    {
        return testing::run_repo_scenario(scenario, 0, libc).json;
    }
};

TEST_F(CompareTest, TheGlibcAndMuslDlopenCacheResultsDifferInWhichVersionAnswered)
{
    if (const std::string why = testing::musl_missing(); !why.empty()) GTEST_SKIP() << why;
    const std::string glibc = write("glibc.json", result_of("dlopen-cache"));
    const std::string musl = write("musl.json", result_of("dlopen-cache", Libc::musl));
    CommandResult compared = run_lab({"compare", glibc, musl});
    EXPECT_EQ(compared.status.code, 1) << compared.out << compared.err;
    EXPECT_NE(compared.out.find("glibc 2."), std::string::npos) << compared.out;  // both environments
    EXPECT_NE(compared.out.find("musl 1."), std::string::npos) << compared.out;
    EXPECT_NE(compared.out.find("dlopen-cache  hosts.process2.versions_after_update\n  A  v1 v1 v2 v2\n  B  v2 v2 v2 v2\n"),
              std::string::npos) << compared.out;
}

TEST_F(CompareTest, AResultComparedWithItselfAgrees)
{
    const std::string inplace = write("inplace.json", result_of("inplace"));
    CommandResult compared = run_lab({"compare", inplace, inplace});
    EXPECT_EQ(compared.status.code, 0) << compared.out << compared.err;
    EXPECT_NE(compared.out.find("No differences: 1 case(s)"), std::string::npos) << compared.out;
}

TEST_F(CompareTest, AVerdictThatDiffersExitsOneAndObservationsAloneDoNot)
{
    ordered_json result = result_of("demand-paging");
    const std::string a = write("a.json", result);
    for (auto& observation : result["observations"])
        if (observation["faults"].is_object()) observation["faults"]["minor"] = observation["faults"]["minor"].get<long>() + 7;
    const std::string b = write("b.json", result);
    CommandResult compared = run_lab({"compare", a, b});
    EXPECT_EQ(compared.status.code, 0) << compared.out;
    EXPECT_NE(compared.out.find("faults.minor  (an observation)"), std::string::npos) << compared.out;

    result["hosts"]["process1"]["verdict"] = "kept-old";
    const std::string c = write("c.json", result);
    compared = run_lab({"compare", a, b, c});
    EXPECT_EQ(compared.status.code, 1) << compared.out;
    EXPECT_NE(compared.out.find("demand-paging  hosts.process1.verdict\n  A  crashed\n  B  crashed\n  C  kept-old\n"),
              std::string::npos) << compared.out;
}

TEST_F(CompareTest, MatrixCellsAreComparedByScenarioAndFileSystem)
{
    ordered_json matrix = {{"schema", "libfoo-lab/matrix/1"}, {"kernel", "6.1.0-27-cloud-amd64"},
                           {"filesystems", {{"ext4", {{"etxtbsy", {{"status", "PASS"}, {"process1_verdict", "kept-old"},
                                                                   {"same_file", true}, {"errno", nullptr}}}}}}}};
    const std::string a = write("a.json", matrix);
    matrix["filesystems"]["ext4"]["etxtbsy"]["errno"] = "ETXTBSY";
    matrix["kernel"] = "6.11.5";
    const std::string b = write("b.json", matrix);
    CommandResult compared = run_lab({"compare", a, b});
    EXPECT_EQ(compared.status.code, 1) << compared.out;
    EXPECT_NE(compared.out.find("kernel  6.1.0-27-cloud-amd64  6.11.5"), std::string::npos) << compared.out;
    EXPECT_NE(compared.out.find("etxtbsy@ext4  update.errno\n  A  -\n  B  ETXTBSY\n"), std::string::npos) << compared.out;
}

// The survey by updater, the ledger by claim: a claim whose status changed is a difference that
// decides.
TEST_F(CompareTest, SurveysAndLedgersAreComparedByUpdaterAndByClaim)
{
    ordered_json survey = {{"schema", "libfoo-lab/survey/1"},
                           {"updaters", {{"cp", {{"status", "PASS"}, {"process1_verdict", "crashed"}, {"same_file", true},
                                                 {"path_missing_observations", 0}}}}}};
    const std::string a = write("a.json", survey);
    survey["updaters"]["cp"]["path_missing_observations"] = 3;
    const std::string b = write("b.json", survey);
    EXPECT_EQ(run_lab({"compare", a, b}).status.code, 0);
    ordered_json ledger = {{"schema", "libfoo-lab/claims-result/1"}, {"environment", "Linux 6.1.0, glibc 2.36"},
                           {"claims", {{{"claim", "rm then build keeps the old copy"}, {"status", "confirmed"}}}}};
    const std::string c = write("c.json", ledger);
    ledger["claims"][0]["status"] = "depends";
    ledger["environment"] = "Linux 6.12.0, musl 1.2.3";
    const std::string d = write("d.json", ledger);
    CommandResult compared = run_lab({"compare", c, d});
    EXPECT_EQ(compared.status.code, 1) << compared.out;
    EXPECT_NE(compared.out.find("claim:rm then build keeps the old copy  status\n  A  confirmed\n  B  depends\n"), std::string::npos)
        << compared.out;
    EXPECT_NE(compared.out.find("Linux 6.12.0, musl 1.2.3"), std::string::npos) << compared.out;
}

TEST_F(CompareTest, AFileThatIsNoResultIsBadInput)
{
    const std::string good = write("good.json", result_of("inplace"));
    const std::string other = write("other.json", ordered_json{{"schema", "libfoo-lab/scenario/1"}});
    for (const auto& [file, said] : {std::pair{scratch.path("missing.json"), "missing.json: cannot be read"},
                                     std::pair{other, "other.json: schema: \"libfoo-lab/scenario/1\" is not a result"}}) {
        CommandResult compared = run_lab({"compare", good, file});
        EXPECT_EQ(compared.status.code, 2) << compared.err;
        EXPECT_TRUE(compared.out.empty()) << compared.out;  // nothing printed before every file was read
        EXPECT_NE(compared.err.find(said), std::string::npos) << compared.err;
        EXPECT_EQ(std::count(compared.err.begin(), compared.err.end(), '\n'), 1) << compared.err;
    }
    EXPECT_EQ(run_lab({"compare", good}).status.code, 2);  // two files at least
}

}  // namespace
}  // namespace lab
