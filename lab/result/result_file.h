// result_file.h — writing results/NAME.json atomically: the bytes go to a file nobody can see
// yet, which is then renamed over the old one, so a reader sees the old result or the new, never
// half. (No fsync: a result is evidence of a run, cheap to make again, not data to survive a power
// cut.) A destination is checked before any work starts, so a run is never made only to be lost.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace lab {

// Creates the directory if needed; throws std::system_error naming `path` on failure.
void write_result_atomically(const std::string& path, const nlohmann::ordered_json& json);
// The same for any text (a report's pages and figures).
void write_text_atomically(const std::string& path, const std::string& text);
// results/NAME.json, relative to the current directory: what `lab run` writes without --out.
std::string default_result_path(const std::string& scenario_name);

// Throws ScenarioError (exit 2) naming `path` when a result could not be written there: its
// directory cannot be made, is not writable, is on a read-only file system, or `path` is a
// directory. Creates the directory (as writing would) and a file nobody sees, then removes it.
void check_result_destination(const std::string& path);

}  // namespace lab
