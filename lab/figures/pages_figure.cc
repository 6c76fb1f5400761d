// pages_figure.cc — figure 3, demand paging: one row per observation, in time order; in each, the
// file's pages as the page cache holds them and the host's libfoo pages as its page tables map
// them, one cell per page. Dark: there; light: not. The rows read downwards as the story: loaded,
// updated, evicted, touched again.
#include <algorithm>
#include <cstdio>

#include "figures/figures.h"

namespace lab::figures {

namespace {

constexpr double grid_left = 300, grid_right = 940, first_observation = 96, observation_height = 112, band_height = 20;

void draw_band(Svg& svg, double y, const std::vector<bool>& cells, const std::string& label, pugi::xml_node group)
{
    svg.text(grid_left - 10, y + 16, label, "small", "end", group);
    svg.rect(grid_left, y, grid_right - grid_left, band_height, "band", group);
    if (cells.empty()) {
        svg.text(grid_left + 8, y + 16, "not observed", "small", "start", group);
        return;
    }
    const double cell = (grid_right - grid_left) / static_cast<double>(cells.size());
    // Runs of the same state drawn as one rectangle: a 64 MiB file is 16384 pages.
    for (size_t start = 0; start < cells.size();) {
        size_t end = start;
        while (end < cells.size() && cells[end] == cells[start]) ++end;
        if (cells[start]) svg.rect(grid_left + cell * static_cast<double>(start), y, cell * static_cast<double>(end - start), band_height, "cell-on", group);
        start = end;
    }
}

std::string counted(const std::vector<bool>& cells, const char* what)
{
    const auto on = std::count(cells.begin(), cells.end(), true);
    return std::to_string(on) + " of " + std::to_string(cells.size()) + " " + what;
}

}  // namespace

Svg demand_paging(const PagesFigure& figure)
{
    const double height = first_observation + observation_height * static_cast<double>(figure.rows.size()) + 50;
    Svg svg(960, height, "Memory page by page at each observation: the file's pages in the page cache, and the pages mapped in the host",
            "demand-paging");
    svg.text(480, 30, "Page by page: in the page cache, and mapped in the process", "title", "middle");
    for (size_t i = 0; i < figure.rows.size(); ++i) {
        const PagesRow& row = figure.rows[i];
        const double y = first_observation + observation_height * static_cast<double>(i);
        pugi::xml_node group = svg.group("observation");
        char when[32];
        std::snprintf(when, sizeof when, "%.1f ms", static_cast<double>(row.t_ns) / 1e6);
        svg.text(20, y - 8, row.host + ", " + row.label + " (" + when + ")", "", "start", group);
        std::vector<bool> cached;
        for (char page : row.cache) cached.push_back(page == '#');
        draw_band(svg, y, cached, "page cache", group);
        draw_band(svg, y + band_height + 8, row.present, "mapped", group);
        std::string counts = (cached.empty() ? std::string() : counted(cached, "file pages cached") + "; ") +
                             (row.present.empty() ? std::string() : counted(row.present, "pages mapped"));
        if (row.major_faults) counts += "; " + std::to_string(*row.major_faults) + " major faults so far";
        svg.text(grid_left, y + 2 * band_height + 30, counts, "small", "start", group);
    }
    const double legend = first_observation + observation_height * static_cast<double>(figure.rows.size()) + 4;
    svg.rect(grid_left, legend, 20, 16, "cell-on");
    svg.text(grid_left + 28, legend + 14, "there (cached, or mapped)", "small");
    svg.rect(grid_left + 300, legend, 20, 16, "band");
    svg.text(grid_left + 328, legend + 14, "not there", "small");
    return svg;
}

}  // namespace lab::figures
