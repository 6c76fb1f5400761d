// elf_file.h — an ELF file read through elfutils' libelf: its program headers, symbols and
// relocations. Opened once, closed when the object goes; when it cannot be read, error() says why
// ("cannot open ...: No such file or directory", "... is not an ELF file").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lab {

class ElfFile {
public:
    explicit ElfFile(const std::string& path);
    ~ElfFile();
    ElfFile(const ElfFile&) = delete;
    ElfFile& operator=(const ElfFile&) = delete;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }

    struct ProgramHeader {
        std::uint32_t type = 0, flags = 0;  // PT_LOAD..., PF_W...
        std::uint64_t offset = 0, vaddr = 0, file_size = 0, mem_size = 0;
    };
    std::vector<ProgramHeader> program_headers(std::uint32_t type) const;  // those of one type (PT_LOAD)
    // `size` bytes at `offset` of the file; nullopt when they cannot all be read.
    std::optional<std::string> read(std::uint64_t offset, std::uint64_t size) const;

    struct Symbol {
        std::string name;
        std::uint64_t value = 0, size = 0;
        int type = 0;  // STT_FUNC, STT_OBJECT...
    };
    // The defined, named symbols of the sections of `section_type` (SHT_SYMTAB, SHT_DYNSYM).
    std::vector<Symbol> symbols(std::uint32_t section_type) const;

    struct Relocation {
        std::uint64_t offset = 0;  // where it writes (a GOT slot's address)
        std::uint32_t type = 0;    // R_X86_64_JUMP_SLOT...
        std::string symbol;
    };
    std::vector<Relocation> relocations() const;  // of every SHT_RELA section

private:
    std::string path_;
    int fd_ = -1;
    void* elf_ = nullptr;  // Elf*, kept out of this header
    std::string error_;
};

// The ELF interpreter an executable names (PT_INTERP, through libelf), with symlinks resolved;
// nullopt when there is none or it cannot be read, and `why_not` says which.
std::optional<std::string> interpreter_of(const std::string& executable, std::string* why_not = nullptr);

}  // namespace lab
