// test_support.cc — helpers for the lab's tests.
#include "test_support.h"

#include <time.h>

#include <cerrno>

#include "scan/scan_signals.h"

#include "result/result_json.h"

#include <dirent.h>
#include <dlfcn.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <link.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "base/files.h"
#include "system/sandbox.h"

namespace lab::testing {

const Paths& paths()
{
    static const Paths located = Paths::locate();
    return located;
}

const Catalogue& catalogue()
{
    static const Catalogue loaded = Catalogue::load(paths().libfoo_dir);
    return loaded;
}

NewVersion new_version(const std::string& name)
{
    const Variant& variant = *catalogue().find(name);
    return {variant.name, variant.shared_object, variant.object};
}

std::string source_path(const std::string& relative) { return std::string(LAB_SOURCE_DIR) + "/" + relative; }

Scenario load_repo_scenario(const std::string& name)
{
    return load_scenario(source_path("scenarios/" + name + ".json"), catalogue());
}

RunResult run(const Scenario& scenario, const RunOptions& options, Libc libc)
{
    ScenarioResult result = run_scenario(scenario, catalogue(), paths().with_libc(libc), options);
    return {result.outcome, result.reason, to_json(result), result};
}

RunResult run_repo_scenario(const std::string& name, long long size, Libc libc)
{
    RunOptions options;
    options.library_size = size;
    return run(load_repo_scenario(name), options, libc);
}

std::string musl_missing() { return paths().with_libc(Libc::musl).hosts_missing(); }

ScratchDir::ScratchDir()
{
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/libfoo-lab-test.XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data())) throw std::runtime_error("mkdtemp " + pattern);
    dir_ = buffer.data();
}

ScratchDir::~ScratchDir()
{
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

OwnTmpdir::OwnTmpdir() { std::filesystem::create_directory(tmp); }

SpawnSpec OwnTmpdir::lab_spec(const std::vector<std::string>& args) const
{
    SpawnSpec spec;
    spec.argv = {paths().bin_dir + "/lab"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.cwd = scratch.dir();
    spec.env_set = {{"TMPDIR", tmp}};
    return spec;
}

CommandResult OwnTmpdir::run_lab(const std::vector<std::string>& args) const
{
    std::vector<std::string> argv = {"env", "TMPDIR=" + tmp, paths().bin_dir + "/lab"};  // run_command sets TMPDIR=cwd
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, scratch.dir(), std::chrono::seconds(60));
}

std::vector<std::string> OwnTmpdir::left() const
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(tmp)) names.push_back(entry.path().filename());
    return names;
}

void ScratchDir::open_to_everyone() const { chmod(dir_.c_str(), 01777); }

CommandResult run_lab_unprivileged(const std::vector<std::string>& args, const std::string& cwd, std::string* why_not)
{
    why_not->clear();
    if (geteuid() != 0) return run_lab(args, cwd);
    std::vector<std::string> argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                     paths().bin_dir + "/lab"};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult result = run_command(argv, cwd, std::chrono::seconds(60));
    if (!result.spawn_error.empty()) *why_not = "setpriv is not available: " + result.spawn_error;
    else if (result.status.code == 127 || result.status.code == 126)
        *why_not = "cannot run the lab as nobody (is the build tree readable by others?): " + result.err;
    return result;
}

CommandResult run_lab(const std::vector<std::string>& args, const std::string& cwd)
{
    std::vector<std::string> argv = {paths().bin_dir + "/lab"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, cwd, std::chrono::seconds(60));
}

std::string proc_text(pid_t pid, const char* file)
{
    try {
        return read_file("/proc/" + std::to_string(pid) + "/" + file);
    } catch (const std::system_error&) {
        return "";
    }
}

std::vector<pid_t> children_of(pid_t parent)
{
    std::vector<pid_t> children;
    DIR* proc = opendir("/proc");
    if (!proc) return children;
    while (dirent* entry = readdir(proc)) {
        pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0) continue;
        std::string text = proc_text(pid, "stat");
        size_t close = text.rfind(')');
        if (close == std::string::npos) continue;
        char state;
        int ppid;
        if (std::sscanf(text.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent)
            children.push_back(pid);
    }
    closedir(proc);
    return children;
}

bool host_alive(pid_t pid)
{
    std::string text = proc_text(pid, "stat");
    size_t open = text.find('('), close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 >= text.size()) return false;
    std::string name = text.substr(open + 1, close - open - 1);
    char state = text[close + 2];
    return (name == "process1" || name == "process2") && state != 'Z' && state != 'X';  // a zombie is dead
}

DeathWatch::DeathWatch(pid_t pid) : pidfd_(static_cast<int>(syscall(SYS_pidfd_open, pid, 0))) {}

DeathWatch::~DeathWatch()
{
    if (pidfd_ >= 0) close(pidfd_);
}

bool DeathWatch::gone_within(std::chrono::milliseconds timeout) const
{
    if (pidfd_ < 0) return true;
    struct pollfd gone = {pidfd_, POLLIN, 0};
    return poll(&gone, 1, static_cast<int>(timeout.count())) == 1;
}

std::uint64_t symbol_offset(const std::string& variant, const std::string& symbol)
{
    const Variant* found = catalogue().find(variant);
    if (!found) throw std::runtime_error("no variant " + variant);
    void* handle = dlopen(found->shared_object.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error(dlerror());
    void* address = dlsym(handle, symbol.c_str());
    Dl_info info = {};
    if (!address || !dladdr(address, &info)) throw std::runtime_error("no symbol " + symbol);
    std::uint64_t offset = reinterpret_cast<std::uintptr_t>(address) - reinterpret_cast<std::uintptr_t>(info.dli_fbase);
    dlclose(handle);
    return offset;
}

void wait_past_start_tick(pid_t pid)
{
    const std::int64_t target = process_start_ns(pid) + 2 * clock_tick_ns();
    const struct timespec at = {static_cast<time_t>(target / 1000000000), static_cast<long>(target % 1000000000)};
    while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, nullptr) == EINTR) {
    }
}

}  // namespace lab::testing
