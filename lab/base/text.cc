// text.cc — small text helpers.
#include "base/text.h"

#include <cstdarg>

#include <cstdio>
#include <sstream>

namespace lab {

std::string join(const std::vector<std::string>& parts, const std::string& separator)
{
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : separator) + part;
    return text;
}

namespace {

// How one character of `text` starting at `i` is shown, and how many bytes it took.
std::string shown(std::string_view text, std::size_t i, std::size_t* taken)
{
    auto byte = static_cast<unsigned char>(text[i]);
    *taken = 1;
    char escaped[8];
    if (byte == '\n') return "\\n";
    if (byte == '\t') return "\\t";
    if (byte == '\r') return "\\r";
    if (byte < 0x20 || byte == 0x7f) {
        std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
        return escaped;
    }
    if (byte < 0x80) return std::string(1, static_cast<char>(byte));
    // UTF-8: U+0080..U+009F (C2 80..C2 9F) are C1 controls; 0x9b is CSI, which a terminal obeys.
    if (byte == 0xc2 && i + 1 < text.size()) {
        auto next = static_cast<unsigned char>(text[i + 1]);
        if (next >= 0x80 && next <= 0x9f) {
            *taken = 2;
            std::snprintf(escaped, sizeof escaped, "\\x%02x", next);
            return escaped;
        }
    }
    std::size_t length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    bool whole = i + length <= text.size();
    for (std::size_t k = 1; whole && k < length; ++k) whole = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    if (length == 1 || !whole) {  // not UTF-8: show the byte, never pass half a character on
        std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
        return escaped;
    }
    *taken = length;
    return std::string(text.substr(i, length));
}

}  // namespace

std::string printable(std::string_view text, std::size_t limit)
{
    // Room for the mark that says it was cut, when it is: the result never exceeds `limit`.
    const std::string cut = "...(" + std::to_string(text.size()) + " bytes)";
    const std::size_t room = limit > cut.size() ? limit - cut.size() : 0;
    std::string result;
    std::size_t i = 0, fitted = 0;  // how much of the result fits beside the mark
    while (i < text.size()) {
        std::size_t taken = 0;
        std::string piece = shown(text, i, &taken);
        if (result.size() + piece.size() > limit) break;
        result += piece;
        i += taken;
        if (result.size() <= room) fitted = result.size();
    }
    if (i == text.size()) return result;
    return result.substr(0, fitted) + (cut.size() <= limit ? cut : "");
}

std::string quote_value(std::string_view text, std::size_t limit) { return "\"" + printable(text, limit) + "\""; }

// Explicit newlines are kept.
std::string wrap_text(const std::string& text, size_t width, const std::string& indent)
{
    std::string out, line;
    std::istringstream paragraphs(text);
    std::string paragraph;
    bool first_paragraph = true;
    while (std::getline(paragraphs, paragraph)) {
        if (!first_paragraph) out += "\n" + indent;
        first_paragraph = false;
        std::istringstream words(paragraph);
        std::string word;
        line.clear();
        while (words >> word) {
            if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
                out += line + "\n" + indent;
                line.clear();
            }
            line += (line.empty() ? "" : " ") + word;
        }
        out += line;
    }
    return out;
}

std::string format(const char* pattern, ...)
{
    va_list arguments, again;
    va_start(arguments, pattern);
    va_copy(again, arguments);
    const int size = std::vsnprintf(nullptr, 0, pattern, arguments);
    va_end(arguments);
    std::string text(size > 0 ? static_cast<size_t>(size) : 0, '\0');
    if (size > 0) std::vsnprintf(text.data(), text.size() + 1, pattern, again);
    va_end(again);
    return text;
}

std::string padded_column(const std::string& text, std::size_t width)
{
    return text + std::string(width > text.size() ? width - text.size() : 1, ' ');
}

std::string without_trailing_spaces(std::string line)
{
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
}

std::vector<std::string> split_lines(const std::string& text)
{
    std::vector<std::string> lines;
    for (size_t at = 0; at < text.size();) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return lines;
}

}  // namespace lab
