// survey.h — the real updaters, one run each: process1 runs v1 and has called every chapter;
// the updater replaces libfoo.so with v2; process1 calls chapter 5 again. Each row says whether
// the file stayed the same (by a held descriptor), whether the bytes process1 maps changed under
// it, whether the path now holds v2, and what became of process1. A tool that is not installed is
// CONF with the reason; users add their own as NAME=COMMAND.
//
// A row's status is judged from those observations, by the lab's model of a running process:
// what it executes is what its mapping shows. So if the bytes process1 maps did not change
// (a new file took the name, or the same file kept that code where it was), process1 must go on
// as before (kept-old) and anything else is FAIL; if they did change, stale pointers meet new
// bytes and any fate is explained (a crash, a wrong answer, the new answers, or none at all when
// the code it calls stayed the same). Never "the same file, so it must crash".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/catalogue.h"
#include "base/words.h"
#include "system/paths.h"

namespace lab {

struct Updater {
    std::string name;
    std::string command;             // with {new}, {path}, {dir}, {object} (update_command.cc)
    std::string tool;                // the program that must be on PATH ("" for the user's own)
    std::vector<std::string> version;  // the command that prints its version
    std::optional<bool> same_file;   // what loader-facts.md says it does, when it says (compared, never judged by)
};

const std::vector<Updater>& builtin_updaters();
// "NAME=COMMAND" -> an updater; nullopt when there is no '=' or either side is empty.
std::optional<Updater> parse_updater(const std::string& text);

struct SurveyRow {
    std::string name, command, tool_version, reason;
    Outcome status = Outcome::CONF;
    std::optional<bool> same_file;
    std::optional<bool> mapped_bytes_changed;  // process1's read-only libfoo bytes, across the update
    std::optional<bool> holds_new_version;     // a process started after the update answers as v2
    std::string new_process_answer;            // the version it answered as ("" when it answered nothing)
    std::optional<Verdict> process1_verdict;
    // What strace saw it do to libfoo.so ("openat(O_WRONLY|O_TRUNC) = 3", ...); null, with the
    // reason in syscalls_unavailable, where strace is missing or may not trace.
    std::optional<std::vector<std::string>> syscalls;
    long path_missing_observations = 0;  // the path prober's failed opens during the update
    std::string syscalls_unavailable;
    nlohmann::ordered_json to_json() const;
};

// From the edition `from` to `to`: built-in variants' names, or a user's editions by their
// absolute paths (engine/user_edition.h).
SurveyRow survey_one(const Updater& updater, const Catalogue& catalogue, const Paths& paths, const std::string& from = "v1",
                     const std::string& to = "v2");

// The survey's table: a header, a line per row (its reason cut at 40 characters), and what goes
// under it: every reason whole, what "missing" counts, the system calls strace saw.
std::string survey_table_header();
std::string survey_table_line(const SurveyRow& row);
std::string survey_notes(const std::vector<SurveyRow>& rows);

}  // namespace lab
