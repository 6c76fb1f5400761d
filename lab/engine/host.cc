// host.cc — waiting for a host's lines or its death with poll() and a deadline.
#include "engine/host.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace lab {

namespace {

std::optional<std::string> take_line(std::string* buffer)
{
    size_t newline = buffer->find('\n');
    if (newline == std::string::npos) return std::nullopt;
    std::string line = buffer->substr(0, newline);
    buffer->erase(0, newline + 1);
    return line;
}

Reply line_reply(std::string line)
{
    Reply reply;
    reply.kind = Reply::Kind::line;
    reply.message = protocol::parse_message(line);
    reply.raw = std::move(line);
    return reply;
}

constexpr size_t stderr_limit = 4096;  // keep the start of what a host says on stderr

}  // namespace

Host::Host(const HostSpec& spec) : name_(spec.name)
{
    SpawnSpec child;
    child.argv = {spec.executable, "--crash-fd", "3"};
    child.argv.insert(child.argv.end(), spec.arguments.begin(), spec.arguments.end());
    child.cwd = spec.sandbox;
    child.env_set = {{"LD_LIBRARY_PATH", spec.sandbox}};
    child.env_unset = {"LD_BIND_NOW", "LD_PRELOAD"};
    if (spec.bind_now) child.env_set.emplace_back("LD_BIND_NOW", "1");
    child.pipe_stdin = true;
    child.crash_pipe = true;
    child_ = std::make_unique<Child>(child);
}

Reply Host::request(const protocol::Command& command, Clock::time_point deadline)
{
    std::string line = protocol::format_command(command) + "\n";
    size_t done = 0;
    while (done < line.size() && child_->in() >= 0) {
        ssize_t written = write(child_->in(), line.data() + done, line.size() - done);
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) break;  // EPIPE: it is gone; next_line will see the death
        done += static_cast<size_t>(written);
    }
    return next_line(deadline);
}

Reply Host::next_line(Clock::time_point deadline)
{
    for (;;) {
        if (auto line = take_line(&stdout_buffer_)) return line_reply(std::move(*line));
        if (child_->exited() || !stdout_open_) {
            // Death wins only once every line written before it has been read.
            child_->wait_until(deadline);
            if (child_->exited()) {
                collect_remains();
                if (auto line = take_line(&stdout_buffer_)) return line_reply(std::move(*line));
                return Reply{Reply::Kind::died, {}, {}};
            }
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return Reply{Reply::Kind::timeout, {}, {}};
        struct pollfd fds[3] = {{stdout_open_ ? child_->out() : -1, POLLIN, 0},
                                {stderr_open_ ? child_->err() : -1, POLLIN, 0},
                                {child_->pidfd(), POLLIN, 0}};
        poll(fds, 3, static_cast<int>(left.count()) + 1);
        if (stdout_open_) stdout_open_ = drain(child_->out(), &stdout_buffer_);
        if (stderr_open_ && stderr_.size() < stderr_limit) stderr_open_ = drain(child_->err(), &stderr_);
        if (fds[2].revents & POLLIN) child_->try_reap();
    }
}

bool Host::wait_exit(Clock::time_point deadline)
{
    bool exited = child_->wait_until(deadline);
    if (exited) collect_remains();
    return exited;
}

void Host::kill_now()
{
    child_->kill_now();
    collect_remains();
}

void Host::collect_remains()
{
    if (stdout_open_) stdout_open_ = drain(child_->out(), &stdout_buffer_);
    if (stderr_open_ && stderr_.size() < stderr_limit) stderr_open_ = drain(child_->err(), &stderr_);
    if (child_->crash() >= 0) {
        drain(child_->crash(), &crash_text_);
        if (!crash_) {
            std::string text = crash_text_;
            while (auto line = take_line(&text))
                if (auto record = parse_crash_record(*line)) crash_ = record;
        }
    }
    child_->close_in();
}

}  // namespace lab
