// environment.cc — uname, glibc, `cc --version`, `ld --version`, mountinfo.
#include "probe/environment.h"

#include <gnu/libc-version.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <sstream>
#include <system_error>

#include "base/files.h"
#include "system/child.h"
#include "system/sandbox.h"

namespace lab {

namespace {

// The first line a version command printed, or why there is none.
std::string first_line(const CommandResult& result)
{
    if (!result.spawn_error.empty()) return "not available: " + result.spawn_error;
    if (!result.ok()) return "unknown (" + join_command(result.argv) + " failed)";
    return result.out.substr(0, result.out.find('\n'));
}

struct Remembered {
    std::string compiler, linker;
    bool known = false;
};

Remembered& remembered()
{
    static Remembered answers;
    return answers;
}

}  // namespace

namespace {

struct MountEntry {
    std::string type, mount_point, super_options;
};

// The mount `path` is on: the last mountinfo line with its st_dev (the one on top).
std::optional<MountEntry> mount_of(const std::string& path)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return std::nullopt;
    std::string mountinfo;
    try {
        mountinfo = read_file("/proc/self/mountinfo");
    } catch (const std::system_error&) {
        return std::nullopt;
    }
    // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
    std::istringstream lines(mountinfo);
    std::string line;
    std::optional<MountEntry> found;
    const std::string device = std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string id, parent, majmin, root, mount_point;
        fields >> id >> parent >> majmin >> root >> mount_point;
        size_t dash = line.find(" - ");
        if (majmin != device || dash == std::string::npos) continue;
        MountEntry entry;
        entry.mount_point = mount_point;
        std::istringstream rest(line.substr(dash + 3));
        std::string source;
        rest >> entry.type >> source >> entry.super_options;
        found = entry;
    }
    return found;
}

// "lowerdir=/a,upperdir=/b,workdir=/c" -> "/b" for key "upperdir".
std::string option_value(const std::string& options, const std::string& key)
{
    std::istringstream items(options);
    std::string item;
    while (std::getline(items, item, ','))
        if (item.rfind(key + "=", 0) == 0) return item.substr(key.size() + 1);
    return "";
}

}  // namespace

std::string filesystem_type(const std::string& path)
{
    auto mount = mount_of(path);
    return mount ? mount->type : "unknown";
}

std::string overlay_layer(const std::string& path)
{
    auto mount = mount_of(path);
    if (!mount || mount->type != "overlay" || path.rfind(mount->mount_point + "/", 0) != 0) return "";
    std::string upper = option_value(mount->super_options, "upperdir");
    if (upper.empty()) return "lower";  // a read-only overlay has only lower layers
    struct stat st;
    std::string in_upper = upper + path.substr(mount->mount_point.size());
    return lstat(in_upper.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? "upper" : "lower";
}

struct EnvironmentProbe::Pending {
    std::unique_ptr<AsyncCommand> compiler, linker;
};

EnvironmentProbe::EnvironmentProbe(std::string sandbox_dir) : sandbox_dir_(std::move(sandbox_dir))
{
    if (remembered().known) return;
    pending_ = new Pending;
    pending_->compiler = std::make_unique<AsyncCommand>(std::vector<std::string>{"cc", "--version"}, "");
    pending_->linker = std::make_unique<AsyncCommand>(std::vector<std::string>{"ld", "--version"}, "");
}

EnvironmentProbe::~EnvironmentProbe() { delete pending_; }

Environment EnvironmentProbe::finish()
{
    if (pending_) {
        auto deadline = Clock::now() + std::chrono::seconds(10);
        remembered().compiler = first_line(pending_->compiler->finish(deadline));
        remembered().linker = first_line(pending_->linker->finish(deadline));
        remembered().known = true;
        delete pending_;
        pending_ = nullptr;
    }
    Environment environment;
    struct utsname names;
    if (uname(&names) == 0) {
        environment.kernel = names.release;
        environment.machine = names.machine;
    }
    environment.libc = std::string("glibc ") + gnu_get_libc_version();
    environment.compiler = remembered().compiler;
    environment.linker = remembered().linker;
    environment.filesystem = filesystem_type(sandbox_dir_);
    environment.uid = getuid();
    environment.euid = geteuid();
    return environment;
}

}  // namespace lab
