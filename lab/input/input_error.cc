// input_error.cc — the one-line message of a rejected input.
#include "input/input_error.h"

#include "base/text.h"

namespace lab {

namespace {

std::string line_of(const std::string& file, const std::string& field, const std::string& problem)
{
    std::string line = printable(file, 64) + ": ";
    if (!field.empty()) line += printable(field, 56) + ": ";
    // "lab: " goes before it on the terminal.
    return line + printable(problem, max_error_line - 5 - line.size());
}

}  // namespace

ScenarioError::ScenarioError(const std::string& file, const std::string& field, const std::string& problem)
    : std::runtime_error(line_of(file, field, problem))
{
}

}  // namespace lab
