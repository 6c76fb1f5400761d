/* foo.h — the public interface of libfoo, the sample library whose file the lab replaces.
 *
 * libfoo is a "book" of chapters. Every chapter answers who answered it: the variant's name
 * (for example "v1") and a value that encodes the variant's edition number and the chapter,
 * FOO_VALUE(edition, chapter). An answer that does not match the chapter that was called, or
 * a variant the runner knows, is evidence that a call landed somewhere it was not meant to.
 */
#ifndef FOO_H
#define FOO_H

#ifdef __cplusplus
extern "C" {
#endif

/* The number of chapters every variant exports. */
#define FOO_CHAPTERS 8

/* The value chapter `chapter` of the edition `edition` answers. */
#define FOO_VALUE(edition, chapter) ((long)(edition) * 1000L + (long)(chapter))

/* Returned in two registers (rax:rdx on x86-64), so no pointer into the library's data is
 * involved: an answer is built entirely by the code that ran. */
struct foo_answer {
    char variant[8]; /* NUL-padded, e.g. "v2" */
    long value;      /* FOO_VALUE(edition, chapter) */
};

struct foo_answer foo_chapter1(void);
struct foo_answer foo_chapter2(void);
struct foo_answer foo_chapter3(void);
struct foo_answer foo_chapter4(void);
struct foo_answer foo_chapter5(void);
struct foo_answer foo_chapter6(void);
struct foo_answer foo_chapter7(void);
struct foo_answer foo_chapter8(void);

#ifdef __cplusplus
}
#endif

#endif
