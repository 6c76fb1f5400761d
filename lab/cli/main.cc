// lab — the scenario runner's command line.
//
//   lab run FILE [--out PATH] [--keep] [--quiet] [--stop-after-step N] [--size SIZE]
//                [--libc glibc|musl] [--step] [--junit FILE]
//   lab list [DIR]          the scenarios in DIR (./scenarios, else the source tree's)
//   lab check [FILE...]     parse and check scenario files without running them
//   lab scan [--pid PID]... [--json | --batch]  the running processes whose libraries were replaced
//                               or overwritten in place since they mapped them (exit 1 when any)
//   lab compare A B...      result files side by side: environments, then what differs (exit 1
//                               when verdicts or outcomes differ)
//   lab claims [--ledger FILE] [--out PATH]  run the scenarios that test the seed's claims, print
//                               the ledger, write results/claims.json (and each scenario's result
//                               beside it)
//   lab survey [--updater NAME=COMMAND]... [--out PATH]  replace libfoo.so with each real updater
//                               (and yours), print the table, write results/survey.json
//   lab matrix [--fs NAME]... [--narrate] [--stop-on NAME] [--out PATH]  (root) the scenarios on
//                               ext4, xfs, btrfs, tmpfs, overlayfs, squashfs and erofs made for the
//                               purpose; print the table, write results/matrix.json
//   lab libcs [--out PATH]  every scenario with glibc's hosts and musl's; print the table, write
//                               results/libcs.json (and each run under results/libcs/LIBC/)
//   lab kernels [--kernel running|PACKAGE|PATH]... [--scenario NAME]... [--out PATH]  the scenarios
//                               under other kernels in QEMU guests, beside the running kernel;
//                               print the table, write results/kernels.json (each run under
//                               results/kernels/RELEASE/)
//   lab report RESULT... [--out DIR] [--format html|md]  pages with pictures from result files
//                               (results/report/)
//
// claims, survey, matrix, libcs and kernels are run by lab-campaigns, report by lab-report, beside lab
// (lab_main.h).
//
// Exit codes: 0 PASS or CONF (and a clean check); 1 FAIL or BROK, or a result that could not be
// written at the end; 2 bad input or usage (one line on stderr, before anything runs). SIGINT,
// SIGTERM and SIGHUP remove what the run made and end it by the same signal (leftovers.h).
#include "cli/lab_main.h"

int main(int argc, char** argv) { return cli::lab_main(argc, argv, "lab", cli::lab_commands); }
