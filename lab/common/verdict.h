// verdict.h — the words the lab judges with. One enum each, shared by runner, JSON and tests.
#pragma once

#include <optional>
#include <string_view>

namespace lab {

// What a host did across the update, derived only from what the runner observed of it.
enum class Verdict {
    kept_old,         // "kept-old": still answers with the version it started on (the old one)
    runs_new,         // "runs-new": started on the new version and answers with it
    switched_to_new,  // "switched-to-new": started on the old version, now answers the new one,
                      //   without a restart
    wrong_answer,     // "wrong-answer": gave an answer that neither version gives for that chapter
    crashed,          // "crashed": killed by a signal it did not ask for (the wait status says which)
                      //   while it was being driven; a host that dies only when asked to quit keeps
                      //   the verdict of its answers, and its termination says it died at exit
    hung,             // "hung": no answer within the scenario's timeout; the runner killed it
    exited,           // "exited": ended on its own before the runner asked it to quit
};

// The scenario's result as a whole, in LTP's words.
enum class Outcome {
    PASS,  // what was observed matches the expectation that applies here
    FAIL,  // it does not (the reason lists every difference)
    BROK,  // something that must work broke: a host would not start, an update step failed
    CONF,  // no expectation applies in this environment (the reason says why: kernel, root, ...)
};

std::string_view to_string(Verdict verdict);
std::optional<Verdict> verdict_from_string(std::string_view text);
std::string_view to_string(Outcome outcome);

}  // namespace lab
