/* SPDX-License-Identifier: MIT */
/*
 * hdm bench trace record and expectation engine. Nothing here knows a
 * device: signal names and frame flag names come from the descriptor.
 */
#include "hdm_bench/trace.h"
#include "hdm_bench/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT64_MAX

typedef unsigned long long ull;

bool hdm_bench_trace_init(hdm_bench_trace_t *t, const hdm_bench_device_t *dev)
{
    memset(t, 0, sizeof(*t));
    t->dev = dev;
    t->sig = calloc(dev->nsignals ? dev->nsignals : 1, sizeof(*t->sig));
    if (!t->sig) {
        t->oom = true;
        return false;
    }
    for (unsigned i = 0; i < dev->nsignals; i++) {
        t->sig[i].initial =
            dev->signals[i].kind == HDM_BENCH_SIG_INPUT && dev->signals[i].idle;
    }
    return true;
}

void hdm_bench_trace_free(hdm_bench_trace_t *t)
{
    if (t->sig) {
        for (unsigned i = 0; i < t->dev->nsignals; i++) {
            free(t->sig[i].changes);
        }
    }
    free(t->sig);
    free(t->frames);
    free(t->acc);
    free(t->fifo);
    free(t->msi);
    memset(t, 0, sizeof(*t));
}

void hdm_bench_trace_set_initial(hdm_bench_trace_t *t, unsigned sig, bool level)
{
    if (t->sig && sig < t->dev->nsignals) {
        t->sig[sig].initial = level;
    }
}

/* Index of the first change with tick > @a tick. */
static size_t upper_bound(const hdm_bench_sigtrace_t *s, uint64_t tick)
{
    size_t lo = 0, hi = s->nchanges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->changes[mid].tick <= tick) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

void hdm_bench_trace_level(hdm_bench_trace_t *t, unsigned sig, bool level,
                           uint64_t tick)
{
    if (!t->sig || sig >= t->dev->nsignals) {
        return;
    }
    hdm_bench_sigtrace_t *s = &t->sig[sig];
    /* Reports normally come in tick order; keep the record sorted anyway. */
    size_t at = upper_bound(s, tick);
    bool before = at ? s->changes[at - 1].level : s->initial;
    if (before == level) {
        return;
    }
    if (!hdm_bench_grow((void **)&s->changes, &s->cap, s->nchanges + 1,
                        sizeof(*s->changes))) {
        t->oom = true;
        return;
    }
    memmove(&s->changes[at + 1], &s->changes[at],
            (s->nchanges - at) * sizeof(*s->changes));
    s->changes[at].tick = tick;
    s->changes[at].level = level;
    s->nchanges++;
}

void hdm_bench_trace_frame(hdm_bench_trace_t *t, const hdm_bench_frame_t *f)
{
    if (!hdm_bench_grow((void **)&t->frames, &t->frames_cap, t->nframes + 1,
                        sizeof(*t->frames))) {
        t->oom = true;
        return;
    }
    /* Keep frames ordered by end tick (stable). */
    size_t at = t->nframes;
    while (at && t->frames[at - 1].f.end > f->end) {
        at--;
    }
    memmove(&t->frames[at + 1], &t->frames[at],
            (t->nframes - at) * sizeof(*t->frames));
    t->frames[at].f = *f;
    t->frames[at].matched = false;
    t->nframes++;
}

void hdm_bench_trace_access(hdm_bench_trace_t *t, const hdm_bench_access_t *a)
{
    if (!hdm_bench_grow((void **)&t->acc, &t->acc_cap, t->nacc + 1,
                        sizeof(*t->acc))) {
        t->oom = true;
        return;
    }
    t->acc[t->nacc++] = *a;
}

void hdm_bench_trace_fifo(hdm_bench_trace_t *t, unsigned tx, unsigned rx,
                          uint64_t tick)
{
    uint16_t tx16 = tx > 0xFFFF ? 0xFFFF : (uint16_t)tx;
    uint16_t rx16 = rx > 0xFFFF ? 0xFFFF : (uint16_t)rx;
    if (t->nfifo) {
        const hdm_bench_fifo_sample_t *last = &t->fifo[t->nfifo - 1];
        if (last->tx == tx16 && last->rx == rx16) {
            return;
        }
    }
    if (!hdm_bench_grow((void **)&t->fifo, &t->fifo_cap, t->nfifo + 1,
                        sizeof(*t->fifo))) {
        t->oom = true;
        return;
    }
    hdm_bench_fifo_sample_t *s = &t->fifo[t->nfifo++];
    s->tick = tick;
    s->tx = tx16;
    s->rx = rx16;
}

