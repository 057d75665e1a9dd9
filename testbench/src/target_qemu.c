/* SPDX-License-Identifier: MIT */
/*
 * QEMU target of the bench: every vector runs through hdm's glue inside a
 * QEMU built by testbench/scripts/qemu-build.sh, driven over qtest
 * (docs/qemu.md, "The bench's QEMU target"):
 *   pl011: qemu-system-aarch64 -M virt, registers at 0x09000000;
 *   hpet:  qemu-system-x86_64 -M q35 (Tn_INT_ROUTE_CAP 0xff0104) or pc
 *          (0x4), pit=off, registers at 0xfed00000.
 * A small qtest client of its own (QEMU's tests/qtest/libqtest.c is the
 * reference for the protocol): it listens on unix sockets in a private
 * temporary directory, starts QEMU with -accel qtest -qtest unix:...
 * -qmp unix:..., accesses the device with readX/writeX, moves time with
 * clock_step and sees the device's sysbus IRQ outputs through
 * irq_intercept_out (asynchronous "IRQ raise/lower N" lines).
 *
 * Time: tick -> ns = ceil(tick * num / den) (PL011: num 1e9, den UARTCLK;
 * HPET: num period_fs, den 1e6), the inverse of the glue's floor mapping,
 * exact both ways while a tick is at least 1 ns. To give every IRQ change
 * its exact tick, advance() steps QEMU's clock to each expiry of the
 * device's QEMUTimer before the target tick (glue hook x-hdm-timer-ns over
 * QMP): the core's events happen exactly there, so the lines that change
 * during one step changed at its end.
 *
 * Frames (PL011): the glue logs every frame the core reports (x-hdm-frames:
 * start, end, data, flags, bits); the data are cross-checked against the
 * bytes QEMU writes to the chardev (a unix socket the bench listens on).
 * Receive: x-hdm-rx (qom-set) calls the core's rx_frame at the current
 * tick and fails with the status name if it is not OK.
 *
 * FSB messages (HPET): the glue logs every 32-bit store it issues for the
 * core (x-hdm-msi: address, data, tick, and the memory system's
 * MemTxResult, which must be OK).
 *
 * Not observable here, so vectors that need it are SKIP: bus access status
 * (qtest has none), debug accesses, pins (TXD/RXD bits, modem, DMA lines),
 * and device configurations the glue cannot set.
 */
#define _GNU_SOURCE

#include "hdm/hpet.h"
#include "hdm/pl011.h"
#include "hdm_bench/core_config.h"
#include "hdm_bench/target.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef HDM_QEMU_DIR
#define HDM_QEMU_DIR ""
#endif

#define PL011_BASE 0x09000000ull
#define HPET_BASE  0xfed00000ull
#define PL011_HZ   24000000ull /* virt's apb-pclk, the glue's default */

/* Wall-clock limits (ms): QEMU start-up, one reply. */
#define START_TIMEOUT_MS 30000
#define REPLY_TIMEOUT_MS 20000

#define LINE_MAX_LEN 65536
#define MAX_LINES    32

typedef struct sockbuf {
    int fd;
    char *buf;
    size_t len, cap;
} sockbuf_t;

typedef struct qemu_target {
    const hdm_bench_device_t *desc;
    hdm_bench_observer_t obs;
    bool uart;
    uint64_t base;
    /* ns = ceil(tick * num / den), tick = floor(ns * den / num) */
    uint64_t num, den;

    pid_t pid;
    char dir[64];
    char path_qtest[96], path_qmp[96], path_chr[96], path_log[96];
    int lfd_qtest, lfd_qmp, lfd_chr;
    sockbuf_t qt, qmp;
    int chr_fd;
    char qom[256];

    int64_t ns;        /* QEMU_CLOCK_VIRTUAL */
    uint64_t tick;     /* tick of ns (after the last call) */
    uint64_t irq_tick; /* tick IRQ lines seen now are attributed to */
    bool level[MAX_LINES];
    int sig[MAX_LINES]; /* qtest IRQ number -> bench signal, -1 */

    hdm_bench_pl011_flags_t flags;
    uint64_t frames_seen;          /* frames (PL011) or FSB messages (HPET) */
    unsigned char chr_expect[256]; /* frame data not yet seen on the chardev */
    size_t chr_n;

    bool broken;
    char err[768]; /* the first failure */
} qemu_target_t;

/* ---- small helpers ------------------------------------------------------ */

static void qt_fail(qemu_target_t *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void log_tail(qemu_target_t *q, char *out, size_t len)
{
    out[0] = '\0';
    FILE *f = fopen(q->path_log, "r");
    if (!f) {
        return;
    }
    char line[512], last[512] = "";
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0]) {
            snprintf(last, sizeof(last), "%s", line);
        }
    }
    fclose(f);
    if (last[0]) {
        snprintf(out, len, "; QEMU said: %s", last);
    }
}

