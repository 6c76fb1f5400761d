// update_rm_then_build.cc — "rm-then-build": the seed's first way. unlink() removes the name only;
// a process that maps the old file keeps it (its maps line gains " (deleted)") and so do its
// blocks on disk, until the last user is gone. The linker then creates a new file.
#include <unistd.h>

#include <cerrno>

#include "update/update.h"

namespace lab {

UpdateRecord update_rm_then_build(const UpdateContext& context)
{
    UpdateRecord record;
    int result = unlink(context.library.c_str());
    if (result != 0 && errno != ENOENT) {  // rm -f: a missing file is not an error
        record.ok = false;
        record.error_number = errno;
        record.error = "unlink libfoo.so: " + errno_text(errno);
        record.actions.push_back("unlink(\"libfoo.so\") failed: " + errno_text(errno));
        return record;
    }
    record.actions.push_back(result == 0 ? "unlink(\"libfoo.so\") = 0" : "unlink(\"libfoo.so\"): already absent");
    link_new_library(context, &record);
    return record;
}

}  // namespace lab
