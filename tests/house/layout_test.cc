// layout_test.cc — the house rules of lab/ (lab/CMakeLists.txt): a folder includes only its own
// headers and those of the layers its library links, so the layering is the build's, checked;
// no folder grows past 14 source files; no function grows past 60 lines.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace lab {
namespace {

namespace fs = std::filesystem;

std::string text_of(const fs::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

const fs::path& lab_dir()
{
    static const fs::path dir = testing::source_path("lab");
    return dir;
}

std::vector<fs::path> sources()
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(lab_dir()))
        if (const auto ext = entry.path().extension(); ext == ".cc" || ext == ".c" || ext == ".h") files.push_back(entry.path());
    return files;
}

std::string folder_of(const fs::path& file) { return fs::relative(file.parent_path(), lab_dir()).string(); }

// Each runner layer's folder and the folders it may include: its own, and every layer its library
// links, directly or through another (lab_layer() calls in lab/CMakeLists.txt).
std::map<std::string, std::set<std::string>> allowed_includes()
{
    const std::string cmake = text_of(lab_dir() / "CMakeLists.txt");
    std::map<std::string, std::string> folder_of_library = {{"lab_common", "common"}};
    std::map<std::string, std::vector<std::string>> links;
    const std::regex layer(R"(lab_layer\((\w+)\s+SOURCES\s+([\w/]+)/\w+\.cc[^)]*?LINK([^)]*)\))");
    for (std::sregex_iterator it(cmake.begin(), cmake.end(), layer), end; it != end; ++it) {
        folder_of_library[(*it)[1]] = (*it)[2];
        std::istringstream words((*it)[3].str());
        for (std::string word; words >> word;)
            if (word.rfind("lab_", 0) == 0) links[(*it)[1]].push_back(word);
    }
    std::map<std::string, std::set<std::string>> allowed;
    for (const auto& [library, folder] : folder_of_library) {
        std::vector<std::string> pending = {library};
        while (!pending.empty()) {
            std::string next = pending.back();
            pending.pop_back();
            if (!allowed[folder].insert(folder_of_library[next]).second && next != library) continue;
            for (const auto& linked : links[next]) pending.push_back(linked);
        }
    }
    return allowed;
}

TEST(LayeringTest, EveryIncludeGoesToTheSameLayerOrOneItsLibraryLinks)
{
    auto allowed = allowed_includes();
    ASSERT_GE(allowed.size(), 10u) << "lab/CMakeLists.txt's lab_layer() calls were not found";
    const std::regex include(R"(#include "([\w/]+)/\w+\.h")");
    for (const auto& file : sources()) {
        const std::string folder = folder_of(file);
        if (!allowed.count(folder)) continue;  // host/ and cli/ sit outside the runner's layers
        const std::string text = text_of(file);
        for (std::sregex_iterator it(text.begin(), text.end(), include), end; it != end; ++it)
            EXPECT_TRUE(allowed[folder].count((*it)[1]))
                << fs::relative(file, lab_dir()).string() << " includes " << (*it)[1] << "/, a layer its library does not link";
    }
}

TEST(LayoutTest, NoFolderHoldsMoreThanFourteenSourceFiles)
{
    std::map<std::string, int> count;
    for (const auto& file : sources()) ++count[folder_of(file)];
    for (const auto& [folder, files] : count) EXPECT_LE(files, 14) << "lab/" << folder;
}

// A function's body starts with "{" alone on a line and ends with "}" at the same indent; it is
// measured from its signature's first line.
TEST(LayoutTest, NoFunctionIsLongerThanSixtyLines)
{
    for (const auto& file : sources()) {
        std::vector<std::string> lines;
        std::istringstream text(text_of(file));
        for (std::string line; std::getline(text, line);) lines.push_back(line);
        for (size_t i = 1; i < lines.size(); ++i) {
            const size_t indent = lines[i].find_first_not_of(' ');
            if (indent == std::string::npos || lines[i].substr(indent) != "{") continue;
            size_t start = i - 1;
            while (start > 0 && (lines[start].empty() || lines[start].find_first_not_of(' ') > indent)) --start;
            const std::string signature = lines[start].substr(indent);
            if (signature.rfind("struct", 0) == 0 || signature.rfind("class", 0) == 0 || signature.rfind("namespace", 0) == 0 ||
                signature.rfind("enum", 0) == 0)
                continue;
            size_t end = i + 1;
            while (end < lines.size() && !(lines[end].rfind(std::string(indent, ' ') + "}", 0) == 0 &&
                                          lines[end].find_first_not_of(' ') == indent))
                ++end;
            EXPECT_LE(end - start + 1, 60u) << fs::relative(file, lab_dir()).string() << ":" << start + 1 << " " << signature;
        }
    }
}

}  // namespace
}  // namespace lab
