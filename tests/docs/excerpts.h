// excerpts.h — the command output quoted in README.md and docs/*.md, kept true. A quoted block is
// marked by the lab command that prints it, on the line before its fence:
//
//   <!-- lab run scenarios/inplace.json -->
//   ```
//   $ make -f Makefile.demo scenario-inplace      (optional: what the reader types; not compared)
//    1. Made the sandbox ...
//   [...]                                          (optional: lines left out)
//   ```
//
// A block matches when each stretch between "[...]" lines appears, in order, in what the command
// prints now. Compared word by word, with what differs from run to run made alike: numbers
// (pids, inodes, addresses, sizes, timings, counts), hexadecimal addresses and address ranges, the
// sandbox's place and random name ("$TMPDIR/libfoo-lab.XXXXXX"); a number glued to letters ("v1")
// is kept.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace lab::docs {

struct Excerpt {
    std::string file;              // README.md, docs/memory.md...
    int line = 0;                  // of the marker
    std::string command;           // "run scenarios/inplace.json": the lab arguments
    std::vector<std::string> lines;  // the block, without its fences
};

// Every marked block of README.md and docs/*.md under `source_dir`.
std::vector<Excerpt> find_excerpts(const std::string& source_dir);
// "lab" arguments, split as a shell would split simple quoting ('...' and "...").
std::vector<std::string> split_arguments(const std::string& command);
// The words of `text`, made comparable across runs (see above).
std::vector<std::string> comparable_words(const std::string& text);
// Whether the excerpt's stretches appear, in order, in `output`; when not, `why` quotes the first
// stretch that does not.
bool matches(const Excerpt& excerpt, const std::string& output, std::string* why);
// The block made anew from `output`: whole, when it quoted all of it; else each stretch replaced by
// as many lines of `output` from where its first line is found now.
std::vector<std::string> regenerate(const Excerpt& excerpt, const std::string& output);
// Whether the excerpt's command boots QEMU guests (lab kernels other than the running kernel alone,
// lab claims --kernels): those quotes are checked by the guest tests (kernel_guests_test.cc),
// which `make test` leaves out.
bool boots_guests(const Excerpt& excerpt);
// Runs `lab` (at `lab`) with the excerpt's arguments in `scratch` (its sandboxes and results go
// there; "scenarios/..." is the source's); returns what it printed on stdout.
std::string output_of(const std::string& lab, const Excerpt& excerpt, const std::string& source_dir,
                      const std::string& scratch);

}  // namespace lab::docs
