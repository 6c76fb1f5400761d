// campaign_view.cc — each campaign's file as a table: a row per claim, per updater, per file system.
#include "pages/campaign_view.h"

#include <map>

#include "base/text.h"
#include "base/words.h"
#include "pages/json_reader.h"

namespace lab {

namespace {

using json = nlohmann::ordered_json;

// The worst of the statuses seen, in Outcome's order (BROK, then FAIL, then CONF, then PASS).
void worsen(std::string* outcome, const std::string& status)
{
    auto seen = from_string<Outcome>(status);
    if (!seen) return;
    auto now = from_string<Outcome>(*outcome);
    *outcome = std::string(to_string(now ? worse(*now, *seen) : *seen));
}

std::string yes_no(const json& value) { return value.is_boolean() ? (value.get<bool>() ? "yes" : "no") : "-"; }

void claims(const Reader& r, const json& document, CampaignView* view)
{
    view->title = "The seed's claims, judged by the scenarios";
    view->environment = r.text(document, "environment");
    view->columns = {"claim", "status", "scenarios", "evidence"};
    std::map<std::string, int> counts;
    const json& claims = r.array(document, "claims");
    for (size_t i = 0; claims.is_array() && i < claims.size(); ++i) {
        const std::string at = "claims." + std::to_string(i);
        std::vector<std::string> scenarios, evidence;
        for (const auto& name : r.array(document, at + ".scenarios"))
            if (name.is_string()) scenarios.push_back(name.get<std::string>());
        for (const auto& line : r.array(document, at + ".evidence"))
            if (line.is_string()) evidence.push_back(line.get<std::string>());
        const std::string status = r.text(document, at + ".status");
        ++counts[status];
        view->rows.push_back({r.text(document, at + ".claim"), status, join(scenarios, ", "), join(evidence, "; ")});
    }
    std::vector<std::string> parts;
    for (const auto& [status, count] : counts) parts.push_back(std::to_string(count) + " " + status);
    view->summary = join(parts, ", ");
    view->outcome = "judged";  // a ledger's claims are confirmed or refuted, none of them a failure
}

void survey(const Reader& r, const json& document, CampaignView* view)
{
    view->title = "Real updaters: which replace libfoo.so, and which write into it";
    view->columns = {"updater", "command", "same file", "process1", "new process", "status", "why"};
    const json& updaters = r.object(document, "updaters");
    for (auto it = updaters.begin(); !updaters.is_null() && it != updaters.end(); ++it) {
        const std::string at = "updaters." + it.key();
        const std::string status = r.text(document, at + ".status");
        worsen(&view->outcome, status);
        view->rows.push_back({it.key(), r.text(document, at + ".command"), yes_no(r.lookup(document, at + ".same_file")),
                              r.text(document, at + ".process1_verdict"), r.text(document, at + ".new_process_answer"), status,
                              r.text(document, at + ".reason")});
    }
    view->summary = std::to_string(view->rows.size()) + " updaters";
}

void matrix(const Reader& r, const json& document, CampaignView* view)
{
    view->title = "The scenarios on other file systems";
    view->environment = "Linux " + r.text(document, "kernel");
    view->columns = {"file system"};
    std::vector<std::string> scenarios;
    for (const auto& name : r.array(document, "scenarios"))
        if (name.is_string()) scenarios.push_back(name.get<std::string>());
    view->columns.insert(view->columns.end(), scenarios.begin(), scenarios.end());
    const json& filesystems = r.object(document, "filesystems");
    for (auto it = filesystems.begin(); !filesystems.is_null() && it != filesystems.end(); ++it) {
        std::vector<std::string> row = {it.key()};
        for (const auto& scenario : scenarios) {
            const std::string at = "filesystems." + it.key() + "." + scenario;
            const std::string status = r.text(document, at + ".status");
            worsen(&view->outcome, status);
            const std::string verdict = r.text(document, at + ".process1_verdict");
            row.push_back(status + (verdict.empty() ? "" : " " + verdict));
        }
        view->rows.push_back(row);
    }
    view->summary = std::to_string(view->rows.size()) + " file systems";
}

}  // namespace

std::optional<CampaignView> read_campaign_view(const std::string& file, const nlohmann::ordered_json& document)
{
    const Reader r{file, ""};
    const std::string schema = document.is_object() ? r.text(document, "schema") : "";
    CampaignView view;
    view.file = file;
    if (schema == "libfoo-lab/claims-result/1") {
        view.name = "claims";
        claims(r, document, &view);
    } else if (schema == "libfoo-lab/survey/1") {
        view.name = "survey";
        survey(r, document, &view);
    } else if (schema == "libfoo-lab/matrix/1") {
        view.name = "matrix";
        matrix(r, document, &view);
    } else {
        return std::nullopt;
    }
    if (view.outcome.empty()) view.outcome = "CONF";
    return view;
}

}  // namespace lab
