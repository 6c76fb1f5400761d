/* tables1.c — an edition that does what real libraries do: its answers are read from a constant table
 * (in .rodata), and chapter 3 calls chapter 1 (through libfoo's own PLT). Chapter n answers "tab1" and 301 + n - 1. */
#include "foo.h"
static const long values[9] = {0, 301, 302, 303, 304, 305, 306, 307, 308};
#define CHAPTER(n) struct foo_answer foo_chapter##n(void) { return (struct foo_answer){"tab1", values[n]}; }
CHAPTER(1) CHAPTER(2)
struct foo_answer foo_chapter3(void) { struct foo_answer a = foo_chapter1(); a.value += 2; return a; }
CHAPTER(4) CHAPTER(5) CHAPTER(6) CHAPTER(7) CHAPTER(8)
