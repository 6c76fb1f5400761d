// chapters.h — how a host reaches libfoo's chapters. A host is linked with exactly one of:
//   chapters.cc         libfoo is DT_NEEDED: calls go through the host's own PLT/GOT
//   chapters_dlopen.cc  libfoo is loaded with dlopen() and each call looked up with dlsym()
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "foo.h"

namespace lab::host {

class Library {
public:
    virtual ~Library() = default;
    // Calls foo_chapterN; nullopt when there is no such chapter (or no library open).
    virtual std::optional<foo_answer> call(int chapter) = 0;
    // dlopen's libfoo.so again (a copy of it, with `copy`): the reply line.
    virtual std::string open(bool copy);
    // dlclose's the newest handle: the reply line.
    virtual std::string close();
    // key=value words for the ready and report lines ("" when there is nothing to say).
    virtual std::string describe() const { return ""; }
};

// The host's way; `argc`/`argv` may choose among its modes (chapters_dlopen.cc: --copy).
std::unique_ptr<Library> make_library(int argc, char** argv);

}  // namespace lab::host
