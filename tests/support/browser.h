// browser.h — Debian's Chromium, headless, for what only a browser can say: that a page renders
// (a screenshot), and what it holds once rendered (its DOM). Used by the browser tests and by
// `make -f Makefile.demo docs` for the pictures in docs/.
#pragma once

#include <string>

namespace lab::testing {

// /usr/bin/chromium (or chromium on PATH); "" when it is not installed.
std::string chromium();

// Renders `file` (a page or an SVG) in a window of width x height and writes a PNG of it to
// `png`. Returns "" when done, else why not. Chromium's profile lives in `scratch`, removed by
// the caller.
std::string screenshot(const std::string& file, const std::string& png, int width, int height, const std::string& scratch);

// The DOM of `file` once loaded, as Chromium serialises it; empty with `why` set when it could not.
std::string dumped_dom(const std::string& file, const std::string& scratch, std::string* why);

// A PNG's size from its header; {0, 0} when the file is not a PNG.
std::pair<int, int> png_size(const std::string& png);

}  // namespace lab::testing
