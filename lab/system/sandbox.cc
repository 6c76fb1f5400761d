// sandbox.cc — the run's directory: made and owned through leftovers.h, kept on request.
#include "system/sandbox.h"

namespace lab {

Sandbox::Sandbox() : owned_(std::make_unique<OwnedDirectory>("libfoo-lab")), dir_(owned_->path()) {}

Sandbox::~Sandbox() = default;

void Sandbox::keep()
{
    if (owned_) owned_->keep();
}

}  // namespace lab
