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
#include <tuple>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/text.h"
#include "campaigns/matrix/matrix.h"
#include "excerpts.h"
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
    CommandResult run = run_command({"needrestart", "-b", "-l", "-v", "-r", "l"}, "", std::chrono::seconds(60));
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
            testing::wait_past_start_tick(process1);
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

// The command: the whole machine in one go (JSON that parses, every readable process counted),
// as an ordinary user only its own processes with the others counted, and bad input in one line.
TEST(ScanTest, TheCommandScansWhatItMayAndRefusesBadInput)
{
    testing::ScratchDir scratch;
    CommandResult all = testing::run_lab({"scan", "--json"}, scratch.dir());
    EXPECT_TRUE(all.status.code == 0 || all.status.code == 1) << all.err;
    auto json = nlohmann::json::parse(all.out);
    EXPECT_GT(json["scanned"].get<int>(), 0);
    EXPECT_TRUE(json["processes"].is_array());
    std::string why_not;
    CommandResult user = testing::run_lab_unprivileged({"scan"}, scratch.dir(), &why_not);
    if (why_not.empty() && geteuid() == 0) {
        EXPECT_TRUE(user.status.code == 0 || user.status.code == 1) << user.out << user.err;
        EXPECT_NE(user.out.find("not readable by this user"), std::string::npos) << user.out;
    }
    for (std::vector<std::string> args : {std::vector<std::string>{"scan", "--pid", "4194304"}, {"scan", "--json", "--batch"}, {"scan", "--pid", "0"}}) {
        CommandResult bad = testing::run_lab(args, scratch.dir());
        EXPECT_EQ(bad.status.code, 2) << join(args, " ") << ": " << bad.out << bad.err;
        EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
        EXPECT_EQ(bad.out, "");
    }
}

// The layout check on files nobody changed: every ELF file this test process maps (its libc, ld.so,
// libstdc++, libelf...) is mapped exactly where its PT_LOAD segments say, so "layout" can only
// fire for a file that did change.
TEST(ScanTest, EveryUnchangedFileMatchesItsOwnLayout)
{
    std::map<std::string, MappedFile> files;
    for (const auto& line : all_mappings(getpid()))
        if (line.inode != 0 && !line.path.empty() && line.path[0] == '/' && !line.deleted) {
            MappedFile& file = files[line.path];
            file.path = line.path;
            file.inode = line.inode;
            file.device = line.device;
            file.lines.push_back(line);
            file.executable |= line.perms.find('x') != std::string::npos;
        }
    size_t checked = 0;
    for (const auto& [path, file] : files) {
        if (!file.executable) continue;
        EXPECT_EQ(layout_difference(path, file), "") << path;
        ++checked;
    }
    EXPECT_GE(checked, 3u);  // the test itself, libc, ld.so at least
}

// The block of docs/scan.md after "<!-- scan_test: NAME -->", as an excerpt of the docs.
docs::Excerpt doc_block(const std::string& name)
{
    docs::Excerpt excerpt{"docs/scan.md", 0, "scan_test: " + name, {}};
    const std::vector<std::string> lines = split_lines(read_file(testing::source_path("docs/scan.md")));
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        if (lines[i] != "<!-- scan_test: " + name + " -->") continue;
        excerpt.line = static_cast<int>(i + 1);
        for (size_t j = i + 2; j < lines.size() && lines[j].rfind("```", 0) != 0; ++j) excerpt.lines.push_back(lines[j]);
    }
    return excerpt;
}

