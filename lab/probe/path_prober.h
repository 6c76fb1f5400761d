// path_prober.h — is there a moment during an update when the library's path names nothing? A
// thread opens the path read-only in a tight loop while the update runs, and counts the opens
// that fail (ENOENT: no file by that name just then). Nothing is read through what it opens.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace lab {

class PathProber {
public:
    explicit PathProber(std::string path);
    ~PathProber();  // stops it, if stop() was not called
    PathProber(const PathProber&) = delete;
    PathProber& operator=(const PathProber&) = delete;

    void stop();
    long probes() const { return probes_; }
    long missing() const { return missing_; }  // opens that failed with ENOENT

private:
    void run();

    std::string path_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> started_{false};
    long probes_ = 0, missing_ = 0;
    std::thread thread_;
};

}  // namespace lab
