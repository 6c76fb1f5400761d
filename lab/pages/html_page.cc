// html_page.cc — the pages, element by element.
#include "pages/html_page.h"

#include <sstream>

#include <pugixml.hpp>

#include "pages/run_figures.h"

namespace lab {

namespace {

const char* page_style()
{
    return "body{font-family:DejaVu Sans,Verdana,sans-serif;font-size:19px;line-height:1.45;max-width:60em;margin:1.5em auto;"
           "padding:0 1em;color:#111;background:#fff}"
           "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.3em;margin-top:1.6em}"
           "table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}"
           ".outcome{font-weight:bold;padding:.05em .4em;border:2px solid #111}"
           ".PASS{background:#dfd}.FAIL{background:#fdd}.BROK{background:#fdd}.CONF{background:#eee}"
           "svg.figure{width:100%;height:auto;border:1px solid #ccc;margin:.6em 0}"
           "figure{margin:1.2em 0}figcaption{font-size:.9em;color:#333}"
           ".environment,.made{color:#333;font-size:.9em}";
}

struct Page {
    pugi::xml_document document;
    pugi::xml_node head, body;

    explicit Page(const std::string& title)
    {
        pugi::xml_node doctype = document.append_child(pugi::node_doctype);
        doctype.set_value("html");
        pugi::xml_node html = document.append_child("html");
        html.append_attribute("xmlns") = "http://www.w3.org/1999/xhtml";
        html.append_attribute("lang") = "en";
        head = html.append_child("head");
        head.append_child("meta").append_attribute("charset") = "utf-8";
        pugi::xml_node viewport = head.append_child("meta");
        viewport.append_attribute("name") = "viewport";
        viewport.append_attribute("content") = "width=device-width, initial-scale=1";
        head.append_child("title").text() = title.c_str();
        head.append_child("style").text() = page_style();
        body = html.append_child("body");
    }
    std::string text() const
    {
        std::ostringstream out;
        // <td></td>, not <td />: an HTML parser takes the latter for an opening tag only.
        document.save(out, "  ", pugi::format_default | pugi::format_no_declaration | pugi::format_no_empty_element_tags,
                      pugi::encoding_utf8);
        return out.str();
    }
};

pugi::xml_node add(pugi::xml_node parent, const char* name, const std::string& text = "", const std::string& css = "")
{
    pugi::xml_node node = parent.append_child(name);
    if (!text.empty()) node.text() = text.c_str();
    if (!css.empty()) node.append_attribute("class") = css.c_str();
    return node;
}

void outcome_line(pugi::xml_node parent, const std::string& outcome, const std::string& reason)
{
    pugi::xml_node line = add(parent, "p");
    add(line, "span", outcome, "outcome " + outcome);
    line.append_child(pugi::node_pcdata).set_value((" " + reason).c_str());
}

void hosts_table(pugi::xml_node parent, const RunView& run)
{
    pugi::xml_node table = add(parent, "table");
    pugi::xml_node head = add(table, "tr");
    for (const char* column : {"host", "verdict", "at exit", "why"}) add(head, "th", column);
    for (const auto& host : run.hosts) {
        pugi::xml_node row = add(table, "tr");
        add(row, "td", host.name);
        add(row, "td", host.verdict);
        add(row, "td", host.at_exit);
        add(row, "td", host.verdict_reason);
    }
}

void run_section(pugi::xml_node body, const RunView& run, bool several)
{
    if (several) add(body, "h2", "Calls bound " + run.binding + (run.binding == "now" ? " (LD_BIND_NOW=1)" : " (at the first call)"));
    hosts_table(body, run);
    for (const auto& figure : run_figures(run)) {
        pugi::xml_node holder = add(body, "figure");
        holder.append_copy(figure.svg.root());
        add(holder, "figcaption", figure.caption);
    }
    if (run.story.empty()) return;
    add(body, several ? "h3" : "h2", "What happened");
    pugi::xml_node list = add(body, "ol");
    for (const auto& line : run.story) add(list, "li", line);
}

}  // namespace

std::string result_page(const ResultView& view)
{
    Page page(view.name + ": " + view.outcome);
    add(page.body, "h1", view.name + ": " + view.title);
    outcome_line(page.body, view.outcome, view.reason);
    add(page.body, "p", view.environment, "environment");
    for (const auto& run : view.runs) run_section(page.body, run, view.runs.size() > 1);
    add(page.body, "p", "Drawn by lab report from " + view.file + ": every figure shows what the run recorded.", "made");
    return page.text();
}

std::string campaign_page(const CampaignView& view)
{
    Page page(view.name + ": " + view.outcome);
    add(page.body, "h1", view.name + ": " + view.title);
    outcome_line(page.body, view.outcome, view.summary);
    if (!view.environment.empty()) add(page.body, "p", view.environment, "environment");
    pugi::xml_node table = add(page.body, "table");
    pugi::xml_node head = add(table, "tr");
    for (const auto& column : view.columns) add(head, "th", column);
    for (const auto& cells : view.rows) {
        pugi::xml_node row = add(table, "tr");
        for (const auto& cell : cells) add(row, "td", cell);
    }
    add(page.body, "p", "Drawn by lab report from " + view.file + ".", "made");
    return page.text();
}

std::string index_page(const std::vector<IndexEntry>& entries)
{
    Page page("libfoo-lab results");
    add(page.body, "h1", "libfoo-lab: results");
    pugi::xml_node table = add(page.body, "table");
    pugi::xml_node head = add(table, "tr");
    for (const char* column : {"scenario", "outcome", "what it shows", "why"}) add(head, "th", column);
    for (const auto& entry : entries) {
        pugi::xml_node row = add(table, "tr");
        pugi::xml_node link = add(add(row, "td"), "a", entry.name);
        link.append_attribute("href") = entry.page.c_str();
        add(add(row, "td"), "span", entry.outcome, "outcome " + entry.outcome);
        add(row, "td", entry.title);
        add(row, "td", entry.reason);
    }
    return page.text();
}

}  // namespace lab
