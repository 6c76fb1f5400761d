/* chapters_dlopen.c — libfoo reached through dlopen()/dlsym(), as plugin hosts and hot-reloading
 * programs do. The host opens "<cwd>/libfoo.so" at start (or, with --copy, a copy of it under a
 * unique name, the hot-reload recipe of cr.h and jet-live), and each call looks its chapter up in
 * the newest handle.
 *
 * What opening the same path again returns is the libc's decision, which the lab observes:
 * glibc first matches the requested name against the objects already loaded (l_name), so it
 * returns the old object even when the file has been replaced (_dl_map_object; only then does it
 * compare st_dev/st_ino); musl matches by (st_dev, st_ino) only, so a replaced file loads anew.
 * A copy has a new name and a new inode under both. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/chapters.h"

static char path[4096];   /* <cwd>/libfoo.so */
static void** handles;    /* oldest first */
static size_t handle_count;
static size_t handle_capacity;
static int copies;

/* Copies `from` to `to` with read/write: the new file is the copy's own inode. */
static int copy_file(const char* from, const char* to)
{
    char buffer[1 << 16];
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) return 0;
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
    int ok = out >= 0;
    for (ssize_t got; ok && (got = read(in, buffer, sizeof buffer)) > 0;)
        ok = write(out, buffer, (size_t)got) == got;
    int saved = errno;
    close(in);
    if (out >= 0) ok = close(out) == 0 && ok;
    errno = saved;
    return ok;
}

void lab_library_describe(char* text, size_t size)
{
    if (handle_count == 0) {
        snprintf(text, size, "handles=0");
        return;
    }
    struct link_map* map = NULL;
    void* newest = handles[handle_count - 1];
    dlinfo(newest, RTLD_DI_LINKMAP, &map);
    /* base: the object's load address (l_addr), where the runner finds its mapping in /proc */
    snprintf(text, size, "handles=%zu handle=%p base=%#lx link_map_name=%s", handle_count, newest,
             map ? (unsigned long)map->l_addr : 0UL, map && map->l_name ? map->l_name : "?");
}

void lab_library_open(int copy, char* reply, size_t size)
{
    char target[sizeof path + 64];
    snprintf(target, sizeof target, "%s", path);
    if (copy) { /* a unique name, so no libc can match it with anything loaded */
        snprintf(target, sizeof target, "%s.copy-%ld-%d", path, (long)getpid(), ++copies);
        if (!copy_file(path, target)) {
            snprintf(reply, size, "error cannot copy %s to %s: %s", path, target, strerror(errno));
            return;
        }
    }
    void* handle = dlopen(target, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(reply, size, "error dlopen: %s", dlerror());
        return;
    }
    if (handle_count == handle_capacity) {
        handle_capacity = handle_capacity ? 2 * handle_capacity : 8;
        handles = realloc(handles, handle_capacity * sizeof *handles);
        if (!handles) abort();
    }
    handles[handle_count++] = handle;
    int at = snprintf(reply, size, "opened requested=%s ", target);
    if (at >= 0 && (size_t)at < size) lab_library_describe(reply + at, size - (size_t)at);
}

void lab_library_close(char* reply, size_t size)
{
    if (handle_count == 0) {
        snprintf(reply, size, "error nothing is open");
        return;
    }
    dlclose(handles[--handle_count]);
    int at = snprintf(reply, size, "closed ");
    if (at >= 0 && (size_t)at < size) lab_library_describe(reply + at, size - (size_t)at);
}

int lab_library_call(int chapter, struct foo_answer* answer)
{
    if (handle_count == 0) return 0;
    char name[32];
    snprintf(name, sizeof name, "foo_chapter%d", chapter);
    struct foo_answer (*function)(void);
    *(void**)&function = dlsym(handles[handle_count - 1], name);
    if (!function) return 0;
    *answer = function();
    return 1;
}

void lab_library_start(int argc, char** argv)
{
    int copy = 0;
    for (int i = 1; i < argc; ++i) copy |= strcmp(argv[i], "--copy") == 0;
    if (!getcwd(path, sizeof path - sizeof "/libfoo.so")) snprintf(path, sizeof path, ".");
    strcat(path, "/libfoo.so");
    char ignored[64 + sizeof path * 2];
    lab_library_open(copy, ignored, sizeof ignored);
}
