// markdown_page.cc — Markdown, with every text from a result escaped so that it stays text.
#include "pages/markdown_page.h"

#include "pages/run_figures.h"

namespace lab {

namespace {

// Backslash before what Markdown would read as markup; a line break becomes a space.
std::string escaped(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\r') {
            out += ' ';
            continue;
        }
        if (std::string("\\`*_{}[]<>()#+!|~").find(c) != std::string::npos) out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string markdown_table(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows)
{
    std::string md = "|", rule = "|";
    for (const auto& column : columns) {
        md += " " + escaped(column) + " |";
        rule += "---|";
    }
    md += "\n" + rule + "\n";
    for (const auto& row : rows) {
        md += "|";
        for (const auto& cell : row) md += " " + escaped(cell) + " |";
        md += "\n";
    }
    return md + "\n";
}

std::string campaign_markdown(const CampaignView& view)
{
    std::string md = "# " + escaped(view.name) + ": " + escaped(view.title) + "\n\n";
    md += "**" + escaped(view.outcome) + "** " + escaped(view.summary) + "\n\n";
    if (!view.environment.empty()) md += "*" + escaped(view.environment) + "*\n\n";
    md += markdown_table(view.columns, view.rows);
    md += "*Drawn by `lab report` from " + escaped(view.file) + ".*\n";
    return md;
}

MarkdownPage markdown_page(const ResultView& view, const std::string& stem)
{
    MarkdownPage page;
    std::string& md = page.text;
    md += "# " + escaped(view.name) + ": " + escaped(view.title) + "\n\n";
    md += "**" + escaped(view.outcome) + "** " + escaped(view.reason) + "\n\n";
    md += "*" + escaped(view.environment) + "*\n\n";
    for (const auto& run : view.runs) {
        const bool several = view.runs.size() > 1;
        if (several) md += "## Calls bound " + escaped(run.binding) + "\n\n";
        std::vector<std::vector<std::string>> hosts;
        for (const auto& host : run.hosts) hosts.push_back({host.name, host.verdict, host.at_exit, host.verdict_reason});
        md += markdown_table({"host", "verdict", "at exit", "why"}, hosts);
        for (auto& figure : run_figures(run)) {
            const std::string image = stem + (several ? "-" + run.binding : "") + "-" + figure.id + ".svg";
            md += "![" + escaped(figure.caption) + "](" + image + ")\n\n";
            page.images.emplace_back(image, figure.svg.file_text());
        }
        if (run.story.empty()) continue;
        md += std::string(several ? "###" : "##") + " What happened\n\n";
        for (size_t i = 0; i < run.story.size(); ++i) md += std::to_string(i + 1) + ". " + escaped(run.story[i]) + "\n";
        md += "\n";
    }
    md += "*Drawn by `lab report` from " + escaped(view.file) + ": every figure shows what the run recorded.*\n";
    return page;
}

}  // namespace lab
