// errors.h — errno as the lab says it ("ETXTBSY (Text file busy)"), and a failed system call
// thrown as std::system_error naming what it was doing.
#pragma once

#include <cerrno>
#include <string>

namespace lab {

std::string errno_name(int error);  // "ENOENT"
std::string errno_text(int error);  // "ENOENT (No such file or directory)"
// Throws std::system_error(error, what): "what: No such file or directory".
[[noreturn]] void throw_errno(const std::string& what, int error = errno);

}  // namespace lab
