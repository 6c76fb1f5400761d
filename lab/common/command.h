/* command.h — the commands a host reads on its stdin, and their one parser, in C: the hosts are
 * C programs (built for glibc and for musl, see lab/CMakeLists.txt) and the runner's
 * protocol::parse_command (protocol.h) calls this same function, so the two sides cannot drift.
 *
 *   "call N" | "report" | "quit" | "open" | "open-copy" | "close"
 */
#ifndef LAB_COMMON_COMMAND_H
#define LAB_COMMON_COMMAND_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum lab_command_kind {
    LAB_COMMAND_CALL,
    LAB_COMMAND_REPORT,
    LAB_COMMAND_QUIT,
    LAB_COMMAND_OPEN,
    LAB_COMMAND_OPEN_COPY,
    LAB_COMMAND_CLOSE
};

struct lab_command {
    enum lab_command_kind kind;
    int chapter; /* for call: any int, written in decimal with an optional '-' */
};

/* 1 and *command filled when the `length` bytes at `line` are a command; 0 otherwise, with *why
 * (when not NULL) pointing at a static text that says what is wrong. */
int lab_parse_command(const char* line, size_t length, struct lab_command* command, const char** why);

#ifdef __cplusplus
}
#endif

#endif