/* Reap QEMU if it exited; describe how into @a out. */
static bool qemu_exited(qemu_target_t *q, char *out, size_t len)
{
    int status;
    if (q->pid <= 0) {
        snprintf(out, len, "QEMU is not running");
        return true;
    }
    pid_t r = waitpid(q->pid, &status, WNOHANG);
    if (r != q->pid) {
        return false;
    }
    kill(-q->pid, SIGKILL); /* whatever is left of its process group */
    q->pid = -1;
    char tail[600];
    log_tail(q, tail, sizeof(tail));
    if (WIFSIGNALED(status)) {
        snprintf(out, len, "QEMU died of signal %d%s", WTERMSIG(status), tail);
    } else {
        snprintf(out, len, "QEMU exited with status %d%s",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, tail);
    }
    return true;
}

static void qt_fail(qemu_target_t *q, const char *fmt, ...)
{
    char msg[512], why[700] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (q->pid > 0) {
        /* give a dying QEMU a moment so that its reason can be reported */
        for (int i = 0; i < 10 && !qemu_exited(q, why, sizeof(why)); i++) {
            usleep(20000);
        }
    }
    if (!q->broken) {
        snprintf(q->err, sizeof(q->err), "%s%s%s", msg, why[0] ? ": " : "",
                 why);
        fprintf(stderr, "qemu target: %s\n", q->err);
    }
    q->broken = true;
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Wait until @a fd is readable; false on timeout or QEMU's death. */
static bool wait_readable(qemu_target_t *q, int fd, int timeout_ms,
                          const char *what)
{
    double end = mono_ms() + timeout_ms;
    for (;;) {
        struct pollfd p = { fd, POLLIN, 0 };
        int r = poll(&p, 1, 100);
        if (r > 0) {
            return true;
        }
        if (r < 0 && errno != EINTR) {
            qt_fail(q, "poll (%s): %s", what, strerror(errno));
            return false;
        }
        char why[700];
        if (qemu_exited(q, why, sizeof(why))) {
            qt_fail(q, "waiting for %s: %s", what, why);
            return false;
        }
        if (mono_ms() > end) {
            qt_fail(q, "no answer from QEMU within %d ms (%s)", timeout_ms,
                    what);
            return false;
        }
    }
}

static bool send_all(qemu_target_t *q, int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            qt_fail(q, "writing to QEMU: %s", strerror(errno));
            return false;
        }
        s += w;
        n -= (size_t)w;
    }
    return true;
}

/* Next '\n'-terminated line of @a b (without the newline), or NULL. */
static char *read_line(qemu_target_t *q, sockbuf_t *b, const char *what)
{
    for (;;) {
        char *nl = b->len ? memchr(b->buf, '\n', b->len) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - b->buf);
            static char line[LINE_MAX_LEN];
            if (n >= sizeof(line)) {
                qt_fail(q, "over-long line from QEMU (%s)", what);
                return NULL;
            }
            memcpy(line, b->buf, n);
            line[n] = '\0';
            if (n && line[n - 1] == '\r') {
                line[n - 1] = '\0';
            }
            memmove(b->buf, nl + 1, b->len - n - 1);
            b->len -= n + 1;
            return line;
        }
        if (b->len + 4096 > b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 8192;
            if (cap > 4 * LINE_MAX_LEN) {
                qt_fail(q, "over-long line from QEMU (%s)", what);
                return NULL;
            }
            char *nb = realloc(b->buf, cap);
            if (!nb) {
                qt_fail(q, "out of memory");
                return NULL;
            }
            b->buf = nb;
            b->cap = cap;
        }
        if (!wait_readable(q, b->fd, REPLY_TIMEOUT_MS, what)) {
            return NULL;
        }
        ssize_t r = recv(b->fd, b->buf + b->len, b->cap - b->len, 0);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            char why[700] = "connection closed";
            for (int i = 0; i < 25 && !qemu_exited(q, why, sizeof(why)); i++) {
                usleep(20000);
            }
            qt_fail(q, "%s: %s", what, why);
            return NULL;
        }
        b->len += (size_t)r;
    }
}

static uint64_t ns_of(const qemu_target_t *q, uint64_t tick)
{
    unsigned __int128 p = (unsigned __int128)tick * q->num;
    return (uint64_t)((p + q->den - 1) / q->den);
}

static uint64_t tick_of(const qemu_target_t *q, uint64_t ns)
{
    return (uint64_t)((unsigned __int128)ns * q->den / q->num);
}

/* ---- qtest ------------------------------------------------------------- */

static void irq_line(qemu_target_t *q, const char *line)
{
    bool raise = strncmp(line, "IRQ raise ", 10) == 0;
    int n = atoi(line + 10);
    if (n < 0 || n >= MAX_LINES) {
        return;
    }
    if (q->level[n] == raise) {
        return;
    }
    q->level[n] = raise;
    if (q->sig[n] >= 0) {
        q->obs.level(q->obs.opaque, (unsigned)q->sig[n], raise, q->irq_tick);
    }
}

/*
 * One qtest command; the reply ("OK ...") is returned (static buffer),
 * NULL on failure. IRQ lines before it are attributed to q->irq_tick.
 */
static const char *qtest(qemu_target_t *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *qtest(qemu_target_t *q, const char *fmt, ...)
{
    char cmd[256];
    va_list ap;
    if (q->broken) {
        return NULL;
    }
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof(cmd) - 1, fmt, ap);
    va_end(ap);
    cmd[n++] = '\n';
    cmd[n] = '\0';
    if (!send_all(q, q->qt.fd, cmd, (size_t)n)) {
        return NULL;
    }
    cmd[n - 1] = '\0';
    for (;;) {
        char *line = read_line(q, &q->qt, cmd);
        if (!line) {
            return NULL;
        }
        if (strncmp(line, "IRQ ", 4) == 0) {
            irq_line(q, line);
            continue;
        }
        if (strncmp(line, "OK", 2) == 0) {
            return line;
        }
        qt_fail(q, "qtest '%s': %s", cmd, line);
        return NULL;
    }
}

