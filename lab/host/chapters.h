// chapters.h — calling libfoo's chapters by number from a host.
#pragma once

#include <optional>

#include "foo.h"

namespace lab::host {

// Calls foo_chapterN through the host's own PLT/GOT (the "table of contents" of the seed);
// nullopt when no such chapter exists.
std::optional<foo_answer> call_chapter(int chapter);

}  // namespace lab::host
