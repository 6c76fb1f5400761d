// run_figures.cc — which figures a run has, and what their captions say.
#include "pages/run_figures.h"

namespace lab {

std::vector<RunFigure> run_figures(const RunView& run)
{
    std::vector<RunFigure> list;
    if (run.mappings)
        list.push_back({"mappings",
                        "One file, the processes: each host's libfoo mappings at the end of the run, the file on disk each one maps, "
                        "and, where frames were visible, which pages share a physical frame.",
                        figures::mappings(*run.mappings)});
    if (run.table_of_contents)
        list.push_back({"table-of-contents",
                        "The table of contents: " + run.table_of_contents->host +
                            "'s GOT slots as recorded before the update, and the two versions' functions by file offset, to scale." +
                            (run.table_of_contents->stale ? " The dashed arrow is the call that went through a stale slot." : ""),
                        figures::table_of_contents(*run.table_of_contents)});
    if (run.demand_paging)
        list.push_back({"demand-paging",
                        "Demand paging: at each observation, the file's pages in the page cache and the pages mapped in the process, "
                        "one cell per page.",
                        figures::demand_paging(*run.demand_paging)});
    list.push_back({"timeline",
                    "The timeline: each call a mark (filled: the old version answered; hollow: the new; square: a wrong answer or none), "
                    "the update a dashed line, and how each host ended.",
                    figures::timeline(run.timeline)});
    return list;
}

}  // namespace lab
