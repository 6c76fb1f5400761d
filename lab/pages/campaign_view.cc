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

// A row per file system (matrix.json's "filesystems") or kernel (kernels.json's "kernels"), a
// column per scenario: the status and process1's verdict.
void scenario_table(const Reader& r, const json& document, const std::string& key, CampaignView* view)
{
    std::vector<std::string> scenarios;
    for (const auto& name : r.array(document, "scenarios"))
        if (name.is_string()) scenarios.push_back(name.get<std::string>());
    view->columns.insert(view->columns.end(), scenarios.begin(), scenarios.end());
    const json& rows = r.object(document, key);
    for (auto it = rows.begin(); !rows.is_null() && it != rows.end(); ++it) {
        std::vector<std::string> row = {it.key()};
        // A kernel's release has dots in it: the row is read from its own object, not by a path.
        const Reader cells{r.file, key + "." + it.key() + "."};
        for (const auto& scenario : scenarios) {
            const json& cell = cells.object(it.value(), scenario);
            const std::string status = cell.is_null() ? "" : cells.text(cell, "status");
            worsen(&view->outcome, status);
            const std::string verdict = cell.is_null() ? "" : cells.text(cell, "process1_verdict");
            row.push_back(status + (verdict.empty() ? "" : " " + verdict));
        }
        view->rows.push_back(row);
    }
}

void matrix(const Reader& r, const json& document, CampaignView* view)
{
    view->title = "The scenarios on other file systems";
    view->environment = "Linux " + r.text(document, "kernel");
    view->columns = {"file system"};
    scenario_table(r, document, "filesystems", view);
    view->summary = std::to_string(view->rows.size()) + " file systems";
}

void kernels(const Reader& r, const json& document, CampaignView* view)
{
    view->title = "The scenarios under other kernels";
    std::vector<std::string> how;
    const json& environment = r.object(document, "environment");
    for (auto it = environment.begin(); !environment.is_null() && it != environment.end(); ++it)
        how.push_back(it.key() + ": " + (it.value().is_string() ? it.value().get<std::string>() : "-"));
    view->environment = join(how, "; ");
    view->columns = {"kernel"};
    scenario_table(r, document, "kernels", view);
    view->summary = std::to_string(view->rows.size()) + " kernels";
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
    } else if (schema == "libfoo-lab/kernels/1") {
        view.name = "kernels";
        kernels(r, document, &view);
    } else {
        return std::nullopt;
    }
    if (view.outcome.empty()) view.outcome = "CONF";
    return view;
}

}  // namespace lab
