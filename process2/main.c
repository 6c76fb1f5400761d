/* process2 — the program a scenario starts after the update: like process1, a long-running host
 * linked against libfoo.so (DT_NEEDED), driven by the lab's runner. process2-dlopen is the same
 * program reaching libfoo through dlopen() instead.
 * Everything it does is the shared host loop in lab/host/; see host_main.h for its protocol. */
#include "host/host_main.h"

int main(int argc, char** argv) { return lab_host_main("process2", argc, argv); }
