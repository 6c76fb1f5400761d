// protocol_test.cc — the runner <-> host line protocol, on paper and with a real host.
#include <gtest/gtest.h>

#include "engine/host.h"
#include "base/files.h"
#include "common/protocol.h"
#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

using testing::ScratchDir;

Clock::time_point soon() { return Clock::now() + std::chrono::seconds(5); }

TEST(ProtocolTest, CommandsRoundTrip)
{
    for (const auto& command : {protocol::Command{protocol::CommandKind::call, 7},
                                protocol::Command{protocol::CommandKind::report},
                                protocol::Command{protocol::CommandKind::quit}}) {
        auto parsed = protocol::parse_command(protocol::format_command(command));
        ASSERT_TRUE(parsed);
        EXPECT_EQ(parsed->kind, command.kind);
        EXPECT_EQ(parsed->chapter, command.chapter);
    }
}

TEST(ProtocolTest, RejectsMalformedCommands)
{
    std::string why;
    EXPECT_FALSE(protocol::parse_command("call", &why));
    EXPECT_FALSE(protocol::parse_command("call x", &why));
    EXPECT_EQ(why, "call needs a chapter number");
    EXPECT_FALSE(protocol::parse_command("call 3 4", &why));
    EXPECT_FALSE(protocol::parse_command("dance", &why));
    EXPECT_EQ(why, "unknown command");
}

TEST(ProtocolTest, ParsesMessageFields)
{
    auto message = protocol::parse_message("answer chapter=4 variant=v1 value=1004");
    EXPECT_EQ(message.kind, "answer");
    EXPECT_EQ(message.field("chapter"), "4");
    EXPECT_EQ(message.field("variant"), "v1");
    EXPECT_EQ(message.field("value"), "1004");
    EXPECT_EQ(message.field("absent"), "");
}

class HostProtocolTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        copy_file(testing::catalogue().find("v1")->shared_object, scratch.path("libfoo.so"));
        host = std::make_unique<Host>(HostSpec{"process1", testing::paths().host("process1"), scratch.dir()});
    }
    ScratchDir scratch;
    std::unique_ptr<Host> host;
};

TEST_F(HostProtocolTest, SaysReadyWithItsPid)
{
    Reply ready = host->next_line(soon());
    ASSERT_EQ(ready.kind, Reply::Kind::line);
    EXPECT_EQ(ready.message.kind, "ready");
    EXPECT_EQ(ready.message.field("host"), "process1");
    EXPECT_EQ(ready.message.field("pid"), std::to_string(host->pid()));
}

TEST_F(HostProtocolTest, AnswersCallsReportsAndQuits)
{
    host->next_line(soon());
    Reply answer = host->request({protocol::CommandKind::call, 4}, soon());
    ASSERT_EQ(answer.kind, Reply::Kind::line);
    EXPECT_EQ(answer.raw, "answer chapter=4 variant=v1 value=1004");

    Reply report = host->request({protocol::CommandKind::report}, soon());
    EXPECT_EQ(report.message.kind, "report");
    EXPECT_EQ(report.message.field("calls"), "1");

    Reply bye = host->request({protocol::CommandKind::quit}, soon());
    EXPECT_EQ(bye.raw, "bye");
    ASSERT_TRUE(host->wait_exit(soon()));
    EXPECT_FALSE(host->child().status()->signaled);
    EXPECT_EQ(host->child().status()->code, 0);
}

TEST_F(HostProtocolTest, AnswersAnUnknownChapterWithAnError)
{
    host->next_line(soon());
    Reply reply = host->request({protocol::CommandKind::call, 99}, soon());
    EXPECT_EQ(reply.message.kind, "error");
    EXPECT_TRUE(host->alive());
}

TEST_F(HostProtocolTest, ExitsWhenTheRunnerClosesItsInput)
{
    host->next_line(soon());
    const_cast<Child&>(host->child()).close_in();
    ASSERT_TRUE(host->wait_exit(soon()));
    EXPECT_EQ(host->child().status()->code, 0);
}

TEST(HostStartTest, WithoutLibfooTheLoaderRefusesAndTheHostNeverSaysReady)
{
    ScratchDir empty;  // no libfoo.so: the build tree's copy must not be found either (no RUNPATH)
    Host host(HostSpec{"process2", testing::paths().host("process2"), empty.dir()});
    Reply reply = host.next_line(soon());
    EXPECT_EQ(reply.kind, Reply::Kind::died);
    EXPECT_EQ(host.child().status()->code, 127);
    EXPECT_NE(host.stderr_text().find("libfoo.so"), std::string::npos) << host.stderr_text();
}

}  // namespace
}  // namespace lab
