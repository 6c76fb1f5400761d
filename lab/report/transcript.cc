// transcript.cc — formatting for an 80-column terminal.
#include "report/transcript.h"

#include <sstream>
#include <string>
#include <vector>

#include "base/text.h"

namespace lab {

namespace {

std::string cell(const nlohmann::ordered_json& value)
{
    if (value.is_null()) return "-";
    if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

}  // namespace

void Transcript::header(const Scenario& scenario)
{
    std::fprintf(out_, "== libfoo-lab: %s ==\n%s\n\n", scenario.name.c_str(), wrap_text(scenario.title, 78, "").c_str());
    std::fprintf(out_, "%s\n\n", wrap_text(scenario.description, 78, "").c_str());
    std::fprintf(out_, "The seed says:\n  \"%s\"\n\n", wrap_text(scenario.seed, 78, "   ").c_str());
    std::fflush(out_);
}

void Transcript::on_event(const TimelineEvent& event)
{
    if (event.event == "binding") {  // a scenario run once per binding: a header for each run
        std::fprintf(out_, "\n-- %s --\n", event.text.c_str());
        step_ = 0;
        return;
    }
    if (event.event == "why") {  // the scenario author's words, set apart from what happened
        std::fprintf(out_, "    (%s)\n", wrap_text(event.text, 77, "     ").c_str());
        std::fflush(out_);
        return;
    }
    char number[16];
    std::snprintf(number, sizeof number, "%2d. ", ++step_);
    std::fprintf(out_, "%s%s\n", number, wrap_text(event.text, 78, "    ").c_str());
    if (!event.figure.empty()) {
        std::istringstream lines(event.figure);
        std::string line;
        while (std::getline(lines, line)) std::fprintf(out_, "  %s\n", line.c_str());
    }
    std::fflush(out_);
}

namespace {

std::string observed_cell(const nlohmann::ordered_json& host)
{
    std::string observed = cell(host["verdict"]);
    const auto& end = host["termination"];
    if (end["kind"] == "signal" && !end["requested_by_runner"].get<bool>())
        observed += end.value("during", "") == "quit" ? ", " + cell(end["signal"]) + " at exit"
                                                      : " (" + cell(end["signal"]) + ")";
    return observed;
}

}  // namespace

void Transcript::summary(const nlohmann::ordered_json& result, const std::string& result_path)
{
    if (result.contains("runs")) {  // one run per binding: the hosts' verdicts side by side
        std::fprintf(out_, "\n%-12s", "");
        for (const auto& [binding, run] : result["runs"].items()) std::fprintf(out_, " %-32s", binding.c_str());
        std::fprintf(out_, "\n");
        for (const auto& [name, bindings] : result["side_by_side"].items()) {
            std::fprintf(out_, "%-12s", name.c_str());
            for (const auto& [binding, run] : result["runs"].items())
                std::fprintf(out_, " %-32s", observed_cell(run["hosts"][name]).c_str());
            std::fprintf(out_, "\n");
        }
        std::fprintf(out_, "\n%s: %s\n", result["outcome"].get<std::string>().c_str(),
                     wrap_text(result["reason"].get<std::string>(), 78, "      ").c_str());
        if (!result_path.empty()) std::fprintf(out_, "Result written to %s\n", result_path.c_str());
        std::fflush(out_);
        return;
    }
    std::fprintf(out_, "\n%-20s %-18s %-18s\n", "", "expected", "observed");
    const auto& expectation = result["expectation"];
    if (result["update"].is_object()) {
        std::string expected = expectation.is_object() && expectation.contains("same_file")
                                   ? cell(expectation["same_file"]) : "-";
        std::fprintf(out_, "%-20s %-18s %-18s\n", "same file", expected.c_str(), cell(result["update"]["same_file"]).c_str());
    }
    for (const auto& [name, host] : result["hosts"].items()) {
        std::string expected = "-";
        if (expectation.is_object() && expectation["hosts"].contains(name))
            expected = cell(expectation["hosts"][name]["verdict"]);
        std::string observed = observed_cell(host);
        std::fprintf(out_, "%-20s %-18s %-18s\n", name.c_str(), expected.c_str(), observed.c_str());
        if (host["mapping_deleted"].get<bool>())
            std::fprintf(out_, "%-20s %-18s %-18s\n", ("  " + name + " map").c_str(), "", "(deleted)");
    }
    std::string outcome = result["outcome"].get<std::string>();
    std::fprintf(out_, "\n%s: %s\n", outcome.c_str(), wrap_text(result["reason"].get<std::string>(), 78, "      ").c_str());
    if (!result_path.empty()) std::fprintf(out_, "Result written to %s\n", result_path.c_str());
    std::fflush(out_);
}

}  // namespace lab
