// symbols.cc — libelf: program headers to turn file offsets into addresses, .symtab (or
// .dynsym when stripped) to name them.
#include "inspect/symbols.h"

#include <elf.h>

#include <algorithm>
#include <cstdio>

#include "system/elf_file.h"

namespace lab {

std::string SymbolAt::text() const
{
    if (offset_in_symbol == 0) return symbol;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "+0x%llx", static_cast<unsigned long long>(offset_in_symbol));
    return symbol + suffix;
}

SymbolTable::SymbolTable(const std::string& path)
{
    ElfFile file(path);
    error_ = file.error();
    for (const auto& load : file.program_headers(PT_LOAD)) loads_.push_back(Load{load.offset, load.vaddr, load.file_size});
    // Prefer the full symbol table; a stripped file still has the dynamic one.
    for (Elf64_Word wanted : {SHT_SYMTAB, SHT_DYNSYM}) {
        for (const auto& symbol : file.symbols(wanted))
            if (symbol.type == STT_FUNC || symbol.type == STT_OBJECT)
                symbols_.push_back(Symbol{symbol.name, symbol.value, symbol.size, symbol.type == STT_FUNC});
        if (!symbols_.empty()) break;
    }
    if (error_.empty() && symbols_.empty()) error_ = path + " has no symbol table";
    std::sort(symbols_.begin(), symbols_.end(), [](const Symbol& a, const Symbol& b) { return a.value < b.value; });
    for (const auto& symbol : symbols_)
        if (symbol.function && symbol.size > 0)
            if (auto offset = offset_of_vaddr(symbol.value)) functions_.push_back(Entry{symbol.name, *offset, symbol.size});
}

std::optional<std::uint64_t> SymbolTable::vaddr_of_offset(std::uint64_t offset) const
{
    for (const auto& load : loads_)
        if (offset >= load.offset && offset < load.offset + load.file_size) return offset - load.offset + load.vaddr;
    return std::nullopt;
}

std::optional<std::uint64_t> SymbolTable::offset_of_vaddr(std::uint64_t vaddr) const
{
    for (const auto& load : loads_)
        if (vaddr >= load.vaddr && vaddr < load.vaddr + load.file_size) return vaddr - load.vaddr + load.offset;
    return std::nullopt;
}

std::optional<SymbolAt> SymbolTable::at_file_offset(std::uint64_t offset) const
{
    auto vaddr = vaddr_of_offset(offset);
    if (!vaddr) return std::nullopt;
    for (const auto& symbol : symbols_)
        if (*vaddr >= symbol.value && *vaddr < symbol.value + std::max<std::uint64_t>(symbol.size, 1))
            return SymbolAt{symbol.name, *vaddr - symbol.value};
    return std::nullopt;
}

std::optional<std::uint64_t> SymbolTable::file_offset_of(const std::string& name) const
{
    for (const auto& symbol : symbols_)
        if (symbol.name == name) return offset_of_vaddr(symbol.value);
    return std::nullopt;
}

}  // namespace lab
