// run.cc — the scenario engine. Each step is carried out and described as it happens; every
// fact in the result comes from something observed here (a pipe, a wait status, /proc, errno).
#include "run.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <system_error>

#include "environment.h"
#include "expectation.h"
#include "file_identity.h"
#include "host.h"
#include "host_record.h"
#include "forensics.h"
#include "observation.h"
#include "pages.h"
#include "path_prober.h"
#include "plt_slots.h"
#include "symbols.h"
#include "write_probe.h"
#include "sandbox.h"
#include "update.h"

namespace lab {

namespace {

std::string describe(const FileIdentity& identity)
{
    return "inode " + std::to_string(identity.ino) + " on device " + identity.device();
}

std::string milliseconds(std::int64_t ns)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f ms", static_cast<double>(ns) / 1e6);
    return text;
}

// A pc outside libfoo, named by whatever the host had mapped there when it started (the dynamic
// linker, libc, the host itself): {mapping, path, offset}; null when nothing was.
nlohmann::ordered_json outside_libfoo(std::uint64_t address, const std::vector<MapsLine>& lines)
{
    for (const auto& line : lines)
        if (address >= line.start && address < line.end)
            return {{"mapping", line.text},
                    {"path", line.path.empty() ? "[anonymous]" : line.path},
                    {"offset", hex_address(address - line.start + line.offset)},
                    {"old", nullptr},
                    {"new", nullptr}};
    return nullptr;
}

// The executable (r-x) line, the one a class looks at; the first line when there is none.
const MapsLine* code_line(const std::vector<MapsLine>& lines)
{
    for (const auto& line : lines)
        if (line.perms.find('x') != std::string::npos) return &line;
    return lines.empty() ? nullptr : &lines.front();
}

class Run {
public:
    Run(const Scenario& scenario, const Catalogue& catalogue, const Paths& paths, const RunOptions& options,
        std::string binding)
        : scenario_(scenario), paths_(paths), options_(options), binding_(std::move(binding)), timeline_(options.narrator),
          from_(*catalogue.find(scenario.from)), to_(*catalogue.find(scenario.to)),
          pad_to_(options.library_size > 0 ? options.library_size : scenario.pad_to)
    {
    }

    RunResult execute();

private:
    void install();
    void run_step(const Step& step);
    void start(const std::string& name, const std::string& mode);
    void library_step(const Step& step);
    void probe_writes(const std::string& name);
    void call_chapters(const std::string& name, const std::vector<int>& chapters);
    // One call; returns false when the host stopped answering (and says so in the timeline).
    bool call(const std::string& name, int chapter);
    void describe_answers(const std::string& name, const std::vector<CallRecord>& calls);
    void update(const std::string& strategy_name);
    void stop(const std::string& name, bool at_end);
    void observe_step(const Step& step);
    void note_release(const std::string& name, std::optional<long long> free_before);
    void record_disk(const std::optional<FileIdentity>& old_file, std::optional<long long> free_before,
                     std::optional<long long> free_after);
    void evict();
    // `all`: the host's whole maps when already read, else they are read now.
    void observe_mapping(HostRecord& record, Host& host, const char* when, const std::vector<MapsLine>* all = nullptr);
    void record_death(HostRecord& record, Host& host, const std::string& during);
    Clock::time_point deadline() const { return Clock::now() + std::chrono::milliseconds(scenario_.timeout_ms); }
    nlohmann::ordered_json result_json(const Judgement& judgement, const Environment& environment) const;

