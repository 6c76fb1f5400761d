// json_input.cc — JSON from outside, with one-line errors.
#include "input/json_input.h"

#include <algorithm>
#include <system_error>

#include "base/files.h"
#include "base/text.h"

namespace lab {

using json = nlohmann::ordered_json;

namespace {

// Where a syntax error is, in lines (nlohmann reports a byte offset; people count lines).
std::size_t line_at(const std::string& text, std::size_t byte)
{
    std::size_t offset = std::min(byte, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(offset ? offset - 1 : 0), '\n'));
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
std::string explanation(const std::string& what)
{
    std::size_t bracket = what.find("] ");
    std::string rest = bracket == std::string::npos ? what : what.substr(bracket + 2);
    std::size_t colon = rest.find(": ");
    if (rest.rfind("parse error", 0) == 0 && colon != std::string::npos) rest = rest.substr(colon + 2);
    return rest;
}

struct TooDeep {};

}  // namespace

json parse_json_input(const std::string& file, const std::string& text)
{
    // The callback sees every value with its depth before it is stored.
    auto limit_depth = [](int depth, json::parse_event_t, json&) {
        if (depth > max_json_depth) throw TooDeep{};
        return true;
    };
    try {
        return json::parse(text, limit_depth);
    } catch (const TooDeep&) {
        throw ScenarioError(file, "", "nests deeper than " + std::to_string(max_json_depth) + " levels");
    } catch (const json::parse_error& error) {
        throw ScenarioError(file, "", "not valid JSON near line " + std::to_string(line_at(text, error.byte)) + " (" +
                                          explanation(error.what()) + ")");
    } catch (const json::exception& error) {  // out_of_range.406: a number too large for a double
        throw ScenarioError(file, "", "not valid JSON (" + explanation(error.what()) + ")");
    }
}

json load_json_input(const std::string& file)
{
    std::string text;
    try {
        text = read_file(file);
    } catch (const std::system_error& error) {
        throw ScenarioError(file, "", "cannot be read: " + error.code().message());
    }
    return parse_json_input(file, text);
}

std::optional<long long> whole_number(const json& value, long long min, long long max)
{
    if (value.is_number_unsigned()) {
        auto number = value.get<json::number_unsigned_t>();
        if (max < 0 || number > static_cast<json::number_unsigned_t>(max)) return std::nullopt;
        auto result = static_cast<long long>(number);
        return result < min ? std::nullopt : std::optional<long long>(result);
    }
    if (!value.is_number_integer()) return std::nullopt;
    auto number = static_cast<long long>(value.get<json::number_integer_t>());
    if (number < min || number > max) return std::nullopt;
    return number;
}

}  // namespace lab
