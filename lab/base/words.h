// words.h — the words the lab judges and describes with: one enum each, with its meaning beside
// it, spelt one way in results, scenario files, tables and tests (words.cc holds the spellings).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lab {

// What a host did across the update, derived only from what the runner observed of it.
enum class Verdict {
    kept_old,         // "kept-old": still answers with the version it started on (the old one)
    runs_new,         // "runs-new": started on the new version and answers with it
    switched_to_new,  // "switched-to-new": started on the old version, now answers the new one,
                      //   without a restart
    wrong_answer,     // "wrong-answer": gave an answer that neither version gives for that chapter
    crashed,          // "crashed": killed by a signal it did not ask for (the wait status says which)
                      //   while it was being driven; a host that dies only when asked to quit keeps
                      //   the verdict of its answers, and its termination says it died at exit
    hung,             // "hung": no answer within the scenario's timeout; the runner killed it (a
                      //   host that hangs only when asked to quit keeps its answers' verdict)
    exited,           // "exited": ended on its own before the runner asked it to quit
};

// A scenario's result as a whole (and a survey row's, a matrix cell's), in LTP's words.
enum class Outcome {
    PASS,  // what was observed matches the expectation that applies here
    FAIL,  // it does not (the reason lists every difference)
    BROK,  // something that must work broke: a host would not start, an update step failed
    CONF,  // no expectation applies in this environment (the reason says why: kernel, root, ...)
};
// The lab command's exit code for it: 0 for PASS and CONF, 1 for FAIL and BROK.
int exit_code(Outcome outcome);
// The worse of two: BROK, then FAIL, then CONF, then PASS.
Outcome worse(Outcome a, Outcome b);

// How a host reaches libfoo.
enum class HostMode {
    linked,       // "linked": DT_NEEDED, loaded by ld.so before main (process1, process2)
    dlopen,       // "dlopen": dlopen("libfoo.so") at start (process2-dlopen)
    dlopen_copy,  // "dlopen-copy": dlopen() of a copy under a unique name (process2-dlopen --copy)
};

// When a host's calls into libfoo are bound to addresses.
enum class Binding {
    lazy,  // "lazy": at each chapter's first call, by the dynamic linker (the default)
    now,   // "now": every call at start (LD_BIND_NOW=1)
};

// Which C library the hosts are built for (their dynamic linker is that libc's: it decides what
// dlopen returns and when calls are bound).
enum class Libc {
    glibc,  // "glibc": the hosts in build/bin/, built with the project's compiler
    musl,   // "musl": the hosts in build/bin/musl/, built with musl-gcc (Debian's musl-tools)
};

// How a host's end went when the runner asked it to quit.
enum class AtExit {
    clean,        // "clean": it said bye and exited 0
    crashed,      // "crashed": a signal killed it on its way out (exit handlers, destructors)
    hung,         // "hung": it did not exit in time; the runner killed it
    exit_status,  // "exit N": it exited with status N, not 0
    not_reached,  // "not reached": it had died before it was asked
};

// The ways a scenario replaces libfoo.so (update/update.h has what each does).
enum class Strategy {
    rm_then_build,    // "rm-then-build": unlink, then link v2 with the compiler driver
    inplace,          // "inplace": open O_WRONLY|O_TRUNC and write v2's bytes, as cp does
    relink,           // "relink": cc -shared -o libfoo.so foo-v2.o, run literally
    inplace_notrunc,  // "inplace-notrunc": open O_WRONLY and write, as dd conv=notrunc does
    atomic_rename,    // "atomic-rename": a temporary file beside it, fsync, rename over
    command,          // "command": an updater of the user's own, as a shell command
};

// What the claims ledger concludes about one of the seed's sentences.
enum class ClaimStatus {
    confirmed,  // "confirmed": every case observed what confirms it
    refuted,    // "refuted": every case observed what refutes it
    depends,    // "depends": the cases disagree, or some could not be observed (the reason says)
};

// What an expectation says of the pages two hosts map from libfoo.
enum class SharingPattern {
    all_same,       // "all-same": every page present in both is on one physical frame
    all_different,  // "all-different": none is
};

std::string_view to_string(Verdict word);
std::string_view to_string(Outcome word);
std::string_view to_string(HostMode word);
std::string_view to_string(Binding word);
std::string_view to_string(Libc word);
std::string_view to_string(AtExit word);
std::string_view to_string(Strategy word);
std::string_view to_string(ClaimStatus word);
std::string_view to_string(SharingPattern word);

// The word spelt `text`; nullopt when no word of that enum is. (AtExit: "exit" for exit_status.)
template <typename Word>
std::optional<Word> from_string(std::string_view text);
// Every spelling of an enum, quoted, for an error: "\"lazy\" or \"now\"", "\"a\", \"b\" or \"c\"".
template <typename Word>
std::string spellings();

// Kept for the scenario parser and the tests: from_string<Verdict>.
inline std::optional<Verdict> verdict_from_string(std::string_view text) { return from_string<Verdict>(text); }

}  // namespace lab
