/* process1 — the program a scenario starts before the update: a long-running host linked against
 * libfoo.so (DT_NEEDED), driven by the lab's runner.
 * Everything it does is the shared host loop in lab/host/; see host_main.h for its protocol. */
#include "host/host_main.h"

int main(int argc, char** argv) { return lab_host_main("process1", argc, argv); }
