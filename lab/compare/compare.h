// compare.h — lab compare A.json B.json...: the environments side by side, then only what differs,
// each difference named by its case and field (facts.h says what is compared). Exit code: 0 when
// the verdicts and outcomes agree, 1 when they differ (a case one file has and another lacks
// differs too), 2 for a file that cannot be read (commands.h).
#pragma once

#include <string>
#include <vector>

#include "compare/facts.h"

namespace lab {

struct Comparison {
    std::vector<ResultFacts> files;
    struct Difference {
        std::string case_name, field;
        std::vector<std::string> values;  // one per file; "(no such case)" where a file lacks it
        bool decisive = true;
    };
    std::vector<Difference> differences;
    size_t cases_compared = 0, fields_compared = 0;
    bool verdicts_differ() const;
};

Comparison compare_results(std::vector<ResultFacts> files);

// What lab compare prints: a column per file, the environments, then the differences.
std::string comparison_text(const Comparison& comparison);

}  // namespace lab
