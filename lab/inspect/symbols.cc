// symbols.cc — libelf: program headers to turn file offsets into addresses, .symtab (or
// .dynsym when stripped) to name them.
#include "inspect/symbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

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
    if (elf_version(EV_CURRENT) == EV_NONE) return;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
    size_t count = 0;
    if (elf && elf_getphdrnum(elf, &count) == 0) {
        for (size_t i = 0; i < count; ++i) {
            GElf_Phdr header;
            if (gelf_getphdr(elf, static_cast<int>(i), &header) && header.p_type == PT_LOAD)
                loads_.push_back(Load{header.p_offset, header.p_vaddr, header.p_filesz});
        }
    }
    // Prefer the full symbol table; a stripped file still has the dynamic one.
    for (Elf64_Word wanted : {SHT_SYMTAB, SHT_DYNSYM}) {
        for (Elf_Scn* section = elf ? elf_nextscn(elf, nullptr) : nullptr; section;
             section = elf_nextscn(elf, section)) {
            GElf_Shdr header;
            if (!gelf_getshdr(section, &header) || header.sh_type != wanted || header.sh_entsize == 0) continue;
            Elf_Data* data = elf_getdata(section, nullptr);
            size_t entries = header.sh_size / header.sh_entsize;
            for (size_t i = 0; data && i < entries; ++i) {
                GElf_Sym symbol;
                if (!gelf_getsym(data, static_cast<int>(i), &symbol) || symbol.st_shndx == SHN_UNDEF) continue;
                int type = GELF_ST_TYPE(symbol.st_info);
                if (type != STT_FUNC && type != STT_OBJECT) continue;
                const char* name = elf_strptr(elf, header.sh_link, symbol.st_name);
                if (name && *name) symbols_.push_back(Symbol{name, symbol.st_value, symbol.st_size, type == STT_FUNC});
            }
        }
        if (!symbols_.empty()) break;
    }
    if (elf) elf_end(elf);
    close(fd);
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
