// scenario.cc — parsing and checking scenario files. Every problem is reported with the field's
// path ("steps[2].chapters[0]") and what was wrong with it; unknown keys are errors, because a
// misspelt "expect" would otherwise be an expectation silently never checked.
#include "scenario/scenario.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "scenario/catalogue.h"
#include "base/json_input.h"
#include "base/kernel_version.h"
#include "system/sandbox.h"
#include "base/text.h"
#include "update/update.h"

namespace lab {

using nlohmann::json;

const std::vector<std::string>& observable_things()
{
    static const std::vector<std::string> things = {"pages", "smaps", "faults", "page_cache"};
    return things;
}

const std::vector<std::string>& known_hosts()
{
    static const std::vector<std::string> hosts = {"process1", "process2"};
    return hosts;
}

namespace {

// Reads fields of one JSON object, remembering where it is for the error messages.
class Fields {
public:
    Fields(const std::string& file, const std::string& path, const json& object) : file_(file), path_(path), object_(object)
    {
        if (!object.is_object()) fail("", "must be an object");
    }

    [[noreturn]] void fail(const std::string& key, const std::string& problem) const
    {
        throw ScenarioError(file_, at(key), problem);
    }
    std::string at(const std::string& key) const
    {
        if (key.empty()) return path_.empty() ? "(top level)" : path_;
        if (key[0] == '[') return path_ + key;
        return path_.empty() ? key : path_ + "." + key;
    }
    bool has(const std::string& key) const { return object_.contains(key); }
    const json& raw(const std::string& key) const { return object_.at(key); }

