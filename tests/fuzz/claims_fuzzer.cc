// claims_fuzzer.cc — libFuzzer harness for the claims ledger (claims.cc): any bytes are a ledger
// or one ScenarioError line; a ledger it accepts is then judged against a result, so the path
// lookups and comparisons its conditions make are fuzzed too.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "campaigns/claims/claims.h"
#include "fuzz_support.h"

namespace {

// A result shaped like results/inplace.json's parts that the seed's ledger looks at.
const nlohmann::ordered_json& a_result()
{
    static const nlohmann::ordered_json result = {
        {"outcome", "PASS"},
        {"update", {{"same_file", true}, {"content_changed", true}, {"errno", nullptr}}},
        {"hosts", {{"process1", {{"verdict", "crashed"}, {"calls_after_update", 3}, {"mapping_deleted", false}}}}},
        {"environment", {{"kernel", "6.18.0"}, {"linker", "GNU ld 2.40"}}},
        {"etxtbsy", {{"library", {{"errno", nullptr}}}}}};
    return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        std::vector<lab::Claim> claims = lab::parse_claims("fuzz/seed.json", text);
        std::map<std::string, nlohmann::ordered_json> results;
        for (const auto& name : lab::scenarios_of(claims)) results[name] = a_result();
        for (const auto& [filesystem, names] : lab::matrix_cases_of(claims))
            for (const auto& name : names) results[name + "@" + filesystem] = a_result();
        for (const auto& verdict : lab::judge_claims(claims, results)) (void)verdict.to_json().dump();
    } catch (const lab::ScenarioError& error) {
        lab::fuzz::check_error_line(error.what(), "fuzz/seed.json");
    }
    return 0;
}
