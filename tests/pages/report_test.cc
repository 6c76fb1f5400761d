// report_test.cc — `lab report`: every page is self-contained, well-formed XML with its figures;
// the figures say what the result says; a file that is not a result is one line and no page.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "input/input_error.h"
#include "pages/report.h"
#include "result/result_file.h"
#include "test_support.h"

namespace lab {
namespace {

namespace fs = std::filesystem;

// Runs scenarios/NAME.json and writes its result into `dir`, as `lab run --out` would.
nlohmann::ordered_json result_of(const std::string& name, const std::string& dir)
{
    testing::RunResult run = testing::run_repo_scenario(name);
    EXPECT_EQ(run.outcome, Outcome::PASS) << name << ": " << run.reason;
    write_result_atomically(dir + "/" + name + ".json", run.json);
    return run.json;
}

// Nothing that could be fetched: no script, no attribute naming another place (but the index's
// links to the pages beside it), no url() in a style but to an element of the page itself.
void expect_self_contained(const pugi::xml_document& page, const std::string& dir, const std::string& name)
{
    EXPECT_FALSE(page.select_node("//*[local-name()='script']")) << name;
    for (const auto& found : page.select_nodes("//@*")) {
        const pugi::xml_attribute attribute = found.attribute();
        const std::string key = attribute.name(), value = attribute.value();
        if (key == "xmlns") continue;
        if (key == "href") {
            EXPECT_TRUE(std::regex_match(value, std::regex(R"([\w.-]+\.html)")) && fs::exists(dir + "/" + value)) << name << " links " << value;
            continue;
        }
        EXPECT_EQ(value.find("://"), std::string::npos) << name << ": " << key << "=" << value;
        if (value.rfind("url(", 0) == 0) {
            EXPECT_EQ(value.rfind("url(#", 0), 0u) << name << ": " << key << "=" << value;
        }
    }
    for (const auto& style : page.select_nodes("//*[local-name()='style']")) {
        const std::string css = style.node().child_value();
        EXPECT_EQ(css.find("url("), std::string::npos) << name;
        EXPECT_EQ(css.find("@import"), std::string::npos) << name;
    }
}

TEST(ReportTest, EachResultIsAPageOfWellFormedFiguresThatFetchesNothing)
{
    testing::ScratchDir scratch;
    for (const char* name : {"inplace", "demand-paging", "sharing", "lazy-vs-now"}) result_of(name, scratch.dir());
    std::vector<std::string> files;
    for (const char* name : {"inplace", "demand-paging", "sharing", "lazy-vs-now"}) files.push_back(scratch.path(std::string(name) + ".json"));
    const std::string out = scratch.path("report");
    std::vector<std::string> written = write_report(files, out);
    ASSERT_EQ(written.size(), 5u);
    EXPECT_EQ(written.back(), out + "/index.html");
    for (const auto& path : written) {
        pugi::xml_document page;
        pugi::xml_parse_result parsed = page.load_file(path.c_str());
        ASSERT_TRUE(parsed) << path << ": " << parsed.description() << " at " << parsed.offset;
        expect_self_contained(page, out, fs::path(path).filename().string());
        if (path == written.back()) {
            EXPECT_EQ(page.select_nodes("//a").size(), 4u);
            continue;
        }
        EXPECT_GE(page.select_nodes("//*[local-name()='svg']").size(), 2u) << path;  // issue 12: at least two figures
        EXPECT_TRUE(page.select_node("//*[local-name()='svg' and @id='timeline']")) << path;
    }
}

// Figure 2 names the landing place the result records (termination.where.new), and marks the
// slot the stale call went through.
TEST(ReportTest, TheTableOfContentsNamesWhereTheStaleCallLanded)
{
    testing::ScratchDir scratch;
    nlohmann::ordered_json result = result_of("inplace", scratch.dir());
    const std::string landed = result["hosts"]["process1"]["termination"]["where"]["new"]["text"];
    write_report({scratch.path("inplace.json")}, scratch.path("report"));
    pugi::xml_document page;
    ASSERT_TRUE(page.load_file(scratch.path("report/inplace.html").c_str()));
    pugi::xml_node figure = page.select_node("//*[local-name()='svg' and @id='table-of-contents']").node();
    ASSERT_TRUE(figure);
    pugi::xml_node landing = figure.select_node(".//*[local-name()='text' and contains(@class, 'landing')]").node();
    ASSERT_TRUE(landing);
    EXPECT_EQ(landing.child_value("tspan"), landed);
    EXPECT_NE(std::string(figure.child_value("title")).find(landed), std::string::npos);
    EXPECT_EQ(figure.select_nodes(".//*[local-name()='rect' and @class='slot-stale']").size(), 1u);
    EXPECT_EQ(figure.select_nodes(".//*[local-name()='rect' and @class='entry-hit']").size(), 1u);
}

pugi::xml_node figure_in(const pugi::xml_document& page, const std::string& id)
{
    return page.select_node(("//*[local-name()='svg' and @id='" + id + "']").c_str()).node();
}

size_t count_in(pugi::xml_node figure, const std::string& xpath) { return figure.select_nodes(xpath.c_str()).size(); }

// Figure 1: a page square is filled where the result says two processes share the frame, and a
// file is "(deleted)" exactly where a host's mapping was.
TEST(ReportTest, OneFileTwoProcessesIsWhatTheResultRecords)
{
    testing::ScratchDir scratch;
    nlohmann::ordered_json sharing = result_of("sharing", scratch.dir()), replaced = result_of("rm-then-build", scratch.dir()),
                           inplace = result_of("inplace", scratch.dir());
    write_report({scratch.path("sharing.json"), scratch.path("rm-then-build.json"), scratch.path("inplace.json")}, scratch.path("r"));
    pugi::xml_document page;
    ASSERT_TRUE(page.load_file(scratch.path("r/sharing.html").c_str()));
    pugi::xml_node figure = figure_in(page, "mappings");
    ASSERT_TRUE(figure);
    const size_t shared_squares = count_in(figure, ".//*[local-name()='g' and @class='host']/*[local-name()='rect' and @class='page-shared']");
    if (sharing["sharing"]["frames_visible"] == true) {
        const long long shared = sharing["sharing"]["readonly_pages_same_frame"].get<long long>() + sharing["sharing"]["writable_pages_same_frame"].get<long long>();
        EXPECT_EQ(shared_squares, static_cast<size_t>(2 * shared));
        EXPECT_GE(shared, 1);
    } else {
        EXPECT_EQ(shared_squares, 0u);
        EXPECT_TRUE(figure.select_node(".//*[local-name()='text' and starts-with(., 'Frames not visible')]"));
    }
    for (const auto* name : {"rm-then-build", "inplace"}) {
        const nlohmann::ordered_json& result = std::string(name) == "inplace" ? inplace : replaced;
        bool deleted = false;
        for (const auto& [host, record] : result["hosts"].items()) deleted |= record["mapping_deleted"] == true;
        pugi::xml_document other;
        ASSERT_TRUE(other.load_file(scratch.path(std::string("r/") + name + ".html").c_str()));
        const bool drawn = other.select_node("//*[@id='mappings']//*[local-name()='text' and contains(., '(deleted)')]");
        EXPECT_EQ(drawn, deleted) << name;
    }
    EXPECT_TRUE(replaced["hosts"]["process1"]["mapping_deleted"] == true);
}

// Figure 3: a row for each observation of pages, and its counts are the result's.
TEST(ReportTest, DemandPagingHasARowForEachObservationOfPages)
{
    testing::ScratchDir scratch;
    nlohmann::ordered_json result = result_of("demand-paging", scratch.dir());
    write_report({scratch.path("demand-paging.json")}, scratch.path("r"));
    pugi::xml_document page;
    ASSERT_TRUE(page.load_file(scratch.path("r/demand-paging.html").c_str()));
    pugi::xml_node figure = figure_in(page, "demand-paging");
    ASSERT_TRUE(figure);
    std::vector<std::string> cached;
    for (const auto& observation : result["observations"])
        if (observation["page_cache"].is_object())
            cached.push_back(std::to_string(observation["page_cache"]["resident_pages"].get<long long>()) + " of " +
                             std::to_string(observation["page_cache"]["file_pages"].get<long long>()) + " file pages cached");
    ASSERT_GE(cached.size(), 3u);
    EXPECT_EQ(count_in(figure, ".//*[local-name()='g' and @class='observation']"), cached.size());
    for (const auto& counts : cached)
        EXPECT_TRUE(figure.select_node((".//*[local-name()='text' and starts-with(., '" + counts + "')]").c_str())) << counts;
}

// The two books are the result's libraries, function by function.
TEST(ReportTest, TheBooksAreTheTablesOfContentsTheRunRead)
{
    testing::ScratchDir scratch;
    nlohmann::ordered_json result = result_of("inplace", scratch.dir());
    ASSERT_TRUE(result["libraries"]["from"]["functions"].is_array());
    std::set<std::string> names;
    for (const auto& function : result["libraries"]["from"]["functions"]) names.insert(function["name"]);
    for (int chapter = 1; chapter <= 8; ++chapter) EXPECT_TRUE(names.count("foo_chapter" + std::to_string(chapter)));
    EXPECT_EQ(result["libraries"]["from"]["variant"], "v1");
    EXPECT_EQ(result["libraries"]["to"]["variant"], "v2");
    EXPECT_TRUE(result["libraries"]["to"]["error"].is_null());
}

void expect_refused(const std::string& file, const std::string& words, const std::string& out)
{
    try {
        write_report({file}, out);
        ADD_FAILURE() << file << " was drawn";
    } catch (const ScenarioError& error) {
        const std::string line = error.what();
        EXPECT_NE(line.find(file), std::string::npos) << line;
        EXPECT_NE(line.find(words), std::string::npos) << line;
        EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    }
    EXPECT_FALSE(fs::exists(out));
}

TEST(ReportTest, AFileThatIsNotAResultIsOneLineAndNoPage)
{
    testing::ScratchDir scratch;
    nlohmann::ordered_json result = result_of("inplace", scratch.dir());
    const std::string out = scratch.path("report");
    std::ofstream(scratch.path("ledger.json")) << R"({"schema": "libfoo-lab/claims/1"})";
    expect_refused(scratch.path("ledger.json"), "schema", out);
    std::ofstream(scratch.path("broken.json")) << "{\"schema\": ";
    expect_refused(scratch.path("broken.json"), "broken.json", out);
    expect_refused(scratch.path("missing.json"), "cannot be read", out);
    result["libraries"]["from"]["functions"][0]["offset"] = 4352;
    std::ofstream(scratch.path("bad-offset.json")) << result.dump();
    expect_refused(scratch.path("bad-offset.json"), "libraries.from.functions.0.offset", out);
    result["libraries"]["from"]["functions"][0]["offset"] = "0x1100";
    result["hosts"]["process1"]["calls"][2] = "a call";
    std::ofstream(scratch.path("bad-call.json")) << result.dump();
    expect_refused(scratch.path("bad-call.json"), "hosts.process1.calls.2", out);
}

// Markdown for a blog post: the page's images exist beside it, each a well-formed SVG, and what
// a result says stays text (no markup made of it).
TEST(ReportTest, MarkdownHasItsImagesBesideIt)
{
    testing::ScratchDir scratch;
    nlohmann::ordered_json result = result_of("inplace", scratch.dir());
    const std::string out = scratch.path("md");
    std::vector<std::string> written = write_report({scratch.path("inplace.json")}, out, ReportFormat::markdown);
    ASSERT_EQ(written, (std::vector<std::string>{out + "/inplace.md", out + "/index.md"}));
    std::ifstream in(out + "/inplace.md");
    const std::string md(std::istreambuf_iterator<char>(in), {});
    const std::regex image(R"(!\[[^\n]*?\]\(([\w.-]+\.svg)\))");
    size_t images = 0;
    for (std::sregex_iterator it(md.begin(), md.end(), image), end; it != end; ++it, ++images) {
        pugi::xml_document svg;
        EXPECT_TRUE(svg.load_file((out + "/" + (*it)[1].str()).c_str())) << (*it)[1];
        EXPECT_STREQ(svg.document_element().name(), "svg");
    }
    EXPECT_GE(images, 3u);
    EXPECT_NE(md.find("| process1 | crashed |"), std::string::npos) << md;
    EXPECT_NE(md.find("foo\\_chapter3\\+0x20"), std::string::npos) << md;  // the forensics line, escaped
}

// A campaign's file given with the results is a page of its own: a table with a row per claim,
// per updater, per file system, per kernel; the index lists it with the results.
TEST(ReportTest, CampaignFilesAreTablesOfTheirOwn)
{
    testing::OwnTmpdir place;
    CommandResult survey = place.run_lab({"survey", "--out", place.scratch.path("survey.json")});
    ASSERT_TRUE(std::filesystem::exists(place.scratch.path("survey.json"))) << survey.err;
    std::ifstream in(place.scratch.path("survey.json"));
    nlohmann::ordered_json updaters = nlohmann::ordered_json::parse(in)["updaters"];
    std::ofstream(place.scratch.path("claims.json")) << R"({"schema": "libfoo-lab/claims-result/1", "ledger": "seed.json",
        "environment": "Linux 6.1", "claims": [{"claim": "A <b>claim</b>", "quote": "q", "scenarios": ["inplace"],
        "status": "confirmed", "evidence": ["inplace: update.same_file = true"]}]})";
    std::ofstream(place.scratch.path("matrix.json")) << R"({"schema": "libfoo-lab/matrix/1", "kernel": "6.1", "scenarios": ["inplace"],
        "filesystems": {"tmpfs": {"inplace": {"status": "PASS", "process1_verdict": "crashed"}},
                        "xfs": {"inplace": {"status": "CONF", "process1_verdict": null}}}})";
    // A kernel's release has dots in it: "6.1.0-56-cloud-amd64" is a row, not a path.
    std::ofstream(place.scratch.path("kernels.json")) << R"json({"schema": "libfoo-lab/kernels/1", "scenarios": ["inplace", "etxtbsy"],
        "environment": {"6.18.44": "native (running)", "6.1.0-56-cloud-amd64": "qemu tcg (linux-image-6.1.0-56-cloud-amd64)"},
        "kernels": {"6.18.44": {"inplace": {"status": "PASS", "process1_verdict": "crashed"}, "etxtbsy": {"status": "PASS"}},
                    "6.1.0-56-cloud-amd64": {"inplace": {"status": "PASS", "process1_verdict": "crashed"}, "etxtbsy": {"status": "BROK"}}}})json";
    const std::string out = place.scratch.path("r");
    write_report({place.scratch.path("survey.json"), place.scratch.path("claims.json"), place.scratch.path("matrix.json"),
                  place.scratch.path("kernels.json")},
                 out);
    pugi::xml_document kernels;
    ASSERT_TRUE(kernels.load_file((out + "/kernels.html").c_str()));
    EXPECT_TRUE(kernels.select_node("//*[local-name()='td' and .='6.1.0-56-cloud-amd64']"));
    EXPECT_EQ(kernels.select_nodes("//*[local-name()='td' and .='PASS crashed']").size(), 2u);
    for (const auto& [name, rows] : std::vector<std::pair<std::string, size_t>>{{"survey", updaters.size()}, {"claims", 1}, {"matrix", 2}, {"kernels", 2}}) {
        pugi::xml_document page;
        ASSERT_TRUE(page.load_file((out + "/" + name + ".html").c_str())) << name;
        EXPECT_EQ(page.select_nodes("//*[local-name()='tr']").size(), rows + 1) << name;
        expect_self_contained(page, out, name + ".html");
    }
    pugi::xml_document claims;
    ASSERT_TRUE(claims.load_file((out + "/claims.html").c_str()));
    EXPECT_TRUE(claims.select_node("//*[local-name()='td' and .='A <b>claim</b>']"));  // text, not markup
    pugi::xml_document index;
    ASSERT_TRUE(index.load_file((out + "/index.html").c_str()));
    EXPECT_EQ(index.select_nodes("//*[local-name()='a']").size(), 4u);
    EXPECT_TRUE(index.select_node("//*[local-name()='span' and .='CONF']"));  // the matrix: its worst cell
}

// `lab report` is lab-report's: lab hands it over, and prints the pages it wrote.
TEST(ReportTest, TheLabCommandWritesThePagesAndNamesThem)
{
    testing::OwnTmpdir place;
    result_of("inplace", place.scratch.dir());
    CommandResult report = testing::run_lab({"report", place.scratch.path("inplace.json"), "--out", place.scratch.path("pages")}, place.scratch.dir());
    EXPECT_EQ(report.status.code, 0) << report.err;
    EXPECT_EQ(report.out, place.scratch.path("pages/inplace.html") + "\n" + place.scratch.path("pages/index.html") + "\n");
    EXPECT_TRUE(fs::exists(place.scratch.path("pages/inplace.html")));
    CommandResult missing = testing::run_lab({"report", place.scratch.path("nothing.json")}, place.scratch.dir());
    EXPECT_EQ(missing.status.code, 2);
    EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
    EXPECT_FALSE(fs::exists(place.scratch.path("results")));
}

}  // namespace
}  // namespace lab
