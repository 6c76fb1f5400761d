// update_docs.cc — `make -f Makefile.demo docs`: runs the command behind every quoted output in
// README.md and docs/*.md and writes what it prints now into the quote (excerpts.h). A quote whose
// lines cannot be found in the new output any more is left, and named, for a person to redo.
// Then the pictures in docs/images/, from real runs (make_pictures).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <pugixml.hpp>

#include "browser.h"
#include "excerpts.h"
#include "system/child.h"
#include "system/paths.h"

namespace {

std::vector<std::string> lines_of(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The pictures in docs/images/: figures of real runs, rendered by headless Chromium from the SVG
// files `lab report --format md` writes. Returns how many were made.
int make_pictures(const std::string& lab, const std::string& source, const std::string& scratch)
{
    if (lab::testing::chromium().empty()) {
        std::fprintf(stderr, "docs/images not redrawn: chromium is not installed (Debian package chromium)\n");
        return 0;
    }
    const std::vector<std::pair<std::string, std::string>> pictures = {
        {"inplace", "table-of-contents"}, {"inplace", "timeline"}, {"sharing", "mappings"}, {"demand-paging", "demand-paging"},
        {"editions/grow2", "table-of-contents"}};
    // A result, and so its page and figures, is named by the scenario file's name ("grow2").
    auto base = [](const std::string& scenario) { return std::filesystem::path(scenario).filename().string(); };
    std::vector<std::string> results;
    for (const auto& [scenario, figure] : pictures) {
        const std::string result = scratch + "/" + base(scenario) + ".json";
        if (std::find(results.begin(), results.end(), result) != results.end()) continue;
        lab::run_command({lab, "run", source + "/scenarios/" + scenario + ".json", "--quiet", "--out", result}, scratch, std::chrono::seconds(120));
        results.push_back(result);
    }
    std::vector<std::string> report = {lab, "report", "--format", "md", "--out", scratch + "/md"};
    report.insert(report.end(), results.begin(), results.end());
    lab::run_command(report, scratch, std::chrono::seconds(60));
    int made = 0;
    std::filesystem::create_directories(source + "/docs/images");
    for (const auto& [scenario, figure] : pictures) {
        const std::string svg = scratch + "/md/" + base(scenario) + "-" + figure + ".svg";
        pugi::xml_document document;
        if (!document.load_file(svg.c_str())) continue;
        std::istringstream box(document.document_element().attribute("viewBox").value());
        double x = 0, y = 0, width = 0, height = 0;
        box >> x >> y >> width >> height;
        const std::string png = source + "/docs/images/" + base(scenario) + "-" + figure + ".png";
        std::string why = lab::testing::screenshot(svg, png, static_cast<int>(width), static_cast<int>(height), scratch);
        if (why.empty()) ++made;
        else std::fprintf(stderr, "%s: %s\n", png.c_str(), why.c_str());
    }
    std::printf("docs/images: %d picture(s) redrawn\n", made);
    return made;
}

}  // namespace

int main()
{
    const std::string source = LAB_SOURCE_DIR, lab = lab::Paths::locate().bin_dir + "/lab";
    char pattern[] = "/tmp/update-docs.XXXXXX";
    const std::string scratch = mkdtemp(pattern) ? pattern : "/tmp";
    std::map<std::string, std::string> printed;
    std::map<std::string, std::vector<lab::docs::Excerpt>> by_file;
    for (const auto& excerpt : lab::docs::find_excerpts(source)) by_file[excerpt.file].push_back(excerpt);
    int stale = 0;
    for (auto& [file, excerpts] : by_file) {
        auto lines = lines_of(source + "/" + file);
        for (auto it = excerpts.rbegin(); it != excerpts.rend(); ++it) {  // from the end: line numbers stay valid
            if (!printed.count(it->command)) printed[it->command] = lab::docs::output_of(lab, *it, source, scratch);
            auto block = lab::docs::regenerate(*it, printed[it->command]);
            std::string why;
            it->lines = block;
            if (!lab::docs::matches(*it, printed[it->command], &why)) {
                std::fprintf(stderr, "%s:%d (lab %s): redo this quote by hand: %s", file.c_str(), it->line, it->command.c_str(), why.c_str());
                ++stale;
            }
            const auto first = lines.begin() + it->line + 1;  // after the marker and the fence
            auto last = first;
            while (last != lines.end() && last->rfind("```", 0) != 0) ++last;
            lines.erase(first, last);
            lines.insert(lines.begin() + it->line + 1, block.begin(), block.end());
        }
        std::ofstream out(source + "/" + file);
        for (const auto& line : lines) out << line << '\n';
        std::printf("%s: %zu quote(s) regenerated\n", file.c_str(), excerpts.size());
    }
    make_pictures(lab, source, scratch);
    std::filesystem::remove_all(scratch);
    return stale ? 1 : 0;
}
