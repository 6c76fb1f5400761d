// user_edition.h — a user's own edition of libfoo: a C source implementing libfoo/include/foo.h,
// or a finished shared object exporting foo_chapter1...foo_chapterN, named by a scenario's
// library.from/to (or lab run --from/--to).
//
// A source is built with the seed's two commands and libfoo's own flags (catalogue.h):
//   cc CFLAGS -I libfoo/include -c SOURCE -o foo.o
//   cc -shared -o libfoo.so foo.o
// into build/libfoo/user/HASH/, HASH being the source's bytes and the commands: a second run
// finds it there and builds nothing. foo.o is kept, so the linking updates (rm-then-build, relink)
// work on it. A shared object is copied there the same way (it has no foo.o).
//
// What the edition answers is learned, not declared: its dynamic symbol table must export every
// chapter, and each chapter is called once in a throwaway process1 (the host kit, with its crash
// handler): the variant name and the value it answers, or the signal it dies of. That is kept
// beside it (answers.json), so the probe too runs once per content.
#pragma once

#include <string>

#include "scenario/catalogue.h"
#include "scenario/scenario.h"
#include "system/paths.h"

namespace lab {

// The edition at `path` (absolute), built or copied into the cache and probed. Throws
// ScenarioError naming the file, with the problem in one line: a source that does not compile
// (the compiler's first error), a chapter that is not exported, a file that is not ELF.
Variant user_edition(const std::string& path, const Catalogue& catalogue, const Paths& paths);

// `catalogue`, with the user's editions `scenario` names added under their paths.
Catalogue with_user_editions(const Scenario& scenario, const Catalogue& catalogue, const Paths& paths);

}  // namespace lab
