/* inplace_floor.c — the least a program can do to show what scenarios/inplace.json shows, with the
 * same hosts and libraries: start process1 on v1, call chapters 1-8, overwrite libfoo.so with v2
 * through O_TRUNC, call chapter 5, wait for process1's death, start process2, call 1-8, quit.
 * No observation, no result file: the floor `lab run` is measured against (scenario_bench.cc).
 *
 *   inplace_floor BIN_DIR LIBFOO_DIR      (hosts in BIN_DIR, variants in LIBFOO_DIR/v1, /v2)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct host {
    pid_t pid;
    FILE* in;   /* what the host reads */
    FILE* out;  /* what the host says */
};

static void die(const char* what)
{
    perror(what);
    exit(1);
}

static struct host start(const char* executable, const char* dir)
{
    int to_host[2], from_host[2];
    if (pipe2(to_host, O_CLOEXEC) || pipe2(from_host, O_CLOEXEC)) die("pipe");
    struct host host;
    host.pid = fork();
    if (host.pid < 0) die("fork");
    if (host.pid == 0) {
        /* As lab's hosts (system/child.cc): a crash writes no core file, whatever the shell allows. */
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        dup2(to_host[0], 0);
        dup2(from_host[1], 1);
        setenv("LD_LIBRARY_PATH", dir, 1);
        execl(executable, executable, (char*)NULL);
        _exit(127);
    }
    close(to_host[0]);
    close(from_host[1]);
    host.in = fdopen(to_host[1], "w");
    host.out = fdopen(from_host[0], "r");
    return host;
}

/* Sends a line; returns the answer's first line, or NULL when the host is gone. */
static char* ask(struct host* host, const char* line, char* answer, size_t size)
{
    fprintf(host->in, "%s\n", line);
    fflush(host->in);
    return fgets(answer, (int)size, host->out);
}

static void call_all(struct host* host)
{
    char line[256], answer[256];
    for (int chapter = 1; chapter <= 8; ++chapter) {
        snprintf(line, sizeof line, "call %d", chapter);
        if (!ask(host, line, answer, sizeof answer)) die("call");
    }
}

static void copy(const char* from, const char* to, int flags)
{
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | flags, 0755);
    if (in < 0 || out < 0) die(from);
    char buffer[1 << 16];
    ssize_t got;
    while ((got = read(in, buffer, sizeof buffer)) > 0)
        if (write(out, buffer, (size_t)got) != got) die("write");
    close(in);
    close(out);
}

int main(int argc, char** argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: inplace_floor BIN_DIR LIBFOO_DIR\n");
        return 2;
    }
    const char* tmp = getenv("TMPDIR");
    char dir[4096], library[4200], path[4096], answer[256];
    snprintf(dir, sizeof dir, "%s/inplace-floor.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) die("mkdtemp");
    snprintf(library, sizeof library, "%s/libfoo.so", dir);
    snprintf(path, sizeof path, "%s/v1/libfoo.so", argv[2]);
    copy(path, library, O_CREAT | O_TRUNC);

    snprintf(path, sizeof path, "%s/process1", argv[1]);
    struct host first = start(path, dir);
    if (!fgets(answer, sizeof answer, first.out)) die("ready");
    call_all(&first);
    snprintf(path, sizeof path, "%s/v2/libfoo.so", argv[2]);
    copy(path, library, O_TRUNC);  /* the same file, truncated and rewritten: what cp does */
    ask(&first, "call 5", answer, sizeof answer);  /* no answer: it dies of the stale pointer */
    int status;
    waitpid(first.pid, &status, 0);
    fclose(first.in);
    fclose(first.out);

    snprintf(path, sizeof path, "%s/process2", argv[1]);
    struct host second = start(path, dir);
    if (!fgets(answer, sizeof answer, second.out)) die("ready");
    call_all(&second);
    ask(&second, "quit", answer, sizeof answer);
    waitpid(second.pid, &status, 0);
    fclose(second.in);
    fclose(second.out);

    unlink(library);
    rmdir(dir);
    return WIFSIGNALED(status) ? 1 : 0;
}
