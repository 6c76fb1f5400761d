// matrix.h — lab matrix: the same scenarios on file systems made for the purpose, side by side.
//
// The seed says Linux refuses the in-place write "for some file systems, but not all". The matrix
// runs inplace, rm-then-build, same-layout and etxtbsy on ext4, xfs and btrfs (loop-mounted
// image files), tmpfs, overlayfs (libfoo.so in the lower layer, and created in the merged view)
// and read-only squashfs and erofs images. Each file system is made fresh inside the matrix's
// own tmpfs, in a private mount namespace (mounts.h), with the hosts' executables and each
// scenario's libfoo.so on it; each scenario's expectations say, by their "filesystem" and "layer"
// conditions, what to observe there. Needs root; otherwise every cell is CONF with the reason.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/catalogue.h"
#include "system/paths.h"
#include "campaigns/matrix/matrix_filesystems.h"
#include "engine/run.h"
#include "result/run_record.h"
#include "scenario/scenario.h"

namespace lab {

// One scenario on one file system.
struct MatrixCell {
    Outcome status = Outcome::CONF;  // the scenario's outcome there
    std::string reason;
    std::optional<Verdict> process1_verdict;
    std::string filesystem;         // the sandbox's type as mountinfo says ("overlay")
    std::optional<bool> same_file;  // by (st_dev, st_ino) of a held descriptor
    std::optional<std::string> errno_name;  // the update's refusal; for etxtbsy, the library probe's
    // overlay-lower: whether the upper layer holds libfoo.so after the run (a copy-up, or a new
    // file created there)
    std::optional<bool> in_upper_layer;
    // overlayfs: whether process1's first mapped page held the file's bytes after the update
    std::optional<bool> process1_mapping_matches_file;
    std::optional<WriteProbes> etxtbsy;  // the probes, for the etxtbsy scenario
    nlohmann::ordered_json result = nullptr;  // the run's whole result (for the claims ledger;
                                              // not written to matrix.json)
    nlohmann::ordered_json to_json() const;
};

struct MatrixRow {
    MatrixFileSystem filesystem;
    std::string tool_version;   // first line the tool printed of its version
    std::map<std::string, MatrixCell> cells;  // by scenario name
    std::vector<std::string> notes;           // surprises, explained from what was observed
};

struct MatrixResult {
    std::vector<std::string> scenarios;  // in the order run
    std::vector<MatrixRow> rows;
    std::string left_behind;  // loop devices still attached to the matrix's images: must be ""
    nlohmann::ordered_json to_json() const;  // results/matrix.json (results/README.md)
    // The seed's "Linux does that for some file systems, but not all", answered from the etxtbsy
    // cells: the file systems by what open(O_WRONLY) of the mapped libfoo.so gave ("opened",
    // "EROFS", "ETXTBSY"...).
    std::map<std::string, std::vector<std::string>> library_write_open() const;
};

struct MatrixOptions {
    std::vector<MatrixFileSystem> filesystems = matrix_filesystems();
    // On this file system, the first scenario's runner stops itself (SIGSTOP) once process1 runs
    // from it: mounts, loop device and a host are all in place, for a test to kill it there.
    std::string stop_on;
    std::function<void(const MatrixRow&)> on_row;  // called as each row completes
    std::FILE* narrate = nullptr;  // when set, every run's transcript is written there
    // Called before each step of every run, as RunOptions::before_step (a test looks at the hosts).
    std::function<bool(const StepPause& pause)> before_step;
};

// Runs `scenarios` on each file system. Enters a private mount namespace for the rest of the
// process's life.
MatrixResult run_matrix(const std::vector<Scenario>& scenarios, const Catalogue& catalogue, const Paths& paths,
                        const MatrixOptions& options);

// The table, as lab matrix prints it: a header, then one line per row.
std::string matrix_header(const std::vector<Scenario>& scenarios);
std::string matrix_line(const MatrixRow& row, const std::vector<Scenario>& scenarios);
// What goes under the table: what opening the mapped libfoo.so for writing gave on each file
// system, the rows' notes, and anything left behind.
std::string matrix_notes(const MatrixResult& result);
// Whether a cell failed or broke, or something was left behind.
bool matrix_failed(const MatrixResult& result);

}  // namespace lab
