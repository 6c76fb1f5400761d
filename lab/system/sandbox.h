// sandbox.h — the temporary directory a run lives in; removed at the end unless kept.
#pragma once

#include <memory>
#include <string>

#include "system/leftovers.h"

namespace lab {

class Sandbox {
public:
    // Creates ${TMPDIR:-/tmp}/libfoo-lab.XXXXXX, owned by this runner (leftovers.h: removed even
    // when the runner is interrupted or killed); throws std::system_error on failure.
    Sandbox();
    // Adopts an existing directory, which is never removed (its owner made it and removes it).
    explicit Sandbox(std::string existing) : dir_(std::move(existing)) {}
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    const std::string& dir() const { return dir_; }
    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    void keep();

private:
    std::unique_ptr<OwnedDirectory> owned_;
    std::string dir_;
};

}  // namespace lab
