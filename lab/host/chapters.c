/* chapters.c — direct calls, so each goes through a PLT slot of the host executable that the
 * dynamic linker fills (lazily by default under glibc; musl binds all at load) with the chapter's
 * address in the loaded libfoo. */
#include "host/chapters.h"

#include <stdio.h>

void lab_library_start(int argc, char** argv)
{
    (void)argc;
    (void)argv;
}

int lab_library_call(int chapter, struct foo_answer* answer)
{
    switch (chapter) {
    case 1: *answer = foo_chapter1(); return 1;
    case 2: *answer = foo_chapter2(); return 1;
    case 3: *answer = foo_chapter3(); return 1;
    case 4: *answer = foo_chapter4(); return 1;
    case 5: *answer = foo_chapter5(); return 1;
    case 6: *answer = foo_chapter6(); return 1;
    case 7: *answer = foo_chapter7(); return 1;
    case 8: *answer = foo_chapter8(); return 1;
    default: return 0;
    }
}

/* A host that links libfoo at build time has nothing to open or close. */
void lab_library_open(int copy, char* reply, size_t size)
{
    (void)copy;
    snprintf(reply, size, "error this host links libfoo at build time; it cannot dlopen it");
}

void lab_library_close(char* reply, size_t size)
{
    snprintf(reply, size, "error this host links libfoo at build time; it cannot dlclose it");
}

void lab_library_describe(char* text, size_t size)
{
    if (size) text[0] = '\0';
}
