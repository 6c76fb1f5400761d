// forensics_test.cc — naming where a stale pointer lands: the symbolizer on known offsets of
// both versions, the host's table-of-contents slots, and the inplace crash's record.
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "inspect/forensics.h"
#include "base/files.h"
#include "engine/host.h"
#include "inspect/plt_slots.h"
#include "engine/run.h"
#include "system/sandbox.h"
#include "inspect/symbols.h"
#include "test_support.h"

namespace lab {
namespace {

SymbolTable table(const std::string& variant) { return SymbolTable(testing::catalogue().find(variant)->shared_object); }

TEST(SymbolizerTest, NamesKnownOffsetsInBothVersions)
{
    SymbolTable v1 = table("v1"), v2 = table("v2");
    std::uint64_t chapter5 = testing::symbol_offset("v1", "foo_chapter5");
    EXPECT_EQ(v1.at_file_offset(chapter5)->text(), "foo_chapter5");
    EXPECT_EQ(v1.at_file_offset(chapter5 + 4)->text(), "foo_chapter5+0x4");
    // In v2, chapter 3 grew by three pages over that offset.
    auto in_v2 = v2.at_file_offset(chapter5);
    ASSERT_TRUE(in_v2);
    EXPECT_EQ(in_v2->symbol, "foo_chapter3");
    EXPECT_EQ(in_v2->offset_in_symbol, chapter5 - testing::symbol_offset("v2", "foo_chapter3"));
    EXPECT_EQ(v2.file_offset_of("foo_chapter5"), testing::symbol_offset("v2", "foo_chapter5"));
    EXPECT_FALSE(v1.at_file_offset(0));  // the ELF header is no function
    EXPECT_FALSE(v1.file_offset_of("no_such_symbol"));
}

TEST(SymbolizerTest, TheTableOfContentsListsEveryChapterInOrder)
{
    std::vector<std::string> chapters;
    SymbolTable p2 = table("p2");
    for (const auto& entry : p2.functions())
        if (entry.name.rfind("foo_chapter", 0) == 0) chapters.push_back(entry.name);
    ASSERT_EQ(chapters.size(), 8u);
    EXPECT_EQ(chapters.front(), "foo_chapter1");
    EXPECT_EQ(chapters.back(), "foo_chapter8");
    // p2 moved chapter 6 to where p1 had chapter 7: the wrong-answer landing.
    EXPECT_EQ(p2.file_offset_of("foo_chapter6"), table("p1").file_offset_of("foo_chapter7"));
}

TEST(SymbolizerTest, ThePictureMarksTheStaleTargetAndTheLanding)
{
    std::uint64_t chapter5 = testing::symbol_offset("v1", "foo_chapter5");
    std::string picture = contents_picture(table("v1"), table("v2"), "v1", "v2", chapter5);
    EXPECT_NE(picture.find("=> 0x1140   foo_chapter5"), std::string::npos) << picture;
    EXPECT_NE(picture.find("foo_chapter3+0x20 <= lands"), std::string::npos) << picture;
    for (size_t start = 0, end; start < picture.size(); start = end + 1) {
        end = picture.find('\n', start);
        if (end == std::string::npos) end = picture.size();
        EXPECT_LE(end - start, 76u) << "wider than an 80-column transcript: " << picture.substr(start, end - start);
    }
}

TEST(PltSlotsTest, ReadsWhichChaptersAHostHasBound)
{
    PltSlots slots(testing::paths().host("process1"));
    ASSERT_EQ(slots.chapters().size(), 8u);
    testing::ScratchDir scratch;
    copy_file(testing::catalogue().find("v1")->shared_object, scratch.path("libfoo.so"));
    Host host(HostSpec{"process1", testing::paths().host("process1"), scratch.dir(), false});
    auto soon = [] { return Clock::now() + std::chrono::seconds(5); };
    ASSERT_EQ(host.next_line(soon()).message.kind, "ready");
    ASSERT_EQ(host.request({protocol::CommandKind::call, 2}, soon()).message.kind, "answer");
    auto base = executable_base(host.pid(), testing::paths().host("process1"));
    ASSERT_TRUE(base);
    auto values = slots.read(host.pid(), *base);
    ASSERT_EQ(values.size(), 8u);
    auto lines = mappings_under(host.pid(), scratch.dir());
    SymbolTable v1 = table("v1");
    auto bound = describe_slot(values[2], lines, v1, v1);
    ASSERT_TRUE(bound.resolved());
    ASSERT_TRUE(bound.place->old_symbol);
    EXPECT_EQ(bound.place->old_symbol->symbol, "foo_chapter2");
    EXPECT_FALSE(describe_slot(values[3], lines, v1, v1).resolved());  // lazy: never called
}

TEST(ForensicsTest, TheInplaceCrashNamesTheCallTheSlotAndBothSymbols)
{
    testing::RunResult result = testing::run(testing::load_repo_scenario("inplace"));
    const auto& end = result.json["hosts"]["process1"]["termination"];
    EXPECT_EQ(end["where"]["old"]["symbol"], "foo_chapter5");
    EXPECT_EQ(end["where"]["new"]["symbol"], "foo_chapter3");
    EXPECT_EQ(end["call"]["chapter"], 5);
    EXPECT_EQ(end["call"]["slot"]["state"], "resolved");
    EXPECT_EQ(end["call"]["slot"]["old"]["symbol"], "foo_chapter5");
    EXPECT_EQ(end["call"]["slot"]["value"], end["pc"]);  // the pc is where the stale slot pointed
    const auto& before = result.json["hosts"]["process1"]["plt_before_update"];
    for (int chapter = 1; chapter <= 8; ++chapter) EXPECT_EQ(before[std::to_string(chapter)]["state"], "resolved");
    bool pictured = false;
    for (const auto& event : result.json["timeline"]) pictured |= event.contains("figure");
    EXPECT_TRUE(pictured);
}

}  // namespace
}  // namespace lab
