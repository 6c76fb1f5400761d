// junit.h — results as JUnit XML, the format CI systems read (Jenkins, GitLab, GitHub's test
// reporters): one <testsuite> whose <testcase>s are scenarios (per binding, file system,
// updater, claim case). FAIL and BROK are <failure>s, CONF is <skipped>, each with the reason.
// Written with pugixml: well-formed and escaped whatever a reason holds.
#pragma once

#include <string>
#include <vector>

#include "base/words.h"

namespace lab {

struct JunitCase {
    std::string classname;  // "lab.run", "lab.matrix.xfs"
    std::string name;       // "inplace", "inplace [lazy]"
    Outcome outcome = Outcome::BROK;
    std::string reason;
    double seconds = 0;
};

std::string junit_xml(const std::string& suite, const std::vector<JunitCase>& cases);
// Written atomically (result_file.h); throws std::system_error naming `path` when it cannot be.
void write_junit(const std::string& path, const std::string& suite, const std::vector<JunitCase>& cases);

}  // namespace lab
