// host_record.cc — judging a host from what was observed of it.
#include "result/host_record.h"

#include <algorithm>
#include <cstdio>

namespace lab {

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

AtExit HostRecord::at_exit() const
{
    const Termination& end = termination;
    if (end.during != "quit") return AtExit::not_reached;
    if (end.kind == Termination::Kind::signal) return end.hung ? AtExit::hung : AtExit::crashed;
    return end.exit_code == 0 ? AtExit::clean : AtExit::exit_status;
}

std::string HostRecord::at_exit_text() const
{
    AtExit word = at_exit();
    return std::string(to_string(word)) + (word == AtExit::exit_status ? " " + std::to_string(termination.exit_code) : "");
}

void judge(HostRecord* record)
{
    const Termination& end = record->termination;
    auto decide = [&](Verdict verdict, std::string reason) {
        record->verdict = verdict;
        record->verdict_reason = std::move(reason);
    };
    if (end.hung && end.during != "quit") return decide(Verdict::hung, "no answer within the timeout; the runner killed it");
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
    const std::string exit_note = end.during != "quit" || end.kind != Termination::Kind::signal ? ""
                                  : end.hung ? "; then hung when asked to quit (the runner killed it)"
                                             : "; then killed by " + signal_name(end.signal) + " when asked to quit";
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

std::optional<std::int64_t> HostRecord::time_to_crash_ns(std::int64_t update_ns) const
{
    bool crashed_after_update = update_ns >= 0 && termination.kind == Termination::Kind::signal && !termination.requested &&
                                termination.t_ns >= update_ns;
    if (!crashed_after_update) return std::nullopt;
    return termination.t_ns - update_ns;
}

}  // namespace lab
