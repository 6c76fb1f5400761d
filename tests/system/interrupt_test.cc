// interrupt_test.cc — a run killed at any moment leaves nothing of the lab behind once the next
// lab command has run: no host, no mapping of the sandbox's files, no directory, no mount. SIGINT,
// SIGTERM and SIGHUP are caught, clean up, and end the runner by the same signal (the shell's
// 128 + N); SIGKILL cannot be caught, so the next command's sweep removes what it left.
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "system/leftovers.h"
#include "base/files.h"
#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

// A TMPDIR of the test's own, so what is left in it is the runner's and nobody else's.
struct Place : testing::OwnTmpdir {
    SpawnSpec lab(const std::vector<std::string>& args) const { return lab_spec(args); }
};

// Waits up to `delay` for the child to end on its own (ppoll on its pidfd): the moment to kill it
// is chosen at random, not waited for. Returns whether it is still running.
bool still_running_after(const Child& child, std::chrono::microseconds delay)
{
    struct pollfd ended = {child.pidfd(), POLLIN, 0};
    struct timespec timeout = {static_cast<time_t>(delay.count() / 1000000), static_cast<long>(delay.count() % 1000000) * 1000};
    return ppoll(&ended, 1, &timeout, nullptr) == 0;
}

// Processes that map anything under `dir` (a host still dying of PR_SET_PDEATHSIG).
std::vector<pid_t> mapping_under(const std::string& dir)
{
    std::vector<pid_t> pids;
    DIR* proc = opendir("/proc");
    while (dirent* entry = proc ? readdir(proc) : nullptr) {
        pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0) continue;
        if (testing::proc_text(pid, "maps").find(dir) != std::string::npos) pids.push_back(pid);
    }
    if (proc) closedir(proc);
    return pids;
}

// How long a whole run of the scenario takes here, from spawn to exit: the shortest of three.
std::chrono::microseconds run_time(const Place& place, const std::string& scenario)
{
    std::chrono::microseconds shortest = std::chrono::seconds(30);
    for (int i = 0; i < 3; ++i) {
        auto start = Clock::now();
        Child full(place.lab({"run", testing::source_path("scenarios/" + scenario + ".json"), "--quiet", "--out", place.scratch.path("r.json")}));
        full.wait_until(Clock::now() + std::chrono::seconds(30));
        shortest = std::min(shortest, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
    }
    return shortest;
}

TEST(InterruptTest, KilledAtRandomMomentsNothingIsLeftAfterTheNextCommand)
{
    Place place;
    const std::vector<std::string> scenarios = {"inplace", "rm-then-build", "sharing"};
    std::map<std::string, std::chrono::microseconds> duration;
    for (const auto& name : scenarios) duration[name] = run_time(place, name);
    const int signals[] = {SIGKILL, SIGINT, SIGTERM, SIGHUP};
    std::mt19937 random(20261128);
    int mid_run = 0, caught_by_the_signal = 0;
    // Until 100 kills have landed while the runner ran (a moment can fall after a fast run's end).
    for (int i = 0; i < 300 && mid_run < 100; ++i) {
        const std::string& scenario = scenarios[static_cast<size_t>(i) % scenarios.size()];
        const int signal_number = signals[i % 4];
        const auto moment = std::chrono::microseconds(
            std::uniform_int_distribution<long>(0, static_cast<long>(duration[scenario].count()))(random));
        SCOPED_TRACE(scenario + ", " + strsignal(signal_number) + " after " + std::to_string(moment.count()) + " us");

        Child runner(place.lab({"run", testing::source_path("scenarios/" + scenario + ".json"), "--quiet", "--out", place.scratch.path("r.json")}));
        if (still_running_after(runner, moment)) kill(runner.pid(), signal_number);
        ASSERT_TRUE(runner.wait_until(Clock::now() + std::chrono::seconds(30)));
        if (runner.status()->signaled) {
            ++mid_run;
            EXPECT_EQ(runner.status()->code, signal_number) << "died of another signal";  // the conventional status
            caught_by_the_signal += signal_number != SIGKILL;
        } else {
            EXPECT_NE(runner.status()->code, 2);  // it had finished: an ordinary end
        }

        Child next(place.lab({"list", testing::source_path("scenarios")}));
        ASSERT_TRUE(next.wait_until(Clock::now() + std::chrono::seconds(30)));
        EXPECT_EQ(next.status()->code, 0);

        for (pid_t pid : mapping_under(place.tmp)) {  // hosts die of PR_SET_PDEATHSIG, in their own time
            testing::DeathWatch host(pid);
            EXPECT_TRUE(host.gone_within(std::chrono::seconds(5))) << "pid " << pid << " outlived the runner";
        }
        EXPECT_EQ(mapping_under(place.tmp), std::vector<pid_t>());
        EXPECT_EQ(place.left(), std::vector<std::string>());
        EXPECT_EQ(read_file("/proc/self/mountinfo").find(place.tmp), std::string::npos);
        if (HasFailure()) break;
    }
    EXPECT_EQ(mid_run, 100);
    EXPECT_GE(caught_by_the_signal, 60);  // three signals in four are caught and cleaned up after
    RecordProperty("killed_mid_run", mid_run);
}

// A live run's sandbox is never swept by another lab command, and a kept one never at all.
TEST(InterruptTest, TheSweepNeverTouchesALiveOrAKeptSandbox)
{
    Place place;
    Child paused(place.lab({"run", testing::source_path("scenarios/inplace.json"), "--quiet", "--out", place.scratch.path("a.json"),
                            "--stop-after-step", "1"}));
    siginfo_t info = {};
    alarm(60);  // bounds the blocking wait; the test fails by SIGALRM rather than hanging
    ASSERT_EQ(waitid(P_PID, paused.pid(), &info, WSTOPPED | WNOWAIT), 0);
    alarm(0);
    CommandResult kept = [&] {
        SpawnSpec spec = place.lab({"run", testing::source_path("scenarios/inplace.json"), "--quiet", "--keep", "--out",
                                    place.scratch.path("b.json")});
        Child child(spec);
        child.wait_until(Clock::now() + std::chrono::seconds(30));
        CommandResult result;
        result.status = *child.status();
        return result;
    }();
    EXPECT_EQ(kept.status.code, 0);
    ASSERT_EQ(place.left().size(), 2u);  // the paused run's and the kept one

    Child sweep(place.lab({"list", testing::source_path("scenarios")}));
    ASSERT_TRUE(sweep.wait_until(Clock::now() + std::chrono::seconds(30)));
    for (const auto& name : place.left()) {
        std::string dir = place.tmp + "/" + name;
        EXPECT_TRUE(std::filesystem::exists(dir + "/libfoo.so")) << name << " was swept";
    }
    EXPECT_EQ(place.left().size(), 2u);

    kill(paused.pid(), SIGCONT);
    ASSERT_TRUE(paused.wait_until(Clock::now() + std::chrono::seconds(30)));
    EXPECT_EQ(paused.status()->code, 0);
    ASSERT_EQ(place.left().size(), 1u);  // the kept one stays, for the user
    EXPECT_TRUE(std::filesystem::exists(place.tmp + "/" + place.left()[0] + "/" + kept_mark));
}

}  // namespace
}  // namespace lab
