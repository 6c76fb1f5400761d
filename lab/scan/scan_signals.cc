// scan_signals.cc — times, sizes, segments and private pages: what says a mapped file changed.
#include "scan/scan_signals.h"

#include <elf.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <sstream>

#include "base/files.h"
#include "base/text.h"
#include "system/elf_file.h"
#include "system/leftovers.h"

namespace lab {

namespace {

std::int64_t ns_of(const struct timespec& time) { return static_cast<std::int64_t>(time.tv_sec) * 1000000000 + time.tv_nsec; }

std::uint64_t page_size() { return static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)); }
std::uint64_t page_down(std::uint64_t value) { return value & ~(page_size() - 1); }
std::uint64_t page_up(std::uint64_t value) { return page_down(value + page_size() - 1); }

// "12:03:04.512", local time, for a sentence.
std::string clock_time(std::int64_t ns)
{
    const time_t seconds = static_cast<time_t>(ns / 1000000000);
    struct tm local;
    localtime_r(&seconds, &local);
    return format("%02d:%02d:%02d.%03d", local.tm_hour, local.tm_min, local.tm_sec, static_cast<int>(ns / 1000000 % 1000));
}

// A stretch of address space mapped from the file: [start, end) from `offset`, executable or not.
struct Piece {
    std::uint64_t start = 0, end = 0, offset = 0;
    bool executable = false;
};

// Where the loader would map each PT_LOAD of the file now, at `base`; adjacent ones that the
// kernel would show as one line (contiguous in memory and in the file, same x) merged.
std::vector<Piece> expected_pieces(const std::vector<ElfFile::ProgramHeader>& loads, std::uint64_t base)
{
    std::vector<Piece> pieces;
    for (const auto& load : loads) {
        if (load.file_size == 0) continue;
        Piece piece{base + page_down(load.vaddr), base + page_up(load.vaddr + load.file_size), page_down(load.offset),
                    (load.flags & PF_X) != 0};
        if (!pieces.empty() && pieces.back().end == piece.start && pieces.back().executable == piece.executable &&
            piece.offset - pieces.back().offset == piece.start - pieces.back().start)
            pieces.back().end = piece.end;
        else
            pieces.push_back(piece);
    }
    return pieces;
}

std::string describe(const MapsLine& line)
{
    return format("%lx-%lx (%s, offset 0x%lx)", static_cast<unsigned long>(line.start), static_cast<unsigned long>(line.end),
                  line.perms.c_str(), static_cast<unsigned long>(line.offset));
}

// The Anonymous and Swap kB of the process's mappings of `file` inside [start, end) (smaps).
std::optional<long> private_kb(pid_t pid, const MappedFile& file, std::uint64_t start, std::uint64_t end)
{
    std::string smaps;
    try {
        smaps = read_file("/proc/" + std::to_string(pid) + "/smaps");
    } catch (const std::system_error&) {
        return std::nullopt;
    }
    std::optional<long> total;
    bool inside = false;
    for (const auto& text : split_lines(smaps)) {
        if (auto line = parse_maps_line(text); line && text.find(':') > text.find(' ')) {
            inside = line->path == file.path && line->inode == file.inode && line->start >= start && line->end <= end;
            if (inside && !total) total = 0;
            continue;
        }
        long kb = 0;
        if (inside && (std::sscanf(text.c_str(), "Anonymous: %ld kB", &kb) == 1 || std::sscanf(text.c_str(), "Swap: %ld kB", &kb) == 1))
            *total += kb;
    }
    return total;
}

// Truncation takes even the private copies of the pages (Linux's truncate_pagecache): the RELRO
// pages the loader wrote relocations into are then the file's again, with no anonymous page left.
std::optional<ScanEvidence> private_pages_gone(const std::string& path, const MappedFile& file, pid_t pid)
{
    ElfFile elf(path);
    if (!elf.ok()) return std::nullopt;
    auto relro = elf.program_headers(PT_GNU_RELRO);
    auto loads = elf.program_headers(PT_LOAD);
    if (relro.empty() || loads.empty()) return std::nullopt;
    const std::uint64_t from = relro.front().vaddr, to = relro.front().vaddr + relro.front().mem_size;
    const auto relocations = elf.relocations();
    if (std::none_of(relocations.begin(), relocations.end(), [&](const auto& one) { return one.offset >= from && one.offset < to; }))
        return std::nullopt;  // nothing the loader writes there: no private copy to lose
    const std::uint64_t base = file.lines.front().start - page_down(loads.front().vaddr);
    std::optional<long> kb = private_kb(pid, file, base + page_down(from), base + page_down(to));
    if (!kb || *kb > 0) return std::nullopt;
    return ScanEvidence{"private-pages", "likely",
                        "its relocated pages (RELRO, " + std::to_string((page_down(to) - page_down(from)) / 1024) +
                            " KiB) hold no private copy any more: a truncation took them, and they read the file's new bytes"};
}

}  // namespace

