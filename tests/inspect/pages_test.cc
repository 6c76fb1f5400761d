// pages_test.cc — the page-level probes: segments from libelf, the page cache, eviction, fault
// counters, padding, sizes.
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "inspect/pages.h"
#include "base/files.h"
#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

TEST(PagesTest, SegmentsComeFromTheProgramHeaders)
{
    auto segments = load_segments(testing::catalogue().find("v1")->shared_object);
    ASSERT_GE(segments.size(), 3u);
    EXPECT_EQ(in_writable_segment(segments, 0), false);       // ELF header, dynsym
    EXPECT_EQ(in_writable_segment(segments, 0x1000), false);  // code
    std::uint64_t data = 0;
    for (const auto& segment : segments)
        if (segment.writable) data = segment.vaddr;
    ASSERT_NE(data, 0u);
    EXPECT_EQ(in_writable_segment(segments, data / page_size * page_size), true);
    EXPECT_FALSE(in_writable_segment(segments, 1ULL << 40));
    EXPECT_TRUE(load_segments("/etc/hostname").empty());  // not ELF: nothing, no throw
}

TEST(PagesTest, EvictionEmptiesThePageCacheOfAnUnmappedFile)
{
    testing::ScratchDir scratch;
    std::string file = scratch.path("file");
    copy_file(testing::catalogue().find("p1")->shared_object, file);
    read_file(file);  // now every page is cached
    auto before = page_cache_map(file);
    ASSERT_TRUE(before);
    EXPECT_EQ(before->find('.'), std::string::npos) << *before;
    EXPECT_EQ(evict_from_page_cache(file), "");
    auto after = page_cache_map(file);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->find('#'), std::string::npos) << *after;
    EXPECT_NE(evict_from_page_cache(scratch.path("missing")), "");
}

TEST(PagesTest, FaultCountersMoveWhenPagesAreTouched)
{
    auto before = faults_of(getpid());
    ASSERT_TRUE(before);
    const size_t length = 64 * page_size;
    char* memory = static_cast<char*>(mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ASSERT_NE(memory, MAP_FAILED);
    for (size_t at = 0; at < length; at += page_size) memory[at] = 1;
    auto after = faults_of(getpid());
    munmap(memory, length);
    ASSERT_TRUE(after);
    EXPECT_GE(after->minor - before->minor, 1);
}

TEST(PagesTest, PagemapShowsWhichPagesArePresent)
{
    testing::ScratchDir scratch;
    copy_file(testing::catalogue().find("v1")->shared_object, scratch.path("libfoo.so"));
    void* handle = dlopen(scratch.path("libfoo.so").c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle, nullptr) << dlerror();
    auto lines = mappings_under(getpid(), scratch.dir());
    auto pages = pages_of(getpid(), lines);
    dlclose(handle);
    ASSERT_FALSE(pages.empty());
    bool some_present = false;
    for (const auto& page : pages) {
        some_present |= page.present;
        if (geteuid() != 0) {
            EXPECT_FALSE(page.frame);  // frame numbers are root's only
        }
    }
    EXPECT_TRUE(some_present);
}

TEST(PagesTest, PaddingKeepsTheLibraryLoadable)
{
    testing::ScratchDir scratch;
    std::string file = scratch.path("libfoo.so");
    long long size = copy_file(testing::catalogue().find("v1")->shared_object, file);
    EXPECT_EQ(pad_file(file, 1 << 20), (1 << 20) - size);
    EXPECT_EQ(pad_file(file, 1000), 0);  // never shrinks
    EXPECT_EQ(pad_file(file, 2 << 20, Padding::write), 1 << 20);
    EXPECT_EQ(identity_of_path(file)->size, 2 << 20);
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle, nullptr) << dlerror();
    EXPECT_NE(dlsym(handle, "foo_chapter1"), nullptr);
    dlclose(handle);
}

TEST(PagesTest, SizesReadLikePeopleWriteThem)
{
    EXPECT_EQ(parse_size("64M"), 64LL << 20);
    EXPECT_EQ(parse_size("1G"), 1LL << 30);
    EXPECT_EQ(parse_size("4096"), 4096);
    EXPECT_EQ(parse_size("512KiB"), 512LL << 10);
    EXPECT_FALSE(parse_size("big"));
    EXPECT_FALSE(parse_size("1T"));
    EXPECT_FALSE(parse_size("-1M"));
    EXPECT_FALSE(parse_size(""));
}

}  // namespace
}  // namespace lab