/* ---- QMP ---------------------------------------------------------------- */

/* One QMP command; the "return"/"error" reply line, NULL on failure. */
static const char *qmp(qemu_target_t *q, const char *json)
{
    if (q->broken || !send_all(q, q->qmp.fd, json, strlen(json)) ||
        !send_all(q, q->qmp.fd, "\n", 1)) {
        return NULL;
    }
    for (;;) {
        char *line = read_line(q, &q->qmp, json);
        if (!line) {
            return NULL;
        }
        if (strstr(line, "\"return\"") || strstr(line, "\"error\"")) {
            if (strncmp(line, "{\"event\"", 8) == 0) {
                continue;
            }
            return line;
        }
    }
}

/* Value after "return": of a successful reply, NULL (and fail) otherwise. */
static const char *qmp_return(qemu_target_t *q, const char *reply,
                              const char *what)
{
    if (!reply) {
        return NULL;
    }
    const char *r = strstr(reply, "\"return\":");
    if (!r) {
        qt_fail(q, "QMP %s: %s", what, reply);
        return NULL;
    }
    r += 9;
    while (*r == ' ') {
        r++;
    }
    return r;
}

static bool qom_get_int(qemu_target_t *q, const char *prop, int64_t *v)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"%s\","
             "\"property\":\"%s\"}}",
             q->qom, prop);
    const char *r = qmp_return(q, qmp(q, cmd), prop);
    if (!r) {
        return false;
    }
    char *end;
    errno = 0;
    *v = strtoll(r, &end, 10);
    if (errno || end == r) {
        qt_fail(q, "QMP %s: not an integer: %s", prop, r);
        return false;
    }
    return true;
}

/* Find the QOM path of the first child of type @a type under @a parent. */
static bool find_child(qemu_target_t *q, const char *parent, const char *type)
{
    char cmd[256], pat[96];
    snprintf(cmd, sizeof(cmd),
             "{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"%s\"}}",
             parent);
    const char *r = qmp_return(q, qmp(q, cmd), "qom-list");
    if (!r) {
        return false;
    }
    snprintf(pat, sizeof(pat), "\"child<%s>\"", type);
    const char *hit = strstr(r, pat);
    if (!hit) {
        return false;
    }
    /* the "name" member of the same object precedes its "type" */
    const char *name = NULL;
    for (const char *p = r; p && p < hit; p = strstr(p + 1, "\"name\":")) {
        if (strncmp(p, "\"name\":", 7) == 0) {
            name = p;
        }
    }
    if (!name) {
        return false;
    }
    name = strchr(name + 7, '"');
    const char *end = name ? strchr(name + 1, '"') : NULL;
    if (!end) {
        return false;
    }
    snprintf(q->qom, sizeof(q->qom), "%s/%.*s", parent, (int)(end - name - 1),
             name + 1);
    return true;
}

/* ---- frames (PL011) ------------------------------------------------------ */

static bool check_chardev(qemu_target_t *q)
{
    unsigned char buf[256];
    for (;;) {
        ssize_t r = recv(q->chr_fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        for (ssize_t i = 0; i < r; i++) {
            if (!q->chr_n) {
                qt_fail(q,
                        "chardev: byte 0x%02X without a frame at tick "
                        "%" PRIu64,
                        buf[i], q->tick);
                return false;
            }
            if (buf[i] != q->chr_expect[0]) {
                qt_fail(q,
                        "chardev: byte 0x%02X, but the frame logged "
                        "0x%02X (tick %" PRIu64 ")",
                        buf[i], q->chr_expect[0], q->tick);
                return false;
            }
            memmove(q->chr_expect, q->chr_expect + 1, --q->chr_n);
        }
    }
    return true;
}

/* Report the frames the glue logged since the last look. */
static bool poll_frames(qemu_target_t *q)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"%s\","
             "\"property\":\"x-hdm-frames\"}}",
             q->qom);
    const char *r = qmp_return(q, qmp(q, cmd), "x-hdm-frames");
    if (!r) {
        return false;
    }
    if (*r == '"') {
        r++;
    }
    char *end;
    uint64_t total = strtoull(r, &end, 10);
    if (end == r) {
        qt_fail(q, "x-hdm-frames: %s", r);
        return false;
    }
    if (total == q->frames_seen) {
        return check_chardev(q);
    }
    /* entries are frames first..total-1 */
    const char *p = end;
    uint64_t count = 0;
    for (const char *s = p; (s = strchr(s, ':')); s++) {
        count++;
    }
    count /= 4;
    uint64_t first = total - count;
    if (first > q->frames_seen) {
        qt_fail(q, "x-hdm-frames: %" PRIu64 " frames lost",
                first - q->frames_seen);
        return false;
    }
    for (uint64_t n = first; n < total; n++) {
        unsigned long long st, en;
        unsigned data, fl, bits;
        int used = 0;
        if (sscanf(p, " %llu:%llu:%u:%u:%u%n", &st, &en, &data, &fl, &bits,
                   &used) != 5) {
            qt_fail(q, "x-hdm-frames: cannot parse '%s'", p);
            return false;
        }
        p += used;
        if (n < q->frames_seen) {
            continue;
        }
        hdm_pl011_frame_t f;
        memset(&f, 0, sizeof(f));
        f.start = st;
        f.end = en;
        f.data = (uint8_t)data;
        f.flags = (uint8_t)fl;
        f.bits = (uint8_t)bits;
        if (q->obs.frame) {
            hdm_bench_frame_t bf;
            hdm_bench_pl011_frame(&q->flags, &f, &bf);
            q->obs.frame(q->obs.opaque, &bf);
        }
        if (!(fl & HDM_PL011_FRAME_BREAK)) {
            if (q->chr_n == sizeof(q->chr_expect)) {
                qt_fail(q, "chardev: more than %zu bytes missing",
                        sizeof(q->chr_expect));
                return false;
            }
            q->chr_expect[q->chr_n++] = f.data;
        }
    }
    q->frames_seen = total;
    /* QEMU writes the chardev before it answers: the bytes are here */
    for (int i = 0; q->chr_n && i < 50; i++) {
        if (!check_chardev(q)) {
            return false;
        }
        if (q->chr_n) {
            usleep(2000);
        }
    }
    if (q->chr_n) {
        qt_fail(q,
                "chardev: %zu frame byte(s) never arrived (tick %" PRIu64 ")",
                q->chr_n, q->tick);
        return false;
    }
    return true;
}

