// host_main.cc — the host loop. Blocking reads on stdin, unbuffered writes on stdout; no sleeps.
#include "host/host_main.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "host/chapters.h"
#include "host/crash_handler.h"
#include "common/protocol.h"

namespace lab::host {

// A host that links libfoo at build time has nothing to open or close.
std::string Library::open(bool) { return "error this host links libfoo at build time; it cannot dlopen it"; }
std::string Library::close() { return "error this host links libfoo at build time; it cannot dlclose it"; }

namespace {

bool write_line(const std::string& text)
{
    std::string line = text + "\n";
    size_t done = 0;
    while (done < line.size()) {
        ssize_t written = write(STDOUT_FILENO, line.data() + done, line.size() - done);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        done += static_cast<size_t>(written);
    }
    return true;
}

// Reads one line from stdin; false at end of input.
bool read_line(std::string* line)
{
    static std::string pending;
    for (;;) {
        size_t newline = pending.find('\n');
        if (newline != std::string::npos) {
            *line = pending.substr(0, newline);
            pending.erase(0, newline + 1);
            return true;
        }
        char buffer[256];
        ssize_t got = read(STDIN_FILENO, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        pending.append(buffer, static_cast<size_t>(got));
    }
}

std::string answer_line(int chapter, const foo_answer& answer)
{
    std::string variant(answer.variant, strnlen(answer.variant, sizeof answer.variant));
    return "answer chapter=" + std::to_string(chapter) + " variant=" + (variant.empty() ? "?" : variant) +
           " value=" + std::to_string(answer.value);
}

int crash_fd_from(int argc, char** argv)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--crash-fd") == 0) return std::atoi(argv[i + 1]);
    return STDERR_FILENO;
}

}  // namespace

int host_main(const char* name, int argc, char** argv)
{
    install_crash_handler(crash_fd_from(argc, argv));
    const std::string pid = std::to_string(getpid());
    std::unique_ptr<Library> library = make_library(argc, argv);
    std::string described = library->describe();
    write_line(std::string("ready host=") + name + " pid=" + pid + (described.empty() ? "" : " " + described));

    int calls = 0;
    std::string line;
    while (read_line(&line)) {
        std::string why;
        auto command = protocol::parse_command(line, &why);
        if (!command) {
            write_line("error " + why + ": " + line);
            continue;
        }
        switch (command->kind) {
        case protocol::CommandKind::call: {
            auto answer = library->call(command->chapter);
            if (!answer) {
                write_line("error no chapter " + std::to_string(command->chapter));
                break;
            }
            ++calls;
            write_line(answer_line(command->chapter, *answer));
            break;
        }
        case protocol::CommandKind::report: {
            std::string described = library->describe();
            write_line(std::string("report host=") + name + " pid=" + pid + " calls=" + std::to_string(calls) +
                       (described.empty() ? "" : " " + described));
            break;
        }
        case protocol::CommandKind::open: write_line(library->open(false)); break;
        case protocol::CommandKind::open_copy: write_line(library->open(true)); break;
        case protocol::CommandKind::close: write_line(library->close()); break;
        case protocol::CommandKind::quit:
            write_line("bye");
            return 0;
        }
    }
    return 0;  // the runner closed our input: it is gone or done with us
}

}  // namespace lab::host
