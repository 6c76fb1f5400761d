// toc_figure.cc — figure 2, the seed's analogy drawn to scale: the host's table of contents (its
// GOT slots) on the left, the book it loaded in the middle, the book in the file now on the
// right. Each resolved slot points into the loaded book; the stale call's arrow goes on into the
// new book, to the place the result says it landed.
#include <algorithm>

#include "common/crash_record.h"  // hex_address
#include "figures/figures.h"

namespace lab::figures {

namespace {

constexpr double page_width = 960, books_top = 92, book_height = 520, slot_x = 20, slot_width = 190;
constexpr double loaded_x = 330, on_disk_x = 650, book_width = 290;

// The file offsets both books are drawn over: what the slots and the stale call lead to, and the
// whole of every function of the loaded book that covers one of those places. The book in the
// file now is drawn over the same offsets, cut at the edges: a grown function would otherwise
// shrink everything else to a line.
struct Scale {
    std::uint64_t low = 0, high = 1;
    double y(std::uint64_t offset) const
    {
        return books_top + book_height * static_cast<double>(offset - low) / static_cast<double>(high - low);
    }
};

Scale scale_of(const TocFigure& figure)
{
    std::vector<std::uint64_t> places;
    for (const auto& slot : figure.slots)
        if (slot.resolved) places.push_back(slot.offset);
    if (figure.stale) places.push_back(figure.stale->offset);
    const std::vector<std::uint64_t> called = places;
    for (const auto& entry : figure.loaded.entries)
        if (std::any_of(called.begin(), called.end(), [&](auto at) { return at >= entry.offset && at < entry.offset + entry.size; }))
            places.insert(places.end(), {entry.offset, entry.offset + entry.size});
    Scale scale;
    if (places.empty()) return scale;
    scale.low = *std::min_element(places.begin(), places.end());
    scale.high = std::max(*std::max_element(places.begin(), places.end()), scale.low + 1);
    scale.high += (scale.high - scale.low) / 12;  // room below the last function for its name
    return scale;
}

// Each function a box, at least a few pixels tall so that a short one among long gaps still
// shows; named where there is room before the next one.
void draw_book(Svg& svg, const Book& book, double x, const Scale& scale, std::optional<std::uint64_t> hit)
{
    // "mine-grow2, in the file now": the edition's name, and under it what the book is, so that a
    // long name (a user's own edition) does not run into the next book's heading.
    const size_t comma = book.title.find(", ");
    if (comma == std::string::npos) {
        svg.text(x + book_width / 2, books_top - 14, book.title, "title", "middle");
    } else {
        svg.text(x + book_width / 2, books_top - 34, book.title.substr(0, comma), "title", "middle");
        svg.text(x + book_width / 2, books_top - 12, book.title.substr(comma + 2), "small", "middle");
    }
    svg.rect(x, books_top, book_width, book_height, "page");
    pugi::xml_node entries = svg.group("entries");
    std::vector<const Entry*> shown;
    for (const auto& entry : book.entries)
        if (entry.offset + entry.size > scale.low && entry.offset < scale.high) shown.push_back(&entry);
    for (size_t i = 0; i < shown.size(); ++i) {
        const Entry& entry = *shown[i];
        const double bottom = books_top + book_height;
        const double y1 = std::max(scale.y(entry.offset), books_top);
        const double y2 = std::min(std::max(scale.y(entry.offset + entry.size), y1 + 6), bottom);
        const double room = (i + 1 < shown.size() ? std::max(scale.y(shown[i + 1]->offset), books_top) : bottom) - y1;
        const bool landed = hit && *hit >= entry.offset && *hit < entry.offset + entry.size;
        pugi::xml_node box = svg.rect(x + 8, y1, book_width - 16, y2 - y1, landed ? "entry-hit" : "entry", entries);
        box.append_child("title").text() = (entry.name + " at " + hex_address(entry.offset) + ", " + std::to_string(entry.size) + " bytes").c_str();
        if (room < 20) continue;
        const double baseline = y2 - y1 >= 20 ? y1 + 17 : std::min(y2 + 17, bottom - 3);
        svg.text(x + 16, baseline, entry.name, "mono", "start", entries);
        svg.text(x + book_width - 16, baseline, hex_address(entry.offset), "small", "end", entries);
    }
}

void draw_slots(Svg& svg, const TocFigure& figure, const Scale& scale)
{
    svg.text(slot_x + slot_width / 2, books_top - 14, figure.host + "'s GOT", "title", "middle");
    const double step = book_height / std::max<size_t>(figure.slots.size(), 1);
    for (size_t i = 0; i < figure.slots.size(); ++i) {
        const TocSlot& slot = figure.slots[i];
        const double y = books_top + step * static_cast<double>(i) + 4, height = std::min(step - 8, 40.0);
        const bool stale = figure.stale && figure.stale->chapter == slot.chapter;
        svg.rect(slot_x, y, slot_width, height, stale ? "slot-stale" : "slot");
        svg.text(slot_x + 10, y + height / 2 + 6, "chapter " + std::to_string(slot.chapter) + (slot.resolved ? " → " + hex_address(slot.offset) : ": not yet"),
                 "small");
        if (slot.resolved) svg.arrow(slot_x + slot_width, y + height / 2, loaded_x + 8, scale.y(slot.offset), "ok");
        if (stale) svg.arrow(slot_x + slot_width, y + height / 2, on_disk_x + 8, scale.y(figure.stale->offset), "bad");
    }
}

}  // namespace

Svg table_of_contents(const TocFigure& figure)
{
    const double height = books_top + book_height + (figure.stale ? 96 : 40);
    std::string title = figure.host + "'s table of contents (GOT) and the two versions of libfoo.so, to scale by file offset";
    if (figure.stale) title += "; chapter " + std::to_string(figure.stale->chapter) + " landed in " + figure.stale->landed;
    Svg svg(page_width, height, title, "table-of-contents");
    svg.text(page_width / 2, 30, "The table of contents still points into the book " + figure.host + " loaded", "title", "middle");
    const Scale scale = scale_of(figure);
    draw_book(svg, figure.loaded, loaded_x, scale, std::nullopt);
    draw_book(svg, figure.on_disk, on_disk_x, scale, figure.stale ? std::optional(figure.stale->offset) : std::nullopt);
    draw_slots(svg, figure, scale);
    if (figure.stale) {
        const double y = books_top + book_height + 36;
        pugi::xml_node landing = svg.text(on_disk_x + book_width, y, "chapter " + std::to_string(figure.stale->chapter) + " landed in ", "bad-text landing", "end");
        pugi::xml_node place = landing.append_child("tspan");
        place.append_attribute("class") = "mono";
        place.text() = figure.stale->landed.c_str();
        svg.text(on_disk_x + book_width, y + 30, figure.stale->outcome, "small", "end");
    }
    return svg;
}

}  // namespace lab::figures
