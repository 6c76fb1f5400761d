// symbols.h — what lies at an offset of a library file, by its symbol table (elfutils' libelf):
// "foo_chapter3+0x20". A table is read whole into memory when it is made, so a run that reads the
// installed file before an update can still ask about the old version after an in-place update
// has overwritten the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lab {

struct SymbolAt {
    std::string symbol;
    std::uint64_t offset_in_symbol = 0;
    std::string text() const;  // "foo_chapter3+0x20", or "foo_chapter4" at its start
};

class SymbolTable {
public:
    // Reads the symbols (and program headers) of an ELF file; empty when it cannot, and error()
    // says why.
    explicit SymbolTable(const std::string& path);
    const std::string& error() const { return error_; }

    // The function or object covering the code or data at this file offset; nullopt when none.
    std::optional<SymbolAt> at_file_offset(std::uint64_t offset) const;
    // The file offset of a symbol's start; nullopt when the file has no such symbol.
    std::optional<std::uint64_t> file_offset_of(const std::string& name) const;
    // Every sized function symbol, by address: the table of contents.
    struct Entry {
        std::string name;
        std::uint64_t file_offset = 0, size = 0;
    };
    const std::vector<Entry>& functions() const { return functions_; }

private:
    std::optional<std::uint64_t> vaddr_of_offset(std::uint64_t offset) const;
    std::optional<std::uint64_t> offset_of_vaddr(std::uint64_t vaddr) const;

    struct Symbol {
        std::string name;
        std::uint64_t value = 0, size = 0;
        bool function = false;
    };
    struct Load {
        std::uint64_t offset, vaddr, file_size;
    };
    std::vector<Symbol> symbols_;
    std::vector<Load> loads_;
    std::vector<Entry> functions_;
    std::string error_;
};


}  // namespace lab
