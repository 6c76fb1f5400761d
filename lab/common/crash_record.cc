// crash_record.cc — parsing the crash line and naming signals and si_codes.
#include "common/crash_record.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/protocol.h"

namespace lab {

namespace {

std::optional<std::uint64_t> number(const std::string& text)
{
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    std::uint64_t value = std::strtoull(text.c_str(), &end, 0);
    if (errno != 0 || *end != '\0') return std::nullopt;
    return value;
}

}  // namespace

std::optional<CrashRecord> parse_crash_record(std::string_view line)
{
    protocol::Message message = protocol::parse_message(line);
    if (message.kind != "crash") return std::nullopt;
    auto signal = number(message.field("signal"));
    auto code = number(message.field("code"));
    auto addr = number(message.field("addr"));
    auto pc = number(message.field("pc"));
    if (!signal || !code || !addr || !pc) return std::nullopt;
    return CrashRecord{static_cast<int>(*signal), static_cast<int>(static_cast<std::int32_t>(*code)), *addr, *pc};
}

std::string signal_name(int signal)
{
    const char* abbreviation = sigabbrev_np(signal);  // glibc >= 2.32
    return abbreviation ? std::string("SIG") + abbreviation : "SIG" + std::to_string(signal);
}

std::string si_code_name(int signal, int code)
{
    // Codes common to every signal first (asm-generic/siginfo.h).
    switch (code) {
    case SI_USER: return "SI_USER";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    default: break;
    }
    struct Name { int signal; int code; const char* name; };
    static const Name names[] = {
        {SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR"}, {SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR"},
        {SIGSEGV, 3, "SEGV_BNDERR"},           {SIGSEGV, 4, "SEGV_PKUERR"},
        {SIGBUS, BUS_ADRALN, "BUS_ADRALN"},    {SIGBUS, BUS_ADRERR, "BUS_ADRERR"},
        {SIGBUS, BUS_OBJERR, "BUS_OBJERR"},    {SIGBUS, BUS_MCEERR_AR, "BUS_MCEERR_AR"},
        {SIGILL, ILL_ILLOPC, "ILL_ILLOPC"},    {SIGILL, ILL_ILLOPN, "ILL_ILLOPN"},
        {SIGILL, ILL_ILLADR, "ILL_ILLADR"},    {SIGILL, ILL_ILLTRP, "ILL_ILLTRP"},
        {SIGILL, ILL_PRVOPC, "ILL_PRVOPC"},    {SIGILL, ILL_PRVREG, "ILL_PRVREG"},
        {SIGILL, ILL_COPROC, "ILL_COPROC"},    {SIGILL, ILL_BADSTK, "ILL_BADSTK"},
        {SIGFPE, FPE_INTDIV, "FPE_INTDIV"},    {SIGFPE, FPE_INTOVF, "FPE_INTOVF"},
        {SIGFPE, FPE_FLTDIV, "FPE_FLTDIV"},    {SIGTRAP, TRAP_BRKPT, "TRAP_BRKPT"},
        {SIGTRAP, TRAP_TRACE, "TRAP_TRACE"},
    };
    for (const Name& name : names)
        if (name.signal == signal && name.code == code) return name.name;
    return "SI_CODE_" + std::to_string(code);
}

std::string hex_address(std::uint64_t address)
{
    char text[32];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(address));
    return text;
}

}  // namespace lab
