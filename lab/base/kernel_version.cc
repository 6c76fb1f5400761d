// kernel_version.cc — parsing kernel release strings.
#include "base/kernel_version.h"

#include <charconv>

namespace lab {

std::optional<KernelVersion> parse_kernel_version(const std::string& release)
{
    KernelVersion version = {0, 0, 0};
    const char* at = release.data();
    const char* end = release.data() + release.size();
    int fields = 0;
    while (fields < 3 && at < end) {
        const char* before = at;
        if (fields > 0) {
            if (*at != '.') break;
            ++at;
        }
        auto [next, error] = std::from_chars(at, end, version[fields]);
        if (error == std::errc::invalid_argument && fields == 2) {  // "6.11.rc": the patch level is optional
            version[2] = 0;
            at = before;
            break;
        }
        if (error != std::errc() || version[fields] < 0) return std::nullopt;
        at = next;
        ++fields;
    }
    if (fields < 2) return std::nullopt;
    if (at != end && *at != '-' && *at != '+' && *at != '.' && *at != '_') return std::nullopt;
    return version;
}

}  // namespace lab
