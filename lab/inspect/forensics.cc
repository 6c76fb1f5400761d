// forensics.cc — naming stale pointers and drawing the two tables of contents.
#include "inspect/forensics.h"

#include <cstdio>

#include "common/crash_record.h"

namespace lab {

std::optional<Place> locate_in(std::uint64_t address, const std::vector<MapsLine>& lines, const SymbolTable& old_table,
                               const SymbolTable& new_table)
{
    for (const auto& line : lines) {
        if (address < line.start || address >= line.end) continue;
        Place place;
        place.mapping = line.text;
        place.offset = address - line.start + line.offset;
        place.old_symbol = old_table.at_file_offset(place.offset);
        place.new_symbol = new_table.at_file_offset(place.offset);
        return place;
    }
    return std::nullopt;
}

std::optional<Place> locate_outside(std::uint64_t address, const std::vector<MapsLine>& all_lines)
{
    for (const auto& line : all_lines) {
        if (address < line.start || address >= line.end) continue;
        Place place{line.text, address - line.start + line.offset, std::nullopt, std::nullopt,
                    line.path.empty() ? "[anonymous]" : line.path, std::nullopt};
        if (line.path.rfind('/', 0) == 0) place.outside_symbol = SymbolTable(line.path).at_file_offset(place.offset);
        return place;
    }
    return std::nullopt;
}

Slot describe_slot(std::uint64_t value, const std::vector<MapsLine>& lines, const SymbolTable& old_table,
                   const SymbolTable& new_table)
{
    return Slot{value, locate_in(value, lines, old_table, new_table), ""};
}

namespace {

std::string row(std::uint64_t offset, const std::string& name)
{
    char text[64];
    std::snprintf(text, sizeof text, "0x%-6llx %s", static_cast<unsigned long long>(offset), name.c_str());
    return text;
}

}  // namespace

std::string contents_picture(const SymbolTable& old_table, const SymbolTable& new_table, const std::string& old_name,
                             const std::string& new_name, std::uint64_t stale_offset)
{
    std::vector<std::string> left, right;
    size_t marked = 0;
    for (const auto& entry : old_table.functions()) {
        if (entry.name.rfind("foo_", 0) != 0) continue;
        if (entry.file_offset == stale_offset) marked = left.size();
        left.push_back(row(entry.file_offset, entry.name));
    }
    auto landed = new_table.at_file_offset(stale_offset);
    bool placed = false;
    size_t landed_row = 0;
    for (const auto& entry : new_table.functions()) {
        if (entry.name.rfind("foo_", 0) != 0) continue;
        if (!placed && entry.file_offset > stale_offset) {
            landed_row = right.size();
            right.push_back(row(stale_offset, (landed ? landed->text() : std::string("no function")) + " <= lands"));
            placed = true;
        }
        if (entry.file_offset == stale_offset) {
            landed_row = right.size();
            placed = true;
            right.push_back(row(entry.file_offset, entry.name + " <= lands"));
            continue;
        }
        right.push_back(row(entry.file_offset, entry.name));
    }
    if (!placed) {
        landed_row = right.size();
        right.push_back(row(stale_offset, "past every function <= lands"));
    }
    (void)landed_row;
    char header[128];
    std::snprintf(header, sizeof header, "   %-30s %s", (old_name + " (the process loaded)").c_str(),
                  (new_name + " (in the file now)").c_str());
    std::string picture = header;
    for (size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
        char line[128];
        std::snprintf(line, sizeof line, "%s %-30s %s", i == marked ? "=>" : "  ", i < left.size() ? left[i].c_str() : "",
                      i < right.size() ? right[i].c_str() : "");
        picture += "\n" + std::string(line);
    }
    return picture + "\n=> the chapter called, where its slot points";
}

}  // namespace lab
