// matrix.cc — the matrix's run: a scratch tmpfs in a private mount namespace, each file system
// made, seeded, used by every scenario and undone; the cells, the notes and the table.
#include "campaigns/matrix/matrix.h"

#include <limits.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "base/files.h"
#include "system/child.h"
#include "probe/environment.h"
#include "system/leftovers.h"
#include "campaigns/matrix/matrix_setup.h"
#include "campaigns/matrix/mounts.h"
#include "engine/run.h"
#include "result/result_json.h"
#include "system/sandbox.h"
#include "base/text.h"
#include "report/transcript.h"
#include "update/update.h"

namespace lab {

namespace {

// ---- the scratch tmpfs every image, layer and mount point lives on ------------------------------

// Created before its tmpfs is mounted on it, so its lock and owner mark are on the directory that
// stays visible outside the matrix's mount namespace (leftovers.h). On an interrupt the handler
// detaches the tmpfs (every mount below goes with it) and removes the directory.
class Scratch {
public:
    Scratch() : owned_("libfoo-lab-matrix")
    {
        mount_ = std::make_unique<Mount>("tmpfs", owned_.path(), "tmpfs", MS_NOSUID | MS_NODEV, "size=2g,mode=0700");
        owned_.set_mounted(true);
    }
    ~Scratch()
    {
        mount_.reset();
        owned_.set_mounted(false);
    }
    const std::string& dir() const { return owned_.path(); }

private:
    OwnedDirectory owned_;
    std::unique_ptr<Mount> mount_;
};

// ---- one row -------------------------------------------------------------------------------------

std::string tool_version(const MatrixFileSystem& filesystem, const std::string& tool)
{
    if (tool.empty()) return "";
    std::string flag = filesystem.name == "btrfs" ? "--version" : filesystem.name == "squashfs" ? "-version" : "-V";
    CommandResult result = run_command({tool, flag}, "", std::chrono::seconds(10));
    std::string text = result.out.empty() ? result.err : result.out;  // mke2fs and mkfs.erofs print it on stderr
    return text.substr(0, text.find('\n'));
}

MatrixRow row_of(const MatrixFileSystem& filesystem, const std::vector<Scenario>& scenarios, Outcome status,
                 const std::string& reason)
{
    MatrixRow row;
    row.filesystem = filesystem;
    MatrixCell cell;
    cell.status = status;
    cell.reason = reason;
    for (const auto& scenario : scenarios) row.cells[scenario.name] = cell;
    return row;
}

MatrixCell cell_of(const ScenarioResult& result)
{
    const RunRecord& run = result.first();
    MatrixCell cell;
    cell.status = result.outcome;
    cell.reason = result.reason;
    cell.result = to_json(result);
    cell.filesystem = run.environment.filesystem;
    if (const HostRecord* process1 = run.host("process1")) {
        cell.process1_verdict = process1->verdict;
        cell.process1_mapping_matches_file = process1->mapping_matches_file;
    }
    if (run.update) {
        cell.same_file = run.update->same_file;
        cell.errno_name = run.update->errno_name;
    }
    cell.etxtbsy = run.etxtbsy;
    if (run.etxtbsy)
        for (const auto& [what, probe] : *run.etxtbsy)
            if (what == "library" && (!probe.available || probe.errno_name))
                cell.errno_name = probe.available ? *probe.errno_name : "not available";
    return cell;
}

std::optional<ino_t> inode_of(const std::string& path)
{
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return st.st_ino;
}

// Surprises, each explained from what was observed in this row.
void add_notes(MatrixRow& row, const PreparedFileSystem& prepared)
{
    for (const auto& [name, cell] : row.cells) {
        // Found in the upper layer although the path kept its identity: a copy-up, not a new file.
        bool copied_up = cell.in_upper_layer.value_or(false) && (cell.same_file.value_or(false) || name == "etxtbsy");
        if (copied_up) {
            std::string lower = prepared.lower + "/" + name + "/libfoo.so", upper = prepared.upper + "/" + name + "/libfoo.so";
            std::string inodes = " (upper inode " + std::to_string(inode_of(upper).value_or(0)) + ", lower inode " +
                                 std::to_string(inode_of(lower).value_or(0)) + ")";
            if (name == "etxtbsy")
                row.notes.push_back(name + ": merely opening libfoo.so for writing, with nothing written, copied it up into the upper layer" + inodes + ".");
            else if (cell.process1_verdict == Verdict::kept_old)
                row.notes.push_back(name + ": stat says the path is the same file as before (st_dev, st_ino unchanged), yet process1 kept the old version: the write went to a copy-up, a new inode in the upper layer" +
                                    inodes + ", while process1 still maps the lower file; overlayfs reports the lower inode number for the copy.");
        }
        if (exit_code(cell.status) != 0) row.notes.push_back(name + ": " + std::string(to_string(cell.status)) + ": " + cell.reason);
    }
    std::vector<std::string> refused;
    for (const auto& [name, cell] : row.cells)
        if (cell.errno_name == "EROFS" && name != "etxtbsy") refused.push_back(name);
    if (!refused.empty())
        row.notes.push_back("read-only: every update (" + join(refused, ", ") +
                            ") was refused with EROFS before anything changed, so process1 kept v1 (and a process2 started afterwards loaded v1).");
}

// What every run needs on a file system: the hosts (so the ETXTBSY probe's executable is there
// too), and for each scenario a directory holding what it starts from.
Seeder seeder(const std::vector<Scenario>& scenarios, const Catalogue& catalogue, const Paths& paths)
{
    return [&scenarios, &catalogue, &paths](const std::string& into) {
        std::filesystem::create_directory(into + "/bin");
        for (const char* host : {"process1", "process2", "process2-dlopen"})
            copy_file(paths.host(host), into + "/bin/" + host, 0755);
        for (const auto& scenario : scenarios) {
            std::filesystem::create_directory(into + "/" + scenario.name);
            install_library(into + "/" + scenario.name, scenario, catalogue, 0);
        }
    };
}

// One scenario run in its directory on the prepared file system, told when asked to.
MatrixCell run_cell(const MatrixFileSystem& filesystem, const Scenario& scenario, const Catalogue& catalogue,
                    const Paths& here, RunOptions options, const MatrixOptions& matrix_options)
{
    std::unique_ptr<Transcript> transcript;
    if (matrix_options.narrate) {
        transcript = std::make_unique<Transcript>(matrix_options.narrate);
        options.narrator = transcript.get();
        std::fprintf(matrix_options.narrate, "\n#### %s (%s)\n", filesystem.name.c_str(), filesystem.description.c_str());
        transcript->header(scenario);
    }
    ScenarioResult result = run_scenario(scenario, catalogue, here, options);
    if (transcript) transcript->summary(result, "");
    MatrixCell cell = cell_of(result);
    if (filesystem.name == "overlay-lower")  // after the whole run: the etxtbsy probe can copy up too
        cell.in_upper_layer = overlay_layer(options.sandbox_dir + "/libfoo.so") == "upper";
    return cell;
}

MatrixRow run_row(const MatrixFileSystem& filesystem, const std::vector<Scenario>& scenarios, const Catalogue& catalogue,
                  const Paths& paths, const std::string& scratch, const MatrixOptions& matrix_options)
{
    std::string tool;
    if (!filesystem.tool.empty()) {
        auto found = find_program(filesystem.tool);
        if (!found) return row_of(filesystem, scenarios, Outcome::CONF, filesystem.tool + " is not installed (make -f Makefile.demo deps)");
        tool = *found;
    }
    const std::string dir = scratch + "/" + filesystem.name;
    std::filesystem::create_directory(dir);
    std::unique_ptr<PreparedFileSystem> prepared;
    try {
        prepared = prepare_filesystem(filesystem, tool, dir, seeder(scenarios, catalogue, paths));
    } catch (const Unsupported& error) {
        std::filesystem::remove_all(dir);
        return row_of(filesystem, scenarios, Outcome::CONF, error.what());
    } catch (const std::runtime_error& error) {  // std::system_error too: something that must work broke
        std::filesystem::remove_all(dir);
        return row_of(filesystem, scenarios, Outcome::BROK, error.what());
    }
    MatrixRow row;
    row.filesystem = filesystem;
    row.tool_version = tool_version(filesystem, tool);
    const Paths here{prepared->root + "/bin", paths.libfoo_dir};
    for (const auto& scenario : scenarios) {
        RunOptions options;
        options.sandbox_dir = prepared->root + "/" + scenario.name;
        options.before_step = matrix_options.before_step;
        if (filesystem.name == matrix_options.stop_on && &scenario == &scenarios.front())
            options.stop_after_step = 0;  // process1 started
        row.cells[scenario.name] = run_cell(filesystem, scenario, catalogue, here, options, matrix_options);
    }
    add_notes(row, *prepared);
    prepared.reset();  // unmounted before its files go
    std::filesystem::remove_all(dir);
    return row;
}

}  // namespace

MatrixResult run_matrix(const std::vector<Scenario>& scenarios, const Catalogue& catalogue, const Paths& paths,
                        const MatrixOptions& options)
{
    MatrixResult result;
    for (const auto& scenario : scenarios) result.scenarios.push_back(scenario.name);
    std::string why_not;
    if (geteuid() != 0) why_not = "needs root to mount file systems (running as uid " + std::to_string(geteuid()) + ")";
    else why_not = enter_private_mount_namespace();
    std::unique_ptr<Scratch> scratch;
    if (why_not.empty()) {
        try {
            scratch = std::make_unique<Scratch>();
        } catch (const std::exception& error) {
            why_not = std::string("cannot make the matrix's scratch tmpfs: ") + error.what();
        }
    }
    for (const auto& filesystem : options.filesystems) {
        MatrixRow row = why_not.empty()
                            ? run_row(filesystem, scenarios, catalogue, paths, scratch->dir(), options)
                            : row_of(filesystem, scenarios, Outcome::CONF, why_not);
        if (options.on_row) options.on_row(row);
        result.rows.push_back(std::move(row));
    }
    if (scratch) result.left_behind = loop_devices_under(scratch->dir());
    return result;
}

}  // namespace lab
