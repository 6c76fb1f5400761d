// forensics.h — where a stale pointer pointed: a value from a host's table of contents (or its
// pc) turned into the file offset in its libfoo mapping and the symbol there in the version it
// loaded ("old") and in the version now in the file ("new"); and the two tables of contents side
// by side, for the transcript.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "inspect/maps.h"
#include "inspect/symbols.h"

namespace lab {

// Where an address fell: the maps line holding it, the file offset, and what lies there in the
// version the host loaded ("old") and in the version in the file now ("new").
struct Place {
    std::string mapping;       // the maps line as the kernel wrote it
    std::uint64_t offset = 0;  // file offset (outside libfoo: offset in `path`)
    std::optional<SymbolAt> old_symbol, new_symbol;
    // Outside libfoo (the dynamic linker, libc, the host itself): the file the line maps, or
    // "[anonymous]". Empty inside libfoo.
    std::string outside_path;
    // Outside libfoo: the function or object covering the offset in that file's own symbol table
    // (its .symtab, or the .dynsym a stripped loader or libc still has: musl's names its public
    // functions, glibc's ld.so only what it exports); nullopt when none covers it.
    std::optional<SymbolAt> outside_symbol;
};

// Where `address` falls in `lines`, named in both versions; nullopt outside the mapping.
std::optional<Place> locate_in(std::uint64_t address, const std::vector<MapsLine>& lines, const SymbolTable& old_table,
                               const SymbolTable& new_table);
// A pc outside libfoo, named by whatever the host had mapped there when it started, and the symbol
// there in that file; nullopt when nothing was mapped there.
std::optional<Place> locate_outside(std::uint64_t address, const std::vector<MapsLine>& all_lines);

// What a table-of-contents slot holds: resolved into libfoo (with both symbols) or still
// pointing back into the host's PLT (unresolved: the first call will ask the dynamic linker).
struct Slot {
    std::uint64_t value = 0;
    std::optional<Place> place;  // resolved: where in libfoo it points; nullopt: unresolved
    std::string got_entry;       // where the slot is: "process1+0x30030" (executable + offset)
    bool resolved() const { return place.has_value(); }
};
Slot describe_slot(std::uint64_t value, const std::vector<MapsLine>& lines, const SymbolTable& old_table,
                   const SymbolTable& new_table);

// Two columns, old table of contents and new, the stale target marked on the left and where it
// landed on the right; fits 80 columns.
std::string contents_picture(const SymbolTable& old_table, const SymbolTable& new_table, const std::string& old_name,
                             const std::string& new_name, std::uint64_t stale_offset);

}  // namespace lab
