// protocol.cc — formatting and parsing of the runner <-> host line protocol. Commands are parsed
// by the hosts' own C parser (command.c).
#include "common/protocol.h"

#include "common/command.h"

namespace lab::protocol {

std::string format_command(const Command& command)
{
    switch (command.kind) {
    case CommandKind::call: return "call " + std::to_string(command.chapter);
    case CommandKind::report: return "report";
    case CommandKind::quit: return "quit";
    case CommandKind::open: return "open";
    case CommandKind::open_copy: return "open-copy";
    case CommandKind::close: return "close";
    }
    return "";
}

std::optional<Command> parse_command(std::string_view line, std::string* why)
{
    lab_command parsed;
    const char* problem = nullptr;
    if (!lab_parse_command(line.data(), line.size(), &parsed, &problem)) {
        if (why) *why = problem;
        return std::nullopt;
    }
    return Command{static_cast<CommandKind>(parsed.kind), parsed.chapter};
}

std::string Message::field(const std::string& key) const
{
    auto found = fields.find(key);
    return found == fields.end() ? std::string() : found->second;
}

Message parse_message(std::string_view line)
{
    Message message;
    size_t space = line.find(' ');
    message.kind = std::string(line.substr(0, space));
    if (space == std::string_view::npos) return message;
    std::string_view rest = line.substr(space + 1);
    message.text = std::string(rest);
    while (!rest.empty()) {
        size_t end = rest.find(' ');
        std::string_view word = rest.substr(0, end);
        size_t equals = word.find('=');
        if (equals != std::string_view::npos)
            message.fields[std::string(word.substr(0, equals))] = std::string(word.substr(equals + 1));
        if (end == std::string_view::npos) break;
        rest = rest.substr(end + 1);
    }
    return message;
}

}  // namespace lab::protocol