/* Report the FSB messages the HPET glue issued since the last look. */
static bool poll_msi(qemu_target_t *q)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"%s\","
             "\"property\":\"x-hdm-msi\"}}",
             q->qom);
    const char *r = qmp_return(q, qmp(q, cmd), "x-hdm-msi");
    if (!r) {
        return false;
    }
    if (*r == '"') {
        r++;
    }
    char *end;
    uint64_t total = strtoull(r, &end, 10);
    if (end == r) {
        qt_fail(q, "x-hdm-msi: %s", r);
        return false;
    }
    if (total == q->frames_seen) {
        return true;
    }
    const char *p = end;
    uint64_t count = 0;
    for (const char *s = p; (s = strchr(s, ':')); s++) {
        count++;
    }
    count /= 3;
    uint64_t first = total - count;
    if (first > q->frames_seen) {
        qt_fail(q, "x-hdm-msi: %" PRIu64 " messages lost",
                first - q->frames_seen);
        return false;
    }
    for (uint64_t n = first; n < total; n++) {
        unsigned long long addr, tick;
        unsigned data, res;
        int used = 0;
        if (sscanf(p, " %llu:%u:%llu:%u%n", &addr, &data, &tick, &res, &used) !=
            4) {
            qt_fail(q, "x-hdm-msi: cannot parse '%s'", p);
            return false;
        }
        p += used;
        if (n < q->frames_seen) {
            continue;
        }
        if (res != 0) {
            qt_fail(q,
                    "FSB store 0x%X to 0x%llX at tick %llu: the memory "
                    "system answered MemTxResult %u",
                    data, addr, tick, res);
            return false;
        }
        if (q->obs.bus_write) {
            q->obs.bus_write(q->obs.opaque, addr, data, tick);
        }
    }
    q->frames_seen = total;
    return true;
}

static bool after_call(qemu_target_t *q)
{
    if (q->broken) {
        return false;
    }
    return q->uart ? poll_frames(q) : poll_msi(q);
}

/* ---- time -----------------------------------------------------------------
 */

static bool step_to(qemu_target_t *q, int64_t ns)
{
    if (ns <= q->ns) {
        return true;
    }
    q->irq_tick = tick_of(q, (uint64_t)ns);
    const char *r = qtest(q, "clock_step %" PRId64, ns - q->ns);
    if (!r) {
        return false;
    }
    int64_t now = strtoll(r + 2, NULL, 10);
    if (now != ns) {
        qt_fail(q, "clock_step to %" PRId64 " ns reached %" PRId64, ns, now);
        return false;
    }
    q->ns = ns;
    q->tick = q->irq_tick;
    return after_call(q);
}

static int qemu_advance(void *handle, uint64_t tick)
{
    qemu_target_t *q = handle;
    if (q->broken) {
        return HDM_E_INVAL;
    }
    if (tick < q->tick) {
        return HDM_E_PAST;
    }
    int64_t target = (int64_t)ns_of(q, tick);
    while (q->ns < target) {
        int64_t next;
        if (!qom_get_int(q, "x-hdm-timer-ns", &next)) {
            return HDM_E_INVAL;
        }
        if (next < 0 || next >= target) {
            break;
        }
        if (next <= q->ns) {
            qt_fail(q,
                    "the device timer is due at %" PRId64
                    " ns, before the clock (%" PRId64 " ns)",
                    next, q->ns);
            return HDM_E_INVAL;
        }
        if (!step_to(q, next)) {
            return HDM_E_INVAL;
        }
    }
    if (!step_to(q, target)) {
        return HDM_E_INVAL;
    }
    q->tick = tick;
    return HDM_OK;
}

