// html_page.h — the report's HTML: one self-contained page per result (its figures inline SVG, its
// style inline CSS, no script, nothing fetched: it works from a USB stick in a classroom), and an
// index of them. XHTML syntax, so every page also parses as XML; built with pugixml, so every
// text from a result is escaped.
#pragma once

#include <string>
#include <vector>

#include "pages/campaign_view.h"
#include "pages/result_view.h"

namespace lab {

std::string result_page(const ResultView& view);
std::string campaign_page(const CampaignView& view);

struct IndexEntry {
    std::string page;  // "inplace.html"
    std::string name, outcome, title, reason;
};
std::string index_page(const std::vector<IndexEntry>& entries);

}  // namespace lab
