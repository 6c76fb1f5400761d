// transcript.h — the classroom transcript: numbered sentences as events happen, then a verdict
// table. Written to a FILE* (stdout for `lab run`).
#pragma once

#include <cstdio>

#include "base/colour.h"
#include "scenario/scenario.h"
#include "engine/timeline.h"
#include "result/run_record.h"

namespace lab {

class Transcript : public Narrator {
public:
    // Verdict words coloured when `out` is a terminal (base/colour.h).
    explicit Transcript(std::FILE* out) : out_(out), colour_(Colour::for_stream(out)) {}
    void header(const Scenario& scenario);
    void on_event(const TimelineEvent& event) override;
    // The verdict table and the outcome.
    void summary(const ScenarioResult& result, const std::string& result_path);

private:
    void bindings_table(const ScenarioResult& result);
    void verdict_table(const RunRecord& run);

    void print(const std::string& line);  // with its verdict words coloured

    std::FILE* out_;
    Colour colour_;
    int step_ = 0;
};

}  // namespace lab
