/* guest_init.c — the first process of a `lab kernels` guest (static, so it needs nothing).
 *
 * The initramfs holds this program, the kernel's own modules the guest needs (modules/order, in
 * the order to load them) and nothing else. The lab itself is on the guest's disk (/dev/vda,
 * ext4): the runner, the hosts, the libfoo variants, the scenarios and every file they opened when
 * the runner ran them natively, at the same paths. This program loads the modules, waits for the
 * disk (inotify, bounded), makes it the root, then runs each scenario of /lab-guest/plan with the
 * runner and sends its result file back over the second serial port (ttyS1), framed as
 * "lab-file NAME SIZE\n" + SIZE bytes. The console (ttyS0) gets one line per event, which is
 * what the runner outside waits on:
 *
 *   lab-guest: kernel RELEASE          lab-guest: start NAME
 *   lab-guest: end NAME exit N         lab-guest: error WHAT: STRERROR
 *   lab-guest: done                    (then the guest powers off)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MODULE_INIT_COMPRESSED_FILE 4

static void say(const char* format, ...)
{
    char line[512];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(line, sizeof line - 1, format, args);
    va_end(args);
    if (length < 0) return;
    if (length > (int)sizeof line - 2) length = sizeof line - 2;
    line[length++] = '\n';
    if (write(1, "lab-guest: ", 11) < 0 || write(1, line, (size_t)length) < 0) return;
}

static void power_off(void)
{
    sync();
    reboot(RB_POWER_OFF);
    _exit(1);
}

static void fail(const char* what)
{
    say("error %s: %s", what, strerror(errno));
    power_off();
}

/* Each line of modules/order is a module file; a module already there (built in, or loaded as
 * a dependency) is no error. Compressed ones are decompressed by the kernel. */
static void load_modules(void)
{
    FILE* order = fopen("/modules/order", "r");
    if (!order) return;
    char name[256];
    while (fgets(name, sizeof name, order)) {
        name[strcspn(name, "\n")] = 0;
        if (!name[0]) continue;
        char path[300];
        snprintf(path, sizeof path, "/modules/%s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail(path);
        const char* dot = strrchr(name, '.');
        int flags = dot && strcmp(dot, ".ko") != 0 ? MODULE_INIT_COMPRESSED_FILE : 0;
        if (syscall(SYS_finit_module, fd, "", flags) != 0 && errno != EEXIST) say("error loading %s: %s", name, strerror(errno));
        close(fd);
    }
    fclose(order);
}

/* /dev/vda appears when virtio_blk has probed the disk: wait for its creation in devtmpfs,
 * at most 30 seconds. */
static void wait_for_disk(const char* disk)
{
    int watch = inotify_init1(IN_CLOEXEC);
    if (watch >= 0) inotify_add_watch(watch, "/dev", IN_CREATE);
    time_t give_up = time(NULL) + 30;
    while (access(disk, F_OK) != 0) {
        if (watch < 0 || time(NULL) >= give_up) {
            errno = ENODEV;
            fail("waiting for /dev/vda (is virtio_blk built in or among the modules?)");
        }
        struct pollfd ready = {watch, POLLIN, 0};
        if (poll(&ready, 1, 1000) > 0) {
            char events[4096];
            if (read(watch, events, sizeof events) < 0) fail("inotify");
        }
    }
    if (watch >= 0) close(watch);
}

static void mount_or_fail(const char* source, const char* target, const char* type, unsigned long flags)
{
    mkdir(target, 0755);
    if (mount(source, target, type, flags, NULL) != 0) fail(target);
}

/* The disk becomes "/", with /dev, /proc and /sys moved over. */
static void enter_disk(void)
{
    wait_for_disk("/dev/vda");
    mount_or_fail("/dev/vda", "/root", "ext4", 0);
    const char* moved[] = {"/dev", "/proc", "/sys"};
    for (int i = 0; i < 3; ++i) {
        char target[64];
        snprintf(target, sizeof target, "/root%s", moved[i]);
        mkdir(target, 0755);
        if (mount(moved[i], target, NULL, MS_MOVE, NULL) != 0) fail(target);
    }
    if (chdir("/root") != 0) fail("/root");
    if (mount(".", "/", NULL, MS_MOVE, NULL) != 0) fail("moving the disk to /");
    if (chroot(".") != 0 || chdir("/") != 0) fail("chroot");
    mount("tmpfs", "/dev/shm", "tmpfs", 0, NULL);
}

static int open_raw(const char* tty)
{
    int fd = open(tty, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) fail(tty);
    struct termios raw;
    if (tcgetattr(fd, &raw) == 0) {
        cfmakeraw(&raw);
        tcsetattr(fd, TCSANOW, &raw);
    }
    return fd;
}

static int write_all(int fd, const char* data, size_t size)
{
    while (size > 0) {
        ssize_t wrote = write(fd, data, size);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) return -1;
        data += wrote;
        size -= (size_t)wrote;
    }
    return 0;
}

