// survey.h — the real updaters, one run each: process1 runs v1 and has called every chapter;
// the updater replaces libfoo.so with v2; process1 calls chapter 5 again. Each row says whether
// the file stayed the same (by a held descriptor) and what became of process1. A tool that is
// not installed is CONF with the reason; users add their own as NAME=COMMAND.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalogue.h"
#include "paths.h"

namespace lab {

struct Updater {
    std::string name;
    std::string command;             // with {new}, {path}, {dir}, {object} (update_command.cc)
    std::string tool;                // the program that must be on PATH ("" for the user's own)
    std::vector<std::string> version;  // the command that prints its version
    std::optional<bool> same_file;   // what loader-facts.md says it does, when it says
};

const std::vector<Updater>& builtin_updaters();
// "NAME=COMMAND" -> an updater; nullopt when there is no '=' or either side is empty.
std::optional<Updater> parse_updater(const std::string& text);

struct SurveyRow {
    std::string name, command, tool_version, status, reason;  // status: PASS, FAIL, BROK, CONF
    std::optional<bool> same_file;
    std::string process1_verdict;
    // What strace saw it do to libfoo.so ("openat(O_WRONLY|O_TRUNC) = 3", ...); null, with the
    // reason in syscalls_unavailable, where strace is missing or may not trace.
    nlohmann::ordered_json syscalls = nullptr;
    long path_missing_observations = 0;  // the path prober's failed opens during the update
    std::string syscalls_unavailable;
    nlohmann::ordered_json to_json() const;
};

SurveyRow survey_one(const Updater& updater, const Catalogue& catalogue, const Paths& paths);

}  // namespace lab
