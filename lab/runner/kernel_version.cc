// kernel_version.cc — parsing kernel release strings.
#include "kernel_version.h"

#include <cstdio>

namespace lab {

std::optional<KernelVersion> parse_kernel_version(const std::string& release)
{
    KernelVersion version = {0, 0, 0};
    int consumed = 0;
    int fields = std::sscanf(release.c_str(), "%d.%d%n.%d%n", &version[0], &version[1], &consumed, &version[2], &consumed);
    if (fields < 2) return std::nullopt;
    char next = release.c_str()[consumed];
    if (next != '\0' && next != '-' && next != '+' && next != '.' && next != '_') return std::nullopt;
    return version;
}

}  // namespace lab
