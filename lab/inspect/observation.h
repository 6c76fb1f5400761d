// observation.h — what an "observe" step records of a host, and the page-sharing summary that
// compares process1's pages with process2's.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inspect/maps.h"
#include "inspect/pages.h"

namespace lab {

struct ObserveRequest {
    pid_t pid = 0;
    std::vector<MapsLine> lines;    // the host's libfoo mapping now
    std::vector<Segment> segments;  // of the variant it loaded
    std::vector<std::string> what;  // "pages", "smaps", "faults", "page_cache"
    std::string library;            // the file whose page cache residency to report
};

// The observation as JSON (results/README.md), and a sentence or two for the transcript.
nlohmann::ordered_json observe(const ObserveRequest& request, std::string* sentence);

// Compares the pages two observations share by address relative to the load base:
// {frames_visible, readonly_pages_compared, readonly_pages_same_frame, writable_pages_compared,
//  writable_pages_same_frame, reason?}. Only pages present in both are compared.
nlohmann::ordered_json sharing_summary(const nlohmann::ordered_json& first, const nlohmann::ordered_json& second);

}  // namespace lab
