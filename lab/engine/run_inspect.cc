// run_inspect.cc — the steps that look rather than drive: observe (pages, smaps, faults, page
// cache), evict, etxtbsy, dlopen and dlclose; and the forensics of a stale call.
#include "engine/run_engine.h"

namespace lab::engine {

// The call that went wrong, and the two tables of contents side by side.
void Run::explain_stale_call(HostRecord& record, const std::string& chapter_text, bool died)
{
    if (record.calls.empty() || record.calls.back().slot.is_null()) return;
    const CallRecord& call = record.calls.back();
    if (died) record.termination.call = {{"chapter", call.chapter}, {"slot", call.slot}};
    if (call.slot["state"] != "resolved") {
        timeline_.add("forensics", record.name, "Its slot for chapter " + std::to_string(call.chapter) +
                                                    " was not resolved yet, so the call went through the dynamic linker, which looked the symbol up in the library as it is now.");
        return;
    }
    const auto& slot = call.slot;
    const Variant& old_variant = record.started_after_update ? to_ : from_;
    std::string text = "Forensics: " + chapter_text + ", " + record.name + "'s table of contents (its GOT slot at " +
                       slot.value("got_entry", "?") + ") said " + slot["value"].get<std::string>() +
                       " = libfoo.so " + slot["offset"].get<std::string>() + ", which was " +
                       (slot["old"].is_null() ? "no function" : slot["old"]["text"].get<std::string>()) + " in " +
                       old_variant.name + " and is " +
                       (slot["new"].is_null() ? "no function" : slot["new"]["text"].get<std::string>()) + " in " + to_.name + ".";
    std::string picture = contents_picture(loaded_symbols(record), *to_symbols_, old_variant.name, to_.name,
                                           std::stoull(slot["offset"].get<std::string>(), nullptr, 16));
    timeline_.add("forensics", record.name, text, picture);
}

// A dlopen host opens libfoo again (or a copy of it), or closes its newest handle; what it got,
// and what it maps afterwards.
void Run::library_step(const Step& step)
{
    Host* host = running(step.host, "nothing to open or close");
    if (!host) return;
    HostRecord& record = observed_.hosts[step.host];
    protocol::CommandKind kind = step.kind == Step::Kind::dlclose ? protocol::CommandKind::close
                                 : step.copy                      ? protocol::CommandKind::open_copy
                                                                  : protocol::CommandKind::open;
    std::string previous = record.library_events.empty() ? "" : record.library_events.back().value("handle", "");
    Reply reply = host->request({kind}, deadline());
    if (reply.kind != Reply::Kind::line || reply.message.kind == "error") {
        if (reply.kind != Reply::Kind::line) {
            record.termination.during = "call";
            record_death(record, *host, "in dlopen or dlclose");
        } else {
            observed_.broken.push_back(step.host + ": " + reply.raw);
            timeline_.add("protocol", step.host, step.host + " could not: " + reply.raw);
        }
        return;
    }
    std::vector<MapsLine> lines = mappings_under(host->pid(), sandbox_->dir());
    bool deleted = std::any_of(lines.begin(), lines.end(), [](const MapsLine& line) { return line.deleted; });
    std::string op = step.kind == Step::Kind::dlclose ? "dlclose" : step.copy ? "dlopen-copy" : "dlopen";
    record.library_events.push_back({{"t_ns", timeline_.now_ns()},
                                     {"op", op},
                                     {"reply", reply.raw},
                                     {"handles", reply.message.field("handles")},
                                     {"link_map_name", reply.message.field("link_map_name")},
                                     {"handle", reply.message.field("handle")},
                                     {"same_handle_as_before", !previous.empty() && reply.message.field("handle") == previous},
                                     {"mapping", to_json(lines)},
                                     {"mapping_deleted", deleted}});
    std::string text;
    if (op == "dlclose") {
        text = step.host + " called dlclose() on its newest handle: " + reply.message.field("handles") + " handle(s) left" +
               (lines.empty() ? ", and libfoo is no longer mapped." : ", and libfoo is still mapped.");
    } else {
        text = step.host + " called dlopen(\"" + reply.message.field("requested") + "\") and got handle " +
               reply.message.field("handle") + (record.library_events.back()["same_handle_as_before"].get<bool>() ? ", the same one as before," : "") +
               " (link_map name " + reply.message.field("link_map_name") + ").";
        if (const MapsLine* line = code_line(lines))
            text += " Its libfoo code mapping now: " + line->text +
                    (deleted ? " - the old, deleted file: glibc matched the name it already had loaded and did not look at the disk." : "");
    }
    timeline_.add(op, step.host, text);
    record.mapping = lines;
}

// With the host running: may its executable, its libfoo.so and its ELF interpreter be opened for
// writing? Nothing is ever written; what opens is closed at once.
void Run::probe_writes(const std::string& name)
{
    if (!running(name, "nothing to probe")) return;
    const HostRecord& record = observed_.hosts[name];
    auto interpreter = interpreter_of(record.executable);
    std::vector<std::pair<std::string, std::string>> targets = {
        {"executable", record.executable}, {"library", sandbox_->path("libfoo.so")}, {"interpreter", interpreter.value_or("")}};
    nlohmann::ordered_json probes = nlohmann::ordered_json::object();
    std::string text = "With " + name + " running, open(O_WRONLY) on the files it runs from (nothing is written):";
    for (const auto& [what, path] : targets) {
        WriteProbe probe = path.empty() ? WriteProbe{path, false, std::nullopt, "not available: no PT_INTERP found"}
                                        : probe_write(path);
        probes[what] = probe.to_json();
        text += "\n" + what + " " + path + ": " +
                (!probe.available ? probe.reason : probe.errno_name ? *probe.errno_name + ", refused" : "opened");
    }
    observed_.etxtbsy = probes;
    timeline_.add("etxtbsy", name, text);
}

void Run::observe_step(const Step& step)
{
    Host* host = running(step.host, "nothing to observe");
    if (!host) return;
    HostRecord& record = observed_.hosts[step.host];
    const Variant& loaded = record.started_after_update ? to_ : from_;
    ObserveRequest request{host->pid(), mappings_under(host->pid(), sandbox_->dir()),
                           load_segments(loaded.shared_object), step.what, sandbox_->path("libfoo.so")};
    std::string sentence;
    nlohmann::ordered_json json = {{"t_ns", timeline_.now_ns()},
                                   {"host", step.host},
                                   {"label", step.label},
                                   {"after_update", updated_}};
    json.update(observe(request, &sentence));
    if (record.majflt_at_eviction && json.contains("faults") && json["faults"].is_object())
        record.major_faults_since_eviction = json["faults"]["major"].get<long>() - *record.majflt_at_eviction;
    if (json.contains("pages")) last_pages_[step.host] = json;
    observations_.push_back(std::move(json));
    timeline_.add("observe", step.host,
                  "Looked at " + step.host + (step.label.empty() ? "" : " (" + step.label + ")") + ":" + sentence);
}

void Run::evict()
{
    for (auto& [name, host] : hosts_)
        if (host && host->alive())
            if (auto faults = faults_of(host->pid())) observed_.hosts[name].majflt_at_eviction = faults->major;
    std::string path = sandbox_->path("libfoo.so");
    std::string error = evict_from_page_cache(path);
    auto cached = page_cache_map(path);
    const long resident = cached ? std::count(cached->begin(), cached->end(), '#') : -1;
    const long pages = cached ? static_cast<long>(cached->size()) : 0;
    const std::string filesystem = filesystem_type(sandbox_->dir());
    // What stayed is observed (mincore), and said as it is: on tmpfs the page cache is the file's
    // only copy, so there is nothing to drop it to and no disk to read it back from.
    std::string stayed = resident == 0 ? "none of its " + std::to_string(pages) + " pages is cached now"
                         : resident == pages && filesystem == "tmpfs"
                             ? "all " + std::to_string(pages) + " of its pages are still cached: on tmpfs the page cache is the "
                               "file's only copy, so no page can be evicted, and no later touch reads a disk"
                             : std::to_string(resident) + " of its " + std::to_string(pages) +
                                   " pages are still cached (pages some process maps, or that a write made dirty, stay)";
    timeline_.add("evict", "",
                  error.empty() ? "Evicted libfoo.so from the page cache (fdatasync, then POSIX_FADV_DONTNEED): " + stayed + "."
                                : "Could not evict libfoo.so: " + error + ".");
    if (!error.empty()) observed_.broken.push_back("evicting libfoo.so: " + error);
}

}  // namespace lab::engine
