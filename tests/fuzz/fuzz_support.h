// fuzz_support.h — what every harness checks of a rejection: the contract of input_error.h. A
// harness that finds it broken aborts, which libFuzzer reports as a crash with the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "input/input_error.h"

namespace lab::fuzz {

// One line (no control character at all), at most max_error_line bytes once "lab: " is put
// before it, starting with the file's name.
inline void check_error_line(const std::string& line, const std::string& file)
{
    bool ok = line.size() + 5 <= max_error_line && line.rfind(file + ": ", 0) == 0;
    for (unsigned char c : line) ok &= c >= 0x20 && c != 0x7f;
    if (ok) return;
    std::fprintf(stderr, "rejection breaks the one-line contract (%zu bytes): %.300s\n", line.size(), line.c_str());
    std::abort();
}

}  // namespace lab::fuzz
