// excerpts.cc — finding, comparing and regenerating the quoted output in the docs.
#include "excerpts.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "system/child.h"

namespace lab::docs {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string read_text(const fs::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool is_gap(const std::string& line) { return line == "[...]" || line == "..."; }
bool is_prompt(const std::string& line) { return line.rfind("$ ", 0) == 0; }

// The stretches of an excerpt between its gaps, prompts left out.
std::vector<std::vector<std::string>> stretches(const Excerpt& excerpt)
{
    std::vector<std::vector<std::string>> parts(1);
    for (const auto& line : excerpt.lines) {
        if (is_prompt(line)) continue;
        if (is_gap(line)) parts.emplace_back();
        else parts.back().push_back(line);
    }
    parts.erase(std::remove_if(parts.begin(), parts.end(), [](const auto& part) { return part.empty(); }), parts.end());
    return parts;
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

bool is_hex(const std::string& text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string comparable(std::string word)
{
    size_t dash = word.find('-');
    if (dash != std::string::npos && dash >= 6 && is_hex(word.substr(0, dash)) && is_hex(word.substr(dash + 1)))
        return "RANGE";  // a maps line's address range
    // A sandbox, wherever $TMPDIR is: "$TMPDIR/libfoo-lab.XXXXXX".
    for (size_t at = word.find("libfoo-lab."); at != std::string::npos; at = word.find("libfoo-lab.", at + 1)) {
        word.replace(at + 11, std::min<size_t>(6, word.size() - at - 11), "XXXXXX");
        const size_t path = word.find('/');
        if (path < at) {
            word.replace(path, at - path, "$TMPDIR/");
            at = path + 8;
        }
    }
    std::string out;
    for (size_t i = 0; i < word.size();) {
        if (word.compare(i, 2, "0x") == 0 && i + 2 < word.size() && std::isxdigit(static_cast<unsigned char>(word[i + 2]))) {
            out += "0x?";
            for (i += 2; i < word.size() && std::isxdigit(static_cast<unsigned char>(word[i])); ++i) {}
            continue;
        }
        const bool glued = i > 0 && std::isalpha(static_cast<unsigned char>(word[i - 1]));
        if (std::isdigit(static_cast<unsigned char>(word[i])) && !glued) {
            out += "N";
            while (i < word.size() && (std::isdigit(static_cast<unsigned char>(word[i])) || word[i] == '.') &&
                   !(word[i] == '.' && (i + 1 == word.size() || !std::isdigit(static_cast<unsigned char>(word[i + 1])))))
                ++i;
            continue;
        }
        out += word[i++];
    }
    return out;
}

// Where `needle` starts in `haystack` at or after `from`; npos when nowhere.
size_t find_words(const std::vector<std::string>& haystack, const std::vector<std::string>& needle, size_t from)
{
    if (needle.empty()) return from;
    auto found = std::search(haystack.begin() + static_cast<long>(std::min(from, haystack.size())), haystack.end(), needle.begin(), needle.end());
    return found == haystack.end() ? std::string::npos : static_cast<size_t>(found - haystack.begin());
}

}  // namespace

std::vector<Excerpt> find_excerpts(const std::string& source_dir)
{
    std::vector<fs::path> files = {fs::path(source_dir) / "README.md"};
    for (const auto& entry : fs::directory_iterator(fs::path(source_dir) / "docs"))
        if (entry.path().extension() == ".md") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<Excerpt> excerpts;
    for (const auto& file : files) {
        auto lines = lines_of(read_text(file));
        for (size_t i = 0; i + 1 < lines.size(); ++i) {
            const std::string& line = lines[i];
            if (line.rfind("<!-- lab ", 0) != 0 || line.size() < 13 || line.compare(line.size() - 4, 4, " -->") != 0) continue;
            if (lines[i + 1].rfind("```", 0) != 0) continue;
            Excerpt excerpt{fs::relative(file, source_dir).string(), static_cast<int>(i + 1), line.substr(9, line.size() - 13), {}};
            size_t j = i + 2;
            for (; j < lines.size() && lines[j].rfind("```", 0) != 0; ++j) excerpt.lines.push_back(lines[j]);
            excerpts.push_back(excerpt);
            i = j;
        }
    }
    return excerpts;
}

std::vector<std::string> split_arguments(const std::string& command)
{
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (size_t i = 0; i < command.size(); ++i) {
        char c = command[i];
        if (c == '\'' || c == '"') {
            size_t end = command.find(c, i + 1);
            word += command.substr(i + 1, end - i - 1);
            in_word = true;
            i = end == std::string::npos ? command.size() : end;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            if (in_word) words.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(word);
    return words;
}

std::vector<std::string> comparable_words(const std::string& text)
{
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string word; in >> word;) words.push_back(comparable(word));
    return words;
}

bool matches(const Excerpt& excerpt, const std::string& output, std::string* why)
{
    const auto printed = comparable_words(output);
    size_t at = 0;
    for (const auto& stretch : stretches(excerpt)) {
        auto words = comparable_words(joined(stretch));
        size_t found = find_words(printed, words, at);
        if (found == std::string::npos) {
            if (why) *why = "not printed now:\n" + joined(stretch);
            return false;
        }
        at = found + words.size();
    }
    return true;
}

std::vector<std::string> regenerate(const Excerpt& excerpt, const std::string& output)
{
    auto printed = lines_of(output);
    while (!printed.empty() && printed.back().empty()) printed.pop_back();
    std::vector<std::string> block;
    for (const auto& line : excerpt.lines)
        if (is_prompt(line)) block.push_back(line);
    const bool whole = std::none_of(excerpt.lines.begin(), excerpt.lines.end(), is_gap);
    auto parts = stretches(excerpt);
    // A new quote (only its prompt) gets the whole output; so does one that starts where it does.
    if (whole && !printed.empty() && (parts.empty() || comparable_words(parts.front().front()) == comparable_words(printed.front()))) {
        block.insert(block.end(), printed.begin(), printed.end());
        return block;
    }
    size_t from = 0;
    for (const auto& stretch : parts) {
        auto first = comparable_words(stretch.front());
        size_t start = from;
        while (start < printed.size() && comparable_words(printed[start]) != first) ++start;
        if (start == printed.size()) return excerpt.lines;  // cannot place it: left for a person
        if (&stretch != &parts.front()) block.push_back("[...]");
        size_t end = std::min(printed.size(), start + stretch.size());
        block.insert(block.end(), printed.begin() + static_cast<long>(start), printed.begin() + static_cast<long>(end));
        from = end;
    }
    if (!excerpt.lines.empty() && is_gap(excerpt.lines.back())) block.push_back("[...]");  // a cut at the end stays
    return block;
}

bool boots_guests(const Excerpt& excerpt)
{
    const std::vector<std::string> words = split_arguments(excerpt.command);
    if (words.empty()) return false;
    if (words[0] == "claims") return std::find(words.begin(), words.end(), "--kernels") != words.end();
    if (words[0] != "kernels") return false;
    for (size_t i = 1; i + 1 < words.size(); ++i)
        if (words[i] == "--kernel" && words[i + 1] != "running") return true;
    return std::find(words.begin(), words.end(), "--kernel") == words.end();  // the default set boots Debian's images
}

std::string output_of(const std::string& lab, const Excerpt& excerpt, const std::string& source_dir, const std::string& scratch)
{
    std::vector<std::string> argv = {lab};
    for (const auto& word : split_arguments(excerpt.command))  // run in `scratch`: the source's files by full path
        argv.push_back(word.rfind("scenarios/", 0) == 0 ? source_dir + "/" + word : word);
    // No --out: results go where a user's would, results/NAME.json in the working directory.
    CommandResult result = run_command(argv, scratch, std::chrono::minutes(5));
    return result.out;
}

}  // namespace lab::docs
