// claims_report.cc — the ledger as lab claims prints it, one claim a block.
#include "campaigns/claims/claims.h"

#include "base/text.h"

namespace lab {

void print_claims(std::FILE* out, const std::vector<ClaimVerdict>& verdicts, const std::string& environment)
{
    std::fprintf(out, "\nThe seed's claims, judged by what the scenarios just observed\n(%s):\n",
                 wrap_text(environment, 78, "").c_str());
    const std::string indent(12, ' ');
    for (const auto& verdict : verdicts) {
        std::fprintf(out, "\n %-10s %s\n", std::string(to_string(verdict.status)).c_str(), wrap_text(verdict.claim, 78, indent).c_str());
        std::fprintf(out, "%s\"%s\"\n", indent.c_str(), wrap_text(verdict.quote, 77, indent + " ").c_str());
        if (!verdict.reason.empty())
            std::fprintf(out, "%s%s\n", indent.c_str(), wrap_text("Depends: " + verdict.reason, 78, indent).c_str());
        for (const auto& line : verdict.evidence) std::fprintf(out, "%s%s\n", indent.c_str(), wrap_text(line, 78, indent + "  ").c_str());
    }
    std::fflush(out);
}

std::string environment_line(const Environment& environment)
{
    return "Linux " + environment.kernel + ", " + environment.libc + ", " + environment.linker + ", " + environment.filesystem +
           (environment.root() ? ", as root" : ", not root");
}

nlohmann::ordered_json ledger_json(const std::string& ledger, const std::string& environment,
                                   const std::vector<ClaimVerdict>& verdicts)
{
    nlohmann::ordered_json json = {{"schema", "libfoo-lab/claims-result/1"},
                                   {"ledger", ledger},
                                   {"environment", environment},
                                   {"claims", nlohmann::ordered_json::array()}};
    for (const auto& verdict : verdicts) json["claims"].push_back(verdict.to_json());
    return json;
}

}  // namespace lab
