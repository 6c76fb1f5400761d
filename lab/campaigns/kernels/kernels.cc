// kernels.cc — each kernel's column: natively for the running one, in a guest for the others.
#include "campaigns/kernels/kernels.h"

#include <unistd.h>

#include <filesystem>
#include <memory>

#include "base/text.h"
#include "campaigns/kernels/guest.h"
#include "campaigns/kernels/guest_disk.h"
#include "campaigns/kernels/initramfs.h"
#include "engine/run.h"
#include "result/result_json.h"
#include "system/child.h"
#include "system/leftovers.h"

namespace lab {

namespace {

constexpr size_t name_width = 17, cell_width = 36;
// A KVM guest that works prints its first line within a second; this one printed nothing in 5.
constexpr std::chrono::seconds kvm_first_output{5};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

KernelCell cell_of(const nlohmann::ordered_json& result)
{
    KernelCell cell;
    cell.result = result;
    cell.status = from_string<Outcome>(result.value("outcome", std::string())).value_or(Outcome::BROK);
    cell.reason = result.value("reason", std::string());
    cell.facts = merged_facts(result);
    return cell;
}

void run_natively(KernelColumn* column, const std::vector<Scenario>& scenarios, const Catalogue& catalogue, const Paths& paths,
                  const KernelsOptions& options)
{
    const auto start = Clock::now();
    column->how = "native";
    column->release = column->image.release;
    for (const auto& scenario : scenarios) {
        if (options.on_step) options.on_step(column->release + " (native): " + scenario.name);
        column->cells[scenario.name] = cell_of(to_json(run_scenario(scenario, catalogue, paths, RunOptions{})));
    }
    column->seconds = seconds_since(start);
}

// What is shared by every guest of a run: the disk, the scratch directory, and how QEMU runs.
struct Guests {
    std::unique_ptr<OwnedDirectory> scratch;
    GuestDisk disk;
    std::string unavailable;  // why no guest can run here at all
    std::string accel;        // "" until the first guest has shown whether KVM works
    std::string accel_note;
};

void prepare_guests(Guests* guests, const std::vector<Scenario>& scenarios, const Paths& paths, const KernelsOptions& options)
{
    if (!find_program("qemu-system-x86_64")) {
        guests->unavailable = "qemu-system-x86_64 is not installed (Debian package qemu-system-x86)";
        return;
    }
    if (access(options.guest_init.c_str(), X_OK) != 0) {
        guests->unavailable = "the guest's init " + options.guest_init + " was not built (it needs a static libc: libc6-dev)";
        return;
    }
    guests->scratch = std::make_unique<OwnedDirectory>("libfoo-lab-kernels");
    std::vector<GuestScenario> plan;
    for (const auto& scenario : scenarios) plan.push_back({scenario.name, std::filesystem::absolute(scenario.file).string()});
    if (options.on_step) options.on_step("tracing the scenarios natively, for the guest's disk");
    guests->disk = make_guest_disk(paths.bin_dir + "/lab", plan, guests->scratch->path());
    if (!guests->disk.error.empty()) guests->unavailable = "no disk for the guests: " + guests->disk.error;
    const std::string kvm = kvm_unusable();
    if (!kvm.empty()) {
        guests->accel = "tcg";
        guests->accel_note = "tcg (software emulation; KVM: " + kvm + ")";
    }
}

// The guest's initramfs: its init, and the modules the kernel needs for its disk, in the order
// the init loads them (modules/order). "" or why not.
std::string make_initramfs(const KernelImage& image, const std::string& guest_init, const std::string& path)
{
    std::string problem;
    std::vector<std::string> modules = guest_modules(image.modules_dir, &problem);
    std::vector<ArchiveFile> files = {{"init", guest_init, "", 0755}};
    std::string order;
    for (const auto& module : modules) {
        const std::string name = std::filesystem::path(module).filename().string();
        files.push_back({"modules/" + name, image.modules_dir + "/" + module, "", 0644});
        order += name + "\n";
    }
    files.push_back({"modules/order", "", order, 0644});
    return problem.empty() ? write_newc(path, files) : problem;
}

void take_cells(KernelColumn* column, const std::vector<Scenario>& scenarios, const GuestOutcome& outcome);

// Boots the kernel in a guest (under KVM first, where it may work) and takes its cells.
void run_in_guest(KernelColumn* column, const std::vector<Scenario>& scenarios, Guests* guests, const KernelsOptions& options)
{
    const auto start = Clock::now();
    column->release = column->image.release;
    const std::string initramfs = guests->scratch->path() + "/initramfs-" + column->image.release;
    std::string problem = make_initramfs(column->image, options.guest_init, initramfs);
    GuestOutcome outcome;
    if (problem.empty()) {
        GuestBoot boot;
        boot.vmlinuz = column->image.vmlinuz;
        boot.initramfs = initramfs;
        boot.disk = guests->disk.image;
        boot.accel = guests->accel.empty() ? "kvm" : guests->accel;
        boot.results_file = guests->scratch->path() + "/results-" + column->image.release;
        boot.scratch = guests->scratch->path();
        if (guests->accel.empty()) boot.first_output_within = kvm_first_output;
        std::string current = "booting";
        size_t started = 0;
        boot.on_event = [&](const std::string& event) {
            if (event.rfind("start ", 0) == 0)
                current = event.substr(6) + " (" + std::to_string(++started) + "/" + std::to_string(scenarios.size()) + ")";
            if (options.on_step) options.on_step(column->image.release + " (qemu " + boot.accel + "): " + current);
        };
        if (options.on_step) options.on_step(column->image.release + " (qemu " + boot.accel + "): booting");
        outcome = boot_guest(boot);
        if (outcome.stalled) {
            guests->accel = "tcg";
            guests->accel_note = "tcg (software emulation; KVM: /dev/kvm opens, but " + outcome.error + ")";
            boot.accel = "tcg";
            boot.first_output_within = std::chrono::seconds(0);
            outcome = boot_guest(boot);
        } else if (guests->accel.empty()) {
            guests->accel = boot.accel;
            guests->accel_note = boot.accel == "kvm" ? "kvm" : "tcg";
        }
        column->how = "qemu " + boot.accel;
        problem = outcome.error;
        if (!outcome.release.empty()) column->release = outcome.release;
        column->console = outcome.console;
    }
    column->problem = problem;
    take_cells(column, scenarios, outcome);
    column->seconds = seconds_since(start);
}

// Each scenario's cell from the result file the guest sent back; BROK, with why, where none came.
void take_cells(KernelColumn* column, const std::vector<Scenario>& scenarios, const GuestOutcome& outcome)
{
    const std::string& problem = column->problem;
    for (const auto& scenario : scenarios) {
        auto sent = outcome.files.find(scenario.name + ".json");
        nlohmann::ordered_json result;
        if (sent != outcome.files.end()) result = nlohmann::ordered_json::parse(sent->second, nullptr, false);
        if (sent != outcome.files.end() && result.is_object()) {
            column->cells[scenario.name] = cell_of(result);
            continue;
        }
        KernelCell& cell = column->cells[scenario.name];
        cell.status = Outcome::BROK;
        cell.reason = sent != outcome.files.end() ? "the guest's result is not JSON" : problem.empty() ? "the guest sent no result" : problem;
    }
}

void not_available(KernelColumn* column, const std::vector<Scenario>& scenarios, const std::string& why)
{
    column->problem = "not available: " + why;
    column->release = column->image.release.empty() ? column->image.given : column->image.release;
    for (const auto& scenario : scenarios) column->cells[scenario.name] = {Outcome::CONF, column->problem, {}, nullptr};
}

// result[key], or null where the result has no such object (a result's "update" may be null).
const nlohmann::ordered_json& member(const nlohmann::ordered_json& object, const char* key)
{
    static const nlohmann::ordered_json none;
    return object.is_object() && object.contains(key) ? object[key] : none;
}

std::string cell_text(const KernelCell& cell) { return cell_summary(std::string(to_string(cell.status)), cell.facts); }

}  // namespace

const std::vector<std::string>& core_kernel_scenarios()
{
    static const std::vector<std::string> names = {"inplace", "rm-then-build", "relink", "same-layout", "demand-paging",
                                                   "shrink", "etxtbsy", "dlopen-cache", "notices-at-exit"};
    return names;
}

KernelsResult run_kernels(const std::vector<Scenario>& scenarios, const Catalogue& catalogue, const Paths& paths,
                          const KernelsOptions& options)
{
    const auto start = Clock::now();
    KernelsResult result;
    for (const auto& scenario : scenarios) result.scenarios.push_back(scenario.name);
    Guests guests;
    for (const auto& given : options.kernels.empty() ? default_kernels() : options.kernels) {
        KernelColumn column;
        if (options.on_step && given != "running") options.on_step("finding " + given);
        column.image = find_kernel(given, options.cache_dir);
        if (column.image.running()) {
            run_natively(&column, scenarios, catalogue, paths, options);
        } else if (!column.image.not_available.empty()) {
            not_available(&column, scenarios, column.image.not_available);
        } else {
            if (!guests.scratch && guests.unavailable.empty()) prepare_guests(&guests, scenarios, paths, options);
            if (!guests.unavailable.empty()) not_available(&column, scenarios, guests.unavailable);
            else run_in_guest(&column, scenarios, &guests, options);
        }
        if (options.on_kernel) options.on_kernel(column);
        result.kernels.push_back(std::move(column));
    }
    result.accel = guests.accel_note;
    if (!guests.disk.image.empty())
        result.disk = std::to_string(guests.disk.files) + " files, " + std::to_string(guests.disk.bytes >> 20) +
                      " MiB, found by tracing the scenarios natively (" + format("%.1f", guests.disk.seconds) + " s with mkfs)";
    for (const auto& scenario : result.scenarios) {
        std::vector<std::pair<std::string, const Facts*>> cells;
        for (const auto& column : result.kernels)
            if (column.problem.empty()) cells.emplace_back(column.release, &column.cells.at(scenario).facts);
        auto differences = differing_facts(cells);
        if (!differences.empty()) result.differences[scenario] = differences;
        auto observed = differing_facts(cells, true);
        if (!observed.empty()) result.observed[scenario] = observed;
    }
    result.seconds = seconds_since(start);
    return result;
}

bool KernelsResult::failed() const
{
    for (const auto& column : kernels)
        for (const auto& [scenario, cell] : column.cells)
            if (exit_code(cell.status) != 0) return true;
    return false;
}

nlohmann::ordered_json KernelsResult::to_json() const
{
    using json = nlohmann::ordered_json;
    json environment = json::object(), table = json::object(), cases = json::object(), notes = json::object();
    for (const auto& column : kernels) {
        environment[column.release] = column.how.empty() ? column.problem : column.how + " (" + column.image.given + ")";
        json& rows = table[column.release] = json::object();
        for (const auto& [scenario, cell] : column.cells) {
            json row = {{"status", to_string(cell.status)}};
            const json& process1 = member(member(cell.result, "hosts"), "process1");
            if (!member(process1, "verdict").is_null()) row["process1_verdict"] = process1["verdict"];
            if (!member(member(process1, "termination"), "signal").is_null()) row["signal"] = process1["termination"]["signal"];
            if (!member(member(cell.result, "update"), "errno").is_null()) row["errno"] = cell.result["update"]["errno"];
            if (cell.status != Outcome::PASS) row["reason"] = cell.reason;
            rows[scenario] = row;
            cases[scenario + "@" + column.release] = {{"scenario", scenario}, {"kernel", column.release}, {"status", to_string(cell.status)},
                                                      {"reason", cell.reason}, {"result", "kernels/" + column.release + "/" + scenario + ".json"},
                                                      {"facts", cell.facts}};
        }
        if (!column.problem.empty()) notes[column.release] = column.problem;
    }
    return {{"schema", "libfoo-lab/kernels/1"}, {"environment", environment}, {"accel", accel},
            {"seconds", static_cast<long>(seconds * 10 + 0.5) / 10.0}, {"scenarios", scenarios}, {"kernels", table},
            {"cases", cases}, {"differences", differences}, {"observed_differently", observed}, {"problems", notes}};
}

std::string kernel_line(const KernelColumn& column)
{
    std::map<std::string, int> counts;
    for (const auto& [scenario, cell] : column.cells) ++counts[std::string(to_string(cell.status))];
    std::vector<std::string> parts;
    for (const auto& [status, count] : counts) parts.push_back(std::to_string(count) + " " + status);
    std::string line = column.release + " (" + (column.how.empty() ? "not run" : column.how) + "): " + join(parts, ", ");
    if (!column.how.empty()) line += format(" in %.1f s", column.seconds);
    if (!column.problem.empty()) line += " — " + column.problem;
    return line;
}

std::string kernels_table(const KernelsResult& result)
{
    std::string table = padded_column("scenario", name_width);
    for (const auto& column : result.kernels) table += padded_column(column.release, cell_width);
    table = without_trailing_spaces(table) + "\n";
    for (const auto& scenario : result.scenarios) {
        std::string line = padded_column(scenario, name_width);
        for (const auto& column : result.kernels) line += padded_column(cell_text(column.cells.at(scenario)), cell_width);
        if (result.differences.count(scenario)) line += "*";
        table += without_trailing_spaces(line) + "\n";
    }
    return table;
}

std::string kernels_notes(const KernelsResult& result)
{
    std::string notes;
    for (const auto& column : result.kernels) {
        if (!column.problem.empty()) notes += column.release + ": " + column.problem + "\n";
        for (const auto& [scenario, cell] : column.cells)
            if (column.problem.empty() && (cell.status == Outcome::FAIL || cell.status == Outcome::BROK))
                notes += scenario + " (" + column.release + "): " + std::string(to_string(cell.status)) + ": " + cell.reason + "\n";
    }
    for (const auto& [scenario, differences] : result.differences) {
        notes += "* " + scenario + ", where the kernels differ:\n";
        for (const auto& difference : differences) notes += "    " + wrap_text(difference, 96, "      ") + "\n";
    }
    if (!result.observed.empty()) notes += "Observed differently (figures that never decide a verdict):\n";
    for (const auto& [scenario, differences] : result.observed)
        for (const auto& difference : differences) notes += "    " + wrap_text(scenario + ": " + difference, 96, "      ") + "\n";
    if (!result.accel.empty()) notes += "Guests ran under " + result.accel + ".\n";
    if (!result.disk.empty()) notes += "Their disk: " + result.disk + ".\n";
    return notes.empty() ? "" : "\n" + notes;
}

}  // namespace lab
