// mappings_figure.cc — figure 1, one file and two processes: each host's libfoo mappings (their
// permissions, file offsets and addresses) beside the files on disk they map, a line from each
// mapping to its file; a file no longer at any path is drawn dashed and says "(deleted)". Where
// frames were observed, each mapping's pages are squares: filled when the other host maps the same
// physical frame (shared), hollow when the page is this process's own copy, grey when not present.
#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/text.h"
#include "figures/figures.h"

namespace lab::figures {

namespace {

constexpr double figure_width = 960, mapped_host_width = 310, mappings_top = 96, mapping_row_height = 58, disk_file_width = 236, disk_file_height = 84;

double host_x(size_t index, size_t hosts) { return hosts > 1 && index == 1 ? figure_width - 20 - mapped_host_width : 20; }

double files_x(size_t hosts) { return hosts > 1 ? (figure_width - disk_file_width) / 2 : figure_width - 20 - disk_file_width; }

// Words in lines of at most `width` characters (wrap_text's lines).
std::vector<std::string> wrapped(const std::string& text, size_t width)
{
    std::vector<std::string> lines;
    std::istringstream wrapped_text(wrap_text(text, width, ""));
    for (std::string line; std::getline(wrapped_text, line);) lines.push_back(line);
    return lines;
}

void draw_pages(Svg& svg, const MappingRow& row, double x, double y, pugi::xml_node group)
{
    const double size = 12;
    for (size_t i = 0; i < row.pages.size() && i < 12; ++i) {
        const MappedPage& page = row.pages[i];
        svg.rect(x + static_cast<double>(i) * (size + 4), y, size, size,
                 !page.present ? "page-absent" : page.shared ? "page-shared" : "page-private", group);
    }
}

// Returns where each row's line leaves it, by file.
void draw_host(Svg& svg, const MappedHost& host, double x, const std::map<std::string, double>& file_y, double to_x)
{
    pugi::xml_node group = svg.group("host");
    svg.text(x + mapped_host_width / 2, mappings_top - 16, host.name + "'s mappings", "title", "middle", group);
    const bool left = x < to_x;
    for (size_t i = 0; i < host.rows.size(); ++i) {
        const MappingRow& row = host.rows[i];
        const double y = mappings_top + mapping_row_height * static_cast<double>(i);
        svg.rect(x, y, mapped_host_width, mapping_row_height - 8, row.deleted ? "file-deleted" : "map", group);
        svg.text(x + 10, y + 20, row.perms + "  offset " + row.offset + (row.deleted ? "  (deleted)" : ""), row.deleted ? "bad-text" : "mono", "start", group);
        svg.text(x + 10, y + 40, row.range, "small", "start", group);
        if (!row.pages.empty()) draw_pages(svg, row, x + mapped_host_width - 12 - 16 * static_cast<double>(std::min<size_t>(row.pages.size(), 12)), y + 30, group);
        auto target = file_y.find(row.file);
        if (target == file_y.end()) continue;
        svg.line(left ? x + mapped_host_width : x, y + (mapping_row_height - 8) / 2, left ? to_x : to_x + disk_file_width, target->second, "ok", group);
    }
}

}  // namespace

Svg mappings(const MappingsFigure& figure)
{
    size_t rows = 0;
    for (const auto& host : figure.hosts) rows = std::max(rows, host.rows.size());
    const double body = std::max(mapping_row_height * static_cast<double>(rows), (disk_file_height + 20) * static_cast<double>(figure.files.size()));
    const double height = mappings_top + body + 80;
    Svg svg(figure_width, height, "The libfoo mappings of each host beside the files on disk they map, and which pages share a frame",
            "mappings");
    svg.text(figure_width / 2, 30, "One file on disk, mapped by the processes", "title", "middle");
    const double files_left = files_x(figure.hosts.size());
    std::map<std::string, double> file_y;
    svg.text(files_left + disk_file_width / 2, mappings_top - 16, "on disk", "title", "middle");
    for (size_t i = 0; i < figure.files.size(); ++i) {
        const DiskFile& file = figure.files[i];
        const double y = mappings_top + (disk_file_height + 20) * static_cast<double>(i);
        svg.rect(files_left, y, disk_file_width, disk_file_height, file.deleted ? "file-deleted" : "file");
        svg.text(files_left + disk_file_width / 2, y + 24, file.file + (file.deleted ? " (deleted)" : ""), file.deleted ? "bad-text" : "",
                 "middle");
        double line_y = y + 46;
        for (const auto& line : wrapped(file.role, 26)) {
            svg.text(files_left + disk_file_width / 2, line_y, line, "small", "middle");
            line_y += 19;
        }
        file_y[file.file] = y + disk_file_height / 2;
    }
    for (size_t i = 0; i < figure.hosts.size(); ++i) draw_host(svg, figure.hosts[i], host_x(i, figure.hosts.size()), file_y, files_left);
    double legend = mappings_top + body + 24;
    if (!figure.sharing.empty()) {
        svg.text(20, legend, figure.sharing, "small");
        legend += 30;
        svg.rect(20, legend - 12, 12, 12, "page-shared");
        svg.text(38, legend, "a frame both processes map", "small");
        svg.rect(300, legend - 12, 12, 12, "page-private");
        svg.text(318, legend, "this process's own copy", "small");
        svg.rect(560, legend - 12, 12, 12, "page-absent");
        svg.text(578, legend, "not present", "small");
    }
    return svg;
}

}  // namespace lab::figures
