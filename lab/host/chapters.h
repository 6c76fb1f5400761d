/* chapters.h — how a host reaches libfoo's chapters. A host is linked with exactly one of:
 *   chapters.c          libfoo is DT_NEEDED: calls go through the host's own PLT/GOT
 *   chapters_dlopen.c   libfoo is loaded with dlopen() and each call looked up with dlsym()
 * A host has one library, so these are plain functions over that file's own state. Replies are
 * written into the caller's buffer, NUL-terminated and cut to `size`. */
#ifndef LAB_HOST_CHAPTERS_H
#define LAB_HOST_CHAPTERS_H

#include <stddef.h>

#include "foo.h"

/* Starts the host's way; `argc`/`argv` may choose among its modes (chapters_dlopen.c: --copy). */
void lab_library_start(int argc, char** argv);

/* Calls foo_chapterN into *answer: 1, or 0 when there is no such chapter (or no library open). */
int lab_library_call(int chapter, struct foo_answer* answer);

/* dlopen's libfoo.so again (a copy of it, with `copy`): the reply line. */
void lab_library_open(int copy, char* reply, size_t size);

/* dlclose's the newest handle: the reply line. */
void lab_library_close(char* reply, size_t size);

/* key=value words for the ready and report lines ("" when there is nothing to say). */
void lab_library_describe(char* text, size_t size);

#endif