    const Scenario& scenario_;
    const Paths& paths_;
    const RunOptions& options_;
    std::string binding_;
    Timeline timeline_;
    const Variant& from_;
    const Variant& to_;
    std::unique_ptr<Sandbox> sandbox_;
    std::optional<FileIdentity> installed_;
    std::map<std::string, std::unique_ptr<Host>> hosts_;
    Observed observed_;
    bool updated_ = false;
    std::int64_t update_ns_ = -1;
    nlohmann::ordered_json update_json_ = nullptr;
    nlohmann::ordered_json observations_ = nlohmann::ordered_json::array();
    std::map<std::string, nlohmann::ordered_json> last_pages_;  // by host
    long long pad_to_ = 0;
    nlohmann::ordered_json disk_ = nullptr;
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

RunResult Run::execute()
{
    auto started = Clock::now();
    sandbox_ = std::make_unique<Sandbox>();
    if (options_.keep) sandbox_->keep();
    EnvironmentProbe probe(sandbox_->dir());
    try {
        install();
        for (size_t i = 0; i < scenario_.steps.size() && observed_.broken.empty(); ++i) {
            run_step(scenario_.steps[i]);
            timeline_.settle();
            if (static_cast<int>(i) == options_.stop_after_step) raise(SIGSTOP);
        }
    } catch (const std::system_error& error) {
        observed_.broken.push_back(error.what());
        timeline_.add("broken", "", std::string("Something the lab needs failed: ") + error.what());
    }
    for (auto& [name, host] : hosts_)
        if (host) stop(name, true);
    for (auto& [name, record] : observed_.hosts) judge(&record);
    observed_.disk = disk_;
    if (last_pages_.count("process1") && last_pages_.count("process2"))
        observed_.sharing = sharing_summary(last_pages_["process1"], last_pages_["process2"]);
    Environment environment = probe.finish();
    environment.binding = binding_;

    Judgement judgement = judge_outcome(scenario_, environment, observed_);
    RunResult result;
    result.outcome = judgement.outcome;
    result.reason = judgement.reason;
    result.json = result_json(judgement, environment);
    result.json["duration_ns"] =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
    if (options_.keep) timeline_.add("keep", "", "Kept the sandbox " + sandbox_->dir() + " (--keep).");
    timeline_.settle();
    result.json["timeline"] = timeline_.to_json();
    return result;
}

void Run::install()
{
    long long bytes = copy_file(from_.shared_object, sandbox_->path("libfoo.so"));
    if (pad_to_ > 0) bytes += pad_file(sandbox_->path("libfoo.so"), pad_to_);
    bool links = std::any_of(scenario_.steps.begin(), scenario_.steps.end(), [](const Step& step) {
        return step.kind == Step::Kind::update && (step.strategy == "rm-then-build" || step.strategy == "relink");
    });
    if (links) copy_file(to_.object, sandbox_->path("foo-" + to_.name + ".o"), 0644);  // what the linker reads
    // Both versions' tables of contents, read into memory now: from the installed file itself
    // (exactly what the hosts will map) and from the new variant. An in-place update can
    // overwrite the file, but not these copies.
    from_symbols_ = std::make_unique<SymbolTable>(sandbox_->path("libfoo.so"));
    to_symbols_ = std::make_unique<SymbolTable>(to_.shared_object);
    installed_ = identity_of_path(sandbox_->path("libfoo.so"));
    timeline_.add("install", "",
                  "Made the sandbox " + sandbox_->dir() + " and installed libfoo " + from_.name + " there as libfoo.so (" +
                      std::to_string(bytes) + " bytes, " + describe(*installed_) + ")" +
                      (pad_to_ > 0 ? ", padded to that size: the bytes past its ELF image are mapped by no one, but they have disk blocks" : "") +
                      ".");
}

void Run::run_step(const Step& step)
{
    if (!step.why.empty()) timeline_.add("why", step.host, step.why);
    switch (step.kind) {
    case Step::Kind::start: return start(step.host, step.mode);
    case Step::Kind::call: return call_chapters(step.host, step.chapters);
    case Step::Kind::update: return update(step.strategy);
    case Step::Kind::stop: return stop(step.host, false);
    case Step::Kind::observe: return observe_step(step);
    case Step::Kind::evict: return evict();
    case Step::Kind::dlopen:
    case Step::Kind::dlclose: return library_step(step);
    case Step::Kind::etxtbsy: return probe_writes(step.host);
    }
}

void Run::start(const std::string& name, const std::string& mode)
{
    HostRecord& record = observed_.hosts[name];
    record.name = name;
    record.mode = mode;
    record.executable = paths_.host(mode == "linked" ? name : name + "-dlopen");
    record.started = true;
    record.started_after_update = updated_;
    HostSpec spec{name, record.executable, sandbox_->dir(), binding_ == "now"};
    if (mode == "dlopen-copy") spec.arguments.push_back("--copy");
    auto host = std::make_unique<Host>(spec);
    record.pid = host->pid();
    if (!slots_.count(name)) slots_[name] = std::make_unique<PltSlots>(record.executable);
    timeline_.add("start", name, "Started " + name + " (pid " + std::to_string(host->pid()) +
                                     "); it looks for libfoo.so in the sandbox (LD_LIBRARY_PATH)" +
                                     (binding_ == "now" ? ", and binds every call at start (LD_BIND_NOW=1)." : "."));
    Reply reply = host->next_line(deadline());
    if (reply.kind != Reply::Kind::line || reply.message.kind != "ready" ||
        reply.message.field("pid") != std::to_string(host->pid())) {
        if (reply.kind == Reply::Kind::timeout) host->kill_now();
        record.termination.during = "start";
        record_death(record, *host, "starting");
        std::string said = host->stderr_text().substr(0, host->stderr_text().find('\n'));
        observed_.broken.push_back(name + " did not say ready" + (said.empty() ? "" : ": " + said));
        return;
    }
    observe_mapping(record, *host, "at start");
    record.mapping_at_start = record.mapping;
    if (auto base = executable_base(host->pid(), record.executable)) executable_bases_[name] = *base;
    if (mode != "linked") {
        record.library_events.push_back({{"t_ns", timeline_.now_ns()},
                                         {"op", mode == "dlopen" ? "dlopen" : "dlopen-copy"},
                                         {"reply", reply.raw},
                                         {"link_map_name", reply.message.field("link_map_name")},
                                         {"handle", reply.message.field("handle")},
                                         {"mapping", to_json(record.mapping)}});
        timeline_.add("dlopen", name, name + " loaded libfoo with dlopen() at start" +
                                          (mode == "dlopen-copy" ? std::string(", from a copy under a unique name") : "") +
                                          ": handle " + reply.message.field("handle") + ", link_map name " +
                                          reply.message.field("link_map_name") + ".");
    }
    record.all_maps_at_start = all_mappings(host->pid());
    hosts_[name] = std::move(host);
}

void Run::observe_mapping(HostRecord& record, Host& host, const char* when, const std::vector<MapsLine>* all)
{
    if (all) {
        record.mapping.clear();
        const std::string prefix = sandbox_->dir() + "/";
        for (const auto& line : *all)
            if (line.path.compare(0, prefix.size(), prefix) == 0) record.mapping.push_back(line);
    } else {
        record.mapping = mappings_under(host.pid(), sandbox_->dir());
    }
    record.mapping_observed = true;
    const MapsLine* line = code_line(record.mapping);
    if (!line) {
        timeline_.add("observe", record.name, record.name + " maps nothing from the sandbox " + when + ".");
        return;
    }
    std::string judged;
    if (!installed_ || !line->is_file(*installed_)) judged = "a different file from the one " + from_.name + " was installed as";
    else if (updated_ && observed_.same_file.value_or(false)) judged = "the file " + from_.name + " was installed as, whose bytes are now " + to_.name + "'s";
    else judged = "the file " + from_.name + " was installed as";
    timeline_.add("observe", record.name,
                  record.name + "'s libfoo code mapping " + when + " (/proc/" + std::to_string(host.pid()) + "/maps):\n" +
                      line->text + "\n= inode " + std::to_string(line->inode) + ", " + judged +
                      (line->deleted ? "; marked (deleted): that file no longer has a name" : "") + ".");
}

void Run::call_chapters(const std::string& name, const std::vector<int>& chapters)
{
    HostRecord& record = observed_.hosts[name];
    size_t first = record.calls.size();
    for (int chapter : chapters) {
        auto found = hosts_.find(name);
        if (found == hosts_.end() || !found->second) {
            timeline_.add("skip", name, name + " is no longer running: chapter " + std::to_string(chapter) + " not called.");
            return;
        }
        if (!call(name, chapter)) return;
        describe_answers(name, {record.calls.begin() + static_cast<long>(first), record.calls.end()});
    }
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

bool Run::call(const std::string& name, int chapter)
{
    HostRecord& record = observed_.hosts[name];
    Host& host = *hosts_[name];
    CallRecord call;
    call.chapter = chapter;
    call.after_update = updated_;
    if (updated_ && !record.started_after_update) {  // what its table of contents says, just before the call
        auto values = read_slots(name, host.pid());
        if (values.count(chapter)) {
            call.slot = describe_slot(values[chapter], record.mapping, loaded_symbols(record), *to_symbols_);
            call.slot["got_entry"] = got_entry(record, chapter);
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
        auto gives = [&](const Variant& variant) {
            return call.value && *call.variant == variant.name_of(chapter) && *call.value == variant.value_of(chapter);
        };
        bool old_answer = gives(from_), new_answer = gives(to_);
        if (old_answer && new_answer)  // a chapter both versions answer alike: the host's own
            call.kind = record.started_after_update ? AnswerKind::new_version : AnswerKind::old_version;
        else if (old_answer) call.kind = AnswerKind::old_version;
        else if (new_answer) call.kind = AnswerKind::new_version;
        else call.kind = AnswerKind::wrong;
        record.calls.push_back(call);
        if (call.kind == AnswerKind::wrong) {
            describe_answers(name, {call});
            explain_stale_call(record, "calling chapter " + std::to_string(chapter), false);
        }
        return true;
    }
    record.calls.push_back(call);
    if (reply.kind == Reply::Kind::line) {
        observed_.broken.push_back(name + " answered \"" + reply.raw + "\" to call " + std::to_string(chapter));
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
    if (end.crash && end.crash->signal == end.signal) {
        const SymbolTable& old_table = loaded_symbols(record);
        auto pc = locate_in(end.crash->pc, record.mapping, old_table, *to_symbols_);
        auto fault = locate_in(end.crash->fault_address, record.mapping, old_table, *to_symbols_);
        end.where = pc ? to_json(*pc) : outside_libfoo(end.crash->pc, record.all_maps_at_start);
        end.fault = fault ? to_json(*fault) : nullptr;
        auto size = identity_of_path(sandbox_->path("libfoo.so"));
        if (fault && size) {
            end.fault["file_size"] = static_cast<long long>(size->size);
            end.fault["beyond_end_of_file"] = fault->offset >= static_cast<std::uint64_t>(size->size);
        }
        text += " (" + si_code_name(end.crash->signal, end.crash->code) + ", fault address " +
                hex_address(end.crash->fault_address) + ", pc " + hex_address(end.crash->pc);
        if (pc) text += " = libfoo.so file offset " + hex_address(pc->offset);
        else if (!end.where.is_null())
            text += " = " + end.where["path"].get<std::string>() + " + " + end.where["offset"].get<std::string>() +
                    ", not in libfoo";
        text += ")";
        if (fault && size && fault->offset >= static_cast<std::uint64_t>(size->size))
            text += ". The fault address is file offset " + hex_address(fault->offset) + ", beyond the file's end now (" +
                    std::to_string(size->size) + " bytes): there is no page there to read";
    }
    timeline_.add("death", record.name, text + ".");
    if (end.during == "call") explain_stale_call(record, during, true);
}

void Run::update(const std::string& strategy_name)
{
    const Strategy& strategy = *find_strategy(strategy_name);
    const std::string library = sandbox_->path("libfoo.so");
    snapshot_slots_before_update();
    HeldFile held(library);  // keeps the old file, so its inode number cannot be handed out again
    auto before = held.identity();
    auto digest_before = held.digest();
    timeline_.add("update", "", "Update \"" + std::string(strategy.name) + "\" to " + to_.name + ": " +
                                    std::string(strategy.summary) + ".");
    UpdateContext context{sandbox_->dir(), library, "foo-" + to_.name + ".o", &to_};
    context.pad_to = pad_to_;
    auto free_before = free_bytes(sandbox_->dir());
    PathProber prober(library);  // is there a moment when libfoo.so names nothing?
    update_ns_ = timeline_.now_ns();
    UpdateRecord record = strategy.run(context);
    prober.stop();
    auto free_after = free_bytes(sandbox_->dir());
    observed_.path_missing = prober.missing() > 0;
    timeline_.add("prober", "", "While the update ran, a prober opened libfoo.so " + std::to_string(prober.probes()) +
                                    " times; " + std::to_string(prober.missing()) +
                                    (prober.missing() ? " found no file by that name: for a moment, the library was missing."
                                                      : " found it missing: the name always led to a file."));
    auto after = identity_of_path(library);
    auto digest_after = digest_of_path(library);
    if (digest_before && digest_after) observed_.content_changed = *digest_before != *digest_after;
    updated_ = true;
    std::string did;
    for (const auto& action : record.actions) did += (did.empty() ? "" : "; ") + action;
    timeline_.add("updated", "", "Did: " + did + " (" + milliseconds(record.elapsed_ns) + ")." +
                                     (record.ok ? "" : " It failed: " + record.error + "."));
    if (before && after) observed_.same_file = before->same_file_as(*after);
    std::string verdict = !before ? "libfoo.so was missing before the update"
                          : !after ? "the path names no file now"
                          : *observed_.same_file && observed_.content_changed.value_or(true)
                              ? "the same file: its contents were replaced under its users"
                          : *observed_.same_file ? "the same file, with the same contents"
                                                 : "a new file: the old one lives on, nameless, while something maps it";
    timeline_.add("identity", "", "Before, libfoo.so was " + (before ? describe(*before) : "missing") +
                                      " (the runner held it open); after, the path names " +
                                      (after ? describe(*after) : "nothing") + ": " + verdict + ".");
    if (!record.ok) observed_.broken.push_back("update failed: " + record.error);
    record_disk(before, free_before, free_after);

    nlohmann::ordered_json commands = nlohmann::ordered_json::array();
    for (const auto& command : record.commands)
        commands.push_back({{"command", join_command(command.argv)},
                            {"exit_code", command.status.signaled ? -1 : command.status.code},
                            {"timed_out", command.timed_out},
                            {"elapsed_ns", command.elapsed_ns},
                            {"stderr", command.err}});
    update_json_ = {{"strategy", strategy.name},     {"summary", strategy.summary},
                    {"to", to_.name},                {"ok", record.ok},
                    {"error", record.ok ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(record.error)},
                    {"same_file", observed_.same_file ? nlohmann::ordered_json(*observed_.same_file) : nullptr},
                    {"identity_before", to_json(before)},
                    {"identity_after", to_json(after)},
                    {"digest_before", digest_before ? nlohmann::ordered_json(*digest_before) : nullptr},
                    {"digest_after", digest_after ? nlohmann::ordered_json(*digest_after) : nullptr},
                    {"content_changed", observed_.content_changed ? nlohmann::ordered_json(*observed_.content_changed) : nullptr},
                    {"actions", record.actions},     {"commands", commands},
                    {"path_probes", prober.probes()},
                    {"path_missing_observations", prober.missing()},
                    {"elapsed_ns", record.elapsed_ns}};
    for (auto& [name, host] : hosts_)
        if (host && host->alive()) observe_mapping(observed_.hosts[name], *host, "after the update");
}

void Run::stop(const std::string& name, bool at_end)
{
    auto& host = hosts_[name];
    if (!host) return;
    HostRecord& record = observed_.hosts[name];
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

// Each running host's table of contents as the update finds it: which chapters are resolved, and to
// what. After the update, these are the pointers the host will follow.
void Run::snapshot_slots_before_update()
{
    for (auto& [name, host] : hosts_) {
        if (!host || !host->alive()) continue;
        HostRecord& record = observed_.hosts[name];
        auto values = read_slots(name, host->pid());
        record.plt_before_update = nlohmann::ordered_json::object();
        std::string resolved, unresolved;
        for (const auto& [chapter, value] : values) {
            auto slot = describe_slot(value, record.mapping, loaded_symbols(record), loaded_symbols(record));
            slot["got_entry"] = got_entry(record, chapter);
            (slot["state"] == "resolved" ? resolved : unresolved) += " " + std::to_string(chapter);
            record.plt_before_update[std::to_string(chapter)] = slot;
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

// Free space around the update: what the old file holds while something maps it.
void Run::record_disk(const std::optional<FileIdentity>& old_file, std::optional<long long> free_before,
                      std::optional<long long> free_after)
{
    auto optional_json = [](std::optional<long long> value) {
        return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
    };
    std::optional<long long> held;
    if (free_before && free_after) held = *free_before - *free_after;
    disk_ = {{"filesystem", filesystem_type(sandbox_->dir())},
             {"library_bytes", old_file ? nlohmann::ordered_json(old_file->size) : nullptr},
             {"free_before_update", optional_json(free_before)},
             {"free_after_update", optional_json(free_after)},
             {"held_bytes", optional_json(held)},
             {"released_bytes", nullptr},
             {"releases", nlohmann::ordered_json::array()}};
    if (held && old_file && old_file->size >= (1 << 20))
        timeline_.add("disk", "", "Free space went down by " + std::to_string(*held >> 20) + " MiB across the update (statvfs): the old " +
                                      std::to_string(old_file->size >> 20) + " MiB file is still on disk as long as something maps it.");
}

// A dlopen host opens libfoo again (or a copy of it), or closes its newest handle; what it got,
// and what it maps afterwards.
void Run::library_step(const Step& step)
{
    auto found = hosts_.find(step.host);
    if (found == hosts_.end() || !found->second) {
        timeline_.add("skip", step.host, step.host + " is no longer running.");
        return;
    }
    HostRecord& record = observed_.hosts[step.host];
    protocol::CommandKind kind = step.kind == Step::Kind::dlclose ? protocol::CommandKind::close
                                 : step.copy                      ? protocol::CommandKind::open_copy
                                                                  : protocol::CommandKind::open;
    std::string previous = record.library_events.empty() ? "" : record.library_events.back().value("handle", "");
    Reply reply = found->second->request({kind}, deadline());
    if (reply.kind != Reply::Kind::line || reply.message.kind == "error") {
        if (reply.kind != Reply::Kind::line) {
            record.termination.during = "call";
            record_death(record, *found->second, "in dlopen or dlclose");
        } else {
            observed_.broken.push_back(step.host + ": " + reply.raw);
            timeline_.add("protocol", step.host, step.host + " could not: " + reply.raw);
        }
        return;
    }
    std::vector<MapsLine> lines = mappings_under(found->second->pid(), sandbox_->dir());
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
    auto found = hosts_.find(name);
    if (found == hosts_.end() || !found->second) {
        timeline_.add("skip", name, name + " is no longer running: nothing to probe.");
        return;
    }
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

// Free space around a host's exit: what it gives back when it stops mapping an unlinked file.
void Run::note_release(const std::string& name, std::optional<long long> free_before)
{
    if (disk_.is_null()) return;
    auto free_after = free_bytes(sandbox_->dir());
    if (!free_before || !free_after) return;
    long long released = *free_after - *free_before;
    disk_["releases"].push_back({{"host", name}, {"free_before", *free_before}, {"free_after", *free_after}, {"released_bytes", released}});
    if (name == "process1") disk_["released_bytes"] = released;
    if (released >= (1 << 20))
        timeline_.add("disk", name, "When " + name + " exited, free space went up by " + std::to_string(released >> 20) +
                                        " MiB: its old copy of libfoo.so is finally gone.");
}

void Run::observe_step(const Step& step)
{
    auto found = hosts_.find(step.host);
    if (found == hosts_.end() || !found->second) {
        timeline_.add("skip", step.host, step.host + " is no longer running: nothing to observe.");
        return;
    }
    HostRecord& record = observed_.hosts[step.host];
    const Variant& loaded = record.started_after_update ? to_ : from_;
    ObserveRequest request{found->second->pid(), mappings_under(found->second->pid(), sandbox_->dir()),
                           load_segments(loaded.shared_object), step.what, sandbox_->path("libfoo.so")};
    std::string sentence;
    nlohmann::ordered_json json = {{"t_ns", timeline_.now_ns()},
                                   {"host", step.host},
                                   {"label", step.label},
                                   {"after_update", updated_}};
    json.update(observe(request, &sentence));
    if (json.contains("pages")) last_pages_[step.host] = json;
    observations_.push_back(std::move(json));
    timeline_.add("observe", step.host,
                  "Looked at " + step.host + (step.label.empty() ? "" : " (" + step.label + ")") + ":" + sentence);
}

void Run::evict()
{
    std::string path = sandbox_->path("libfoo.so");
    std::string error = evict_from_page_cache(path);
    auto cached = page_cache_map(path);
    long resident = cached ? std::count(cached->begin(), cached->end(), '#') : -1;
    timeline_.add("evict", "",
                  error.empty() ? "Evicted libfoo.so from the page cache (fdatasync, then POSIX_FADV_DONTNEED): " +
                                      std::to_string(resident) + " of its " + std::to_string(cached ? cached->size() : 0) +
                                      " pages are still cached, the ones some process maps."
                                : "Could not evict libfoo.so: " + error + ".");
    if (!error.empty()) observed_.broken.push_back("evicting libfoo.so: " + error);
}

nlohmann::ordered_json Run::result_json(const Judgement& judgement, const Environment& environment) const
{
    nlohmann::ordered_json hosts = nlohmann::ordered_json::object();
    for (const auto& [name, record] : observed_.hosts) hosts[name] = record.to_json(update_ns_);
    return {{"schema", "libfoo-lab/result/1"},
            {"scenario", {{"name", scenario_.name},
                          {"title", scenario_.title},
                          {"file", scenario_.file},
                          {"seed", scenario_.seed},
                          {"library", {{"from", from_.name}, {"to", to_.name}}}}},
            {"environment", environment.to_json()},
            {"sandbox", {{"dir", sandbox_->dir()}, {"kept", options_.keep}}},
            {"installed", {{"variant", from_.name}, {"identity", to_json(installed_)}}},
            {"update", update_json_},
            {"hosts", hosts},
            {"observations", observations_},
            {"disk", disk_},
            {"etxtbsy", observed_.etxtbsy},
            {"sharing", observed_.sharing},
            {"expectation", judgement.applied ? to_json(*judgement.applied) : nullptr},
            {"outcome", to_string(judgement.outcome)},
            {"reason", judgement.reason}};
}

}  // namespace

namespace {

int severity(Outcome outcome)
{
    switch (outcome) {
    case Outcome::PASS: return 0;
    case Outcome::CONF: return 1;
    case Outcome::FAIL: return 2;
    case Outcome::BROK: return 3;
    }
    return 3;
}

// Several bindings: every run in full under "runs", the hosts' verdicts side by side, and the
// worst outcome.
RunResult combine(const Scenario& scenario, std::vector<std::pair<std::string, RunResult>>& runs)
{
    RunResult combined;
    combined.outcome = Outcome::PASS;
    nlohmann::ordered_json by_binding = nlohmann::ordered_json::object();
    nlohmann::ordered_json side_by_side = nlohmann::ordered_json::object();
    for (auto& [binding, run] : runs) {
        if (severity(run.outcome) > severity(combined.outcome)) combined.outcome = run.outcome;
        combined.reason += (combined.reason.empty() ? "" : "; ") + binding + ": " + std::string(to_string(run.outcome)) +
                           " (" + run.reason + ")";
        for (const auto& [host, record] : run.json["hosts"].items()) {
            nlohmann::ordered_json summary = {{"verdict", record["verdict"]},
                                              {"at_exit", record["at_exit"]},
                                              {"calls_after_update", record["calls_after_update"]},
                                              {"signal", record["termination"].value("signal", nlohmann::ordered_json())},
                                              {"plt_before_update", record["plt_before_update"]}};
            side_by_side[host][binding] = summary;
        }
        by_binding[binding] = run.json;
    }
    const auto& first = runs.front().second.json;
    combined.json = {{"schema", "libfoo-lab/result/1"},
                     {"scenario", first["scenario"]},
                     {"environment", first["environment"]},
                     {"bindings", scenario.bindings},
                     {"side_by_side", side_by_side},
                     {"runs", by_binding},
                     {"outcome", to_string(combined.outcome)},
                     {"reason", combined.reason}};
    combined.json["environment"].erase("binding");
    return combined;
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const Catalogue& catalogue, const Paths& paths,
                       const RunOptions& options)
{
    if (scenario.bindings.size() == 1) {
        RunResult result = Run(scenario, catalogue, paths, options, scenario.bindings.front()).execute();
        result.json["binding"] = scenario.bindings.front();
        return result;
    }
    std::vector<std::pair<std::string, RunResult>> runs;
    for (const auto& binding : scenario.bindings) {
        if (options.narrator) options.narrator->on_event(TimelineEvent{0, "binding", "", "With " + binding + " binding:", ""});
        runs.emplace_back(binding, Run(scenario, catalogue, paths, options, binding).execute());
    }
    return combine(scenario, runs);
}

}  // namespace lab