    std::string text(const std::string& key, bool required = true) const
    {
        if (!has(key)) {
            if (required) fail(key, "is missing");
            return "";
        }
        const json& value = raw(key);
        if (!value.is_string()) fail(key, "must be a string");
        if (required && value.get<std::string>().empty()) fail(key, "must not be empty");
        return value.get<std::string>();
    }
    std::optional<std::string> optional_text(const std::string& key) const
    {
        if (!has(key)) return std::nullopt;
        return text(key);
    }
    std::optional<bool> optional_bool(const std::string& key) const
    {
        if (!has(key)) return std::nullopt;
        if (!raw(key).is_boolean()) fail(key, "must be true or false");
        return raw(key).get<bool>();
    }
    void only(std::initializer_list<const char*> allowed) const
    {
        for (const auto& item : object_.items()) {
            const std::string& key = item.key();
            if (std::none_of(allowed.begin(), allowed.end(), [&](const char* name) { return key == name; }))
                fail(key, "unknown field (allowed: " + list(allowed) + ")");
        }
    }
    static std::string list(std::initializer_list<const char*> names)
    {
        std::string text;
        for (const char* name : names) text += (text.empty() ? "" : ", ") + std::string(name);
        return text;
    }

private:
    const std::string& file_;
    std::string path_;
    const json& object_;
};

std::string one_of(const std::vector<std::string>& names)
{
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

std::string host_name(const Fields& step, const std::string& key)
{
    std::string host = step.text(key);
    const auto& hosts = known_hosts();
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end())
        step.fail(key, "unknown host " + quote_value(host) + " (known: " + one_of(hosts) + ")");
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

Step parse_step(const Fields& step, int chapters)
{
    Step result;
    result.why = step.text("why", false);
    int kinds = step.has("start") + step.has("call") + step.has("update") + step.has("stop") +
                step.has("observe") + step.has("evict") + step.has("dlopen") + step.has("dlclose") + step.has("etxtbsy");
    if (kinds != 1)
        step.fail("", "a step must have exactly one of start, call, update, stop, observe, evict, dlopen, dlclose, etxtbsy");
    if (step.has("etxtbsy")) {
        step.only({"etxtbsy", "why"});
        result.kind = Step::Kind::etxtbsy;
        result.host = host_name(step, "etxtbsy");
        result.why = step.text("why", false);
        return result;
    }
    if (step.has("dlopen") || step.has("dlclose")) {
        const char* key = step.has("dlopen") ? "dlopen" : "dlclose";
        if (step.has("dlopen")) step.only({"dlopen", "copy", "why"});
        else step.only({"dlclose", "why"});
        result.kind = step.has("dlopen") ? Step::Kind::dlopen : Step::Kind::dlclose;
        result.host = host_name(step, key);
        result.copy = step.optional_bool("copy").value_or(false);
        result.why = step.text("why", false);
        return result;
    }
    if (step.has("observe")) {
        step.only({"observe", "what", "label", "why"});
        result.kind = Step::Kind::observe;
        result.host = host_name(step, "observe");
        result.label = step.text("label", false);
        result.what = observable_things();
        if (step.has("what")) {
            const json& what = step.raw("what");
            if (!what.is_array() || what.empty()) step.fail("what", "must be a non-empty list");
            result.what.clear();
            for (size_t i = 0; i < what.size(); ++i) {
                const auto& things = observable_things();
                std::string where = "what[" + std::to_string(i) + "]";
                if (!what[i].is_string() || std::find(things.begin(), things.end(), what[i].get<std::string>()) == things.end())
                    step.fail(where, "must be one of " + one_of(things));
                result.what.push_back(what[i].get<std::string>());
            }
        }
    } else if (step.has("evict")) {
        step.only({"evict", "why"});
        result.kind = Step::Kind::evict;
        if (step.text("evict") != "libfoo.so") step.fail("evict", "only \"libfoo.so\" can be evicted");
    } else if (step.has("start")) {
        step.only({"start", "mode", "why"});
        result.kind = Step::Kind::start;
        result.host = host_name(step, "start");
        if (step.has("mode")) {
            result.mode = step.text("mode");
            if (result.mode != "linked" && result.mode != "dlopen" && result.mode != "dlopen-copy")
                step.fail("mode", "must be \"linked\", \"dlopen\" or \"dlopen-copy\"");
            if (result.mode != "linked" && result.host != "process2")
                step.fail("mode", "only process2 has a dlopen mode (process2-dlopen)");
        }
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
        step.only({"update", "why"});
        result.kind = Step::Kind::update;
        if (step.raw("update").is_object()) {  // an updater of the user's own
            const json& object = step.raw("update");
            for (const auto& [key, value] : object.items())
                if (key != "command" && key != "name") step.fail("update." + key, "unknown field (allowed: command, name)");
            if (!object.contains("command") || !object["command"].is_string() || object["command"].get<std::string>().empty())
                step.fail("update.command", "must be a shell command, such as \"cp {new} {path}\"");
            if (object.contains("name") && !object["name"].is_string())
                step.fail("update.name", "must be a string");
            result.strategy = "command";
            result.command = object["command"].get<std::string>();
            return result;
        }
        result.strategy = step.text("update");
        if (result.strategy == "command") step.fail("update", "give a command as {\"command\": \"...\"}");
        if (!find_strategy(result.strategy))
            step.fail("update", "unknown strategy " + quote_value(result.strategy) + " (known: " + one_of(strategy_names()) +
                                    "; or your own as {\"command\": \"...\"})");
    }
    return result;
}

// The order of steps must make sense: start before call, at most one update, no call after stop.
void check_step_order(const std::string& file, const std::vector<Step>& steps)
{
    std::map<std::string, int> state;  // 0 never started, 1 running, 2 stopped
    std::map<std::string, std::string> modes;
    std::map<std::string, int> handles;  // a dlopen host's open handles (it opens one at start)
    int updates = 0;
    for (size_t i = 0; i < steps.size(); ++i) {
        const Step& step = steps[i];
        std::string where = "steps[" + std::to_string(i) + "]";
        int& host = state[step.host];
        switch (step.kind) {
        case Step::Kind::start:
            if (host != 0) throw ScenarioError(file, where + ".start", step.host + " is started twice");
            host = 1;
            modes[step.host] = step.mode;
            handles[step.host] = step.mode == "linked" ? 0 : 1;
            break;
        case Step::Kind::call:
            if (host != 1) throw ScenarioError(file, where + ".call", step.host + " is not running at this step");
            if (modes[step.host] != "linked" && handles[step.host] == 0)
                throw ScenarioError(file, where + ".call", step.host + " has no libfoo open at this step (dlclose closed its last handle)");
            break;
        case Step::Kind::observe:
            if (host != 1) throw ScenarioError(file, where + ".observe", step.host + " is not running at this step");
            break;
        case Step::Kind::etxtbsy:
            if (host != 1) throw ScenarioError(file, where + ".etxtbsy", step.host + " is not running at this step");
            break;
        case Step::Kind::evict: break;
        case Step::Kind::dlopen:
        case Step::Kind::dlclose:
            if (host != 1) throw ScenarioError(file, where, step.host + " is not running at this step");
            if (modes[step.host] == "linked")
                throw ScenarioError(file, where, step.host + " links libfoo at build time; start it with \"mode\": \"dlopen\"");
            if (step.kind == Step::Kind::dlopen) ++handles[step.host];
            else if (handles[step.host]-- == 0)
                throw ScenarioError(file, where + ".dlclose", step.host + " has nothing open to close at this step");
            break;
        case Step::Kind::stop:
            if (host != 1) throw ScenarioError(file, where + ".stop", step.host + " is not running at this step");
            host = 2;
            break;
        case Step::Kind::update:
            if (++updates > 1) throw ScenarioError(file, where + ".update", "a scenario has at most one update");
            break;
        }
    }
}

// An expectation the steps give nothing to compare with could never pass: refuse it now, not
// as a FAIL after the run.
void check_observable(const std::string& file, const std::string& where, const Expectation& expectation,
                      const std::vector<Step>& steps)
{
    auto has_step = [&](Step::Kind kind, const std::string& host, const char* thing) {
        return std::any_of(steps.begin(), steps.end(), [&](const Step& step) {
            return step.kind == kind && (host.empty() || step.host == host) &&
                   (!thing || std::find(step.what.begin(), step.what.end(), thing) != step.what.end());
        });
    };
    if (expectation.sharing)
        for (const char* host : {"process1", "process2"})
            if (!has_step(Step::Kind::observe, host, "pages"))
                throw ScenarioError(file, where + ".sharing",
                                    std::string("compares the pages of both hosts, but no step observes ") + host + "'s \"pages\"");
    if (!expectation.etxtbsy.empty() && !has_step(Step::Kind::etxtbsy, "", nullptr))
        throw ScenarioError(file, where + ".etxtbsy", "there is no etxtbsy step to observe this of");
    for (const auto& entry : expectation.hosts) {
        const std::string& host = entry.first;  // (a named variable: clang 14 cannot capture a structured binding)
        if (!entry.second.read_the_disk) continue;
        auto evict = std::find_if(steps.begin(), steps.end(), [](const Step& step) { return step.kind == Step::Kind::evict; });
        bool observed_after = evict != steps.end() && std::any_of(evict, steps.end(), [&](const Step& step) {
            return step.kind == Step::Kind::observe && step.host == host &&
                   std::find(step.what.begin(), step.what.end(), "faults") != step.what.end();
        });
        if (!observed_after)
            throw ScenarioError(file, where + ".hosts." + host + ".read_the_disk",
                                "needs an evict step, then an observe step of " + host + " with \"faults\"");
    }
}

Condition parse_condition(const Fields& when)
{
    when.only({"kernel_at_least", "kernel_below", "root", "linker_contains", "binding", "filesystem", "layer"});
    Condition condition;
    condition.kernel_at_least = when.optional_text("kernel_at_least");
    condition.kernel_below = when.optional_text("kernel_below");
    for (const char* key : {"kernel_at_least", "kernel_below"}) {
        auto value = when.optional_text(key);
        if (value && !parse_kernel_version(*value))
            when.fail(key, quote_value(*value) + " is not a kernel version like 6.11.11");
    }
    condition.root = when.optional_bool("root");
    condition.linker_contains = when.optional_text("linker_contains");
    condition.binding = when.optional_text("binding");
    if (condition.binding && *condition.binding != "lazy" && *condition.binding != "now")
        when.fail("binding", "must be \"lazy\" or \"now\"");
    if (when.has("filesystem")) {
        const json& value = when.raw("filesystem");
        if (value.is_string()) condition.filesystems.push_back(value.get<std::string>());
        else if (value.is_array())
            for (const auto& item : value) {
                if (!item.is_string() || item.get<std::string>().empty())
                    when.fail("filesystem", "must be a file system type such as \"squashfs\", or a list of them");
                condition.filesystems.push_back(item.get<std::string>());
            }
        if (condition.filesystems.empty() || condition.filesystems.front().empty())
            when.fail("filesystem", "must be a file system type such as \"squashfs\", or a list of them");
    }
    condition.layer = when.optional_text("layer");
    if (condition.layer && *condition.layer != "lower" && *condition.layer != "upper")
        when.fail("layer", "must be \"lower\" or \"upper\" (the overlayfs layer libfoo.so is in)");
    return condition;
}

HostExpectation parse_host_expectation(const Fields& host)
{
    host.only({"verdict", "mapping_deleted", "signal", "si_code", "at_exit", "calls_after_update", "read_the_disk"});
    HostExpectation expectation;
    expectation.read_the_disk = host.optional_bool("read_the_disk");
    std::string word = host.text("verdict");
    auto verdict = verdict_from_string(word);
    if (!verdict)
        host.fail("verdict", quote_value(word, 24) +
                                 " is not a verdict (kept-old, runs-new, switched-to-new, wrong-answer, crashed, "
                                 "hung, exited)");
    expectation.verdict = *verdict;
    expectation.mapping_deleted = host.optional_bool("mapping_deleted");
    expectation.signal = host.optional_text("signal");
    if (expectation.signal && expectation.signal->rfind("SIG", 0) != 0)
        host.fail("signal", "must be a signal name such as SIGSEGV");
    expectation.si_code = host.optional_text("si_code");
    expectation.at_exit = host.optional_text("at_exit");
    if (expectation.at_exit && *expectation.at_exit != "clean" && *expectation.at_exit != "crashed")
        host.fail("at_exit", "must be \"clean\" or \"crashed\"");
    if (host.has("calls_after_update")) {
        auto calls = whole_number(host.raw("calls_after_update"), 0, max_calls);
        if (!calls) host.fail("calls_after_update", "must be a whole number from 0 to " + std::to_string(max_calls));
        expectation.calls_after_update = static_cast<int>(*calls);
    }
    return expectation;
}

Expectation parse_expectation(const std::string& file, const std::string& path, const json& value,
                              const std::set<std::string>& started, bool has_update)
{
    Fields fields(file, path, value);
    fields.only({"when", "note", "update_errno", "same_file", "content_changed", "path_missing", "hosts", "sharing", "disk",
                 "etxtbsy"});
    Expectation expectation;
    if (fields.has("disk")) {
        Fields disk(file, fields.at("disk"), fields.raw("disk"));
        disk.only({"tolerance"});
        DiskExpectation expected;
        if (disk.has("tolerance")) {
            const json& tolerance = disk.raw("tolerance");
            if (!tolerance.is_number() || tolerance.get<double>() <= 0 || tolerance.get<double>() >= 1)
                disk.fail("tolerance", "must be a fraction between 0 and 1, such as 0.1");
            expected.tolerance = tolerance.get<double>();
        }
        if (!has_update) disk.fail("", "there is no update step to observe this of");
        expectation.disk = expected;
    }
    if (fields.has("when")) expectation.when = parse_condition(Fields(file, fields.at("when"), fields.raw("when")));
    expectation.note = fields.text("note", false);
    expectation.update_errno = fields.optional_text("update_errno");
    if (expectation.update_errno && expectation.update_errno->rfind("E", 0) != 0)
        fields.fail("update_errno", "must be an errno name such as \"EROFS\"");
    if (expectation.update_errno && !has_update) fields.fail("update_errno", "there is no update step to observe this of");
    expectation.same_file = fields.optional_bool("same_file");
    expectation.content_changed = fields.optional_bool("content_changed");
    expectation.path_missing = fields.optional_bool("path_missing");
    for (const char* key : {"same_file", "content_changed", "path_missing"})
        if (fields.has(key) && !has_update) fields.fail(key, "there is no update step to observe this of");
    if (fields.has("sharing")) {
        Fields sharing(file, fields.at("sharing"), fields.raw("sharing"));
        sharing.only({"readonly", "writable"});
        SharingExpectation expected{sharing.text("readonly"), sharing.text("writable")};
        for (const char* key : {"readonly", "writable"}) {
            std::string word = sharing.text(key);
            if (word != "all-same" && word != "all-different")
                sharing.fail(key, "must be \"all-same\" or \"all-different\"");
        }
        if (!started.count("process1") || !started.count("process2"))
            sharing.fail("", "compares process1 with process2: both must be started");
        expectation.sharing = expected;
    }
    if (fields.has("etxtbsy")) {
        Fields probes(file, fields.at("etxtbsy"), fields.raw("etxtbsy"));
        probes.only({"executable", "library", "interpreter"});
        for (const auto& [what, value] : fields.raw("etxtbsy").items()) {
            if (value.is_null()) expectation.etxtbsy[what] = std::nullopt;
            else if (value.is_string() && value.get<std::string>().rfind("E", 0) == 0) expectation.etxtbsy[what] = value.get<std::string>();
            else probes.fail(what, "must be an errno name such as \"ETXTBSY\", or null when the open succeeds");
        }
    }
    if (!fields.has("hosts")) fields.fail("hosts", "is missing (the verdict expected of each host)");
    Fields hosts(file, fields.at("hosts"), fields.raw("hosts"));
    for (const auto& [name, entry] : fields.raw("hosts").items()) {
        if (!started.count(name)) hosts.fail(name, "this host is never started in steps");
        expectation.hosts[name] = parse_host_expectation(Fields(file, hosts.at(name), entry));
    }
    if (expectation.hosts.empty()) hosts.fail("", "must name at least one host");
    return expectation;
}

}  // namespace

Scenario parse_scenario(const std::string& path, const std::string& text, const Catalogue& catalogue)
{
    return parse_scenario_document(path, parse_json_input(path, text), catalogue);
}

Scenario parse_scenario_document(const std::string& path, const nlohmann::json& document, const Catalogue& catalogue)
{
    Fields top(path, "", document);
    top.only({"schema", "name", "title", "description", "seed", "library", "timeout_ms", "binding", "steps", "expect"});

    Scenario scenario;
    scenario.file = path;
    if (top.text("schema") != "libfoo-lab/scenario/1")
        top.fail("schema", "must be \"libfoo-lab/scenario/1\"");
    scenario.name = top.text("name");
    if (!is_scenario_name(scenario.name))
        top.fail("name", "must be lower-case letters, digits and dashes, starting with a letter or digit, at most " +
                             std::to_string(max_name_length) + " of them");
    std::string stem = std::filesystem::path(path).stem().string();
    if (scenario.name != stem)
        top.fail("name", quote_value(scenario.name) + " must match the file's name (" + quote_value(stem) + ")");
    scenario.title = top.text("title");
    scenario.description = top.text("description");
    scenario.seed = top.text("seed");

    if (!top.has("library")) top.fail("library", "is missing (the variants to start on and update to)");
    Fields library(path, "library", top.raw("library"));
    library.only({"from", "to", "pad_to"});
    if (auto pad = library.optional_text("pad_to")) {
        auto bytes = parse_size(*pad);
        if (!bytes || *bytes == 0) library.fail("pad_to", quote_value(*pad) + " is not a size like 64M or 1G");
        scenario.pad_to = *bytes;
    }
    scenario.from = library.text("from");
    scenario.to = library.text("to");
    for (const char* key : {"from", "to"}) {
        std::string name = library.text(key);
        if (!catalogue.find(name)) {
            std::string names;
            for (const auto& [known, variant] : catalogue.variants()) names += (names.empty() ? "" : ", ") + known;
            library.fail(key, "unknown libfoo variant " + quote_value(name, 24) + " (built: " + names + ")");
        }
    }
    if (top.has("timeout_ms")) {
        const json& timeout = top.raw("timeout_ms");
        auto milliseconds = whole_number(timeout, 1, 600000);
        if (!milliseconds) top.fail("timeout_ms", "must be a whole number of milliseconds from 1 to 600000");
        scenario.timeout_ms = static_cast<int>(*milliseconds);
    }

    if (top.has("binding")) {
        const json& binding = top.raw("binding");
        std::vector<std::string> bindings;
        if (binding.is_string()) bindings.push_back(binding.get<std::string>());
        else if (binding.is_array())
            for (const auto& item : binding)
                bindings.push_back(item.is_string() ? item.get<std::string>() : "");
        std::set<std::string> unique(bindings.begin(), bindings.end());
        bool valid = !bindings.empty() && unique.size() == bindings.size() &&
                     std::all_of(bindings.begin(), bindings.end(), [](const std::string& b) { return b == "lazy" || b == "now"; });
        if (!valid) top.fail("binding", "must be \"lazy\", \"now\", or a list of both");
        scenario.bindings = bindings;
    }
    if (!top.has("steps")) top.fail("steps", "is missing");
    const json& steps = top.raw("steps");
    if (!steps.is_array() || steps.empty()) top.fail("steps", "must be a non-empty list");
    std::set<std::string> started;
    for (size_t i = 0; i < steps.size(); ++i) {
        scenario.steps.push_back(parse_step(Fields(path, "steps[" + std::to_string(i) + "]", steps[i]), catalogue.chapters()));
        if (scenario.steps.back().kind == Step::Kind::start) started.insert(scenario.steps.back().host);
    }
    check_step_order(path, scenario.steps);
    for (const auto& host : started) {
        bool called = std::any_of(scenario.steps.begin(), scenario.steps.end(), [&](const Step& step) {
            return step.kind == Step::Kind::call && step.host == host;
        });
        if (!called) top.fail("steps", host + " is started but never called, so there is nothing to judge");
    }

    bool has_update = std::any_of(scenario.steps.begin(), scenario.steps.end(),
                                  [](const Step& step) { return step.kind == Step::Kind::update; });
    if (!top.has("expect")) top.fail("expect", "is missing (what this scenario expects to observe)");
    const json& expect = top.raw("expect");
    if (expect.is_array()) {
        if (expect.empty()) top.fail("expect", "must not be an empty list");
        for (size_t i = 0; i < expect.size(); ++i) {
            std::string where = "expect[" + std::to_string(i) + "]";
            scenario.expect.push_back(parse_expectation(path, where, expect[i], started, has_update));
            check_observable(path, where, scenario.expect.back(), scenario.steps);
        }
    } else {
        scenario.expect.push_back(parse_expectation(path, "expect", expect, started, has_update));
        check_observable(path, "expect", scenario.expect.back(), scenario.steps);
    }
    return scenario;
}

Scenario load_scenario(const std::string& path, const Catalogue& catalogue)
{
    std::string text;
    try {
        text = read_file(path);
    } catch (const std::system_error& error) {
        throw ScenarioError(path, "", "cannot be read: " + error.code().message());
    }
    return parse_scenario(path, text, catalogue);
}

bool is_scenario_name(const std::string& name)
{
    if (name.empty() || name.size() > max_name_length || name[0] == '-') return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace lab
