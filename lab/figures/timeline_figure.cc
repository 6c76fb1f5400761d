// timeline_figure.cc — figure 4: each host a lane on one time axis (the runner's monotonic clock,
// from the start of the run), its calls as marks whose shape says whose answer came back, the
// update and other events as dashed lines, and how each host ended.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "figures/figures.h"

namespace lab::figures {

namespace {

constexpr double canvas_width = 960, axis_left = 130, axis_right = 40, lanes_top = 70, lane_height = 90;

struct Axis {
    std::int64_t end_ns = 1;
    double x(std::int64_t t_ns) const { return axis_left + (canvas_width - axis_left - axis_right) * static_cast<double>(t_ns) / static_cast<double>(end_ns); }
};

std::string milliseconds(double ms)
{
    char text[32];
    std::snprintf(text, sizeof text, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
    return text;
}

// Ticks at 1, 2 or 5 times a power of ten, about six of them.
void draw_axis(Svg& svg, const Axis& axis, double y)
{
    const double span_ms = static_cast<double>(axis.end_ns) / 1e6;
    const double rough = span_ms / 6, power = std::pow(10.0, std::floor(std::log10(rough)));
    const double step = rough / power < 2 ? 2 * power : rough / power < 5 ? 5 * power : 10 * power;
    svg.line(axis_left, y, canvas_width - axis_right, y, "axis");
    for (double ms = 0; ms <= span_ms + 1e-9; ms += step) {
        const double x = axis.x(static_cast<std::int64_t>(ms * 1e6));
        svg.line(x, lanes_top - 10, x, y, "grid");
        svg.text(x, y + 24, milliseconds(ms), "small", "middle");
    }
}

void draw_call(Svg& svg, const TimelineCall& call, double x, double y, pugi::xml_node lane_group)
{
    pugi::xml_node mark;
    if (call.answer == "wrong") mark = svg.rect(x - 8, y - 8, 16, 16, "answer-wrong", lane_group);
    else if (call.answer == "none") mark = svg.rect(x - 8, y - 8, 16, 16, "answer-none", lane_group);
    else mark = svg.circle(x, y, 8, call.answer == "new" ? "answer-new" : "answer-old", lane_group);
    mark.append_child("title").text() = ("chapter " + std::to_string(call.chapter) + ": " +
                                         (call.answer == "none" ? std::string("no answer") : call.answer + " answer"))
                                            .c_str();
}

void draw_lane(Svg& svg, const TimelineHost& host, const Axis& axis, double y)
{
    pugi::xml_node group = svg.group("lane");
    svg.text(axis_left - 14, y + 6, host.name, "title", "end", group);
    svg.line(axis.x(host.start_ns), y, axis.x(host.end_ns), y, "life", group);
    for (const auto& call : host.calls) draw_call(svg, call, axis.x(call.t_ns), y, group);
    const double end = axis.x(host.end_ns);
    if (host.died) svg.rect(end - 7, y - 16, 14, 32, "death", group);
    const bool room_after = end < canvas_width - axis_right - 200;
    svg.text(room_after ? end + 12 : end, room_after ? y + 6 : y + 34, host.end, host.died ? "bad-text" : "small",
             room_after ? "start" : "end", group);
}

void draw_legend(Svg& svg, double y)
{
    const double x = axis_left;
    svg.circle(x, y, 8, "answer-old");
    svg.text(x + 14, y + 6, "old version's answer", "small");
    svg.circle(x + 230, y, 8, "answer-new");
    svg.text(x + 244, y + 6, "new version's answer", "small");
    svg.rect(x + 462, y - 8, 16, 16, "answer-wrong");
    svg.text(x + 484, y + 6, "wrong answer", "small");
    svg.rect(x + 622, y - 8, 16, 16, "answer-none");
    svg.text(x + 644, y + 6, "no answer", "small");
}

}  // namespace

Svg timeline(const TimelineFigure& figure)
{
    const double axis_y = lanes_top + lane_height * static_cast<double>(figure.hosts.size());
    Svg svg(canvas_width, axis_y + 90, "The run on one time axis: each host's calls, whose answer came back, and how it ended",
            "timeline");
    svg.text(canvas_width / 2, 30, "The run, host by host, on one time axis", "title", "middle");
    Axis axis{std::max<std::int64_t>(figure.end_ns, 1)};
    draw_axis(svg, axis, axis_y);
    for (const auto& mark : figure.marks) {
        const double x = axis.x(mark.t_ns);
        svg.line(x, lanes_top - 14, x, axis_y, "mark");
        svg.text(x + 6, lanes_top - 18, mark.label, "small");
    }
    for (size_t i = 0; i < figure.hosts.size(); ++i) draw_lane(svg, figure.hosts[i], axis, lanes_top + lane_height * (static_cast<double>(i) + 0.5));
    draw_legend(svg, axis_y + 66);
    return svg;
}

}  // namespace lab::figures
