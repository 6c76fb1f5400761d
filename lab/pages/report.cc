// report.cc — read all, then write all.
#include "pages/report.h"

#include <filesystem>
#include <set>

#include "pages/html_page.h"
#include "pages/markdown_page.h"
#include "pages/result_view.h"
#include "result/result_file.h"

namespace lab {

namespace {

std::string markdown_index(const std::vector<IndexEntry>& entries)
{
    std::string md = "# libfoo-lab: results\n\n| scenario | outcome | what it shows |\n|---|---|---|\n";
    for (const auto& entry : entries) {
        std::string title = entry.view->title;
        for (auto& c : title)
            if (c == '|' || c == '\n') c = ' ';
        md += "| [" + entry.view->name + "](" + entry.page + ") | " + entry.view->outcome + " | " + title + " |\n";
    }
    return md;
}

}  // namespace

std::vector<std::string> write_report(const std::vector<std::string>& files, const std::string& out_dir, ReportFormat format)
{
    std::vector<ResultView> views;
    for (const auto& file : files) views.push_back(read_result_view(file));
    check_result_destination((std::filesystem::path(out_dir) / "index").string());
    std::vector<IndexEntry> entries;
    std::set<std::string> taken = {"index"};
    for (const auto& view : views) {
        const std::string stem = std::filesystem::path(view.file).stem().string();
        std::string name = stem;
        for (int n = 2; taken.count(name); ++n) name = stem + "-" + std::to_string(n);
        taken.insert(name);
        entries.push_back({name + (format == ReportFormat::html ? ".html" : ".md"), &view});
    }
    const std::filesystem::path dir(out_dir);
    std::vector<std::string> written;
    for (const auto& entry : entries) {
        written.push_back((dir / entry.page).string());
        if (format == ReportFormat::html) {
            write_text_atomically(written.back(), result_page(*entry.view));
            continue;
        }
        MarkdownPage page = markdown_page(*entry.view, std::filesystem::path(entry.page).stem().string());
        for (const auto& [image, svg] : page.images) write_text_atomically((dir / image).string(), svg);
        write_text_atomically(written.back(), page.text);
    }
    written.push_back((dir / (format == ReportFormat::html ? "index.html" : "index.md")).string());
    write_text_atomically(written.back(), format == ReportFormat::html ? index_page(entries) : markdown_index(entries));
    return written;
}

}  // namespace lab
