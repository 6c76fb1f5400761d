// plt_slots.cc — .rela.plt through libelf, slot values through /proc/PID/mem.
#include "inspect/plt_slots.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <system_error>

#include "inspect/maps.h"

namespace lab {

PltSlots::PltSlots(const std::string& executable) : executable_(executable)
{
    if (elf_version(EV_CURRENT) == EV_NONE) return;
    int fd = open(executable.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
    for (Elf_Scn* section = elf ? elf_nextscn(elf, nullptr) : nullptr; section; section = elf_nextscn(elf, section)) {
        GElf_Shdr header;
        if (!gelf_getshdr(section, &header) || header.sh_type != SHT_RELA || header.sh_entsize == 0) continue;
        Elf_Scn* symbols = elf_getscn(elf, header.sh_link);
        GElf_Shdr symbols_header;
        if (!symbols || !gelf_getshdr(symbols, &symbols_header)) continue;
        Elf_Data* relocations = elf_getdata(section, nullptr);
        Elf_Data* symbol_data = elf_getdata(symbols, nullptr);
        for (size_t i = 0; relocations && symbol_data && i < header.sh_size / header.sh_entsize; ++i) {
            GElf_Rela rela;
            GElf_Sym symbol;
            if (!gelf_getrela(relocations, static_cast<int>(i), &rela) || GELF_R_TYPE(rela.r_info) != R_X86_64_JUMP_SLOT ||
                !gelf_getsym(symbol_data, static_cast<int>(GELF_R_SYM(rela.r_info)), &symbol))
                continue;
            const char* name = elf_strptr(elf, symbols_header.sh_link, symbol.st_name);
            int chapter = 0;
            if (name && std::sscanf(name, "foo_chapter%d", &chapter) == 1) slots_[chapter] = rela.r_offset;
        }
    }
    if (elf) elf_end(elf);
    close(fd);
}

std::map<int, std::uint64_t> PltSlots::read(pid_t pid, std::uint64_t base) const
{
    std::map<int, std::uint64_t> values;
    int fd = open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return values;
    for (const auto& [chapter, slot] : slots_) {
        std::uint64_t value = 0;
        if (pread(fd, &value, sizeof value, static_cast<off_t>(base + slot)) == sizeof value) values[chapter] = value;
    }
    close(fd);
    return values;
}

std::optional<std::uint64_t> executable_base(const std::vector<MapsLine>& lines, const std::string& path)
{
    for (const auto& line : lines)
        if (line.offset == 0 && line.path == path) return line.start;
    return std::nullopt;
}

std::optional<std::uint64_t> executable_base(pid_t pid, const std::string& path)
{
    std::error_code error;
    return executable_base(all_mappings(pid), std::filesystem::canonical(path, error).string());
}

}  // namespace lab
