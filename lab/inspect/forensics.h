// forensics.h — where a stale pointer pointed: a value from a host's table of contents (or its
// pc) turned into the file offset in its libfoo mapping and the symbol there in the version it
// loaded ("old") and in the version now in the file ("new"); and the two tables of contents side
// by side, for the transcript.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inspect/maps.h"
#include "inspect/symbols.h"

namespace lab {

struct Located {
    const MapsLine* line = nullptr;
    std::uint64_t offset = 0;  // file offset
    std::optional<SymbolAt> old_symbol, new_symbol;
};

// Where `address` falls in `lines`, named in both versions; nullopt outside the mapping.
std::optional<Located> locate_in(std::uint64_t address, const std::vector<MapsLine>& lines, const SymbolTable& old_table,
                                 const SymbolTable& new_table);
// {mapping, offset, old: {symbol, offset_in_symbol, text}, new: {...}}
nlohmann::ordered_json to_json(const Located& located);

// What a table-of-contents slot holds: resolved into libfoo (with both symbols) or still
// pointing back into the host's PLT (unresolved: the first call will ask the dynamic linker).
nlohmann::ordered_json describe_slot(std::uint64_t value, const std::vector<MapsLine>& lines, const SymbolTable& old_table,
                                     const SymbolTable& new_table);

// Two columns, old table of contents and new, the stale target marked on the left and where it
// landed on the right; fits 80 columns.
std::string contents_picture(const SymbolTable& old_table, const SymbolTable& new_table, const std::string& old_name,
                             const std::string& new_name, std::uint64_t stale_offset);

}  // namespace lab
