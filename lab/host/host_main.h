/* host_main.h — the whole of a host's life: say ready, then answer commands until "quit" or EOF.
 *
 * Usage: NAME [--crash-fd N] [--copy]   (crash records go to N; to stderr when not given;
 *                                        --copy: a dlopen host opens a copy of libfoo.so)
 * process1 and process2 are this function with a different name, so they can never drift apart.
 * The host kit is C, so the same sources build hosts for glibc and for musl (lab/CMakeLists.txt). */
#ifndef LAB_HOST_HOST_MAIN_H
#define LAB_HOST_HOST_MAIN_H

int lab_host_main(const char* name, int argc, char** argv);

#endif
