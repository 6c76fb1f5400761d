// kernel_version.h — comparing kernel releases ("6.11.11", "6.18.44-fc-v657").
#pragma once

#include <array>
#include <optional>
#include <string>

namespace lab {

using KernelVersion = std::array<int, 3>;  // major, minor, patch

// Reads the leading "A.B[.C]" of a release string; nullopt when there is none.
std::optional<KernelVersion> parse_kernel_version(const std::string& release);

}  // namespace lab
