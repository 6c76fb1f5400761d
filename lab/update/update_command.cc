// update_command.cc — "command": any updater, as a shell command with placeholders, so that a
// deploy script or a packaging step is judged exactly like the built-in strategies.
//   {new}     the new libfoo.so, a file of its own in the sandbox (new/libfoo.so)
//   {path}    the installed libfoo.so
//   {dir}     the sandbox
//   {object}  the new variant's foo.o, for linkers
#include "base/files.h"
#include "system/sandbox.h"
#include "update/syscall_trace.h"
#include "update/update.h"

#include <filesystem>

namespace lab {

std::string expand_command(const std::string& command, const UpdateContext& context)
{
    const std::pair<std::string, std::string> placeholders[] = {{"{new}", context.sandbox + "/new/libfoo.so"},
                                                                 {"{path}", context.library},
                                                                 {"{dir}", context.sandbox},
                                                                 {"{object}", context.sandbox + "/" + context.new_object_name}};
    std::string text = command;
    for (const auto& [name, value] : placeholders)
        for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size()))
            text.replace(at, name.size(), value);
    return text;
}

UpdateRecord update_command(const UpdateContext& context)
{
    UpdateRecord record;
    std::filesystem::create_directories(context.sandbox + "/new");
    copy_file(context.to.shared_object, context.sandbox + "/new/libfoo.so", 0755);
    if (!std::filesystem::exists(context.sandbox + "/" + context.new_object_name))
        copy_file(context.to.object, context.sandbox + "/" + context.new_object_name, 0644);
    std::vector<std::string> argv = {"/bin/sh", "-c", expand_command(context.command, context)};
    record.actions.push_back(argv[2]);
    CommandResult result = run_command(context.trace_file.empty() ? argv : traced_command(argv, context.trace_file),
                                       context.sandbox, context.command_timeout);
    if (!result.ok()) {
        record.ok = false;
        record.error = "\"" + argv[2] + "\"" + (result.timed_out ? " timed out" : " failed") +
                       (result.err.empty() ? "" : ": " + result.err.substr(0, result.err.find('\n')));
    }
    record.commands.push_back(std::move(result));
    return record;
}

}  // namespace lab
