// run_figures.h — the figures of one run, in the order a page shows them, each with its caption:
// what the HTML page and the Markdown export both draw.
#pragma once

#include <string>
#include <vector>

#include "figures/figures.h"
#include "pages/result_view.h"

namespace lab {

struct RunFigure {
    std::string id;  // "mappings", "table-of-contents", "demand-paging", "timeline"
    std::string caption;
    figures::Svg svg;
};

std::vector<RunFigure> run_figures(const RunView& run);

}  // namespace lab
