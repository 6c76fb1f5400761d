// figures_test.cc — the figures draw what they are given: a mark per call whose shape says whose
// answer it was, a death where a host died, every label escaped, the SVG well-formed.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "figures/figures.h"

namespace lab::figures {
namespace {

pugi::xml_document parsed(const Svg& svg)
{
    pugi::xml_document document;
    pugi::xml_parse_result result = document.load_string(svg.file_text().c_str());
    EXPECT_TRUE(result) << result.description();
    return document;
}

TimelineFigure two_hosts()
{
    TimelineFigure figure;
    TimelineHost first;
    first.name = "process1";
    first.start_ns = 1'000'000;
    first.end_ns = 3'000'000;
    first.died = true;
    first.end = "killed by SIGSEGV";
    first.calls = {{1'500'000, 1, "old"}, {1'600'000, 2, "old"}, {2'900'000, 5, "none"}};
    TimelineHost second;
    second.name = "process2 <&>";
    second.start_ns = 3'100'000;
    second.end_ns = 4'000'000;
    second.end = "exit 0";
    second.calls = {{3'500'000, 1, "new"}, {3'600'000, 2, "wrong"}};
    figure.hosts = {first, second};
    figure.marks = {{2'000'000, "update"}};
    figure.end_ns = 4'200'000;
    return figure;
}

TEST(FiguresTest, TheTimelineMarksEachCallByWhoseAnswerItWas)
{
    pugi::xml_document svg = parsed(timeline(two_hosts()));
    EXPECT_EQ(svg.select_nodes("//circle[@class='answer-old']").size(), 2u + 1u);  // and the legend's
    EXPECT_EQ(svg.select_nodes("//circle[@class='answer-new']").size(), 1u + 1u);
    EXPECT_EQ(svg.select_nodes("//rect[@class='answer-wrong']").size(), 1u + 1u);
    EXPECT_EQ(svg.select_nodes("//rect[@class='answer-none']").size(), 1u + 1u);
    EXPECT_EQ(svg.select_nodes("//rect[@class='death']").size(), 1u);
    EXPECT_TRUE(svg.select_node("//text[.='process2 <&>']"));
    EXPECT_TRUE(svg.select_node("//text[.='update']"));
    EXPECT_TRUE(svg.select_node("//text[.='killed by SIGSEGV']"));
}

TEST(FiguresTest, TheTableOfContentsPointsEverySlotIntoTheLoadedBook)
{
    TocFigure figure;
    figure.host = "process1";
    figure.loaded = {"v1, what process1 loaded", {{"foo_chapter1", 0x1100, 16}, {"foo_chapter2", 0x1110, 16}}};
    figure.on_disk = {"v2, in the file now", {{"foo_chapter1", 0x1100, 32}, {"foo_chapter2", 0x1120, 16}}};
    figure.slots = {{1, true, 0x1100, "foo_chapter1"}, {2, true, 0x1110, "foo_chapter2"}, {3, false, 0, ""}};
    figure.stale = StaleCall{2, 0x1110, "foo_chapter1+0x10", "SIGSEGV (SEGV_MAPERR), fault address 0x0"};
    pugi::xml_document svg = parsed(table_of_contents(figure));
    EXPECT_EQ(svg.select_nodes("//line[@class='ok']").size(), 2u);   // the resolved slots
    EXPECT_EQ(svg.select_nodes("//line[@class='bad']").size(), 1u);  // the stale call, on into v2
    EXPECT_EQ(std::string(svg.select_node("//text[contains(@class,'landing')]/tspan").node().child_value()), "foo_chapter1+0x10");
    EXPECT_TRUE(svg.select_node("//text[.='chapter 3: not yet']"));
    // the landing place is inside v2's foo_chapter1, which is marked
    EXPECT_EQ(std::string(svg.select_node("//rect[@class='entry-hit']/title").node().child_value()).rfind("foo_chapter1 at 0x1100", 0), 0u);
}

}  // namespace
}  // namespace lab::figures
