// input_error.h — what the lab says about a file it was given (a scenario, a claims ledger, the
// catalogue) or a word on its command line that it cannot use: one line, "FILE: FIELD: PROBLEM",
// exit code 2, and nothing written.
#pragma once

#include <stdexcept>
#include <string>

namespace lab {

// what() is the one line the user sees. Every part is passed through printable(): control
// characters are escaped and long parts cut, so the line stays one line of at most
// max_error_line bytes whatever the file holds. Values quoted inside `problem` should already be
// quote_value() by the thrower (the cut is then at the value, not at the end of the explanation).
class ScenarioError : public std::runtime_error {
public:
    ScenarioError(const std::string& file, const std::string& field, const std::string& problem);
};

constexpr std::size_t max_error_line = 200;

}  // namespace lab
