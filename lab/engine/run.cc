// run.cc — the scenario engine. Each step is carried out and described as it happens; every
// fact in the result comes from something observed here (a pipe, a wait status, /proc, errno).
// This file: the run as a whole, starting, calling and stopping hosts, and the result.
#include "engine/run_engine.h"

#include <filesystem>

#include "base/files.h"
#include "base/text.h"
#include "engine/user_edition.h"
#include "input/input_error.h"

namespace lab {

namespace engine {

std::string user_edition_text(const Variant& edition);
std::vector<std::string> probed_answers(const Variant& edition);

RunRecord Run::execute()
{
    auto started = Clock::now();
    sandbox_ = options_.sandbox_dir.empty() ? std::make_unique<Sandbox>() : std::make_unique<Sandbox>(options_.sandbox_dir);
    if (options_.keep) sandbox_->keep();
    EnvironmentProbe probe(sandbox_->dir(), paths_.libfoo_dir + "/tool-versions.cache", paths_.host("process1"));
    run_.not_available = paths_.hosts_missing();
    if (!run_.not_available.empty()) timeline_.add("unavailable", "", "Not available: " + run_.not_available + ".");
    else run_steps();
    for (auto& [name, host] : hosts_)
        if (host) stop(name, true);
    if (last_pages_.count("process1") && last_pages_.count("process2"))
        run_.sharing = sharing_summary(last_pages_["process1"], last_pages_["process2"]);
    run_.environment = probe.finish();
    run_.environment.binding = binding_;
    run_.environment.library_layer = library_layer_;
    run_.scenario_name = scenario_.name;
    run_.scenario_title = scenario_.title;
    run_.scenario_file = scenario_.file;
    run_.scenario_seed = scenario_.seed;
    run_.from = from_.name;
    run_.to = to_.name;
    run_.binding = binding_;
    run_.sandbox_dir = sandbox_->dir();
    run_.sandbox_kept = options_.keep;
    judge_run(scenario_, &run_);
    run_.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
    if (options_.keep) timeline_.add("keep", "", "Kept the sandbox " + sandbox_->dir() + " (--keep).");
    timeline_.settle();
    run_.timeline = timeline_.events();
    return std::move(run_);
}

// Installs the library and carries out the steps, until one breaks the run or the user ends it.
void Run::run_steps()
{
    try {
        install();
        for (size_t i = 0; i < scenario_.steps.size() && run_.broken.empty(); ++i) {
            if (options_.before_step && !options_.before_step(pause_before(i))) {
                run_.quit_before_step = i;
                break;
            }
            run_step(scenario_.steps[i]);
            timeline_.settle();
            if (static_cast<int>(i) == options_.stop_after_step) raise(SIGSTOP);
        }
    } catch (const std::system_error& error) {
        run_.broken.push_back(error.what());
        timeline_.add("broken", "", std::string("Something the lab needs failed: ") + error.what());
    }
}

StepPause Run::pause_before(size_t index) const
{
    StepPause pause{index, scenario_.steps.size(), &scenario_.steps[index], sandbox_->dir(), {}};
    for (const auto& [name, host] : hosts_)
        if (host) pause.hosts[name] = host->pid();
    return pause;
}

void Run::install()
{
    const bool prepared = !options_.sandbox_dir.empty();
    long long bytes = 0;
    if (!prepared) {
        bytes = install_library(sandbox_->dir(), scenario_, catalogue_, pad_to_);
    } else if (auto there = identity_of_path(sandbox_->path("libfoo.so"))) {
        bytes = there->size;
    } else {
        throw std::system_error(ENOENT, std::generic_category(), sandbox_->path("libfoo.so"));
    }
    library_layer_ = overlay_layer(sandbox_->path("libfoo.so"));
    // Both versions' tables of contents, read into memory now: from the installed file itself
    // (exactly what the hosts will map) and from the new variant. An in-place update can
    // overwrite the file, but not these copies.
    from_symbols_ = std::make_unique<SymbolTable>(sandbox_->path("libfoo.so"));
    to_symbols_ = std::make_unique<SymbolTable>(to_.shared_object);
    for (const SymbolTable* table : {from_symbols_.get(), to_symbols_.get()})
        if (!table->error().empty()) timeline_.add("symbols", "", "No symbols to name addresses with: " + table->error() + ".");
    run_.layout_from = LibraryLayout{from_.name, from_symbols_->functions(), from_symbols_->error(), from_.file, from_.description, probed_answers(from_)};
    run_.layout_to = LibraryLayout{to_.name, to_symbols_->functions(), to_symbols_->error(), to_.file, to_.description, probed_answers(to_)};
    installed_ = identity_of_path(sandbox_->path("libfoo.so"));
    run_.installed = installed_;
    timeline_.add("install", "",
                  (prepared ? "Runs in " + sandbox_->dir() + ", where libfoo " + from_.name + " was installed as libfoo.so before (" +
                              (library_layer_.empty() ? filesystem_type(sandbox_->dir()) : "overlay, " + library_layer_ + " layer") + ", "
                            : "Made the sandbox " + sandbox_->dir() + " and installed libfoo " + from_.name + " there as libfoo.so (") +
                      std::to_string(bytes) + " bytes, " + describe(*installed_) + ")" +
                      (pad_to_ > 0 ? ", padded to that size: the bytes past its ELF image are mapped by no one, but they have disk blocks" : "") +
                      ".");
    for (const Variant* edition : {&from_, &to_})
        if (!edition->file.empty() && (edition == &from_ || to_.file != from_.file)) timeline_.add("edition", "", user_edition_text(*edition));
}

// What each chapter of a user's edition answered when probed: "mine1 101", or "(chapter 8 died of
// SIGABRT)"; nothing for the built-ins.
std::vector<std::string> probed_answers(const Variant& edition)
{
    std::vector<std::string> answers;
    for (size_t i = 0; i < edition.answers.size(); ++i) {
        const auto& [variant, value] = edition.answers[i];
        auto failed = edition.probe_failures.find(static_cast<int>(i + 1));
        answers.push_back(failed != edition.probe_failures.end() ? "(chapter " + std::to_string(i + 1) + " " + failed->second + ")"
                                                                 : variant + " " + std::to_string(value));
    }
    return answers;
}

// "mine-v1 is your edition ../mine-v1.c, built with ...; called once in a throwaway process1, its
// chapters answered mine1 101 102 ...".
std::string user_edition_text(const Variant& edition)
{
    return edition.name + " is " + edition.description + ". Called once in a throwaway process1, its chapters answered: " +
           join(probed_answers(edition), ", ") + ".";
}

void Run::run_step(const Step& step)
{
    if (!step.why.empty()) timeline_.add("why", step.host, step.why);
    switch (step.kind) {
    case Step::Kind::start: return start(step.host, step.mode);
    case Step::Kind::call: return call_chapters(step.host, step.chapters);
    case Step::Kind::update: return update(step);
    case Step::Kind::stop: return stop(step.host, false);
    case Step::Kind::observe: return observe_step(step);
    case Step::Kind::evict: return evict();
    case Step::Kind::dlopen:
    case Step::Kind::dlclose: return library_step(step);
    case Step::Kind::etxtbsy: return probe_writes(step.host);
    }
}

void Run::start(const std::string& name, HostMode mode)
{
    HostRecord& record = run_.hosts[name];
    record.name = name;
    record.mode = mode;
    record.executable = paths_.host(mode == HostMode::linked ? name : name + "-dlopen");
    record.started = true;
    record.started_after_update = updated_;
    HostSpec spec{name, record.executable, sandbox_->dir(), binding_ == Binding::now};
    if (mode == HostMode::dlopen_copy) spec.arguments.push_back("--copy");
    auto host = std::make_unique<Host>(spec);
    record.pid = host->pid();
    if (!slots_.count(name)) slots_[name] = std::make_unique<PltSlots>(record.executable);
    timeline_.add("start", name, "Started " + name + " (pid " + std::to_string(host->pid()) +
                                     "); it looks for libfoo.so in the sandbox (LD_LIBRARY_PATH)" +
                                     (binding_ == Binding::now ? ", and binds every call at start (LD_BIND_NOW=1)." : "."));
    Reply reply = host->next_line(deadline());
    if (reply.kind != Reply::Kind::line || reply.message.kind != "ready" ||
        reply.message.field("pid") != std::to_string(host->pid())) {
        if (reply.kind == Reply::Kind::timeout) host->kill_now();
        record.termination.during = "start";
        record_death(record, *host, "starting");
        std::string said = host->stderr_text().substr(0, host->stderr_text().find('\n'));
        run_.broken.push_back(name + " did not say ready" + (said.empty() ? "" : ": " + said));
        return;
    }
    record.all_maps_at_start = all_mappings(host->pid());  // read once: libfoo's lines, the executable's base
    observe_mapping(record, *host, "at start", &record.all_maps_at_start);
    record.mapping_at_start = record.mapping;
    std::error_code error;
    const std::string executable = std::filesystem::canonical(record.executable, error).string();
    if (auto base = executable_base(record.all_maps_at_start, executable)) executable_bases_[name] = *base;
    if (mode != HostMode::linked) note_dlopen_at_start(record, reply);
    hosts_[name] = std::move(host);
}

// A dlopen host's "ready" says what its dlopen() at start gave.
void Run::note_dlopen_at_start(HostRecord& record, const Reply& reply)
{
    LibraryEvent event;
    event.t_ns = timeline_.now_ns();
    event.op = to_string(record.mode);
    event.at_start = true;
    event.reply = reply.raw;
    event.link_map_name = reply.message.field("link_map_name");
    event.handle = reply.message.field("handle");
    event.base = reply.message.field("base");
    event.mapping = record.mapping;
    event.object = mapping_at(event.mapping, event.base);
    record.library_events.push_back(event);
    timeline_.add("dlopen", record.name, record.name + " loaded libfoo with dlopen() at start" +
                                             (record.mode == HostMode::dlopen_copy ? std::string(", from a copy under a unique name") : "") +
                                             ": handle " + event.handle + ", link_map name " + event.link_map_name + ".");
}

void Run::observe_mapping(HostRecord& record, Host& host, const char* when, const std::vector<MapsLine>* all)
{
    record.mapping = all ? lines_under(*all, sandbox_->dir()) : mappings_under(host.pid(), sandbox_->dir());
    record.mapping_observed = true;
    const MapsLine* line = code_line(record.mapping);
    if (!line) {
        timeline_.add("observe", record.name, record.name + " maps nothing from the sandbox " + when + ".");
        return;
    }
    std::string judged;
    if (!installed_ || !line->is_file(*installed_)) {
        judged = "a different file from the one " + from_.name + " was installed as";
    } else if (updated_ && run_.update && run_.update->same_file.value_or(false)) {
        // overlayfs gives a copied-up file the lower file's inode number: there, look at the bytes.
        if (!library_layer_.empty()) record.mapping_matches_file = mapped_page_matches_file(host.pid(), *line, sandbox_->path("libfoo.so"));
        judged = record.mapping_matches_file == false
                     ? std::string("the path's (st_dev, st_ino), but the page it maps is not what the file holds now "
                                   "(on overlayfs: the write went to a copy in the upper layer, the process maps the lower file)")
                     : "the file " + from_.name + " was installed as, whose bytes " +
                           (run_.update->new_variant_bytes == true ? "are now " + to_.name + "'s"
                            : run_.update->content_changed == false ? "did not change"
                                                                 : "have changed");
    } else {
        judged = "the file " + from_.name + " was installed as";
    }
    timeline_.add("observe", record.name,
                  record.name + "'s libfoo code mapping " + when + " (/proc/" + std::to_string(host.pid()) + "/maps):\n" +
                      line->text + "\n= inode " + std::to_string(line->inode) + ", " + judged +
                      (line->deleted ? "; marked (deleted): that file no longer has a name" : "") + ".");
}

void Run::call_chapters(const std::string& name, const std::vector<int>& chapters)
{
    HostRecord& record = run_.hosts[name];
    size_t first = record.calls.size();
    for (int chapter : chapters) {
        if (!running(name, "chapter " + std::to_string(chapter) + " not called")) return;
        if (!call(name, chapter)) return;
        describe_answers(name, {record.calls.begin() + static_cast<long>(first), record.calls.end()});
    }
}

Host* Run::running(const std::string& name, const std::string& skipped)
{
    auto found = hosts_.find(name);
    if (found != hosts_.end() && found->second) return found->second.get();
    timeline_.add("skip", name, name + " is no longer running: " + skipped + ".");
    return nullptr;
}

// "process1 called chapters 1 2 3: v1 answered 1001 1002 1003, the old version's answers."
void Run::describe_answers(const std::string& name, const std::vector<CallRecord>& calls)
{
    static const char* meaning[] = {"the old version's answer", "the new version's answer",
                                    "an answer neither version gives for that chapter"};
    static const char* meanings[] = {"the old version's answers", "the new version's answers",
                                     "answers neither version gives for those chapters"};
    if (calls.empty() || calls.back().kind == AnswerKind::none) return;
    bool uniform = true;
    for (const auto& call : calls)
        uniform &= call.kind == calls.front().kind && call.variant == calls.front().variant;
    std::string chapters, values;
    for (const auto& call : calls) {
        chapters += " " + std::to_string(call.chapter);
        std::string value = call.value ? std::to_string(*call.value) : "?";
        values += " " + (uniform ? value : call.variant.value_or("?") + ":" + value + " (" +
                                               std::string(to_string(call.kind)) + ")");
    }
    int kind = static_cast<int>(calls.front().kind);
    std::string text = name + " called chapter" + (calls.size() > 1 ? "s" : "") + chapters + ": ";
    text += uniform ? calls.front().variant.value_or("?") + " answered" + values + ", " +
                          (calls.size() > 1 ? meanings[kind] : meaning[kind]) + "."
                    : "answered" + values + ".";
    timeline_.replace_or_add("answers", name, std::move(text), calls.size() > 1);
}

// Whose answer it is: the old version's, the new one's, or neither's.
AnswerKind Run::classify(const CallRecord& call, bool started_after_update) const
{
    auto gives = [&](const Variant& variant) {
        return call.value && call.variant == variant.name_of(call.chapter) && *call.value == variant.value_of(call.chapter);
    };
    const bool old_answer = gives(from_), new_answer = gives(to_);
    if (old_answer && new_answer)  // a chapter both versions answer alike: the host's own
        return started_after_update ? AnswerKind::new_version : AnswerKind::old_version;
    if (old_answer) return AnswerKind::old_version;
    if (new_answer) return AnswerKind::new_version;
    return AnswerKind::wrong;
}

bool Run::call(const std::string& name, int chapter)
{
    HostRecord& record = run_.hosts[name];
    Host& host = *hosts_[name];
    CallRecord call;
    call.chapter = chapter;
    call.after_update = updated_;
    if (updated_ && !record.started_after_update) {  // what its table of contents says, just before the call
        auto values = read_slots(name, host.pid());
        if (values.count(chapter)) {
            call.slot = describe_slot(values[chapter], record.mapping, loaded_symbols(record), *to_symbols_);
            call.slot->got_entry = got_entry(record, chapter);
        }
    }
    call.t_ns = timeline_.now_ns();
    Reply reply = host.request({protocol::CommandKind::call, chapter}, deadline());
    call.answer_ns = timeline_.now_ns() - call.t_ns;
    const std::string asked = name + " called chapter " + std::to_string(chapter);
    if (reply.kind == Reply::Kind::line && reply.message.kind == "answer" &&
        reply.message.field("chapter") == std::to_string(chapter)) {
        call.variant = reply.message.field("variant");
        try {
            call.value = std::stol(reply.message.field("value"));
        } catch (const std::exception&) {
            call.value = std::nullopt;
        }
        call.kind = classify(call, record.started_after_update);
        record.calls.push_back(call);
        if (call.kind == AnswerKind::wrong) {
            describe_answers(name, {call});
            explain_stale_call(record, "calling chapter " + std::to_string(chapter), false);
        }
        return true;
    }
    record.calls.push_back(call);
    if (reply.kind == Reply::Kind::line) {
        run_.broken.push_back(name + " answered \"" + reply.raw + "\" to call " + std::to_string(chapter));
        timeline_.add("protocol", name, asked + " and got \"" + reply.raw + "\", which is not an answer.");
        return false;
    }
    if (reply.kind == Reply::Kind::timeout) {
        host.kill_now();
        record.termination.hung = true;
        record.termination.requested = true;
        timeline_.add("hung", name, asked + ": no answer within " + std::to_string(scenario_.timeout_ms) + " ms; killed it.");
    }
    record.termination.during = "call";
    record_death(record, host, "calling chapter " + std::to_string(chapter));
    return false;
}

void Run::record_death(HostRecord& record, Host& host, const std::string& during)
{
    const auto& status = host.child().status();
    Termination& end = record.termination;
    end.kind = status && status->signaled ? Termination::Kind::signal : Termination::Kind::exit;
    end.signal = status && status->signaled ? status->code : 0;
    end.exit_code = status && !status->signaled ? status->code : 0;
    end.crash = host.crash_record();
    end.t_ns = timeline_.now_ns();
    record.stderr_text = host.stderr_text();
    hosts_[record.name].reset();
    if (end.kind == Termination::Kind::exit) {
        timeline_.add("death", record.name, record.name + " (pid " + std::to_string(record.pid) + ") exited with status " +
                                                 std::to_string(end.exit_code) + " while " + during + ".");
        return;
    }
    std::string text = record.name + " (pid " + std::to_string(record.pid) + ") was killed by " +
                       signal_name(end.signal) + " while " + during;
    if (end.crash && end.crash->signal == end.signal) text += place_crash(record);
    timeline_.add("death", record.name, text + ".");
    if (end.during == "call") explain_stale_call(record, during, true);
}

// A pc that no mapping holds but that is an offset inside libfoo's image: a pointer read as the
// file has it, never relocated (the loader adds the load address when it writes its private copy).
std::string Run::unrelocated_pc(std::uint64_t pc, const SymbolTable& old_table) const
{
    auto loaded = old_table.at_file_offset(pc), now = to_symbols_->at_file_offset(pc);
    auto size = identity_of_path(to_.shared_object);
    if (!loaded && !now && (!size || pc >= static_cast<std::uint64_t>(size->size))) return "";
    std::string named = loaded || now ? " (" + (loaded ? loaded->text() : std::string("no symbol")) + " in " + from_.name + ", " +
                                            (now ? now->text() : std::string("no symbol")) + " in " + to_.name + ")"
                                      : " (no symbol covers it)";
    return ". No mapping holds that pc, but it is an offset inside libfoo.so's image" + named +
           ": a pointer used as the file has it, never relocated (the loader adds the load address when it writes its private copy)";
}

std::string Run::place_crash(HostRecord& record)
{
    Termination& end = record.termination;
    const SymbolTable& old_table = loaded_symbols(record);
    end.where = locate_in(end.crash->pc, record.mapping, old_table, *to_symbols_);
    const bool pc_in_libfoo = end.where.has_value();
    if (!end.where) end.where = locate_outside(end.crash->pc, record.all_maps_at_start);
    end.fault = locate_in(end.crash->fault_address, record.mapping, old_table, *to_symbols_);
    auto size = identity_of_path(sandbox_->path("libfoo.so"));
    if (end.fault && size) end.file_size = static_cast<long long>(size->size);
    std::string text = " (" + si_code_name(end.crash->signal, end.crash->code) + ", fault address " +
                       hex_address(end.crash->fault_address) + ", pc " + hex_address(end.crash->pc);
    if (pc_in_libfoo) text += " = libfoo.so file offset " + hex_address(end.where->offset);
    else if (end.where)
        text += " = " + end.where->outside_path + " + " + hex_address(end.where->offset) +
                (end.where->outside_symbol ? " (" + end.where->outside_symbol->text() + ")" : "") + ", not in libfoo";
    text += ")";
    if (!end.where) text += unrelocated_pc(end.crash->pc, old_table);
    if (end.fault && end.file_size && end.fault->offset >= static_cast<std::uint64_t>(*end.file_size))
        text += ". The fault address is file offset " + hex_address(end.fault->offset) + ", beyond the file's end now (" +
                std::to_string(*end.file_size) + " bytes): there is no page there to read";
    return text;
}

void Run::stop(const std::string& name, bool at_end)
{
    auto& host = hosts_[name];
    if (!host) return;
    HostRecord& record = run_.hosts[name];
    auto free_before = free_bytes(sandbox_->dir());
    Reply reply = host->request({protocol::CommandKind::quit}, deadline());
    if (reply.kind == Reply::Kind::line) host->wait_exit(deadline());
    if (!host->child().status()) {  // no "bye", or no exit after it, in time
        host->kill_now();
        record.termination.hung = true;
        record.termination.requested = true;
    }
    record.termination.during = "quit";
    note_release(name, free_before);
    const auto& status = host->child().status();
    if (status && !status->signaled) {
        record.termination.kind = at_end ? Termination::Kind::running : Termination::Kind::exit;
        record.termination.exit_code = status->code;
        record.termination.requested = true;
        record.stderr_text = host->stderr_text();
        timeline_.add("stop", name, "Asked " + name + " to quit" + (at_end ? " at the end of the scenario" : "") +
                                        "; it exited with status " + std::to_string(status->code) + ".");
        host.reset();
        return;
    }
    record_death(record, *host, "quitting");
}

}  // namespace engine

using engine::Run;

long long install_library(const std::string& dir, const Scenario& scenario, const Catalogue& catalogue, long long pad_to)
{
    const Variant* from_variant = catalogue.find(scenario.from);
    const Variant* to_variant = catalogue.find(scenario.to);
    if (!from_variant || !to_variant)  // a user's edition the caller did not resolve (with_user_editions)
        throw ScenarioError(scenario.file, "library", quote_value(from_variant ? scenario.to : scenario.from, 60) +
                                                          " is a user's edition, which this command does not build");
    const Variant& from = *from_variant;
    const Variant& to = *to_variant;
    long long bytes = copy_file(from.shared_object, dir + "/libfoo.so");
    if (pad_to > 0) bytes += pad_file(dir + "/libfoo.so", pad_to);
    bool links = std::any_of(scenario.steps.begin(), scenario.steps.end(), [](const Step& step) {
        return step.kind == Step::Kind::update && (step.strategy == Strategy::rm_then_build || step.strategy == Strategy::relink);
    });
    if (links && to.object.empty())
        throw ScenarioError(scenario.file, "library.to", quote_value(to.file, 60) + " is a shared object: the update links foo.o, so it needs a C source");
    if (links) copy_file(to.object, dir + "/foo-" + to.name + ".o", 0644);  // what the linker reads
    return bytes;
}

ScenarioResult run_scenario(const Scenario& scenario, const Catalogue& catalogue, const Paths& paths, const RunOptions& options)
{
    ScenarioResult result;
    result.outcome = Outcome::PASS;
    std::vector<std::string> reasons;
    const bool several = scenario.bindings.size() > 1;
    const Catalogue editions = with_user_editions(scenario, catalogue, paths);  // a user's own: built and probed first
    for (Binding binding : scenario.bindings) {
        const std::string name(to_string(binding));
        if (several && options.narrator) options.narrator->on_event(TimelineEvent{0, "binding", "", "With " + name + " binding:", ""});
        result.runs.push_back(Run(scenario, editions, paths, options, binding).execute());
        const RunRecord& run = result.runs.back();
        if (run.quit_before_step) return result;
        result.outcome = worse(result.outcome, run.outcome);
        reasons.push_back(name + ": " + std::string(to_string(run.outcome)) + " (" + run.reason + ")");
    }
    result.reason = several ? join(reasons, "; ") : result.first().reason;
    return result;
}

}  // namespace lab
