// words.cc — how each word is spelt.
#include "base/words.h"

#include <span>
#include <utility>

namespace lab {

namespace {

template <typename Word>
using Spelling = std::pair<Word, std::string_view>;

constexpr Spelling<Verdict> verdicts[] = {
    {Verdict::kept_old, "kept-old"},       {Verdict::runs_new, "runs-new"}, {Verdict::switched_to_new, "switched-to-new"},
    {Verdict::wrong_answer, "wrong-answer"}, {Verdict::crashed, "crashed"}, {Verdict::hung, "hung"},
    {Verdict::exited, "exited"}};
constexpr Spelling<Outcome> outcomes[] = {
    {Outcome::PASS, "PASS"}, {Outcome::FAIL, "FAIL"}, {Outcome::BROK, "BROK"}, {Outcome::CONF, "CONF"}};
constexpr Spelling<HostMode> modes[] = {
    {HostMode::linked, "linked"}, {HostMode::dlopen, "dlopen"}, {HostMode::dlopen_copy, "dlopen-copy"}};
constexpr Spelling<Binding> bindings[] = {{Binding::lazy, "lazy"}, {Binding::now, "now"}};
constexpr Spelling<Libc> libcs[] = {{Libc::glibc, "glibc"}, {Libc::musl, "musl"}};
constexpr Spelling<AtExit> at_exits[] = {{AtExit::clean, "clean"},      {AtExit::crashed, "crashed"},
                                         {AtExit::hung, "hung"},        {AtExit::exit_status, "exit"},
                                         {AtExit::not_reached, "not reached"}};
constexpr Spelling<Strategy> strategies[] = {
    {Strategy::rm_then_build, "rm-then-build"},     {Strategy::inplace, "inplace"},
    {Strategy::relink, "relink"},                   {Strategy::inplace_notrunc, "inplace-notrunc"},
    {Strategy::atomic_rename, "atomic-rename"},     {Strategy::command, "command"}};
constexpr Spelling<ClaimStatus> claim_statuses[] = {
    {ClaimStatus::confirmed, "confirmed"}, {ClaimStatus::refuted, "refuted"}, {ClaimStatus::depends, "depends"}};
constexpr Spelling<SharingPattern> sharing_patterns[] = {
    {SharingPattern::all_same, "all-same"}, {SharingPattern::all_different, "all-different"}};

template <typename Word> std::span<const Spelling<Word>> table();
template <> std::span<const Spelling<Verdict>> table() { return verdicts; }
template <> std::span<const Spelling<Outcome>> table() { return outcomes; }
template <> std::span<const Spelling<HostMode>> table() { return modes; }
template <> std::span<const Spelling<Binding>> table() { return bindings; }
template <> std::span<const Spelling<Libc>> table() { return libcs; }
template <> std::span<const Spelling<AtExit>> table() { return at_exits; }
template <> std::span<const Spelling<Strategy>> table() { return strategies; }
template <> std::span<const Spelling<ClaimStatus>> table() { return claim_statuses; }
template <> std::span<const Spelling<SharingPattern>> table() { return sharing_patterns; }

template <typename Word>
std::string_view spelt(Word word)
{
    for (const auto& [value, text] : table<Word>())
        if (value == word) return text;
    return "?";
}

}  // namespace

std::string_view to_string(Verdict word) { return spelt(word); }
std::string_view to_string(Outcome word) { return spelt(word); }
std::string_view to_string(HostMode word) { return spelt(word); }
std::string_view to_string(Binding word) { return spelt(word); }
std::string_view to_string(Libc word) { return spelt(word); }
std::string_view to_string(AtExit word) { return spelt(word); }
std::string_view to_string(Strategy word) { return spelt(word); }
std::string_view to_string(ClaimStatus word) { return spelt(word); }
std::string_view to_string(SharingPattern word) { return spelt(word); }

template <typename Word>
std::optional<Word> from_string(std::string_view text)
{
    for (const auto& [value, spelling] : table<Word>())
        if (spelling == text) return value;
    return std::nullopt;
}

template <typename Word>
std::string spellings()
{
    const auto words = table<Word>();
    std::string text;
    for (std::size_t i = 0; i < words.size(); ++i)
        text += std::string(i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + "\"" + std::string(words[i].second) + "\"";
    return text;
}

#define LAB_WORD(Word)                                                     \
    template std::optional<Word> from_string<Word>(std::string_view text); \
    template std::string spellings<Word>();
LAB_WORD(Verdict)
LAB_WORD(Outcome)
LAB_WORD(HostMode)
LAB_WORD(Binding)
LAB_WORD(Libc)
LAB_WORD(AtExit)
LAB_WORD(Strategy)
LAB_WORD(ClaimStatus)
LAB_WORD(SharingPattern)
#undef LAB_WORD

int exit_code(Outcome outcome) { return outcome == Outcome::PASS || outcome == Outcome::CONF ? 0 : 1; }

Outcome worse(Outcome a, Outcome b)
{
    auto severity = [](Outcome outcome) {
        switch (outcome) {
        case Outcome::PASS: return 0;
        case Outcome::CONF: return 1;
        case Outcome::FAIL: return 2;
        case Outcome::BROK: return 3;
        }
        return 3;
    };
    return severity(b) > severity(a) ? b : a;
}

}  // namespace lab