/* "lab-file NAME SIZE\n" and the file's bytes; a missing file is sent with size 0. */
static void send_file(int out, const char* name, const char* path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    long size = fd >= 0 && fstat(fd, &st) == 0 ? (long)st.st_size : 0;
    char header[400];
    int length = snprintf(header, sizeof header, "lab-file %s %ld\n", name, size);
    write_all(out, header, (size_t)length);
    char buffer[65536];
    while (fd >= 0 && size > 0) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got <= 0) break;
        write_all(out, buffer, (size_t)got);
        size -= got;
    }
    while (size-- > 0) write_all(out, "", 1);  /* a file that shrank meanwhile: keep the frame */
    if (fd >= 0) close(fd);
}

/* One scenario: the runner with its output in /lab-guest/results/NAME.log, its result in
 * /lab-guest/results/NAME.json. */
static int run_scenario(const char* runner, const char* name, const char* file)
{
    char out[2048], log[2048];
    snprintf(out, sizeof out, "/lab-guest/results/%s.json", name);
    snprintf(log, sizeof log, "/lab-guest/results/%s.log", name);
    pid_t pid = fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0) dup2(null, 0);
        char* argv[] = {(char*)runner, "run", (char*)file, "--out", out, NULL};
        char* envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME=/root", "TMPDIR=/tmp", "LANG=C.UTF-8",
                        "NO_COLOR=1", NULL};
        execve(runner, argv, envp);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int console = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
    if (console >= 0) {
        dup2(console, 0);
        dup2(console, 1);
        dup2(console, 2);
    }
    mount_or_fail("proc", "/proc", "proc", 0);
    mount_or_fail("sysfs", "/sys", "sysfs", 0);
    struct utsname names;
    uname(&names);
    say("kernel %s", names.release);
    load_modules();
    enter_disk();
    int results = open_raw("/dev/ttyS1");
    FILE* plan = fopen("/lab-guest/plan", "r");
    if (!plan) fail("/lab-guest/plan");
    char runner[512] = "", line[1024];
    if (fgets(runner, sizeof runner, plan)) runner[strcspn(runner, "\n")] = 0;
    mkdir("/lab-guest/results", 0755);
    while (fgets(line, sizeof line, plan)) {
        line[strcspn(line, "\n")] = 0;
        char* file = strchr(line, ' ');
        if (!file) continue;
        *file++ = 0;
        say("start %s", line);
        int code = run_scenario(runner, line, file);
        char path[2048], name[2048];
        snprintf(path, sizeof path, "/lab-guest/results/%s.json", line);
        snprintf(name, sizeof name, "%s.json", line);
        send_file(results, name, path);
        snprintf(path, sizeof path, "/lab-guest/results/%s.log", line);
        snprintf(name, sizeof name, "%s.log", line);
        send_file(results, name, path);
        say("end %s exit %d", line, code);
    }
    fclose(plan);
    tcdrain(results);
    say("done");
    power_off();
    return 0;
}
