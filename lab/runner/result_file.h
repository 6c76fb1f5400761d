// result_file.h — writing results/NAME.json atomically: a temporary file in the same directory,
// then rename over the old one, so a reader sees the old result or the new, never half. (No
// fsync: a result is evidence of a run, cheap to make again, not data to survive a power cut.)
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace lab {

// Creates the directory if needed; throws std::system_error naming the path on failure.
void write_result_atomically(const std::string& path, const nlohmann::ordered_json& json);
// results/NAME.json, relative to the current directory: what `lab run` writes without --out.
std::string default_result_path(const std::string& scenario_name);

}  // namespace lab
