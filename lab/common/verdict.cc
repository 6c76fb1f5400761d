// verdict.cc — spelling of the verdict and outcome words.
#include "common/verdict.h"

#include <array>
#include <utility>

namespace lab {

namespace {

constexpr std::array<std::pair<Verdict, std::string_view>, 7> verdict_words{{
    {Verdict::kept_old, "kept-old"},
    {Verdict::runs_new, "runs-new"},
    {Verdict::switched_to_new, "switched-to-new"},
    {Verdict::wrong_answer, "wrong-answer"},
    {Verdict::crashed, "crashed"},
    {Verdict::hung, "hung"},
    {Verdict::exited, "exited"},
}};

}  // namespace

std::string_view to_string(Verdict verdict)
{
    for (auto [value, word] : verdict_words)
        if (value == verdict) return word;
    return "?";
}

std::optional<Verdict> verdict_from_string(std::string_view text)
{
    for (auto [value, word] : verdict_words)
        if (word == text) return value;
    return std::nullopt;
}

std::string_view to_string(Outcome outcome)
{
    switch (outcome) {
    case Outcome::PASS: return "PASS";
    case Outcome::FAIL: return "FAIL";
    case Outcome::BROK: return "BROK";
    case Outcome::CONF: return "CONF";
    }
    return "?";
}

}  // namespace lab
