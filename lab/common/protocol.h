// protocol.h — the line protocol between the runner and a host (process1, process2).
//
// Runner -> host, on the host's stdin:    "call N" | "report" | "quit"
//                                         | "open" | "open-copy" | "close"   (dlopen hosts)
// Host -> runner, on the host's stdout:   "ready host=NAME pid=P"            (once, at start)
//                                         "answer chapter=N variant=V value=X"
//                                         "report host=NAME pid=P calls=K"
//                                         "bye"                              (then exit 0)
//                                         "opened requested=PATH handles=K handle=P base=B link_map_name=NAME"
//                                         "closed handles=K [handle=P base=B link_map_name=NAME]"
//                                         "error TEXT"
// The hosts are C programs (host/host_main.h); they and parse_command share command.c's parser.
// A host blocks reading its stdin; it never sleeps. End of input means the runner is gone.
// The crash record travels separately (crash_record.h) because it is written from a signal handler.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lab::protocol {

// The same values as command.h's lab_command_kind, in the same order.
enum class CommandKind { call, report, quit, open, open_copy, close };

struct Command {
    CommandKind kind;
    int chapter = 0;  // for call
};

std::string format_command(const Command& command);
// nullopt when the line is not a command; `why` says what was wrong.
std::optional<Command> parse_command(std::string_view line, std::string* why = nullptr);

// A message from a host: its first word and its key=value fields.
struct Message {
    std::string kind;  // "ready", "answer", "report", "bye", "error"
    std::map<std::string, std::string> fields;
    std::string text;  // the rest of the line, for "error"
    std::string field(const std::string& key) const;  // "" when absent
};

Message parse_message(std::string_view line);

}  // namespace lab::protocol
