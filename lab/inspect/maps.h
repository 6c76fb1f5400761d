// maps.h — libfoo's lines in /proc/PID/maps.
//
// Lines are *found* by path (anything mapped from the run's sandbox is libfoo, the only file
// there a host maps) and *judged* by identity: the device and inode the kernel prints, and the
// " (deleted)" mark it adds once the mapped file has no name any more.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "system/file_identity.h"

namespace lab {

struct MapsLine {
    std::string text;  // the line as the kernel wrote it
    std::uint64_t start = 0, end = 0;
    std::string perms;
    std::uint64_t offset = 0;
    std::string device;  // "fd:01"
    std::uint64_t inode = 0;
    std::string path;    // without the " (deleted)" mark
    bool deleted = false;

    bool is_file(const FileIdentity& identity) const;
};

std::optional<MapsLine> parse_maps_line(const std::string& text);
// Every line of /proc/PID/maps; empty when the process is gone.
std::vector<MapsLine> all_mappings(pid_t pid);
// The lines among `lines` whose path lies in `dir`.
std::vector<MapsLine> lines_under(const std::vector<MapsLine>& lines, const std::string& dir);
// The lines of /proc/PID/maps whose path lies in `dir`; empty when the process is gone.
std::vector<MapsLine> mappings_under(pid_t pid, const std::string& dir);
// Whether the first page `line` maps in process `pid` (read through /proc/PID/mem) holds the
// same bytes as the file at `path` does now, at that offset; nullopt when either cannot be read.
// The read faults that page into the process: use it only where identity cannot be trusted
// (overlayfs reports the lower file's inode number for its copy-up).
std::optional<bool> mapped_page_matches_file(pid_t pid, const MapsLine& line, const std::string& path);
// Up to `length` bytes of the process's memory at `address` (/proc/PID/mem; faults the pages in,
// so not for pages whose presence is being observed); nullopt when it cannot be read.
std::optional<std::string> read_process_memory(pid_t pid, std::uint64_t address, std::size_t length);

}  // namespace lab
