// report.h — `lab report`: result files turned into pages for people, with pictures.
#pragma once

#include <string>
#include <vector>

namespace lab {

// Reads every file first (a bad one is a ScenarioError, and nothing is written), checks that
// OUT_DIR can take the pages (check_result_destination: a ScenarioError if not), then writes
// OUT_DIR/NAME.html for each (NAME: the file's name without .json) and OUT_DIR/index.html, each
// atomically. Returns the pages written, index last.
std::vector<std::string> write_report(const std::vector<std::string>& files, const std::string& out_dir);

}  // namespace lab