static char size_char(unsigned size)
{
    return size == 1 ? 'b' : size == 2 ? 'w' : size == 4 ? 'l' : 'q';
}

static int access_prepare(qemu_target_t *q, uint64_t tick, unsigned size,
                          unsigned flags)
{
    if (q->broken) {
        return HDM_E_INVAL;
    }
    if (flags & HDM_BENCH_ACCESS_DEBUG) {
        qt_fail(q, "qtest has no debug accesses");
        return HDM_E_INVAL;
    }
    if (size != 1 && size != 2 && size != 4 && size != 8) {
        qt_fail(q, "qtest cannot make a %u-byte access", size);
        return HDM_E_INVAL;
    }
    int st = qemu_advance(q, tick);
    if (st != HDM_OK) {
        return st;
    }
    q->irq_tick = tick;
    return HDM_OK;
}

static int qemu_read(void *handle, uint64_t tick, uint32_t offset,
                     unsigned size, uint64_t *value, unsigned flags)
{
    qemu_target_t *q = handle;
    *value = 0;
    int st = access_prepare(q, tick, size, flags);
    if (st != HDM_OK) {
        return st;
    }
    const char *r =
        qtest(q, "read%c 0x%" PRIx64, size_char(size), q->base + offset);
    if (!r) {
        return HDM_E_INVAL;
    }
    *value = strtoull(r + 2, NULL, 0);
    return after_call(q) ? HDM_OK : HDM_E_INVAL;
}

static int qemu_write(void *handle, uint64_t tick, uint32_t offset,
                      unsigned size, uint64_t value, unsigned flags)
{
    qemu_target_t *q = handle;
    int st = access_prepare(q, tick, size, flags);
    if (st != HDM_OK) {
        return st;
    }
    if (!qtest(q, "write%c 0x%" PRIx64 " 0x%" PRIx64, size_char(size),
               q->base + offset, value)) {
        return HDM_E_INVAL;
    }
    return after_call(q) ? HDM_OK : HDM_E_INVAL;
}

static int qemu_rx_frame(void *handle, uint64_t tick, uint32_t data,
                         unsigned flags)
{
    qemu_target_t *q = handle;
    int st = qemu_advance(q, tick);
    if (st != HDM_OK) {
        return st;
    }
    unsigned f = hdm_bench_pl011_rx_flags(&q->flags, flags);
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"%s\","
             "\"property\":\"x-hdm-rx\",\"value\":%u}}",
             q->qom, (data & 0xFFu) | (f << 8));
    const char *r = qmp(q, cmd);
    if (!r) {
        return HDM_E_INVAL;
    }
    st = HDM_OK;
    if (!strstr(r, "\"return\"")) {
        /* "pl011: x-hdm-rx: <STATUS>" */
        const char *d = strstr(r, "x-hdm-rx: ");
        char name[32] = "";
        if (!d || sscanf(d + 10, "%31[A-Z_]", name) != 1 ||
            !hdm_status_parse(name, &st) || st == HDM_OK) {
            qt_fail(q, "x-hdm-rx: %s", r);
            return HDM_E_INVAL;
        }
    }
    /* The IRQ lines it changed wait on the qtest socket: collect them. */
    q->irq_tick = tick;
    if (!qtest(q, "endianness") || !after_call(q)) {
        return HDM_E_INVAL;
    }
    return st;
}

static int qemu_set_input(void *handle, uint64_t tick, unsigned signal,
                          bool level)
{
    qemu_target_t *q = handle;
    (void)tick;
    (void)signal;
    (void)level;
    qt_fail(q, "the QEMU target drives no input pins");
    return HDM_E_INVAL;
}

static bool qemu_output_level(void *handle, unsigned signal)
{
    qemu_target_t *q = handle;
    for (unsigned n = 0; n < MAX_LINES; n++) {
        if (q->sig[n] == (int)signal) {
            return q->level[n];
        }
    }
    return false;
}

/* ---- start and stop ---------------------------------------------------- */

static void kill_qemu(qemu_target_t *q)
{
    if (q->pid <= 0) {
        return;
    }
    /* QEMU leads its own process group (a wrapper script's children too) */
    kill(-q->pid, SIGTERM);
    for (int i = 0; i < 100; i++) {
        if (waitpid(q->pid, NULL, WNOHANG) == q->pid) {
            kill(-q->pid, SIGKILL);
            q->pid = -1;
            return;
        }
        usleep(10000);
    }
    kill(-q->pid, SIGKILL);
    while (waitpid(q->pid, NULL, 0) < 0 && errno == EINTR) {
    }
    q->pid = -1;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static void qemu_close(void *handle)
{
    qemu_target_t *q = handle;
    if (!q) {
        return;
    }
    kill_qemu(q);
    close_fd(&q->qt.fd);
    close_fd(&q->qmp.fd);
    close_fd(&q->chr_fd);
    close_fd(&q->lfd_qtest);
    close_fd(&q->lfd_qmp);
    close_fd(&q->lfd_chr);
    if (q->dir[0]) {
        unlink(q->path_qtest);
        unlink(q->path_qmp);
        unlink(q->path_chr);
        unlink(q->path_log);
        rmdir(q->dir);
    }
    free(q->qt.buf);
    free(q->qmp.buf);
    free(q);
}

static int listen_unix(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_un a;
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 1) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int accept_one(qemu_target_t *q, int lfd, const char *what)
{
    if (!wait_readable(q, lfd, START_TIMEOUT_MS, what)) {
        return -1;
    }
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
        qt_fail(q, "accept (%s): %s", what, strerror(errno));
    }
    return fd;
}

