// bad_input_test.cc — whatever a scenario file, a claims ledger or the catalogue holds, the lab
// answers with one line on stderr (at most max_error_line bytes, naming the file and the field,
// control characters escaped, long values cut), exits 2, writes nothing and crashes never. Each
// case here is a class of defect a mutation fuzzer found before (issue 10).
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "campaigns/claims/claims.h"
#include "base/files.h"
#include "system/sandbox.h"
#include "scenario/scenario.h"
#include "test_support.h"

namespace lab {
namespace {

using nlohmann::json;

json inplace()
{
    json document = json::parse(read_file(testing::source_path("scenarios/inplace.json")));
    if (document["expect"].is_array()) document["expect"] = document["expect"].back();
    return document;
}

json dlopen_cache() { return json::parse(read_file(testing::source_path("scenarios/dlopen-cache.json"))); }

// Checks the contract on `error` and returns it, for the test to look at what it says.
std::string checked(const std::string& error, const std::string& file, const std::string& field)
{
    EXPECT_LE(error.size(), max_error_line) << error.substr(0, 300);
    EXPECT_EQ(error.find('\n'), std::string::npos) << error.substr(0, 300);
    EXPECT_EQ(error.find('\r'), std::string::npos) << error.substr(0, 300);
    for (unsigned char c : error) EXPECT_GE(c, 0x20) << "control character in " << error.substr(0, 300);
    EXPECT_EQ(error.rfind(file + ": ", 0), 0u) << error.substr(0, 300);
    if (!field.empty()) {
        EXPECT_NE(error.find(field), std::string::npos) << error.substr(0, 300);
    }
    return error;
}

std::string scenario_error(const std::string& text)
{
    try {
        parse_scenario("/x/inplace.json", text, testing::catalogue());
    } catch (const ScenarioError& error) {
        return error.what();
    }
    return "(accepted)";
}

std::string scenario_error(const json& document) { return scenario_error(document.dump()); }

TEST(BadInputTest, AHugeNameIsRefusedNotACrash)
{
    json document = inplace();
    document["name"] = std::string(26000, 'a');  // once overflowed the stack in std::regex_match
    std::string error = checked(scenario_error(document), "/x/inplace.json", "name");
    EXPECT_NE(error.find("at most 64"), std::string::npos) << error;
}

TEST(BadInputTest, ANumberTooLargeForADoubleNamesTheFile)
{
    std::string text = inplace().dump();
    text.replace(text.find("\"steps\""), 7, "\"timeout_ms\": 1e999, \"steps\"");
    std::string error = checked(scenario_error(text), "/x/inplace.json", "");
    EXPECT_NE(error.find("not valid JSON"), std::string::npos) << error;
    EXPECT_EQ(error.find("json.exception"), std::string::npos) << error;
}

TEST(BadInputTest, AValueCannotForgeALine)
{
    json document = inplace();
    document["steps"][0] = {{"start", "process1\nFAKE: PASS"}};
    std::string error = checked(scenario_error(document), "/x/inplace.json", "steps[0].start");
    EXPECT_NE(error.find("process1\\nFAKE: PASS"), std::string::npos) << error;
    document["steps"][0] = {{"start", "\x1b[2J\xc2\x9b" "31m"}};  // terminal escapes, C0 and C1
    error = checked(scenario_error(document), "/x/inplace.json", "steps[0].start");
    EXPECT_NE(error.find("\\x1b[2J\\x9b31m"), std::string::npos) << error;
}

TEST(BadInputTest, AMegabyteValueIsCut)
{
    json document = inplace();
    document["steps"][0] = {{"start", std::string(1 << 20, 'x')}};
    std::string error = checked(scenario_error(document), "/x/inplace.json", "steps[0].start");
    EXPECT_NE(error.find("(1048576 bytes)"), std::string::npos) << error;
    document = inplace();
    document[std::string(1 << 20, 'k')] = 1;  // an unknown key is named, cut too
    checked(scenario_error(document), "/x/inplace.json", "kkkk");
}

TEST(BadInputTest, NumbersAreRangeCheckedNotNarrowed)
{
    json document = inplace();
    document["steps"][1]["chapters"] = {4294967301ULL};  // was run as chapter 5
    std::string error = checked(scenario_error(document), "/x/inplace.json", "steps[1].chapters[0]");
    EXPECT_NE(error.find("4294967301"), std::string::npos) << error;
    document = inplace();
    document["expect"]["hosts"]["process1"]["calls_after_update"] = INT64_MIN;  // was read as 0
    checked(scenario_error(document), "/x/inplace.json", "calls_after_update");
    document = inplace();
    document["timeout_ms"] = 18446744073709551615ULL;
    checked(scenario_error(document), "/x/inplace.json", "timeout_ms");
    document = inplace();
    document["steps"][1]["chapters"] = {2.0};
    checked(scenario_error(document), "/x/inplace.json", "steps[1].chapters[0]");
}

TEST(BadInputTest, DeepNestingIsRefusedBeforeAnythingRecursesIntoIt)
{
    std::string deep = std::string(100000, '[') + std::string(100000, ']');
    std::string error = checked(scenario_error(deep), "/x/inplace.json", "");
    EXPECT_NE(error.find("deeper"), std::string::npos) << error;
}

TEST(BadInputTest, StepsThatCannotRunAreRefusedByCheckNotBrokenAtRunTime)
{
    json document = dlopen_cache();
    document["name"] = "inplace";
    document["steps"] = {{{"start", "process2"}, {"mode", "dlopen"}}, {{"dlclose", "process2"}}, {{"dlclose", "process2"}}};
    checked(scenario_error(document), "/x/inplace.json", "steps[2].dlclose");
    document["steps"] = {{{"start", "process2"}, {"mode", "dlopen"}}, {{"dlclose", "process2"}},
                         {{"call", "process2"}, {"chapters", {1}}}};
    std::string error = checked(scenario_error(document), "/x/inplace.json", "steps[2].call");
    EXPECT_NE(error.find("no libfoo open"), std::string::npos) << error;
    // Reopened, it can be called again.
    document["steps"] = {{{"start", "process2"}, {"mode", "dlopen"}}, {{"dlclose", "process2"}}, {{"dlopen", "process2"}},
                         {{"call", "process2"}, {"chapters", {1}}}};
    document["expect"] = {{"hosts", {{"process2", {{"verdict", "kept-old"}}}}}};
    EXPECT_EQ(scenario_error(document), "(accepted)");
}

TEST(BadInputTest, ExpectationsNothingObservesAreRefused)
{
    json sharing = json::parse(read_file(testing::source_path("scenarios/sharing.json")));
    sharing["name"] = "inplace";
    for (auto& step : sharing["steps"])
        if (step.contains("observe")) step["what"] = {"faults"};
    checked(scenario_error(sharing), "/x/inplace.json", "sharing");
    json document = inplace();
    document["expect"]["etxtbsy"] = {{"library", nullptr}};
    checked(scenario_error(document), "/x/inplace.json", "expect.etxtbsy");
}

std::string claims_error(const std::string& text)
{
    try {
        parse_claims("/x/seed.json", text);
    } catch (const ScenarioError& error) {
        return error.what();
    }
    return "(accepted)";
}

TEST(BadInputTest, TheClaimsLedgerGetsTheSameCare)
{
    json ledger = json::parse(read_file(testing::source_path("scenarios/claims/seed.json")));
    EXPECT_EQ(claims_error(ledger.dump()), "(accepted)");
    json broken = ledger;
    broken["claims"][0]["cases"][0]["scenario"] = "../../etc/passwd";  // names a file: no paths
    checked(claims_error(broken.dump()), "/x/seed.json", "claims[0].cases[0].scenario");
    broken = ledger;
    broken["claims"][0]["quote"] = 5;
    checked(claims_error(broken.dump()), "/x/seed.json", "claims[0].quote");
    broken = ledger;
    broken["claims"][0]["cases"][0]["evidence"] = "update.same_file";
    checked(claims_error(broken.dump()), "/x/seed.json", "claims[0].cases[0].evidence");
    broken = ledger;
    broken["claims"][0]["bogus\nline"] = 1;
    checked(claims_error(broken.dump()), "/x/seed.json", "claims[0].bogus\\nline");
    std::string text = ledger.dump();
    text.replace(text.find("\"claims\""), 8, "\"x\": 1e999, \"claims\"");
    checked(claims_error(text), "/x/seed.json", "");
}

TEST(BadInputTest, ABrokenCatalogueIsOneLineAndExitTwo)
{
    testing::ScratchDir scratch;
    std::filesystem::create_directory(scratch.path("libfoo"));
    json catalogue = json::parse(read_file(testing::paths().libfoo_dir + "/catalogue.json"));
    catalogue["variants"]["v1"]["edition"] = 4294967297ULL;
    std::ofstream(scratch.path("libfoo/catalogue.json")) << catalogue.dump();
    SpawnSpec spec;
    spec.argv = {testing::paths().bin_dir + "/lab", "check", testing::source_path("scenarios/inplace.json")};
    spec.env_set = {{"LAB_LIBFOO_DIR", scratch.path("libfoo")}};
    Child lab(spec);
    ASSERT_TRUE(lab.wait_until(Clock::now() + std::chrono::seconds(10)));
    std::string err;
    drain(lab.err(), &err);
    EXPECT_EQ(lab.status()->code, 2) << err;
    ASSERT_FALSE(err.empty());
    EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
    checked(err.substr(0, err.size() - 1), "lab: " + scratch.path("libfoo/catalogue.json"), "variants.v1.edition");
}

// Through the command: exit 2, one line, and nothing written to results/.
TEST(BadInputTest, LabCheckListAndRunExitTwoWithOneLine)
{
    testing::ScratchDir scratch;
    json document = inplace();
    document["name"] = std::string(26000, 'a');
    std::ofstream(scratch.path("bad.json")) << document.dump();
    for (std::vector<std::string> args : {std::vector<std::string>{"check", "bad.json"}, {"run", "bad.json"}, {"list", "."}}) {
        CommandResult lab = testing::run_lab(args, scratch.dir());
        EXPECT_FALSE(lab.status.signaled) << args[0];
        EXPECT_EQ(lab.status.code, 2) << args[0] << ": " << lab.err;
        EXPECT_EQ(std::count(lab.err.begin(), lab.err.end(), '\n'), 1) << args[0] << ": " << lab.err;
        EXPECT_LE(lab.err.size(), max_error_line + 1) << lab.err;
        EXPECT_NE(lab.err.find("bad.json: name: "), std::string::npos) << lab.err;
    }
    EXPECT_FALSE(std::filesystem::exists(scratch.path("results")));
}

}  // namespace
}  // namespace lab
