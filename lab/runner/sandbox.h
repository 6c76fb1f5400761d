// sandbox.h — the temporary directory a run lives in; removed at the end unless kept.
#pragma once

#include <string>

namespace lab {

class Sandbox {
public:
    // Creates ${TMPDIR:-/tmp}/libfoo-lab.XXXXXX; throws std::system_error on failure.
    Sandbox();
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    const std::string& dir() const { return dir_; }
    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    void keep() { keep_ = true; }

private:
    std::string dir_;
    bool keep_ = false;
};

// Copies `from` to `to` (created, or truncated if it exists: the same file then), returning
// the bytes copied; throws std::system_error naming the path on failure.
long long copy_file(const std::string& from, const std::string& to, int mode = 0755);
// Reads a whole file; throws std::system_error naming the path on failure.
std::string read_file(const std::string& path);

}  // namespace lab
