/* host_main.c — the host loop. Blocking reads on stdin, unbuffered writes on stdout; no sleeps. */
#include "host/host_main.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/command.h"
#include "host/chapters.h"
#include "host/crash_handler.h"

enum { reply_size = 16384 };

static int write_all(const char* text, size_t length)
{
    while (length) {
        ssize_t written = write(STDOUT_FILENO, text, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return 0;
        text += written;
        length -= (size_t)written;
    }
    return 1;
}

/* One line: `head`, then `tail` bytes of `rest` (a command line echoed back may be long), then
 * a newline, in one write when it fits. */
static void say(const char* head, const char* rest, size_t tail)
{
    char line[reply_size + 2];
    size_t length = strlen(head);
    if (length + tail + 1 <= sizeof line) {
        memcpy(line, head, length);
        if (tail) memcpy(line + length, rest, tail);
        line[length + tail] = '\n';
        write_all(line, length + tail + 1);
        return;
    }
    write_all(head, length);
    write_all(rest, tail);
    write_all("\n", 1);
}

/* Reads one line from stdin into *line (without its newline, not NUL-terminated); 0 at end of
 * input. The line stays valid until the next call. */
static int read_line(const char** line, size_t* length)
{
    static char* pending;
    static size_t used, consumed, capacity;
    if (consumed) { /* drop the line returned last time */
        memmove(pending, pending + consumed, used - consumed);
        used -= consumed;
        consumed = 0;
    }
    for (;;) {
        char* newline = used ? memchr(pending, '\n', used) : NULL;
        if (newline) {
            *line = pending;
            *length = (size_t)(newline - pending);
            consumed = *length + 1;
            return 1;
        }
        if (used == capacity) {
            capacity = capacity ? 2 * capacity : 256;
            pending = realloc(pending, capacity);
            if (!pending) abort();
        }
        ssize_t got = read(STDIN_FILENO, pending + used, capacity - used);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return 0;
        used += (size_t)got;
    }
}

static int crash_fd_from(int argc, char** argv)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (strcmp(argv[i], "--crash-fd") == 0) return atoi(argv[i + 1]);
    return STDERR_FILENO;
}

/* "<word> host=NAME pid=P[ calls=K][ described]" */
static void say_who(const char* word, const char* name, int calls)
{
    char described[reply_size / 2], line[reply_size];
    lab_library_describe(described, sizeof described);
    int at = snprintf(line, sizeof line, "%s host=%s pid=%ld", word, name, (long)getpid());
    if (calls >= 0) at += snprintf(line + at, sizeof line - (size_t)at, " calls=%d", calls);
    if (described[0]) snprintf(line + at, sizeof line - (size_t)at, " %s", described);
    say(line, "", 0);
}

static void answer(int chapter, int* calls)
{
    char line[128];
    struct foo_answer got;
    if (!lab_library_call(chapter, &got)) {
        snprintf(line, sizeof line, "error no chapter %d", chapter);
        say(line, "", 0);
        return;
    }
    ++*calls;
    size_t variant = strnlen(got.variant, sizeof got.variant);
    snprintf(line, sizeof line, "answer chapter=%d variant=%.*s value=%ld", chapter, variant ? (int)variant : 1,
             variant ? got.variant : "?", got.value);
    say(line, "", 0);
}

static void obey(const struct lab_command* command, const char* name, int* calls)
{
    char reply[reply_size];
    switch (command->kind) {
    case LAB_COMMAND_CALL: answer(command->chapter, calls); return;
    case LAB_COMMAND_REPORT: say_who("report", name, *calls); return;
    case LAB_COMMAND_OPEN: lab_library_open(0, reply, sizeof reply); break;
    case LAB_COMMAND_OPEN_COPY: lab_library_open(1, reply, sizeof reply); break;
    case LAB_COMMAND_CLOSE: lab_library_close(reply, sizeof reply); break;
    case LAB_COMMAND_QUIT: return;
    }
    say(reply, "", 0);
}

int lab_host_main(const char* name, int argc, char** argv)
{
    lab_install_crash_handler(crash_fd_from(argc, argv));
    lab_library_start(argc, argv);
    say_who("ready", name, -1);

    int calls = 0;
    const char* line;
    size_t length;
    while (read_line(&line, &length)) {
        struct lab_command command;
        const char* why = "";
        if (!lab_parse_command(line, length, &command, &why)) {
            char head[64];
            snprintf(head, sizeof head, "error %s: ", why);
            say(head, line, length);
            continue;
        }
        if (command.kind == LAB_COMMAND_QUIT) {
            say("bye", "", 0);
            return 0;
        }
        obey(&command, name, &calls);
    }
    return 0; /* the runner closed our input: it is gone or done with us */
}
