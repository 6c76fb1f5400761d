// observation.cc — pages, smaps, faults and page cache of one host at one moment.
#include "inspect/observation.h"

#include <algorithm>
#include <map>

#include "common/crash_record.h"
#include "base/json_values.h"

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

nlohmann::ordered_json pages_json(const ObserveRequest& request, std::string* sentence)
{
    std::vector<PageInfo> pages = pages_of(request.pid, request.lines);
    auto base = load_base(request.lines);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    int present = 0;
    for (const auto& page : pages) {
        std::uint64_t relative = base ? page.address - *base : page.address;
        auto writable = in_writable_segment(request.segments, relative);
        present += page.present;
        list.push_back({{"address", hex_address(page.address)},
                        {"relative", hex_address(relative)},
                        {"offset", hex_address(page.file_offset)},
                        {"perms", page.perms},
                        {"segment", writable ? nlohmann::ordered_json(*writable ? "writable" : "readonly") : nullptr},
                        {"present", page.present},
                        {"frame", or_null(page.frame)}});
    }
    *sentence += "present in the process: " + std::to_string(present) + " of its " + std::to_string(pages.size()) +
                 " libfoo pages (# present), by mapping:";
    for (const auto& line : request.lines)
        *sentence += "\n" + line.perms + "@" + hex_address(line.offset) + after_label(present_map(pages, line));
    return list;
}

}  // namespace

nlohmann::ordered_json observe(const ObserveRequest& request, std::string* sentence)
{
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    std::vector<std::string> parts;
    if (wants(request, "faults")) {
        auto faults = faults_of(request.pid);
        json["faults"] = faults ? nlohmann::ordered_json{{"minor", faults->minor}, {"major", faults->major}}
                                : nlohmann::ordered_json(nullptr);
        if (faults)
            parts.push_back("page faults so far: " + std::to_string(faults->minor) + " minor, " +
                            std::to_string(faults->major) + " major.");
    }
    if (wants(request, "page_cache")) {
        auto cached = page_cache_map(request.library);
        if (cached) {
            long resident = std::count(cached->begin(), cached->end(), '#');
            json["page_cache"] = {{"file_pages", cached->size()}, {"resident_pages", resident}, {"resident", *cached}};
            std::string text = "in the page cache: " + std::to_string(resident) + " of libfoo.so's " +
                               std::to_string(cached->size()) + " pages";
            text += cached->size() <= 1024 ? " (# cached):" + after_label(*cached) : ".";
            parts.push_back(text);
        } else {
            json["page_cache"] = nullptr;
        }
    }
    if (wants(request, "smaps")) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        long rss = 0, pss = 0;
        for (const auto& figures : smaps_of(request.pid, request.lines)) {
            list.push_back(figures.to_json());
            rss += figures.rss;
            pss += figures.pss;
        }
        json["smaps"] = list;
        parts.push_back("smaps: Rss " + std::to_string(rss) + " kB, Pss " + std::to_string(pss) + " kB.");
    }
    if (wants(request, "pages")) {
        std::string text;
        json["pages"] = pages_json(request, &text);
        parts.push_back(text);
    }
    for (const auto& part : parts) *sentence += "\n" + part;
    return json;
}

nlohmann::ordered_json sharing_summary(const nlohmann::ordered_json& first, const nlohmann::ordered_json& second)
{
    std::map<std::string, const nlohmann::ordered_json*> by_address;
    for (const auto& page : second["pages"]) by_address[page["relative"].get<std::string>()] = &page;
    long compared[2] = {0, 0}, same[2] = {0, 0};  // [0] read-only, [1] writable
    bool frames_visible = true;
    for (const auto& page : first["pages"]) {
        auto other = by_address.find(page["relative"].get<std::string>());
        if (other == by_address.end() || page["segment"].is_null() || !page["present"].get<bool>() ||
            !(*other->second)["present"].get<bool>())
            continue;
        int kind = page["segment"] == "writable" ? 1 : 0;
        ++compared[kind];
        if (page["frame"].is_null() || (*other->second)["frame"].is_null()) {
            frames_visible = false;
            continue;
        }
        same[kind] += page["frame"] == (*other->second)["frame"];
    }
    nlohmann::ordered_json json = {{"frames_visible", frames_visible},
                                   {"readonly_pages_compared", compared[0]},
                                   {"readonly_pages_same_frame", frames_visible ? nlohmann::ordered_json(same[0]) : nullptr},
                                   {"writable_pages_compared", compared[1]},
                                   {"writable_pages_same_frame", frames_visible ? nlohmann::ordered_json(same[1]) : nullptr}};
    if (!frames_visible)
        json["reason"] = "physical frame numbers in /proc/PID/pagemap are shown only to CAP_SYS_ADMIN (root) since Linux 4.2";
    return json;
}

}  // namespace lab
