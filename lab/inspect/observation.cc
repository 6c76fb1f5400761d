// observation.cc — pages, smaps, faults and page cache of one host at one moment.
#include "inspect/observation.h"

#include <algorithm>
#include <map>

#include "common/crash_record.h"

namespace lab {

namespace {

constexpr size_t row_pages = 64;  // one transcript row: 4 of the paged edition's chapters

// A page map after its label: on the same line when short, else folded into rows of 64 pages
// on the lines below (an 80-column transcript).
std::string after_label(const std::string& map)
{
    if (map.size() <= row_pages) return " " + map;
    std::string text;
    for (size_t at = 0; at < map.size(); at += row_pages) text += "\n" + map.substr(at, row_pages);
    return text;
}

bool wants(const ObserveRequest& request, const char* thing)
{
    return std::find(request.what.begin(), request.what.end(), thing) != request.what.end();
}

std::vector<PageRecord> page_records(const ObserveRequest& request, std::string* sentence)
{
    std::vector<PageInfo> pages = pages_of(request.pid, request.lines);
    auto base = load_base(request.lines);
    std::vector<PageRecord> records;
    int present = 0;
    for (const auto& page : pages) {
        std::uint64_t relative = base ? page.address - *base : page.address;
        present += page.present;
        records.push_back({page.address, relative, page.file_offset, page.perms,
                           in_writable_segment(request.segments, relative), page.present, page.frame});
    }
    *sentence += "present in the process: " + std::to_string(present) + " of its " + std::to_string(pages.size()) +
                 " libfoo pages (# present), by mapping:";
    for (const auto& line : request.lines)
        *sentence += "\n" + line.perms + "@" + hex_address(line.offset) + after_label(present_map(pages, line));
    return records;
}

}  // namespace

void observe(const ObserveRequest& request, Observation* observation, std::string* sentence)
{
    std::vector<std::string> parts;
    if (wants(request, "faults")) {
        auto faults = faults_of(request.pid);
        observation->faults = faults;
        if (faults)
            parts.push_back("page faults so far: " + std::to_string(faults->minor) + " minor, " +
                            std::to_string(faults->major) + " major.");
    }
    if (wants(request, "page_cache")) {
        auto cached = page_cache_map(request.library);
        observation->page_cache = std::optional<PageCacheView>();
        if (cached) {
            long resident = std::count(cached->begin(), cached->end(), '#');
            *observation->page_cache = PageCacheView{cached->size(), resident, *cached};
            std::string text = "in the page cache: " + std::to_string(resident) + " of libfoo.so's " +
                               std::to_string(cached->size()) + " pages";
            text += cached->size() <= 1024 ? " (# cached):" + after_label(*cached) : ".";
            parts.push_back(text);
        }
    }
    if (wants(request, "smaps")) {
        observation->smaps = smaps_of(request.pid, request.lines);
        long rss = 0, pss = 0;
        for (const auto& figures : *observation->smaps) {
            rss += figures.rss;
            pss += figures.pss;
        }
        parts.push_back("smaps: Rss " + std::to_string(rss) + " kB, Pss " + std::to_string(pss) + " kB.");
    }
    if (wants(request, "pages")) {
        std::string text;
        observation->pages = page_records(request, &text);
        parts.push_back(text);
    }
    for (const auto& part : parts) *sentence += "\n" + part;
}

Sharing sharing_summary(const std::vector<PageRecord>& first, const std::vector<PageRecord>& second)
{
    std::map<std::uint64_t, const PageRecord*> by_address;
    for (const auto& page : second) by_address[page.relative] = &page;
    long compared[2] = {0, 0}, same[2] = {0, 0};  // [0] read-only, [1] writable
    bool frames_visible = true;
    for (const auto& page : first) {
        auto other = by_address.find(page.relative);
        if (other == by_address.end() || !page.writable_segment || !page.present || !other->second->present) continue;
        int kind = *page.writable_segment ? 1 : 0;
        ++compared[kind];
        if (!page.frame || !other->second->frame) {
            frames_visible = false;
            continue;
        }
        same[kind] += *page.frame == *other->second->frame;
    }
    Sharing sharing;
    sharing.frames_visible = frames_visible;
    sharing.readonly_compared = compared[0];
    sharing.writable_compared = compared[1];
    if (frames_visible) {
        sharing.readonly_same_frame = same[0];
        sharing.writable_same_frame = same[1];
    } else {
        sharing.reason = "physical frame numbers in /proc/PID/pagemap are shown only to CAP_SYS_ADMIN (root) since Linux 4.2";
    }
    return sharing;
}

}  // namespace lab
