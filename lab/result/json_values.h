// json_values.h — the result files' convention for "nothing observed": null, never "" or a
// missing key.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace lab {

// null for "", else the text.
inline nlohmann::ordered_json or_null(const std::string& text)
{
    return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

// null for nullopt, else the value.
template <typename T>
nlohmann::ordered_json or_null(const std::optional<T>& value)
{
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace lab
