// svg.cc — the SVG element kit: attributes set through pugixml, numbers written short.
#include "figures/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace lab::figures {

namespace {

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    std::string shown = text;
    if (shown.size() > 2 && shown.compare(shown.size() - 2, 2, ".0") == 0) shown.resize(shown.size() - 2);
    return shown;
}

void place(pugi::xml_node node, const char* name, double value) { node.append_attribute(name) = number(value).c_str(); }

}  // namespace

Svg::Svg(double width, double height, const std::string& title, const std::string& id) : id_(id)
{
    pugi::xml_node svg = document_.append_child("svg");
    svg.append_attribute("xmlns") = "http://www.w3.org/2000/svg";
    svg.append_attribute("id") = id.c_str();
    svg.append_attribute("viewBox") = ("0 0 " + number(width) + " " + number(height)).c_str();
    svg.append_attribute("role") = "img";
    svg.append_attribute("class") = "figure";
    svg.append_child("title").text() = title.c_str();
    svg.append_child("style").text() = figure_style();
    pugi::xml_node defs = svg.append_child("defs");
    pugi::xml_node head = defs.append_child("marker");
    head.append_attribute("id") = (id + "-arrowhead").c_str();
    head.append_attribute("viewBox") = "0 0 10 10";
    head.append_attribute("refX") = "9";
    head.append_attribute("refY") = "5";
    head.append_attribute("markerWidth") = "8";
    head.append_attribute("markerHeight") = "8";
    head.append_attribute("orient") = "auto-start-reverse";
    pugi::xml_node tip = head.append_child("path");
    tip.append_attribute("d") = "M 0 0 L 10 5 L 0 10 z";
    tip.append_attribute("fill") = "context-stroke";
}

pugi::xml_node Svg::group(const std::string& css, pugi::xml_node parent)
{
    pugi::xml_node node = parent_or_root(parent).append_child("g");
    if (!css.empty()) node.append_attribute("class") = css.c_str();
    return node;
}

pugi::xml_node Svg::rect(double x, double y, double width, double height, const std::string& css, pugi::xml_node parent)
{
    pugi::xml_node node = parent_or_root(parent).append_child("rect");
    place(node, "x", x);
    place(node, "y", y);
    place(node, "width", std::max(width, 0.0));
    place(node, "height", std::max(height, 0.0));
    node.append_attribute("class") = css.c_str();
    return node;
}

pugi::xml_node Svg::line(double x1, double y1, double x2, double y2, const std::string& css, pugi::xml_node parent)
{
    pugi::xml_node node = parent_or_root(parent).append_child("line");
    place(node, "x1", x1);
    place(node, "y1", y1);
    place(node, "x2", x2);
    place(node, "y2", y2);
    node.append_attribute("class") = css.c_str();
    return node;
}

pugi::xml_node Svg::arrow(double x1, double y1, double x2, double y2, const std::string& css, pugi::xml_node parent)
{
    pugi::xml_node node = line(x1, y1, x2, y2, css, parent);
    node.append_attribute("marker-end") = ("url(#" + id_ + "-arrowhead)").c_str();
    return node;
}

pugi::xml_node Svg::text(double x, double y, const std::string& text, const std::string& css, const std::string& anchor,
                         pugi::xml_node parent)
{
    pugi::xml_node node = parent_or_root(parent).append_child("text");
    place(node, "x", x);
    place(node, "y", y);
    node.append_attribute("class") = css.c_str();
    if (anchor != "start") node.append_attribute("text-anchor") = anchor.c_str();
    node.text() = text.c_str();
    return node;
}

pugi::xml_node Svg::circle(double x, double y, double r, const std::string& css, pugi::xml_node parent)
{
    pugi::xml_node node = parent_or_root(parent).append_child("circle");
    place(node, "cx", x);
    place(node, "cy", y);
    place(node, "r", r);
    node.append_attribute("class") = css.c_str();
    return node;
}

std::string Svg::file_text() const
{
    std::ostringstream out;
    document_.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

const char* figure_style()
{
    return "text{font-family:DejaVu Sans,Verdana,sans-serif;font-size:18px;fill:#111}"
           ".small{font-size:15px}.title{font-size:21px;font-weight:bold}.mono{font-family:DejaVu Sans Mono,monospace;font-size:15px}"
           ".page{fill:#fff;stroke:#111;stroke-width:2}.entry{fill:#e8eef7;stroke:#345;stroke-width:1}"
           ".entry-hit{fill:#ffd9a8;stroke:#111;stroke-width:2}.slot{fill:#fff;stroke:#111;stroke-width:1.5}"
           ".slot-stale{fill:#ffd9a8;stroke:#111;stroke-width:2.5}"
           ".ok{stroke:#345;stroke-width:1.5;fill:none}.bad{stroke:#b00;stroke-width:3;fill:none;stroke-dasharray:8 4}"
           ".axis{stroke:#111;stroke-width:1.5}.grid{stroke:#bbb;stroke-width:1}.mark{stroke:#111;stroke-width:2;stroke-dasharray:6 4}"
           ".answer-old{fill:#345}.answer-new{fill:#fff;stroke:#345;stroke-width:2.5}.answer-wrong{fill:#b00}"
           ".answer-none{fill:#fff;stroke:#b00;stroke-width:2.5}.life{stroke:#345;stroke-width:6}"
           ".death{fill:#b00}.bad-text{fill:#b00;font-weight:bold}"
           ".band{fill:#f2f2f2;stroke:#111;stroke-width:1}.cell-on{fill:#345}"
           ".file{fill:#fff;stroke:#111;stroke-width:2}.file-deleted{fill:#fff;stroke:#b00;stroke-width:2.5;stroke-dasharray:8 4}"
           ".map{fill:#e8eef7;stroke:#345;stroke-width:1}.page-shared{fill:#345}.page-private{fill:#fff;stroke:#345;stroke-width:2}"
           ".page-absent{fill:#ddd;stroke:#999;stroke-width:1}";
}

}  // namespace lab::figures
