// judge.cc — conditions (kernel range, root, linker...) and the PASS/FAIL/BROK/CONF decision.
#include "result/judge.h"

#include <algorithm>

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
        return no("this run binds " + std::string(to_string(environment.binding)) + ", not " + std::string(to_string(*condition.binding)));
    if (condition.libc && environment.libc_family() != condition.libc)
        return no("the hosts ran on " + environment.libc + ", not " + std::string(to_string(*condition.libc)));
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

// The version that answered each call after the update: "v2"; "wrong" for an answer neither
// version gives for that chapter, "none" for a call that got no answer.
std::vector<std::string> versions_after_update(const HostRecord& host)
{
    std::vector<std::string> versions;
    for (const auto& call : host.calls)
        if (call.after_update) versions.push_back(call.kind == AnswerKind::none    ? "none"
                               : call.kind == AnswerKind::wrong ? "wrong"
                                                                : call.variant.value_or("?"));
    return versions;
}

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
    if (expected.versions_after_update && versions_after_update(host) != *expected.versions_after_update)
        differences->push_back(name + ": expected the versions " + join(*expected.versions_after_update, " ") +
                               " after the update, observed " + join(versions_after_update(host), " "));
    if (expected.at_exit && host.at_exit() != *expected.at_exit)
        differences->push_back(name + ": expected at_exit " + std::string(to_string(*expected.at_exit)) + ", observed " +
                               host.at_exit_text());
    if (expected.si_code) {
        const auto& crash = host.termination.crash;
        std::string observed = died_of_signal && crash ? si_code_name(crash->signal, crash->code) : "no crash record";
        if (observed != *expected.si_code)
            differences->push_back(name + ": expected si_code " + *expected.si_code + ", observed " + observed);
    }
}

// "all-same": every page present in both processes is on one frame; "all-different": none is.
void compare_sharing(bool writable, SharingPattern expected, const Sharing& sharing, std::vector<std::string>* differences)
{
    const long compared = sharing.compared(writable), same = sharing.same_frame(writable);
    const bool holds = compared > 0 && (expected == SharingPattern::all_same ? same == compared : same == 0);
    if (holds) return;
    const std::string kind = writable ? "writable" : "readonly", pattern(to_string(expected));
    differences->push_back("expected " + kind + " pages " + pattern + ", observed " + std::to_string(same) + " of " +
                           std::to_string(compared) + " on the same frame");
}

// The space an unlinked, still mapped library holds, and gives back, is its size, give or take.
void compare_disk(const DiskExpectation& expected, const std::optional<DiskRecord>& disk, std::vector<std::string>* differences)
{
    if (!disk || !disk->library_bytes) {
        differences->push_back("expected disk figures, but none were taken");
        return;
    }
    const double size = static_cast<double>(*disk->library_bytes);
    for (const auto& [key, measured] : {std::pair{"held_bytes", disk->held_bytes}, std::pair{"released_bytes", disk->released_bytes}}) {
        if (!measured) {
            differences->push_back(std::string("expected ") + key + ", but it was not measured");
            continue;
        }
        const double bytes = static_cast<double>(*measured);
        if (bytes < size * (1 - expected.tolerance) || bytes > size * (1 + expected.tolerance))
            differences->push_back(std::string(key) + " " + std::to_string(*measured) + " is not within " +
                                   std::to_string(static_cast<int>(expected.tolerance * 100)) + "% of the library's " +
                                   std::to_string(*disk->library_bytes) + " bytes");
    }
}

// Each probe the expectation names: a difference, or (a root-only probe that could not be made)
// a reason the run is CONF.
void compare_etxtbsy(const Expectation& expected, const std::optional<WriteProbes>& probes, std::vector<std::string>* differences,
                     std::vector<std::string>* unavailable)
{
    for (const auto& [what, errno_name] : expected.etxtbsy) {
        const WriteProbe* probe = nullptr;
        if (probes)
            for (const auto& entry : *probes)
                if (entry.first == what) probe = &entry.second;
        if (!probe) {
            differences->push_back("expected an ETXTBSY probe of the " + what + ", but none was made");
        } else if (!probe->available) {
            unavailable->push_back(what + ": " + probe->reason);
        } else if (open_answer(probe->errno_name) != open_answer(errno_name)) {
            differences->push_back(what + ": expected " + open_answer(errno_name) + ", observed " + open_answer(probe->errno_name));
        }
    }
}

