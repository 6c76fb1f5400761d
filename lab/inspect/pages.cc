// pages.cc — pagemap, smaps, stat, mincore, fadvise, and libelf's program headers.
#include "inspect/pages.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <system_error>

#include "base/files.h"
#include "system/elf_file.h"
#include "system/sandbox.h"

namespace lab {

namespace {

constexpr std::uint64_t pagemap_present = 1ULL << 63;
constexpr std::uint64_t pagemap_frame_mask = (1ULL << 55) - 1;

std::string proc(pid_t pid, const char* file) { return "/proc/" + std::to_string(pid) + "/" + file; }

}  // namespace

std::vector<PageInfo> pages_of(pid_t pid, const std::vector<MapsLine>& lines)
{
    std::vector<PageInfo> pages;
    int fd = open(proc(pid, "pagemap").c_str(), O_RDONLY | O_CLOEXEC);
    for (const auto& line : lines) {
        std::uint64_t count = (line.end - line.start) / page_size;
        std::vector<std::uint64_t> entries(count, 0);
        if (fd >= 0) {
            ssize_t got = pread(fd, entries.data(), count * sizeof(std::uint64_t),
                                static_cast<off_t>(line.start / page_size * sizeof(std::uint64_t)));
            if (got < 0) entries.assign(count, 0);
        }
        for (std::uint64_t i = 0; i < count; ++i) {
            PageInfo page;
            page.address = line.start + i * page_size;
            page.file_offset = line.offset + i * page_size;
            page.perms = line.perms;
            page.present = entries[i] & pagemap_present;
            std::uint64_t frame = entries[i] & pagemap_frame_mask;
            if (page.present && frame != 0) page.frame = frame;  // 0: hidden from us
            pages.push_back(page);
        }
    }
    if (fd >= 0) close(fd);
    return pages;
}

std::string present_map(const std::vector<PageInfo>& pages, const MapsLine& line)
{
    std::string map;
    for (const auto& page : pages)
        if (page.address >= line.start && page.address < line.end) map += page.present ? '#' : '.';
    return map;
}

std::vector<SmapsFigures> smaps_of(pid_t pid, const std::vector<MapsLine>& lines)
{
    std::vector<SmapsFigures> result;
    std::string text;
    try {
        text = read_file(proc(pid, "smaps"));
    } catch (const std::system_error&) {
        return result;
    }
    std::istringstream stream(text);
    std::string entry;
    SmapsFigures* current = nullptr;
    while (std::getline(stream, entry)) {
        if (auto header = parse_maps_line(entry); header && entry.find(':') > entry.find(' ')) {
            current = nullptr;
            for (const auto& line : lines)
                if (line.start == header->start) {
                    result.push_back(SmapsFigures{line.text});
                    current = &result.back();
                }
            continue;
        }
        if (!current) continue;
        char key[64];
        long value = 0;
        if (std::sscanf(entry.c_str(), "%63[^:]: %ld kB", key, &value) != 2) continue;
        std::string name = key;
        if (name == "Rss") current->rss = value;
        else if (name == "Pss") current->pss = value;
        else if (name == "Shared_Clean") current->shared_clean = value;
        else if (name == "Shared_Dirty") current->shared_dirty = value;
        else if (name == "Private_Clean") current->private_clean = value;
        else if (name == "Private_Dirty") current->private_dirty = value;
        else if (name == "Anonymous") current->anonymous = value;
    }
    return result;
}

std::optional<FaultCounts> faults_of(pid_t pid)
{
    std::string text;
    try {
        text = read_file(proc(pid, "stat"));
    } catch (const std::system_error&) {
        return std::nullopt;
    }
    // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt ..."
    size_t close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    FaultCounts counts;
    char state;
    long skip;
    if (std::sscanf(text.c_str() + close + 1, " %c %ld %ld %ld %ld %ld %ld %ld %ld %ld", &state, &skip, &skip, &skip,
                    &skip, &skip, &skip, &counts.minor, &skip, &counts.major) != 10)
        return std::nullopt;
    return counts;
}

std::optional<std::string> page_cache_map(const std::string& path)
{
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st;
    std::optional<std::string> map;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        size_t length = static_cast<size_t>(st.st_size);
        // Mapping the file faults nothing in; mincore only reports what the page cache holds.
        void* mapped = mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
        if (mapped != MAP_FAILED) {
            std::vector<unsigned char> resident((length + page_size - 1) / page_size);
            if (mincore(mapped, length, resident.data()) == 0) {
                map.emplace();
                for (unsigned char bit : resident) *map += (bit & 1) ? '#' : '.';
            }
            munmap(mapped, length);
        }
    } else if (st.st_size == 0) {
        map.emplace();
    }
    close(fd);
    return map;
}

std::string evict_from_page_cache(const std::string& path)
{
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return path + ": " + std::strerror(errno);
    std::string error;
    // Dirty pages are not dropped, so write them back first; pages a process maps stay.
    if (fdatasync(fd) != 0) error = "fdatasync: " + std::string(std::strerror(errno));
    else if (int code = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED); code != 0)
        error = "posix_fadvise: " + std::string(std::strerror(code));
    close(fd);
    return error;
}

std::vector<Segment> load_segments(const std::string& path, std::string* why_not)
{
    ElfFile file(path);
    if (why_not) *why_not = file.error();
    std::vector<Segment> segments;
    for (const auto& load : file.program_headers(PT_LOAD))
        segments.push_back(Segment{load.offset, load.file_size, load.vaddr, load.mem_size, (load.flags & PF_W) != 0});
    return segments;
}

std::optional<bool> in_writable_segment(const std::vector<Segment>& segments, std::uint64_t relative)
{
    for (const auto& segment : segments) {
        std::uint64_t first = segment.vaddr / page_size * page_size;
        std::uint64_t last = segment.vaddr + segment.mem_size;
        if (relative >= first && relative < last) return segment.writable;
    }
    return std::nullopt;
}

std::optional<std::uint64_t> load_base(const std::vector<MapsLine>& lines)
{
    for (const auto& line : lines)
        if (line.offset == 0) return line.start;
    return std::nullopt;
}

}  // namespace lab
