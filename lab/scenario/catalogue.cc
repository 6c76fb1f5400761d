// catalogue.cc — reading build/libfoo/catalogue.json.
#include "scenario/catalogue.h"

#include <system_error>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "foo.h"
#include "base/json_input.h"
#include "system/sandbox.h"
#include "scenario/scenario.h"
#include "base/text.h"

namespace lab {

std::string Variant::name_of(int chapter) const { return chapter < changed_from ? base_name : name; }

long Variant::value_of(int chapter) const
{
    return chapter < changed_from ? FOO_VALUE(base_edition, chapter) : FOO_VALUE(edition, chapter);
}

namespace {

// A whole number in [min, max] at `key` of `object`, or a one-line error naming the field.
int number_at(const std::string& file, const nlohmann::json& object, const std::string& where, const char* key,
              long long min, long long max)
{
    auto number = object.contains(key) ? whole_number(object[key], min, max) : std::nullopt;
    if (!number)
        throw ScenarioError(file, where + key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return static_cast<int>(*number);
}

std::string text_at(const std::string& file, const nlohmann::json& object, const std::string& where, const char* key)
{
    if (!object.contains(key) || !object[key].is_string()) throw ScenarioError(file, where + key, "must be a string");
    return object[key].get<std::string>();
}

}  // namespace

Catalogue Catalogue::load(const std::string& dir)
{
    const std::string path = dir + "/catalogue.json";
    std::string text;
    try {
        text = read_file(path);
    } catch (const std::system_error& error) {
        throw ScenarioError(path, "", "cannot be read: " + error.code().message() + " (was the lab built?)");
    }
    return parse(dir, text);
}

Catalogue Catalogue::parse(const std::string& dir, const std::string& text)
{
    const std::string path = dir + "/catalogue.json";
    Catalogue catalogue;
    nlohmann::json json = parse_json_input(path, text);
    if (!json.is_object()) throw ScenarioError(path, "(top level)", "must be an object");
    catalogue.chapters_ = number_at(path, json, "", "chapters", 1, 1000);
    if (!json.contains("variants") || !json["variants"].is_object() || json["variants"].empty())
        throw ScenarioError(path, "variants", "must be an object naming at least one variant");
    for (const auto& [name, entry] : json["variants"].items()) {
        const std::string where = "variants." + name + ".";
        if (!is_scenario_name(name)) throw ScenarioError(path, "variants." + name, "is not a variant name (lower-case letters, digits, dashes)");
        if (!entry.is_object()) throw ScenarioError(path, "variants." + name, "must be an object");
        Variant variant;
        variant.name = name;
        variant.edition = number_at(path, entry, where, "edition", 0, 999);
        variant.grow_chapter = number_at(path, entry, where, "grow_chapter", 0, catalogue.chapters_);
        variant.grow_pages = number_at(path, entry, where, "grow_pages", 0, 1 << 16);
        variant.align = number_at(path, entry, where, "align", 1, 1 << 24);
        variant.changed_from = number_at(path, entry, where, "changed_from", 1, catalogue.chapters_ + 1);
        if (!entry.contains("base") || !(entry["base"].is_null() || entry["base"].is_string()))
            throw ScenarioError(path, where + "base", "must be a variant name or null");
        variant.base_name = entry["base"].is_null() ? name : entry["base"].get<std::string>();
        variant.description = text_at(path, entry, where, "description");
        variant.shared_object = dir + "/" + name + "/libfoo.so";
        variant.object = dir + "/" + name + "/foo.o";
        catalogue.variants_[name] = variant;
    }
    for (auto& [name, variant] : catalogue.variants_) {
        const Variant* base = catalogue.find(variant.base_name);
        if (!base) throw ScenarioError(path, "variants." + name + ".base", "unknown base variant " + quote_value(variant.base_name));
        variant.base_edition = base->edition;
    }
    return catalogue;
}

const Variant* Catalogue::find(const std::string& name) const
{
    auto found = variants_.find(name);
    return found == variants_.end() ? nullptr : &found->second;
}

}  // namespace lab
