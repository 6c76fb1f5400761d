// catalogue.cc — reading build/libfoo/catalogue.json.
#include "scenario/catalogue.h"

#include <system_error>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "input/json_fields.h"
#include "foo.h"
#include "input/json_input.h"
#include "system/sandbox.h"
#include "scenario/scenario.h"
#include "base/text.h"

namespace lab {

std::string Variant::name_of(int chapter) const
{
    if (!answers.empty()) return chapter >= 1 && chapter <= static_cast<int>(answers.size()) ? answers[chapter - 1].first : "";
    return chapter < changed_from ? base_name : name;
}

long Variant::value_of(int chapter) const
{
    if (!answers.empty()) return chapter >= 1 && chapter <= static_cast<int>(answers.size()) ? answers[chapter - 1].second : -1;
    return chapter < changed_from ? FOO_VALUE(base_edition, chapter) : FOO_VALUE(edition, chapter);
}

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

namespace {

Variant variant_of(const Fields& entry, const std::string& dir, const std::string& name, int chapters)
{
    Variant variant;
    variant.name = name;
    variant.edition = static_cast<int>(entry.number("edition", 0, 999));
    variant.grow_chapter = static_cast<int>(entry.number("grow_chapter", 0, chapters));
    variant.grow_pages = static_cast<int>(entry.number("grow_pages", 0, 1 << 16));
    variant.align = static_cast<int>(entry.number("align", 1, 1 << 24));
    variant.changed_from = static_cast<int>(entry.number("changed_from", 1, chapters + 1));
    if (!entry.has("base") || !(entry.raw("base").is_null() || entry.raw("base").is_string()))
        entry.fail("base", "must be a variant name or null");
    variant.base_name = entry.raw("base").is_null() ? name : entry.raw("base").get<std::string>();
    variant.description = entry.text("description");
    variant.shared_object = dir + "/" + name + "/libfoo.so";
    variant.object = dir + "/" + name + "/foo.o";
    return variant;
}

}  // namespace

Catalogue Catalogue::parse(const std::string& dir, const std::string& text)
{
    const std::string path = dir + "/catalogue.json";
    Catalogue catalogue;
    nlohmann::ordered_json json = parse_json_input(path, text);
    Fields top(path, "", json);
    catalogue.chapters_ = static_cast<int>(top.number("chapters", 1, 1000));
    catalogue.dir_ = dir;
    if (auto include = top.optional_text("include")) catalogue.include_dir_ = *include;
    if (auto cflags = top.optional_text("cflags")) catalogue.cflags_ = *cflags;
    if (!top.has("variants") || !json["variants"].is_object() || json["variants"].empty())
        top.fail("variants", "must be an object naming at least one variant");
    Fields variants = top.object("variants");
    for (const auto& [name, entry] : json["variants"].items()) {
        if (!is_scenario_name(name)) variants.fail(name, "is not a variant name (lower-case letters, digits, dashes)");
        catalogue.variants_[name] = variant_of(variants.object(name), dir, name, catalogue.chapters_);
    }
    for (auto& [name, variant] : catalogue.variants_) {
        const Variant* base = catalogue.find(variant.base_name);
        if (!base) variants.object(name).fail("base", "unknown base variant " + quote_value(variant.base_name));
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
