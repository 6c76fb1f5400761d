// json_reader.cc — the dotted-path accessor.
#include "pages/json_reader.h"

#include "input/input_error.h"
#include "input/json_input.h"

namespace lab {

const Reader::json& Reader::lookup(const json& from, const std::string& path) const
{
    static const json null = nullptr;
    const json* node = &from;
    for (size_t start = 0; start <= path.size();) {
        const size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (node->is_null()) return null;
        if (node->is_array()) {  // an element by its index
            const size_t index = key.find_first_not_of("0123456789") == std::string::npos && !key.empty() && key.size() < 10
                                     ? std::stoul(key) : node->size();
            if (index >= node->size()) return null;
            node = &(*node)[index];
        } else if (node->is_object()) {
            auto found = node->find(key);
            if (found == node->end()) return null;
            node = &*found;
        } else {
            throw ScenarioError(file, prefix + path, "is not an object where a result has one");
        }
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return *node;
}

std::string Reader::text(const json& from, const std::string& path) const
{
    const json& value = lookup(from, path);
    if (value.is_null()) return "";
    if (!value.is_string()) throw ScenarioError(file, prefix + path, "must be a string");
    return value.get<std::string>();
}

long long Reader::number(const json& from, const std::string& path) const
{
    const json& value = lookup(from, path);
    if (value.is_null()) return 0;
    auto whole = whole_number(value, -(1LL << 62), 1LL << 62);
    if (!whole) throw ScenarioError(file, prefix + path, "must be a whole number");
    return *whole;
}

std::uint64_t Reader::address(const json& from, const std::string& path) const
{
    const std::string shown = text(from, path);
    if (shown.rfind("0x", 0) != 0 || shown.size() < 3 || shown.size() > 18 || shown.find_first_not_of("0123456789abcdef", 2) != std::string::npos)
        throw ScenarioError(file, prefix + path, "must be an address like \"0x1140\"");
    return std::stoull(shown.substr(2), nullptr, 16);
}

const Reader::json& Reader::object(const json& from, const std::string& path) const
{
    const json& value = lookup(from, path);
    if (!value.is_null() && !value.is_object()) throw ScenarioError(file, prefix + path, "must be an object");
    return value;
}

const Reader::json& Reader::array(const json& from, const std::string& path) const
{
    const json& value = lookup(from, path);
    if (!value.is_null() && !value.is_array()) throw ScenarioError(file, prefix + path, "must be an array");
    return value;
}

bool Reader::flag(const json& from, const std::string& path) const
{
    const json& value = lookup(from, path);
    if (value.is_null()) return false;
    if (!value.is_boolean()) throw ScenarioError(file, prefix + path, "must be true or false");
    return value.get<bool>();
}

}  // namespace lab