// docs/scan.md's examples are what lab scan prints for inplace's process1 after the update: the
// table, --batch and --json (kept true here; a failure prints what it prints now, to paste).
TEST(ScanTest, TheDocsShowWhatTheScanPrints)
{
    const Scenario scenario = testing::load_repo_scenario("inplace");
    std::map<std::string, std::string> printed;
    RunOptions options;
    options.before_step = [&](const StepPause& pause) {
        if (pause.index == 2) testing::wait_past_start_tick(pause.hosts.at("process1"));
        if (pause.index == 3) {
            ScanResult result = scan_processes({pause.hosts.at("process1")});
            printed["table"] = "$ build/bin/lab scan --pid " + std::to_string(pause.hosts.at("process1")) + "\n" + scan_table(result);
            printed["batch"] = scan_batch(result);
            printed["json"] = result.to_json().dump(2) + "\n";
        }
        return true;
    };
    testing::run(scenario, options);
    for (const char* name : {"table", "batch", "json"}) {
        const docs::Excerpt excerpt = doc_block(name);
        ASSERT_FALSE(excerpt.lines.empty()) << "docs/scan.md has no <!-- scan_test: " << name << " --> block";
        std::string why;
        EXPECT_TRUE(docs::matches(excerpt, printed[name], &why)) << "docs/scan.md:" << excerpt.line << ": " << why << "\nnow:\n" << printed[name];
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
        if (pause.index == 2 && pause.hosts.count("process1")) testing::wait_past_start_tick(pause.hosts.at("process1"));
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

// The rows of the table in docs/scan.md: what lab scan says about process1 after each update,
// and with needrestart's verdict beside it.
const std::vector<std::tuple<const char*, const char*, bool>>& doc_table()
{
    static const std::vector<std::tuple<const char*, const char*, bool>> table = {
        {"inplace", "modified-in-place layout mtime", false},
        {"shrink", "modified-in-place shorter layout mtime", false},
        {"notices-at-exit", "modified-in-place private-pages mtime", false},
        {"same-layout", "modified-in-place private-pages mtime", false},
        {"never-notices", "modified-in-place mtime", false},
        {"same-layout-notrunc", "modified-in-place mtime", false},
        {"rm-then-build", "replaced deleted", true},
        {"relink", "replaced deleted", true},
        {"atomic-rename", "replaced deleted", true},
    };
    return table;
}

// In-place overwrites are modified-in-place, with the signals each leaves; replacements are
// replaced; nothing is said before the update, or about process2, started after it.
TEST(ScanTest, EachUpdateIsFoundWithTheSignalsItLeaves)
{
    for (const auto& [name, lab_says, needrestart_flags] : doc_table()) {
        Scanned scanned = scan_around_the_update(name);
        EXPECT_EQ(scanned.before, "") << name;
        EXPECT_EQ(scanned.after, lab_says) << name;
        EXPECT_TRUE(scanned.process2 == "-" || scanned.process2 == "") << name << ": process2 " << scanned.process2;
    }
}

// Beside needrestart (batch mode, as root): it sees the replacements and none of the overwrites;
// the lab's answer is a superset. needrestart ignores mappings under /tmp and /run, so the
// sandboxes go beside the build tree (or into $HOME, when that is under /tmp too).
TEST(ScanTest, NeedrestartSeesTheReplacementsAndTheLabSeesBoth)
{
    if (!find_program("needrestart")) GTEST_SKIP() << "needrestart is not installed (Debian package needrestart)";
    if (geteuid() != 0) GTEST_SKIP() << "needrestart looks at other users' processes only as root";
    auto temporary = [](const std::string& path) {
        return path.rfind("/tmp/", 0) == 0 || path.rfind("/var/tmp/", 0) == 0 || path.rfind("/run/", 0) == 0;
    };
    std::string base = std::filesystem::path(testing::paths().bin_dir).parent_path();
    if (temporary(base + "/") && std::getenv("HOME")) base = std::getenv("HOME");
    if (temporary(base + "/")) GTEST_SKIP() << "no directory outside /tmp and /run for the sandboxes";
    std::string pattern = base + "/.libfoo-lab-scan-test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
    const char* saved = std::getenv("TMPDIR");
    const std::string previous = saved ? saved : "";
    setenv("TMPDIR", pattern.c_str(), 1);
    for (const auto& [name, lab_says, needrestart_flags] : doc_table()) {
        Scanned scanned = scan_around_the_update(name, true);
        EXPECT_EQ(scanned.after, lab_says) << name;
        EXPECT_EQ(scanned.needrestart.count(scanned.process1) > 0, needrestart_flags) << name << ": needrestart";
    }
    if (saved) setenv("TMPDIR", previous.c_str(), 1);
    else unsetenv("TMPDIR");
    std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace lab
