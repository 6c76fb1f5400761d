// crash_handler.cc — async-signal-safe crash record: no stdio, no allocation, write() only.
#include "host/crash_handler.h"

#include <csignal>
#include <cstdint>
#include <cstring>
#include <ucontext.h>
#include <unistd.h>

namespace lab::host {

namespace {

int crash_fd = 2;
alignas(16) char alternate_stack[64 * 1024];
constexpr int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS};

// Appends text to buf at *at; nothing here may call into libc beyond write().
void append(char* buf, size_t* at, const char* text)
{
    while (*text) buf[(*at)++] = *text++;
}

void append_decimal(char* buf, size_t* at, long value)
{
    char digits[24];
    int count = 0;
    unsigned long magnitude = value < 0 ? -static_cast<unsigned long>(value) : value;
    do digits[count++] = static_cast<char>('0' + magnitude % 10); while (magnitude /= 10);
    if (value < 0) buf[(*at)++] = '-';
    while (count) buf[(*at)++] = digits[--count];
}

void append_hex(char* buf, size_t* at, std::uint64_t value)
{
    char digits[16];
    int count = 0;
    do digits[count++] = "0123456789abcdef"[value & 15]; while (value >>= 4);
    append(buf, at, "0x");
    while (count) buf[(*at)++] = digits[--count];
}

std::uint64_t program_counter(const void* context)
{
    const ucontext_t* uc = static_cast<const ucontext_t*>(context);
#if defined(__x86_64__)
    return static_cast<std::uint64_t>(uc->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
    return uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

void on_fatal_signal(int signal, siginfo_t* info, void* context)
{
    char line[160];
    size_t at = 0;
    append(line, &at, "crash signal=");
    append_decimal(line, &at, signal);
    append(line, &at, " code=");
    append_decimal(line, &at, info->si_code);
    append(line, &at, " addr=");
    append_hex(line, &at, reinterpret_cast<std::uint64_t>(info->si_addr));
    append(line, &at, " pc=");
    append_hex(line, &at, program_counter(context));
    line[at++] = '\n';
    ssize_t ignored = write(crash_fd, line, at);
    (void)ignored;

    // Default action, then re-raise: the signal stays blocked until the handler returns, and is
    // delivered then, so the process dies of it and the wait status names it.
    struct sigaction default_action = {};
    default_action.sa_handler = SIG_DFL;
    sigaction(signal, &default_action, nullptr);
    raise(signal);
}

}  // namespace

void install_crash_handler(int fd)
{
    crash_fd = fd;
    stack_t stack = {};
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof alternate_stack;
    sigaltstack(&stack, nullptr);

    struct sigaction action = {};
    action.sa_sigaction = on_fatal_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (int signal : fatal_signals) sigaction(signal, &action, nullptr);
}

}  // namespace lab::host
