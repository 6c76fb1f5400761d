// chapters_dlopen.cc — libfoo reached through dlopen()/dlsym(), as plugin hosts and hot-reloading
// programs do. The host opens "<cwd>/libfoo.so" at start (or, with --copy, a copy of it under a
// unique name, the hot-reload recipe of cr.h and jet-live), and each call looks its chapter up in
// the newest handle.
//
// glibc's dlopen first matches the requested name against the objects already loaded (l_name),
// so opening the same path again returns the old object, even when the file has been replaced
// since (_dl_map_object; only then does it compare st_dev/st_ino). A copy has a new name.
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "host/chapters.h"

namespace lab::host {

namespace {

std::string hex(const void* pointer)
{
    char text[32];
    std::snprintf(text, sizeof text, "%p", pointer);
    return text;
}

// Copies `from` to `to` with read/write: the new file is the copy's own inode.
bool copy(const std::string& from, const std::string& to)
{
    int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return false;
    int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
    bool ok = out >= 0;
    char buffer[1 << 16];
    for (ssize_t got; ok && (got = read(in, buffer, sizeof buffer)) > 0;)
        ok = write(out, buffer, static_cast<size_t>(got)) == got;
    ::close(in);
    if (out >= 0) ok = ::close(out) == 0 && ok;
    return ok;
}

class DlopenLibrary : public Library {
public:
    explicit DlopenLibrary(bool copy_first) : copy_first_(copy_first)
    {
        char cwd[4096];
        path_ = std::string(getcwd(cwd, sizeof cwd) ? cwd : ".") + "/libfoo.so";
        open(copy_first_);
    }

    std::optional<foo_answer> call(int chapter) override
    {
        if (handles_.empty()) return std::nullopt;
        std::string name = "foo_chapter" + std::to_string(chapter);
        auto function = reinterpret_cast<foo_answer (*)()>(dlsym(handles_.back(), name.c_str()));
        if (!function) return std::nullopt;
        return function();
    }

    std::string open(bool copy_first) override
    {
        std::string target = path_;
        if (copy_first) {  // a unique name, so glibc cannot match it with anything loaded
            target = path_ + ".copy-" + std::to_string(getpid()) + "-" + std::to_string(++copies_);
            if (!copy(path_, target)) return "error cannot copy " + path_ + " to " + target + ": " + std::strerror(errno);
        }
        void* handle = dlopen(target.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) return std::string("error dlopen: ") + dlerror();
        handles_.push_back(handle);
        return "opened requested=" + target + " " + describe();
    }

    std::string close() override
    {
        if (handles_.empty()) return "error nothing is open";
        dlclose(handles_.back());
        handles_.pop_back();
        return "closed " + describe();
    }

    std::string describe() const override
    {
        std::string text = "handles=" + std::to_string(handles_.size());
        if (handles_.empty()) return text;
        struct link_map* map = nullptr;
        dlinfo(handles_.back(), RTLD_DI_LINKMAP, &map);
        return text + " handle=" + hex(handles_.back()) + " link_map_name=" + (map && map->l_name ? map->l_name : "?");
    }

private:
    bool copy_first_;
    std::string path_;
    std::vector<void*> handles_;
    int copies_ = 0;
};

}  // namespace

std::unique_ptr<Library> make_library(int argc, char** argv)
{
    bool copy_first = false;
    for (int i = 1; i < argc; ++i) copy_first |= std::strcmp(argv[i], "--copy") == 0;
    return std::make_unique<DlopenLibrary>(copy_first);
}

}  // namespace lab::host
