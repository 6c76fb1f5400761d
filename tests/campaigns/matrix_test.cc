// matrix_test.cc — lab matrix (issue 5): the scenarios on ext4, xfs, btrfs, tmpfs, overlayfs and
// read-only images made for the purpose; what each showed; and that no mount, loop device or host
// is left behind, also when the runner is killed or interrupted mid-matrix.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "system/leftovers.h"
#include "base/files.h"
#include "campaigns/matrix/mounts.h"
#include "system/sandbox.h"
#include "test_support.h"

namespace lab {
namespace {

// The matrix's TMPDIR: its scratch directory is made in here, so the test can see what is left.
struct MatrixRun : testing::OwnTmpdir {
    SpawnSpec spec(std::vector<std::string> args) const
    {
        args.insert(args.begin(), "matrix");
        return lab_spec(args);
    }
    std::vector<std::string> leftovers() const { return left(); }
    bool mounted_anywhere_here() const { return read_file("/proc/self/mountinfo").find(scratch.dir()) != std::string::npos; }
};

bool everything_conf(const nlohmann::json& filesystems, std::string* reason)
{
    for (const auto& [fs, cells] : filesystems.items())
        for (const auto& [name, cell] : cells.items()) {
            if (cell["status"] != "CONF") return false;
            *reason = cell["reason"];
        }
    return true;
}

TEST(MatrixTest, EveryFileSystemIsReportedAndWhatItShowedIsExplained)
{
    if (geteuid() != 0) GTEST_SKIP() << "lab matrix mounts file systems: needs root";
    MatrixRun run;
    Child matrix(run.spec({}));
    ASSERT_TRUE(matrix.wait_until(Clock::now() + std::chrono::seconds(120)));
    ASSERT_FALSE(matrix.status()->signaled);
    auto json = nlohmann::json::parse(read_file(run.scratch.path("results/matrix.json")));
    const auto& filesystems = json["filesystems"];
    std::string why;
    if (everything_conf(filesystems, &why)) GTEST_SKIP() << "the matrix could not mount here: " << why;
    EXPECT_EQ(matrix.status()->code, 0);

    // Every cell PASS, or CONF with its reason (a mkfs tool that is not installed).
    for (const auto& [fs, cells] : filesystems.items())
        for (const auto& [name, cell] : cells.items()) {
            if (cell["status"] == "CONF") EXPECT_FALSE(cell["reason"].get<std::string>().empty()) << fs << " " << name;
            else EXPECT_EQ(cell["status"], "PASS") << fs << " " << name << ": " << cell.value("reason", "");
        }
    // Kernel file systems and ext4 (e2fsprogs is on every Debian): always there to be judged.
    for (const char* fs : {"ext4", "tmpfs", "overlay-lower", "overlay-merged"}) {
        EXPECT_EQ(filesystems[fs]["inplace"]["status"], "PASS") << fs;
        EXPECT_EQ(filesystems[fs]["inplace"]["same_file"], true) << fs;
    }
    EXPECT_EQ(filesystems["ext4"]["inplace"]["process1_verdict"], "crashed");
    EXPECT_EQ(filesystems["ext4"]["rm-then-build"]["process1_verdict"], "kept-old");
    EXPECT_EQ(filesystems["ext4"]["etxtbsy"]["etxtbsy"]["executable"], "ETXTBSY");
    EXPECT_TRUE(filesystems["ext4"]["etxtbsy"]["etxtbsy"]["library"].is_null());
    // The overlay surprise: the same (st_dev, st_ino), yet process1 keeps the old bytes.
    const auto& lower = filesystems["overlay-lower"]["inplace"];
    EXPECT_EQ(lower["process1_verdict"], "kept-old");
    EXPECT_EQ(lower["in_upper_layer"], true);
    EXPECT_EQ(lower["process1_mapping_matches_file"], false);  // the bytes tell what the inode number hides
    EXPECT_EQ(filesystems["overlay-merged"]["inplace"]["process1_mapping_matches_file"], true);
    EXPECT_EQ(filesystems["overlay-merged"]["inplace"]["process1_verdict"], "crashed");
    bool explained = false;
    for (const auto& note : json["notes"]["overlay-lower"]) explained |= note.get<std::string>().find("copy-up") != std::string::npos;
    EXPECT_TRUE(explained) << json["notes"].dump();
    // A read-only image refuses the update with EROFS.
    int read_only = 0;
    for (const char* fs : {"squashfs", "erofs"}) {
        if (filesystems[fs]["inplace"]["status"] != "PASS") continue;
        ++read_only;
        EXPECT_EQ(filesystems[fs]["inplace"]["errno"], "EROFS") << fs;
        EXPECT_EQ(filesystems[fs]["inplace"]["process1_verdict"], "kept-old") << fs;
        EXPECT_EQ(filesystems[fs]["etxtbsy"]["etxtbsy"]["library"], "EROFS") << fs;
    }
    EXPECT_GE(read_only, 1) << "neither squashfs-tools nor erofs-utils is installed (make -f Makefile.demo deps)";
    // Nothing left: no loop device on the matrix's images, no mount, not even its directory.
    EXPECT_EQ(json["left_behind"], "");
    EXPECT_EQ(loop_devices_under(run.tmp), "");
    EXPECT_FALSE(run.mounted_anywhere_here());
    EXPECT_TRUE(run.leftovers().empty());
}

// Stopped on xfs with process1 running from it, then killed outright: the runner cleans nothing
// up itself; the namespace, PR_SET_PDEATHSIG and the loop device's autoclear must.
TEST(MatrixTest, KillingTheRunnerMidMatrixLeavesNoMountLoopDeviceOrHost)
{
    if (geteuid() != 0) GTEST_SKIP() << "lab matrix mounts file systems: needs root";
    MatrixRun run;
    Child runner(run.spec({"--fs", "ext4", "--fs", "xfs", "--stop-on", "xfs"}));
    alarm(120);  // bounds the blocking wait below; the test fails by SIGALRM rather than hanging
    siginfo_t info = {};
    ASSERT_EQ(waitid(P_PID, runner.pid(), &info, WSTOPPED | WEXITED | WNOWAIT), 0);
    alarm(0);
    if (info.si_code != CLD_STOPPED) GTEST_SKIP() << "the matrix never got to xfs here (not installed, or no mounts allowed)";

    std::vector<pid_t> hosts;
    for (pid_t child : testing::children_of(runner.pid()))
        if (testing::host_alive(child)) hosts.push_back(child);
    ASSERT_EQ(hosts.size(), 1u);
    std::string mounts = read_file("/proc/" + std::to_string(runner.pid()) + "/mountinfo");
    EXPECT_NE(mounts.find(" - xfs /dev/loop"), std::string::npos) << "xfs is not mounted in the runner's namespace";
    EXPECT_NE(loop_devices_under(run.tmp), "");
    EXPECT_FALSE(run.mounted_anywhere_here()) << "the matrix's mounts leaked into the test's namespace";
    testing::DeathWatch host(hosts[0]);
    ASSERT_TRUE(host.watching());

    runner.kill_now();  // SIGKILL, then reaped

    EXPECT_TRUE(host.gone_within(std::chrono::seconds(5))) << "process1 outlived the runner";
    // process1 was the namespace's last process: its exit unmounted xfs and freed the loop device.
    EXPECT_EQ(loop_devices_under(run.tmp), "");
    EXPECT_EQ(loop_devices_under("/xfs/xfs.img"), "");  // how the kernel names an image whose mount was detached
    EXPECT_FALSE(run.mounted_anywhere_here());
    // SIGKILL leaves the one thing the runner itself cannot remove: its scratch directory, holding
    // only its owner mark. The next lab command, whatever it is, sees the owner gone and removes it.
    auto left = run.leftovers();
    ASSERT_LE(left.size(), 1u);
    for (const auto& name : left) {
        EXPECT_EQ(name.rfind("libfoo-lab-matrix.", 0), 0u) << name;
        EXPECT_TRUE(std::filesystem::exists(run.tmp + "/" + name + "/" + owner_mark)) << name;
    }
    EXPECT_FALSE(std::filesystem::exists(run.scratch.path("results/matrix.json")));  // no partial result
    SpawnSpec list = run.spec({});
    list.argv = {testing::paths().bin_dir + "/lab", "list"};
    Child next(list);
    ASSERT_TRUE(next.wait_until(Clock::now() + std::chrono::seconds(10)));
    EXPECT_EQ(run.leftovers(), std::vector<std::string>());
}

// Ctrl-C at the same point: the handler detaches the whole tree and removes the directory too.
TEST(MatrixTest, InterruptingTheRunnerRemovesEvenItsDirectory)
{
    if (geteuid() != 0) GTEST_SKIP() << "lab matrix mounts file systems: needs root";
    MatrixRun run;
    Child runner(run.spec({"--fs", "tmpfs", "--stop-on", "tmpfs"}));
    alarm(120);
    siginfo_t info = {};
    ASSERT_EQ(waitid(P_PID, runner.pid(), &info, WSTOPPED | WEXITED | WNOWAIT), 0);
    alarm(0);
    if (info.si_code != CLD_STOPPED) GTEST_SKIP() << "the matrix could not mount tmpfs here";
    std::vector<std::unique_ptr<testing::DeathWatch>> hosts;
    for (pid_t child : testing::children_of(runner.pid())) hosts.push_back(std::make_unique<testing::DeathWatch>(child));
    kill(runner.pid(), SIGINT);
    kill(runner.pid(), SIGCONT);
    ASSERT_TRUE(runner.wait_until(Clock::now() + std::chrono::seconds(10)));
    EXPECT_TRUE(runner.status()->signaled);
    EXPECT_EQ(runner.status()->code, SIGINT);
    EXPECT_TRUE(run.leftovers().empty());
    for (const auto& host : hosts)
        EXPECT_TRUE(host->gone_within(std::chrono::seconds(5))) << "a host outlived the interrupted runner";
}

TEST(MatrixTest, NarrateTellsEveryRunThenPrintsTheTable)
{
    if (geteuid() != 0) GTEST_SKIP() << "lab matrix mounts file systems: needs root";
    testing::ScratchDir scratch;
    CommandResult result = testing::run_lab({"matrix", "--fs", "tmpfs", "--narrate"}, scratch.dir());
    if (result.out.find("CONF:") != std::string::npos) GTEST_SKIP() << "the matrix could not mount here: " << result.out;
    EXPECT_EQ(result.status.code, 0) << result.err;
    size_t story = result.out.find("#### tmpfs (tmpfs)\n== libfoo-lab: inplace ==");
    size_t table = result.out.find("\ntmpfs           PASS crashed");
    EXPECT_NE(story, std::string::npos) << result.out;
    EXPECT_NE(table, std::string::npos) << result.out;
    EXPECT_LT(story, table);
    EXPECT_NE(result.out.find("killed by SIGSEGV"), std::string::npos);
}

TEST(MatrixTest, AnOrdinaryUserGetsConfWithTheReason)
{
    testing::ScratchDir scratch;
    scratch.open_to_everyone();
    std::string why_not;
    CommandResult result = testing::run_lab_unprivileged({"matrix", "--fs", "ext4", "--fs", "squashfs"}, scratch.dir(), &why_not);
    if (!why_not.empty()) GTEST_SKIP() << why_not;
    EXPECT_EQ(result.status.code, 0) << result.err;
    EXPECT_NE(result.out.find("ext4            CONF: needs root to mount file systems"), std::string::npos) << result.out;
    auto json = nlohmann::json::parse(read_file(scratch.path("results/matrix.json")));
    EXPECT_EQ(json["filesystems"]["squashfs"]["inplace"]["status"], "CONF");
    EXPECT_NE(json["filesystems"]["squashfs"]["inplace"]["reason"].get<std::string>().find("needs root"), std::string::npos);
}

TEST(MatrixTest, AnUnknownFileSystemIsBadInput)
{
    testing::ScratchDir scratch;
    CommandResult result = testing::run_lab({"matrix", "--fs", "zfs"}, scratch.dir());
    EXPECT_EQ(result.status.code, 2);
    EXPECT_EQ(result.err, "lab: --fs: \"zfs\" is not one of ext4, xfs, btrfs, tmpfs, overlay-lower, overlay-merged, squashfs, erofs\n");
    EXPECT_FALSE(std::filesystem::exists(scratch.path("results/matrix.json")));
}

}  // namespace
}  // namespace lab
