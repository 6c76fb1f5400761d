// maps.cc — reading and parsing /proc/PID/maps.
#include "inspect/maps.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <sstream>
#include <system_error>

#include "base/files.h"
#include "system/sandbox.h"

namespace lab {

namespace {

constexpr const char deleted_mark[] = " (deleted)";

}  // namespace

bool MapsLine::is_file(const FileIdentity& identity) const
{
    return device == identity.device() && inode == identity.ino;
}

std::optional<MapsLine> parse_maps_line(const std::string& text)
{
    MapsLine line;
    line.text = text;
    char perms[8] = {}, device[16] = {};
    int path_at = -1;
    if (std::sscanf(text.c_str(), "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %15s %" SCNu64 " %n", &line.start,
                    &line.end, perms, &line.offset, device, &line.inode, &path_at) < 6)
        return std::nullopt;
    line.perms = perms;
    line.device = device;
    if (path_at > 0 && static_cast<size_t>(path_at) <= text.size()) line.path = text.substr(path_at);
    const size_t mark = sizeof deleted_mark - 1;
    if (line.path.size() > mark && line.path.compare(line.path.size() - mark, mark, deleted_mark) == 0) {
        line.deleted = true;
        line.path.resize(line.path.size() - mark);
    }
    return line;
}

std::vector<MapsLine> all_mappings(pid_t pid)
{
    std::vector<MapsLine> lines;
    std::string text;
    try {
        text = read_file("/proc/" + std::to_string(pid) + "/maps");
    } catch (const std::system_error&) {
        return lines;
    }
    std::istringstream stream(text);
    std::string entry;
    while (std::getline(stream, entry))
        if (auto line = parse_maps_line(entry)) lines.push_back(*line);
    return lines;
}

std::vector<MapsLine> lines_under(const std::vector<MapsLine>& lines, const std::string& dir)
{
    std::vector<MapsLine> under;
    const std::string prefix = dir + "/";
    for (const auto& line : lines)
        if (line.path.compare(0, prefix.size(), prefix) == 0) under.push_back(line);
    return under;
}

std::vector<MapsLine> mappings_under(pid_t pid, const std::string& dir) { return lines_under(all_mappings(pid), dir); }

std::optional<std::string> read_process_memory(pid_t pid, std::uint64_t address, std::size_t length)
{
    int mem = open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
    if (mem < 0) return std::nullopt;
    std::string bytes(length, '\0');
    ssize_t got = pread(mem, bytes.data(), length, static_cast<off_t>(address));
    close(mem);
    if (got < 0) return std::nullopt;
    bytes.resize(static_cast<std::size_t>(got));
    return bytes;
}

std::optional<bool> mapped_page_matches_file(pid_t pid, const MapsLine& line, const std::string& path)
{
    const size_t size = static_cast<size_t>(std::min<std::uint64_t>(line.end - line.start, 4096));
    std::string mapped(size, '\0'), file(size, '\0');
    int mem = open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
    if (mem < 0) return std::nullopt;
    ssize_t got = pread(mem, mapped.data(), size, static_cast<off_t>(line.start));
    close(mem);
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    ssize_t read_back = pread(fd, file.data(), size, static_cast<off_t>(line.offset));
    close(fd);
    if (got != static_cast<ssize_t>(size) || read_back < 0) return std::nullopt;
    return read_back == got && mapped == file;
}

}  // namespace lab