void hdm_bench_trace_msi(hdm_bench_trace_t *t, uint64_t addr, uint32_t data,
                         uint64_t tick)
{
    if (!hdm_bench_grow((void **)&t->msi, &t->msi_cap, t->nmsi + 1,
                        sizeof(*t->msi))) {
        t->oom = true;
        return;
    }
    /* Keep writes ordered by tick (stable). */
    size_t at = t->nmsi;
    while (at && t->msi[at - 1].tick > tick) {
        at--;
    }
    memmove(&t->msi[at + 1], &t->msi[at], (t->nmsi - at) * sizeof(*t->msi));
    t->msi[at].tick = tick;
    t->msi[at].addr = addr;
    t->msi[at].data = data;
    t->msi[at].matched = false;
    t->nmsi++;
}

static void obs_level(void *opaque, unsigned signal, bool level, uint64_t tick)
{
    hdm_bench_trace_level(opaque, signal, level, tick);
}

static void obs_frame(void *opaque, const hdm_bench_frame_t *frame)
{
    hdm_bench_trace_frame(opaque, frame);
}

static void obs_fifo(void *opaque, unsigned tx, unsigned rx, uint64_t tick)
{
    hdm_bench_trace_fifo(opaque, tx, rx, tick);
}

static void obs_bus_write(void *opaque, uint64_t addr, uint32_t data,
                          uint64_t tick)
{
    hdm_bench_trace_msi(opaque, addr, data, tick);
}

hdm_bench_observer_t hdm_bench_trace_observer(hdm_bench_trace_t *t)
{
    hdm_bench_observer_t o = { t, obs_level, obs_frame, obs_fifo,
                               obs_bus_write };
    return o;
}

bool hdm_bench_trace_level_at(const hdm_bench_trace_t *t, unsigned sig,
                              uint64_t tick, uint64_t *since)
{
    const hdm_bench_sigtrace_t *s = &t->sig[sig];
    size_t at = upper_bound(s, tick);
    if (since) {
        *since = at ? s->changes[at - 1].tick : NONE;
    }
    return at ? s->changes[at - 1].level : s->initial;
}

/* ---- expectations ---------------------------------------------------- */

static const char *sig_name(const hdm_bench_trace_t *t, unsigned sig)
{
    return sig < t->dev->nsignals ? t->dev->signals[sig].name : "?";
}

static void since_text(uint64_t since, char *buf, size_t len)
{
    if (since == NONE) {
        snprintf(buf, len, "initial level, no change since tick 0");
    } else {
        snprintf(buf, len, "last change at tick %llu", (ull)since);
    }
}

bool hdm_bench_expect_level(const hdm_bench_trace_t *t, unsigned sig,
                            bool level, uint64_t tick, char *msg, size_t len)
{
    uint64_t since;
    bool was = hdm_bench_trace_level_at(t, sig, tick, &since);
    if (was == level) {
        return true;
    }
    char s[64];
    since_text(since, s, sizeof(s));
    snprintf(msg, len, "expected %s=%d at tick %llu, was %d (%s)",
             sig_name(t, sig), level, (ull)tick, was, s);
    return false;
}

bool hdm_bench_expect_edge(const hdm_bench_trace_t *t, unsigned sig, bool level,
                           uint64_t t0, uint64_t t1, uint64_t *at, char *msg,
                           size_t len)
{
    const hdm_bench_sigtrace_t *s = &t->sig[sig];
    size_t first = upper_bound(s, t0);
    size_t end = upper_bound(s, t1);
    for (size_t i = first; i < end; i++) {
        if (s->changes[i].level == level) {
            if (at) {
                *at = s->changes[i].tick;
            }
            return true;
        }
    }
    /* Say what happened instead. */
    char what[160], next[96] = "", prev[96] = "";
    const char *name = sig_name(t, sig);
    uint64_t since;
    bool lvl0 = hdm_bench_trace_level_at(t, sig, t0, &since);
    if (first == end) {
        char st[64];
        since_text(since, st, sizeof(st));
        snprintf(what, sizeof(what), "%s stayed %d (%s)", name, lvl0, st);
    } else {
        snprintf(what, sizeof(what), "%s only changed to %d (at tick %llu)",
                 name, !level, (ull)s->changes[first].tick);
    }
    for (size_t i = end; i < s->nchanges; i++) {
        if (s->changes[i].level == level) {
            snprintf(next, sizeof(next), "; next change to %d at tick %llu",
                     level, (ull)s->changes[i].tick);
            break;
        }
    }
    for (size_t i = first; i > 0; i--) {
        if (s->changes[i - 1].level == level) {
            snprintf(prev, sizeof(prev),
                     "; last change to %d before the window at tick %llu",
                     level, (ull)s->changes[i - 1].tick);
            break;
        }
    }
    snprintf(msg, len,
             "expected an edge of %s to %d in (%llu, %llu], "
             "none: %s%s%s",
             name, level, (ull)t0, (ull)t1, what, next, prev);
    return false;
}

