// colour.h — the words that carry a verdict, coloured on a terminal and nowhere else: not when
// the stream is a pipe or a file, not when NO_COLOR is set to anything (no-color.org). Colour is
// never the only carrier: the word is there either way.
#pragma once

#include <cstdio>
#include <string>

namespace lab {

class Colour {
public:
    explicit Colour(bool on) : on_(on) {}
    // On when `stream` is a terminal and NO_COLOR is unset or empty.
    static Colour for_stream(std::FILE* stream);
    bool on() const { return on_; }

    // `text` with each verdict word in it coloured, as a whole word: PASS green; FAIL and BROK
    // red; CONF yellow; a host's verdict red when it was harmed (crashed, wrong-answer, hung),
    // green when it kept running a whole version (kept-old, runs-new, switched-to-new). Padding
    // and every other character are left as they are, so columns stay aligned.
    std::string words(const std::string& text) const;

private:
    bool on_;
};

}  // namespace lab
