// claims.cc — reading the ledger and judging each claim from scenario results.
#include "campaigns/claims/claims.h"

#include <algorithm>
#include <system_error>

#include "base/files.h"
#include "base/json_input.h"
#include "campaigns/matrix/matrix_filesystems.h"
#include "system/sandbox.h"
#include "scenario/scenario.h"
#include "base/text.h"

namespace lab {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& file, const std::string& field, const std::string& problem)
{
    throw ScenarioError(file, field, problem);
}

std::string text_of(const std::string& file, const json& object, const std::string& where, const char* key)
{
    if (!object.contains(key) || !object[key].is_string() || object[key].get<std::string>().empty())
        fail(file, where + "." + key, "must be a non-empty string");
    return object[key].get<std::string>();
}

std::vector<ClaimCondition> conditions_of(const std::string& file, const json& list, const std::string& where)
{
    std::vector<ClaimCondition> conditions;
    if (!list.is_array()) fail(file, where, "must be a list of conditions");
    for (size_t i = 0; i < list.size(); ++i) {
        std::string at = where + "[" + std::to_string(i) + "]";
        if (!list[i].is_object()) fail(file, at, "must be an object");
        ClaimCondition condition{text_of(file, list[i], at, "path"), "", nullptr};
        for (const char* op : {"equals", "not_equals", "at_least", "one_of"})
            if (list[i].contains(op)) {
                condition.op = op;
                condition.value = list[i][op];
            }
        if (condition.op.empty() || list[i].size() != 2)
            fail(file, at, "needs \"path\" and one of equals, not_equals, at_least, one_of");
        if (condition.op == "at_least" && !condition.value.is_number()) fail(file, at + ".at_least", "must be a number");
        if (condition.op == "one_of" && !condition.value.is_array()) fail(file, at + ".one_of", "must be a list of values");
        conditions.push_back(condition);
    }
    return conditions;
}

ClaimCase case_of(const std::string& file, const json& object, const std::string& where)
{
    if (!object.is_object()) fail(file, where, "must be an object");
    for (const auto& [key, value] : object.items())
        if (key != "scenario" && key != "filesystem" && key != "when" && key != "confirmed" && key != "refuted" && key != "evidence")
            fail(file, where + "." + key, "unknown field (allowed: scenario, filesystem, when, confirmed, refuted, evidence)");
    ClaimCase result;
    result.scenario = text_of(file, object, where, "scenario");
    if (!is_scenario_name(result.scenario))  // it names a file beside the ledger: no paths
        fail(file, where + ".scenario", quote_value(result.scenario) + " is not a scenario name (lower-case letters, digits, dashes)");
    if (object.contains("filesystem")) {
        result.filesystem = text_of(file, object, where, "filesystem");
        if (!find_matrix_filesystem(result.filesystem))
            fail(file, where + ".filesystem", quote_value(result.filesystem) + " is not a file system of lab matrix");
    }
    if (object.contains("when")) result.when = text_of(file, object, where, "when");
    for (const char* key : {"confirmed", "refuted"})
        if (!object.contains(key)) fail(file, where + "." + key, "is missing");
    result.confirmed = conditions_of(file, object["confirmed"], where + ".confirmed");
    result.refuted = conditions_of(file, object["refuted"], where + ".refuted");
    if (object.contains("evidence")) {
        if (!object["evidence"].is_array()) fail(file, where + ".evidence", "must be a list of result paths");
        for (const auto& path : object["evidence"]) {
            if (!path.is_string()) fail(file, where + ".evidence", "must be a list of result paths");
            result.evidence.push_back(path.get<std::string>());
        }
    }
    return result;
}

// The value at a dotted path ("hosts.process1.verdict"); null when any step is missing.
json at_path(const nlohmann::ordered_json& result, const std::string& path)
{
    const nlohmann::ordered_json* node = &result;
    size_t start = 0;
    while (start <= path.size()) {
        size_t dot = path.find('.', start);
        std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!node->is_object() || !node->contains(key)) return nullptr;
        node = &(*node)[key];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return json::parse(node->dump());
}

bool holds(const ClaimCondition& condition, const nlohmann::ordered_json& result)
{
    json value = at_path(result, condition.path);
    if (condition.op == "equals") return value == condition.value;
    if (condition.op == "not_equals") return !value.is_null() && value != condition.value;
    if (condition.op == "one_of")
        return std::any_of(condition.value.begin(), condition.value.end(), [&](const json& item) { return item == value; });
    return value.is_number() && value.get<double>() >= condition.value.get<double>();
}

bool all_hold(const std::vector<ClaimCondition>& conditions, const nlohmann::ordered_json& result)
{
    for (const auto& condition : conditions)
        if (!holds(condition, result)) return false;
    return !conditions.empty();
}

}  // namespace

std::vector<Claim> load_claims(const std::string& path)
{
    std::string text;
    try {
        text = read_file(path);
    } catch (const std::system_error& error) {
        fail(path, "", "cannot be read: " + error.code().message());
    }
    return parse_claims(path, text);
}

