// claims_matrix.cc — the ledger's cases that name a file system, run with lab matrix. Apart from
// claims.cc so that reading and judging a ledger needs nothing of the matrix but its names.
#include "campaigns/claims/claims.h"

#include <algorithm>

#include "campaigns/matrix/matrix.h"

namespace lab {

std::vector<std::pair<std::string, MatrixCell>> run_matrix_cases(const std::vector<Claim>& claims,
                                                                 const std::vector<Scenario>& scenarios,
                                                                 const Catalogue& catalogue, const Paths& paths)
{
    std::vector<std::pair<std::string, MatrixCell>> results;  // in the matrix's order
    auto cases = matrix_cases_of(claims);
    if (cases.empty()) return results;
    MatrixOptions options;
    options.filesystems.clear();
    for (const auto& filesystem : matrix_filesystems())
        if (cases.count(filesystem.name)) options.filesystems.push_back(filesystem);
    std::vector<Scenario> needed;
    for (const auto& scenario : scenarios)
        if (std::any_of(cases.begin(), cases.end(), [&](const auto& entry) {
                return std::find(entry.second.begin(), entry.second.end(), scenario.name) != entry.second.end();
            }))
            needed.push_back(scenario);
    for (const auto& row : run_matrix(needed, catalogue, paths, options).rows)
        for (const auto& [name, cell] : row.cells)
            results.emplace_back(name + "@" + row.filesystem.name, cell);
    return results;
}

}  // namespace lab
