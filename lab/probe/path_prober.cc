// path_prober.cc — open()/close() in a loop on its own thread until told to stop.
#include "probe/path_prober.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace lab {

PathProber::PathProber(std::string path) : path_(std::move(path)), thread_([this] { run(); })
{
    // The update must not begin before the prober is looking: wait for its first probe.
    while (!started_.load(std::memory_order_acquire)) std::this_thread::yield();
}

PathProber::~PathProber() { stop(); }

void PathProber::stop()
{
    stopping_.store(true, std::memory_order_release);
    if (thread_.joinable()) thread_.join();
}

void PathProber::run()
{
    do {
        int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        ++probes_;
        if (fd >= 0) close(fd);
        else if (errno == ENOENT) ++missing_;
        started_.store(true, std::memory_order_release);
    } while (!stopping_.load(std::memory_order_acquire));
}

}  // namespace lab
