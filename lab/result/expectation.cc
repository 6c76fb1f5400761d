// expectation.cc — conditions (kernel range, root, linker) and the PASS/FAIL/BROK/CONF decision.
#include "result/expectation.h"

#include <algorithm>

#include "base/json_values.h"
#include "base/kernel_version.h"
#include "base/text.h"
#include "probe/write_probe.h"

namespace lab {

bool condition_holds(const Condition& condition, const Environment& environment, std::string* why_not)
{
    auto kernel = parse_kernel_version(environment.kernel);
    auto no = [&](std::string text) {
        if (why_not) *why_not = std::move(text);
        return false;
    };
    if (condition.kernel_at_least && (!kernel || *kernel < *parse_kernel_version(*condition.kernel_at_least)))
        return no("kernel " + environment.kernel + " is older than " + *condition.kernel_at_least);
    if (condition.kernel_below && (!kernel || !(*kernel < *parse_kernel_version(*condition.kernel_below))))
        return no("kernel " + environment.kernel + " is not below " + *condition.kernel_below);
    if (condition.root && *condition.root != environment.root())
        return no(*condition.root ? "needs root (running as uid " + std::to_string(environment.euid) + ")"
                                  : "holds only when not root");
    if (condition.binding && *condition.binding != environment.binding)
        return no("this run binds " + environment.binding + ", not " + *condition.binding);
    if (!condition.filesystems.empty() &&
        std::find(condition.filesystems.begin(), condition.filesystems.end(), environment.filesystem) == condition.filesystems.end())
        return no("the sandbox is on " + environment.filesystem + ", not " + join(condition.filesystems, " or "));
    if (condition.layer && *condition.layer != environment.library_layer)
        return no("libfoo.so is " + (environment.library_layer.empty() ? std::string("on no overlay") : "in the " + environment.library_layer + " layer") +
                  ", not in the " + *condition.layer + " layer");
    if (condition.linker_contains && environment.linker.find(*condition.linker_contains) == std::string::npos)
        return no("the linker is \"" + environment.linker + "\", not " + *condition.linker_contains);
    return true;
}

namespace {

std::string yes_no(bool value) { return value ? "true" : "false"; }

void compare_host(const std::string& name, const HostExpectation& expected, const HostRecord& host,
                  std::vector<std::string>* differences)
{
    std::string seen = host.verdict ? std::string(to_string(*host.verdict)) : "no verdict";
    if (!host.verdict || *host.verdict != expected.verdict)
        differences->push_back(name + ": expected " + std::string(to_string(expected.verdict)) + ", observed " + seen +
                               " (" + host.verdict_reason + ")");
    if (expected.mapping_deleted && *expected.mapping_deleted != host.mapping_deleted())
        differences->push_back(name + ": expected mapping_deleted " + yes_no(*expected.mapping_deleted) +
                               ", observed " + yes_no(host.mapping_deleted()));
    bool died_of_signal = host.termination.kind == Termination::Kind::signal;
    if (expected.signal) {
        std::string observed = died_of_signal ? signal_name(host.termination.signal) : "no signal";
        if (observed != *expected.signal)
            differences->push_back(name + ": expected " + *expected.signal + ", observed " + observed);
    }
    if (expected.read_the_disk) {
        if (!host.major_faults_since_eviction)
            differences->push_back(name + ": expected read_the_disk " + yes_no(*expected.read_the_disk) +
                                   ", but its faults were not observed after the eviction");
        else if ((*host.major_faults_since_eviction > 0) != *expected.read_the_disk)
            differences->push_back(name + ": expected read_the_disk " + yes_no(*expected.read_the_disk) + ", observed " +
                                   std::to_string(*host.major_faults_since_eviction) + " major faults after the eviction");
    }
    if (expected.calls_after_update && host.calls_after_update() != *expected.calls_after_update)
        differences->push_back(name + ": expected " + std::to_string(*expected.calls_after_update) +
                               " answered calls after the update, observed " + std::to_string(host.calls_after_update()));
    if (expected.at_exit && host.at_exit() != *expected.at_exit)
        differences->push_back(name + ": expected at_exit " + *expected.at_exit + ", observed " + host.at_exit());
    if (expected.si_code) {
        const auto& crash = host.termination.crash;
        std::string observed = died_of_signal && crash ? si_code_name(crash->signal, crash->code) : "no crash record";
        if (observed != *expected.si_code)
            differences->push_back(name + ": expected si_code " + *expected.si_code + ", observed " + observed);
    }
}

// "all-same": every page present in both processes is on one frame; "all-different": none is.
void compare_sharing(const std::string& kind, const std::string& expected, const nlohmann::ordered_json& sharing,
                     std::vector<std::string>* differences)
{
    long compared = sharing[kind + "_pages_compared"].get<long>();
    long same = sharing[kind + "_pages_same_frame"].get<long>();
    bool holds = compared > 0 && (expected == "all-same" ? same == compared : same == 0);
    if (!holds)
        differences->push_back("expected " + kind + " pages " + expected + ", observed " + std::to_string(same) + " of " +
                               std::to_string(compared) + " on the same frame");
}

// The space an unlinked, still mapped library holds, and gives back, is its size, give or take.
void compare_disk(const DiskExpectation& expected, const nlohmann::ordered_json& disk, std::vector<std::string>* differences)
{
    if (disk.is_null() || disk["library_bytes"].is_null()) {
        differences->push_back("expected disk figures, but none were taken");
        return;
    }
    double size = disk["library_bytes"].get<double>();
    for (const char* key : {"held_bytes", "released_bytes"}) {
        if (disk[key].is_null()) {
            differences->push_back(std::string("expected ") + key + ", but it was not measured");
            continue;
        }
        double bytes = disk[key].get<double>();
        if (bytes < size * (1 - expected.tolerance) || bytes > size * (1 + expected.tolerance))
            differences->push_back(std::string(key) + " " + std::to_string(static_cast<long long>(bytes)) +
                                   " is not within " + std::to_string(static_cast<int>(expected.tolerance * 100)) +
                                   "% of the library's " + std::to_string(static_cast<long long>(size)) + " bytes");
    }
}

}  // namespace

Judgement judge_outcome(const Scenario& scenario, const Environment& environment, const Observed& observed)
{
    Judgement judgement;
    if (!observed.broken.empty()) {
        judgement.outcome = Outcome::BROK;
        for (const auto& text : observed.broken) judgement.reason += (judgement.reason.empty() ? "" : "; ") + text;
        return judgement;
    }
    std::string why_not;
    for (const auto& expectation : scenario.expect) {
        std::string reason;
        if (condition_holds(expectation.when, environment, &reason)) {
            judgement.applied = &expectation;
            break;
        }
        why_not += (why_not.empty() ? "" : "; ") + reason;
    }
    const bool refusal_expected = judgement.applied && judgement.applied->update_errno;
    if (observed.update_error && !refusal_expected) {
        judgement.outcome = Outcome::BROK;
        judgement.reason = "update failed: " + *observed.update_error;
        return judgement;
    }
    if (!judgement.applied) {
        judgement.outcome = Outcome::CONF;
        judgement.reason = "no expectation applies here: " + why_not;
        return judgement;
    }
    std::vector<std::string> differences;
    const Expectation& expected = *judgement.applied;
    if (expected.sharing) {
        const auto& sharing = observed.sharing;
        if (sharing.is_null()) {
            differences.push_back("expected a page-sharing comparison, but process1 and process2 were not both observed");
        } else if (!sharing["frames_visible"].get<bool>()) {
            judgement.outcome = Outcome::CONF;
            judgement.reason = "page sharing cannot be compared: " + sharing["reason"].get<std::string>();
            return judgement;
        } else {
            compare_sharing("readonly", expected.sharing->readonly, sharing, &differences);
            compare_sharing("writable", expected.sharing->writable, sharing, &differences);
        }
    }
    if (expected.same_file && (!observed.same_file || *observed.same_file != *expected.same_file))
        differences.push_back("expected same_file " + yes_no(*expected.same_file) + ", observed " +
                              (observed.same_file ? yes_no(*observed.same_file) : "nothing (no update)"));
    if (expected.update_errno && observed.update_errno != expected.update_errno)
        differences.push_back("expected the update to be refused with " + *expected.update_errno + ", observed " +
                              (observed.update_errno ? "it refused with " + *observed.update_errno
                               : observed.update_error ? "it failed: " + *observed.update_error
                                                       : std::string("it succeeded")));
    if (expected.disk) compare_disk(*expected.disk, observed.disk, &differences);
    std::vector<std::string> unavailable;
    for (const auto& [what, errno_name] : expected.etxtbsy) {
        const auto& probe = observed.etxtbsy.is_object() && observed.etxtbsy.contains(what) ? observed.etxtbsy[what]
                                                                                            : nlohmann::ordered_json();
        if (probe.is_null()) {
            differences.push_back("expected an ETXTBSY probe of the " + what + ", but none was made");
        } else if (!probe["available"].get<bool>()) {
            unavailable.push_back(what + ": " + probe["reason"].get<std::string>());
        } else {
            std::string seen = open_answer(probe["errno"]);
            std::string wanted = errno_name ? *errno_name : "opened";
            if (seen != wanted) differences.push_back(what + ": expected " + wanted + ", observed " + seen);
        }
    }
    if (expected.path_missing && (!observed.path_missing || *observed.path_missing != *expected.path_missing))
        differences.push_back("expected path_missing " + yes_no(*expected.path_missing) + ", observed " +
                              (observed.path_missing ? yes_no(*observed.path_missing) : "nothing"));
    if (expected.content_changed && (!observed.content_changed || *observed.content_changed != *expected.content_changed))
        differences.push_back("expected content_changed " + yes_no(*expected.content_changed) + ", observed " +
                              (observed.content_changed ? yes_no(*observed.content_changed) : "nothing"));
    for (const auto& [name, host_expectation] : expected.hosts) {
        auto host = observed.hosts.find(name);
        if (host == observed.hosts.end()) differences.push_back(name + ": never observed");
        else compare_host(name, host_expectation, host->second, &differences);
    }
    if (differences.empty() && !unavailable.empty()) {  // root-only probes: CONF, never FAIL
        judgement.outcome = Outcome::CONF;
        for (const auto& text : unavailable) judgement.reason += (judgement.reason.empty() ? "" : "; ") + text;
        return judgement;
    }
    judgement.outcome = differences.empty() ? Outcome::PASS : Outcome::FAIL;
    for (const auto& text : differences) judgement.reason += (judgement.reason.empty() ? "" : "; ") + text;
    if (differences.empty()) judgement.reason = "observed what the expectation says" +
                                                (expected.note.empty() ? std::string() : " (" + expected.note + ")");
    return judgement;
}

nlohmann::ordered_json to_json(const Expectation& expectation)
{
    nlohmann::ordered_json when = nlohmann::ordered_json::object();
    if (expectation.when.kernel_at_least) when["kernel_at_least"] = *expectation.when.kernel_at_least;
    if (expectation.when.kernel_below) when["kernel_below"] = *expectation.when.kernel_below;
    if (expectation.when.root) when["root"] = *expectation.when.root;
    if (expectation.when.linker_contains) when["linker_contains"] = *expectation.when.linker_contains;
    if (expectation.when.binding) when["binding"] = *expectation.when.binding;
    if (!expectation.when.filesystems.empty()) when["filesystem"] = expectation.when.filesystems;
    if (expectation.when.layer) when["layer"] = *expectation.when.layer;
    nlohmann::ordered_json hosts = nlohmann::ordered_json::object();
    for (const auto& [name, host] : expectation.hosts) {
        nlohmann::ordered_json entry = {{"verdict", to_string(host.verdict)}};
        if (host.mapping_deleted) entry["mapping_deleted"] = *host.mapping_deleted;
        if (host.signal) entry["signal"] = *host.signal;
        if (host.si_code) entry["si_code"] = *host.si_code;
        if (host.at_exit) entry["at_exit"] = *host.at_exit;
        if (host.calls_after_update) entry["calls_after_update"] = *host.calls_after_update;
        if (host.read_the_disk) entry["read_the_disk"] = *host.read_the_disk;
        hosts[name] = entry;
    }
    nlohmann::ordered_json json = {{"when", when}};
    if (!expectation.note.empty()) json["note"] = expectation.note;
    if (expectation.update_errno) json["update_errno"] = *expectation.update_errno;
    if (expectation.same_file) json["same_file"] = *expectation.same_file;
    if (expectation.content_changed) json["content_changed"] = *expectation.content_changed;
    if (expectation.path_missing) json["path_missing"] = *expectation.path_missing;
    json["hosts"] = hosts;
    if (expectation.disk) json["disk"] = {{"tolerance", expectation.disk->tolerance}};
    if (!expectation.etxtbsy.empty()) {
        json["etxtbsy"] = nlohmann::ordered_json::object();
        for (const auto& [what, errno_name] : expectation.etxtbsy)
            json["etxtbsy"][what] = or_null(errno_name);
    }
    if (expectation.sharing)
        json["sharing"] = {{"readonly", expectation.sharing->readonly}, {"writable", expectation.sharing->writable}};
    return json;
}

}  // namespace lab
