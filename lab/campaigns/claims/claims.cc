// claims.cc — reading the ledger and judging each claim from scenario results.
#include "campaigns/claims/claims.h"

#include <algorithm>

#include "input/json_fields.h"
#include "input/json_input.h"
#include "campaigns/matrix/matrix_filesystems.h"
#include "system/sandbox.h"
#include "scenario/scenario.h"
#include "base/text.h"

namespace lab {

using json = nlohmann::ordered_json;

namespace {

std::vector<ClaimCondition> conditions_of(const Fields& item, const char* key)
{
    if (!item.has(key)) item.fail(key, "is missing");
    const json& list = item.raw(key);
    if (!list.is_array()) item.fail(key, "must be a list of conditions");
    std::vector<ClaimCondition> conditions;
    for (size_t i = 0; i < list.size(); ++i) {
        Fields entry = item.element(key, i);
        ClaimCondition condition{entry.text("path"), "", nullptr};
        for (const char* op : {"equals", "not_equals", "at_least", "one_of"})
            if (entry.has(op)) {
                condition.op = op;
                condition.value = entry.raw(op);
            }
        if (condition.op.empty() || list[i].size() != 2) entry.fail("", "needs \"path\" and one of equals, not_equals, at_least, one_of");
        if (condition.op == "at_least" && !condition.value.is_number()) entry.fail("at_least", "must be a number");
        if (condition.op == "one_of" && !condition.value.is_array()) entry.fail("one_of", "must be a list of values");
        conditions.push_back(condition);
    }
    return conditions;
}

ClaimCase case_of(const Fields& item)
{
    item.only({"scenario", "filesystem", "libc", "kernel", "when", "confirmed", "refuted", "evidence"});
    ClaimCase result;
    result.scenario = item.text("scenario");
    if (!is_scenario_name(result.scenario))  // it names a file beside the ledger: no paths
        item.fail("scenario", quote_value(result.scenario) + " is not a scenario name (lower-case letters, digits, dashes)");
    result.filesystem = item.text("filesystem", false);
    if (item.has("filesystem") && !find_matrix_filesystem(result.filesystem))
        item.fail("filesystem", quote_value(result.filesystem) + " is not a file system of lab matrix");
    result.libc = item.optional_word<Libc>("libc");
    if (result.libc && item.has("filesystem"))
        item.fail("libc", "a case runs on a file system of lab matrix or with a libc's hosts, not both");
    result.kernel = item.text("kernel", false);
    if (item.has("kernel")) {
        const std::string& series = result.kernel;
        const size_t dot = series.find('.');
        const bool numbers = dot != std::string::npos && dot > 0 && dot + 1 < series.size() &&
                             series.find_first_not_of("0123456789.") == std::string::npos && series.find('.', dot + 1) == std::string::npos;
        if (!numbers) item.fail("kernel", quote_value(series) + " is not a series of Linux kernels such as \"6.1\"");
        if (result.libc || item.has("filesystem")) item.fail("kernel", "a case names a kernel, a file system or a libc, not several");
    }
    result.when = item.text("when", false);
    result.confirmed = conditions_of(item, "confirmed");
    result.refuted = conditions_of(item, "refuted");
    if (item.has("evidence")) {
        const json& evidence = item.raw("evidence");
        if (!evidence.is_array()) item.fail("evidence", "must be a list of result paths");
        for (const auto& path : evidence) {
            if (!path.is_string()) item.fail("evidence", "must be a list of result paths");
            result.evidence.push_back(path.get<std::string>());
        }
    }
    return result;
}

Claim claim_of(const Fields& entry)
{
    entry.only({"claim", "quote", "cases"});
    Claim claim{entry.text("claim"), entry.text("quote"), {}};
    if (!entry.has("cases") || !entry.raw("cases").is_array() || entry.raw("cases").empty())
        entry.fail("cases", "must be a non-empty list");
    for (size_t j = 0; j < entry.raw("cases").size(); ++j) claim.cases.push_back(case_of(entry.element("cases", j)));
    return claim;
}

// The value at a dotted path ("hosts.process1.verdict"); null when any step is missing.
json at_path(const nlohmann::ordered_json& result, const std::string& path)
{
    const nlohmann::ordered_json* node = &result;
    size_t start = 0;
    while (start <= path.size()) {
        size_t dot = path.find('.', start);
        std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        const bool index = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
        if (node->is_array() && index && std::stoul(key) < node->size()) node = &(*node)[std::stoul(key)];
        else if (node->is_object() && node->contains(key)) node = &(*node)[key];
        else return nullptr;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return *node;
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

std::vector<Claim> claims_of(const std::string& path, const json& document)
{
    Fields top(path, "", document);
    top.only({"schema", "claims"});
    if (!top.has("schema") || document["schema"] != "libfoo-lab/claims/1") top.fail("schema", "must be \"libfoo-lab/claims/1\"");
    if (!top.has("claims") || !document["claims"].is_array() || document["claims"].empty())
        top.fail("claims", "must be a non-empty list");
    std::vector<Claim> claims;
    for (size_t i = 0; i < document["claims"].size(); ++i) claims.push_back(claim_of(top.element("claims", i)));
    return claims;
}

}  // namespace

std::vector<Claim> load_claims(const std::string& path) { return claims_of(path, load_json_input(path)); }

std::vector<Claim> parse_claims(const std::string& path, const std::string& text)
{
    return claims_of(path, parse_json_input(path, text));
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

std::vector<std::pair<std::string, Libc>> libc_cases_of(const std::vector<Claim>& claims)
{
    std::vector<std::pair<std::string, Libc>> cases;
    for (const auto& claim : claims)
        for (const auto& item : claim.cases)
            if (item.libc && std::find(cases.begin(), cases.end(), std::pair{item.scenario, *item.libc}) == cases.end())
                cases.emplace_back(item.scenario, *item.libc);
    return cases;
}

std::vector<std::pair<std::string, std::string>> kernel_cases_of(const std::vector<Claim>& claims)
{
    std::vector<std::pair<std::string, std::string>> cases;
    for (const auto& claim : claims)
        for (const auto& item : claim.cases)
            if (!item.kernel.empty() && std::find(cases.begin(), cases.end(), std::pair{item.scenario, item.kernel}) == cases.end())
                cases.emplace_back(item.scenario, item.kernel);
    return cases;
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
