// browser_test.cc — the report as a browser shows it: headless Chromium renders each page to a
// screenshot that is not blank, and the figures are in the DOM it built. Skipped when Chromium is
// not installed (Makefile.demo's deps step installs it).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "browser.h"
#include "pages/report.h"
#include "result/result_file.h"
#include "test_support.h"

namespace lab {
namespace {

TEST(BrowserTest, EachPageRendersItsFigures)
{
    if (testing::chromium().empty()) GTEST_SKIP() << "chromium is not installed (Debian package chromium)";
    testing::ScratchDir scratch;
    std::vector<std::string> files;
    for (const char* name : {"inplace", "sharing"}) {
        testing::RunResult run = testing::run_repo_scenario(name);
        files.push_back(scratch.path(std::string(name) + ".json"));
        write_result_atomically(files.back(), run.json);
    }
    write_report(files, scratch.path("report"));
    std::ofstream(scratch.path("blank.html")) << "<!DOCTYPE html><html><body></body></html>";
    ASSERT_EQ(testing::screenshot(scratch.path("blank.html"), scratch.path("blank.png"), 1000, 1400, scratch.dir()), "");
    const auto blank = std::filesystem::file_size(scratch.path("blank.png"));
    for (const char* page : {"inplace", "sharing", "index"}) {
        const std::string html = scratch.path("report/") + page + ".html", png = scratch.path(std::string(page) + ".png");
        ASSERT_EQ(testing::screenshot(html, png, 1000, 1400, scratch.dir()), "") << page;
        EXPECT_EQ(testing::png_size(png), std::make_pair(1000, 1400)) << page;
        // A blank window compresses to almost nothing; text and figures do not.
        EXPECT_GT(std::filesystem::file_size(png), 5 * blank) << page << ": " << std::filesystem::file_size(png) << " bytes, blank " << blank;
        if (std::string(page) == "index") continue;
        std::string why;
        const std::string dom = testing::dumped_dom(html, scratch.dir(), &why);
        ASSERT_TRUE(why.empty()) << why;
        EXPECT_NE(dom.find("id=\"timeline\""), std::string::npos) << page;
        EXPECT_NE(dom.find("id=\"mappings\""), std::string::npos) << page;
        if (std::string(page) == "inplace") {
            EXPECT_NE(dom.find("id=\"table-of-contents\""), std::string::npos);
        }
    }
}

}  // namespace
}  // namespace lab