bool hdm_bench_expect_stable(const hdm_bench_trace_t *t, unsigned sig,
                             bool level, uint64_t t0, uint64_t t1, char *msg,
                             size_t len)
{
    const hdm_bench_sigtrace_t *s = &t->sig[sig];
    uint64_t since;
    bool was = hdm_bench_trace_level_at(t, sig, t0, &since);
    const char *name = sig_name(t, sig);
    if (was != level) {
        char st[64];
        since_text(since, st, sizeof(st));
        snprintf(msg, len,
                 "expected %s=%d throughout [%llu, %llu], was %d "
                 "at tick %llu (%s)",
                 name, level, (ull)t0, (ull)t1, was, (ull)t0, st);
        return false;
    }
    size_t first = upper_bound(s, t0);
    size_t end = upper_bound(s, t1);
    if (first == end) {
        return true;
    }
    snprintf(msg, len,
             "expected %s=%d throughout [%llu, %llu], changed to "
             "%d at tick %llu (%zu change%s in the window)",
             name, level, (ull)t0, (ull)t1, s->changes[first].level,
             (ull)s->changes[first].tick, end - first,
             end - first == 1 ? "" : "s");
    return false;
}

void hdm_bench_frame_flags_format(const hdm_bench_device_t *dev, uint32_t flags,
                                  char *buf, size_t len)
{
    size_t used = 0;
    if (!len) {
        return;
    }
    buf[0] = '\0';
    for (unsigned i = 0; dev->frame_flags && dev->frame_flags[i]; i++) {
        if (!(flags & (1u << i))) {
            continue;
        }
        int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "",
                         dev->frame_flags[i]);
        if (n < 0 || (size_t)n >= len - used) {
            return;
        }
        used += (size_t)n;
    }
    if (!used) {
        snprintf(buf, len, "none");
    }
}

static void frame_text(const hdm_bench_trace_t *t, const hdm_bench_frame_t *f,
                       char *buf, size_t len)
{
    char fl[64];
    hdm_bench_frame_flags_format(t->dev, f->flags, fl, sizeof(fl));
    snprintf(buf, len, "0x%02X (flags=%s) from tick %llu to %llu",
             (unsigned)f->data, fl, (ull)f->start, (ull)f->end);
}

static uint32_t frame_data(const hdm_bench_frame_t *f)
{
    if (f->bits == 0 || f->bits >= 32) {
        return f->data;
    }
    return f->data & ((UINT32_C(1) << f->bits) - 1);
}

bool hdm_bench_expect_frame(hdm_bench_trace_t *t, uint32_t data,
                            bool check_flags, uint32_t flags, uint64_t t0,
                            uint64_t t1, hdm_bench_frame_t *out, char *msg,
                            size_t len)
{
    char want[128], got[160];
    char fl[64] = "";
    if (check_flags) {
        char names[48];
        hdm_bench_frame_flags_format(t->dev, flags, names, sizeof(names));
        snprintf(fl, sizeof(fl), " with flags=%s", names);
    }
    snprintf(want, sizeof(want), "0x%02X%s", (unsigned)data, fl);
    for (size_t i = 0; i < t->nframes; i++) {
        hdm_bench_tframe_t *tf = &t->frames[i];
        if (tf->matched || tf->f.end <= t0 || tf->f.end > t1) {
            continue;
        }
        tf->matched = true;
        bool ok = frame_data(&tf->f) == data &&
                  (!check_flags || tf->f.flags == flags);
        if (ok) {
            if (out) {
                *out = tf->f;
            }
            return true;
        }
        frame_text(t, &tf->f, got, sizeof(got));
        snprintf(msg, len, "expected frame %s ending in (%llu, %llu], got %s",
                 want, (ull)t0, (ull)t1, got);
        return false;
    }
    /* No candidate: describe the neighbourhood. */
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    size_t in_window = 0;
    const hdm_bench_frame_t *before = NULL, *after = NULL;
    for (size_t i = 0; i < t->nframes; i++) {
        const hdm_bench_frame_t *f = &t->frames[i].f;
        if (f->end <= t0) {
            before = f;
        } else if (f->end <= t1) {
            in_window++;
        } else if (!after && !t->frames[i].matched) {
            after = f;
        }
    }
    if (t->nframes == 0) {
        hdm_bench_buf_puts(&b, "no frame was transmitted at all");
    } else if (in_window) {
        hdm_bench_buf_printf(&b,
                             "the %zu frame%s in the window %s already "
                             "matched by earlier expect-frame lines",
                             in_window, in_window == 1 ? "" : "s",
                             in_window == 1 ? "was" : "were");
    } else {
        hdm_bench_buf_puts(&b, "no frame ended in the window");
    }
    if (before) {
        frame_text(t, before, got, sizeof(got));
        hdm_bench_buf_printf(&b, "; last before: %s", got);
    }
    if (after) {
        frame_text(t, after, got, sizeof(got));
        hdm_bench_buf_printf(&b, "; next after: %s", got);
    }
    snprintf(msg, len, "expected frame %s ending in (%llu, %llu], none: %s",
             want, (ull)t0, (ull)t1, hdm_bench_buf_str(&b));
    hdm_bench_buf_free(&b);
    return false;
}

