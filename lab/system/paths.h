// paths.h — where a run finds the hosts and the libfoo variants: beside the runner's own
// executable (build/bin/lab -> build/bin/process1, build/libfoo/). LAB_BIN_DIR and
// LAB_LIBFOO_DIR override, for a lab installed in an unusual layout.
#pragma once

#include <string>

namespace lab {

struct Paths {
    std::string bin_dir;     // process1, process2
    std::string libfoo_dir;  // catalogue.json, v1/, v2/, ...

    static Paths locate();
    std::string host(const std::string& name) const { return bin_dir + "/" + name; }
};

}  // namespace lab
