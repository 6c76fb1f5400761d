// matrix_report.cc — the matrix as a table and as results/matrix.json.
#include <sys/utsname.h>

#include <cstdio>

#include "base/json_values.h"
#include "campaigns/matrix/matrix.h"
#include "probe/write_probe.h"

namespace lab {

namespace {

constexpr int name_width = 16, cell_width = 22;

std::string padded(std::string text, int width)
{
    if (static_cast<int>(text.size()) > width - 1) text = text.substr(0, static_cast<size_t>(width - 2)) + "~";
    text.resize(static_cast<size_t>(width), ' ');
    return text;
}

// "PASS crashed", "PASS kept-old EROFS", and for etxtbsy "PASS ETXTBSY/opened/opened".
std::string cell_text(const std::string& scenario, const MatrixCell& cell)
{
    std::string text = cell.status;
    if (scenario == "etxtbsy" && cell.etxtbsy.is_object()) {
        std::string probes;
        for (const char* what : {"executable", "library", "interpreter"}) {
            const auto& probe = cell.etxtbsy.value(what, nlohmann::ordered_json());
            std::string answer = open_answer(probe);
            probes += std::string(probes.empty() ? "" : "/") + (answer == "not available" ? "n/a" : answer);
        }
        return text + " " + probes;
    }
    if (!cell.process1_verdict.empty()) text += " " + cell.process1_verdict;
    if (cell.errno_name) text += " " + *cell.errno_name;
    return text;
}

}  // namespace

std::string matrix_header(const std::vector<Scenario>& scenarios)
{
    std::string line = padded("file system", name_width);
    for (const auto& scenario : scenarios) {
        std::string text = scenario.name == "etxtbsy" ? "etxtbsy: exe/lib/ld.so" : scenario.name;
        line += &scenario == &scenarios.back() ? text : padded(text, cell_width);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
}

std::string matrix_line(const MatrixRow& row, const std::vector<Scenario>& scenarios)
{
    std::string line = padded(row.filesystem.name, name_width);
    for (const auto& scenario : scenarios) {
        auto cell = row.cells.find(scenario.name);
        std::string text = cell == row.cells.end() ? "-" : cell_text(scenario.name, cell->second);
        line += &scenario == &scenarios.back() ? text : padded(text, cell_width);  // the last one is never cut
    }
    // A whole row that could not run says why once, not in every cell.
    bool same = !row.cells.empty() && row.cells.begin()->second.status == "CONF";
    for (const auto& [name, cell] : row.cells) same &= cell.status == "CONF" && cell.reason == row.cells.begin()->second.reason;
    if (same) line = padded(row.filesystem.name, name_width) + "CONF: " + row.cells.begin()->second.reason;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
}

std::map<std::string, std::vector<std::string>> MatrixResult::library_write_open() const
{
    std::map<std::string, std::vector<std::string>> by_answer;
    for (const auto& row : rows) {
        auto cell = row.cells.find("etxtbsy");
        if (cell == row.cells.end() || !cell->second.etxtbsy.is_object()) continue;
        const auto& library = cell->second.etxtbsy["library"];
        by_answer[open_answer(library)].push_back(row.filesystem.name);
    }
    return by_answer;
}

nlohmann::ordered_json MatrixResult::to_json() const
{
    nlohmann::ordered_json filesystems = nlohmann::ordered_json::object(), setup = nlohmann::ordered_json::object(),
                           notes = nlohmann::ordered_json::object();
    for (const auto& row : rows) {
        nlohmann::ordered_json cells = nlohmann::ordered_json::object();
        for (const auto& name : scenarios)
            if (row.cells.count(name)) cells[name] = row.cells.at(name).to_json();
        filesystems[row.filesystem.name] = cells;
        setup[row.filesystem.name] = {{"description", row.filesystem.description},
                                      {"tool", or_null(row.filesystem.tool)},
                                      {"tool_version", or_null(row.tool_version)}};
        notes[row.filesystem.name] = row.notes;
    }
    struct utsname names;
    std::string kernel = uname(&names) == 0 ? names.release : "unknown";
    return {{"schema", "libfoo-lab/matrix/1"},
            {"kernel", kernel},
            {"scenarios", scenarios},
            {"filesystems", filesystems},
            {"setup", setup},
            {"notes", notes},
            {"library_write_open", library_write_open()},
            {"left_behind", left_behind}};
}

}  // namespace lab