bool hdm_bench_expect_no_frame(const hdm_bench_trace_t *t, uint64_t t0,
                               uint64_t t1, char *msg, size_t len)
{
    size_t n = 0;
    const hdm_bench_frame_t *first = NULL;
    for (size_t i = 0; i < t->nframes; i++) {
        const hdm_bench_frame_t *f = &t->frames[i].f;
        if (f->end > t0 && f->end <= t1) {
            if (!first) {
                first = f;
            }
            n++;
        }
    }
    if (!n) {
        return true;
    }
    char got[128];
    frame_text(t, first, got, sizeof(got));
    if (n > 1) {
        snprintf(msg, len,
                 "expected no frame ending in (%llu, %llu], got "
                 "%s and %zu more",
                 (ull)t0, (ull)t1, got, n - 1);
    } else {
        snprintf(msg, len, "expected no frame ending in (%llu, %llu], got %s",
                 (ull)t0, (ull)t1, got);
    }
    return false;
}

/* ---- bus writes (expect-msi) ------------------------------------------ */

static void msi_text(const hdm_bench_msi_t *m, char *buf, size_t len)
{
    snprintf(buf, len, "0x%llX <- 0x%08X at tick %llu", (ull)m->addr,
             (unsigned)m->data, (ull)m->tick);
}

bool hdm_bench_expect_msi(hdm_bench_trace_t *t, uint64_t addr, uint32_t data,
                          uint64_t t0, uint64_t t1, uint64_t *at, char *msg,
                          size_t len)
{
    char got[96];
    for (size_t i = 0; i < t->nmsi; i++) {
        hdm_bench_msi_t *m = &t->msi[i];
        if (m->matched || m->tick <= t0 || m->tick > t1) {
            continue;
        }
        m->matched = true;
        if (m->addr == addr && m->data == data) {
            if (at) {
                *at = m->tick;
            }
            return true;
        }
        msi_text(m, got, sizeof(got));
        snprintf(msg, len,
                 "expected bus write 0x%llX <- 0x%08X in (%llu, %llu], got "
                 "%s",
                 (ull)addr, (unsigned)data, (ull)t0, (ull)t1, got);
        return false;
    }
    /* No candidate: describe the neighbourhood. */
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    size_t in_window = 0;
    const hdm_bench_msi_t *before = NULL, *after = NULL;
    for (size_t i = 0; i < t->nmsi; i++) {
        const hdm_bench_msi_t *m = &t->msi[i];
        if (m->tick <= t0) {
            before = m;
        } else if (m->tick <= t1) {
            in_window++;
        } else if (!after && !m->matched) {
            after = m;
        }
    }
    if (t->nmsi == 0) {
        hdm_bench_buf_puts(&b, "the device issued no bus write at all");
    } else if (in_window) {
        hdm_bench_buf_printf(&b,
                             "the %zu write%s in the window %s already "
                             "matched by earlier expect-msi lines",
                             in_window, in_window == 1 ? "" : "s",
                             in_window == 1 ? "was" : "were");
    } else {
        hdm_bench_buf_puts(&b, "no bus write in the window");
    }
    if (before) {
        msi_text(before, got, sizeof(got));
        hdm_bench_buf_printf(&b, "; last before: %s", got);
    }
    if (after) {
        msi_text(after, got, sizeof(got));
        hdm_bench_buf_printf(&b, "; next after: %s", got);
    }
    snprintf(msg, len,
             "expected bus write 0x%llX <- 0x%08X in (%llu, %llu], none: %s",
             (ull)addr, (unsigned)data, (ull)t0, (ull)t1,
             hdm_bench_buf_str(&b));
    hdm_bench_buf_free(&b);
    return false;
}

bool hdm_bench_expect_no_msi(const hdm_bench_trace_t *t, uint64_t t0,
                             uint64_t t1, char *msg, size_t len)
{
    size_t n = 0;
    const hdm_bench_msi_t *first = NULL;
    for (size_t i = 0; i < t->nmsi; i++) {
        if (t->msi[i].tick > t0 && t->msi[i].tick <= t1) {
            if (!first) {
                first = &t->msi[i];
            }
            n++;
        }
    }
    if (!n) {
        return true;
    }
    char got[96];
    msi_text(first, got, sizeof(got));
    snprintf(msg, len, "expected no bus write in (%llu, %llu], got %s%s",
             (ull)t0, (ull)t1, got, n > 1 ? " and more" : "");
    return false;
}
