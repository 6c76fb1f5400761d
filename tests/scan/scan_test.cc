// scan_test.cc — lab scan on the lab's own scenarios, with the hosts held alive around the update:
// in-place overwrites are modified-in-place (a notrunc patch that moved nothing included),
// replacements are replaced, and a host before the update or started after it shows nothing.
// Beside needrestart (batch mode), where it is installed: the lab's answer is a superset.
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "campaigns/matrix/matrix.h"
#include "scan/scan.h"
#include "scan/scan_signals.h"
#include "system/child.h"
#include "test_support.h"

namespace lab {
namespace {

// What a scan said about the libfoo.so of the run's sandbox, in one process: "" for nothing, else
// the status and the signals ("modified-in-place layout mtime").
std::string finding(pid_t pid, const std::string& sandbox)
{
    std::optional<ScannedProcess> process = scan_process(pid);
    if (!process) return "unreadable";
    for (const auto& library : process->libraries)
        if (library.path.rfind(sandbox + "/", 0) == 0) {
            std::string text = to_string(library.status);
            for (const auto& evidence : library.evidence) text += " " + evidence.signal;
            if (std::getenv("LAB_SCAN_TEST_DETAIL"))
                for (const auto& evidence : library.evidence) std::fprintf(stderr, "%d %s: %s\n", pid, evidence.signal.c_str(), evidence.detail.c_str());
            return text;
        }
    return "";
}

// A change less than one clock tick after a process started cannot be told from one just before
// it (/proc/PID/stat counts in ticks): the update waits until the tick after process1's start
// has passed. A wait on the clock for the measurement's resolution, not for another process.
void after_the_start_tick(pid_t pid)
{
    const std::int64_t target = process_start_ns(pid) + 2 * clock_tick_ns();
    const struct timespec at = {static_cast<time_t>(target / 1000000000), static_cast<long>(target % 1000000000)};
    while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, nullptr) == EINTR) {
    }
}

struct Scanned {
    std::string before;          // process1 just before the update
    std::string after;           // process1 just after it
    std::string process2 = "-";  // process2, started after the update ("-": not in this scenario)
    std::set<pid_t> needrestart; // the pids needrestart flagged after the update
    pid_t process1 = 0;
};

// pids in needrestart's verbose lines "#PID uses deleted PATH" / "#PID uses obsolete ..." (as
// root it reports services, not pids; the verbose lines say which processes decided that).
std::set<pid_t> needrestart_pids()
{
    std::set<pid_t> pids;
    CommandResult run = run_command({"needrestart", "-b", "-v", "-r", "l"}, "", std::chrono::seconds(60));
    for (const auto& line : split_lines(run.err + run.out)) {
        const size_t hash = line.find("] #");
        if (hash != std::string::npos && line.find(" uses ", hash) != std::string::npos) pids.insert(std::atoi(line.c_str() + hash + 3));
    }
    return pids;
}

Scanned scan_around_the_update(const std::string& name, bool with_needrestart = false)
{
    const Scenario scenario = testing::load_repo_scenario(name);
    size_t update = 0;
    while (update < scenario.steps.size() && scenario.steps[update].kind != Step::Kind::update) ++update;
    Scanned scanned;
    RunOptions options;
    options.before_step = [&](const StepPause& pause) {
        const pid_t process1 = pause.hosts.count("process1") ? pause.hosts.at("process1") : 0;
        if (pause.index == update && process1) {
            scanned.process1 = process1;
            scanned.before = finding(process1, pause.sandbox_dir);
            after_the_start_tick(process1);
        }
        if (pause.index == update + 1 && process1) {
            scanned.after = finding(process1, pause.sandbox_dir);
            if (with_needrestart) scanned.needrestart = needrestart_pids();
        }
        if (pause.index > update && pause.step->kind == Step::Kind::call && pause.step->host == "process2")
            scanned.process2 = finding(pause.hosts.at("process2"), pause.sandbox_dir);
        return true;
    };
    testing::RunResult result = testing::run(scenario, options);
    EXPECT_NE(result.outcome, Outcome::BROK) << name << ": " << result.reason;
    return scanned;
}

TEST(ScanTest, InPlaceOverwritesAreModifiedInPlace)
{
    for (const char* name : {"inplace", "never-notices", "same-layout-notrunc", "shrink", "notices-at-exit", "same-layout"}) {
        Scanned scanned = scan_around_the_update(name);
        EXPECT_EQ(scanned.before, "") << name;
        EXPECT_EQ(scanned.after.rfind("modified-in-place", 0), 0u) << name << ": " << scanned.after;
        if (scanned.process2 != "-") {
            EXPECT_EQ(scanned.process2, "") << name;
        }
    }
}

