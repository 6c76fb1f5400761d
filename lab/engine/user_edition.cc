// user_edition.cc — a user's edition built (or copied) into the cache, checked and probed.
#include "engine/user_edition.h"

#include <unistd.h>

#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/text.h"
#include "common/crash_record.h"
#include "engine/host.h"
#include "input/input_error.h"
#include "system/child.h"
#include "system/elf_file.h"

namespace lab {

namespace fs = std::filesystem;

namespace {

constexpr auto probe_timeout = std::chrono::seconds(5);

std::vector<std::string> words(const std::string& text)
{
    std::istringstream in(text);
    std::vector<std::string> list;
    for (std::string word; in >> word;) list.push_back(word);
    return list;
}

// FNV-1a (64 bit) of `text`, as 16 hex digits.
std::string fingerprint(const std::string& text)
{
    std::uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

// The compiler's first line that says "error", else its first line.
std::string first_error(const CommandResult& result)
{
    if (!result.spawn_error.empty()) return result.spawn_error;
    if (result.timed_out) return "it took over two minutes";
    for (const auto& line : split_lines(result.err))
        if (line.find("error") != std::string::npos) return printable(line, 200);
    const auto lines = split_lines(result.err + result.out);
    return lines.empty() ? "exit status " + std::to_string(result.status.code) : printable(lines.front(), 200);
}

// "~/x/grow chapter 2.c" -> "grow-chapter-2": the edition's name in transcripts and file names.
std::string label_of(const std::string& path)
{
    std::string label = fs::path(path).stem().string();
    for (char& c : label)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '-';
    return label.empty() ? "mine" : label;
}

// Every chapter foo.h declares must be a defined function in the dynamic symbol table.
void check_exports(const std::string& file, const std::string& shared_object, int chapters)
{
    ElfFile elf(shared_object);
    if (!elf.ok()) throw ScenarioError(file, "", "is not a shared object: " + elf.error());
    std::set<std::string> exported;
    for (const auto& symbol : elf.symbols(SHT_DYNSYM)) exported.insert(symbol.name);
    std::vector<std::string> missing;
    for (int chapter = 1; chapter <= chapters; ++chapter)
        if (!exported.count("foo_chapter" + std::to_string(chapter))) missing.push_back("foo_chapter" + std::to_string(chapter));
    if (!missing.empty())
        throw ScenarioError(file, "", "does not export " + join(missing, ", ") + " (libfoo/include/foo.h: every chapter is needed)");
}

// Calls every chapter once in a throwaway process1 that loads `dir`/libfoo.so: what each answers,
// or how the process died calling it (then a new one goes on with the next chapter).
nlohmann::ordered_json probe(const std::string& file, const std::string& dir, const Paths& paths, int chapters)
{
    nlohmann::ordered_json answers = nlohmann::ordered_json::array();
    std::unique_ptr<Host> host;
    for (int chapter = 1; chapter <= chapters; ++chapter) {
        if (!host) {
            host = std::make_unique<Host>(HostSpec{"probe", paths.host("process1"), dir, false});
            Reply ready = host->next_line(Clock::now() + probe_timeout);
            if (ready.kind != Reply::Kind::line || ready.message.kind != "ready") {
                const std::string said = host->stderr_text().substr(0, host->stderr_text().find('\n'));
                host->kill_now();
                throw ScenarioError(file, "", "process1 could not start with it" + (said.empty() ? std::string() : ": " + said));
            }
        }
        Reply reply = host->request({protocol::CommandKind::call, chapter}, Clock::now() + probe_timeout);
        if (reply.kind == Reply::Kind::line && reply.message.kind == "answer") {
            answers.push_back({{"variant", reply.message.field("variant")}, {"value", std::stol("0" + reply.message.field("value"))}});
            continue;
        }
        std::string how = reply.kind == Reply::Kind::timeout ? "hung" : "died";
        if (reply.kind == Reply::Kind::timeout) host->kill_now();
        else host->wait_exit(Clock::now() + probe_timeout);
        const auto& status = host->child().status();
        if (host->crash_record()) how += " of " + signal_name(host->crash_record()->signal);
        else if (reply.kind != Reply::Kind::timeout && status && status->signaled) how += " of " + signal_name(status->code);  // a signal the crash handler does not catch
        else if (reply.kind != Reply::Kind::timeout && status) how = "exited with status " + std::to_string(status->code);
        answers.push_back({{"variant", ""}, {"value", -1}, {"failed", how}});
        host.reset();
    }
    if (host) {
        host->request({protocol::CommandKind::quit}, Clock::now() + probe_timeout);
        host->wait_exit(Clock::now() + probe_timeout);
    }
    return answers;
}

// Builds or copies the edition into `partial`, checks and probes it there.
void make_edition(const std::string& path, bool source, const std::vector<std::string>& compile, const std::string& partial,
                  const Catalogue& catalogue, const Paths& paths)
{
    if (source) {
        std::vector<std::string> argv = compile;
        argv.insert(argv.end(), {"-c", path, "-o", partial + "/foo.o"});
        CommandResult built = run_command(argv, partial, std::chrono::minutes(2));
        if (!built.ok()) throw ScenarioError(path, "", "does not compile: " + first_error(built));
        CommandResult linked = run_command({"cc", "-shared", "-o", partial + "/libfoo.so", partial + "/foo.o"}, partial, std::chrono::minutes(2));
        if (!linked.ok()) throw ScenarioError(path, "", "does not link: " + first_error(linked));
    } else {
        copy_file(path, partial + "/libfoo.so", 0755);
    }
    check_exports(path, partial + "/libfoo.so", catalogue.chapters());
    std::ofstream(partial + "/answers.json") << probe(path, partial, paths, catalogue.chapters()).dump(2) << "\n";
}

// What a build killed half-way left: HASH.partial.PID whose process is gone.
void remove_abandoned(const std::string& cache)
{
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(cache, error)) {
        const std::string name = entry.path().filename().string();
        const size_t mark = name.find(".partial.");
        if (mark == std::string::npos) continue;
        const std::string pid = name.substr(mark + 9);
        if (!fs::exists("/proc/" + pid, error)) fs::remove_all(entry.path(), error);
    }
}

}  // namespace

Variant user_edition(const std::string& path, const Catalogue& catalogue, const Paths& paths)
{
    std::string bytes;
    try {
        bytes = read_file(path);
    } catch (const std::system_error& error) {
        throw ScenarioError(path, "", std::string("cannot be read: ") + error.code().message());
    }
    const bool source = path.size() > 2 && path.compare(path.size() - 2, 2, ".c") == 0;
    std::vector<std::string> compile = {"cc"};
    for (const auto& flag : words(catalogue.cflags())) compile.push_back(flag);
    compile.push_back("-I" + catalogue.include_dir());
    const std::string dir = catalogue.dir() + "/user/" + fingerprint(bytes + "\n" + join(compile, " ") + (source ? " c" : " so"));
    remove_abandoned(catalogue.dir() + "/user");
    if (!fs::exists(dir + "/answers.json")) {
        const std::string partial = dir + ".partial." + std::to_string(getpid());
        fs::remove_all(partial);
        fs::create_directories(partial);
        try {
            make_edition(path, source, compile, partial, catalogue, paths);
        } catch (...) {
            fs::remove_all(partial);
            throw;
        }
        std::error_code taken;
        fs::rename(partial, dir, taken);
        if (taken) fs::remove_all(partial);  // another run made it first: its copy serves
    }
    Variant variant;
    variant.name = variant.base_name = label_of(path);
    variant.file = path;
    variant.shared_object = dir + "/libfoo.so";
    variant.object = source ? dir + "/foo.o" : "";
    variant.description = "your edition " + path +
                          (source ? ", built with the seed's two commands and libfoo's flags: " + join(compile, " ") + " -c " +
                                        fs::path(path).filename().string() + " -o foo.o; cc -shared -o libfoo.so foo.o (in " + dir + ")"
                                  : " (in " + dir + ")");
    for (const auto& answer : nlohmann::json::parse(read_file(dir + "/answers.json"))) {
        variant.answers.emplace_back(answer.value("variant", std::string()), answer.value("value", -1L));
        if (answer.contains("failed")) variant.probe_failures[static_cast<int>(variant.answers.size())] = answer.value("failed", std::string());
    }
    return variant;
}

Catalogue with_user_editions(const Scenario& scenario, const Catalogue& catalogue, const Paths& paths)
{
    Catalogue editions = catalogue;
    for (const std::string& reference : {scenario.from, scenario.to})
        if (names_a_file(reference) && !editions.find(reference)) editions.add(reference, user_edition(reference, catalogue, paths));
    const bool links = std::any_of(scenario.steps.begin(), scenario.steps.end(), [](const Step& step) {
        return step.kind == Step::Kind::update && (step.strategy == Strategy::rm_then_build || step.strategy == Strategy::relink);
    });
    const Variant* to = editions.find(scenario.to);
    if (links && to && to->object.empty())
        throw ScenarioError(scenario.file, "library.to", quote_value(to->file, 60) + " is a shared object: the update links foo.o, so it needs a C source");
    return editions;
}

}  // namespace lab
