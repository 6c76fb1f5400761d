// report.h — `lab report`: result files turned into pages for people, with pictures.
#pragma once

#include <string>
#include <vector>

namespace lab {

enum class ReportFormat {
    html,      // NAME.html, self-contained (figures inline), and index.html
    markdown,  // NAME.md and its figures beside it, NAME-ID.svg, and index.md
};

// Each file is a scenario's result or a campaign's file (claims, survey, matrix: a table).
// Reads every file first (a bad one is a ScenarioError, and nothing is written), checks that
// OUT_DIR can take the pages (check_result_destination: a ScenarioError if not), then writes a
// page for each (NAME: the file's name without .json) and the index, each atomically. Returns
// the pages written, index last (not the images).
std::vector<std::string> write_report(const std::vector<std::string>& files, const std::string& out_dir,
                                      ReportFormat format = ReportFormat::html);

}  // namespace lab
