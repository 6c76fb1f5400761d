// colour.cc — ANSI SGR colours around whole words.
#include "base/colour.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <map>

namespace lab {

namespace {

const std::map<std::string, const char*>& palette()
{
    static const std::map<std::string, const char*> colours = {
        {"PASS", "\033[1;32m"},    {"FAIL", "\033[1;31m"},        {"BROK", "\033[1;31m"},     {"CONF", "\033[1;33m"},
        {"crashed", "\033[31m"},  {"wrong-answer", "\033[31m"}, {"hung", "\033[31m"},       {"kept-old", "\033[32m"},
        {"runs-new", "\033[32m"}, {"switched-to-new", "\033[32m"}};
    return colours;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

}  // namespace

Colour Colour::for_stream(std::FILE* stream)
{
    const char* no_color = std::getenv("NO_COLOR");
    return Colour(isatty(fileno(stream)) && !(no_color && *no_color));
}

std::string Colour::words(const std::string& text) const
{
    if (!on_) return text;
    std::string out;
    for (size_t i = 0; i < text.size();) {
        if (!word_char(text[i])) {
            out += text[i++];
            continue;
        }
        size_t end = i;
        while (end < text.size() && word_char(text[end])) ++end;
        const std::string word = text.substr(i, end - i);
        auto found = palette().find(word);
        out += found == palette().end() ? word : std::string(found->second) + word + "\033[0m";
        i = end;
    }
    return out;
}

}  // namespace lab