std::int64_t clock_tick_ns() { return 1000000000 / sysconf(_SC_CLK_TCK); }

std::int64_t process_start_ns(pid_t pid)
{
    const std::string ticks = start_time(pid);
    if (ticks.empty()) return 0;
    struct timespec real, boot;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    return ns_of(real) - ns_of(boot) + static_cast<std::int64_t>(std::stoull(ticks)) * clock_tick_ns();
}

std::string layout_difference(const std::string& path, const MappedFile& file)
{
    ElfFile elf(path);
    if (!elf.ok()) return "it is not an ELF file any more: " + elf.error();
    auto loads = elf.program_headers(PT_LOAD);
    if (loads.empty()) return "it has no PT_LOAD segment any more";
    std::sort(loads.begin(), loads.end(), [](const auto& a, const auto& b) { return a.vaddr < b.vaddr; });
    std::vector<MapsLine> lines = file.lines;
    std::sort(lines.begin(), lines.end(), [](const MapsLine& a, const MapsLine& b) { return a.start < b.start; });
    const std::vector<Piece> pieces = expected_pieces(loads, lines.front().start - page_down(loads.front().vaddr));
    for (const auto& line : lines) {
        if (line.perms.rfind("---", 0) == 0) continue;  // a hole between segments, reserved by the loader (PROT_NONE)
        const bool executable = line.perms.find('x') != std::string::npos;
        const bool fits = std::any_of(pieces.begin(), pieces.end(), [&](const Piece& piece) {
            return piece.start <= line.start && line.end <= piece.end && line.start - piece.start == line.offset - piece.offset &&
                   executable == piece.executable;
        });
        if (!fits) return "the mapping " + describe(line) + " is not where the file's PT_LOAD segments put it now";
    }
    for (const auto& piece : pieces) {
        std::uint64_t covered = 0;
        for (const auto& line : lines)
            if (line.start >= piece.start && line.end <= piece.end) covered += line.end - line.start;
        if (covered != piece.end - piece.start)
            return format("the file's segment at offset 0x%lx (0x%lx bytes) is not what the process mapped there",
                          static_cast<unsigned long>(piece.offset), static_cast<unsigned long>(piece.end - piece.start));
    }
    return "";
}

std::vector<ScanEvidence> modification_signals(const std::string& path, const MappedFile& file, const struct stat& st,
                                               std::int64_t start_ns, pid_t pid)
{
    std::vector<ScanEvidence> evidence;
    const std::int64_t after = start_ns + clock_tick_ns(), changed = ns_of(st.st_ctim), written = ns_of(st.st_mtim);
    if (start_ns == 0 || changed < after) return evidence;
    std::uint64_t mapped_to = 0;
    for (const auto& line : file.lines) mapped_to = std::max(mapped_to, line.offset + (line.end - line.start));
    if (static_cast<std::uint64_t>(st.st_size) + page_size() <= mapped_to)
        evidence.push_back({"shorter", "certain",
                            format("the file is %lld bytes now, the process maps %llu: touching the pages past its end raises SIGBUS",
                                   static_cast<long long>(st.st_size), static_cast<unsigned long long>(mapped_to))});
    const std::string moved = layout_difference(path, file);
    if (!moved.empty()) evidence.push_back({"layout", "certain", moved});
    if (moved.empty())
        if (auto gone = private_pages_gone(path, file, pid)) evidence.push_back(*gone);
    if (written >= after)
        evidence.push_back({"mtime", "possible", "written at " + clock_time(written) + ", after the process started (" + clock_time(start_ns) + ")"});
    else
        evidence.push_back({"ctime", "possible",
                            "its inode changed at " + clock_time(changed) + ", after the process started (" + clock_time(start_ns) +
                                "), though its mtime is older: chmod, a new link, or a write whose mtime was set back"});
    return evidence;
}

}  // namespace lab
