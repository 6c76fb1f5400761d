// crash_record.h — the line a dying host writes about its fatal signal, and its parser.
//
// Format (one line, written with write() only from the host's signal handler):
//   "crash signal=11 code=1 addr=0x0 pc=0x7f12345678"
// The runner never decides from this line that a host died: the wait status says so. The record
// adds what the wait status cannot carry (si_code, fault address, program counter).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lab {

struct CrashRecord {
    int signal = 0;
    int code = 0;  // si_code
    std::uint64_t fault_address = 0;
    std::uint64_t pc = 0;
};

std::optional<CrashRecord> parse_crash_record(std::string_view line);

// "SIGSEGV" for 11; "SIG37" for a number with no name.
std::string signal_name(int signal);
// "SEGV_MAPERR" for (SIGSEGV, 1); si_code names depend on the signal. "SI_CODE_<n>" when unknown.
std::string si_code_name(int signal, int code);
// "0x7f0000001140": how addresses are written in results and transcripts.
std::string hex_address(std::uint64_t address);

}  // namespace lab
