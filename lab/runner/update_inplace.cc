// update_inplace.cc — "inplace": what cp does to an existing destination (coreutils opens it
// O_WRONLY|O_TRUNC and writes). The inode stays; its page cache pages are dropped by the
// truncation and every process mapping the file sees the new bytes on its next fault.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "catalogue.h"
#include "sandbox.h"
#include "update.h"

namespace lab {

UpdateRecord update_inplace(const UpdateContext& context)
{
    UpdateRecord record;
    std::string bytes = read_file(context.to->shared_object);
    auto start = Clock::now();
    int fd = open(context.library.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);  // no O_CREAT: the same file
    record.actions.push_back("open(\"libfoo.so\", O_WRONLY|O_TRUNC)" +
                             (fd < 0 ? " failed: " + errno_text(errno) : std::string(" = fd ") + std::to_string(fd)));
    if (fd < 0) {
        record.ok = false;
        record.error = "open libfoo.so for writing: " + errno_text(errno);
        return record;
    }
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t written = write(fd, bytes.data() + done, bytes.size() - done);
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) {
            record.ok = false;
            record.error = "write libfoo.so: " + errno_text(errno);
            break;
        }
        done += static_cast<size_t>(written);
    }
    close(fd);
    record.actions.push_back("wrote " + std::to_string(done) + " bytes of " + context.to->name + "'s libfoo.so, closed");
    record.elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
    return record;
}

}  // namespace lab
