// json_fields.h — reading the fields of one JSON object from a file users write (a scenario, the
// ledger, the catalogue), each problem a one-line ScenarioError naming the file and the field's
// path ("steps[2].chapters[0]"). Unknown keys are errors: a misspelt key would otherwise be
// silently ignored.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "input/input_error.h"
#include "base/words.h"

namespace lab {

class Fields {
public:
    // `path`: where the object is in the file ("" for the top level).
    Fields(const std::string& file, const std::string& path, const nlohmann::ordered_json& object);

    [[noreturn]] void fail(const std::string& key, const std::string& problem) const;
    std::string at(const std::string& key) const;  // the path of `key`, for an error
    bool has(const std::string& key) const { return object_.contains(key); }
    const nlohmann::ordered_json& raw(const std::string& key) const { return object_.at(key); }
    // The object at `key`, read the same way.
    Fields object(const std::string& key) const { return Fields(file_, at(key), raw(key)); }
    // The object at `key`[`index`], in a list.
    Fields element(const std::string& key, std::size_t index) const
    {
        return Fields(file_, at(key) + "[" + std::to_string(index) + "]", raw(key).at(index));
    }

    // A string; when `required`, present and not empty ("" when absent and not required).
    std::string text(const std::string& key, bool required = true) const;
    std::optional<std::string> optional_text(const std::string& key) const;
    std::optional<bool> optional_bool(const std::string& key) const;
    // A whole number from `min` to `max` (json_input.h's whole_number).
    long long number(const std::string& key, long long min, long long max) const;
    // One of an enum's words (words.h): "must be \"lazy\" or \"now\"" otherwise.
    template <typename Word>
    std::optional<Word> optional_word(const std::string& key) const
    {
        auto text = optional_text(key);
        if (!text) return std::nullopt;
        auto word = from_string<Word>(*text);
        if (!word) fail(key, "must be " + spellings<Word>());
        return word;
    }
    // Refuses any key not in `allowed`.
    void only(std::initializer_list<const char*> allowed) const;

private:
    const std::string& file_;
    std::string path_;
    const nlohmann::ordered_json& object_;
};

}  // namespace lab
