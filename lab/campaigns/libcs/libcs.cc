// libcs.cc — running every scenario with each libc's hosts, and the table of what was observed.
#include "campaigns/libcs/libcs.h"

#include <sys/utsname.h>

#include <algorithm>

#include "base/text.h"
#include "engine/run.h"
#include "result/result_json.h"

namespace lab {

namespace {

constexpr size_t name_width = 22, cell_width = 42;

std::string cell_text(const LibcCell& cell) { return cell_summary(std::string(to_string(cell.status)), cell.facts); }

// Only between libcs whose hosts ran: a libc that is not available here has nothing to differ in.
void note_differences(LibcsRow* row, const std::vector<Libc>& all)
{
    std::vector<std::pair<std::string, const Facts*>> cells;
    for (Libc libc : all)
        if (row->cells.at(libc).reason.rfind("not available", 0) != 0) cells.emplace_back(to_string(libc), &row->cells.at(libc).facts);
    row->differences = differing_facts(cells);
}

}  // namespace

LibcsResult run_libcs(const std::vector<Scenario>& scenarios, const Catalogue& catalogue, const Paths& paths,
                      const std::function<void(const LibcsRow&)>& on_row)
{
    LibcsResult result;
    struct utsname names;
    result.kernel = uname(&names) == 0 ? names.release : "unknown";
    for (Libc libc : result.libcs) {
        const std::string missing = paths.with_libc(libc).hosts_missing();
        if (!missing.empty()) result.versions[libc] = "not available: " + missing;
    }
    for (const auto& scenario : scenarios) {
        LibcsRow row;
        row.scenario = scenario.name;
        for (Libc libc : result.libcs) {
            ScenarioResult run = run_scenario(scenario, catalogue, paths.with_libc(libc), RunOptions{});
            LibcCell& cell = row.cells[libc];
            cell.status = run.outcome;
            cell.reason = run.reason;
            cell.libc = run.runs.empty() ? "" : run.first().environment.libc;
            cell.result = to_json(run);
            cell.facts = merged_facts(cell.result);
            if (!result.versions.count(libc) && run.first().not_available.empty()) result.versions[libc] = cell.libc;
        }
        note_differences(&row, result.libcs);
        if (on_row) on_row(row);
        result.rows.push_back(std::move(row));
    }
    return result;
}

bool LibcsResult::failed() const
{
    for (const auto& row : rows)
        for (const auto& [libc, cell] : row.cells)
            if (exit_code(cell.status) != 0) return true;
    return false;
}

nlohmann::ordered_json LibcsResult::to_json() const
{
    nlohmann::ordered_json environment = {{"kernel", kernel}}, cases = nlohmann::ordered_json::object(),
                           differences = nlohmann::ordered_json::object(), names = nlohmann::ordered_json::array();
    for (Libc libc : libcs) environment[std::string(to_string(libc))] = versions.count(libc) ? versions.at(libc) : "";
    for (const auto& row : rows) {
        names.push_back(row.scenario);
        for (const auto& [libc, cell] : row.cells) {
            const std::string name(to_string(libc));
            cases[row.scenario + "@" + name] = {{"scenario", row.scenario},     {"libc", name},
                                                {"libc_version", cell.libc},    {"status", lab::to_string(cell.status)},
                                                {"reason", cell.reason},        {"result", "libcs/" + name + "/" + row.scenario + ".json"},
                                                {"facts", cell.facts}};
        }
        if (!row.differences.empty()) differences[row.scenario] = row.differences;
    }
    return {{"schema", "libfoo-lab/libcs/1"}, {"environment", environment}, {"scenarios", names},
            {"cases", cases},                 {"differences", differences}};
}

std::string libcs_header(const LibcsRow& first, const std::vector<Libc>& libcs)
{
    std::string line = padded_column("scenario", name_width);
    for (Libc libc : libcs) {
        auto cell = first.cells.find(libc);
        const bool ran = cell != first.cells.end() && cell->second.result.is_object() &&
                         cell->second.reason.rfind("not available", 0) != 0;
        line += padded_column(ran ? cell->second.libc : std::string(to_string(libc)) + " (not available)", cell_width);
    }
    return without_trailing_spaces(line);
}

std::string libcs_line(const LibcsRow& row, const std::vector<Libc>& libcs)
{
    std::string line = padded_column(row.scenario, name_width);
    for (Libc libc : libcs) line += padded_column(row.cells.count(libc) ? cell_text(row.cells.at(libc)) : "-", cell_width);
    if (!row.differences.empty()) line += "*";
    return without_trailing_spaces(line);
}

std::string libcs_notes(const LibcsResult& result)
{
    std::string notes;
    for (const auto& [libc, version] : result.versions)
        if (version.rfind("not available", 0) == 0) notes += std::string(to_string(libc)) + ": " + version + "\n";
    for (const auto& row : result.rows) {
        for (const auto& [libc, cell] : row.cells)
            if (cell.status == Outcome::FAIL || cell.status == Outcome::BROK)
                notes += row.scenario + " (" + std::string(to_string(libc)) + "): " + std::string(to_string(cell.status)) + ": " + cell.reason + "\n";
        if (row.differences.empty()) continue;
        notes += "* " + row.scenario + ", where the libcs differ:\n";
        for (const auto& difference : row.differences) notes += "    " + wrap_text(difference, 96, "      ") + "\n";
    }
    return notes.empty() ? "" : "\n" + notes;
}

}  // namespace lab
