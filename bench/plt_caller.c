/* plt_caller.c — calls libfoo through a PLT slot of its own, for the lazy-vs-now benchmark. */
#include "foo.h"

long plt_caller_call(void) { return foo_chapter1().value; }
