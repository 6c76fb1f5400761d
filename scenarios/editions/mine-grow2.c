/* mine-grow2.c — the user's second edition: chapter 2 grows by three pages (12 KiB of no-ops
 * before it answers), so chapters 3 to 8 move; every chapter answers "mine2" and 200 + n. */
#include "foo.h"

#define CHAPTER(n) \
    struct foo_answer foo_chapter##n(void) { return (struct foo_answer){"mine2", 200 + n}; }

CHAPTER(1)

struct foo_answer foo_chapter2(void)
{
    __asm__ volatile(".fill 12288, 1, 0x90");  /* three pages of nop */
    return (struct foo_answer){"mine2", 202};
}

CHAPTER(3)
CHAPTER(4)
CHAPTER(5)
CHAPTER(6)
CHAPTER(7)
CHAPTER(8)
