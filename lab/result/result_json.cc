// result_json.cc — the typed result written as JSON, part by part, in the documented key order.
#include "result/result_json.h"

#include <utility>

#include "result/json_values.h"

namespace lab {

using json = nlohmann::ordered_json;

namespace {

// An empty object with room for `members` members. ordered_json keeps an object's members in a
// vector of pair<const string, json>, which copies every member, subtrees and all, each time it
// grows (a const key cannot be moved); filled within its room, it never grows. For the objects
// that hold the large parts of a result (a quarter of writing one went to those copies).
json object_with_room(size_t members)
{
    json value = json::object();
    value.get_ref<json::object_t&>().reserve(members);
    return value;
}

json identity_json(const std::optional<FileIdentity>& identity)
{
    if (!identity) return nullptr;
    return {{"dev", identity->device()}, {"inode", identity->ino}, {"size", identity->size}, {"links", identity->links}};
}

json lines_json(const std::vector<MapsLine>& lines)
{
    json array = json::array();
    for (const auto& line : lines) array.push_back(line.text);
    return array;
}

json symbol_json(const std::optional<SymbolAt>& symbol)
{
    if (!symbol) return nullptr;
    return {{"symbol", symbol->symbol}, {"offset_in_symbol", hex_address(symbol->offset_in_symbol)}, {"text", symbol->text()}};
}

json place_json(const std::optional<Place>& place)
{
    if (!place) return nullptr;
    if (!place->outside_path.empty())
        return {{"mapping", place->mapping}, {"path", place->outside_path}, {"offset", hex_address(place->offset)},
                {"symbol", symbol_json(place->outside_symbol)}, {"old", nullptr}, {"new", nullptr}};
    return {{"mapping", place->mapping},
            {"offset", hex_address(place->offset)},
            {"old", symbol_json(place->old_symbol)},
            {"new", symbol_json(place->new_symbol)}};
}

json slot_json(const std::optional<Slot>& slot)
{
    if (!slot) return nullptr;
    json value = {{"value", hex_address(slot->value)}, {"state", slot->resolved() ? "resolved" : "unresolved"}};
    if (slot->resolved()) value.update(place_json(slot->place));
    value["got_entry"] = slot->got_entry;
    return value;
}

json termination_json(const Termination& end)
{
    json value = object_with_room(13);
    value["kind"] = to_string(end.kind);
    if (end.kind == Termination::Kind::exit) value["exit_code"] = end.exit_code;
    if (end.kind == Termination::Kind::signal) {
        value["signal"] = signal_name(end.signal);
        const bool recorded = end.crash && end.crash->signal == end.signal;
        value["si_code"] = recorded ? json(si_code_name(end.crash->signal, end.crash->code)) : nullptr;
        value["fault_address"] = recorded ? json(hex_address(end.crash->fault_address)) : nullptr;
        value["pc"] = recorded ? json(hex_address(end.crash->pc)) : nullptr;
        value["where"] = place_json(end.where);
        value["fault"] = place_json(end.fault);
        if (end.fault && end.file_size) {
            value["fault"]["file_size"] = *end.file_size;
            value["fault"]["beyond_end_of_file"] = end.fault->offset >= static_cast<std::uint64_t>(*end.file_size);
        }
        value["call"] = end.call ? json{{"chapter", end.call->chapter}, {"slot", slot_json(end.call->slot)}} : json(nullptr);
    }
    value["requested_by_runner"] = end.requested;
    if (!end.during.empty()) value["during"] = end.during;
    if (end.hung) value["hung"] = true;
    return value;
}

json call_json(const CallRecord& call)
{
    return {{"chapter", call.chapter},         {"version", or_null(call.variant)}, {"value", or_null(call.value)},
            {"answer", to_string(call.kind)},  {"after_update", call.after_update}, {"t_ns", call.t_ns},
            {"answer_ns", call.answer_ns},     {"slot", slot_json(call.slot)}};
}

json library_event_json(const LibraryEvent& event)
{
    json value = {{"t_ns", event.t_ns}, {"op", event.op}, {"reply", event.reply}};
    if (!event.at_start) value["handles"] = event.handles;
    value["link_map_name"] = event.link_map_name;
    value["handle"] = event.handle;
    value["base"] = or_null(event.base);
    value["object"] = event.object ? json(event.object->text) : json(nullptr);
    if (!event.at_start) value["same_handle_as_before"] = event.same_handle_as_before;
    value["mapping"] = lines_json(event.mapping);
    if (!event.at_start) value["mapping_deleted"] = event.mapping_deleted;
    return value;
}

json slots_json(const std::optional<std::map<int, Slot>>& slots)
{
    if (!slots) return nullptr;
    json value = object_with_room(slots->size());
    for (const auto& [chapter, slot] : *slots) value[std::to_string(chapter)] = slot_json(slot);
    return value;
}

json host_json(const HostRecord& host, std::int64_t update_ns)
{
    json calls = json::array(), events = json::array();
    for (const auto& call : host.calls) calls.push_back(call_json(call));
    for (const auto& event : host.library_events) events.push_back(library_event_json(event));
    json value = object_with_room(19);
    value["pid"] = host.pid;
    value["mode"] = to_string(host.mode);
    value["started_after_update"] = host.started_after_update;
    value["calls"] = std::move(calls);
    value["mapping_at_start"] = lines_json(host.mapping_at_start);
    value["mapping"] = lines_json(host.mapping);
    value["mapping_deleted"] = host.mapping_deleted();
    value["mapping_matches_file"] = or_null(host.mapping_matches_file);
    value["mapped_bytes_changed"] = or_null(host.mapped_bytes_changed);
    value["major_faults_since_eviction"] = or_null(host.major_faults_since_eviction);
    value["plt_before_update"] = slots_json(host.plt_before_update);
    value["library_events"] = std::move(events);
    value["termination"] = termination_json(host.termination);
    value["at_exit"] = host.at_exit_text();
    value["calls_after_update"] = host.calls_after_update();
    value["verdict"] = host.verdict ? json(to_string(*host.verdict)) : nullptr;
    value["verdict_reason"] = host.verdict_reason;
    value["time_to_crash_ns"] = or_null(host.time_to_crash_ns(update_ns));
    if (!host.stderr_text.empty()) value["stderr"] = host.stderr_text;
    return value;
}

json update_json(const std::optional<UpdateObservation>& update)
{
    if (!update) return nullptr;
    json commands = json::array();
    for (const auto& command : update->commands)
        commands.push_back({{"command", join_command(command.argv)},
                            {"exit_code", command.status.signaled ? -1 : command.status.code},
                            {"timed_out", command.timed_out},
                            {"elapsed_ns", command.elapsed_ns},
                            {"stderr", command.err}});
    json syscalls = update->path_syscalls ? json(*update->path_syscalls) : json(nullptr);
    json value = {{"strategy", to_string(update->strategy)}, {"summary", update->summary},
                  {"command", or_null(update->command)},     {"to", update->to},
                  {"ok", update->ok},                        {"error", update->ok ? json(nullptr) : json(update->error)},
                  {"errno", or_null(update->errno_name)},    {"same_file", or_null(update->same_file)},
                  {"identity_before", identity_json(update->identity_before)},
                  {"identity_after", identity_json(update->identity_after)},
                  {"library_layer_after", or_null(update->library_layer_after)},
                  {"digest_before", or_null(update->digest_before)}, {"digest_after", or_null(update->digest_after)},
                  {"content_changed", or_null(update->content_changed)},
                  {"new_variant_bytes", or_null(update->new_variant_bytes)},
                  {"actions", update->actions},               {"commands", std::move(commands)},
                  {"path_syscalls", std::move(syscalls)},                {"path_probes", update->path_probes},
                  {"path_missing_observations", update->path_missing_observations},
                  {"elapsed_ns", update->elapsed_ns}};
    if (update->path_syscalls_unavailable) value["path_syscalls_unavailable"] = *update->path_syscalls_unavailable;
    return value;
}

json page_json(const PageRecord& page)
{
    json segment = page.writable_segment ? json(*page.writable_segment ? "writable" : "readonly") : json(nullptr);
    return {{"address", hex_address(page.address)}, {"relative", hex_address(page.relative)},
            {"offset", hex_address(page.offset)},   {"perms", page.perms},
            {"segment", segment},                   {"present", page.present},
            {"frame", or_null(page.frame)}};
}

json smaps_json(const SmapsFigures& figures)
{
    return {{"mapping", figures.mapping},           {"Rss", figures.rss},
            {"Pss", figures.pss},                   {"Shared_Clean", figures.shared_clean},
            {"Shared_Dirty", figures.shared_dirty}, {"Private_Clean", figures.private_clean},
            {"Private_Dirty", figures.private_dirty}, {"Anonymous", figures.anonymous}};
}

json observation_json(const Observation& observation)
{
    json value = {{"t_ns", observation.t_ns}, {"host", observation.host}, {"label", observation.label},
                  {"after_update", observation.after_update}};
    if (observation.faults)
        value["faults"] = *observation.faults ? json{{"minor", (*observation.faults)->minor}, {"major", (*observation.faults)->major}}
                                              : json(nullptr);
    if (observation.page_cache) {
        const auto& cache = *observation.page_cache;
        value["page_cache"] = cache ? json{{"file_pages", cache->file_pages}, {"resident_pages", cache->resident_pages},
                                           {"resident", cache->resident}}
                                    : json(nullptr);
    }
    if (observation.smaps) {
        value["smaps"] = json::array();
        for (const auto& figures : *observation.smaps) value["smaps"].push_back(smaps_json(figures));
    }
    if (observation.pages) {
        value["pages"] = json::array();
        for (const auto& page : *observation.pages) value["pages"].push_back(page_json(page));
    }
    return value;
}

json disk_json(const std::optional<DiskRecord>& disk)
{
    if (!disk) return nullptr;
    json releases = json::array();
    for (const auto& release : disk->releases)
        releases.push_back({{"host", release.host}, {"free_before", release.free_before}, {"free_after", release.free_after},
                            {"released_bytes", release.released_bytes}});
    return {{"filesystem", disk->filesystem},
            {"library_bytes", or_null(disk->library_bytes)},
            {"free_before_update", or_null(disk->free_before_update)},
            {"free_after_update", or_null(disk->free_after_update)},
            {"held_bytes", or_null(disk->held_bytes)},
            {"released_bytes", or_null(disk->released_bytes)},
            {"releases", std::move(releases)}};
}

json probes_json(const std::optional<WriteProbes>& probes)
{
    if (!probes) return nullptr;
    json value = json::object();
    for (const auto& [what, probe] : *probes) {
        json entry = {{"path", probe.path}, {"available", probe.available}, {"errno", or_null(probe.errno_name)},
                      {"opened", probe.available && !probe.errno_name}, {"transient_refusals", probe.transient_refusals}};
        if (!probe.available) entry["reason"] = probe.reason;
        value[what] = std::move(entry);
    }
    return value;
}

json sharing_json(const std::optional<Sharing>& sharing)
{
    if (!sharing) return nullptr;
    json value = {{"frames_visible", sharing->frames_visible},
                  {"readonly_pages_compared", sharing->readonly_compared},
                  {"readonly_pages_same_frame", or_null(sharing->readonly_same_frame)},
                  {"writable_pages_compared", sharing->writable_compared},
                  {"writable_pages_same_frame", or_null(sharing->writable_same_frame)}};
    if (!sharing->frames_visible) value["reason"] = sharing->reason;
    return value;
}

json timeline_json(const std::vector<TimelineEvent>& events)
{
    json array = json::array();
    for (const auto& event : events) {
        json entry = {{"t_ns", event.t_ns}, {"event", event.event}};
        if (!event.host.empty()) entry["host"] = event.host;
        entry["text"] = event.text;
        if (!event.figure.empty()) entry["figure"] = event.figure;
        array.push_back(std::move(entry));
    }
    return array;
}

json layout_json(const std::optional<LibraryLayout>& layout)
{
    if (!layout) return nullptr;
    json functions = json::array();
    for (const auto& function : layout->functions)
        functions.push_back({{"name", function.name}, {"offset", hex_address(function.file_offset)}, {"size", function.size}});
    json value = {{"variant", layout->variant}, {"functions", std::move(functions)}, {"error", or_null(layout->error)}};
    if (!layout->file.empty()) value["edition"] = {{"file", layout->file}, {"built", layout->built}, {"answers", layout->answers}};
    return value;
}

json scenario_json(const RunRecord& run)
{
    return {{"name", run.scenario_name},
            {"title", run.scenario_title},
            {"file", run.scenario_file},
            {"seed", run.scenario_seed},
            {"library", {{"from", run.from}, {"to", run.to}}}};
}

// A scenario run once per binding: the hosts' verdicts side by side, every run in full.
json bindings_json(const ScenarioResult& result)
{
    json side_by_side = json::object(), runs = object_with_room(result.runs.size()), bindings = json::array();
    for (const auto& run : result.runs) {
        const std::string binding(to_string(run.binding));
        bindings.push_back(binding);
        for (const auto& [name, host] : run.hosts) {
            const bool signaled = host.termination.kind == Termination::Kind::signal;
            side_by_side[name][binding] = {{"verdict", host.verdict ? json(to_string(*host.verdict)) : nullptr},
                                           {"at_exit", host.at_exit_text()},
                                           {"calls_after_update", host.calls_after_update()},
                                           {"signal", signaled ? json(signal_name(host.termination.signal)) : json()},
                                           {"plt_before_update", slots_json(host.plt_before_update)}};
        }
        runs[binding] = to_json(run);
    }
    json environment = to_json(result.first().environment);
    environment.erase("binding");
    return {{"schema", "libfoo-lab/result/1"}, {"scenario", scenario_json(result.first())},
            {"environment", std::move(environment)}, {"bindings", std::move(bindings)},
            {"side_by_side", std::move(side_by_side)}, {"runs", std::move(runs)},
            {"outcome", to_string(result.outcome)}, {"reason", result.reason}};
}

}  // namespace

json to_json(const Environment& environment)
{
    return {{"kernel", environment.kernel},     {"machine", environment.machine},   {"libc", environment.libc},
            {"compiler", environment.compiler}, {"linker", environment.linker},     {"filesystem", environment.filesystem},
            {"library_layer", or_null(environment.library_layer)},
            {"uid", environment.uid},           {"euid", environment.euid},         {"binding", to_string(environment.binding)}};
}

json to_json(const RunRecord& run)
{
    json hosts = object_with_room(run.hosts.size()), observations = json::array();
    for (const auto& [name, host] : run.hosts) hosts[name] = host_json(host, run.update_ns());
    for (const auto& observation : run.observations) observations.push_back(observation_json(observation));
    json value = object_with_room(18);  // and "binding" (below)
    value["schema"] = "libfoo-lab/result/1";
    value["scenario"] = scenario_json(run);
    value["environment"] = to_json(run.environment);
    value["sandbox"] = {{"dir", run.sandbox_dir}, {"kept", run.sandbox_kept}};
    value["installed"] = {{"variant", run.from}, {"identity", identity_json(run.installed)}};
    value["libraries"] = {{"from", layout_json(run.layout_from)}, {"to", layout_json(run.layout_to)}};
    value["update"] = update_json(run.update);
    value["hosts"] = std::move(hosts);
    value["observations"] = std::move(observations);
    value["disk"] = disk_json(run.disk);
    value["etxtbsy"] = probes_json(run.etxtbsy);
    value["sharing"] = sharing_json(run.sharing);
    value["expectation"] = run.expectation ? to_json(*run.expectation) : json(nullptr);
    value["outcome"] = to_string(run.outcome);
    value["reason"] = run.reason;
    value["duration_ns"] = run.duration_ns;
    value["timeline"] = timeline_json(run.timeline);
    return value;
}

json to_json(const ScenarioResult& result)
{
    if (result.runs.size() != 1) return bindings_json(result);
    json value = to_json(result.first());
    value["binding"] = to_string(result.first().binding);
    return value;
}

json to_json(const Expectation& expectation)
{
    json when = json::object();
    const Condition& condition = expectation.when;
    if (condition.kernel_at_least) when["kernel_at_least"] = *condition.kernel_at_least;
    if (condition.kernel_below) when["kernel_below"] = *condition.kernel_below;
    if (condition.root) when["root"] = *condition.root;
    if (condition.linker_contains) when["linker_contains"] = *condition.linker_contains;
    if (condition.binding) when["binding"] = to_string(*condition.binding);
    if (condition.libc) when["libc"] = to_string(*condition.libc);
    if (!condition.filesystems.empty()) when["filesystem"] = condition.filesystems;
    if (condition.layer) when["layer"] = *condition.layer;
    json hosts = json::object();
    for (const auto& [name, host] : expectation.hosts) {
        json entry = {{"verdict", to_string(host.verdict)}};
        if (host.mapping_deleted) entry["mapping_deleted"] = *host.mapping_deleted;
        if (host.signal) entry["signal"] = *host.signal;
        if (host.si_code) entry["si_code"] = *host.si_code;
        if (host.at_exit) entry["at_exit"] = to_string(*host.at_exit);
        if (host.calls_after_update) entry["calls_after_update"] = *host.calls_after_update;
        if (host.versions_after_update) entry["versions_after_update"] = *host.versions_after_update;
        if (host.read_the_disk) entry["read_the_disk"] = *host.read_the_disk;
        hosts[name] = std::move(entry);
    }
    json value = {{"when", std::move(when)}};
    if (!expectation.note.empty()) value["note"] = expectation.note;
    if (expectation.update_errno) value["update_errno"] = *expectation.update_errno;
    if (expectation.same_file) value["same_file"] = *expectation.same_file;
    if (expectation.content_changed) value["content_changed"] = *expectation.content_changed;
    if (expectation.path_missing) value["path_missing"] = *expectation.path_missing;
    value["hosts"] = std::move(hosts);
    if (expectation.disk) value["disk"] = {{"tolerance", expectation.disk->tolerance}};
    if (!expectation.etxtbsy.empty()) {
        value["etxtbsy"] = json::object();
        for (const auto& [what, errno_name] : expectation.etxtbsy) value["etxtbsy"][what] = or_null(errno_name);
    }
    if (expectation.sharing)
        value["sharing"] = {{"readonly", to_string(expectation.sharing->readonly)}, {"writable", to_string(expectation.sharing->writable)}};
    return value;
}

}  // namespace lab
