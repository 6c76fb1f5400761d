/* mine-v1.c — a user's own first edition of libfoo, written from libfoo/include/foo.h alone:
 * every chapter answers "mine1" and 100 + its number. */
#include "foo.h"

#define CHAPTER(n) \
    struct foo_answer foo_chapter##n(void) { return (struct foo_answer){"mine1", 100 + n}; }

CHAPTER(1)
CHAPTER(2)
CHAPTER(3)
CHAPTER(4)
CHAPTER(5)
CHAPTER(6)
CHAPTER(7)
CHAPTER(8)
