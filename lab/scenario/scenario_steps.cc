// scenario_steps.cc — the steps of a scenario, one kind at a time, and the order they run in.
#include "scenario/scenario_parts.h"

#include <algorithm>
#include <map>

#include "input/json_input.h"
#include "base/text.h"
#include "update/update.h"

namespace lab::scenario_parts {

namespace {

using json = nlohmann::ordered_json;

std::string host_name(const Fields& step, const std::string& key)
{
    std::string host = step.text(key);
    const auto& hosts = known_hosts();
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end())
        step.fail(key, "unknown host " + quote_value(host) + " (known: " + join(hosts, ", ") + ")");
    return host;
}

std::vector<int> chapter_list(const Fields& step, int chapters)
{
    if (!step.has("chapters")) step.fail("chapters", "is missing (a list of chapter numbers to call)");
    const json& list = step.raw("chapters");
    if (!list.is_array() || list.empty()) step.fail("chapters", "must be a non-empty list of chapter numbers");
    std::vector<int> result;
    for (size_t i = 0; i < list.size(); ++i) {
        std::string where = "chapters[" + std::to_string(i) + "]";
        if (!list[i].is_number_integer()) step.fail(where, "must be a whole number");
        auto chapter = whole_number(list[i], 1, chapters);
        if (!chapter)
            step.fail(where, "chapter " + printable(list[i].dump(), 24) + " does not exist (libfoo has 1 to " +
                                 std::to_string(chapters) + ")");
        result.push_back(static_cast<int>(*chapter));
    }
    return result;
}

std::vector<std::string> observed_things(const Fields& step)
{
    if (!step.has("what")) return observable_things();
    const json& what = step.raw("what");
    if (!what.is_array() || what.empty()) step.fail("what", "must be a non-empty list");
    std::vector<std::string> result;
    const auto& things = observable_things();
    for (size_t i = 0; i < what.size(); ++i) {
        if (!what[i].is_string() || std::find(things.begin(), things.end(), what[i].get<std::string>()) == things.end())
            step.fail("what[" + std::to_string(i) + "]", "must be one of " + join(things, ", "));
        result.push_back(what[i].get<std::string>());
    }
    return result;
}

void parse_library_step(const Fields& step, Step* result)
{
    const bool open = step.has("dlopen");
    if (open) step.only({"dlopen", "copy", "why"});
    else step.only({"dlclose", "why"});
    result->kind = open ? Step::Kind::dlopen : Step::Kind::dlclose;
    result->host = host_name(step, open ? "dlopen" : "dlclose");
    result->copy = step.optional_bool("copy").value_or(false);
}

void parse_start(const Fields& step, Step* result)
{
    step.only({"start", "mode", "why"});
    result->kind = Step::Kind::start;
    result->host = host_name(step, "start");
    result->mode = step.optional_word<HostMode>("mode").value_or(HostMode::linked);
    if (result->mode != HostMode::linked && result->host != "process2")
        step.fail("mode", "only process2 has a dlopen mode (process2-dlopen)");
}

void parse_update(const Fields& step, Step* result)
{
    step.only({"update", "why"});
    result->kind = Step::Kind::update;
    if (step.raw("update").is_object()) {  // an updater of the user's own
        Fields updater = step.object("update");
        updater.only({"command", "name"});
        if (!updater.has("command") || !updater.raw("command").is_string() || updater.raw("command").get<std::string>().empty())
            updater.fail("command", "must be a shell command, such as \"cp {new} {path}\"");
        if (updater.has("name") && !updater.raw("name").is_string()) updater.fail("name", "must be a string");
        result->strategy = Strategy::command;
        result->command = updater.raw("command").get<std::string>();
        return;
    }
    const std::string name = step.text("update");
    if (name == "command") step.fail("update", "give a command as {\"command\": \"...\"}");
    auto strategy = from_string<Strategy>(name);
    if (!strategy || !find_strategy(*strategy))
        step.fail("update", "unknown strategy " + quote_value(name) + " (known: " + join(strategy_names(), ", ") +
                                "; or your own as {\"command\": \"...\"})");
    result->strategy = *strategy;
}

}  // namespace

