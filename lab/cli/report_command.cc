// report_command.cc — lab-report: `lab report RESULT... [--out DIR] [--format html|md]`, reached through `lab`
// (lab_main.h). Pages with pictures, drawn from result files (pages/report.h).
#include <cstdio>

#include "cli/lab_main.h"
#include "pages/report.h"

namespace {

int report(const cli::Arguments& a)
{
    const std::string out = a.report_out.empty() ? "results/report" : a.report_out;
    const auto format = a.report_format == "md" ? lab::ReportFormat::markdown : lab::ReportFormat::html;
    const std::vector<std::string> written = lab::write_report(a.report_files, out, format);
    for (const auto& page : written) std::printf("%s\n", page.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return cli::lab_main(argc, argv, "lab-report", report); }