std::vector<Claim> parse_claims(const std::string& path, const std::string& text)
{
    json document = parse_json_input(path, text);
    if (!document.is_object()) fail(path, "(top level)", "must be an object");
    for (const auto& [key, value] : document.items())
        if (key != "schema" && key != "claims") fail(path, key, "unknown field (allowed: schema, claims)");
    if (!document.contains("schema") || document["schema"] != "libfoo-lab/claims/1")
        fail(path, "schema", "must be \"libfoo-lab/claims/1\"");
    if (!document.contains("claims") || !document["claims"].is_array() || document["claims"].empty())
        fail(path, "claims", "must be a non-empty list");
    std::vector<Claim> claims;
    for (size_t i = 0; i < document["claims"].size(); ++i) {
        const json& entry = document["claims"][i];
        std::string where = "claims[" + std::to_string(i) + "]";
        if (!entry.is_object()) fail(path, where, "must be an object");
        for (const auto& [key, value] : entry.items())
            if (key != "claim" && key != "quote" && key != "cases")
                fail(path, where + "." + key, "unknown field (allowed: claim, quote, cases)");
        Claim claim{text_of(path, entry, where, "claim"), text_of(path, entry, where, "quote"), {}};
        if (!entry.contains("cases") || !entry["cases"].is_array() || entry["cases"].empty())
            fail(path, where + ".cases", "must be a non-empty list");
        for (size_t j = 0; j < entry["cases"].size(); ++j)
            claim.cases.push_back(case_of(path, entry["cases"][j], where + ".cases[" + std::to_string(j) + "]"));
        claims.push_back(claim);
    }
    return claims;
}

std::map<std::string, std::vector<std::string>> matrix_cases_of(const std::vector<Claim>& claims)
{
    std::map<std::string, std::vector<std::string>> by_filesystem;
    for (const auto& claim : claims)
        for (const auto& item : claim.cases) {
            if (item.filesystem.empty()) continue;
            auto& names = by_filesystem[item.filesystem];
            if (std::find(names.begin(), names.end(), item.scenario) == names.end()) names.push_back(item.scenario);
        }
    return by_filesystem;
}

std::vector<std::string> scenarios_of(const std::vector<Claim>& claims)
{
    std::vector<std::string> names;
    for (const auto& claim : claims)
        for (const auto& item : claim.cases)
            if (std::find(names.begin(), names.end(), item.scenario) == names.end()) names.push_back(item.scenario);
    return names;
}

std::vector<ClaimVerdict> judge_claims(const std::vector<Claim>& claims,
                                       const std::map<std::string, nlohmann::ordered_json>& results)
{
    std::vector<ClaimVerdict> verdicts;
    for (const auto& claim : claims) {
        ClaimVerdict verdict{claim.claim, claim.quote, ClaimStatus::depends, {}, "", {}};
        std::vector<std::string> confirmed, refuted, undecided;
        std::map<std::string, std::vector<std::string>> not_run;  // by "CONF: why", the cases
        for (const auto& item : claim.cases) {
            const std::string key = item.key();
            if (std::find(verdict.scenarios.begin(), verdict.scenarios.end(), item.scenario) == verdict.scenarios.end())
                verdict.scenarios.push_back(item.scenario);
            std::string label = item.when.empty() ? key : item.when;
            auto found = results.find(key);
            if (found == results.end()) {
                undecided.push_back(key + " has not been observed (no such scenario here yet)");
                continue;
            }
            const auto& result = found->second;
            std::string outcome = result.value("outcome", "");
            if (outcome == "CONF" || outcome == "BROK") {  // nothing observed to quote: a null would read as an answer
                not_run[outcome + ": " + result.value("reason", "")].push_back(key);
                continue;
            }
            for (const auto& path : item.evidence)
                verdict.evidence.push_back(key + ": " + path + " = " + at_path(result, path).dump());
            if (all_hold(item.confirmed, result)) confirmed.push_back(label);
            else if (all_hold(item.refuted, result)) refuted.push_back(label);
            else undecided.push_back(key + " observed neither what confirms nor what refutes it");
        }
        // Cases that could not run for one reason are named together: "a, b were CONF: why".
        for (const auto& [why, keys] : not_run)
            undecided.push_back(join(keys, ", ") + (keys.size() > 1 ? " were " : " was ") + why);
        if (!undecided.empty()) {
            verdict.status = ClaimStatus::depends;
            verdict.reason = join(undecided, "; ");
        } else if (refuted.empty()) {
            verdict.status = ClaimStatus::confirmed;
        } else if (confirmed.empty()) {
            verdict.status = ClaimStatus::refuted;
        } else {
            verdict.status = ClaimStatus::depends;
            verdict.reason = "confirmed " + join(confirmed, ", ") + "; refuted " + join(refuted, ", ");
        }
        verdicts.push_back(verdict);
    }
    return verdicts;
}

nlohmann::ordered_json ClaimVerdict::to_json() const
{
    nlohmann::ordered_json json = {{"claim", claim}, {"quote", quote}, {"scenarios", scenarios}, {"status", to_string(status)}};
    if (!reason.empty()) json["reason"] = reason;
    json["evidence"] = evidence;
    return json;
}

}  // namespace lab
