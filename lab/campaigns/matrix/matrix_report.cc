// matrix_report.cc — the matrix as a table and as results/matrix.json.
#include <sys/utsname.h>

#include <cstdio>

#include "result/json_values.h"
#include "base/text.h"
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

// What a probe gave: "ETXTBSY", "opened", or `unavailable`.
std::string probe_answer(const WriteProbe& probe, const char* unavailable)
{
    return probe.available ? open_answer(probe.errno_name) : unavailable;
}

// The probe of `what` among a cell's; nullptr when none was made.
const WriteProbe* probe_of(const MatrixCell& cell, const std::string& what)
{
    if (cell.etxtbsy)
        for (const auto& [name, probe] : *cell.etxtbsy)
            if (name == what) return &probe;
    return nullptr;
}

// "PASS crashed", "PASS kept-old EROFS", and for etxtbsy "PASS ETXTBSY/opened/opened".
std::string cell_text(const std::string& scenario, const MatrixCell& cell)
{
    std::string text(to_string(cell.status));
    if (scenario == "etxtbsy" && cell.etxtbsy) {
        std::vector<std::string> probes;
        for (const char* what : {"executable", "library", "interpreter"}) {
            const WriteProbe* probe = probe_of(cell, what);
            probes.push_back(probe ? probe_answer(*probe, "n/a") : "opened");
        }
        return text + " " + join(probes, "/");
    }
    if (cell.process1_verdict) text += " " + std::string(to_string(*cell.process1_verdict));
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
    return without_trailing_spaces(line);
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
    bool same = !row.cells.empty() && row.cells.begin()->second.status == Outcome::CONF;
    for (const auto& [name, cell] : row.cells) same &= cell.status == Outcome::CONF && cell.reason == row.cells.begin()->second.reason;
    if (same) line = padded(row.filesystem.name, name_width) + "CONF: " + row.cells.begin()->second.reason;
    return without_trailing_spaces(line);
}

std::map<std::string, std::vector<std::string>> MatrixResult::library_write_open() const
{
    std::map<std::string, std::vector<std::string>> by_answer;
    for (const auto& row : rows) {
        auto cell = row.cells.find("etxtbsy");
        if (cell == row.cells.end() || !cell->second.etxtbsy) continue;
        const WriteProbe* library = probe_of(cell->second, "library");
        by_answer[library ? probe_answer(*library, "not available") : "opened"].push_back(row.filesystem.name);
    }
    return by_answer;
}

nlohmann::ordered_json MatrixCell::to_json() const
{
    nlohmann::ordered_json json = {{"status", to_string(status)},
                                   {"process1_verdict", process1_verdict ? nlohmann::ordered_json(to_string(*process1_verdict)) : nullptr},
                                   {"filesystem", or_null(filesystem)},
                                   {"same_file", or_null(same_file)}};
    if (errno_name) json["errno"] = *errno_name;
    if (in_upper_layer) json["in_upper_layer"] = *in_upper_layer;
    if (process1_mapping_matches_file) json["process1_mapping_matches_file"] = *process1_mapping_matches_file;
    if (etxtbsy) {
        json["etxtbsy"] = nlohmann::ordered_json::object();
        for (const auto& [what, probe] : *etxtbsy)
            json["etxtbsy"][what] = probe.available ? or_null(probe.errno_name) : nlohmann::ordered_json("not available");
    }
    if (status != Outcome::PASS) json["reason"] = reason;
    return json;
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

std::string matrix_notes(const MatrixResult& result)
{
    std::vector<std::string> answers;
    for (const auto& [answer, names] : result.library_write_open()) answers.push_back(answer + " on " + join(names, ", "));
    std::string notes;
    for (const auto& row : result.rows)
        for (const auto& note : row.notes) notes += "- " + row.filesystem.name + ", " + note + "\n";
    std::string text;
    if (!answers.empty()) text += "\nOpening the mapped libfoo.so for writing (etxtbsy): " + join(answers, "; ") + ".\n";
    if (!notes.empty()) text += "\nNotes:\n" + notes;
    if (!result.left_behind.empty()) text += "\nLeft behind: " + result.left_behind + "\n";
    return text;
}

bool matrix_failed(const MatrixResult& result)
{
    bool failed = !result.left_behind.empty();
    for (const auto& row : result.rows)
        for (const auto& [name, cell] : row.cells) failed |= exit_code(cell.status) != 0;
    return failed;
}

}  // namespace lab
