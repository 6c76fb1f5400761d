// guest.cc — QEMU started, followed on its console, and collected.
#include "campaigns/kernels/guest.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include "base/files.h"
#include "base/text.h"
#include "system/child.h"

namespace lab {

namespace {

constexpr const char* event_tag = "lab-guest: ";

std::vector<std::string> qemu_command(const GuestBoot& boot)
{
    std::vector<std::string> argv = {"qemu-system-x86_64", "-nodefaults", "-no-reboot", "-display", "none", "-m", "1024", "-smp", "2",
                                     "-accel", boot.accel};
    if (boot.accel == "kvm") argv.insert(argv.end(), {"-cpu", "host"});
    argv.insert(argv.end(), {"-kernel", boot.vmlinuz, "-initrd", boot.initramfs, "-append", "console=ttyS0 panic=-1", "-drive",
                             "file=" + boot.disk + ",format=raw,if=virtio,snapshot=on", "-serial", "stdio", "-serial",
                             "file:" + boot.results_file});
    return argv;
}

// Hands each complete console line with the init's tag to `outcome` and the caller.
void take_lines(std::string* pending, const GuestBoot& boot, GuestOutcome* outcome, bool* done)
{
    for (size_t end; (end = pending->find('\n')) != std::string::npos; pending->erase(0, end + 1)) {
        std::string line = pending->substr(0, end);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const size_t tag = line.find(event_tag);
        if (tag == std::string::npos) continue;
        const std::string event = line.substr(tag + std::strlen(event_tag));
        if (event.rfind("kernel ", 0) == 0) outcome->release = event.substr(7);
        if (event == "done") *done = true;
        if (event.rfind("error ", 0) == 0 && outcome->error.empty()) outcome->error = "the guest's init: " + event.substr(6);
        if (boot.on_event) boot.on_event(event);
    }
}

std::string last_event(const std::string& console)
{
    const size_t at = console.rfind(event_tag);
    if (at == std::string::npos) return "nothing from its init";
    const std::string line = console.substr(at, console.find('\n', at) - at);
    return "its last word was \"" + printable(line, 100) + "\"";
}

// After QEMU has gone: why the guest did not finish, if it did not, and the files it sent back.
void collect(const GuestBoot& boot, bool done, const std::string& errors, GuestOutcome* outcome)
{
    if (!done && outcome->error.empty()) {
        std::string qemu_said;
        for (const auto& line : split_lines(errors))
            if (line.find("warning:") == std::string::npos && !line.empty()) qemu_said = "; qemu: " + printable(line, 160);
        outcome->error = "the guest stopped before its init said \"done\" (" + last_event(outcome->console) + ")" + qemu_said;
    }
    std::string stream;
    try {
        stream = read_file(boot.results_file);
    } catch (const std::system_error&) {
    }
    std::string frame_error;
    outcome->files = read_frames(stream, &frame_error);
    if (outcome->error.empty()) outcome->error = frame_error;
}

}  // namespace

std::string kvm_unusable()
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) return std::string("/dev/kvm: ") + std::strerror(errno);
    close(fd);
    return "";
}

std::map<std::string, std::string> read_frames(const std::string& stream, std::string* error)
{
    std::map<std::string, std::string> files;
    for (size_t at = 0; at < stream.size();) {
        const size_t end = stream.find('\n', at);
        const std::string header = stream.substr(at, end == std::string::npos ? std::string::npos : end - at);
        char name[256];
        unsigned long long size = 0;
        if (end == std::string::npos || std::sscanf(header.c_str(), "lab-file %255s %llu", name, &size) != 2 || end + 1 + size > stream.size()) {
            *error = "the guest's result stream is cut short or malformed at byte " + std::to_string(at) + ": " + quote_value(header);
            break;
        }
        files[name] = stream.substr(end + 1, size);
        at = end + 1 + size;
    }
    return files;
}

GuestOutcome boot_guest(const GuestBoot& boot)
{
    const auto start = Clock::now();
    GuestOutcome outcome;
    SpawnSpec spec;
    spec.argv = qemu_command(boot);
    spec.env_set = {{"TMPDIR", boot.scratch}};
    std::unique_ptr<Child> qemu;
    try {
        qemu = std::make_unique<Child>(spec);
    } catch (const std::system_error& error) {
        outcome.error = std::string("cannot start qemu-system-x86_64: ") + error.what() + " (Debian package qemu-system-x86)";
        return outcome;
    }
    std::string pending, errors;
    bool done = false, out_open = true, err_open = true;
    auto quiet_since = Clock::now();
    while (!qemu->exited()) {
        auto deadline = quiet_since + boot.quiet_limit;
        if (boot.first_output_within.count() > 0 && outcome.console.empty()) deadline = std::min(deadline, start + boot.first_output_within);
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            qemu->kill_now();
            outcome.stalled = outcome.console.empty() && boot.first_output_within.count() > 0;
            const long limit = static_cast<long>(outcome.stalled ? boot.first_output_within.count() : boot.quiet_limit.count());
            outcome.error = "the guest said nothing for " + std::to_string(limit) + " s (" + last_event(outcome.console) + "): killed it";
            break;
        }
        struct pollfd fds[3] = {{out_open ? qemu->out() : -1, POLLIN, 0}, {err_open ? qemu->err() : -1, POLLIN, 0}, {qemu->pidfd(), POLLIN, 0}};
        if (poll(fds, 3, static_cast<int>(std::min<long long>(left, 60000))) < 0 && errno != EINTR) break;
        if (out_open && fds[0].revents) {
            const size_t before = outcome.console.size();
            out_open = drain(qemu->out(), &outcome.console);
            if (outcome.console.size() > before) {
                quiet_since = Clock::now();
                pending += outcome.console.substr(before);
                take_lines(&pending, boot, &outcome, &done);
            }
        }
        if (err_open && fds[1].revents) err_open = drain(qemu->err(), &errors);
        if (fds[2].revents) qemu->try_reap();
    }
    if (out_open) drain(qemu->out(), &outcome.console);
    if (err_open) drain(qemu->err(), &errors);
    collect(boot, done, errors, &outcome);
    // Under KVM, a guest that ended, or was killed, before saying anything never ran at all.
    if (boot.first_output_within.count() > 0 && outcome.console.empty()) outcome.stalled = true;
    outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return outcome;
}

}  // namespace lab
