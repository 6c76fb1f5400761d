// host_main.h — the whole of a host's life: say ready, then answer commands until "quit" or EOF.
//
// Usage: NAME [--crash-fd N] [--copy]   (crash records go to N; to stderr when not given;
//                                        --copy: a dlopen host opens a copy of libfoo.so)
// process1 and process2 are this function with a different name, so they can never drift apart.
#pragma once

namespace lab::host {

int host_main(const char* name, int argc, char** argv);

}  // namespace lab::host
