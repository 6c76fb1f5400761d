// paths.h — where a run finds the hosts and the libfoo variants: beside the runner's own
// executable (build/bin/lab -> build/bin/process1, build/bin/musl/process1, build/libfoo/).
// LAB_BIN_DIR and LAB_LIBFOO_DIR override, for a lab installed in an unusual layout.
#pragma once

#include <string>

#include "base/words.h"

namespace lab {

struct Paths {
    std::string bin_dir;     // lab, process1, process2; musl/ with the musl hosts
    std::string libfoo_dir;  // catalogue.json, v1/, v2/, ...
    Libc libc = Libc::glibc; // which hosts host() names

    static Paths locate();
    // The same paths, naming the hosts built for `libc`.
    Paths with_libc(Libc other) const;
    std::string host(const std::string& name) const;
    // "" when every host for this libc is there and its dynamic linker too; otherwise why not
    // ("the musl hosts were not built: ... (install musl-tools, then build again)").
    std::string hosts_missing() const;
};

}  // namespace lab
