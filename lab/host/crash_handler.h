/* crash_handler.h — the hosts' fatal-signal handler.
 *
 * On SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP and SIGSYS the handler runs on an alternate stack
 * (the fault may be a stack problem), writes one crash_record.h line to `fd` with write() only,
 * restores the default action and re-raises, so the runner sees the real signal in the wait status. */
#ifndef LAB_HOST_CRASH_HANDLER_H
#define LAB_HOST_CRASH_HANDLER_H

void lab_install_crash_handler(int fd);

#endif
