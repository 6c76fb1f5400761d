// report.cc — read all, then write all: a page per file, then the index.
#include "pages/report.h"

#include <filesystem>
#include <optional>
#include <set>

#include "input/json_input.h"
#include "pages/campaign_view.h"
#include "pages/html_page.h"
#include "pages/markdown_page.h"
#include "pages/result_view.h"
#include "result/result_file.h"

namespace lab {

namespace {

// One file given: a scenario's result, or a campaign's file.
struct Item {
    std::optional<ResultView> result;
    std::optional<CampaignView> campaign;
    const std::string& file() const { return result ? result->file : campaign->file; }
};

Item read_item(const std::string& file)
{
    const nlohmann::ordered_json document = load_json_input(file);
    Item item;
    item.campaign = read_campaign_view(file, document);
    if (!item.campaign) item.result = read_result_view(file, document);
    return item;
}

IndexEntry index_entry(const Item& item, const std::string& page)
{
    if (item.campaign) return {page, item.campaign->name, item.campaign->outcome, item.campaign->title, item.campaign->summary};
    return {page, item.result->name, item.result->outcome, item.result->title, item.result->reason};
}

std::string markdown_index(const std::vector<IndexEntry>& entries)
{
    std::vector<std::vector<std::string>> rows;
    for (const auto& entry : entries) rows.push_back({entry.name, entry.outcome, entry.title});
    std::string md = "# libfoo-lab: results\n\n" + markdown_table({"scenario", "outcome", "what it shows"}, rows);
    for (const auto& entry : entries) md += "- [" + entry.name + "](" + entry.page + ")\n";
    return md;
}

// Writes the item's page (and, as Markdown, its images) at `path`.
void write_item(const Item& item, const std::filesystem::path& path, ReportFormat format)
{
    if (format == ReportFormat::html) {
        write_text_atomically(path.string(), item.campaign ? campaign_page(*item.campaign) : result_page(*item.result));
        return;
    }
    if (item.campaign) {
        write_text_atomically(path.string(), campaign_markdown(*item.campaign));
        return;
    }
    MarkdownPage page = markdown_page(*item.result, path.stem().string());
    for (const auto& [image, svg] : page.images) write_text_atomically((path.parent_path() / image).string(), svg);
    write_text_atomically(path.string(), page.text);
}

}  // namespace

std::vector<std::string> write_report(const std::vector<std::string>& files, const std::string& out_dir, ReportFormat format)
{
    std::vector<Item> items;
    for (const auto& file : files) items.push_back(read_item(file));
    check_result_destination((std::filesystem::path(out_dir) / "index").string());
    const std::string extension = format == ReportFormat::html ? ".html" : ".md";
    std::vector<IndexEntry> entries;
    std::vector<std::string> written;
    std::set<std::string> taken = {"index"};
    for (const auto& item : items) {
        const std::string stem = std::filesystem::path(item.file()).stem().string();
        std::string name = stem;
        for (int n = 2; taken.count(name); ++n) name = stem + "-" + std::to_string(n);
        taken.insert(name);
        entries.push_back(index_entry(item, name + extension));
        written.push_back((std::filesystem::path(out_dir) / entries.back().page).string());
        write_item(item, written.back(), format);
    }
    written.push_back((std::filesystem::path(out_dir) / ("index" + extension)).string());
    write_text_atomically(written.back(), format == ReportFormat::html ? index_page(entries) : markdown_index(entries));
    return written;
}

}  // namespace lab
