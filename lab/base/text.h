// text.h — small text helpers shared by the runner and the `lab` command.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lab {

// "a, b, c" from {"a", "b", "c"} and ", "; "" for none.
std::string join(const std::vector<std::string>& parts, const std::string& separator);

// Text from outside (a scenario's value, a path, a key) made safe to print inside one line of an
// error: control characters (C0, DEL, and C1 such as the terminal's CSI) escaped as \n, \t or
// \xNN, and at most `limit` bytes of the result kept, cut at a character boundary and marked
// "...(N bytes)". What it returns never contains a line break, so no value can forge a line.
std::string printable(std::string_view text, std::size_t limit = 60);
// printable() in double quotes: how an error message shows a value it rejects.
std::string quote_value(std::string_view text, std::size_t limit = 40);

// Wraps `text` at `width` columns, continuation lines starting with `indent`; explicit newlines
// are kept.
std::string wrap_text(const std::string& text, size_t width, const std::string& indent);
// `text` followed by spaces up to `width` columns, and always at least one: a table's column.
std::string padded_column(const std::string& text, std::size_t width);
// `line` without the spaces at its end (a table row whose last column was padded).
std::string without_trailing_spaces(std::string line);
// The lines of `text`, without their line breaks (a last line without one included).
std::vector<std::string> split_lines(const std::string& text);
// printf into a string (for lines that are coloured or measured before they are printed).
std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

}  // namespace lab
