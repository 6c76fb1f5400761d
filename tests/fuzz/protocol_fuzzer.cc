// protocol_fuzzer.cc — libFuzzer harness for the host protocol (protocol.cc, crash_record.cc): the
// lines a host writes and the commands it reads, as the runner and the host parse them. Nothing
// may crash, and whatever parses as a command formats back to a line that parses the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/crash_record.h"
#include "common/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t start = 0;
    while (start <= input.size()) {
        std::size_t end = input.find('\n', start);
        std::string_view line = input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        lab::protocol::Message message = lab::protocol::parse_message(line);
        (void)message.field("pid");
        std::string why;
        if (auto command = lab::protocol::parse_command(line, &why)) {
            auto again = lab::protocol::parse_command(lab::protocol::format_command(*command));
            if (!again || again->kind != command->kind || again->chapter != command->chapter) std::abort();
        }
        if (auto crash = lab::parse_crash_record(line)) {
            (void)lab::signal_name(crash->signal);
            (void)lab::si_code_name(crash->signal, crash->code);
            (void)lab::hex_address(crash->fault_address);
        }
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return 0;
}
