// run_update.cc — the update step: identity before and after (by a held descriptor), the
// tables of contents as the update finds them, a prober on the path, and the disk space the old
// file holds and gives back.
#include "base/text.h"
#include "base/files.h"
#include "engine/run_engine.h"

namespace lab::engine {

void Run::update(const Step& step)
{
    const UpdateStrategy& strategy = *find_strategy(step.strategy);
    const std::string library = sandbox_->path("libfoo.so");
    snapshot_slots_before_update();
    HeldFile held(library);  // keeps the old file, so its inode number cannot be handed out again
    auto before = held.identity();
    auto digest_before = held.digest();
    timeline_.add("update", "", "Update \"" + std::string(to_string(strategy.kind)) + "\" to " + to_.name + ": " +
                                    (step.command.empty() ? std::string(strategy.summary) : "run \"" + step.command + "\"") + ".");
    UpdateContext context{sandbox_->dir(), library, "foo-" + to_.name + ".o", {to_.name, to_.shared_object, to_.object}};
    context.pad_to = pad_to_;
    context.command = step.command;
    std::optional<std::string> untraced = step.trace ? tracing_unavailable() : std::nullopt;
    if (step.trace && !untraced) context.trace_file = sandbox_->path(".update.strace");
    auto free_before = free_bytes(sandbox_->dir());
    const auto mapped_before = mapped_readonly_bytes(held, before);
    PathProber prober(library);  // is there a moment when libfoo.so names nothing?
    const std::int64_t began = timeline_.now_ns();
    UpdateRecord record = strategy.run(context);
    prober.stop();
    auto free_after = free_bytes(sandbox_->dir());
    record_update(step, strategy, record);
    run_.update->t_ns = began;
    run_.update->digest_before = digest_before;
    run_.update->path_probes = prober.probes();
    run_.update->path_missing_observations = prober.missing();
    timeline_.add("prober", "", "While the update ran, a prober opened libfoo.so " + std::to_string(prober.probes()) +
                                    " times; " + std::to_string(prober.missing()) +
                                    (prober.missing() ? " found no file by that name: for a moment, the library was missing."
                                                      : " found it missing: the name always led to a file."));
    const auto mapped_after = mapped_readonly_bytes(held, before);
    for (const auto& [name, bytes] : mapped_before) {
        auto now = mapped_after.find(name);
        if (now != mapped_after.end()) run_.hosts[name].mapped_bytes_changed = bytes != now->second;
    }
    compare_identity(before);
    updated_ = true;
    timeline_.add("updated", "", "Did: " + join(record.actions, "; ") + " (" + milliseconds(record.elapsed_ns) + ")." +
                                     (record.ok ? "" : " It failed: " + record.error + "."));
    describe_identity();
    record_disk(before, free_before, free_after);
    if (!context.trace_file.empty()) record_path_syscalls(context);
    else if (untraced) run_.update->path_syscalls_unavailable = *untraced;
    for (auto& [name, host] : hosts_)
        if (host && host->alive()) observe_mapping(run_.hosts[name], *host, "after the update");
}

void Run::record_update(const Step& step, const UpdateStrategy& strategy, const UpdateRecord& record)
{
    UpdateObservation& update = run_.update.emplace();
    update.strategy = strategy.kind;
    update.summary = strategy.summary;
    update.command = step.command;
    update.to = to_.name;
    update.ok = record.ok;
    update.error = record.error;
    if (record.error_number) update.errno_name = errno_name(record.error_number);
    update.actions = record.actions;
    update.commands = record.commands;
    update.elapsed_ns = record.elapsed_ns;
}

void Run::compare_identity(const std::optional<FileIdentity>& before)
{
    UpdateObservation& update = *run_.update;
    const std::string library = sandbox_->path("libfoo.so");
    update.identity_before = before;
    update.identity_after = identity_of_path(library);
    update.digest_after = digest_of_path(library);
    // Whether the path now leads to the new variant's very bytes (padded or not). (A linker of
    // its own makes a v2 with other bytes: the survey asks a new process what it loads instead.)
    update.new_variant_bytes = starts_with_file(library, to_.shared_object);
    if (update.digest_before && update.digest_after) update.content_changed = *update.digest_before != *update.digest_after;
    if (before && update.identity_after) update.same_file = before->same_file_as(*update.identity_after);
    // overlayfs keeps a file's inode number when it copies it up: the layer tells what it hides.
    update.library_layer_after = library_layer_.empty() ? "" : overlay_layer(library);
}

// "Before, libfoo.so was inode N ...; after, the path names ...: a new file ..."
void Run::describe_identity()
{
    const UpdateObservation& update = *run_.update;
    const auto& before = update.identity_before;
    const auto& after = update.identity_after;
    const bool copied_up = library_layer_ == "lower" && update.library_layer_after == "upper";
    const bool same = update.same_file.value_or(false);
    std::string verdict = !before ? "libfoo.so was missing before the update"
                          : !after ? "the path names no file now"
                          : same && copied_up
                              ? "the same number, but overlayfs copied the file up into its upper layer: the new bytes "
                                "are in a new file there, and the old file in the lower layer is untouched"
                          : same && update.content_changed.value_or(true) ? "the same file: its contents were replaced under its users"
                          : same ? "the same file, with the same contents"
                                 : "a new file: the old one lives on, nameless, while something maps it";
    timeline_.add("identity", "", "Before, libfoo.so was " + (before ? describe(*before) : "missing") +
                                      " (the runner held it open); after, the path names " +
                                      (after ? describe(*after) : "nothing") + ": " + verdict + ".");
}

std::map<std::string, std::string> Run::mapped_readonly_bytes(const HeldFile& held, const std::optional<FileIdentity>& file)
{
    std::map<std::string, std::string> mapped;
    for (auto& [name, host] : hosts_) {
        if (!host || !host->alive()) continue;
        std::string bytes;
        bool maps_it = false;
        for (const auto& line : run_.hosts[name].mapping) {
            if (line.perms.find('w') != std::string::npos) continue;  // private copies once written
            const std::size_t length = static_cast<std::size_t>(line.end - line.start);
            if (!library_layer_.empty()) {  // overlayfs: a held descriptor follows a copy-up, a mapping does not
                auto memory = read_process_memory(host->pid(), line.start, length);
                if (!memory) continue;
                bytes += *memory;
            } else {
                if (!file || !line.is_file(*file)) continue;
                bytes += held.read(static_cast<off_t>(line.offset), length);
            }
            maps_it = true;
        }
        if (maps_it) mapped[name] = bytes;
    }
    return mapped;
}

// What strace saw the updater do to libfoo.so.
void Run::record_path_syscalls(const UpdateContext& context)
{
    std::string trace;
    try {
        trace = read_file(context.trace_file);
    } catch (const std::system_error& error) {
        run_.update->path_syscalls_unavailable = std::string("no trace: ") + error.what();
        return;
    }
    auto calls = path_syscalls(trace, context.library, context.sandbox);
    run_.update->path_syscalls = calls;
    const std::string text = join(calls, ", ");
    timeline_.add("syscalls", "", "strace saw the updater call, on libfoo.so: " + (text.empty() ? std::string("nothing") : text) + ".");
}

// Each running host's table of contents as the update finds it: which chapters are resolved, and to
// what. After the update, these are the pointers the host will follow.
void Run::snapshot_slots_before_update()
{
    for (auto& [name, host] : hosts_) {
        if (!host || !host->alive()) continue;
        HostRecord& record = run_.hosts[name];
        auto values = read_slots(name, host->pid());
        record.plt_before_update.emplace();
        std::string resolved, unresolved;
        for (const auto& [chapter, value] : values) {
            Slot slot = describe_slot(value, record.mapping, loaded_symbols(record), loaded_symbols(record));
            slot.got_entry = got_entry(record, chapter);
            (slot.resolved() ? resolved : unresolved) += " " + std::to_string(chapter);
            (*record.plt_before_update)[chapter] = slot;
        }
        if (values.empty()) continue;
        timeline_.add("plt", name, name + "'s table of contents before the update (its GOT, read through /proc/" +
                                       std::to_string(host->pid()) + "/mem): chapters" +
                                       (resolved.empty() ? " none" : resolved) + " resolved to " +
                                       loaded_name(record) + "'s addresses" +
                                       (unresolved.empty() ? "" : "; chapters" + unresolved +
                                                                      " not yet (lazy binding resolves a slot at its first call)") +
                                       ".");
    }
}

// Free space around the update: what the old file holds while something maps it.
void Run::record_disk(const std::optional<FileIdentity>& old_file, std::optional<long long> free_before,
                      std::optional<long long> free_after)
{
    DiskRecord& disk = run_.disk.emplace();
    disk.filesystem = filesystem_type(sandbox_->dir());
    if (old_file) disk.library_bytes = old_file->size;
    disk.free_before_update = free_before;
    disk.free_after_update = free_after;
    if (free_before && free_after) disk.held_bytes = *free_before - *free_after;
    if (disk.held_bytes && old_file && old_file->size >= (1 << 20))
        timeline_.add("disk", "", "Free space went down by " + std::to_string(*disk.held_bytes >> 20) + " MiB across the update (statvfs): the old " +
                                      std::to_string(old_file->size >> 20) + " MiB file is still on disk as long as something maps it.");
}

// Free space around a host's exit: what it gives back when it stops mapping an unlinked file.
void Run::note_release(const std::string& name, std::optional<long long> free_before)
{
    if (!run_.disk) return;
    auto free_after = free_bytes(sandbox_->dir());
    if (!free_before || !free_after) return;
    long long released = *free_after - *free_before;
    run_.disk->releases.push_back({name, *free_before, *free_after, released});
    if (name == "process1") run_.disk->released_bytes = released;
    if (released >= (1 << 20))
        timeline_.add("disk", name, "When " + name + " exited, free space went up by " + std::to_string(released >> 20) +
                                        " MiB: its old copy of libfoo.so is finally gone.");
}

}  // namespace lab::engine
