/* foo.c — every variant of libfoo is this one file, compiled with a different edition and layout.
 *
 * FOO_VARIANT   the variant's name, at most 7 characters ("v1")
 * FOO_EDITION   the number its values are made from (FOO_VALUE in foo.h)
 * FOO_GROW_CHAPTER, FOO_GROW_PAGES
 *               the chapter that grows and by how many 4 KiB pages: every later chapter moves
 *               that far, which is the seed's "chapter 3 becomes 3 pages longer".
 *
 * Functions must stay in source order and 16-byte aligned (-fno-toplevel-reorder,
 * -falign-functions=16 in libfoo/CMakeLists.txt): the lab's claims about which offset lands where
 * rest on it, and the tests check it with the symbol table.
 */
#include "foo.h"
#include "landing_zone.h"

#ifndef FOO_GROW_CHAPTER
#define FOO_GROW_CHAPTER 0
#endif
#ifndef FOO_GROW_PAGES
#define FOO_GROW_PAGES 0
#endif

/* The variant's name packed into one integer, so that an answer is built from instruction
 * immediates alone and never reads the library's data segment (which an update also moves). */
#define FOO_NAME_BYTE(i) ((unsigned long)(unsigned char)(FOO_VARIANT "\0\0\0\0\0\0\0")[i] << (8 * (i)))
#define FOO_NAME_WORD                                                                   \
    (FOO_NAME_BYTE(0) | FOO_NAME_BYTE(1) | FOO_NAME_BYTE(2) | FOO_NAME_BYTE(3) |        \
     FOO_NAME_BYTE(4) | FOO_NAME_BYTE(5) | FOO_NAME_BYTE(6))

static inline struct foo_answer foo_answer(long value)
{
    struct foo_answer answer;
    unsigned long name = FOO_NAME_WORD;
    __builtin_memcpy(answer.variant, &name, sizeof name);
    answer.value = value;
    return answer;
}

#define FOO_ANSWER(chapter) foo_answer(FOO_VALUE(FOO_EDITION, chapter))

/* A chapter's body: the growth, if this is the chapter that grows, then the answer. */
#define FOO_CHAPTER(n)                                                  \
    struct foo_answer foo_chapter##n(void)                              \
    {                                                                   \
        if (FOO_GROW_CHAPTER == n) FOO_LANDING_ZONE(FOO_GROW_PAGES);    \
        return FOO_ANSWER(n);                                           \
    }

FOO_CHAPTER(1)
FOO_CHAPTER(2)
FOO_CHAPTER(3)
FOO_CHAPTER(4)
FOO_CHAPTER(5)
FOO_CHAPTER(6)
FOO_CHAPTER(7)
FOO_CHAPTER(8)
