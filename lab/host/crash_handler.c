/* crash_handler.c — async-signal-safe crash record: no stdio, no allocation, write() only. */
#define _GNU_SOURCE
#include "host/crash_handler.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>
#include <unistd.h>

static int crash_fd = 2;
static _Alignas(16) char alternate_stack[64 * 1024];
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS};

/* Appends text to buf at *at; nothing here may call into libc beyond write(). */
static void append(char* buf, size_t* at, const char* text)
{
    while (*text) buf[(*at)++] = *text++;
}

static void append_decimal(char* buf, size_t* at, long value)
{
    char digits[24];
    int count = 0;
    unsigned long magnitude = value < 0 ? -(unsigned long)value : (unsigned long)value;
    do digits[count++] = (char)('0' + magnitude % 10); while (magnitude /= 10);
    if (value < 0) buf[(*at)++] = '-';
    while (count) buf[(*at)++] = digits[--count];
}

static void append_hex(char* buf, size_t* at, uint64_t value)
{
    char digits[16];
    int count = 0;
    do digits[count++] = "0123456789abcdef"[value & 15]; while (value >>= 4);
    append(buf, at, "0x");
    while (count) buf[(*at)++] = digits[--count];
}

static uint64_t program_counter(const void* context)
{
    const ucontext_t* uc = context;
#if defined(__x86_64__)
    return (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

static void on_fatal_signal(int signal, siginfo_t* info, void* context)
{
    char line[160];
    size_t at = 0;
    append(line, &at, "crash signal=");
    append_decimal(line, &at, signal);
    append(line, &at, " code=");
    append_decimal(line, &at, info->si_code);
    append(line, &at, " addr=");
    append_hex(line, &at, (uint64_t)(uintptr_t)info->si_addr);
    append(line, &at, " pc=");
    append_hex(line, &at, program_counter(context));
    line[at++] = '\n';
    ssize_t ignored = write(crash_fd, line, at);
    (void)ignored;

    /* Default action, then re-raise: the signal stays blocked until the handler returns, and is
     * delivered then, so the process dies of it and the wait status names it. */
    struct sigaction default_action = {0};
    default_action.sa_handler = SIG_DFL;
    sigaction(signal, &default_action, NULL);
    raise(signal);
}

void lab_install_crash_handler(int fd)
{
    crash_fd = fd;
    stack_t stack = {0};
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof alternate_stack;
    sigaltstack(&stack, NULL);

    struct sigaction action = {0};
    action.sa_sigaction = on_fatal_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; ++i)
        sigaction(fatal_signals[i], &action, NULL);
}