static const char *qemu_binary(bool uart, char *buf, size_t len)
{
    const char *env = getenv(uart ? "HDM_QEMU_AARCH64" : "HDM_QEMU_X86_64");
    if (env && env[0]) {
        return env;
    }
    const char *dir = getenv("HDM_QEMU_DIR");
    if (!dir || !dir[0]) {
        dir = HDM_QEMU_DIR;
    }
    if (!dir[0]) {
        return NULL;
    }
    snprintf(buf, len, "%s/%s", dir,
             uart ? "qemu-system-aarch64" : "qemu-system-x86_64");
    return buf;
}

typedef struct argv_buf {
    char *v[64];
    char store[64][160];
    int n;
} argv_buf_t;

static void arg(argv_buf_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void arg(argv_buf_t *a, const char *fmt, ...)
{
    if (a->n >= 63) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->store[a->n], sizeof(a->store[a->n]), fmt, ap);
    va_end(ap);
    a->v[a->n] = a->store[a->n];
    a->v[++a->n] = NULL;
}

/* Value text of config key @a key ("every" of "wrap=every"), "" if none. */
static const char *cfg_text(const hdm_bench_open_args_t *args, const char *key)
{
    int k = hdm_bench_device_config_key(args->device, key);
    if (k < 0 || !args->config_text || !args->config_text[k]) {
        return "";
    }
    const char *eq = strchr(args->config_text[k], '=');
    return eq ? eq + 1 : args->config_text[k];
}

/* QEMU arguments of a PL011 vector; false (with @a why) to skip it. */
static bool pl011_args(qemu_target_t *q, const hdm_bench_open_args_t *args,
                       argv_buf_t *a, char *why, size_t why_len)
{
    if (args->timebase.clock_hz != PL011_HZ) {
        snprintf(why, why_len,
                 "UARTCLK %" PRIu64 " Hz: virt's PL011 clock is 24 MHz",
                 args->timebase.clock_hz);
        return false;
    }
    hdm_pl011_config_t cfg;
    hdm_bench_pl011_config(args, &cfg);
    q->num = 1000000000ull;
    q->den = PL011_HZ;
    q->base = PL011_BASE;
    arg(a, "-M");
    arg(a, "virt");
    arg(a, "-chardev");
    arg(a, "socket,id=ser0,path=%s", q->path_chr);
    arg(a, "-serial");
    arg(a, "chardev:ser0");
    static const struct {
        const char *prop;
        uint32_t quirk;
    } quirks[] = {
        { "always-enabled", HDM_PL011_QUIRK_ALWAYS_ENABLED },
        { "rx-trigger-1", HDM_PL011_QUIRK_RX_TRIGGER_1 },
        { "instant-tx", HDM_PL011_QUIRK_INSTANT_TX },
        { "tx-8bit", HDM_PL011_QUIRK_TX_8BIT },
    };
    uint32_t known = 0;
    for (unsigned i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++) {
        known |= quirks[i].quirk;
    }
    if (cfg.quirks & ~known) {
        snprintf(why, why_len, "quirks 0x%" PRIx32 ": no glue property",
                 cfg.quirks & ~known);
        return false;
    }
    arg(a, "-global");
    arg(a, "pl011.revision=%s",
        cfg.revision == HDM_PL011_R1P4 ? "r1p4" : "r1p5");
    arg(a, "-global");
    arg(a, "pl011.timing=on");
    arg(a, "-global");
    arg(a, "pl011.periph-id=0x%08" PRIx32, cfg.periph_id);
    for (unsigned i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++) {
        arg(a, "-global");
        arg(a, "pl011.%s=%s", quirks[i].prop,
            (cfg.quirks & quirks[i].quirk) ? "on" : "off");
    }
    return true;
}

