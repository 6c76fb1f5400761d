// catalogue.cc — reading build/libfoo/catalogue.json.
#include "catalogue.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "foo.h"
#include "sandbox.h"

namespace lab {

std::string Variant::name_of(int chapter) const { return chapter < changed_from ? base_name : name; }

long Variant::value_of(int chapter) const
{
    return chapter < changed_from ? FOO_VALUE(base_edition, chapter) : FOO_VALUE(edition, chapter);
}

Catalogue Catalogue::load(const std::string& dir)
{
    const std::string path = dir + "/catalogue.json";
    Catalogue catalogue;
    try {
        auto json = nlohmann::json::parse(read_file(path));
        catalogue.chapters_ = json.at("chapters").get<int>();
        for (const auto& [name, entry] : json.at("variants").items()) {
            Variant variant;
            variant.name = name;
            variant.edition = entry.at("edition").get<int>();
            variant.grow_chapter = entry.at("grow_chapter").get<int>();
            variant.grow_pages = entry.at("grow_pages").get<int>();
            variant.align = entry.at("align").get<int>();
            variant.changed_from = entry.at("changed_from").get<int>();
            variant.base_name = entry.at("base").is_null() ? name : entry.at("base").get<std::string>();
            variant.description = entry.at("description").get<std::string>();
            variant.shared_object = dir + "/" + name + "/libfoo.so";
            variant.object = dir + "/" + name + "/foo.o";
            catalogue.variants_[name] = variant;
        }
        for (auto& [name, variant] : catalogue.variants_) {
            const Variant* base = catalogue.find(variant.base_name);
            if (!base) throw std::runtime_error(name + ": unknown base variant " + variant.base_name);
            variant.base_edition = base->edition;
        }
    } catch (const std::exception& error) {
        throw std::runtime_error(path + ": " + error.what() + " (was the lab built?)");
    }
    return catalogue;
}

const Variant* Catalogue::find(const std::string& name) const
{
    auto found = variants_.find(name);
    return found == variants_.end() ? nullptr : &found->second;
}

}  // namespace lab
