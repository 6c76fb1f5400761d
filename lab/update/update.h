// update.h — the ways a scenario replaces libfoo.so, each a small unit with a name.
//
//   rm-then-build  unlink libfoo.so, then link v2 with the compiler driver: the seed's first way
//   inplace        open the existing file O_WRONLY|O_TRUNC and write v2's bytes: what cp does
//   relink         the seed's second way, run literally: cc -shared -o libfoo.so foo-v2.o
//   inplace-notrunc  open the existing file O_WRONLY, no truncation, and write: dd conv=notrunc
//   atomic-rename  write a temporary file beside it, fsync, rename over: what dpkg does
//   command        any updater given as a shell command (update_command.cc has its placeholders)
//
// A strategy only acts and reports what it did. Whether the path still names the same file is
// decided by the runner afterwards, from a descriptor it held open across the update.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/errors.h"
#include "base/words.h"
#include "system/child.h"

namespace lab {

// The version an update installs: its name and its files (the catalogue's variant).
struct NewVersion {
    std::string name;           // "v2"
    std::string shared_object;  // build/libfoo/v2/libfoo.so
    std::string object;         // build/libfoo/v2/foo.o
};

struct UpdateContext {
    std::string sandbox;           // cwd of any command
    std::string library;           // sandbox/libfoo.so, the installed file
    std::string new_object_name;   // "foo-v2.o", already copied into the sandbox
    NewVersion to;                 // the version installed by the update
    long long pad_to = 0;          // a large library: the new file is padded to this many bytes
    std::string command = {};      // for "command": the shell command, with placeholders
    std::string trace_file = {};   // for "command": run it under strace, tracing into this file
    std::chrono::milliseconds command_timeout{60000};
};

struct UpdateRecord {
    std::vector<std::string> actions;     // what was done, in order, literally
    std::vector<CommandResult> commands;  // commands run, with their status and output
    bool ok = true;
    std::string error;                    // when !ok: "open libfoo.so: ETXTBSY (Text file busy)"
    int error_number = 0;                 // when a system call refused the update: its errno (EROFS
                                          // on a read-only file system); 0 for a failed command
    std::int64_t elapsed_ns = 0;
};

struct UpdateStrategy {
    Strategy kind;             // its name is to_string(kind) (words.h)
    std::string_view summary;  // one sentence for the transcript
    UpdateRecord (*act)(const UpdateContext& context);
    // Acts, and records how long it took (elapsed_ns).
    UpdateRecord run(const UpdateContext& context) const;
};

const UpdateStrategy* find_strategy(Strategy kind);
std::vector<std::string> strategy_names();  // those a scenario names; not "command"

// Runs the seed's link command in the sandbox and records it (and pads the result, for a large
// library).
void link_new_library(const UpdateContext& context, UpdateRecord* record);
// Pads the library to context.pad_to, if asked to, and records it.
void pad_new_library(const UpdateContext& context, UpdateRecord* record);

UpdateRecord update_inplace(const UpdateContext& context);
UpdateRecord update_inplace_notrunc(const UpdateContext& context);
UpdateRecord update_atomic_rename(const UpdateContext& context);
UpdateRecord update_command(const UpdateContext& context);
// The command with {new}, {path}, {dir} and {object} replaced (update_command.cc).
std::string expand_command(const std::string& command, const UpdateContext& context);
UpdateRecord update_rm_then_build(const UpdateContext& context);
UpdateRecord update_relink(const UpdateContext& context);

}  // namespace lab