/* QEMU arguments of an HPET vector; false (with @a why) to skip it. */
static bool hpet_args(qemu_target_t *q, const hdm_bench_open_args_t *args,
                      argv_buf_t *a, char *why, size_t why_len)
{
    hdm_hpet_config_t c;
    hdm_bench_hpet_config(args, &c);
    unsigned n = c.num_timers;
    if (n < 3) {
        snprintf(why, why_len,
                 "timers=%u: QEMU's hpet has 3..32 timers (the property is "
                 "clamped)",
                 n);
        return false;
    }
    if (c.period_fs < 1000000u) {
        snprintf(why, why_len,
                 "period_fs=%u: a tick shorter than 1 ns has no exact "
                 "QEMU_CLOCK_VIRTUAL time",
                 (unsigned)c.period_fs);
        return false;
    }
    uint32_t m64 = 0, mper = 0, mfsb = 0;
    for (unsigned i = 0; i < n; i++) {
        m64 |= c.timer[i].size64 ? 1u << i : 0;
        mper |= c.timer[i].periodic ? 1u << i : 0;
        mfsb |= c.timer[i].fsb ? 1u << i : 0;
        if (c.timer[i].route_cap != c.timer[0].route_cap) {
            snprintf(why, why_len, "route_cap differs between timers");
            return false;
        }
    }
    const char *machine;
    if (c.timer[0].route_cap == 0x00FF0104u) {
        machine = "q35,pit=off";
    } else if (c.timer[0].route_cap == 0x4u) {
        machine = "pc,pit=off";
    } else {
        snprintf(why, why_len,
                 "route_cap=0x%08X: the boards set hpet-intcap (q35 "
                 "0x00FF0104, pc 0x4)",
                 (unsigned)c.timer[0].route_cap);
        return false;
    }
    q->num = c.period_fs;
    q->den = 1000000u;
    q->base = HPET_BASE;
    arg(a, "-M");
    arg(a, "%s", machine);
    arg(a, "-global");
    arg(a, "hpet.timers=%u", n);
    arg(a, "-global");
    arg(a, "hpet.msi=off");
    arg(a, "-global");
    arg(a, "hpet.fsb=0x%" PRIx32, mfsb);
    arg(a, "-global");
    arg(a, "hpet.timers64=0x%" PRIx32, m64);
    arg(a, "-global");
    arg(a, "hpet.periodic=0x%" PRIx32, mper);
    arg(a, "-global");
    arg(a, "hpet.vendor-id=0x%x", (unsigned)c.vendor_id);
    arg(a, "-global");
    arg(a, "hpet.rev-id=%u", (unsigned)c.rev_id);
    arg(a, "-global");
    arg(a, "hpet.leg-rt-cap=%s", c.leg_rt_cap ? "on" : "off");
    arg(a, "-global");
    arg(a, "hpet.period-fs=%u", (unsigned)c.period_fs);
    arg(a, "-global");
    arg(a, "hpet.counter-64=%s", c.counter64 ? "on" : "off");
    arg(a, "-global");
    arg(a, "hpet.cmp-latency=%u", c.cmp_latency);
    arg(a, "-global");
    arg(a, "hpet.stale-cmp-read=%s", c.stale_cmp_read ? "on" : "off");
    static const struct {
        const char *key, *prop;
    } pol[] = {
        { "wrap", "wrap" },
        { "valset", "valset" },
        { "counter_write", "counter-write" },
        { "bad_route", "bad-route" },
        { "intenb_clear", "intenb-clear" },
    };
    for (unsigned i = 0; i < sizeof(pol) / sizeof(pol[0]); i++) {
        const char *v = cfg_text(args, pol[i].key);
        if (v[0]) {
            arg(a, "-global");
            arg(a, "hpet.%s=%s", pol[i].prop, v);
        }
    }
    return true;
}

