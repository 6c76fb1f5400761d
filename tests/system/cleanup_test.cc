// cleanup_test.cc — no host outlives a run, not even when the runner is killed with SIGKILL;
// the sandbox goes unless --keep.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/run.h"
#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

TEST(CleanupTest, NoHostOrSandboxIsLeftAfterARun)
{
    for (const char* name : {"inplace", "rm-then-build"}) {
        testing::RunResult result = testing::run(testing::load_repo_scenario(name));
        EXPECT_TRUE(testing::children_of(getpid()).empty()) << name;
        for (const char* host : {"process1", "process2"})
            EXPECT_FALSE(testing::host_alive(result.json["hosts"][host]["pid"].get<pid_t>())) << name << " " << host;
        EXPECT_FALSE(std::filesystem::exists(result.json["sandbox"]["dir"].get<std::string>())) << name;
    }
}

TEST(CleanupTest, KeepLeavesTheSandboxButStopsTheHosts)
{
    RunOptions options;
    options.keep = true;
    testing::RunResult result = testing::run(testing::load_repo_scenario("rm-then-build"), options);
    std::string dir = result.json["sandbox"]["dir"];
    EXPECT_TRUE(std::filesystem::exists(dir + "/libfoo.so"));
    EXPECT_TRUE(testing::children_of(getpid()).empty());
    std::filesystem::remove_all(dir);
}

// The runner is stopped after process1 has answered (step 1), then killed outright: it cannot
// clean up, so only PR_SET_PDEATHSIG can take process1 with it.
TEST(CleanupTest, KillingTheRunnerWithSigkillKillsItsHosts)
{
    testing::ScratchDir scratch;
    SpawnSpec spec;
    spec.argv = {testing::paths().bin_dir + "/lab", "run", testing::source_path("scenarios/rm-then-build.json"),
                 "--quiet", "--out", scratch.path("r.json"), "--stop-after-step", "1"};
    Child runner(spec);

    alarm(60);  // bounds the blocking wait below; the test fails by SIGALRM rather than hanging
    siginfo_t info = {};
    ASSERT_EQ(waitid(P_PID, runner.pid(), &info, WSTOPPED | WNOWAIT), 0);
    alarm(0);
    ASSERT_EQ(info.si_code, CLD_STOPPED);

    std::vector<pid_t> hosts;  // the runner's other children are its `cc --version` probes
    for (pid_t child : testing::children_of(runner.pid()))
        if (testing::host_alive(child)) hosts.push_back(child);
    ASSERT_EQ(hosts.size(), 1u);
    std::string sandbox = std::filesystem::read_symlink("/proc/" + std::to_string(hosts[0]) + "/cwd").string();
    testing::DeathWatch host(hosts[0]);
    ASSERT_TRUE(host.watching());

    runner.kill_now();  // SIGKILL, then reaped

    EXPECT_TRUE(host.gone_within(std::chrono::seconds(5))) << "process1 outlived the runner";
    EXPECT_FALSE(testing::host_alive(hosts[0]));
    EXPECT_EQ(std::filesystem::path(sandbox).filename().string().rfind("libfoo-lab.", 0), 0u) << sandbox;
    std::filesystem::remove_all(sandbox);  // the killed runner could not
    EXPECT_FALSE(std::filesystem::exists(scratch.path("r.json")));  // no partial result either
}

// A run started with $TMPDIR inside a live run's directory (a command a run starts gets that;
// so does a benchmark's scratch) must not wait for that directory's lock, which its owner holds
// until it ends.
TEST(CleanupTest, ARunInsideALiveRunsDirectoryDoesNotWaitForItsLock)
{
    Sandbox live;  // locked for as long as it lives
    CommandResult result = run_command({testing::paths().bin_dir + "/lab", "run", testing::source_path("scenarios/inplace.json"),
                                        "--quiet", "--out", live.path("result.json")},
                                       live.dir(), std::chrono::seconds(20));  // cwd, and so TMPDIR
    EXPECT_FALSE(result.timed_out);
    EXPECT_TRUE(result.ok()) << result.err;
}

}  // namespace
}  // namespace lab
