// text.h — small text helpers shared by the runner and the `lab` command.
#pragma once

#include <string>
#include <vector>

namespace lab {

// "a, b, c" from {"a", "b", "c"} and ", "; "" for none.
std::string join(const std::vector<std::string>& parts, const std::string& separator);

}  // namespace lab
