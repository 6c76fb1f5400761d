// run.cc — the scenario engine. Each step is carried out and described as it happens; every
// fact in the result comes from something observed here (a pipe, a wait status, /proc, errno).
// This file: the run as a whole, starting, calling and stopping hosts, and the result.
#include "engine/run_engine.h"
#include "base/files.h"

namespace lab {

namespace engine {

RunResult Run::execute()
{
    auto started = Clock::now();
    sandbox_ = options_.sandbox_dir.empty() ? std::make_unique<Sandbox>() : std::make_unique<Sandbox>(options_.sandbox_dir);
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
    environment.library_layer = library_layer_;

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
    installed_ = identity_of_path(sandbox_->path("libfoo.so"));
    timeline_.add("install", "",
                  (prepared ? "Runs in " + sandbox_->dir() + ", where libfoo " + from_.name + " was installed as libfoo.so before (" +
                              (library_layer_.empty() ? filesystem_type(sandbox_->dir()) : "overlay, " + library_layer_ + " layer") + ", "
                            : "Made the sandbox " + sandbox_->dir() + " and installed libfoo " + from_.name + " there as libfoo.so (") +
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
    case Step::Kind::update: return update(step);
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
    } else if (updated_ && observed_.same_file.value_or(false)) {
        // overlayfs gives a copied-up file the lower file's inode number: there, look at the bytes.
        if (!library_layer_.empty()) record.mapping_matches_file = mapped_page_matches_file(host.pid(), *line, sandbox_->path("libfoo.so"));
        judged = record.mapping_matches_file == false
                     ? std::string("the path's (st_dev, st_ino), but the page it maps is not what the file holds now "
                                   "(on overlayfs: the write went to a copy in the upper layer, the process maps the lower file)")
                     : "the file " + from_.name + " was installed as, whose bytes " +
                           (observed_.new_variant_bytes == true ? "are now " + to_.name + "'s"
                            : observed_.content_changed == false ? "did not change"
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
    HostRecord& record = observed_.hosts[name];
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

}  // namespace engine

using engine::Run;

long long install_library(const std::string& dir, const Scenario& scenario, const Catalogue& catalogue, long long pad_to)
{
    const Variant& from = *catalogue.find(scenario.from);
    const Variant& to = *catalogue.find(scenario.to);
    long long bytes = copy_file(from.shared_object, dir + "/libfoo.so");
    if (pad_to > 0) bytes += pad_file(dir + "/libfoo.so", pad_to);
    bool links = std::any_of(scenario.steps.begin(), scenario.steps.end(), [](const Step& step) {
        return step.kind == Step::Kind::update && (step.strategy == "rm-then-build" || step.strategy == "relink");
    });
    if (links) copy_file(to.object, dir + "/foo-" + to.name + ".o", 0644);  // what the linker reads
    return bytes;
}

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
