// kernels_test.cc — lab kernels without booting anything: the running kernel's column, the
// choice of Debian's images, the files a guest's disk gets from a trace, the initramfs archive,
// the result stream a guest sends back, and bad --kernel and --scenario words.
// (kernel_guests_test.cc boots the guests.)
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "base/files.h"
#include "campaigns/kernels/guest.h"
#include "campaigns/kernels/guest_disk.h"
#include "campaigns/kernels/initramfs.h"
#include "campaigns/kernels/kernel_image.h"
#include "input/input_error.h"
#include "test_support.h"

namespace lab {
namespace {

struct KernelsTest : ::testing::Test, testing::OwnTmpdir {};

TEST_F(KernelsTest, TheRunningKernelAloneRunsNativelyAndWritesTheTable)
{
    CommandResult kernels = run_lab({"kernels", "--kernel", "running", "--scenario", "inplace", "--scenario", "rm-then-build", "--out",
                                     scratch.path("r/kernels.json"), "--junit", scratch.path("kernels.xml")});
    ASSERT_EQ(kernels.status.code, 0) << kernels.out << kernels.err;
    EXPECT_NE(kernels.out.find("(native): 2 PASS"), std::string::npos) << kernels.out;
    EXPECT_NE(kernels.out.find("inplace          PASS crashed / runs-new"), std::string::npos) << kernels.out;
    auto table = nlohmann::json::parse(read_file(scratch.path("r/kernels.json")));
    EXPECT_EQ(table["schema"], "libfoo-lab/kernels/1");
    ASSERT_EQ(table["kernels"].size(), 1u);
    const std::string release = table["kernels"].begin().key();
    const auto& inplace = table["kernels"][release]["inplace"];
    EXPECT_EQ(inplace["status"], "PASS");
    EXPECT_EQ(inplace["process1_verdict"], "crashed");
    EXPECT_EQ(inplace["signal"], "SIGSEGV");
    EXPECT_EQ(table["kernels"][release]["rm-then-build"]["process1_verdict"], "kept-old");
    EXPECT_EQ(table["cases"]["inplace@" + release]["facts"]["hosts.process1.verdict"], "crashed");
    EXPECT_TRUE(std::filesystem::exists(scratch.path("r/kernels/" + release + "/inplace.json")));
    pugi::xml_document junit;
    ASSERT_TRUE(junit.load_file(scratch.path("kernels.xml").c_str()));
    EXPECT_EQ(std::distance(junit.child("testsuites").child("testsuite").children("testcase").begin(),
                            junit.child("testsuites").child("testsuite").children("testcase").end()),
              2);
    // lab compare reads it: the same table against itself agrees.
    CommandResult same = run_lab({"compare", scratch.path("r/kernels.json"), scratch.path("r/kernels.json")});
    EXPECT_EQ(same.status.code, 0) << same.out << same.err;
}

TEST_F(KernelsTest, BadKernelAndScenarioWordsAreOneLineErrors)
{
    for (std::vector<std::string> args : {std::vector<std::string>{"kernels", "--kernel", "/no/such/vmlinuz"},
                                          {"kernels", "--kernel", "Not A Package"},
                                          {"kernels", "--kernel", "running", "--scenario", "no-such-scenario"}}) {
        CommandResult bad = run_lab(args);
        EXPECT_EQ(bad.status.code, 2) << bad.out << bad.err;
        EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
        EXPECT_EQ(bad.out, "");
        EXPECT_NE(bad.err.find(args.back().substr(args.back().find_last_of('/') + 1)), std::string::npos) << bad.err;
    }
}

// A package apt cannot fetch is a column of CONF cells that says why, not a failure.
TEST_F(KernelsTest, AKernelThatCannotBeFetchedIsNotAvailable)
{
    if (!find_program("apt-get")) GTEST_SKIP() << "no apt-get: packages cannot be fetched here";
    CommandResult kernels = run_lab({"kernels", "--kernel", "linux-image-0.0.0-0-cloud-amd64", "--scenario", "inplace", "--out",
                                     scratch.path("kernels.json")});
    ASSERT_EQ(kernels.status.code, 0) << kernels.out << kernels.err;
    EXPECT_NE(kernels.out.find("linux-image-0.0.0-0-cloud-amd64 (not run): 1 CONF — not available: apt-get download"), std::string::npos)
        << kernels.out;
    auto table = nlohmann::json::parse(read_file(scratch.path("kernels.json")));
    EXPECT_EQ(table["kernels"]["linux-image-0.0.0-0-cloud-amd64"]["inplace"]["status"], "CONF");
}

TEST(KernelImagesTest, TheNewestCloudImageOfEachSeriesIsChosen)
{
    EXPECT_EQ(newest_cloud_images({"linux-image-6.1.0-9-cloud-amd64", "linux-image-6.1.0-56-cloud-amd64", "linux-image-6.1.0-55-cloud-amd64",
                                   "linux-image-6.12.117+deb12-cloud-amd64", "linux-image-6.12.99+deb12-cloud-amd64",
                                   "linux-image-6.12.117+deb12-cloud-amd64-dbg", "linux-image-6.12.117+deb12-cloud-amd64-unsigned",
                                   "linux-image-6.12-cloud-amd64", "linux-image-cloud-amd64", "linux-image-6.1.0-56-amd64",
                                   "linux-image-5.10.0-30-cloud-amd64"}),
              (std::vector<std::string>{"linux-image-5.10.0-30-cloud-amd64", "linux-image-6.1.0-56-cloud-amd64",
                                        "linux-image-6.12.117+deb12-cloud-amd64"}));
    EXPECT_TRUE(newest_cloud_images({}).empty());
}

TEST(KernelImagesTest, TheReleaseIsReadFromTheImagesBootHeader)
{
    testing::ScratchDir scratch;
    std::string image(0x1000, '\0');
    image.replace(0x202, 4, "HdrS");
    image[0x20e] = 0x00;  // the version text at 0x200 + 0x300
    image[0x20f] = 0x03;
    const std::string text = "6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP";
    image.replace(0x500, text.size() + 1, text + '\0');
    std::ofstream(scratch.path("vmlinuz"), std::ios::binary) << image;
    EXPECT_EQ(bzimage_release(scratch.path("vmlinuz")), "6.1.0-56-cloud-amd64");
    std::ofstream(scratch.path("not-a-kernel")) << "hello";
    EXPECT_EQ(bzimage_release(scratch.path("not-a-kernel")), "");

    // An unpacked package: its image and its modules found by the release the image states.
    std::filesystem::create_directories(scratch.path("pkg/boot"));
    std::filesystem::create_directories(scratch.path("pkg/lib/modules/6.1.0-56-cloud-amd64"));
    std::filesystem::copy_file(scratch.path("vmlinuz"), scratch.path("pkg/boot/vmlinuz-6.1.0-56-cloud-amd64"));
    KernelImage found = find_kernel(scratch.path("pkg"), scratch.path("cache"));
    EXPECT_EQ(found.not_available, "");
    EXPECT_EQ(found.release, "6.1.0-56-cloud-amd64");
    EXPECT_EQ(found.modules_dir, scratch.path("pkg/lib/modules/6.1.0-56-cloud-amd64"));
    std::filesystem::create_directories(scratch.path("empty"));
    EXPECT_NE(find_kernel(scratch.path("empty"), scratch.path("cache")).not_available.find("no boot/vmlinuz-*"), std::string::npos);
    EXPECT_NE(find_kernel(scratch.path("not-a-kernel"), scratch.path("cache")).not_available.find("is not a bzImage"), std::string::npos);
    EXPECT_THROW(find_kernel("Bad/Name", scratch.path("cache")), ScenarioError);
}

TEST(GuestDiskTest, TheTracedPathsAreTheAbsoluteOnesThatSucceeded)
{
    const std::string trace =
        "101 execve(\"/usr/bin/cc\", [\"cc\", \"-shared\"], 0x7ffc /* 20 vars */) = 0\n"
        "101 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3\n"
        "101 newfstatat(AT_FDCWD, \"/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/crti.o\", {st_mode=S_IFREG|0644}, 0) = 0\n"
        "102 openat(AT_FDCWD, \"foo.o\", O_RDONLY) = 4\n"
        "102 openat(5, \"libfoo.so\", O_RDONLY) = 6\n"
        "102 openat(AT_FDCWD, \"/tmp/a \\\"quoted\\\" name\\303\\251\", O_RDONLY) = 7\n"
        "103 +++ exited with 0 +++\n";
    EXPECT_EQ(traced_paths(trace), (std::vector<std::string>{"/usr/bin/cc", "/etc/ld.so.cache",
                                                             "/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/crti.o",
                                                             "/tmp/a \"quoted\" name\xc3\xa9"}));
}

TEST(InitramfsTest, TheArchiveIsNewcWithEveryDirectoryBeforeItsFiles)
{
    testing::ScratchDir scratch;
    std::ofstream(scratch.path("init")) << "#!init";
    ASSERT_EQ(write_newc(scratch.path("rd"), {{"init", scratch.path("init"), "", 0755}, {"modules/order", "", "a.ko\n", 0644}}), "");
    const std::string archive = read_file(scratch.path("rd"));
    std::vector<std::pair<std::string, std::string>> entries;  // name, data
    for (size_t at = 0; at < archive.size();) {
        ASSERT_EQ(archive.substr(at, 6), "070701") << at;
        const size_t size = std::stoul(archive.substr(at + 54, 8), nullptr, 16), name_size = std::stoul(archive.substr(at + 94, 8), nullptr, 16);
        const std::string name = archive.substr(at + 110, name_size - 1);
        const size_t data = (at + 110 + name_size + 3) / 4 * 4;
        entries.emplace_back(name, archive.substr(data, size));
        at = (data + size + 3) / 4 * 4;
        if (name == "TRAILER!!!") break;
    }
    EXPECT_EQ(entries, (std::vector<std::pair<std::string, std::string>>{
                           {"init", "#!init"}, {"modules", ""}, {"modules/order", "a.ko\n"}, {"TRAILER!!!", ""}}));
}

TEST(GuestTest, TheResultStreamGivesBackEachFileAndNamesWhereItIsCutShort)
{
    std::string error;
    auto files = read_frames("lab-file a.json 2\n{}lab-file a.log 0\nlab-file b.json 10\n{\"cut", &error);
    EXPECT_EQ(files, (std::map<std::string, std::string>{{"a.json", "{}"}, {"a.log", ""}}));
    EXPECT_NE(error.find("cut short or malformed at byte 37"), std::string::npos) << error;
    error.clear();
    EXPECT_TRUE(read_frames("", &error).empty());
    EXPECT_EQ(error, "");
}

}  // namespace
}  // namespace lab
