// svg.h — an SVG picture built as an XML tree (pugixml), so every name and label is escaped and
// the output is well-formed by construction. Sized in px of a 960-wide canvas: projected on a wall
// or shrunk into a blog column it scales as a whole (viewBox), and its type stays large.
#pragma once

#include <string>

#include <pugixml.hpp>

namespace lab::figures {

class Svg {
public:
    // `title` is what a screen reader, or a mouse hovering over the figure, says it shows; `id`
    // names it in a page (and prefixes the ids inside it, so that figures can share a page).
    Svg(double width, double height, const std::string& title, const std::string& id);

    pugi::xml_node root() const { return document_.document_element(); }
    // Drawing, into `parent` (the root when omitted). `css` is one of the classes of figure_style().
    pugi::xml_node group(const std::string& css, pugi::xml_node parent = {});
    pugi::xml_node rect(double x, double y, double width, double height, const std::string& css, pugi::xml_node parent = {});
    pugi::xml_node line(double x1, double y1, double x2, double y2, const std::string& css, pugi::xml_node parent = {});
    // An arrow from (x1, y1) to (x2, y2), its head at the end.
    pugi::xml_node arrow(double x1, double y1, double x2, double y2, const std::string& css, pugi::xml_node parent = {});
    // Text anchored at (x, y): "start", "middle" or "end".
    pugi::xml_node text(double x, double y, const std::string& text, const std::string& css,
                        const std::string& anchor = "start", pugi::xml_node parent = {});
    pugi::xml_node circle(double x, double y, double r, const std::string& css, pugi::xml_node parent = {});

    // The picture as a standalone file (with its XML declaration), or as an element to place
    // inside an HTML page.
    std::string file_text() const;
    const pugi::xml_document& document() const { return document_; }

private:
    pugi::xml_node parent_or_root(pugi::xml_node parent) const { return parent ? parent : root(); }
    pugi::xml_document document_;
    std::string id_;
};

// The classes every figure uses: few colours, and none of them alone carries a meaning (each is
// also a word or a shape on the figure). Inside each SVG, so that a figure saved as its own file
// looks the same as in the page.
const char* figure_style();

}  // namespace lab::figures