Step parse_step(const Fields& step, int chapters)
{
    Step result;
    result.why = step.text("why", false);
    int kinds = 0;
    for (const char* kind : {"start", "call", "update", "stop", "observe", "evict", "dlopen", "dlclose", "etxtbsy"})
        kinds += step.has(kind);
    if (kinds != 1)
        step.fail("", "a step must have exactly one of start, call, update, stop, observe, evict, dlopen, dlclose, etxtbsy");
    if (step.has("etxtbsy")) {
        step.only({"etxtbsy", "why"});
        result.kind = Step::Kind::etxtbsy;
        result.host = host_name(step, "etxtbsy");
    } else if (step.has("dlopen") || step.has("dlclose")) {
        parse_library_step(step, &result);
    } else if (step.has("observe")) {
        step.only({"observe", "what", "label", "why"});
        result.kind = Step::Kind::observe;
        result.host = host_name(step, "observe");
        result.label = step.text("label", false);
        result.what = observed_things(step);
    } else if (step.has("evict")) {
        step.only({"evict", "why"});
        result.kind = Step::Kind::evict;
        if (step.text("evict") != "libfoo.so") step.fail("evict", "only \"libfoo.so\" can be evicted");
    } else if (step.has("start")) {
        parse_start(step, &result);
    } else if (step.has("stop")) {
        step.only({"stop", "why"});
        result.kind = Step::Kind::stop;
        result.host = host_name(step, "stop");
    } else if (step.has("call")) {
        step.only({"call", "chapters", "why"});
        result.kind = Step::Kind::call;
        result.host = host_name(step, "call");
        result.chapters = chapter_list(step, chapters);
    } else {
        parse_update(step, &result);
    }
    return result;
}

namespace {

// What the steps so far have done to each host.
struct HostState {
    enum { never_started, running, stopped } state = never_started;
    HostMode mode = HostMode::linked;
    int handles = 0;  // a dlopen host's open handles (it opens one at start)
};

void check_library_step(const std::string& file, const std::string& where, const Step& step, HostState& host)
{
    if (host.state != HostState::running) throw ScenarioError(file, where, step.host + " is not running at this step");
    if (host.mode == HostMode::linked)
        throw ScenarioError(file, where, step.host + " links libfoo at build time; start it with \"mode\": \"dlopen\"");
    if (step.kind == Step::Kind::dlopen) ++host.handles;
    else if (host.handles-- == 0)
        throw ScenarioError(file, where + ".dlclose", step.host + " has nothing open to close at this step");
}

}  // namespace

void check_step_order(const std::string& file, const std::vector<Step>& steps)
{
    std::map<std::string, HostState> hosts;
    int updates = 0;
    for (size_t i = 0; i < steps.size(); ++i) {
        const Step& step = steps[i];
        const std::string where = "steps[" + std::to_string(i) + "]";
        HostState& host = hosts[step.host];
        auto must_run = [&](const char* key) {
            if (host.state != HostState::running)
                throw ScenarioError(file, where + "." + key, step.host + " is not running at this step");
        };
        switch (step.kind) {
        case Step::Kind::start:
            if (host.state != HostState::never_started) throw ScenarioError(file, where + ".start", step.host + " is started twice");
            host = {HostState::running, step.mode, step.mode == HostMode::linked ? 0 : 1};
            break;
        case Step::Kind::call:
            must_run("call");
            if (host.mode != HostMode::linked && host.handles == 0)
                throw ScenarioError(file, where + ".call", step.host + " has no libfoo open at this step (dlclose closed its last handle)");
            break;
        case Step::Kind::observe: must_run("observe"); break;
        case Step::Kind::etxtbsy: must_run("etxtbsy"); break;
        case Step::Kind::evict: break;
        case Step::Kind::dlopen:
        case Step::Kind::dlclose: check_library_step(file, where, step, host); break;
        case Step::Kind::stop:
            must_run("stop");
            host.state = HostState::stopped;
            break;
        case Step::Kind::update:
            if (++updates > 1) throw ScenarioError(file, where + ".update", "a scenario has at most one update");
            break;
        }
    }
}

}  // namespace lab::scenario_parts
