// survey.cc — running each updater as a small scenario and judging the row.
#include "campaigns/survey/survey.h"

#include "engine/user_edition.h"

#include <unistd.h>

#include <cstdio>


#include "system/child.h"
#include "result/json_values.h"
#include "engine/run.h"
#include "scenario/scenario.h"
#include "base/text.h"

namespace lab {

const std::vector<Updater>& builtin_updaters()
{
    static const std::vector<Updater> updaters = {
        {"cp", "cp {new} {path}", "cp", {"cp", "--version"}, true},
        {"install", "install -m 755 {new} {path}", "install", {"install", "--version"}, false},
        {"mv", "cp {new} {path}.new && mv {path}.new {path}", "mv", {"mv", "--version"}, false},
        {"ln -sf", "cp {new} {dir}/libfoo.so.1.2 && ln -sf libfoo.so.1.2 {path}", "ln", {"ln", "--version"}, false},
        {"rsync", "rsync {new} {path}", "rsync", {"rsync", "--version"}, false},
        {"rsync --inplace", "rsync --inplace {new} {path}", "rsync", {"rsync", "--version"}, true},
        {"tar -x", "tar -cf {dir}/new.tar -C {dir}/new libfoo.so && tar -xf {dir}/new.tar -C {dir}", "tar",
         {"tar", "--version"}, std::nullopt},
        {"cat >", "cat {new} > {path}", "cat", {"cat", "--version"}, true},
        {"dd conv=notrunc", "dd if={new} of={path} conv=notrunc status=none", "dd", {"dd", "--version"}, true},
        {"GNU ld (bfd)", "cc -fuse-ld=bfd -shared -o {path} {object}", "ld.bfd", {"ld.bfd", "--version"}, false},
        {"gold", "cc -fuse-ld=gold -shared -o {path} {object}", "ld.gold", {"ld.gold", "--version"}, false},
        {"lld", "cc -fuse-ld=lld -shared -o {path} {object}", "ld.lld", {"ld.lld", "--version"}, false},
        {"mold", "cc -fuse-ld=mold -shared -o {path} {object}", "mold", {"mold", "--version"}, false},
    };
    return updaters;
}

std::optional<Updater> parse_updater(const std::string& text)
{
    size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) return std::nullopt;
    return Updater{text.substr(0, equals), text.substr(equals + 1), "", {}, std::nullopt};
}

nlohmann::ordered_json SurveyRow::to_json() const
{
    nlohmann::ordered_json json = {{"command", command},
                                   {"tool_version", tool_version},
                                   {"same_file", or_null(same_file)},
                                   {"mapped_bytes_changed", or_null(mapped_bytes_changed)},
                                   {"holds_new_version", or_null(holds_new_version)},
                                   {"new_process_answer", or_null(new_process_answer)},
                                   {"process1_verdict", process1_verdict ? nlohmann::ordered_json(to_string(*process1_verdict)) : nullptr},
                                   {"syscalls", syscalls ? nlohmann::ordered_json(*syscalls) : nlohmann::ordered_json(nullptr)},
                                   {"path_missing_observations", path_missing_observations},
                                   {"status", to_string(status)}};
    if (!syscalls_unavailable.empty()) json["syscalls_unavailable"] = syscalls_unavailable;
    if (!reason.empty()) json["reason"] = reason;
    return json;
}

namespace {

Scenario survey_scenario(const Updater& updater, const std::string& from, const std::string& to)
{
    Scenario scenario;
    scenario.file = "(survey)";
    scenario.name = "survey";
    scenario.title = "survey: " + updater.name;
    scenario.from = from;
    scenario.to = to;
    auto step = [](Step::Kind kind, std::vector<int> chapters = {}, const char* host = "process1") {
        Step made;
        made.kind = kind;
        made.host = host;
        made.chapters = std::move(chapters);
        return made;
    };
    Step update = step(Step::Kind::update);
    update.strategy = Strategy::command;
    update.command = updater.command;
    update.trace = true;
    // process2, started once process1 has made its call, tells what the path holds now: the
    // version a process that loads it today gets.
    scenario.steps = {step(Step::Kind::start), step(Step::Kind::call, {1, 2, 3, 4, 5, 6, 7, 8}), update,
                      step(Step::Kind::call, {5}), step(Step::Kind::start, {}, "process2"),
                      step(Step::Kind::call, {5}, "process2")};
    Expectation anything;  // judged below, from the observations
    anything.hosts["process1"] = HostExpectation{};
    scenario.expect = {anything};
    return scenario;
}

}  // namespace

