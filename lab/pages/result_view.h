// result_view.h — a result file (results/NAME.json, result/1) read back for a report: what the
// pages say and what the figures are drawn from. The one place besides the claims ledger that
// reads result JSON by key. A file that is not a result, or whose fields have the wrong types, is
// a ScenarioError naming the file and the field; a part a result does not have (no update, a
// host that never crashed) is simply absent from the view.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "figures/figures.h"

namespace lab {

struct HostSummary {
    std::string name, verdict, verdict_reason, at_exit;
};

// One run of the scenario (most results hold one; lazy-vs-now holds one per binding).
struct RunView {
    std::string binding;  // "lazy" or "now"
    std::vector<HostSummary> hosts;
    std::optional<figures::MappingsFigure> mappings;            // when a host's mappings were recorded
    std::optional<figures::TocFigure> table_of_contents;        // when a host's GOT was recorded
    std::optional<figures::PagesFigure> demand_paging;          // when pages were observed
    figures::TimelineFigure timeline;
    std::vector<std::string> story;  // the timeline's sentences that matter, in order
};

struct ResultView {
    std::string file, name, title, outcome, reason, environment;
    std::vector<RunView> runs;
};

ResultView read_result_view(const std::string& file);
// The same from a document already read from `file`.
ResultView read_result_view(const std::string& file, const nlohmann::ordered_json& document);

}  // namespace lab
