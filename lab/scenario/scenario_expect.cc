// scenario_expect.cc — what a scenario expects: conditions, the hosts' verdicts, page sharing,
// disk space, ETXTBSY; and whether the steps observe what the expectation compares.
#include "scenario/scenario_parts.h"

#include <algorithm>

#include "input/json_input.h"
#include "base/kernel_version.h"
#include "base/text.h"

namespace lab::scenario_parts {

namespace {

using json = nlohmann::ordered_json;

std::vector<std::string> filesystems_of(const Fields& when)
{
    std::vector<std::string> filesystems;
    const json& value = when.raw("filesystem");
    const char* problem = "must be a file system type such as \"squashfs\", or a list of them";
    if (value.is_string()) filesystems.push_back(value.get<std::string>());
    else if (value.is_array())
        for (const auto& item : value) {
            if (!item.is_string() || item.get<std::string>().empty()) when.fail("filesystem", problem);
            filesystems.push_back(item.get<std::string>());
        }
    if (filesystems.empty() || filesystems.front().empty()) when.fail("filesystem", problem);
    return filesystems;
}

// A list of version names ("v1"; "wrong" or "none"), at least one.
std::vector<std::string> versions_of(const Fields& host, const char* key)
{
    const json& value = host.raw(key);
    std::vector<std::string> versions;
    for (const auto& item : value.is_array() ? value : json::array()) {
        if (!item.is_string() || item.get<std::string>().empty()) break;
        versions.push_back(item.get<std::string>());
    }
    if (!value.is_array() || value.empty() || versions.size() != value.size())
        host.fail(key, "must be a list of the versions that answer, such as [\"v1\", \"v2\"] (or \"wrong\", \"none\")");
    return versions;
}

Condition parse_condition(const Fields& when)
{
    when.only({"kernel_at_least", "kernel_below", "root", "linker_contains", "binding", "libc", "filesystem", "layer"});
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
    condition.binding = when.optional_word<Binding>("binding");
    condition.libc = when.optional_word<Libc>("libc");
    if (when.has("filesystem")) condition.filesystems = filesystems_of(when);
    condition.layer = when.optional_text("layer");
    if (condition.layer && *condition.layer != "lower" && *condition.layer != "upper")
        when.fail("layer", "must be \"lower\" or \"upper\" (the overlayfs layer libfoo.so is in)");
    return condition;
}

HostExpectation parse_host_expectation(const Fields& host)
{
    host.only({"verdict", "mapping_deleted", "signal", "si_code", "at_exit", "calls_after_update", "versions_after_update",
               "read_the_disk"});
    HostExpectation expectation;
    expectation.read_the_disk = host.optional_bool("read_the_disk");
    std::string word = host.text("verdict");
    auto verdict = from_string<Verdict>(word);
    if (!verdict) host.fail("verdict", quote_value(word, 24) + " is not a verdict (" + spellings<Verdict>() + ")");
    expectation.verdict = *verdict;
    expectation.mapping_deleted = host.optional_bool("mapping_deleted");
    expectation.signal = host.optional_text("signal");
    if (expectation.signal && expectation.signal->rfind("SIG", 0) != 0)
        host.fail("signal", "must be a signal name such as SIGSEGV");
    expectation.si_code = host.optional_text("si_code");
    expectation.at_exit = host.optional_word<AtExit>("at_exit");
    if (expectation.at_exit && *expectation.at_exit != AtExit::clean && *expectation.at_exit != AtExit::crashed &&
        *expectation.at_exit != AtExit::hung)
        host.fail("at_exit", "must be \"clean\", \"crashed\" or \"hung\"");
    if (host.has("calls_after_update"))
        expectation.calls_after_update = static_cast<int>(host.number("calls_after_update", 0, max_calls));
    if (host.has("versions_after_update")) expectation.versions_after_update = versions_of(host, "versions_after_update");
    return expectation;
}

DiskExpectation parse_disk(const Fields& disk, bool has_update)
{
    disk.only({"tolerance"});
    DiskExpectation expected;
    if (disk.has("tolerance")) {
        const json& tolerance = disk.raw("tolerance");
        if (!tolerance.is_number() || tolerance.get<double>() <= 0 || tolerance.get<double>() >= 1)
            disk.fail("tolerance", "must be a fraction between 0 and 1, such as 0.1");
        expected.tolerance = tolerance.get<double>();
    }
    if (!has_update) disk.fail("", "there is no update step to observe this of");
    return expected;
}

SharingExpectation parse_sharing(const Fields& sharing, const std::set<std::string>& started)
{
    sharing.only({"readonly", "writable"});
    for (const char* key : {"readonly", "writable"}) sharing.text(key);  // present and not empty
    SharingExpectation expected{*sharing.optional_word<SharingPattern>("readonly"), *sharing.optional_word<SharingPattern>("writable")};
    if (!started.count("process1") || !started.count("process2"))
        sharing.fail("", "compares process1 with process2: both must be started");
    return expected;
}

std::map<std::string, std::optional<std::string>> parse_etxtbsy(const Fields& probes)
{
    probes.only({"executable", "library", "interpreter"});
    std::map<std::string, std::optional<std::string>> expected;
    for (const char* what : {"executable", "library", "interpreter"}) {
        if (!probes.has(what)) continue;
        const json& value = probes.raw(what);
        if (value.is_null()) expected[what] = std::nullopt;
        else if (value.is_string() && value.get<std::string>().rfind("E", 0) == 0) expected[what] = value.get<std::string>();
        else probes.fail(what, "must be an errno name such as \"ETXTBSY\", or null when the open succeeds");
    }
    return expected;
}

std::map<std::string, HostExpectation> parse_hosts(const Fields& fields, const std::set<std::string>& started)
{
    if (!fields.has("hosts")) fields.fail("hosts", "is missing (the verdict expected of each host)");
    Fields hosts = fields.object("hosts");
    std::map<std::string, HostExpectation> expected;
    for (const auto& [name, entry] : fields.raw("hosts").items()) {
        if (!started.count(name)) hosts.fail(name, "this host is never started in steps");
        expected[name] = parse_host_expectation(hosts.object(name));
    }
    if (expected.empty()) hosts.fail("", "must name at least one host");
    return expected;
}

}  // namespace

Expectation parse_expectation(const Fields& fields, const std::set<std::string>& started, bool has_update)
{
    fields.only({"when", "note", "update_errno", "same_file", "content_changed", "path_missing", "hosts", "sharing", "disk",
                 "etxtbsy"});
    Expectation expectation;
    if (fields.has("disk")) expectation.disk = parse_disk(fields.object("disk"), has_update);
    if (fields.has("when")) expectation.when = parse_condition(fields.object("when"));
    expectation.note = fields.text("note", false);
    expectation.update_errno = fields.optional_text("update_errno");
    if (expectation.update_errno && expectation.update_errno->rfind("E", 0) != 0)
        fields.fail("update_errno", "must be an errno name such as \"EROFS\"");
    expectation.same_file = fields.optional_bool("same_file");
    expectation.content_changed = fields.optional_bool("content_changed");
    expectation.path_missing = fields.optional_bool("path_missing");
    for (const char* key : {"update_errno", "same_file", "content_changed", "path_missing"})
        if (fields.has(key) && !has_update) fields.fail(key, "there is no update step to observe this of");
    if (fields.has("sharing")) expectation.sharing = parse_sharing(fields.object("sharing"), started);
    if (fields.has("etxtbsy")) expectation.etxtbsy = parse_etxtbsy(fields.object("etxtbsy"));
    expectation.hosts = parse_hosts(fields, started);
    return expectation;
}

namespace {

bool has_step(const std::vector<Step>& steps, Step::Kind kind, const std::string& host, const char* thing)
{
    return std::any_of(steps.begin(), steps.end(), [&](const Step& step) {
        return step.kind == kind && (host.empty() || step.host == host) &&
               (!thing || std::find(step.what.begin(), step.what.end(), thing) != step.what.end());
    });
}

// How many chapters the steps call on `host` after the first update step.
size_t calls_after_update(const std::vector<Step>& steps, const std::string& host)
{
    auto update = std::find_if(steps.begin(), steps.end(), [](const Step& step) { return step.kind == Step::Kind::update; });
    size_t calls = 0;
    for (auto step = update; step != steps.end(); ++step)
        if (step->kind == Step::Kind::call && step->host == host) calls += step->chapters.size();
    return calls;
}

}  // namespace

void check_observable(const std::string& file, const std::string& where, const Expectation& expectation,
                      const std::vector<Step>& steps)
{
    if (expectation.sharing)
        for (const char* host : {"process1", "process2"})
            if (!has_step(steps, Step::Kind::observe, host, "pages"))
                throw ScenarioError(file, where + ".sharing",
                                    std::string("compares the pages of both hosts, but no step observes ") + host + "'s \"pages\"");
    if (!expectation.etxtbsy.empty() && !has_step(steps, Step::Kind::etxtbsy, "", nullptr))
        throw ScenarioError(file, where + ".etxtbsy", "there is no etxtbsy step to observe this of");
    auto evict = std::find_if(steps.begin(), steps.end(), [](const Step& step) { return step.kind == Step::Kind::evict; });
    const std::vector<Step> after_evict(evict, steps.end());
    for (const auto& entry : expectation.hosts) {
        const std::string& host = entry.first;  // (a named variable: clang 14 cannot capture a structured binding)
        if (entry.second.read_the_disk && !has_step(after_evict, Step::Kind::observe, host, "faults"))
            throw ScenarioError(file, where + ".hosts." + host + ".read_the_disk",
                                "needs an evict step, then an observe step of " + host + " with \"faults\"");
        const size_t calls = calls_after_update(steps, host);
        if (entry.second.versions_after_update && entry.second.versions_after_update->size() != calls)
            throw ScenarioError(file, where + ".hosts." + host + ".versions_after_update",
                                "names " + std::to_string(entry.second.versions_after_update->size()) + " versions, but the steps make " +
                                    std::to_string(calls) + (calls == 1 ? " call" : " calls") + " to " + host + " after the update");
    }
}

}  // namespace lab::scenario_parts