// The update's facts the expectation names.
void compare_update(const Expectation& expected, const std::optional<UpdateObservation>& update, std::vector<std::string>* differences)
{
    auto observed = [&](const std::optional<bool>& value, const char* none) { return value ? yes_no(*value) : std::string(none); };
    const std::optional<bool> same_file = update ? update->same_file : std::nullopt;
    if (expected.same_file && same_file != expected.same_file)
        differences->push_back("expected same_file " + yes_no(*expected.same_file) + ", observed " + observed(same_file, "nothing (no update)"));
    const bool failed = update && !update->ok;
    const std::optional<std::string> refused = failed ? update->errno_name : std::nullopt;
    if (expected.update_errno && refused != expected.update_errno)
        differences->push_back("expected the update to be refused with " + *expected.update_errno + ", observed " +
                               (refused ? "it refused with " + *refused : failed ? "it failed: " + update->error : std::string("it succeeded")));
    const std::optional<bool> path_missing = update ? std::optional<bool>(update->path_missing()) : std::nullopt;
    if (expected.path_missing && path_missing != expected.path_missing)
        differences->push_back("expected path_missing " + yes_no(*expected.path_missing) + ", observed " + observed(path_missing, "nothing"));
    const std::optional<bool> content_changed = update ? update->content_changed : std::nullopt;
    if (expected.content_changed && content_changed != expected.content_changed)
        differences->push_back("expected content_changed " + yes_no(*expected.content_changed) + ", observed " +
                               observed(content_changed, "nothing"));
}

// The first expectation that holds here; nullptr, with why none does, when none.
const Expectation* applicable(const Scenario& scenario, const Environment& environment, std::string* why_not)
{
    std::vector<std::string> reasons;
    for (const auto& expectation : scenario.expect) {
        std::string reason;
        if (condition_holds(expectation.when, environment, &reason)) return &expectation;
        reasons.push_back(reason);
    }
    *why_not = join(reasons, "; ");
    return nullptr;
}

void decide(RunRecord* run, Outcome outcome, const std::vector<std::string>& reasons)
{
    run->outcome = outcome;
    run->reason = join(reasons, "; ");
}

}  // namespace

void judge_run(const Scenario& scenario, RunRecord* run)
{
    for (auto& [name, host] : run->hosts) judge(&host);
    if (!run->broken.empty()) return decide(run, Outcome::BROK, run->broken);
    if (!run->not_available.empty()) return decide(run, Outcome::CONF, {"not available: " + run->not_available});
    std::string why_not;
    const Expectation* applied = applicable(scenario, run->environment, &why_not);
    if (applied) run->expectation = *applied;
    const auto& update = run->update;
    if (update && !update->ok && !(applied && applied->update_errno))
        return decide(run, Outcome::BROK, {"update failed: " + update->error});
    if (!applied) return decide(run, Outcome::CONF, {"no expectation applies here: " + why_not});
    std::vector<std::string> differences, unavailable;
    const Expectation& expected = *applied;
    if (expected.sharing) {
        const auto& sharing = run->sharing;
        if (!sharing) {
            differences.push_back("expected a page-sharing comparison, but process1 and process2 were not both observed");
        } else if (!sharing->frames_visible) {
            return decide(run, Outcome::CONF, {"page sharing cannot be compared: " + sharing->reason});
        } else {
            compare_sharing(false, expected.sharing->readonly, *sharing, &differences);
            compare_sharing(true, expected.sharing->writable, *sharing, &differences);
        }
    }
    compare_update(expected, update, &differences);
    if (expected.disk) compare_disk(*expected.disk, run->disk, &differences);
    compare_etxtbsy(expected, run->etxtbsy, &differences, &unavailable);
    for (const auto& [name, host_expectation] : expected.hosts) {
        const HostRecord* host = run->host(name);
        if (!host) differences.push_back(name + ": never observed");
        else compare_host(name, host_expectation, *host, &differences);
    }
    if (differences.empty() && !unavailable.empty()) return decide(run, Outcome::CONF, unavailable);  // root-only probes
    if (!differences.empty()) return decide(run, Outcome::FAIL, differences);
    decide(run, Outcome::PASS, {"observed what the expectation says" + (expected.note.empty() ? std::string() : " (" + expected.note + ")")});
}

}  // namespace lab