namespace {

// The status and reason of a row, from what the run observed (survey.h).
void judge_row(const Updater& updater, SurveyRow* row)
{
    const bool never_new = updater.command.find("{new}") == std::string::npos &&
                           updater.command.find("{object}") == std::string::npos;
    std::string file = !row->same_file ? "the path named no file" : *row->same_file ? "the same file" : "a new file";
    std::string holds = row->holds_new_version == false
                            ? ", which a process started now loads as " + (row->new_process_answer.empty() ? "nothing" : row->new_process_answer) +
                                  ", not v2" + (never_new ? " (the command never uses {new})" : "")
                            : "";
    std::string documented;
    if (updater.same_file && row->same_file && *row->same_file != *updater.same_file)
        documented = " (loader-facts.md says " + std::string(*updater.same_file ? "the same file" : "a new file") + ")";
    const std::string verdict = row->process1_verdict ? std::string(to_string(*row->process1_verdict)) : "";
    if (!row->mapped_bytes_changed) {
        row->status = Outcome::CONF;
        row->reason = file + holds + "; process1's mapped bytes could not be compared" + documented;
        return;
    }
    if (*row->mapped_bytes_changed) {
        row->status = Outcome::PASS;
        row->reason = file + holds + ", and the bytes process1 maps changed under it: " + verdict + documented;
        return;
    }
    row->status = row->process1_verdict == Verdict::kept_old ? Outcome::PASS : Outcome::FAIL;
    row->reason = file + holds + ", and the bytes process1 maps did not change: " + verdict +
                  (row->status == Outcome::FAIL ? ", which nothing it maps explains" : "") + documented;
}

}  // namespace

SurveyRow survey_one(const Updater& updater, const Catalogue& catalogue, const Paths& paths, const std::string& from,
                     const std::string& to)
{
    SurveyRow row;
    row.name = updater.name;
    row.command = updater.command;
    if (!updater.tool.empty() && !find_program(updater.tool)) {
        row.status = Outcome::CONF;
        row.reason = updater.tool + " is not installed";
        return row;
    }
    if (!updater.version.empty()) {
        CommandResult version = run_command(updater.version, "", std::chrono::seconds(10));
        row.tool_version = version.out.substr(0, version.out.find('\n'));
    }
    const Scenario scenario = survey_scenario(updater, from, to);
    const Catalogue editions = with_user_editions(scenario, catalogue, paths);
    ScenarioResult result = run_scenario(scenario, editions, paths, RunOptions{});
    const RunRecord& run = result.first();
    if (!run.update || !run.update->ok) {
        row.status = Outcome::BROK;
        row.reason = run.update ? run.update->error : result.reason;
        return row;
    }
    row.syscalls = run.update->path_syscalls;
    row.path_missing_observations = run.update->path_missing_observations;
    row.syscalls_unavailable = run.update->path_syscalls_unavailable.value_or("");
    row.same_file = run.update->same_file;
    const HostRecord* process2 = run.host("process2");
    if (process2 && !process2->calls.empty() && process2->calls.front().variant)
        row.new_process_answer = *process2->calls.front().variant;
    row.holds_new_version = row.new_process_answer == editions.find(to)->name_of(5);
    if (const HostRecord* process1 = run.host("process1")) {
        row.mapped_bytes_changed = process1->mapped_bytes_changed;
        row.process1_verdict = process1->verdict;
    }
    judge_row(updater, &row);
    return row;
}

namespace {

std::string yes_no(const std::optional<bool>& value) { return value ? (*value ? "yes" : "no") : "-"; }

std::string row_text(const std::string& updater, const std::string& same, const std::string& changed, const std::string& holds,
                     const std::string& missing, const std::string& process1, const std::string& status, const std::string& reason)
{
    char line[512];
    std::snprintf(line, sizeof line, "%-17s %-9s %-9s %-7s %-7s %-17s %-6s %s", updater.c_str(), same.c_str(), changed.c_str(),
                  holds.c_str(), missing.c_str(), process1.c_str(), status.c_str(), reason.c_str());
    return line;
}

}  // namespace

std::string survey_table_header()
{
    return row_text("updater", "same file", "changed", "holds v2", "missing", "process1", "status", "reason / tool");
}

std::string survey_table_line(const SurveyRow& row)
{
    std::string detail = printable(row.reason.empty() ? row.tool_version : row.reason, 200);
    if (detail.size() > 40) detail = detail.substr(0, 37) + "...";
    return row_text(printable(row.name, 17), yes_no(row.same_file), yes_no(row.mapped_bytes_changed), yes_no(row.holds_new_version),
                    row.status == Outcome::CONF ? "-" : std::to_string(row.path_missing_observations),
                    row.process1_verdict ? std::string(to_string(*row.process1_verdict)) : "-", std::string(to_string(row.status)), detail);
}

std::string survey_notes(const std::vector<SurveyRow>& rows)
{
    std::string text = "\n\"changed\": whether the bytes process1 maps read-only (its code and constants) changed under it.\n\"holds v2\": whether a process started after the update answers as v2.\n"
                       "\"missing\": how often a prober opening libfoo.so in a tight loop during the update found no file.\n";
    std::string reasons, calls, unavailable;
    for (const auto& row : rows) {
        if (!row.reason.empty())
            reasons += "  " + printable(row.name, 40) + ": " + std::string(to_string(row.status)) + ", " + printable(row.reason, 400) + "\n";
        if (row.syscalls) {
            calls += "  " + printable(row.name, 40) + ": " + (row.syscalls->empty() ? "nothing" : join(*row.syscalls, ", ")) + "\n";
        } else if (!row.syscalls_unavailable.empty() && unavailable.empty()) {
            unavailable = row.syscalls_unavailable;
        }
    }
    if (!reasons.empty()) text += "\nWhy each status:\n" + reasons;
    if (!calls.empty()) text += "\nSystem calls on libfoo.so (strace -f -y):\n" + calls;
    else if (!unavailable.empty()) text += "\nSystem calls on libfoo.so: not available: " + unavailable + "\n";
    return text;
}

}  // namespace lab
