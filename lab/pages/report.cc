// report.cc — read all, then write all.
#include "pages/report.h"

#include <filesystem>
#include <set>

#include "pages/html_page.h"
#include "pages/result_view.h"
#include "result/result_file.h"

namespace lab {

std::vector<std::string> write_report(const std::vector<std::string>& files, const std::string& out_dir)
{
    std::vector<ResultView> views;
    for (const auto& file : files) views.push_back(read_result_view(file));
    check_result_destination((std::filesystem::path(out_dir) / "index.html").string());
    std::vector<IndexEntry> entries;
    std::set<std::string> taken = {"index"};
    for (const auto& view : views) {
        const std::string stem = std::filesystem::path(view.file).stem().string();
        std::string name = stem;
        for (int n = 2; taken.count(name); ++n) name = stem + "-" + std::to_string(n);
        taken.insert(name);
        entries.push_back({name + ".html", &view});
    }
    std::vector<std::string> written;
    for (const auto& entry : entries) {
        written.push_back((std::filesystem::path(out_dir) / entry.page).string());
        write_text_atomically(written.back(), result_page(*entry.view));
    }
    written.push_back((std::filesystem::path(out_dir) / "index.html").string());
    write_text_atomically(written.back(), index_page(entries));
    return written;
}

}  // namespace lab
