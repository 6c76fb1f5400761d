// json_fields.cc — one object's fields, checked.
#include "input/json_fields.h"

#include <algorithm>

#include "input/json_input.h"
#include "base/text.h"

namespace lab {

Fields::Fields(const std::string& file, const std::string& path, const nlohmann::ordered_json& object)
    : file_(file), path_(path), object_(object)
{
    if (!object.is_object()) fail("", "must be an object");
}

void Fields::fail(const std::string& key, const std::string& problem) const { throw ScenarioError(file_, at(key), problem); }

std::string Fields::at(const std::string& key) const
{
    if (key.empty()) return path_.empty() ? "(top level)" : path_;
    if (key[0] == '[') return path_ + key;
    return path_.empty() ? key : path_ + "." + key;
}

std::string Fields::text(const std::string& key, bool required) const
{
    if (!has(key)) {
        if (required) fail(key, "is missing");
        return "";
    }
    const nlohmann::ordered_json& value = raw(key);
    if (!value.is_string()) fail(key, "must be a string");
    if (required && value.get<std::string>().empty()) fail(key, "must not be empty");
    return value.get<std::string>();
}

std::optional<std::string> Fields::optional_text(const std::string& key) const
{
    if (!has(key)) return std::nullopt;
    return text(key);
}

std::optional<bool> Fields::optional_bool(const std::string& key) const
{
    if (!has(key)) return std::nullopt;
    if (!raw(key).is_boolean()) fail(key, "must be true or false");
    return raw(key).get<bool>();
}

long long Fields::number(const std::string& key, long long min, long long max) const
{
    auto value = has(key) ? whole_number(raw(key), min, max) : std::nullopt;
    if (!value) fail(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return *value;
}

void Fields::only(std::initializer_list<const char*> allowed) const
{
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (const auto& item : object_.items())
        if (std::find(names.begin(), names.end(), item.key()) == names.end())
            fail(item.key(), "unknown field (allowed: " + join(names, ", ") + ")");
}

}  // namespace lab
