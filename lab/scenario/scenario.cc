// scenario.cc — parsing and checking scenario files: the heading, the library, the bindings, and
// (scenario_steps.cc, scenario_expect.cc) the steps and the expectations. Every problem is one
// line naming the field's path (input/json_fields.h).
#include "scenario/scenario.h"

#include <cstring>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "input/json_input.h"
#include "base/text.h"
#include "scenario/catalogue.h"
#include "scenario/scenario_parts.h"

namespace lab {

using json = nlohmann::ordered_json;

const std::vector<std::string>& observable_things()
{
    static const std::vector<std::string> things = {"pages", "smaps", "faults", "page_cache"};
    return things;
}

const std::vector<std::string>& known_hosts()
{
    static const std::vector<std::string> hosts = {"process1", "process2"};
    return hosts;
}

bool names_a_file(const std::string& reference)
{
    auto ends_with = [&](const char* suffix) {
        const size_t size = std::strlen(suffix);
        return reference.size() > size && reference.compare(reference.size() - size, size, suffix) == 0;
    };
    return reference.find('/') != std::string::npos || ends_with(".c") || ends_with(".so");
}

namespace {

using namespace scenario_parts;

void parse_heading(const Fields& top, const std::string& path, Scenario* scenario)
{
    scenario->file = path;
    if (top.text("schema") != "libfoo-lab/scenario/1") top.fail("schema", "must be \"libfoo-lab/scenario/1\"");
    scenario->name = top.text("name");
    if (!is_scenario_name(scenario->name))
        top.fail("name", "must be lower-case letters, digits and dashes, starting with a letter or digit, at most " +
                             std::to_string(max_name_length) + " of them");
    std::string stem = std::filesystem::path(path).stem().string();
    if (scenario->name != stem)
        top.fail("name", quote_value(scenario->name) + " must match the file's name (" + quote_value(stem) + ")");
    scenario->title = top.text("title");
    scenario->description = top.text("description");
    scenario->seed = top.text("seed");
    if (top.has("timeout_ms")) {
        auto milliseconds = whole_number(top.raw("timeout_ms"), 1, 600000);
        if (!milliseconds) top.fail("timeout_ms", "must be a whole number of milliseconds from 1 to 600000");
        scenario->timeout_ms = static_cast<int>(*milliseconds);
    }
}

void parse_library(const Fields& top, const Catalogue& catalogue, Scenario* scenario)
{
    if (!top.has("library")) top.fail("library", "is missing (the variants to start on and update to)");
    Fields library = top.object("library");
    library.only({"from", "to", "pad_to"});
    if (auto pad = library.optional_text("pad_to")) {
        auto bytes = parse_size(*pad);
        if (!bytes || *bytes == 0) library.fail("pad_to", quote_value(*pad) + " is not a size like 64M or 1G");
        scenario->pad_to = *bytes;
    }
    scenario->from = library.text("from");
    scenario->to = library.text("to");
    for (const char* key : {"from", "to"}) {
        std::string name = library.text(key);
        if (names_a_file(name)) {  // a user's own edition: a path relative to the scenario file
            const std::filesystem::path file = std::filesystem::path(scenario->file).parent_path() / name;
            std::error_code error;
            if (!std::filesystem::is_regular_file(file, error))
                library.fail(key, quote_value(name, 60) + " names no file (looked for " + quote_value(file.string(), 80) + ")");
            (std::string(key) == "from" ? scenario->from : scenario->to) = std::filesystem::absolute(file).lexically_normal().string();
            continue;
        }
        if (catalogue.find(name)) continue;
        std::vector<std::string> names;
        for (const auto& entry : catalogue.variants()) names.push_back(entry.first);
        library.fail(key, "unknown libfoo variant " + quote_value(name, 24) + " (built: " + join(names, ", ") + ")");
    }
}

std::vector<Binding> parse_bindings(const Fields& top)
{
    const json& value = top.raw("binding");
    std::vector<json> items = value.is_array() ? std::vector<json>(value.begin(), value.end()) : std::vector<json>{value};
    std::vector<Binding> bindings;
    for (const auto& item : items) {
        auto binding = item.is_string() ? from_string<Binding>(item.get<std::string>()) : std::nullopt;
        if (!binding || std::find(bindings.begin(), bindings.end(), *binding) != bindings.end()) bindings.clear();
        if (!binding) break;
        bindings.push_back(*binding);
    }
    if (bindings.empty() || bindings.size() != items.size()) top.fail("binding", "must be \"lazy\", \"now\", or a list of both");
    return bindings;
}

void parse_steps(const Fields& top, const std::string& path, const Catalogue& catalogue, Scenario* scenario)
{
    if (!top.has("steps")) top.fail("steps", "is missing");
    const json& steps = top.raw("steps");
    if (!steps.is_array() || steps.empty()) top.fail("steps", "must be a non-empty list");
    for (size_t i = 0; i < steps.size(); ++i)
        scenario->steps.push_back(parse_step(Fields(path, "steps[" + std::to_string(i) + "]", steps[i]), catalogue.chapters()));
    check_step_order(path, scenario->steps);
    for (const auto& host : started_hosts(*scenario)) {
        bool called = std::any_of(scenario->steps.begin(), scenario->steps.end(), [&](const Step& step) {
            return step.kind == Step::Kind::call && step.host == host;
        });
        if (!called) top.fail("steps", host + " is started but never called, so there is nothing to judge");
    }
}

void parse_expectations(const Fields& top, const std::string& path, Scenario* scenario)
{
    const std::set<std::string> started = started_hosts(*scenario);
    const bool has_update = std::any_of(scenario->steps.begin(), scenario->steps.end(),
                                        [](const Step& step) { return step.kind == Step::Kind::update; });
    if (!top.has("expect")) top.fail("expect", "is missing (what this scenario expects to observe)");
    const json& expect = top.raw("expect");
    if (expect.is_array() && expect.empty()) top.fail("expect", "must not be an empty list");
    const size_t count = expect.is_array() ? expect.size() : 1;
    for (size_t i = 0; i < count; ++i) {
        const std::string where = expect.is_array() ? "expect[" + std::to_string(i) + "]" : "expect";
        const json& value = expect.is_array() ? expect[i] : expect;
        scenario->expect.push_back(parse_expectation(Fields(path, where, value), started, has_update));
        check_observable(path, where, scenario->expect.back(), scenario->steps);
    }
}

}  // namespace

std::set<std::string> started_hosts(const Scenario& scenario)
{
    std::set<std::string> hosts;
    for (const auto& step : scenario.steps)
        if (step.kind == Step::Kind::start) hosts.insert(step.host);
    return hosts;
}

Scenario parse_scenario(const std::string& path, const std::string& text, const Catalogue& catalogue)
{
    return parse_scenario_document(path, parse_json_input(path, text), catalogue);
}

Scenario parse_scenario_document(const std::string& path, const nlohmann::ordered_json& document, const Catalogue& catalogue)
{
    Fields top(path, "", document);
    top.only({"schema", "name", "title", "description", "seed", "library", "timeout_ms", "binding", "steps", "expect"});
    Scenario scenario;
    parse_heading(top, path, &scenario);
    parse_library(top, catalogue, &scenario);
    if (top.has("binding")) scenario.bindings = parse_bindings(top);
    parse_steps(top, path, catalogue, &scenario);
    parse_expectations(top, path, &scenario);
    return scenario;
}

Scenario load_scenario(const std::string& path, const Catalogue& catalogue)
{
    return parse_scenario_document(path, load_json_input(path), catalogue);
}

bool is_scenario_name(const std::string& name)
{
    if (name.empty() || name.size() > max_name_length || name[0] == '-') return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace lab
