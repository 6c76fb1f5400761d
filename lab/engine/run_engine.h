// run_engine.h — the scenario engine's insides, shared by run.cc (starting, calling, stopping,
// the result), run_update.cc (the update, and the disk space around it) and run_inspect.cc (the
// steps that look: observe, evict, etxtbsy, dlopen and dlclose, and the forensics of a stale
// call). Only the runner's own files include it; everyone else uses run.h.
#pragma once

#include "engine/run.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <system_error>

#include "probe/environment.h"
#include "result/judge.h"
#include "system/elf_file.h"
#include "system/file_identity.h"
#include "engine/host.h"
#include "result/host_record.h"
#include "inspect/forensics.h"
#include "inspect/observation.h"
#include "inspect/pages.h"
#include "probe/path_prober.h"
#include "inspect/plt_slots.h"
#include "inspect/symbols.h"
#include "update/syscall_trace.h"
#include "probe/write_probe.h"
#include "system/sandbox.h"
#include "update/update.h"

namespace lab::engine {

inline std::string describe(const FileIdentity& identity)
{
    return "inode " + std::to_string(identity.ino) + " on device " + identity.device();
}

inline std::string milliseconds(std::int64_t ns)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f ms", static_cast<double>(ns) / 1e6);
    return text;
}

// The executable (r-x) line, the one a class looks at; the first line when there is none.
inline const MapsLine* code_line(const std::vector<MapsLine>& lines)
{
    for (const auto& line : lines)
        if (line.perms.find('x') != std::string::npos) return &line;
    return lines.empty() ? nullptr : &lines.front();
}

// The line of `lines` that starts at `base` ("0x7f..."), the load address a dlopen host reports.
inline std::optional<MapsLine> mapping_at(const std::vector<MapsLine>& lines, const std::string& base)
{
    if (base.empty()) return std::nullopt;
    const std::uint64_t address = std::strtoull(base.c_str(), nullptr, 16);
    for (const auto& line : lines)
        if (line.start == address && address != 0) return line;
    return std::nullopt;
}

class Run {
public:
    Run(const Scenario& scenario, const Catalogue& catalogue, const Paths& paths, const RunOptions& options, Binding binding)
        : scenario_(scenario), catalogue_(catalogue), paths_(paths), options_(options), binding_(binding), timeline_(options.narrator),
          from_(*catalogue.find(scenario.from)), to_(*catalogue.find(scenario.to)),
          pad_to_(options.library_size > 0 ? options.library_size : scenario.pad_to)
    {
    }

    RunRecord execute();

private:
    void install();
    void run_steps();
    StepPause pause_before(size_t index) const;  // classroom mode: where the run stands
    void run_step(const Step& step);
    void start(const std::string& name, HostMode mode);
    void note_dlopen_at_start(HostRecord& record, const Reply& reply);
    // The host if it is still running; otherwise says in the timeline what is skipped.
    Host* running(const std::string& name, const std::string& skipped);
    void library_step(const Step& step);
    std::string library_sentence(const std::string& name, const LibraryEvent& event, const std::string& requested) const;
    std::string object_sentence(const MapsLine& object, const std::vector<MapsLine>& mapping) const;
    void probe_writes(const std::string& name);
    void call_chapters(const std::string& name, const std::vector<int>& chapters);
    // One call; returns false when the host stopped answering (and says so in the timeline).
    bool call(const std::string& name, int chapter);
    AnswerKind classify(const CallRecord& call, bool started_after_update) const;
    void describe_answers(const std::string& name, const std::vector<CallRecord>& calls);
    void update(const Step& step);
    // The update's observation, from the strategy's record (what it did, how long it took).
    void record_update(const Step& step, const UpdateStrategy& strategy, const UpdateRecord& record);
    // The path's identity and bytes after the update, compared with those before.
    void compare_identity(const std::optional<FileIdentity>& before);
    void describe_identity();
    void record_path_syscalls(const UpdateContext& context);
    // What each running host maps read-only from the file `held` names (HostRecord::mapped_bytes_changed).
    std::map<std::string, std::string> mapped_readonly_bytes(const HeldFile& held, const std::optional<FileIdentity>& file);
    void stop(const std::string& name, bool at_end);
    void observe_step(const Step& step);
    void note_release(const std::string& name, std::optional<long long> free_before);
    void record_disk(const std::optional<FileIdentity>& old_file, std::optional<long long> free_before,
                     std::optional<long long> free_after);
    void evict();
    // `all`: the host's whole maps when already read, else they are read now.
    void observe_mapping(HostRecord& record, Host& host, const char* when, const std::vector<MapsLine>* all = nullptr);
    void record_death(HostRecord& record, Host& host, const std::string& during);
    // The crash record's pc and fault address placed in the host's mapping, in a sentence.
    std::string place_crash(HostRecord& record);
    std::string unrelocated_pc(std::uint64_t pc, const SymbolTable& old_table) const;
    Clock::time_point deadline() const { return Clock::now() + std::chrono::milliseconds(scenario_.timeout_ms); }

    const Scenario& scenario_;
    const Catalogue& catalogue_;
    const Paths& paths_;
    const RunOptions& options_;
    Binding binding_;
    Timeline timeline_;
    const Variant& from_;
    const Variant& to_;
    std::unique_ptr<Sandbox> sandbox_;
    std::optional<FileIdentity> installed_;
    std::string library_layer_;  // overlayfs: the layer libfoo.so was installed in
    std::map<std::string, std::unique_ptr<Host>> hosts_;
    RunRecord run_;  // what is observed, as it is observed
    bool updated_ = false;
    std::map<std::string, std::vector<PageRecord>> last_pages_;  // by host
    long long pad_to_ = 0;
    // Both versions' symbol tables, kept in memory (the file itself may be overwritten), and each
    // host's table-of-contents slots.
    std::unique_ptr<SymbolTable> from_symbols_, to_symbols_;
    std::map<std::string, std::unique_ptr<PltSlots>> slots_;
    std::map<std::string, std::uint64_t> executable_bases_;  // by host, found once at its start
    std::map<int, std::uint64_t> read_slots(const std::string& name, pid_t pid)
    {
        auto base = executable_bases_.find(name);
        return base == executable_bases_.end() ? std::map<int, std::uint64_t>() : slots_[name]->read(pid, base->second);
    }
    const std::string& loaded_name(const HostRecord& record) const
    {
        return record.started_after_update ? to_.name : from_.name;
    }
    const SymbolTable& loaded_symbols(const HostRecord& record) const
    {
        return record.started_after_update ? *to_symbols_ : *from_symbols_;
    }
    void snapshot_slots_before_update();
    // Where a chapter's slot is: "process1+0x30030" (the executable's name and the slot's offset).
    std::string got_entry(const HostRecord& record, int chapter)
    {
        const auto& chapters = slots_[record.name]->chapters();
        auto found = chapters.find(chapter);
        if (found == chapters.end()) return "";
        return record.executable.substr(record.executable.rfind('/') + 1) + "+" + hex_address(found->second);
    }
    // The last call's stale pointer explained, with both tables of contents; `died` records it as
    // the call that killed the host.
    void explain_stale_call(HostRecord& record, const std::string& chapter_text, bool died);
};

}  // namespace lab::engine
