// timeline.cc — recording and forwarding timeline events.
#include "engine/timeline.h"

namespace lab {

std::int64_t Timeline::now_ns() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
}

void Timeline::add(std::string event, std::string host, std::string text, std::string figure)
{
    settle();
    events_.push_back(TimelineEvent{now_ns(), std::move(event), std::move(host), std::move(text), std::move(figure)});
    if (narrator_) narrator_->on_event(events_.back());
}

void Timeline::replace_or_add(std::string event, std::string host, std::string text, bool replace)
{
    if (replace && last_unsettled_ && events_.back().event == event && events_.back().host == host) {
        events_.back().text = std::move(text);
        events_.back().t_ns = now_ns();
        return;
    }
    settle();
    events_.push_back(TimelineEvent{now_ns(), std::move(event), std::move(host), std::move(text), ""});
    last_unsettled_ = true;
}

void Timeline::settle()
{
    if (!last_unsettled_) return;
    last_unsettled_ = false;
    if (narrator_) narrator_->on_event(events_.back());
}

}  // namespace lab
