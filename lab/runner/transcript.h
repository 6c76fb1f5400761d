// transcript.h — the classroom transcript: numbered sentences as events happen, then a verdict
// table. Written to a FILE* (stdout for `lab run`).
#pragma once

#include <cstdio>

#include <nlohmann/json.hpp>

#include "claims.h"
#include "scenario.h"
#include "timeline.h"

namespace lab {

class Transcript : public Narrator {
public:
    explicit Transcript(std::FILE* out) : out_(out) {}
    void header(const Scenario& scenario);
    void on_event(const TimelineEvent& event) override;
    // The verdict table and the outcome, from the result file's contents.
    void summary(const nlohmann::ordered_json& result, const std::string& result_path);

private:
    std::FILE* out_;
    int step_ = 0;
};

// The claims ledger, one claim a block: status, claim, the seed's words, the evidence.
void print_claims(std::FILE* out, const std::vector<ClaimVerdict>& verdicts, const std::string& environment);

// Wraps `text` at `width` columns, continuation lines starting with `indent`.
std::string wrap_text(const std::string& text, size_t width, const std::string& indent);

}  // namespace lab
