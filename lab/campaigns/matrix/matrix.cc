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
#include "base/json_values.h"
#include "system/leftovers.h"
#include "campaigns/matrix/matrix_setup.h"
#include "campaigns/matrix/mounts.h"
#include "engine/run.h"
#include "system/sandbox.h"
#include "base/text.h"
#include "report/transcript.h"
#include "update/update.h"

namespace lab {

nlohmann::ordered_json MatrixCell::to_json() const
{
    nlohmann::ordered_json json = {{"status", status},
                                   {"process1_verdict", or_null(process1_verdict)},
                                   {"filesystem", or_null(filesystem)},
                                   {"same_file", or_null(same_file)}};
    if (errno_name) json["errno"] = *errno_name;
    if (in_upper_layer) json["in_upper_layer"] = *in_upper_layer;
    if (process1_mapping_matches_file) json["process1_mapping_matches_file"] = *process1_mapping_matches_file;
    if (!etxtbsy.is_null()) json["etxtbsy"] = etxtbsy;
    if (status != "PASS") json["reason"] = reason;
    return json;
}

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

MatrixRow row_of(const MatrixFileSystem& filesystem, const std::vector<Scenario>& scenarios, const std::string& status,
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

MatrixCell cell_of(const RunResult& result)
{
    MatrixCell cell;
    const auto& json = result.json;
    cell.status = to_string(result.outcome);
    cell.reason = result.reason;
    cell.result = json;
    cell.filesystem = json["environment"].value("filesystem", "");
    const auto& process1 = json["hosts"].value("process1", nlohmann::ordered_json());
    if (process1.is_object() && process1["verdict"].is_string()) cell.process1_verdict = process1["verdict"];
    if (process1.is_object() && process1["mapping_matches_file"].is_boolean())
        cell.process1_mapping_matches_file = process1["mapping_matches_file"].get<bool>();
    const auto& update = json["update"];
    if (update.is_object()) {
        if (update["same_file"].is_boolean()) cell.same_file = update["same_file"].get<bool>();
        if (update["errno"].is_string()) cell.errno_name = update["errno"].get<std::string>();
    }
    if (json["etxtbsy"].is_object()) {
        cell.etxtbsy = nlohmann::ordered_json::object();
        for (const auto& [what, probe] : json["etxtbsy"].items())
            cell.etxtbsy[what] = probe["available"].get<bool>() ? probe["errno"] : nlohmann::ordered_json("not available");
        if (cell.etxtbsy["library"].is_string()) cell.errno_name = cell.etxtbsy["library"].get<std::string>();
    }
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
            else if (cell.process1_verdict == "kept-old")
                row.notes.push_back(name + ": stat says the path is the same file as before (st_dev, st_ino unchanged), yet process1 kept the old version: the write went to a copy-up, a new inode in the upper layer" +
                                    inodes + ", while process1 still maps the lower file; overlayfs reports the lower inode number for the copy.");
        }
        if (cell.status == "FAIL" || cell.status == "BROK") row.notes.push_back(name + ": " + cell.status + ": " + cell.reason);
    }
    std::vector<std::string> refused;
    for (const auto& [name, cell] : row.cells)
        if (cell.errno_name == "EROFS" && name != "etxtbsy") refused.push_back(name);
    if (!refused.empty())
        row.notes.push_back("read-only: every update (" + join(refused, ", ") +
                            ") was refused with EROFS before anything changed, so process1 kept v1 (and a process2 started afterwards loaded v1).");
}

MatrixRow run_row(const MatrixFileSystem& filesystem, const std::vector<Scenario>& scenarios, const Catalogue& catalogue,
                  const Paths& paths, const std::string& scratch, const MatrixOptions& matrix_options)
{
    const bool stop_there = filesystem.name == matrix_options.stop_on;
    std::string tool;
    if (!filesystem.tool.empty()) {
        auto found = find_program(filesystem.tool);
        if (!found) return row_of(filesystem, scenarios, "CONF", filesystem.tool + " is not installed (make -f Makefile.demo deps)");
        tool = *found;
    }
    const std::string dir = scratch + "/" + filesystem.name;
    std::filesystem::create_directory(dir);
    // What every run needs on this file system: the hosts (so the ETXTBSY probe's executable is
    // here too), and for each scenario a directory holding what it starts from.
    Seeder seed = [&](const std::string& into) {
        std::filesystem::create_directory(into + "/bin");
        for (const char* host : {"process1", "process2", "process2-dlopen"})
            copy_file(paths.host(host), into + "/bin/" + host, 0755);
        for (const auto& scenario : scenarios) {
            std::filesystem::create_directory(into + "/" + scenario.name);
            install_library(into + "/" + scenario.name, scenario, catalogue, 0);
        }
    };
    std::unique_ptr<PreparedFileSystem> prepared;
    try {
        prepared = prepare_filesystem(filesystem, tool, dir, seed);
    } catch (const Unsupported& error) {
        std::filesystem::remove_all(dir);
        return row_of(filesystem, scenarios, "CONF", error.what());
    } catch (const std::runtime_error& error) {  // std::system_error too: something that must work broke
        std::filesystem::remove_all(dir);
        return row_of(filesystem, scenarios, "BROK", error.what());
    }
    MatrixRow row;
    row.filesystem = filesystem;
    row.tool_version = tool_version(filesystem, tool);
    Paths here{prepared->root + "/bin", paths.libfoo_dir};
    for (const auto& scenario : scenarios) {
        RunOptions options;
        options.sandbox_dir = prepared->root + "/" + scenario.name;
        if (stop_there && &scenario == &scenarios.front()) options.stop_after_step = 0;  // process1 started
        std::unique_ptr<Transcript> transcript;
        if (matrix_options.narrate) {
            transcript = std::make_unique<Transcript>(matrix_options.narrate);
            options.narrator = transcript.get();
            std::fprintf(matrix_options.narrate, "\n#### %s (%s)\n", filesystem.name.c_str(), filesystem.description.c_str());
            transcript->header(scenario);
        }
        RunResult result = run_scenario(scenario, catalogue, here, options);
        if (transcript) transcript->summary(result.json, "");
        MatrixCell cell = cell_of(result);
        if (filesystem.name == "overlay-lower")  // after the whole run: the etxtbsy probe can copy up too
            cell.in_upper_layer = overlay_layer(options.sandbox_dir + "/libfoo.so") == "upper";
        row.cells[scenario.name] = cell;
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
                            : row_of(filesystem, scenarios, "CONF", why_not);
        if (options.on_row) options.on_row(row);
        result.rows.push_back(std::move(row));
    }
    if (scratch) result.left_behind = loop_devices_under(scratch->dir());
    return result;
}

}  // namespace lab
