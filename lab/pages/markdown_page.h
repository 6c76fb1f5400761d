// markdown_page.h — a result as Markdown for a blog post: the environment, the verdict table, the
// figures as .svg files beside it, and the part of the transcript that matters.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pages/campaign_view.h"
#include "pages/result_view.h"

namespace lab {

struct MarkdownPage {
    std::string text;                                         // NAME.md
    std::vector<std::pair<std::string, std::string>> images;  // file name beside it, SVG text
};

// `stem` names the page and prefixes its images: inplace.md, inplace-timeline.svg.
MarkdownPage markdown_page(const ResultView& view, const std::string& stem);
std::string campaign_markdown(const CampaignView& view);
// A table: the header, then each row; every cell escaped.
std::string markdown_table(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows);

}  // namespace lab
