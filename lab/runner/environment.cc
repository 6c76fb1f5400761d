// environment.cc — uname, glibc, `cc --version`, `ld --version`, mountinfo.
#include "environment.h"

#include <gnu/libc-version.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <sstream>
#include <system_error>

#include "child.h"
#include "sandbox.h"

namespace lab {

namespace {

std::string first_line_of(const std::vector<std::string>& argv)
{
    try {
        CommandResult result = run_command(argv, "", std::chrono::seconds(10));
        if (!result.ok()) return "unknown (" + join_command(argv) + " failed)";
        return result.out.substr(0, result.out.find('\n'));
    } catch (const std::system_error& error) {
        return std::string("not available: ") + error.what();
    }
}

}  // namespace

nlohmann::ordered_json Environment::to_json() const
{
    return {{"kernel", kernel},         {"machine", machine}, {"libc", libc}, {"compiler", compiler},
            {"linker", linker},         {"filesystem", filesystem}, {"uid", uid}, {"euid", euid}};
}

std::string filesystem_type(const std::string& path)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return "unknown";
    std::string mountinfo;
    try {
        mountinfo = read_file("/proc/self/mountinfo");
    } catch (const std::system_error&) {
        return "unknown";
    }
    // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
    std::istringstream lines(mountinfo);
    std::string line, found = "unknown";
    const std::string device = std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string id, parent, majmin;
        fields >> id >> parent >> majmin;
        size_t dash = line.find(" - ");
        if (majmin != device || dash == std::string::npos) continue;
        std::istringstream rest(line.substr(dash + 3));
        rest >> found;  // the last matching mount is the one on top
    }
    return found;
}

Environment probe_environment(const std::string& sandbox_dir)
{
    static const std::string compiler = first_line_of({"cc", "--version"});
    static const std::string linker = first_line_of({"ld", "--version"});
    Environment environment;
    struct utsname names;
    if (uname(&names) == 0) {
        environment.kernel = names.release;
        environment.machine = names.machine;
    }
    environment.libc = std::string("glibc ") + gnu_get_libc_version();
    environment.compiler = compiler;
    environment.linker = linker;
    environment.filesystem = filesystem_type(sandbox_dir);
    environment.uid = getuid();
    environment.euid = geteuid();
    return environment;
}

}  // namespace lab
