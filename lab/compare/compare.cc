// compare.cc — finding what differs between result files, and printing it side by side.
#include "compare/compare.h"

#include <algorithm>
#include <set>

#include "base/text.h"

namespace lab {

namespace {

constexpr const char* no_case = "(no such case)";
constexpr size_t widest = 40;  // an environment value is cut there

std::string letter(size_t index) { return std::string(1, static_cast<char>('A' + index)); }

std::string fit(const std::string& value, size_t width)
{
    std::string text = printable(value.empty() ? "-" : value, 4 * widest);
    return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

// The environments: every key any file states, a row each, a column per file.
std::string environment_text(const Comparison& comparison)
{
    std::vector<std::string> keys;
    for (const auto& file : comparison.files)
        for (const auto& [key, value] : file.environment)
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    auto value_of = [](const ResultFacts& file, const std::string& key) {
        for (const auto& [name, value] : file.environment)
            if (name == key) return value;
        return std::string();
    };
    size_t label = 4;
    for (const auto& key : keys) label = std::max(label, key.size() + 2);
    std::vector<size_t> widths;
    for (const auto& file : comparison.files) {
        size_t width = 0;
        for (const auto& key : keys) width = std::max(width, fit(value_of(file, key), widest).size() + 2);
        widths.push_back(std::max<size_t>(width, 6));
    }
    std::string text;
    for (size_t i = 0; i < comparison.files.size(); ++i) text += letter(i) + ": " + comparison.files[i].file + " (lab " + comparison.files[i].kind + ")\n";
    std::string line = padded_column("", label);
    for (size_t i = 0; i < comparison.files.size(); ++i) line += padded_column(letter(i), widths[i]);
    text += "\n" + without_trailing_spaces(line) + "\n";
    for (const auto& key : keys) {
        line = padded_column(key, label);
        for (size_t i = 0; i < comparison.files.size(); ++i) line += padded_column(fit(value_of(comparison.files[i], key), widest), widths[i]);
        text += without_trailing_spaces(line) + "\n";
    }
    return text;
}

}  // namespace

bool Comparison::verdicts_differ() const
{
    return std::any_of(differences.begin(), differences.end(), [](const Difference& difference) { return difference.decisive; });
}

Comparison compare_results(std::vector<ResultFacts> files)
{
    Comparison comparison;
    comparison.files = std::move(files);
    std::set<std::string> cases;
    for (const auto& file : comparison.files)
        for (const auto& [name, facts] : file.cases) cases.insert(name);
    for (const auto& name : cases) {
        std::set<std::string> fields;
        bool everywhere = true;
        for (const auto& file : comparison.files) {
            auto found = file.cases.find(name);
            everywhere &= found != file.cases.end();
            if (found != file.cases.end())
                for (const auto& [field, value] : found->second) fields.insert(field);
        }
        if (!everywhere) {
            Comparison::Difference missing{name, "(the case)", {}, true};
            for (const auto& file : comparison.files) missing.values.push_back(file.cases.count(name) ? "present" : no_case);
            comparison.differences.push_back(missing);
            continue;
        }
        ++comparison.cases_compared;
        for (const auto& field : fields) {
            ++comparison.fields_compared;
            Comparison::Difference difference{name, field, {}, decisive(field)};
            for (const auto& file : comparison.files) {
                const Facts& facts = file.cases.at(name);
                auto value = facts.find(field);
                difference.values.push_back(value == facts.end() ? "" : value->second);
            }
            if (std::adjacent_find(difference.values.begin(), difference.values.end(), std::not_equal_to<>()) != difference.values.end())
                comparison.differences.push_back(difference);
        }
    }
    // Verdicts and outcomes first, then the observations.
    std::stable_partition(comparison.differences.begin(), comparison.differences.end(),
                          [](const Comparison::Difference& difference) { return difference.decisive; });
    return comparison;
}

std::string comparison_text(const Comparison& comparison)
{
    std::string text = environment_text(comparison) + "\n";
    if (comparison.differences.empty())
        return text + "No differences: " + std::to_string(comparison.cases_compared) + " case(s), " +
               std::to_string(comparison.fields_compared) + " field(s) compared.\n";
    for (const auto& difference : comparison.differences) {
        text += difference.case_name + "  " + difference.field + (difference.decisive ? "" : "  (an observation)") + "\n";
        for (size_t i = 0; i < difference.values.size(); ++i) text += "  " + letter(i) + "  " + fit(difference.values[i], 4 * widest) + "\n";
    }
    const size_t decisive = static_cast<size_t>(std::count_if(comparison.differences.begin(), comparison.differences.end(),
                                                              [](const auto& difference) { return difference.decisive; }));
    text += "\n" + std::to_string(comparison.differences.size()) + " difference(s) in " + std::to_string(comparison.cases_compared) +
            " case(s) compared: " + std::to_string(decisive) + " in verdicts or outcomes" +
            (decisive ? "." : "; the rest are observations, which vary from run to run.") + "\n";
    return text;
}

}  // namespace lab
