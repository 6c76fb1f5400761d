// timeline.h — what happened during a run, in order, with monotonic timestamps. Every event has
// a sentence a class can follow; the transcript is these sentences as they happen.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "result/run_record.h"
#include "system/child.h"

namespace lab {

// Receives each event as it happens (the console transcript; nothing when quiet).
class Narrator {
public:
    virtual ~Narrator() = default;
    virtual void on_event(const TimelineEvent& event) = 0;
};

class Timeline {
public:
    explicit Timeline(Narrator* narrator) : narrator_(narrator) {}

    std::int64_t now_ns() const;
    void add(std::string event, std::string host, std::string text, std::string figure = "");
    // Replaces the last event when `replace` is true and it has the same event and host (a
    // sentence that grows as a step goes on); adds otherwise. The narrator sees it once final.
    void replace_or_add(std::string event, std::string host, std::string text, bool replace);
    // Hands a sentence still growing to the narrator: call when the step is over.
    void settle();
    const std::vector<TimelineEvent>& events() const { return events_; }  // settle() first

private:
    Clock::time_point start_ = Clock::now();
    Narrator* narrator_;
    std::vector<TimelineEvent> events_;
    bool last_unsettled_ = false;
};

}  // namespace lab
