// errors.cc — errno's names and texts.
#include "base/errors.h"

#include <cstring>
#include <system_error>

namespace lab {

std::string errno_name(int error)
{
    const char* name = strerrorname_np(error);  // glibc >= 2.32
    return name ? name : "E" + std::to_string(error);
}

std::string errno_text(int error) { return errno_name(error) + " (" + std::strerror(error) + ")"; }

void throw_errno(const std::string& what, int error) { throw std::system_error(error, std::generic_category(), what); }

}  // namespace lab
