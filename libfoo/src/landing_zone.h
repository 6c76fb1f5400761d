/* landing_zone.h — what fills the pages a chapter grows by, and so what a stale pointer lands on.
 *
 * A real function entered in its middle does something that depends on the compiler's choice of
 * instructions: usually a crash, sometimes not. The lab needs the same outcome on every run, so
 * the growth is a block of identical 8-byte instructions that read address 0 (what a null
 * pointer dereference does). The block starts 16-byte aligned and every v1 chapter starts
 * 16-byte aligned, so a stale pointer into the block always lands on the start of one of these
 * instructions: SIGSEGV, SEGV_MAPERR, fault address 0, pc = where it landed.
 * The block is jumped over when the chapter itself runs.
 *
 * FOO_LANDING_LOOP fills the block with `jmp .` (2 bytes, so every even offset starts one)
 * instead: a stale pointer into it spins forever, and the runner sees a host that hangs.
 */
#ifndef FOO_LANDING_ZONE_H
#define FOO_LANDING_ZONE_H

#if !defined(__x86_64__)
#error "libfoo's landing zone is written for x86-64"
#endif

#define FOO_STRINGIFY_(x) #x
#define FOO_STRINGIFY(x) FOO_STRINGIFY_(x)

#ifdef FOO_LANDING_LOOP
#define FOO_LANDING_INSTRUCTION "0: jmp 0b\n\t"
#define FOO_LANDING_BYTES "2"
#else
#define FOO_LANDING_INSTRUCTION "movq 0x0, %%rax\n\t"
#define FOO_LANDING_BYTES "8"
#endif

#define FOO_LANDING_ZONE(pages)                                                             \
    __asm__ volatile("jmp 1f\n\t"                                                           \
                     ".p2align 4\n\t"                                                       \
                     ".rept (" FOO_STRINGIFY(pages) ") * 4096 / " FOO_LANDING_BYTES "\n\t" \
                     FOO_LANDING_INSTRUCTION                                                \
                     ".endr\n"                                                              \
                     "1:" ::: "rax", "memory")

#endif
