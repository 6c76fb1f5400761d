// transcript.cc — formatting for an 80-column terminal.
#include "report/transcript.h"

#include <sstream>
#include <string>
#include <vector>

#include "base/text.h"

namespace lab {

namespace {

std::string cell(const std::optional<bool>& value) { return value ? (*value ? "yes" : "no") : "-"; }

// "crashed (SIGSEGV)", "kept-old, SIGSEGV at exit": the verdict and an unrequested signal.
std::string observed_cell(const HostRecord& host)
{
    std::string observed = host.verdict ? std::string(to_string(*host.verdict)) : "-";
    const Termination& end = host.termination;
    if (end.kind == Termination::Kind::signal && !end.requested)
        observed += end.during == "quit" ? ", " + signal_name(end.signal) + " at exit" : " (" + signal_name(end.signal) + ")";
    return observed;
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

void Transcript::print(const std::string& line) { std::fputs(colour_.words(line).c_str(), out_); }

void Transcript::summary(const ScenarioResult& result, const std::string& result_path)
{
    if (result.runs.size() > 1) bindings_table(result);
    else verdict_table(result.first());
    print(format("\n%s: %s\n", std::string(to_string(result.outcome)).c_str(), wrap_text(result.reason, 78, "      ").c_str()));
    if (!result_path.empty()) std::fprintf(out_, "Result written to %s\n", result_path.c_str());
    std::fflush(out_);
}

// One run per binding: the hosts' verdicts side by side.
void Transcript::bindings_table(const ScenarioResult& result)
{
    std::fprintf(out_, "\n%-12s", "");
    for (const auto& run : result.runs) std::fprintf(out_, " %-32s", std::string(to_string(run.binding)).c_str());
    std::fprintf(out_, "\n");
    for (const auto& [name, first] : result.first().hosts) {
        std::fprintf(out_, "%-12s", name.c_str());
        for (const auto& run : result.runs) {
            const HostRecord* host = run.host(name);
            print(format(" %-32s", host ? observed_cell(*host).c_str() : "-"));
        }
        std::fprintf(out_, "\n");
    }
}

// Expected against observed: the file's identity, then each host.
void Transcript::verdict_table(const RunRecord& run)
{
    std::fprintf(out_, "\n%-20s %-18s %-18s\n", "", "expected", "observed");
    const auto& expectation = run.expectation;
    if (run.update) {
        std::string expected = expectation ? cell(expectation->same_file) : "-";
        std::fprintf(out_, "%-20s %-18s %-18s\n", "same file", expected.c_str(), cell(run.update->same_file).c_str());
    }
    for (const auto& [name, host] : run.hosts) {
        std::string expected = "-";
        if (expectation && expectation->hosts.count(name)) expected = to_string(expectation->hosts.at(name).verdict);
        print(format("%-20s %-18s %-18s\n", name.c_str(), expected.c_str(), observed_cell(host).c_str()));
        if (host.mapping_deleted()) std::fprintf(out_, "%-20s %-18s %-18s\n", ("  " + name + " map").c_str(), "", "(deleted)");
    }
}

}  // namespace lab
