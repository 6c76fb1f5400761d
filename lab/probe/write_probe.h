// write_probe.h — does the kernel refuse to open a file in use for writing (ETXTBSY)? The probe
// opens it O_WRONLY (no O_TRUNC, no O_CREAT), closes it at once, and never writes through it.
// Linux refuses for a running executable (except 6.11.0-6.11.10 and 6.12.0-6.12.1, commit
// 2a010c412853 and its revert 3b832035387f); it never did for libraries mapped by ld.so, and
// since 5.15 (VM_DENYWRITE removed) not for the ELF interpreter either.
#pragma once

#include <optional>
#include <string>

namespace lab {

struct WriteProbe {
    std::string path;
    bool available = true;          // false: the open was refused for another reason (permission)
    std::optional<std::string> errno_name;  // "ETXTBSY"; nullopt when the open succeeded
    std::string reason;             // when !available: "not available: ..."
    int transient_refusals = 0;     // ETXTBSY answers before the open succeeded (another exec)
};

// How a probe's answer reads: the errno's name, or "opened".
inline std::string open_answer(const std::optional<std::string>& errno_name) { return errno_name.value_or("opened"); }

// ETXTBSY is asked again up to `max_attempts` times, at once: a refusal that clears was another
// process's exec of the same interpreter (see write_probe.cc), and counts as transient_refusals.
//
// Mind that the probe is felt machine-wide: while its descriptor is open (microseconds), every
// exec of a program that needs this interpreter fails with ETXTBSY. Tests that probe run alone
// (RUN_SERIAL in tests/CMakeLists.txt).
constexpr int max_attempts = 64;
WriteProbe probe_write(const std::string& path);

}  // namespace lab