static int qemu_open(void **handle, const hdm_bench_open_args_t *args,
                     char *why, size_t why_len)
{
    const hdm_bench_device_t *desc = args->device;
    bool uart = strcmp(desc->name, "pl011") == 0;
    if (!uart && strcmp(desc->name, "hpet") != 0) {
        snprintf(why, why_len, "no QEMU glue for %s", desc->name);
        return HDM_BENCH_OPEN_SKIP;
    }
    char binbuf[4096];
    const char *bin = qemu_binary(uart, binbuf, sizeof(binbuf));
    if (!bin) {
        snprintf(why, why_len,
                 "no QEMU configured (HDM_QEMU_DIR at build time or in the "
                 "environment)");
        return HDM_E_INVAL;
    }
    if (access(bin, X_OK) != 0) {
        snprintf(why, why_len, "%s: %s", bin, strerror(errno));
        return HDM_E_INVAL;
    }
    qemu_target_t *q = calloc(1, sizeof(*q));
    if (!q) {
        snprintf(why, why_len, "out of memory");
        return HDM_E_INVAL;
    }
    q->desc = desc;
    q->obs = args->observer;
    q->uart = uart;
    q->pid = -1;
    q->qt.fd = q->qmp.fd = q->chr_fd = -1;
    q->lfd_qtest = q->lfd_qmp = q->lfd_chr = -1;
    for (unsigned n = 0; n < MAX_LINES; n++) {
        q->sig[n] = -1;
    }
    for (unsigned i = 0; i < desc->nsignals; i++) {
        const hdm_bench_signal_desc_t *s = &desc->signals[i];
        if (s->kind == HDM_BENCH_SIG_IRQ && s->dev_id < MAX_LINES) {
            q->sig[s->dev_id] = (int)i;
        }
    }
    if (uart) {
        hdm_bench_pl011_flags_init(desc, &q->flags);
    }

    const char *tmp = getenv("TMPDIR");
    snprintf(q->dir, sizeof(q->dir), "%s/hdm-qemu-XXXXXX",
             tmp && tmp[0] && strlen(tmp) < 30 ? tmp : "/tmp");
    if (!mkdtemp(q->dir)) {
        snprintf(why, why_len, "mkdtemp: %s", strerror(errno));
        q->dir[0] = '\0';
        qemu_close(q);
        return HDM_E_INVAL;
    }
    snprintf(q->path_qtest, sizeof(q->path_qtest), "%s/qtest", q->dir);
    snprintf(q->path_qmp, sizeof(q->path_qmp), "%s/qmp", q->dir);
    snprintf(q->path_chr, sizeof(q->path_chr), "%s/serial", q->dir);
    snprintf(q->path_log, sizeof(q->path_log), "%s/log", q->dir);

    argv_buf_t *a = calloc(1, sizeof(*a));
    if (!a) {
        snprintf(why, why_len, "out of memory");
        qemu_close(q);
        return HDM_E_INVAL;
    }
    arg(a, "%s", bin);
    bool ok = uart ? pl011_args(q, args, a, why, why_len)
                   : hpet_args(q, args, a, why, why_len);
    if (!ok) {
        free(a);
        qemu_close(q);
        return HDM_BENCH_OPEN_SKIP;
    }
    arg(a, "-accel");
    arg(a, "qtest");
    arg(a, "-qtest");
    arg(a, "unix:%s", q->path_qtest);
    arg(a, "-qmp");
    arg(a, "unix:%s", q->path_qmp);
    arg(a, "-display");
    arg(a, "none");
    arg(a, "-nodefaults");
    arg(a, "-no-user-config");

    q->lfd_qtest = listen_unix(q->path_qtest);
    q->lfd_qmp = listen_unix(q->path_qmp);
    q->lfd_chr = uart ? listen_unix(q->path_chr) : -2;
    if (q->lfd_qtest < 0 || q->lfd_qmp < 0 || q->lfd_chr == -1) {
        snprintf(why, why_len, "cannot listen in %s: %s", q->dir,
                 strerror(errno));
        free(a);
        qemu_close(q);
        return HDM_E_INVAL;
    }
    if (q->lfd_chr == -2) {
        q->lfd_chr = -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t bench = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, why_len, "fork: %s", strerror(errno));
        free(a);
        qemu_close(q);
        return HDM_E_INVAL;
    }
    if (pid == 0) {
        setpgid(0, 0);
        /* a bench killed by a timeout must not leave QEMU behind */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != bench) {
            _exit(127);
        }
        int fd = open(q->path_log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int nul = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (nul >= 0) {
            dup2(nul, 0);
        }
        execv(a->v[0], a->v);
        _exit(127);
    }
    free(a);
    setpgid(pid, pid); /* also here: no race with kill_qemu() */
    q->pid = pid;

    int st = HDM_E_INVAL;
    q->qt.fd = accept_one(q, q->lfd_qtest, "QEMU to connect (qtest)");
    if (q->qt.fd >= 0) {
        q->qmp.fd = accept_one(q, q->lfd_qmp, "QEMU to connect (QMP)");
    }
    if (uart && q->qmp.fd >= 0) {
        q->chr_fd = accept_one(q, q->lfd_chr, "QEMU to connect (serial)");
    }
    if (q->broken) {
        goto fail;
    }
    /* greeting, then capabilities negotiation */
    if (!read_line(q, &q->qmp, "QMP greeting") ||
        !qmp_return(q, qmp(q, "{\"execute\":\"qmp_capabilities\"}"),
                    "qmp_capabilities")) {
        goto fail;
    }
    const char *type = uart ? "pl011" : "hpet";
    if (!find_child(q, "/machine/unattached", type) &&
        !find_child(q, "/machine/peripheral-anon", type)) {
        qt_fail(q, "no %s device found over QMP qom-list", type);
        goto fail;
    }
    const char *r = qtest(q, "irq_intercept_out %s sysbus-irq", q->qom);
    if (!r) {
        goto fail;
    }
    /*
     * The virtual clock starts at 0 under qtest, so the glue's ns_base is 0
     * too (set at realize): clock_set 0 answers "OK 0" only if it still is.
     */
    if (!qtest(q, "clock_set 0")) {
        goto fail;
    }
    q->ns = 0;
    q->tick = 0;
    int64_t next;
    if (!qom_get_int(q, "x-hdm-timer-ns", &next)) {
        goto fail;
    }
    *handle = q;
    return HDM_OK;

fail:
    snprintf(why, why_len, "QEMU did not start: %s",
             q->err[0] ? q->err : "no reason known");
    qemu_close(q);
    return st;
}

static const hdm_bench_target_ops_t qemu_pl011_ops = {
    .open = qemu_open,
    .advance = qemu_advance,
    .read = qemu_read,
    .write = qemu_write,
    .rx_frame = qemu_rx_frame,
    .set_input = qemu_set_input,
    .output_level = qemu_output_level,
    .close = qemu_close,
};

static const hdm_bench_target_ops_t qemu_hpet_ops = {
    .open = qemu_open,
    .advance = qemu_advance,
    .read = qemu_read,
    .write = qemu_write,
    .rx_frame = NULL,
    .set_input = qemu_set_input,
    .output_level = qemu_output_level,
    .close = qemu_close,
};

/* Interrupt lines and frames with exact ticks; nothing at pin level. */
const hdm_bench_target_t hdm_bench_target_qemu_pl011 = {
    .name = "qemu",
    .device = "pl011",
    .caps = HDM_BENCH_CAP_EXACT,
    .ops = &qemu_pl011_ops,
};

/* Lines with exact ticks, and the FSB stores the glue issues (x-hdm-msi). */
const hdm_bench_target_t hdm_bench_target_qemu_hpet = {
    .name = "qemu",
    .device = "hpet",
    .caps = HDM_BENCH_CAP_EXACT | HDM_BENCH_CAP_MSI,
    .ops = &qemu_hpet_ops,
};
