// json_input.h — reading a JSON file the lab was given (scenario, claims ledger, catalogue) so that
// every problem becomes a ScenarioError naming the file: a syntax error by its line, a number too
// large for a double (1e999), nesting deeper than anything the lab reads, a file that cannot be
// read. And reading whole numbers from it without narrowing them.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "input/input_error.h"

namespace lab {

// No file the lab reads nests deeper than a few levels; a document nesting deeper than this is
// refused before anything recursive (comparison, dump) could run out of stack on it.
constexpr int max_json_depth = 32;

nlohmann::ordered_json parse_json_input(const std::string& file, const std::string& text);
// Reads and parses `file`; "cannot be read: No such file or directory" when it cannot be read.
nlohmann::ordered_json load_json_input(const std::string& file);

// The value as a whole number within [min, max]; nullopt when it is not a JSON integer (1.5,
// "3", true) or lies outside (4294967301 for an int, -2^63 for a count). Never narrows.
std::optional<long long> whole_number(const nlohmann::ordered_json& value, long long min, long long max);

}  // namespace lab
