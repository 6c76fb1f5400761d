// scenario_fuzzer.cc — libFuzzer harness for the scenario parser (scenario.cc): any bytes are
// either a scenario or one ScenarioError line; nothing else may come out (no other exception, no
// crash, no hang), and a scenario it accepts is one `lab run` can run (its step order checked).
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "scenario/catalogue.h"
#include "fuzz_support.h"
#include "input/json_input.h"
#include "scenario/scenario.h"

namespace {

const lab::Catalogue& catalogue()
{
    static const lab::Catalogue loaded = lab::Catalogue::load(LAB_LIBFOO_DIR);
    return loaded;
}

// The file the document pretends to be: named after its "name" when that could be a file's
// name, so that mutations of every seed get past the name check into the steps and expectations.
std::string file_for(const nlohmann::ordered_json& document)
{
    if (document.is_object() && document.contains("name") && document["name"].is_string()) {
        std::string name = document["name"];
        if (lab::is_scenario_name(name)) return "fuzz/" + name + ".json";
    }
    return "fuzz/scenario.json";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::string file = "fuzz/scenario.json";
    try {
        nlohmann::ordered_json document = lab::parse_json_input(file, text);  // what parse_scenario() does first
        file = file_for(document);
        lab::Scenario scenario = lab::parse_scenario_document(file, document, catalogue());
        if (scenario.steps.empty() || scenario.expect.empty()) std::abort();  // accepted, yet nothing to run
    } catch (const lab::ScenarioError& error) {
        lab::fuzz::check_error_line(error.what(), file);
    }
    return 0;
}
