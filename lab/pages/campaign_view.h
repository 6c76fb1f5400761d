// campaign_view.h — a campaign's file read back for a report: the claims ledger
// (results/claims.json), the updater survey (survey.json), the file-system matrix (matrix.json)
// or the kernel table (kernels.json), as one table with an outcome. Read through json_reader.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lab {

struct CampaignView {
    std::string file, name, title, outcome, summary, environment;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

// The view of `document` when it is a campaign's file (by its schema); nullopt when it is not.
std::optional<CampaignView> read_campaign_view(const std::string& file, const nlohmann::ordered_json& document);

}  // namespace lab
