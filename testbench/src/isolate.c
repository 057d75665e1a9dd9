/* SPDX-License-Identifier: MIT */
/* Bench jobs in a child process (hdm_bench/isolate.h). */
#define _POSIX_C_SOURCE 200809L

#include "hdm_bench/isolate.h"
#include "hdm_bench/util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- wire format: fixed header, then length-prefixed strings ---------- */

typedef struct wire_head {
    uint32_t magic;
    int32_t verdict;
    uint32_t ran;
    uint32_t nmessages;
    uint64_t suppressed;
    uint64_t end_tick;
    hdm_bench_timebase_t timebase;
} wire_head_t;

#define WIRE_MAGIC      0x48424A31u /* "HBJ1" */
#define WIRE_MAX_STRING (1u << 20)

typedef struct buf {
    unsigned char *p;
    size_t n, cap;
    bool oom;
} buf_t;

static void put(buf_t *b, const void *d, size_t n)
{
    if (b->oom || !hdm_bench_grow((void **)&b->p, &b->cap, b->n + n, 1)) {
        b->oom = true;
        return;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void put_str(buf_t *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
    put(b, &n, sizeof(n));
    if (s) {
        put(b, s, n);
    }
}

static bool write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void child(hdm_bench_job_fn fn, void *arg, int fd)
{
    hdm_bench_result_t r;
    char *note = NULL;
    memset(&r, 0, sizeof(r));
    fn(arg, &r, &note);
    buf_t b = { NULL, 0, 0, false };
    wire_head_t h;
    memset(&h, 0, sizeof(h));
    h.magic = WIRE_MAGIC;
    h.verdict = (int32_t)r.verdict;
    h.ran = r.ran;
    h.nmessages = (uint32_t)r.nmessages;
    h.suppressed = r.suppressed;
    h.end_tick = r.end_tick;
    h.timebase = r.timebase;
    put(&b, &h, sizeof(h));
    put_str(&b, r.skip_reason);
    for (size_t i = 0; i < r.nmessages; i++) {
        put_str(&b, r.messages[i]);
    }
    put_str(&b, note);
    fflush(stdout);
    fflush(stderr);
    int rc = !b.oom && write_all(fd, b.p, b.n) ? 0 : 3;
    /* _exit: no atexit handlers or static destructors of a half-torn-down
     * simulation kernel; the parent owns the process's stdio. */
    _exit(rc);
}

/* ---- parent side -------------------------------------------------------- */

typedef struct rd {
    const unsigned char *p;
    size_t n, at;
    bool bad;
} rd_t;

static bool get(rd_t *r, void *d, size_t n)
{
    if (r->bad || r->n - r->at < n) {
        r->bad = true;
        return false;
    }
    memcpy(d, r->p + r->at, n);
    r->at += n;
    return true;
}

static char *get_str(rd_t *r)
{
    uint32_t n;
    if (!get(r, &n, sizeof(n)) || n == UINT32_MAX) {
        return NULL;
    }
    if (n > WIRE_MAX_STRING || r->n - r->at < n) {
        r->bad = true;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->bad = true;
        return NULL;
    }
    memcpy(s, r->p + r->at, n);
    s[n] = '\0';
    r->at += n;
    return s;
}

static void fail(hdm_bench_result_t *r, char *msg)
{
    r->verdict = HDM_BENCH_FAIL;
    if (msg && hdm_bench_grow((void **)&r->messages, &r->messages_cap,
                              r->nmessages + 1, sizeof(char *))) {
        r->messages[r->nmessages++] = msg;
    } else {
        free(msg);
    }
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void hdm_bench_isolated(hdm_bench_job_fn fn, void *arg, unsigned timeout_s,
                        hdm_bench_result_t *r, char **note)
{
    memset(r, 0, sizeof(*r));
    *note = NULL;
    int fds[2];
    if (pipe(fds) != 0) {
        fail(r,
             hdm_bench_asprintf("cannot create a pipe: %s", strerror(errno)));
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        fail(r, hdm_bench_asprintf("cannot fork: %s", strerror(errno)));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        child(fn, arg, fds[1]);
    }
    close(fds[1]);

    buf_t in = { NULL, 0, 0, false };
    bool timed_out = false;
    double deadline = mono_s() + timeout_s;
    for (;;) {
        double left = deadline - mono_s();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = { fds[0], POLLIN, 0 };
        int pr = poll(&pfd, 1, left > 1.0 ? 1000 : (int)(left * 1000) + 1);
        if (pr < 0 && errno == EINTR) {
            continue;
        }
        if (pr <= 0) {
            continue;
        }
        unsigned char chunk[4096];
        ssize_t got = read(fds[0], chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break; /* EOF: the child exited or closed the pipe */
        }
        put(&in, chunk, (size_t)got);
    }
    close(fds[0]);
    if (timed_out) {
        kill(pid, SIGKILL);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }

    if (timed_out) {
        fail(r,
             hdm_bench_asprintf("target process killed after %u s", timeout_s));
        free(in.p);
        return;
    }
    if (WIFSIGNALED(status)) {
        fail(r,
             hdm_bench_asprintf("target process died: signal %d (%s)",
                                WTERMSIG(status), strsignal(WTERMSIG(status))));
        free(in.p);
        return;
    }
    rd_t rd = { in.p, in.n, 0, in.oom };
    wire_head_t h;
    if (!get(&rd, &h, sizeof(h)) || h.magic != WIRE_MAGIC ||
        h.verdict < HDM_BENCH_PASS || h.verdict > HDM_BENCH_SKIP) {
        fail(r,
             hdm_bench_asprintf("target process exited with status %d "
                                "without a result",
                                WIFEXITED(status) ? WEXITSTATUS(status) : -1));
        free(in.p);
        return;
    }
    r->verdict = (hdm_bench_verdict_t)h.verdict;
    r->ran = h.ran != 0;
    r->suppressed = h.suppressed;
    r->end_tick = h.end_tick;
    r->timebase = h.timebase;
    r->skip_reason = get_str(&rd);
    for (uint32_t i = 0; i < h.nmessages && !rd.bad; i++) {
        char *m = get_str(&rd);
        if (m && hdm_bench_grow((void **)&r->messages, &r->messages_cap,
                                r->nmessages + 1, sizeof(char *))) {
            r->messages[r->nmessages++] = m;
        } else {
            free(m);
        }
    }
    *note = get_str(&rd);
    if (rd.bad) {
        fail(r, hdm_bench_asprintf("truncated result from the target "
                                   "process"));
    }
    free(in.p);
}
