// survey.cc — running each updater as a small scenario and judging the row.
#include "survey.h"

#include <unistd.h>


#include "child.h"
#include "json_values.h"
#include "run.h"
#include "scenario.h"

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
                                   {"process1_verdict", or_null(process1_verdict)},
                                   {"syscalls", syscalls},
                                   {"path_missing_observations", path_missing_observations},
                                   {"status", status}};
    if (!syscalls_unavailable.empty()) json["syscalls_unavailable"] = syscalls_unavailable;
    if (!reason.empty()) json["reason"] = reason;
    return json;
}

namespace {

Scenario survey_scenario(const Updater& updater)
{
    Scenario scenario;
    scenario.file = "(survey)";
    scenario.name = "survey";
    scenario.title = "survey: " + updater.name;
    scenario.from = "v1";
    scenario.to = "v2";
    auto step = [](Step::Kind kind, std::vector<int> chapters = {}) {
        Step made;
        made.kind = kind;
        made.host = "process1";
        made.chapters = std::move(chapters);
        return made;
    };
    Step update = step(Step::Kind::update);
    update.strategy = "command";
    update.command = updater.command;
    update.trace = true;
    scenario.steps = {step(Step::Kind::start), step(Step::Kind::call, {1, 2, 3, 4, 5, 6, 7, 8}), update,
                      step(Step::Kind::call, {5})};
    Expectation anything;  // judged below, from the observations
    anything.hosts["process1"] = HostExpectation{};
    scenario.expect = {anything};
    return scenario;
}

}  // namespace

SurveyRow survey_one(const Updater& updater, const Catalogue& catalogue, const Paths& paths)
{
    SurveyRow row;
    row.name = updater.name;
    row.command = updater.command;
    if (!updater.tool.empty() && !find_program(updater.tool)) {
        row.status = "CONF";
        row.reason = updater.tool + " is not installed";
        return row;
    }
    if (!updater.version.empty()) {
        CommandResult version = run_command(updater.version, "", std::chrono::seconds(10));
        row.tool_version = version.out.substr(0, version.out.find('\n'));
    }
    RunResult result = run_scenario(survey_scenario(updater), catalogue, paths, RunOptions{});
    const auto& json = result.json;
    if (json["update"].is_null() || !json["update"]["ok"].get<bool>()) {
        row.status = "BROK";
        row.reason = json["update"].is_null() ? result.reason : json["update"]["error"].get<std::string>();
        return row;
    }
    row.syscalls = json["update"]["path_syscalls"];
    row.path_missing_observations = json["update"].value("path_missing_observations", 0L);
    row.syscalls_unavailable = json["update"].value("path_syscalls_unavailable", "");
    if (!json["update"]["same_file"].is_null()) row.same_file = json["update"]["same_file"].get<bool>();
    const auto& verdict = json["hosts"]["process1"]["verdict"];
    row.process1_verdict = verdict.is_null() ? "" : verdict.get<std::string>();
    // The same file rewritten: process1's stale pointers meet new bytes. A new file: it keeps the old.
    bool consistent = row.same_file && (*row.same_file ? row.process1_verdict != "kept-old" : row.process1_verdict == "kept-old");
    if (updater.same_file && row.same_file != updater.same_file) {
        row.status = "FAIL";
        row.reason = std::string("expected ") + (*updater.same_file ? "the same file" : "a new file") + ", observed " +
                     (*row.same_file ? "the same file" : "a new file");
    } else if (!consistent) {
        row.status = "FAIL";
        row.reason = "process1 " + row.process1_verdict + " does not follow from " +
                     (row.same_file.value_or(false) ? "the same file" : "a new file");
    } else {
        row.status = "PASS";
    }
    return row;
}

}  // namespace lab
