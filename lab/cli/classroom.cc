// classroom.cc — the pause before each step.
#include "cli/classroom.h"

#include <vector>

#include "base/text.h"
#include "update/update.h"

namespace cli {

std::string describe_step(const lab::Step& step)
{
    using Kind = lab::Step::Kind;
    std::vector<std::string> chapters;
    for (int chapter : step.chapters) chapters.push_back(std::to_string(chapter));
    switch (step.kind) {
    case Kind::start:
        return "Start " + step.host + (step.mode == lab::HostMode::linked ? ", linked with libfoo.so: the loader maps it at start." : ", which opens libfoo.so with dlopen().");
    case Kind::call: return step.host + " calls chapter" + (chapters.size() > 1 ? "s " : " ") + lab::join(chapters, " ") + ".";
    case Kind::update: {
        const lab::UpdateStrategy* strategy = lab::find_strategy(step.strategy);
        return "Update libfoo.so: " + (step.command.empty() ? std::string(strategy ? strategy->summary : "") : step.command) + ".";
    }
    case Kind::stop: return "Ask " + step.host + " to quit.";
    case Kind::observe: return "Look at " + step.host + "'s memory" + (step.label.empty() ? "" : " (" + step.label + ")") + ".";
    case Kind::evict: return "Evict libfoo.so from the page cache: the next touch must read the disk.";
    case Kind::dlopen: return step.host + " calls dlopen() on libfoo.so" + (step.copy ? ", a copy under its own name." : ".");
    case Kind::dlclose: return step.host + " calls dlclose().";
    case Kind::etxtbsy: return "Try to open " + step.host + "'s files for writing (ETXTBSY).";
    }
    return "";
}

std::function<bool(const lab::StepPause&)> classroom_pauses(std::FILE* out, std::FILE* in)
{
    return [out, in](const lab::StepPause& pause) {
        std::fprintf(out, "\n>> Step %zu of %zu: %s\n", pause.index + 1, pause.count, lab::wrap_text(describe_step(*pause.step), 74, "   ").c_str());
        if (!pause.step->why.empty()) std::fprintf(out, "   Why: %s\n", lab::wrap_text(pause.step->why, 72, "        ").c_str());
        std::fprintf(out, "   Meanwhile, in another terminal:\n     ls -li %s/libfoo.so\n", pause.sandbox_dir.c_str());
        for (const auto& [name, pid] : pause.hosts)
            std::fprintf(out, "     grep libfoo /proc/%d/maps          # %s\n     grep -A3 libfoo /proc/%d/smaps\n", pid, name.c_str(), pid);
        std::fprintf(out, "   Enter: go on; q then Enter: stop here. ");
        std::fflush(out);
        char answer[64];
        if (!std::fgets(answer, sizeof answer, in)) return false;  // end of input: stop, as q does
        return answer[0] != 'q' && answer[0] != 'Q';
    };
}

}  // namespace cli
