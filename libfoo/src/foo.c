/* foo.c — every variant of libfoo is this one file, compiled with a different edition and layout.
 *
 * FOO_VARIANT   the variant's name, at most 7 characters ("v1")
 * FOO_EDITION   the number its values are made from (FOO_VALUE in foo.h)
 * FOO_GROW_CHAPTER, FOO_GROW_PAGES
 *               the chapter that grows and by how many 4 KiB pages: every later chapter moves
 *               that far, which is the seed's "chapter 3 becomes 3 pages longer".
 * FOO_BASE_VARIANT, FOO_BASE_EDITION, FOO_CHANGED_FROM
 *               chapters before FOO_CHANGED_FROM are compiled exactly as the base variant's, so
 *               they are byte for byte the same at the same offsets (a patch that leaves them
 *               alone). Without a base, every chapter is this variant's.
 *
 * Names of up to 4 characters keep every answer's instructions the same length, so variants
 * that should share a layout do (a longer name needs a 10-byte movabs instead of a 5-byte mov).
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
#ifndef FOO_CHANGED_FROM
#define FOO_CHANGED_FROM 1
#define FOO_BASE_VARIANT FOO_VARIANT
#define FOO_BASE_EDITION FOO_EDITION
#endif

/* The variant's name packed into one integer, so that an answer is built from instruction
 * immediates alone and never reads the library's data segment (which an update also moves). */
#define FOO_NAME_BYTE(name, i) ((unsigned long)(unsigned char)(name "\0\0\0\0\0\0\0")[i] << (8 * (i)))
#define FOO_NAME_WORD(name)                                                                     \
    (FOO_NAME_BYTE(name, 0) | FOO_NAME_BYTE(name, 1) | FOO_NAME_BYTE(name, 2) |                 \
     FOO_NAME_BYTE(name, 3) | FOO_NAME_BYTE(name, 4) | FOO_NAME_BYTE(name, 5) | FOO_NAME_BYTE(name, 6))

static inline struct foo_answer foo_answer(unsigned long name, long value)
{
    struct foo_answer answer;
    __builtin_memcpy(answer.variant, &name, sizeof name);
    answer.value = value;
    return answer;
}

/* Chapters before FOO_CHANGED_FROM answer as the base variant; the rest as this one. */
#define FOO_ANSWER(chapter)                                                                     \
    ((chapter) < FOO_CHANGED_FROM ? foo_answer(FOO_NAME_WORD(FOO_BASE_VARIANT),                 \
                                               FOO_VALUE(FOO_BASE_EDITION, chapter))            \
                                  : foo_answer(FOO_NAME_WORD(FOO_VARIANT), FOO_VALUE(FOO_EDITION, chapter)))

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
