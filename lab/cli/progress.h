// progress.h — what a campaign prints as it goes (lab claims, survey, matrix, libcs, kernels).
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>

#include "base/colour.h"

namespace cli {

// What a campaign prints as it goes: each line on stdout with its verdict words coloured on a
// terminal; and, when stderr is a terminal, one progress line there ("[3/13] survey: rsync"),
// which the next printed line replaces.
class Progress {
public:
    Progress(std::string campaign, size_t total)
        : campaign_(std::move(campaign)), total_(total), shown_(isatty(STDERR_FILENO)), colour_(lab::Colour::for_stream(stdout))
    {
    }
    ~Progress() { clear(); }
    void next(const std::string& what)
    {
        ++done_;
        if (!shown_) return;
        std::fprintf(stderr, "\r\033[K[%zu/%zu] %s: %s", done_, total_, campaign_.c_str(), what.c_str());
        std::fflush(stderr);
    }
    // The current step's text, without counting a step ("[2/3] kernels: 6.1.0-56: relink").
    void now(const std::string& what)
    {
        if (!shown_) return;
        std::fprintf(stderr, "\r\033[K[%zu/%zu] %s: %s", done_, total_, campaign_.c_str(), what.c_str());
        std::fflush(stderr);
    }
    void line(const std::string& text)
    {
        clear();
        std::fputs(colour_.words(text + "\n").c_str(), stdout);
        std::fflush(stdout);
    }

private:
    void clear()
    {
        if (shown_) std::fputs("\r\033[K", stderr);
    }
    std::string campaign_;
    size_t total_, done_ = 0;
    bool shown_;
    lab::Colour colour_;
};

}  // namespace cli
