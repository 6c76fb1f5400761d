// crash_record_test.cc — the record a dying host writes, checked against its wait status.
#include <csignal>

#include <gtest/gtest.h>

#include "common/crash_record.h"
#include "base/files.h"
#include "engine/host.h"
#include "inspect/maps.h"
#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

Clock::time_point soon() { return Clock::now() + std::chrono::seconds(5); }

TEST(CrashRecordTest, ParsesTheHandlersLine)
{
    auto record = parse_crash_record("crash signal=7 code=2 addr=0x7f0012345000 pc=0x7f0000001140");
    ASSERT_TRUE(record);
    EXPECT_EQ(record->signal, SIGBUS);
    EXPECT_EQ(record->code, BUS_ADRERR);
    EXPECT_EQ(record->fault_address, 0x7f0012345000u);
    EXPECT_EQ(record->pc, 0x7f0000001140u);
}

TEST(CrashRecordTest, RejectsIncompleteLines)
{
    EXPECT_FALSE(parse_crash_record("crash signal=11 code=1 addr=0x0"));
    EXPECT_FALSE(parse_crash_record("answer chapter=1"));
    EXPECT_FALSE(parse_crash_record("crash signal=eleven code=1 addr=0x0 pc=0x1"));
}

TEST(CrashRecordTest, NamesSignalsAndCodes)
{
    EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
    EXPECT_EQ(signal_name(SIGBUS), "SIGBUS");
    EXPECT_EQ(si_code_name(SIGSEGV, SEGV_MAPERR), "SEGV_MAPERR");
    EXPECT_EQ(si_code_name(SIGBUS, BUS_ADRERR), "BUS_ADRERR");
    EXPECT_EQ(si_code_name(SIGSEGV, SI_KERNEL), "SI_KERNEL");
    EXPECT_EQ(si_code_name(SIGSEGV, 77), "SI_CODE_77");
}

// The whole mechanism, without the runner: a host on v1 calls chapter 5, the file is overwritten
// with v2, and the next call to chapter 5 follows the stale pointer into v2's landing zone.
TEST(CrashRecordTest, AStaleCallAfterAnInPlaceOverwriteIsRecordedAndMatchesTheWaitStatus)
{
    testing::ScratchDir scratch;
    copy_file(testing::catalogue().find("v1")->shared_object, scratch.path("libfoo.so"));
    Host host(HostSpec{"process1", testing::paths().host("process1"), scratch.dir()});
    ASSERT_EQ(host.next_line(soon()).message.kind, "ready");
    ASSERT_EQ(host.request({protocol::CommandKind::call, 5}, soon()).raw, "answer chapter=5 variant=v1 value=1005");
    auto mapping = mappings_under(host.pid(), scratch.dir());

    copy_file(testing::catalogue().find("v2")->shared_object, scratch.path("libfoo.so"));  // O_TRUNC: in place
    Reply reply = host.request({protocol::CommandKind::call, 5}, soon());

    ASSERT_EQ(reply.kind, Reply::Kind::died);
    ASSERT_TRUE(host.child().status()->signaled);
    EXPECT_EQ(host.child().status()->code, SIGSEGV);
    ASSERT_TRUE(host.crash_record());
    EXPECT_EQ(host.crash_record()->signal, SIGSEGV);
    EXPECT_EQ(host.crash_record()->code, SEGV_MAPERR);
    EXPECT_EQ(host.crash_record()->fault_address, 0u);  // the landing zone reads address 0

    // The pc is where v1 had chapter 5: the stale pointer, followed into v2's bytes.
    const MapsLine* code = nullptr;
    for (const auto& line : mapping)
        if (line.perms == "r-xp") code = &line;
    ASSERT_NE(code, nullptr);
    std::uint64_t pc = host.crash_record()->pc;
    ASSERT_GE(pc, code->start);
    ASSERT_LT(pc, code->end);
    EXPECT_EQ(pc - code->start + code->offset, testing::symbol_offset("v1", "foo_chapter5"));
    EXPECT_NE(testing::symbol_offset("v2", "foo_chapter5"), testing::symbol_offset("v1", "foo_chapter5"));
}

}  // namespace
}  // namespace lab
