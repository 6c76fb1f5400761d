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

void hosts_table(std::string& md, const RunView& run)
{
    md += "| host | verdict | at exit | why |\n|---|---|---|---|\n";
    for (const auto& host : run.hosts)
        md += "| " + escaped(host.name) + " | " + escaped(host.verdict) + " | " + escaped(host.at_exit) + " | " +
              escaped(host.verdict_reason) + " |\n";
    md += "\n";
}

}  // namespace

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
        hosts_table(md, run);
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
