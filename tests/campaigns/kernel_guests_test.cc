// kernel_guests_test.cc — lab kernels booting Debian's kernels in QEMU guests: the verdicts each
// kernel gave, and no guest left behind, even when lab kernels is killed. Labelled "guest":
// `make -f Makefile.demo test-guests` runs it (and CI); each boot takes 10-20 s under TCG.
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/text.h"
#include "campaigns/kernels/kernel_image.h"
#include "excerpts.h"
#include "test_support.h"

namespace lab {
namespace {

struct KernelGuestsTest : ::testing::Test, testing::OwnTmpdir {
    // Why guests cannot run here ("" when they can).
    static std::string unavailable()
    {
        if (!find_program("qemu-system-x86_64")) return "qemu-system-x86_64 is not installed (Debian package qemu-system-x86)";
        if (!find_program("apt-cache")) return "no apt-cache: Debian's kernel images cannot be found";
        if (images().empty()) return "apt knows no linux-image-*-cloud-amd64 package (apt-get update?)";
        return "";
    }
    static std::vector<std::string> images()
    {
        CommandResult names = run_command({"apt-cache", "pkgnames", "linux-image-"}, "", std::chrono::seconds(60));
        return newest_cloud_images(split_lines(names.out));
    }
    // The QEMU processes started for this test's runs: their disk is in the test's TMPDIR.
    std::vector<pid_t> guests() const
    {
        std::vector<pid_t> found;
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const std::string name = entry.path().filename();
            if (name.find_first_not_of("0123456789") != std::string::npos) continue;
            const std::string cmdline = testing::proc_text(std::stoi(name), "cmdline");
            if (cmdline.rfind("qemu-system", 0) == 0 && cmdline.find(tmp) != std::string::npos) found.push_back(std::stoi(name));
        }
        return found;
    }
    CommandResult run_kernels(const std::vector<std::string>& args) const
    {
        std::vector<std::string> argv = {"env", "TMPDIR=" + tmp, testing::paths().bin_dir + "/lab", "kernels"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_command(argv, scratch.dir(), std::chrono::minutes(10));
    }
};

// The bar: at least three kernels (Debian's images and the running one); under each,
// inplace crashed and rm-then-build kept the old copy; no QEMU left afterwards.
TEST_F(KernelGuestsTest, EachKernelGivesItsOwnVerdictsAndNoGuestIsLeft)
{
    if (const std::string why = unavailable(); !why.empty()) GTEST_SKIP() << why;
    CommandResult kernels = run_kernels({"--scenario", "inplace", "--scenario", "rm-then-build", "--out", scratch.path("kernels.json")});
    ASSERT_EQ(kernels.status.code, 0) << kernels.out << kernels.err;
    auto table = nlohmann::json::parse(read_file(scratch.path("kernels.json")));
    ASSERT_GE(table["kernels"].size(), 1 + images().size()) << kernels.out;
    size_t guests_seen = 0;
    for (const auto& [release, rows] : table["kernels"].items()) {
        const std::string how = table["environment"][release];
        guests_seen += how.rfind("qemu ", 0) == 0;
        EXPECT_EQ(rows["inplace"]["status"], "PASS") << release << ": " << rows.dump();
        EXPECT_EQ(rows["inplace"]["process1_verdict"], "crashed") << release;
        EXPECT_EQ(rows["rm-then-build"]["process1_verdict"], "kept-old") << release;
        EXPECT_TRUE(std::filesystem::exists(scratch.path("kernels/" + release + "/inplace.json"))) << release;
    }
    EXPECT_EQ(guests_seen, images().size()) << kernels.out;
    EXPECT_NE(kernels.out.find("Guests ran under "), std::string::npos) << kernels.out;
    EXPECT_TRUE(guests().empty());
    EXPECT_TRUE(left().empty()) << join(left(), " ");
}

// Killed while a guest runs: the guest dies with it (PR_SET_PDEATHSIG), and the next lab command
// removes the scratch directory.
TEST_F(KernelGuestsTest, AKilledRunLeavesNoGuest)
{
    if (const std::string why = unavailable(); !why.empty()) GTEST_SKIP() << why;
    const std::string image = images().front();
    SpawnSpec spec = lab_spec({"kernels", "--kernel", image, "--kernel", image, "--scenario", "etxtbsy", "--out", scratch.path("k.json")});
    Child lab(spec);
    // The first guest's line on stdout: the second guest is being started now.
    std::string out;
    while (out.find("(qemu ") == std::string::npos) {
        struct pollfd ready = {lab.out(), POLLIN, 0};
        ASSERT_GT(poll(&ready, 1, 300000), 0) << "no guest finished in 5 minutes: " << out;
        if (!drain(lab.out(), &out) && out.find("(qemu ") == std::string::npos) FAIL() << "lab kernels ended: " << out;
    }
    kill(lab.pid(), SIGKILL);
    ASSERT_TRUE(lab.wait_until(Clock::now() + std::chrono::seconds(10)));
    for (pid_t guest : guests()) {
        testing::DeathWatch watch(guest);
        EXPECT_TRUE(!watch.watching() || watch.gone_within(std::chrono::seconds(10))) << "QEMU " << guest << " outlived lab kernels";
    }
    CommandResult sweep = run_lab({"list"});  // any lab command sweeps what a killed run left
    EXPECT_TRUE(left().empty()) << join(left(), " ");
}

// The docs' quotes of commands that boot guests (docs_test.cc leaves them to this suite).
TEST_F(KernelGuestsTest, TheQuotedGuestOutputIsWhatTheCodePrintsNow)
{
    if (const std::string why = unavailable(); !why.empty()) GTEST_SKIP() << why;
    if (geteuid() != 0) GTEST_SKIP() << "the quotes were made as root, and an ordinary user's runs print other things";
    std::map<std::string, std::string> printed;
    size_t checked = 0;
    for (const auto& excerpt : docs::find_excerpts(testing::source_path(""))) {
        if (!docs::boots_guests(excerpt)) continue;
        if (!printed.count(excerpt.command))
            printed[excerpt.command] = docs::output_of(testing::paths().bin_dir + "/lab", excerpt, testing::source_path(""), scratch.dir());
        std::string why;
        EXPECT_TRUE(docs::matches(excerpt, printed[excerpt.command], &why))
            << excerpt.file << ":" << excerpt.line << " (lab " << excerpt.command << "): " << why
            << "(make -f Makefile.demo docs regenerates the quotes)\nIt printed:\n" << printed[excerpt.command];
        ++checked;
    }
    EXPECT_GT(checked, 0u) << "no quote of lab kernels in the docs";
}

}  // namespace
}  // namespace lab
