// chapters.cc — direct calls, so each goes through a PLT slot of the host executable that the
// dynamic linker fills (lazily by default) with the chapter's address in the loaded libfoo.
#include "host/chapters.h"

namespace lab::host {

namespace {

class LinkedLibrary : public Library {
public:
    std::optional<foo_answer> call(int chapter) override
    {
        switch (chapter) {
        case 1: return foo_chapter1();
        case 2: return foo_chapter2();
        case 3: return foo_chapter3();
        case 4: return foo_chapter4();
        case 5: return foo_chapter5();
        case 6: return foo_chapter6();
        case 7: return foo_chapter7();
        case 8: return foo_chapter8();
        default: return std::nullopt;
        }
    }
};

}  // namespace

std::unique_ptr<Library> make_library(int, char**) { return std::make_unique<LinkedLibrary>(); }

}  // namespace lab::host
