// protocol.cc — formatting and parsing of the runner <-> host line protocol.
#include "common/protocol.h"

#include <charconv>

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
    auto fail = [&](const char* text) -> std::optional<Command> {
        if (why) *why = text;
        return std::nullopt;
    };
    if (line == "report") return Command{CommandKind::report};
    if (line == "quit") return Command{CommandKind::quit};
    if (line == "open") return Command{CommandKind::open};
    if (line == "open-copy") return Command{CommandKind::open_copy};
    if (line == "close") return Command{CommandKind::close};
    if (line.substr(0, 5) != "call ") return fail("unknown command");
    std::string_view number = line.substr(5);
    Command command{CommandKind::call};
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), command.chapter);
    if (error != std::errc() || end != number.data() + number.size())
        return fail("call needs a chapter number");
    return command;
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
