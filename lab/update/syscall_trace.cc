// syscall_trace.cc — strace around an updater, and its output read back for one path.
#include "update/syscall_trace.h"

#include <sstream>

#include "base/files.h"
#include "base/text.h"
#include "system/child.h"

namespace lab {

std::optional<std::string> tracing_unavailable()
{
    static const std::optional<std::string> why = []() -> std::optional<std::string> {
        if (!find_program("strace")) return "strace is not installed";
        CommandResult probe = run_command({"strace", "-f", "-qq", "-o", "/dev/null", "/bin/true"}, "", std::chrono::seconds(10));
        if (!probe.ok()) return "strace cannot trace here: " + probe.err.substr(0, probe.err.find('\n'));
        return std::nullopt;
    }();
    return why;
}

std::vector<std::string> traced_command(const std::vector<std::string>& argv, const std::string& trace_file)
{
    // The calls that create, name, write, truncate or let go of a file; not reads, seeks or stats.
    std::vector<std::string> command = {"strace", "-f", "-qq", "-y", "-s", "0", "-o", trace_file, "-e",
                                        "trace=open,openat,openat2,creat,unlink,unlinkat,rename,renameat,renameat2,link,linkat,"
                                        "symlink,symlinkat,truncate,ftruncate,write,pwrite64,writev,pwritev,pwritev2,"
                                        "copy_file_range,sendfile,fallocate,mmap,close,chmod,fchmod,fchmodat,fsync,fdatasync"};
    command.insert(command.end(), argv.begin(), argv.end());
    return command;
}

namespace {

// (No std::regex here: a trace line holds the user's command and paths, of any length, and
// libstdc++'s regex recurses once per character.)

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// The open flags that say what an open does to the file; O_CLOEXEC and the like do not.
std::string telling_flags(const std::string& arguments)
{
    static const char* telling[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_CREAT", "O_EXCL", "O_TRUNC", "O_APPEND", "O_PATH", "O_DIRECTORY", "O_TMPFILE"};
    std::vector<std::string> flags;
    for (size_t at = arguments.find("O_"); at != std::string::npos; at = arguments.find("O_", at + 1)) {
        if (at > 0 && (is_upper(arguments[at - 1]) || arguments[at - 1] == '_')) continue;  // inside a longer word
        size_t end = at + 2;
        while (end < arguments.size() && is_upper(arguments[end])) ++end;
        if (end == at + 2) continue;
        std::string word = arguments.substr(at, end - at);
        for (const char* name : telling)
            if (word == name) flags.push_back(word);
    }
    return join(flags, "|");
}

// "5</tmp/x/libfoo.so>" -> "5"; "-1 EEXIST (File exists)" -> "-1 EEXIST".
std::string short_result(std::string result)
{
    size_t cut = result.find_first_of("<(");
    if (cut != std::string::npos) result = result.substr(0, cut);
    while (!result.empty() && result.back() == ' ') result.pop_back();
    return result;
}

// The file names a rename or link gives, by their last component: "libfoo.so.new -> libfoo.so".
std::string names_in(const std::string& arguments)
{
    std::vector<std::string> names;
    for (size_t open = arguments.find('"'); open != std::string::npos;) {
        size_t close = arguments.find('"', open + 1);
        if (close == std::string::npos) break;
        std::string name = arguments.substr(open + 1, close - open - 1);
        names.push_back(name.substr(name.rfind('/') + 1));
        open = arguments.find('"', close + 1);
    }
    return join(names, " -> ");
}

struct TraceLine {
    std::string name, arguments, result;
};

// "1234 openat(AT_FDCWD</tmp/s>, "libfoo.so", O_WRONLY|O_TRUNC) = 4</tmp/s/libfoo.so>" -> its
// call, arguments and result; nullopt for lines that are not one whole call ("<unfinished ...>"
// halves, signals, exits).
std::optional<TraceLine> parse_trace_line(const std::string& line)
{
    size_t at = 0;
    if (line.compare(0, 5, "[pid ") == 0) at = 5;
    while (at < line.size() && line[at] == ' ') ++at;
    while (at < line.size() && line[at] >= '0' && line[at] <= '9') ++at;
    if (at < line.size() && line[at] == ']') ++at;
    while (at < line.size() && line[at] == ' ') ++at;
    size_t name_start = at;
    while (at < line.size() && is_name_char(line[at])) ++at;
    if (at == name_start || at >= line.size() || line[at] != '(') return std::nullopt;
    size_t equals = line.rfind(") = ");
    if (equals == std::string::npos || equals < at) return std::nullopt;
    return TraceLine{line.substr(name_start, at - name_start), line.substr(at + 1, equals - at - 1), line.substr(equals + 4)};
}

}  // namespace

std::vector<std::string> path_syscalls(const std::string& trace, const std::string& library, const std::string& sandbox)
{
    const std::string quoted = "\"" + library + "\"", decorated = "<" + library + ">", relative = "<" + sandbox + ">, \"libfoo.so\"";
    std::vector<std::string> summaries;
    std::vector<int> repeats;
    std::istringstream lines(trace);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.find(quoted) == std::string::npos && line.find(decorated) == std::string::npos &&
            line.find(relative) == std::string::npos)
            continue;
        auto parts = parse_trace_line(line);
        if (!parts) continue;
        const std::string& name = parts->name;
        const std::string& arguments = parts->arguments;
        if (name.find("stat") != std::string::npos || name.find("access") != std::string::npos) continue;
        std::string summary = name;
        bool names_the_file = name.find("open") != std::string::npos || name == "creat" || name.find("unlink") != std::string::npos ||
                              name.find("rename") != std::string::npos || name.find("link") != std::string::npos ||
                              name.find("truncate") != std::string::npos;
        if (name.find("open") != std::string::npos || name == "creat") summary += "(" + telling_flags(arguments) + ")";
        if (name.find("rename") != std::string::npos || name.find("link") != std::string::npos) summary += "(" + names_in(arguments) + ")";
        if (names_the_file) summary += " = " + short_result(parts->result);
        if (!summaries.empty() && summaries.back() == summary) {
            ++repeats.back();
            continue;
        }
        summaries.push_back(summary);
        repeats.push_back(1);
    }
    for (size_t i = 0; i < summaries.size(); ++i)
        if (repeats[i] > 1) summaries[i] += " x" + std::to_string(repeats[i]);
    return summaries;
}

}  // namespace lab
