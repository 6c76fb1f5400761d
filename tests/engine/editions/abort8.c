/* abort8.c — an edition whose chapter 8 aborts: SIGABRT, a signal the hosts' crash handler does
 * not catch (it records SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP and SIGSYS). */
#include <stdlib.h>
#include "foo.h"
#define CHAPTER(n) struct foo_answer foo_chapter##n(void) { return (struct foo_answer){"ab", n}; }
CHAPTER(1) CHAPTER(2) CHAPTER(3) CHAPTER(4) CHAPTER(5) CHAPTER(6) CHAPTER(7)
struct foo_answer foo_chapter8(void) { abort(); }
