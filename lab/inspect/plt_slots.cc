// plt_slots.cc — .rela.plt through libelf, slot values through /proc/PID/mem.
#include "inspect/plt_slots.h"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "inspect/maps.h"
#include "system/elf_file.h"

namespace lab {

PltSlots::PltSlots(const std::string& executable) : executable_(executable)
{
    ElfFile file(executable);
    error_ = file.error();
    for (const auto& relocation : file.relocations()) {
        int chapter = 0;
        if (relocation.type == R_X86_64_JUMP_SLOT && std::sscanf(relocation.symbol.c_str(), "foo_chapter%d", &chapter) == 1)
            slots_[chapter] = relocation.offset;
    }
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
