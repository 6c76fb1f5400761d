// update.cc — the table of update strategies and what they share.
#include "update/update.h"

#include <cstring>

#include "base/files.h"
#include "system/sandbox.h"

namespace lab {

namespace {

const UpdateStrategy strategies[] = {
    {Strategy::rm_then_build, "rm -f libfoo.so, then cc -shared -o libfoo.so foo.o (the seed's first way)",
     update_rm_then_build},
    {Strategy::inplace, "open the existing libfoo.so with O_WRONLY|O_TRUNC and write the new bytes (what cp does)",
     update_inplace},
    {Strategy::relink, "cc -shared -o libfoo.so foo.o over the existing file, no rm (the seed's second way)", update_relink},
    {Strategy::inplace_notrunc,
     "open the existing libfoo.so with O_WRONLY, without truncating it, and write the new bytes over the old "
     "(what dd conv=notrunc does)",
     update_inplace_notrunc},
    {Strategy::atomic_rename,
     "write the new library to a temporary file beside libfoo.so, fsync it, and rename it over libfoo.so "
     "(what dpkg does)",
     update_atomic_rename},
    {Strategy::command, "run the updater's own command", update_command},
};

}  // namespace

const UpdateStrategy* find_strategy(Strategy kind)
{
    for (const UpdateStrategy& strategy : strategies)
        if (strategy.kind == kind) return &strategy;
    return nullptr;
}

UpdateRecord UpdateStrategy::run(const UpdateContext& context) const
{
    const auto start = Clock::now();
    UpdateRecord record = act(context);
    record.elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
    return record;
}

std::vector<std::string> strategy_names()
{
    std::vector<std::string> names;
    for (const UpdateStrategy& strategy : strategies)
        if (strategy.kind != Strategy::command) names.emplace_back(to_string(strategy.kind));  // used as {"command": ...}
    return names;
}

void link_new_library(const UpdateContext& context, UpdateRecord* record)
{
    std::vector<std::string> argv = {"cc", "-shared", "-o", "libfoo.so", context.new_object_name};
    record->actions.push_back(join_command(argv));
    CommandResult result = run_command(argv, context.sandbox, context.command_timeout);
    if (!result.spawn_error.empty()) {
        record->ok = false;
        record->error = "cannot run cc: " + result.spawn_error;
    } else if (!result.ok()) {
        record->ok = false;
        record->error = join_command(argv) + (result.timed_out ? ": timed out" : ": failed") +
                        (result.err.empty() ? "" : ": " + result.err.substr(0, result.err.find('\n')));
    }
    record->commands.push_back(std::move(result));
    if (record->ok) pad_new_library(context, record);
}

void pad_new_library(const UpdateContext& context, UpdateRecord* record)
{
    if (context.pad_to <= 0) return;
    try {
        long long appended = pad_file(context.library, context.pad_to);
        record->actions.push_back("padded libfoo.so to " + std::to_string(context.pad_to) + " bytes (appended " +
                                  std::to_string(appended) + ")");
    } catch (const std::system_error& error) {
        record->ok = false;
        record->error = std::string("padding libfoo.so: ") + error.what();
    }
}

}  // namespace lab
