/* command.c — parsing a host command line (command.h). No allocation, no locale. */
#include "common/command.h"

#include <limits.h>
#include <string.h>

static int is(const char* line, size_t length, const char* word)
{
    return length == strlen(word) && memcmp(line, word, length) == 0;
}

/* A decimal int: an optional '-', then one or more digits, nothing else, within int's range. */
static int parse_int(const char* text, size_t length, int* value)
{
    size_t at = 0;
    int negative = length > 0 && text[0] == '-';
    long long magnitude = 0;
    if (negative) at = 1;
    if (at == length) return 0;
    for (; at < length; ++at) {
        if (text[at] < '0' || text[at] > '9') return 0;
        magnitude = magnitude * 10 + (text[at] - '0');
        if (magnitude > (long long)INT_MAX + 1) return 0;
    }
    if (!negative && magnitude > INT_MAX) return 0;
    *value = (int)(negative ? -magnitude : magnitude);
    return 1;
}

int lab_parse_command(const char* line, size_t length, struct lab_command* command, const char** why)
{
    static const struct { const char* word; enum lab_command_kind kind; } words[] = {
        {"report", LAB_COMMAND_REPORT}, {"quit", LAB_COMMAND_QUIT},         {"open", LAB_COMMAND_OPEN},
        {"open-copy", LAB_COMMAND_OPEN_COPY}, {"close", LAB_COMMAND_CLOSE},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; ++i)
        if (is(line, length, words[i].word)) {
            command->kind = words[i].kind;
            command->chapter = 0;
            return 1;
        }
    if (length < 5 || memcmp(line, "call ", 5) != 0) {
        if (why) *why = "unknown command";
        return 0;
    }
    if (!parse_int(line + 5, length - 5, &command->chapter)) {
        if (why) *why = "call needs a chapter number";
        return 0;
    }
    command->kind = LAB_COMMAND_CALL;
    return 1;
}
