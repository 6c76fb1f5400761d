// elf_file.cc — libelf's open, walk and close, written once.
#include "system/elf_file.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace lab {

namespace {

Elf* as_elf(void* elf) { return static_cast<Elf*>(elf); }

}  // namespace

ElfFile::ElfFile(const std::string& path) : path_(path)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        error_ = "libelf is out of date: " + std::string(elf_errmsg(-1));
        return;
    }
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        error_ = "cannot open " + path + ": " + std::strerror(errno);
        return;
    }
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    if (!elf_ || elf_kind(as_elf(elf_)) != ELF_K_ELF) error_ = path + " is not an ELF file" + (elf_ ? "" : ": " + std::string(elf_errmsg(-1)));
}

ElfFile::~ElfFile()
{
    if (elf_) elf_end(as_elf(elf_));
    if (fd_ >= 0) close(fd_);
}

std::vector<ElfFile::ProgramHeader> ElfFile::program_headers(std::uint32_t type) const
{
    std::vector<ProgramHeader> headers;
    size_t count = 0;
    if (!ok() || elf_getphdrnum(as_elf(elf_), &count) != 0) return headers;
    for (size_t i = 0; i < count; ++i) {
        GElf_Phdr header;
        if (!gelf_getphdr(as_elf(elf_), static_cast<int>(i), &header) || header.p_type != type) continue;
        headers.push_back({header.p_type, header.p_flags, header.p_offset, header.p_vaddr, header.p_filesz, header.p_memsz});
    }
    return headers;
}

std::optional<std::string> ElfFile::read(std::uint64_t offset, std::uint64_t size) const
{
    std::string bytes(size, '\0');
    if (!ok() || pread(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset)) != static_cast<ssize_t>(size)) return std::nullopt;
    return bytes;
}

std::vector<ElfFile::Symbol> ElfFile::symbols(std::uint32_t section_type) const
{
    std::vector<Symbol> symbols;
    Elf* elf = as_elf(elf_);
    for (Elf_Scn* section = ok() ? elf_nextscn(elf, nullptr) : nullptr; section; section = elf_nextscn(elf, section)) {
        GElf_Shdr header;
        if (!gelf_getshdr(section, &header) || header.sh_type != section_type || header.sh_entsize == 0) continue;
        Elf_Data* data = elf_getdata(section, nullptr);
        for (size_t i = 0; data && i < header.sh_size / header.sh_entsize; ++i) {
            GElf_Sym symbol;
            if (!gelf_getsym(data, static_cast<int>(i), &symbol) || symbol.st_shndx == SHN_UNDEF) continue;
            const char* name = elf_strptr(elf, header.sh_link, symbol.st_name);
            if (name && *name) symbols.push_back({name, symbol.st_value, symbol.st_size, GELF_ST_TYPE(symbol.st_info)});
        }
    }
    return symbols;
}

std::vector<ElfFile::Relocation> ElfFile::relocations() const
{
    std::vector<Relocation> relocations;
    Elf* elf = as_elf(elf_);
    for (Elf_Scn* section = ok() ? elf_nextscn(elf, nullptr) : nullptr; section; section = elf_nextscn(elf, section)) {
        GElf_Shdr header, symbols_header;
        if (!gelf_getshdr(section, &header) || header.sh_type != SHT_RELA || header.sh_entsize == 0) continue;
        Elf_Scn* symbols = elf_getscn(elf, header.sh_link);
        if (!symbols || !gelf_getshdr(symbols, &symbols_header)) continue;
        Elf_Data* data = elf_getdata(section, nullptr);
        Elf_Data* symbol_data = elf_getdata(symbols, nullptr);
        for (size_t i = 0; data && symbol_data && i < header.sh_size / header.sh_entsize; ++i) {
            GElf_Rela rela;
            GElf_Sym symbol;
            if (!gelf_getrela(data, static_cast<int>(i), &rela) ||
                !gelf_getsym(symbol_data, static_cast<int>(GELF_R_SYM(rela.r_info)), &symbol))
                continue;
            const char* name = elf_strptr(elf, symbols_header.sh_link, symbol.st_name);
            relocations.push_back({rela.r_offset, static_cast<std::uint32_t>(GELF_R_TYPE(rela.r_info)), name ? name : ""});
        }
    }
    return relocations;
}

std::optional<std::string> interpreter_of(const std::string& executable, std::string* why_not)
{
    ElfFile file(executable);
    auto headers = file.program_headers(PT_INTERP);
    auto text = headers.empty() ? std::nullopt : file.read(headers.front().offset, headers.front().file_size);
    if (!text) {
        if (why_not) *why_not = !file.ok() ? file.error() : headers.empty() ? "no PT_INTERP found" : "its PT_INTERP cannot be read";
        return std::nullopt;
    }
    const std::string interpreter = text->c_str();
    std::error_code error;
    auto resolved = std::filesystem::canonical(interpreter, error);
    return error ? interpreter : resolved.string();
}

}  // namespace lab
