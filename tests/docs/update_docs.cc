// update_docs.cc — `make -f Makefile.demo docs`: runs the command behind every quoted output in
// README.md and docs/*.md and writes what it prints now into the quote (excerpts.h). A quote whose
// lines cannot be found in the new output any more is left, and named, for a person to redo.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "excerpts.h"
#include "system/paths.h"

namespace {

std::vector<std::string> lines_of(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
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
    std::filesystem::remove_all(scratch);
    return stale ? 1 : 0;
}
