// scenario_parser_test.cc — a broken scenario file gets one line naming the file, the field and
// the problem; `lab` exits 2 and writes nothing.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "system/sandbox.h"
#include "base/files.h"
#include "scenario/scenario.h"
#include "test_support.h"

namespace lab {
namespace {

using nlohmann::json;

// scenarios/inplace.json with one expectation: the general one, last in its list.
json valid_scenario()
{
    json document = json::parse(read_file(testing::source_path("scenarios/inplace.json")));
    if (document["expect"].is_array()) document["expect"] = document["expect"].back();
    return document;
}

// The error for `document` as if it were the file /x/inplace.json.
std::string error_for_text(const std::string& text)
{
    try {
        parse_scenario("/x/inplace.json", text, testing::catalogue());
    } catch (const ScenarioError& error) {
        return error.what();
    }
    return "(no error)";
}
std::string error_for(const json& document) { return error_for_text(document.dump()); }

TEST(ScenarioParserTest, TheRepositorysScenariosAreValid)
{
    for (const char* name : {"inplace", "rm-then-build", "relink"}) {
        Scenario scenario = testing::load_repo_scenario(name);
        EXPECT_EQ(scenario.name, name);
        EXPECT_FALSE(scenario.expect.empty());
    }
}

TEST(ScenarioParserTest, InvalidJsonNamesTheLine)
{
    EXPECT_EQ(error_for_text("{\n  \"schema\": \"x\",\n  oops\n}").substr(0, 48), "/x/inplace.json: not valid JSON near line 3 (syn");
}

TEST(ScenarioParserTest, MissingFieldsAreNamed)
{
    json document = valid_scenario();
    document.erase("steps");
    EXPECT_EQ(error_for(document), "/x/inplace.json: steps: is missing");
    document = valid_scenario();
    document.erase("expect");
    EXPECT_EQ(error_for(document), "/x/inplace.json: expect: is missing (what this scenario expects to observe)");
    document = valid_scenario();
    document["library"].erase("to");
    EXPECT_EQ(error_for(document), "/x/inplace.json: library.to: is missing");
}

TEST(ScenarioParserTest, MisspeltFieldsAreRejectedNotIgnored)
{
    json document = valid_scenario();
    document["expcet"] = document["expect"];
    EXPECT_NE(error_for(document).find("/x/inplace.json: expcet: unknown field"), std::string::npos);
    document = valid_scenario();
    document["steps"][1]["chapter"] = {1};
    EXPECT_NE(error_for(document).find("steps[1].chapter: unknown field"), std::string::npos);
}

TEST(ScenarioParserTest, BadValuesSayWhatIsWrong)
{
    json document = valid_scenario();
    document["steps"][0]["start"] = "process3";
    EXPECT_EQ(error_for(document),
              "/x/inplace.json: steps[0].start: unknown host \"process3\" (known: process1, process2)");
    document = valid_scenario();
    document["steps"][1]["chapters"][2] = 9;
    EXPECT_EQ(error_for(document),
              "/x/inplace.json: steps[1].chapters[2]: chapter 9 does not exist (libfoo has 1 to 8)");
    document = valid_scenario();
    document["steps"][2]["update"] = "cp";
    EXPECT_EQ(error_for(document), "/x/inplace.json: steps[2].update: unknown strategy \"cp\" (known: rm-then-build, inplace, relink, "
              "inplace-notrunc, atomic-rename; or your own as {\"command\": \"...\"})");
    document = valid_scenario();
    document["expect"]["hosts"]["process1"]["verdict"] = "crash";
    EXPECT_NE(error_for(document).find("expect.hosts.process1.verdict: \"crash\" is not a verdict"), std::string::npos);
    document = valid_scenario();
    document["library"]["to"] = "v7";
    EXPECT_EQ(error_for(document).substr(0, 71), "/x/inplace.json: library.to: unknown libfoo variant \"v7\" (built: p1, p2");
    document = valid_scenario();
    document["expect"]["when"]["kernel_at_least"] = "new";
    EXPECT_EQ(error_for(document),
              "/x/inplace.json: expect.when.kernel_at_least: \"new\" is not a kernel version like 6.11.11");
    document = valid_scenario();
    document["timeout_ms"] = -5;
    EXPECT_EQ(error_for(document), "/x/inplace.json: timeout_ms: must be a whole number of milliseconds from 1 to 600000");
}

TEST(ScenarioParserTest, FileSystemConditionsAndARefusedUpdateAreChecked)
{
    json document = valid_scenario();
    document["expect"]["when"] = {{"filesystem", {"squashfs", "erofs"}}};
    document["expect"]["update_errno"] = "EROFS";
    Scenario scenario = parse_scenario("/x/inplace.json", document.dump(), testing::catalogue());
    EXPECT_EQ(scenario.expect[0].when.filesystems, (std::vector<std::string>{"squashfs", "erofs"}));
    EXPECT_EQ(scenario.expect[0].update_errno, "EROFS");
    document["expect"]["when"] = {{"filesystem", "overlay"}, {"layer", "lower"}};
    scenario = parse_scenario("/x/inplace.json", document.dump(), testing::catalogue());
    EXPECT_EQ(scenario.expect[0].when.filesystems, (std::vector<std::string>{"overlay"}));
    EXPECT_EQ(scenario.expect[0].when.layer, "lower");
    document["expect"]["when"] = {{"layer", "middle"}};
    EXPECT_EQ(error_for(document),
              "/x/inplace.json: expect.when.layer: must be \"lower\" or \"upper\" (the overlayfs layer libfoo.so is in)");
    document["expect"]["when"] = {{"filesystem", {1}}};
    EXPECT_EQ(error_for(document),
              "/x/inplace.json: expect.when.filesystem: must be a file system type such as \"squashfs\", or a list of them");
    document = valid_scenario();
    document["expect"]["update_errno"] = "read-only";
    EXPECT_EQ(error_for(document), "/x/inplace.json: expect.update_errno: must be an errno name such as \"EROFS\"");
}

// The libc condition and the versions each call after the update reached (scenarios/inplace.json
// calls process1's chapters 5 and 3 after its update, process2's 1 to 8).
TEST(ScenarioParserTest, LibcConditionsAndVersionsAfterTheUpdateAreChecked)
{
    json document = valid_scenario();
    document["expect"]["when"] = {{"libc", "musl"}};
    document["expect"]["hosts"]["process1"]["versions_after_update"] = {"none"};
    document["expect"]["hosts"]["process1"]["at_exit"] = "hung";
    Scenario scenario = parse_scenario("/x/inplace.json", document.dump(), testing::catalogue());
    EXPECT_EQ(scenario.expect[0].when.libc, Libc::musl);
    EXPECT_EQ(scenario.expect[0].hosts.at("process1").versions_after_update, std::vector<std::string>{"none"});
    EXPECT_EQ(scenario.expect[0].hosts.at("process1").at_exit, AtExit::hung);
    document["expect"]["when"] = {{"libc", "uclibc"}};
    EXPECT_EQ(error_for(document), "/x/inplace.json: expect.when.libc: must be \"glibc\" or \"musl\"");
    document = valid_scenario();
    document["expect"]["hosts"]["process1"]["versions_after_update"] = {"v2", "v2"};
    EXPECT_EQ(error_for(document), "/x/inplace.json: expect.hosts.process1.versions_after_update: names 2 versions, but the "
                                   "steps make 1 call to process1 after the update");
    document["expect"]["hosts"]["process1"]["versions_after_update"] = {"v2", 2};
    EXPECT_EQ(error_for(document), "/x/inplace.json: expect.hosts.process1.versions_after_update: must be a list of the "
                                   "versions that answer, such as [\"v1\", \"v2\"] (or \"wrong\", \"none\")");
}

TEST(ScenarioParserTest, AnUpdaterOfYourOwnIsACommand)
{
    json document = valid_scenario();
    document["steps"][2]["update"] = {{"name", "deploy"}, {"command", "cp {new} {path}"}};
    Scenario scenario = parse_scenario("/x/inplace.json", document.dump(), testing::catalogue());
    EXPECT_EQ(scenario.steps[2].strategy, Strategy::command);
    EXPECT_EQ(scenario.steps[2].command, "cp {new} {path}");
    document["steps"][2]["update"] = {{"name", "deploy"}};
    EXPECT_EQ(error_for(document), "/x/inplace.json: steps[2].update.command: must be a shell command, such as \"cp {new} {path}\"");
}

TEST(ScenarioParserTest, StepsMustBeInAnOrderThatCanRun)
{
    json document = valid_scenario();
    document["steps"].erase(0);  // process1 is called but never started
    EXPECT_EQ(error_for(document), "/x/inplace.json: steps[0].call: process1 is not running at this step");
    document = valid_scenario();
    document["steps"].erase(2);  // no update: then nothing can be expected of one
    EXPECT_EQ(error_for(document), "/x/inplace.json: expect.same_file: there is no update step to observe this of");
    document = valid_scenario();
    document["steps"].push_back({{"update", "inplace"}});
    EXPECT_EQ(error_for(document), "/x/inplace.json: steps[6].update: a scenario has at most one update");
    document = valid_scenario();
    document["steps"][1] = {{"stop", "process1"}};
    EXPECT_EQ(error_for(document), "/x/inplace.json: steps[3].call: process1 is not running at this step");
}

TEST(ScenarioParserTest, ExpectationsNameOnlyHostsTheStepsStart)
{
    json document = valid_scenario();
    document["steps"].erase(5);
    document["steps"].erase(4);
    EXPECT_EQ(error_for(document), "/x/inplace.json: expect.hosts.process2: this host is never started in steps");
}

TEST(ScenarioParserTest, TheNameMustMatchTheFile)
{
    json document = valid_scenario();
    document["name"] = "in-place";
    EXPECT_EQ(error_for(document), "/x/inplace.json: name: \"in-place\" must match the file's name (\"inplace\")");
}

class LabCommandBadInputTest : public ::testing::Test {
protected:
    void write(const std::string& name, const std::string& text)
    {
        std::ofstream(scratch.path(name)) << text;
    }
    testing::ScratchDir scratch;
};

TEST_F(LabCommandBadInputTest, ExitsTwoWithOneLineAndNoResultFile)
{
    json document = valid_scenario();
    document["steps"][1]["chapters"] = json::array();
    write("inplace.json", document.dump());
    write("broken.json", "{ \"schema\": ");
    write("empty.json", "");
    for (const char* file : {"inplace.json", "broken.json", "empty.json", "missing.json"}) {
        CommandResult result = testing::run_lab({"run", file}, scratch.dir());
        EXPECT_EQ(result.status.code, 2) << file;
        EXPECT_EQ(result.out, "") << file;
        EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
        EXPECT_EQ(result.err.rfind(std::string("lab: ") + file + ": ", 0), 0u) << result.err;
        EXPECT_FALSE(std::filesystem::exists(scratch.path("results"))) << file;
    }
    CommandResult chapters = testing::run_lab({"run", "inplace.json"}, scratch.dir());
    EXPECT_EQ(chapters.err, "lab: inplace.json: steps[1].chapters: must be a non-empty list of chapter numbers\n");
}

TEST_F(LabCommandBadInputTest, CheckAcceptsTheRepositoryAndRejectsABrokenFile)
{
    CommandResult good = testing::run_lab({"check"}, testing::source_path(""));
    EXPECT_EQ(good.status.code, 0) << good.err;
    write("broken.json", "[]");
    CommandResult bad = testing::run_lab({"check", "broken.json"}, scratch.dir());
    EXPECT_EQ(bad.status.code, 2);
    EXPECT_EQ(bad.err, "lab: broken.json: (top level): must be an object\n");
}

TEST_F(LabCommandBadInputTest, UsageErrorsExitTwo)
{
    EXPECT_EQ(testing::run_lab({"fly"}, scratch.dir()).status.code, 2);
    EXPECT_EQ(testing::run_lab({"run"}, scratch.dir()).status.code, 2);
}

}  // namespace
}  // namespace lab
