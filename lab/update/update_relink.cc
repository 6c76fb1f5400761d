// update_relink.cc — "relink": the seed's second way, literally, with no rm first. The seed says
// this updates the file in place; whether it does is up to the linker (GNU ld and gold unlink a
// non-empty regular output first; lld and mold write a new file and rename it). The runner
// observes which, from a descriptor held across the step.
#include "update/update.h"

namespace lab {

UpdateRecord update_relink(const UpdateContext& context)
{
    UpdateRecord record;
    link_new_library(context, &record);
    return record;
}

}  // namespace lab
