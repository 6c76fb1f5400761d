/* broken.c — an edition that does not compile. */
#include "foo.h"

struct foo_answer foo_chapter1(void) { return (struct foo_answer){"broken", 1} }
