// facts.cc — reading the facts out of each kind of result file.
#include "compare/facts.h"

#include <algorithm>

#include "base/text.h"
#include "input/input_error.h"
#include "input/json_input.h"

namespace lab {

using json = nlohmann::ordered_json;

namespace {

std::string text_of(const json& value)
{
    if (value.is_null()) return "";
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

// `value[key]` when `value` is an object holding it; null otherwise.
const json& at(const json& value, const char* key)
{
    static const json none;
    return value.is_object() && value.contains(key) ? value[key] : none;
}

// "foo_chapter5 -> foo_chapter3+0x20": where a pc landed, in the version loaded and the file now;
// outside libfoo, the file and its symbol.
std::string landing(const json& where)
{
    if (!where.is_object()) return "";
    if (!at(where, "path").is_null())
        return text_of(at(where, "path")) + (at(where, "symbol").is_object() ? " " + text_of(where["symbol"]["text"]) : "");
    auto name = [&](const char* version) {
        const std::string text = text_of(at(at(where, version), "text"));
        return text.empty() ? std::string("(no symbol)") : text;
    };
    return name("old") + " -> " + name("new");
}

void host_facts(const std::string& name, const json& host, Facts* facts)
{
    const std::string prefix = "hosts." + name + ".";
    (*facts)[prefix + "verdict"] = text_of(at(host, "verdict"));
    (*facts)[prefix + "at_exit"] = text_of(at(host, "at_exit"));
    const json& end = at(host, "termination");
    (*facts)[prefix + "signal"] = text_of(at(end, "signal"));
    (*facts)[prefix + "si_code"] = text_of(at(end, "si_code"));
    (*facts)[prefix + "landing"] = landing(at(end, "where"));
    std::vector<std::string> versions;
    for (const auto& call : at(host, "calls"))
        if (at(call, "after_update") == true)
            versions.push_back(text_of(at(call, "answer")) == "none" ? "none" : text_of(at(call, "version")));
    (*facts)[prefix + "versions_after_update"] = join(versions, " ");
}

// Faults and page-cache figures of each observation, by host and label.
void observation_facts(const json& observations, Facts* facts)
{
    for (const auto& observation : observations.is_array() ? observations : json::array()) {
        const std::string prefix = "observations." + text_of(at(observation, "host")) + " " + text_of(at(observation, "label")) + ".";
        if (at(observation, "faults").is_object()) {
            (*facts)[prefix + "faults.minor"] = text_of(observation["faults"]["minor"]);
            (*facts)[prefix + "faults.major"] = text_of(observation["faults"]["major"]);
        }
        if (at(observation, "page_cache").is_object())
            (*facts)[prefix + "page_cache.resident_pages"] = text_of(observation["page_cache"]["resident_pages"]);
    }
}

std::vector<std::pair<std::string, std::string>> environment_of(const json& environment)
{
    std::vector<std::pair<std::string, std::string>> lines;
    for (const char* key : {"kernel", "machine", "libc", "compiler", "linker", "filesystem", "euid"})
        if (environment.is_object() && environment.contains(key)) lines.emplace_back(key, text_of(environment[key]));
    return lines;
}

void run_cases(const json& document, ResultFacts* facts)
{
    facts->environment = environment_of(at(document, "environment"));
    facts->cases = cases_of_result(document);
}

void matrix_cases(const json& document, ResultFacts* facts)
{
    facts->environment = {{"kernel", text_of(at(document, "kernel"))}};
    for (const auto& [filesystem, cells] : at(document, "filesystems").items())
        for (const auto& [scenario, cell] : cells.items()) {
            Facts& case_facts = facts->cases[scenario + "@" + filesystem];
            case_facts["outcome"] = text_of(at(cell, "status"));
            case_facts["hosts.process1.verdict"] = text_of(at(cell, "process1_verdict"));
            case_facts["update.same_file"] = text_of(at(cell, "same_file"));
            case_facts["update.errno"] = text_of(at(cell, "errno"));
        }
}

// lab survey: a case per updater ("updater:cp").
void survey_cases(const json& document, ResultFacts* facts)
{
    for (const auto& [name, row] : at(document, "updaters").items()) {
        Facts& case_facts = facts->cases["updater:" + name];
        case_facts["outcome"] = text_of(at(row, "status"));
        case_facts["hosts.process1.verdict"] = text_of(at(row, "process1_verdict"));
        case_facts["update.same_file"] = text_of(at(row, "same_file"));
        case_facts["mapped_bytes_changed"] = text_of(at(row, "mapped_bytes_changed"));
        case_facts["holds_new_version"] = text_of(at(row, "holds_new_version"));
        case_facts["observations.path_missing"] = text_of(at(row, "path_missing_observations"));
    }
}

// lab claims: a case per claim, its status the deciding fact.
void claims_cases(const json& document, ResultFacts* facts)
{
    facts->environment = {{"environment", text_of(at(document, "environment"))}};
    for (const auto& claim : at(document, "claims").is_array() ? document["claims"] : json::array())
        facts->cases["claim:" + text_of(at(claim, "claim"))]["status"] = text_of(at(claim, "status"));
}

// lab libcs and lab kernels: cells that carry their run's facts, under "cases".
void campaign_cases(const json& document, ResultFacts* facts)
{
    for (const auto& [key, value] : at(document, "environment").items()) facts->environment.emplace_back(key, text_of(value));
    for (const auto& [key, cell] : at(document, "cases").items())
        for (const auto& [field, value] : at(cell, "facts").items()) facts->cases[key][field] = text_of(value);
}

}  // namespace

bool decisive(const std::string& field) { return field.find("observations.") == std::string::npos; }

Facts facts_of_run(const json& run)
{
    Facts facts;
    facts["outcome"] = text_of(at(run, "outcome"));
    const json& update = at(run, "update");
    facts["update.same_file"] = text_of(at(update, "same_file"));
    facts["update.errno"] = text_of(at(update, "errno"));
    for (const auto& [name, host] : at(run, "hosts").items()) host_facts(name, host, &facts);
    observation_facts(at(run, "observations"), &facts);
    return facts;
}

std::map<std::string, Facts> cases_of_result(const json& result)
{
    const std::string name = text_of(at(at(result, "scenario"), "name"));
    std::map<std::string, Facts> cases;
    if (!at(result, "runs").is_object()) {
        cases[name] = facts_of_run(result);
        return cases;
    }
    for (const auto& [binding, run] : result["runs"].items()) cases[name + " [" + binding + "]"] = facts_of_run(run);
    return cases;
}

Facts merged_facts(const json& result)
{
    const auto cases = cases_of_result(result);
    Facts merged;
    for (const auto& [name, facts] : cases) {
        const size_t bracket = name.find(" [");
        const std::string prefix = cases.size() > 1 && bracket != std::string::npos ? name.substr(bracket + 1) + " " : "";
        for (const auto& [field, value] : facts) merged[prefix + field] = value;
    }
    return merged;
}

std::string cell_summary(const std::string& status, const Facts& facts)
{
    std::vector<std::string> verdicts, exits;
    for (const auto& [field, value] : facts) {
        const bool verdict = field.size() > 8 && field.compare(field.size() - 8, 8, ".verdict") == 0;
        const bool at_exit = field.size() > 8 && field.compare(field.size() - 8, 8, ".at_exit") == 0;
        if (verdict && !value.empty()) verdicts.push_back(value);
        if (at_exit && (value == "crashed" || value == "hung")) exits.push_back("exit " + value);
    }
    exits.erase(std::unique(exits.begin(), exits.end()), exits.end());
    std::string text = status;
    if (!verdicts.empty()) text += " " + join(verdicts, " / ");
    if (!exits.empty()) text += ", " + join(exits, ", ");
    return text;
}

std::vector<std::string> differing_facts(const std::vector<std::pair<std::string, const Facts*>>& cells, bool observations)
{
    std::vector<std::string> differences;
    if (cells.size() < 2) return differences;
    for (const auto& [field, value] : *cells.front().second) {
        if (decisive(field) == observations) continue;
        bool differs = false;
        std::vector<std::string> values;
        for (const auto& [name, facts] : cells) {
            auto found = facts->find(field);
            const std::string other = found == facts->end() ? "" : found->second;
            differs |= other != value;
            values.push_back((other.empty() ? "-" : other) + " (" + name + ")");
        }
        if (differs) differences.push_back(field + ": " + join(values, ", "));
    }
    return differences;
}

ResultFacts read_result_facts(const std::string& file)
{
    const json document = load_json_input(file);
    ResultFacts facts;
    facts.file = file;
    const std::string schema = text_of(at(document, "schema"));
    static const std::map<std::string, std::pair<const char*, void (*)(const json&, ResultFacts*)>> kinds = {
        {"libfoo-lab/result/1", {"run", run_cases}},
        {"libfoo-lab/matrix/1", {"matrix", matrix_cases}},
        {"libfoo-lab/survey/1", {"survey", survey_cases}},
        {"libfoo-lab/claims-result/1", {"claims", claims_cases}},
        {"libfoo-lab/libcs/1", {"libcs", campaign_cases}},
        {"libfoo-lab/kernels/1", {"kernels", campaign_cases}}};
    auto kind = kinds.find(schema);
    if (kind != kinds.end()) {
        facts.kind = kind->second.first;
        kind->second.second(document, &facts);
        return facts;
    }
    throw ScenarioError(file, "schema", (schema.empty() ? std::string("is missing: this is not") : quote_value(schema) + " is not") +
                                                " a result of lab run, matrix, survey, claims, libcs or kernels");
}

}  // namespace lab
