/* missing-chapter.c — an edition that forgot chapter 7. */
#include "foo.h"

#define CHAPTER(n) \
    struct foo_answer foo_chapter##n(void) { return (struct foo_answer){"gap", n}; }

CHAPTER(1)
CHAPTER(2)
CHAPTER(3)
CHAPTER(4)
CHAPTER(5)
CHAPTER(6)
CHAPTER(8)
