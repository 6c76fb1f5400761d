// run_inspect.cc — the steps that look rather than drive: observe (pages, smaps, faults, page
// cache), evict, etxtbsy, dlopen and dlclose; and the forensics of a stale call.
#include "engine/run_engine.h"

namespace lab::engine {

// The call that went wrong, and the two tables of contents side by side.
void Run::explain_stale_call(HostRecord& record, const std::string& chapter_text, bool died)
{
    if (record.calls.empty() || !record.calls.back().slot) return;
    const CallRecord& call = record.calls.back();
    const Slot& slot = *call.slot;
    if (died) record.termination.call = Termination::StaleCall{call.chapter, slot};
    if (!slot.resolved()) {
        timeline_.add("forensics", record.name, "Its slot for chapter " + std::to_string(call.chapter) +
                                                    " was not resolved yet, so the call went through the dynamic linker, which looked the symbol up in the library as it is now.");
        return;
    }
    const Variant& old_variant = record.started_after_update ? to_ : from_;
    const Place& place = *slot.place;
    std::string text = "Forensics: " + chapter_text + ", " + record.name + "'s table of contents (its GOT slot at " +
                       slot.got_entry + ") said " + hex_address(slot.value) +
                       " = libfoo.so " + hex_address(place.offset) + ", which was " +
                       (place.old_symbol ? place.old_symbol->text() : "no function") + " in " + old_variant.name + " and is " +
                       (place.new_symbol ? place.new_symbol->text() : "no function") + " in " + to_.name + ".";
    std::string picture = contents_picture(loaded_symbols(record), *to_symbols_, old_variant.name, to_.name, place.offset);
    timeline_.add("forensics", record.name, text, picture);
}

// A dlopen host opens libfoo again (or a copy of it), or closes its newest handle; what it got,
// and what it maps afterwards.
void Run::library_step(const Step& step)
{
    Host* host = running(step.host, "nothing to open or close");
    if (!host) return;
    HostRecord& record = run_.hosts[step.host];
    protocol::CommandKind kind = step.kind == Step::Kind::dlclose ? protocol::CommandKind::close
                                 : step.copy                      ? protocol::CommandKind::open_copy
                                                                  : protocol::CommandKind::open;
    std::string previous = record.library_events.empty() ? "" : record.library_events.back().handle;
    Reply reply = host->request({kind}, deadline());
    if (reply.kind != Reply::Kind::line || reply.message.kind == "error") {
        if (reply.kind != Reply::Kind::line) {
            record.termination.during = "call";
            record_death(record, *host, "in dlopen or dlclose");
        } else {
            run_.broken.push_back(step.host + ": " + reply.raw);
            timeline_.add("protocol", step.host, step.host + " could not: " + reply.raw);
        }
        return;
    }
    LibraryEvent event;
    event.t_ns = timeline_.now_ns();
    event.op = step.kind == Step::Kind::dlclose ? "dlclose" : step.copy ? "dlopen-copy" : "dlopen";
    event.reply = reply.raw;
    event.handles = reply.message.field("handles");
    event.link_map_name = reply.message.field("link_map_name");
    event.handle = reply.message.field("handle");
    event.base = reply.message.field("base");
    event.same_handle_as_before = !previous.empty() && event.handle == previous;
    event.mapping = mappings_under(host->pid(), sandbox_->dir());
    event.object = mapping_at(event.mapping, event.base);
    event.mapping_deleted = std::any_of(event.mapping.begin(), event.mapping.end(), [](const MapsLine& line) { return line.deleted; });
    record.library_events.push_back(event);
    timeline_.add(event.op, step.host, library_sentence(step.host, event, reply.message.field("requested")));
    record.mapping = event.mapping;
}

// Which file the newest handle's object was read from, seen in its mapping: "inode N, the file
// v1 was installed as, now deleted: dlopen returned what it had loaded and did not read the new
// file." or "... the file now at the path: dlopen read it."
std::string Run::object_sentence(const MapsLine& object, const std::vector<MapsLine>& mapping) const
{
    std::string text = "inode " + std::to_string(object.inode);
    if (installed_ && object.is_file(*installed_)) text += ", the file " + from_.name + " was installed as";
    const auto now = run_.update ? run_.update->identity_after : std::nullopt;
    const bool current = !object.deleted && (!now || object.is_file(*now));
    if (object.deleted)
        text += ", a file that no longer has a name: dlopen returned the object it had loaded and did not read the file now at the path.";
    else
        text += current && updated_ ? ", the file now at the path: dlopen read it." : ".";
    const bool old_still_mapped = std::any_of(mapping.begin(), mapping.end(), [&](const MapsLine& line) {
        return line.deleted && line.inode != object.inode;
    });
    if (!object.deleted && old_still_mapped) text += " A deleted file is still mapped beside it.";
    return text;
}

// "process2 called dlopen("libfoo.so") and got handle ...", or its dlclose.
std::string Run::library_sentence(const std::string& name, const LibraryEvent& event, const std::string& requested) const
{
    if (event.op == "dlclose")
        return name + " called dlclose() on its newest handle: " + event.handles + " handle(s) left" +
               (event.mapping.empty() ? ", and libfoo is no longer mapped." : ", and libfoo is still mapped.");
    std::string text = name + " called dlopen(\"" + requested + "\") and got handle " + event.handle +
                       (event.same_handle_as_before ? ", the same one as before," : "") + " (link_map name " +
                       event.link_map_name + ").";
    if (event.object) text += " Its object is mapped from " + object_sentence(*event.object, event.mapping);
    return text;
}

// With the host running: may its executable, its libfoo.so and its ELF interpreter be opened for
// writing? Nothing is ever written; what opens is closed at once.
void Run::probe_writes(const std::string& name)
{
    if (!running(name, "nothing to probe")) return;
    const HostRecord& record = run_.hosts[name];
    std::string no_interpreter;
    auto interpreter = interpreter_of(record.executable, &no_interpreter);
    std::vector<std::pair<std::string, std::string>> targets = {
        {"executable", record.executable}, {"library", sandbox_->path("libfoo.so")}, {"interpreter", interpreter.value_or("")}};
    WriteProbes probes;
    std::string text = "With " + name + " running, open(O_WRONLY) on the files it runs from (nothing is written):";
    for (const auto& [what, path] : targets) {
        WriteProbe probe = path.empty() ? WriteProbe{path, false, std::nullopt, "not available: " + no_interpreter}
                                        : probe_write(path);
        probes.emplace_back(what, probe);
        text += "\n" + what + " " + path + ": " +
                (!probe.available ? probe.reason : probe.errno_name ? *probe.errno_name + ", refused" : "opened");
    }
    run_.etxtbsy = probes;
    timeline_.add("etxtbsy", name, text);
}

void Run::observe_step(const Step& step)
{
    Host* host = running(step.host, "nothing to observe");
    if (!host) return;
    HostRecord& record = run_.hosts[step.host];
    const Variant& loaded = record.started_after_update ? to_ : from_;
    ObserveRequest request{host->pid(), mappings_under(host->pid(), sandbox_->dir()),
                           load_segments(loaded.shared_object), step.what, sandbox_->path("libfoo.so")};
    Observation observation;
    observation.t_ns = timeline_.now_ns();
    observation.host = step.host;
    observation.label = step.label;
    observation.after_update = updated_;
    std::string sentence;
    observe(request, &observation, &sentence);
    if (record.majflt_at_eviction && observation.faults && *observation.faults)
        record.major_faults_since_eviction = (*observation.faults)->major - *record.majflt_at_eviction;
    if (observation.pages) last_pages_[step.host] = *observation.pages;
    run_.observations.push_back(std::move(observation));
    timeline_.add("observe", step.host,
                  "Looked at " + step.host + (step.label.empty() ? "" : " (" + step.label + ")") + ":" + sentence);
}

void Run::evict()
{
    for (auto& [name, host] : hosts_)
        if (host && host->alive())
            if (auto faults = faults_of(host->pid())) run_.hosts[name].majflt_at_eviction = faults->major;
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
    if (!error.empty()) run_.broken.push_back("evicting libfoo.so: " + error);
}

}  // namespace lab::engine
