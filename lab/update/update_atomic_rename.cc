// update_atomic_rename.cc — "atomic-rename": the safe way, as dpkg does it. The new library
// is written to a temporary file in the same directory, flushed (fsync), and renamed over the
// old name. rename() swaps the name in one step: a process that opens the path gets the old file
// or the new one, never nothing; a process that maps the old file keeps it.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include "base/files.h"
#include "system/sandbox.h"
#include "update/update.h"

namespace lab {

UpdateRecord update_atomic_rename(const UpdateContext& context)
{
    UpdateRecord record;
    std::string pattern = context.library + ".new.XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    if (fd < 0) {
        record.ok = false;
        record.error_number = errno;
        record.error = "mkstemp " + pattern + ": " + errno_text(errno);
        return record;
    }
    close(fd);
    std::string temporary = name.data();
    std::string shown = temporary.substr(temporary.rfind('/') + 1);
    try {
        long long bytes = copy_file(context.to.shared_object, temporary, 0755);
        record.actions.push_back("wrote " + std::to_string(bytes) + " bytes of " + context.to.name + "'s libfoo.so to " + shown);
        UpdateContext padded = context;
        padded.library = temporary;
        pad_new_library(padded, &record);
        fd = open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0) throw std::system_error(errno, std::generic_category(), "fsync " + shown);
        close(fd);
        record.actions.push_back("fsync(" + shown + ")");
        if (rename(temporary.c_str(), context.library.c_str()) != 0)
            throw std::system_error(errno, std::generic_category(), "rename " + shown + " libfoo.so");
        record.actions.push_back("rename(\"" + shown + "\", \"libfoo.so\") = 0");
    } catch (const std::system_error& error) {
        unlink(temporary.c_str());
        record.ok = false;
        record.error_number = error.code().value();
        record.error = error.what();
    }
    return record;
}

}  // namespace lab
