// host_record.cc — judging a host, and its JSON form (keys are a contract: see results/README.md).
#include "result/host_record.h"

#include <algorithm>
#include <cstdio>

#include "base/json_values.h"

namespace lab {

namespace {

nlohmann::ordered_json termination_json(const Termination& termination)
{
    nlohmann::ordered_json json = {{"kind", to_string(termination.kind)}};
    if (termination.kind == Termination::Kind::exit) json["exit_code"] = termination.exit_code;
    if (termination.kind == Termination::Kind::signal) {
        json["signal"] = signal_name(termination.signal);
        const auto& crash = termination.crash;
        bool recorded = crash && crash->signal == termination.signal;
        json["si_code"] = recorded ? nlohmann::ordered_json(si_code_name(crash->signal, crash->code)) : nullptr;
        json["fault_address"] = recorded ? nlohmann::ordered_json(hex_address(crash->fault_address)) : nullptr;
        json["pc"] = recorded ? nlohmann::ordered_json(hex_address(crash->pc)) : nullptr;
    }
    if (termination.kind == Termination::Kind::signal) {
        json["where"] = termination.where;
        json["fault"] = termination.fault;
        json["call"] = termination.call;
    }
    json["requested_by_runner"] = termination.requested;
    if (!termination.during.empty()) json["during"] = termination.during;
    if (termination.hung) json["hung"] = true;
    return json;
}

}  // namespace

std::string_view to_string(AnswerKind kind)
{
    switch (kind) {
    case AnswerKind::old_version: return "old";
    case AnswerKind::new_version: return "new";
    case AnswerKind::wrong: return "wrong";
    case AnswerKind::none: return "none";
    }
    return "?";
}

std::string_view to_string(Termination::Kind kind)
{
    switch (kind) {
    case Termination::Kind::running: return "running";
    case Termination::Kind::exit: return "exit";
    case Termination::Kind::signal: return "signal";
    }
    return "?";
}

bool HostRecord::mapping_deleted() const
{
    for (const auto& line : mapping)
        if (line.deleted) return true;
    return false;
}

std::string HostRecord::at_exit() const
{
    const Termination& end = termination;
    if (end.during != "quit") return "not reached";
    if (end.kind == Termination::Kind::signal) return end.hung ? "hung" : "crashed";
    return end.exit_code == 0 ? "clean" : "exit " + std::to_string(end.exit_code);
}

void judge(HostRecord* record)
{
    const Termination& end = record->termination;
    auto decide = [&](Verdict verdict, std::string reason) {
        record->verdict = verdict;
        record->verdict_reason = std::move(reason);
    };
    if (end.hung) return decide(Verdict::hung, "no answer within the timeout; the runner killed it");
    if (end.kind == Termination::Kind::signal && !end.requested && end.during != "quit")
        return decide(Verdict::crashed, "killed by " + signal_name(end.signal));
    if (end.kind == Termination::Kind::exit && !end.requested)
        return decide(Verdict::exited, "exited with status " + std::to_string(end.exit_code) + " before it was asked to");

    const CallRecord* first = nullptr;
    const CallRecord* last = nullptr;
    for (const auto& call : record->calls) {
        if (call.kind == AnswerKind::none) continue;
        if (call.kind == AnswerKind::wrong)
            return decide(Verdict::wrong_answer, "chapter " + std::to_string(call.chapter) + " answered " +
                                                     call.variant.value_or("?") + " " +
                                                     std::to_string(call.value.value_or(0)) +
                                                     ", which neither version gives");
        if (!first) first = &call;
        last = &call;
    }
    if (!first) {
        record->verdict.reset();
        record->verdict_reason = "no answers to judge";
        return;
    }
    const std::string exit_note = end.during == "quit" && end.kind == Termination::Kind::signal
                                      ? "; then killed by " + signal_name(end.signal) + " when asked to quit"
                                      : "";
    bool began_old = first->kind == AnswerKind::old_version;
    bool ends_old = last->kind == AnswerKind::old_version;
    if (began_old && ends_old) return decide(Verdict::kept_old, "every answer came from the old version" + exit_note);
    if (!began_old && !ends_old) return decide(Verdict::runs_new, "every answer came from the new version" + exit_note);
    if (began_old)
        return decide(Verdict::switched_to_new,
                      "answered the old version first, the new one last, without a restart" + exit_note);
    return decide(Verdict::wrong_answer, "answered the new version first and the old one later");
}

int HostRecord::calls_after_update() const
{
    return static_cast<int>(std::count_if(calls.begin(), calls.end(), [](const CallRecord& call) {
        return call.after_update && call.kind != AnswerKind::none;
    }));
}

nlohmann::ordered_json HostRecord::to_json(std::int64_t update_ns) const
{
    nlohmann::ordered_json calls_json = nlohmann::ordered_json::array();
    for (const auto& call : calls) {
        calls_json.push_back({{"chapter", call.chapter},
                              {"version", or_null(call.variant)},
                              {"value", or_null(call.value)},
                              {"answer", to_string(call.kind)},
                              {"after_update", call.after_update},
                              {"t_ns", call.t_ns},
                              {"answer_ns", call.answer_ns},
                              {"slot", call.slot}});
    }
    nlohmann::ordered_json json = {{"pid", pid},
                                   {"mode", mode},
                                   {"started_after_update", started_after_update},
                                   {"calls", calls_json},
                                   {"mapping_at_start", lab::to_json(mapping_at_start)},
                                   {"mapping", lab::to_json(mapping)},
                                   {"mapping_deleted", mapping_deleted()},
                                   {"mapping_matches_file", or_null(mapping_matches_file)},
                                   {"mapped_bytes_changed", or_null(mapped_bytes_changed)},
                                   {"major_faults_since_eviction", or_null(major_faults_since_eviction)},
                                   {"plt_before_update", plt_before_update},
                                   {"library_events", library_events},
                                   {"termination", termination_json(termination)},
                                   {"at_exit", at_exit()},
                                   {"calls_after_update", calls_after_update()},
                                   {"verdict", verdict ? nlohmann::ordered_json(to_string(*verdict)) : nullptr},
                                   {"verdict_reason", verdict_reason}};
    bool crashed_after_update = update_ns >= 0 && termination.kind == Termination::Kind::signal &&
                                !termination.requested && termination.t_ns >= update_ns;
    json["time_to_crash_ns"] = crashed_after_update ? nlohmann::ordered_json(termination.t_ns - update_ns) : nullptr;
    if (!stderr_text.empty()) json["stderr"] = stderr_text;
    return json;
}

}  // namespace lab
