// update_inplace.cc — writing new bytes into the existing file, keeping its inode.
//   "inplace": what cp does to an existing destination (coreutils opens it O_WRONLY|O_TRUNC and
//   writes). The truncation drops the page cache pages and unmaps them from every process; their
//   next touch faults in the new bytes (or SIGBUS, beyond the new end of file).
//   "inplace-notrunc": what dd conv=notrunc does. No truncation: the page cache pages are written
//   over where they are, so every process mapping them sees the new bytes at once.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/files.h"
#include "system/sandbox.h"
#include "update/update.h"

namespace lab {

namespace {

UpdateRecord write_over(const UpdateContext& context, bool truncate)
{
    UpdateRecord record;
    std::string bytes = read_file(context.to.shared_object);
    // No O_CREAT: this must be the existing file.
    int fd = open(context.library.c_str(), O_WRONLY | O_CLOEXEC | (truncate ? O_TRUNC : 0));
    record.actions.push_back(std::string("open(\"libfoo.so\", ") + (truncate ? "O_WRONLY|O_TRUNC)" : "O_WRONLY)") +
                             (fd < 0 ? " failed: " + errno_text(errno) : std::string(" = fd ") + std::to_string(fd)));
    if (fd < 0) {
        record.ok = false;
        record.error_number = errno;
        record.error = "open libfoo.so for writing: " + errno_text(errno);
        return record;
    }
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t written = write(fd, bytes.data() + done, bytes.size() - done);
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) {
            record.ok = false;
            record.error_number = errno;
            record.error = "write libfoo.so: " + errno_text(errno);
            break;
        }
        done += static_cast<size_t>(written);
    }
    close(fd);
    record.actions.push_back("wrote " + std::to_string(done) + " bytes of " + context.to.name + "'s libfoo.so, closed");
    if (record.ok) pad_new_library(context, &record);
    return record;
}

}  // namespace

UpdateRecord update_inplace(const UpdateContext& context) { return write_over(context, true); }

UpdateRecord update_inplace_notrunc(const UpdateContext& context) { return write_over(context, false); }

}  // namespace lab
