// maps_test.cc — reading /proc/PID/maps lines, including the (deleted) mark.
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "inspect/maps.h"

namespace lab {
namespace {

TEST(MapsTest, ParsesALineWithAPath)
{
    auto line = parse_maps_line("7f92846c1000-7f92846c2000 r-xp 00001000 fe:00 10952719 /tmp/lab.x/libfoo.so");
    ASSERT_TRUE(line);
    EXPECT_EQ(line->start, 0x7f92846c1000u);
    EXPECT_EQ(line->end, 0x7f92846c2000u);
    EXPECT_EQ(line->perms, "r-xp");
    EXPECT_EQ(line->offset, 0x1000u);
    EXPECT_EQ(line->device, "fe:00");
    EXPECT_EQ(line->inode, 10952719u);
    EXPECT_EQ(line->path, "/tmp/lab.x/libfoo.so");
    EXPECT_FALSE(line->deleted);
}

TEST(MapsTest, TheDeletedMarkIsNotPartOfThePath)
{
    auto line = parse_maps_line("7f0-7f1 r--p 00000000 fe:00 42 /tmp/lab.x/libfoo.so (deleted)");
    ASSERT_TRUE(line);
    EXPECT_TRUE(line->deleted);
    EXPECT_EQ(line->path, "/tmp/lab.x/libfoo.so");
}

TEST(MapsTest, AnonymousMappingsHaveNoPath)
{
    auto line = parse_maps_line("7ffd1000-7ffd2000 rw-p 00000000 00:00 0");
    ASSERT_TRUE(line);
    EXPECT_EQ(line->path, "");
    EXPECT_FALSE(parse_maps_line("garbage"));
}

TEST(MapsTest, MatchesIdentityByDeviceAndInode)
{
    FileIdentity identity;
    identity.dev = makedev(0xfe, 0);
    identity.ino = 42;
    auto line = parse_maps_line("7f0-7f1 r--p 00000000 fe:00 42 /x (deleted)");
    EXPECT_TRUE(line->is_file(identity));
    identity.ino = 43;
    EXPECT_FALSE(line->is_file(identity));
}

TEST(MapsTest, FindsOnlyMappingsUnderADirectory)
{
    auto lines = mappings_under(getpid(), "/nonexistent-dir");
    EXPECT_TRUE(lines.empty());
    EXPECT_TRUE(mappings_under(999999999, "/").empty());  // no such process: nothing, no throw
}

}  // namespace
}  // namespace lab
