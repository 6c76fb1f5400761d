// docs_test.cc — README.md is a front page, its links lead somewhere, and every quoted output in
// README.md and docs/ is what the code prints now (excerpts.h); `make -f Makefile.demo docs`
// regenerates the quotes.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "excerpts.h"
#include "test_support.h"

namespace lab {
namespace {

TEST(DocsTest, TheReadmeIsAFrontPageWhoseLinksLeadSomewhere)
{
    std::ifstream in(testing::source_path("README.md"));
    std::stringstream text;
    text << in.rdbuf();
    const std::string readme = text.str();
    EXPECT_LE(std::count(readme.begin(), readme.end(), '\n'), 300);
    const std::regex link(R"(\]\(((?:docs|results)/[\w./-]+\.md)\))");
    int links = 0;
    for (std::sregex_iterator it(readme.begin(), readme.end(), link), end; it != end; ++it, ++links)
        EXPECT_TRUE(std::filesystem::exists(testing::source_path((*it)[1]))) << (*it)[1];
    EXPECT_GE(links, 8) << "README.md should lead to the chapters in docs/";
}

TEST(DocsTest, EveryQuotedOutputIsWhatTheCodePrintsNow)
{
    const auto excerpts = docs::find_excerpts(testing::source_path(""));
    ASSERT_FALSE(excerpts.empty()) << "no <!-- lab ... --> markers found";
    if (geteuid() != 0)  // frame numbers, the matrix, the ledger's matrix cases: root sees more
        GTEST_SKIP() << "the quotes were made as root, and an ordinary user's runs print other things";
    testing::ScratchDir scratch;
    std::map<std::string, std::string> printed;  // by command: each command runs once
    for (const auto& excerpt : excerpts) {
        if (docs::boots_guests(excerpt)) continue;  // kernel_guests_test.cc checks those
        if (!printed.count(excerpt.command))
            printed[excerpt.command] = docs::output_of(testing::paths().bin_dir + "/lab", excerpt, testing::source_path(""), scratch.dir());
        std::string why;
        EXPECT_TRUE(docs::matches(excerpt, printed[excerpt.command], &why))
            << excerpt.file << ":" << excerpt.line << " (lab " << excerpt.command << "): " << why
            << "(make -f Makefile.demo docs regenerates the quotes)";
    }
}

TEST(DocsTest, NumbersAddressesAndNamesThatChangeFromRunToRunAreAlike)
{
    EXPECT_EQ(docs::comparable_words("pid 18577 inode 10985521 0x7f90593aa000 (17.50 ms) v1 SIGSEGV"),
              (std::vector<std::string>{"pid", "N", "inode", "N", "0x?", "(N", "ms)", "v1", "SIGSEGV"}));
    EXPECT_EQ(docs::comparable_words("7f58b43a0000-7f58b4421000 /tmp/libfoo-lab.CpJtxE/libfoo.so (/x/y/libfoo-lab.aBcDeF)"),
              (std::vector<std::string>{"RANGE", "$TMPDIR/libfoo-lab.XXXXXX/libfoo.so", "($TMPDIR/libfoo-lab.XXXXXX)"}));
    docs::Excerpt excerpt{"x.md", 1, "run", {"$ lab run", "a 1 b", "[...]", "d 4"}};
    std::string why;
    EXPECT_TRUE(docs::matches(excerpt, "a 2\nb c\nd 5\n", &why)) << why;
    EXPECT_FALSE(docs::matches(excerpt, "d 5\na 2 b\n", &why));
    EXPECT_EQ(docs::split_arguments("survey --updater 'deploy=cp {new} {path}'"),
              (std::vector<std::string>{"survey", "--updater", "deploy=cp {new} {path}"}));
}

}  // namespace
}  // namespace lab