// Which signals fire is the finding: a layout that moved, a file that shrank, private pages a
// truncation took; a notrunc patch that moved nothing shows only in the times.
TEST(ScanTest, EachOverwriteShowsTheSignalsItLeaves)
{
    EXPECT_EQ(scan_around_the_update("inplace").after, "modified-in-place layout mtime");
    EXPECT_EQ(scan_around_the_update("shrink").after, "modified-in-place shorter layout mtime");
    EXPECT_EQ(scan_around_the_update("notices-at-exit").after, "modified-in-place private-pages mtime");
    EXPECT_EQ(scan_around_the_update("never-notices").after, "modified-in-place mtime");
    EXPECT_EQ(scan_around_the_update("same-layout-notrunc").after, "modified-in-place mtime");
}

TEST(ScanTest, ReplacementsAreReplacedAndANewProcessShowsNothing)
{
    for (const char* name : {"rm-then-build", "relink", "atomic-rename"}) {
        Scanned scanned = scan_around_the_update(name);
        EXPECT_EQ(scanned.before, "") << name;
        EXPECT_EQ(scanned.after, "replaced deleted") << name;
        EXPECT_EQ(scanned.process2, "") << name;
    }
}

// On overlayfs, an in-place write through the merged view copies the file up: the path then leads
// to the upper layer's copy, and process1 still maps the lower file (lab matrix's overlay-lower).
// Created through the merged view instead, the file is the upper one from the start, and the
// same write is an overwrite in place.
TEST(ScanTest, OnOverlayfsACopyUpIsCopiedUp)
{
    if (geteuid() != 0) GTEST_SKIP() << "lab matrix mounts file systems: needs root";
    const Scenario inplace = testing::load_repo_scenario("inplace");
    std::map<std::string, std::string> after;  // by file system
    MatrixOptions options;
    options.filesystems.clear();
    for (const char* name : {"overlay-lower", "overlay-merged"}) options.filesystems.push_back(*find_matrix_filesystem(name));
    options.before_step = [&](const StepPause& pause) {
        if (pause.index == 2 && pause.hosts.count("process1")) after_the_start_tick(pause.hosts.at("process1"));
        if (pause.index == 3 && pause.hosts.count("process1")) after[pause.sandbox_dir] = finding(pause.hosts.at("process1"), pause.sandbox_dir);
        return true;
    };
    MatrixResult result = run_matrix({inplace}, testing::catalogue(), testing::paths(), options);
    ASSERT_EQ(result.rows.size(), 2u);
    for (const auto& row : result.rows)
        if (row.cells.at("inplace").status == Outcome::CONF) GTEST_SKIP() << row.filesystem.name << ": " << row.cells.at("inplace").reason;
    ASSERT_EQ(after.size(), 2u);
    for (const auto& [sandbox, finding] : after) {
        const bool lower = sandbox.find("overlay-lower") != std::string::npos;
        EXPECT_EQ(finding, lower ? "copied-up overlay-upper" : "modified-in-place layout mtime") << sandbox;
    }
}

// needrestart sees the replacements, and none of the overwrites in place; the lab sees both. It
// ignores mappings under /tmp, so the sandboxes go elsewhere for this test.
TEST(ScanTest, TheLabFindsWhatNeedrestartFindsAndTheOverwritesItMisses)
{
    if (!find_program("needrestart")) GTEST_SKIP() << "needrestart is not installed (Debian package needrestart)";
    if (geteuid() != 0) GTEST_SKIP() << "needrestart checks other users' processes only as root";
    // Beside the build tree, or in $HOME when that is under /tmp too.
    auto temporary = [](const std::string& path) {
        return path.rfind("/tmp/", 0) == 0 || path.rfind("/var/tmp/", 0) == 0 || path.rfind("/run/", 0) == 0;
    };
    std::string base = std::filesystem::path(testing::paths().bin_dir).parent_path();
    if (temporary(base + "/") && std::getenv("HOME")) base = std::getenv("HOME");
    if (temporary(base + "/")) GTEST_SKIP() << "no directory outside /tmp and /run to run the scenarios in";
    std::string pattern = base + "/.libfoo-lab-scan-test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
    const std::string tmp = pattern;
    const char* saved = std::getenv("TMPDIR");
    const std::string previous = saved ? saved : "";
    setenv("TMPDIR", tmp.c_str(), 1);
    std::map<std::string, bool> needrestart_flagged;
    for (const char* name : {"rm-then-build", "inplace", "never-notices"}) {
        Scanned scanned = scan_around_the_update(name, true);
        needrestart_flagged[name] = scanned.needrestart.count(scanned.process1) > 0;
        EXPECT_NE(scanned.after, "") << name << ": the lab must flag every update";
    }
    if (saved) setenv("TMPDIR", previous.c_str(), 1);
    else unsetenv("TMPDIR");
    std::filesystem::remove_all(tmp);
    EXPECT_TRUE(needrestart_flagged["rm-then-build"]);
    EXPECT_FALSE(needrestart_flagged["inplace"]);
    EXPECT_FALSE(needrestart_flagged["never-notices"]);
}

}  // namespace
}  // namespace lab
