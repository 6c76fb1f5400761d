// scan_output.cc — what lab scan found: a table, JSON, or needrestart's batch lines.
#include <map>

#include "base/text.h"
#include "scan/scan.h"

namespace lab {

namespace {

// "layout (certain): the mapping ... ; mtime (possible): written at ..."
std::string evidence_text(const ScannedLibrary& library)
{
    std::vector<std::string> parts;
    for (const auto& one : library.evidence) parts.push_back(one.signal + " (" + one.certainty + "): " + one.detail);
    return join(parts, "; ");
}

}  // namespace

nlohmann::ordered_json ScanResult::to_json() const
{
    using json = nlohmann::ordered_json;
    json list = json::array();
    for (const auto& process : processes) {
        json libraries = json::array();
        for (const auto& library : process.libraries) {
            json evidence = json::array();
            for (const auto& one : library.evidence)
                evidence.push_back({{"signal", one.signal}, {"certainty", one.certainty}, {"detail", one.detail}});
            libraries.push_back({{"path", library.path}, {"status", to_string(library.status)}, {"evidence", evidence}});
        }
        list.push_back({{"pid", process.pid}, {"comm", process.comm}, {"exe", process.exe}, {"libraries", libraries}});
    }
    return {{"schema", "libfoo-lab/scan/1"}, {"processes", list}, {"scanned", scanned}, {"unreadable", unreadable}, {"gone", gone}};
}

std::string scan_table(const ScanResult& result)
{
    std::string table;
    if (!result.processes.empty()) table += "pid      command          status             library\n";
    for (const auto& process : result.processes)
        for (const auto& library : process.libraries) {
            table += without_trailing_spaces(padded_column(std::to_string(process.pid), 9) + padded_column(process.comm, 17) +
                                             padded_column(to_string(library.status), 19) + library.path) +
                     "\n";
            table += "         " + wrap_text(evidence_text(library), 110, "         ") + "\n";
        }
    size_t found = 0;
    for (const auto& process : result.processes) found += process.libraries.size();
    auto counted = [](size_t count, const char* one, const char* many) { return std::to_string(count) + " " + (count == 1 ? one : many); };
    table += (result.processes.empty() ? std::string("Nothing found")
                                       : counted(found, "mapped file", "mapped files") + " in " + counted(result.processes.size(), "process", "processes")) +
             " (" + counted(result.scanned, "process", "processes") + " scanned";
    if (result.unreadable > 0) table += ", " + std::to_string(result.unreadable) + " not readable by this user";
    if (result.gone > 0) table += ", " + std::to_string(result.gone) + " ended meanwhile";
    return table + ").\n";
}

std::string scan_batch(const ScanResult& result)
{
    std::map<std::string, std::vector<std::string>> by_command;
    for (const auto& process : result.processes) {
        std::string comm = process.comm;
        for (char& c : comm)
            if (c < 0x20 || c > 0x7e) c = '?';  // as needrestart writes it
        by_command[comm].push_back(std::to_string(process.pid));
    }
    std::string lines;
    for (const auto& [comm, pids] : by_command) lines += "NEEDRESTART-PID: " + comm + "=" + join(pids, ",") + "\n";
    return lines;
}

}  // namespace lab
