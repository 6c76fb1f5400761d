// result_view.cc — a result file read into what a report shows. Fields are reached through
// lookup(), which names the field of a wrong type; what a result may lack is optional here too.
#include "pages/result_view.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "input/input_error.h"
#include "input/json_input.h"
#include "pages/json_reader.h"

namespace lab {

namespace {

using json = nlohmann::ordered_json;

figures::Book book_of(const Reader& r, const json& run, const std::string& which, const std::string& role)
{
    figures::Book book;
    const std::string at = "libraries." + which;
    book.title = r.text(run, at + ".variant") + ", " + role;
    const json& functions = r.array(run, at + ".functions");
    for (size_t i = 0; functions.is_array() && i < functions.size(); ++i) {
        const std::string entry = at + ".functions." + std::to_string(i);
        r.object(run, entry);
        book.entries.push_back({r.text(run, entry + ".name"), r.address(run, entry + ".offset"),
                                static_cast<std::uint64_t>(std::max(0LL, r.number(run, entry + ".size")))});
    }
    return book;
}

std::optional<figures::StaleCall> stale_call(const Reader& r, const json& run, const std::string& end)
{
    if (r.object(run, end + ".call").is_null() || r.object(run, end + ".where").is_null() || r.lookup(run, end + ".where.offset").is_null())
        return std::nullopt;
    figures::StaleCall stale;
    stale.chapter = static_cast<int>(r.number(run, end + ".call.chapter"));
    stale.offset = r.address(run, end + ".where.offset");
    stale.landed = r.text(run, end + ".where.new.text");
    if (stale.landed.empty()) stale.landed = r.text(run, end + ".where.path").empty() ? "no symbol" : r.text(run, end + ".where.path");
    stale.outcome = r.text(run, end + ".signal");
    if (!r.text(run, end + ".si_code").empty()) stale.outcome += " (" + r.text(run, end + ".si_code") + ")";
    if (!r.text(run, end + ".fault_address").empty()) stale.outcome += ", fault address " + r.text(run, end + ".fault_address");
    return stale;
}

// Figure 2 for the host whose call went through a stale slot, else for the first host with a
// table of contents recorded before the update.
std::optional<figures::TocFigure> table_of_contents(const Reader& r, const json& run)
{
    const json& hosts = r.object(run, "hosts");
    if (hosts.is_null() || r.object(run, "libraries.from").is_null() || r.object(run, "libraries.to").is_null()) return std::nullopt;
    std::optional<figures::TocFigure> chosen;
    for (auto it = hosts.begin(); it != hosts.end(); ++it) {
        const std::string at = "hosts." + it.key();
        const json& slots = r.object(run, at + ".plt_before_update");
        if (slots.is_null()) continue;
        figures::TocFigure figure;
        figure.host = it.key();
        figure.loaded = book_of(r, run, "from", "what " + it.key() + " loaded");
        figure.on_disk = book_of(r, run, "to", "in the file now");
        for (auto slot = slots.begin(); slot != slots.end(); ++slot) {
            const std::string slot_at = at + ".plt_before_update." + slot.key();
            figures::TocSlot entry;
            entry.chapter = std::atoi(slot.key().c_str());
            entry.resolved = r.text(run, slot_at + ".state") == "resolved";
            if (entry.resolved) entry.offset = r.address(run, slot_at + ".offset");
            entry.leads_to = r.text(run, slot_at + ".old.text");
            figure.slots.push_back(entry);
        }
        figure.stale = stale_call(r, run, at + ".termination");
        if (figure.stale) return figure;
        if (!chosen) chosen = figure;
    }
    return chosen;
}

std::string end_of(const Reader& r, const json& run, const std::string& end)
{
    const std::string kind = r.text(run, end + ".kind");
    if (kind == "signal") return "killed by " + r.text(run, end + ".signal");
    if (kind == "exit") return "exit " + std::to_string(r.number(run, end + ".exit_code"));
    return "running at the end: asked to quit";
}

figures::TimelineFigure timeline_of(const Reader& r, const json& run, std::vector<std::string>* story)
{
    static const std::set<std::string> told = {"answers", "update", "updated", "identity", "death", "forensics", "hung", "evict", "broken", "unavailable"};
    figures::TimelineFigure figure;
    figure.end_ns = r.number(run, "duration_ns");
    const json& events = r.array(run, "timeline");
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> lives;  // host -> start, end
    for (size_t i = 0; events.is_array() && i < events.size(); ++i) {
        const std::string at = "timeline." + std::to_string(i);
        r.object(run, at);
        const std::string kind = r.text(run, at + ".event"), host = r.text(run, at + ".host");
        const std::int64_t t_ns = r.number(run, at + ".t_ns");
        figure.end_ns = std::max(figure.end_ns, t_ns);
        if (kind == "start" && !host.empty()) lives[host] = {t_ns, t_ns};
        if ((kind == "death" || kind == "stop") && lives.count(host)) lives[host].second = t_ns;
        if (kind == "update" || kind == "evict") figure.marks.push_back({t_ns, kind});
        if (told.count(kind)) story->push_back(r.text(run, at + ".text"));
    }
    for (const auto& [name, life] : lives) {
        figures::TimelineHost host;
        host.name = name;
        host.start_ns = life.first;
        host.end_ns = life.second;
        const std::string at = "hosts." + name;
        host.died = r.text(run, at + ".termination.kind") == "signal";
        host.end = end_of(r, run, at + ".termination");
        const json& calls = r.array(run, at + ".calls");
        for (size_t i = 0; calls.is_array() && i < calls.size(); ++i) {
            const std::string call = at + ".calls." + std::to_string(i);
            r.object(run, call);
            host.calls.push_back({r.number(run, call + ".t_ns"), static_cast<int>(r.number(run, call + ".chapter")), r.text(run, call + ".answer")});
        }
        if (host.end_ns <= host.start_ns) host.end_ns = figure.end_ns;
        figure.hosts.push_back(host);
    }
    return figure;
}

std::optional<figures::PagesFigure> demand_paging(const Reader& r, const json& run)
{
    figures::PagesFigure figure;
    const json& observations = r.array(run, "observations");
    for (size_t i = 0; observations.is_array() && i < observations.size(); ++i) {
        const std::string at = "observations." + std::to_string(i);
        r.object(run, at);
        figures::PagesRow row;
        row.host = r.text(run, at + ".host");
        row.label = r.text(run, at + ".label");
        row.t_ns = r.number(run, at + ".t_ns");
        row.cache = r.text(run, at + ".page_cache.resident");
        const json& pages = r.array(run, at + ".pages");
        for (size_t p = 0; pages.is_array() && p < pages.size(); ++p) {
            const json& present = r.lookup(run, at + ".pages." + std::to_string(p) + ".present");
            if (!present.is_boolean()) throw ScenarioError(r.file, r.prefix + at + ".pages." + std::to_string(p) + ".present", "must be true or false");
            row.present.push_back(present.get<bool>());
        }
        if (!r.lookup(run, at + ".faults.major").is_null()) row.major_faults = r.number(run, at + ".faults.major");
        if (!row.cache.empty() || !row.present.empty()) figure.rows.push_back(row);
    }
    if (figure.rows.empty()) return std::nullopt;
    return figure;
}

// Each host's pages at its last observation of pages: address, and frame when seen.
using HostPages = std::map<std::string, std::vector<std::pair<std::uint64_t, std::optional<long long>>>>;

// The fields of a /proc/PID/maps line: range, perms, offset, device, inode, path.
struct MapsFields {
    std::string range, perms, offset, inode;
    bool deleted = false;
};

std::optional<MapsFields> maps_fields(const std::string& line)
{
    std::istringstream words(line);
    MapsFields fields;
    std::string device;
    if (!(words >> fields.range >> fields.perms >> fields.offset >> device >> fields.inode)) return std::nullopt;
    const size_t dash = fields.range.find('-');
    const auto hex = [](const std::string& digits) { return !digits.empty() && digits.size() <= 16 && digits.find_first_not_of("0123456789abcdef") == std::string::npos; };
    if (dash == std::string::npos || !hex(fields.range.substr(0, dash)) || !hex(fields.range.substr(dash + 1)) || !hex(fields.offset))
        return std::nullopt;
    fields.offset = "0x" + fields.offset.substr(std::min(fields.offset.find_first_not_of('0'), fields.offset.size() - 1));
    fields.deleted = line.size() >= 9 && line.compare(line.size() - 9, 9, "(deleted)") == 0;
    return fields;
}

// The frames of a host's pages at its last observation of pages; empty when frames were not seen.
HostPages pages_by_host(const Reader& r, const json& run)
{
    HostPages last;
    const json& observations = r.array(run, "observations");
    for (size_t i = 0; observations.is_array() && i < observations.size(); ++i) {
        const std::string at = "observations." + std::to_string(i);
        const json& pages = r.array(run, at + ".pages");
        if (pages.is_null()) continue;
        auto& host = last[r.text(run, at + ".host")];
        host.clear();
        for (size_t p = 0; p < pages.size(); ++p) {
            const std::string page = at + ".pages." + std::to_string(p);
            const bool present = r.lookup(run, page + ".present") == true;
            std::optional<long long> frame;
            if (present && !r.lookup(run, page + ".frame").is_null()) frame = r.number(run, page + ".frame");
            host.push_back({r.address(run, page + ".address"), frame});
        }
    }
    return last;
}

// The row's pages, each shared when another host's pages hold its frame.
void add_pages(figures::MappingRow* row, const HostPages& pages, const std::string& host)
{
    auto own = pages.find(host);
    if (own == pages.end()) return;
    std::set<long long> others;
    for (const auto& [name, list] : pages)
        if (name != host)
            for (const auto& [address, frame] : list)
                if (frame) others.insert(*frame);
    const size_t dash = row->range.find('-');
    const std::uint64_t start = std::stoull(row->range.substr(0, dash), nullptr, 16), end = std::stoull(row->range.substr(dash + 1), nullptr, 16);
    for (const auto& [address, frame] : own->second)
        if (address >= start && address < end) row->pages.push_back({frame.has_value(), frame && others.count(*frame)});
}

std::vector<figures::DiskFile> disk_files(const Reader& r, const json& run)
{
    std::vector<figures::DiskFile> files;
    const long long installed = r.number(run, "installed.identity.inode"), after = r.number(run, "update.identity_after.inode");
    const std::string from = r.text(run, "installed.variant"), to = r.text(run, "update.to");
    if (installed && after == installed)
        files.push_back({"inode " + std::to_string(installed), "libfoo.so: " + from + ", then " + to + " written into it", false});
    else if (installed)
        files.push_back({"inode " + std::to_string(installed), "installed as libfoo.so (" + from + ")", false});
    if (after && after != installed) files.push_back({"inode " + std::to_string(after), "libfoo.so now (" + to + ")", false});
    return files;
}

std::string sharing_text(const Reader& r, const json& run)
{
    if (r.object(run, "sharing").is_null()) return "";
    if (r.lookup(run, "sharing.frames_visible") != true) return "Frames not visible: " + r.text(run, "sharing.reason");
    return "Read-only pages: " + std::to_string(r.number(run, "sharing.readonly_pages_same_frame")) + " of " +
           std::to_string(r.number(run, "sharing.readonly_pages_compared")) + " share a frame; writable pages: " +
           std::to_string(r.number(run, "sharing.writable_pages_same_frame")) + " of " +
           std::to_string(r.number(run, "sharing.writable_pages_compared")) + ".";
}

std::optional<figures::MappingsFigure> mappings(const Reader& r, const json& run)
{
    figures::MappingsFigure figure;
    figure.files = disk_files(r, run);
    figure.sharing = sharing_text(r, run);
    const bool frames = r.lookup(run, "sharing.frames_visible") == true;
    const auto pages = pages_by_host(r, run);
    const json& hosts = r.object(run, "hosts");
    for (auto it = hosts.begin(); !hosts.is_null() && it != hosts.end() && figure.hosts.size() < 2; ++it) {
        figures::MappedHost host{it.key(), {}};
        const json& lines = r.array(run, "hosts." + it.key() + ".mapping");
        for (size_t i = 0; lines.is_array() && i < lines.size(); ++i) {
            auto fields = maps_fields(r.text(run, "hosts." + it.key() + ".mapping." + std::to_string(i)));
            if (!fields) continue;
            figures::MappingRow row{fields->range, fields->perms, fields->offset, "inode " + fields->inode, fields->deleted, {}};
            if (frames) add_pages(&row, pages, it.key());
            host.rows.push_back(row);
            if (std::none_of(figure.files.begin(), figure.files.end(), [&](const auto& file) { return file.file == row.file; }))
                figure.files.push_back({row.file, "another file", false});
            for (auto& file : figure.files) file.deleted |= file.file == row.file && row.deleted;
        }
        if (!host.rows.empty()) figure.hosts.push_back(host);
    }
    if (figure.hosts.empty()) return std::nullopt;
    return figure;
}

RunView run_view(const Reader& r, const json& run, const std::string& binding)
{
    RunView view;
    view.binding = binding;
    const json& hosts = r.object(run, "hosts");
    for (auto it = hosts.begin(); !hosts.is_null() && it != hosts.end(); ++it) {
        const std::string at = "hosts." + it.key();
        view.hosts.push_back({it.key(), r.text(run, at + ".verdict"), r.text(run, at + ".verdict_reason"), r.text(run, at + ".at_exit")});
    }
    view.mappings = mappings(r, run);
    view.table_of_contents = table_of_contents(r, run);
    view.demand_paging = demand_paging(r, run);
    view.timeline = timeline_of(r, run, &view.story);
    return view;
}

}  // namespace

ResultView read_result_view(const std::string& file) { return read_result_view(file, load_json_input(file)); }

ResultView read_result_view(const std::string& file, const json& document)
{
    const Reader r{file, ""};
    if (!document.is_object() || r.text(document, "schema") != "libfoo-lab/result/1")
        throw ScenarioError(file, "schema", "is not \"libfoo-lab/result/1\": not a scenario's result (nor a campaign's file)");
    ResultView view;
    view.file = file;
    view.name = r.text(document, "scenario.name");
    view.title = r.text(document, "scenario.title");
    view.outcome = r.text(document, "outcome");
    view.reason = r.text(document, "reason");
    view.environment = "Linux " + r.text(document, "environment.kernel") + " (" + r.text(document, "environment.machine") + "), " +
                       r.text(document, "environment.libc") + ", " + r.text(document, "environment.filesystem");
    const json& runs = r.object(document, "runs");
    if (runs.is_null()) {
        view.runs.push_back(run_view(r, document, r.text(document, "binding")));
    } else {
        for (auto it = runs.begin(); it != runs.end(); ++it) {
            if (!it->is_object()) throw ScenarioError(file, "runs." + it.key(), "must be an object");
            view.runs.push_back(run_view(Reader{file, "runs." + it.key() + "."}, *it, it.key()));
        }
    }
    return view;
}

}  // namespace lab
