/* SPDX-License-Identifier: MIT */
/* First divergence between two records of one vector (hdm_bench/cosim.h). */
#include "hdm_bench/cosim.h"

#include "hdm/common.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct best {
    uint64_t tick;
    bool found;
    char *msg;
    size_t len;
} best_t;

/* A candidate divergence at @a tick; the earliest one wins (ties: first). */
static bool better(best_t *b, uint64_t tick)
{
    if (b->found && tick >= b->tick) {
        return false;
    }
    b->found = true;
    b->tick = tick;
    return true;
}

static void signals(const hdm_bench_trace_t *a, const hdm_bench_trace_t *b,
                    uint32_t caps, const char *na, const char *nb, best_t *r)
{
    const hdm_bench_device_t *dev = a->dev;
    for (unsigned i = 0; i < dev->nsignals; i++) {
        const hdm_bench_signal_desc_t *s = &dev->signals[i];
        if ((s->caps & ~caps) != 0 || s->kind == HDM_BENCH_SIG_INPUT) {
            continue;
        }
        const hdm_bench_sigtrace_t *x = &a->sig[i], *y = &b->sig[i];
        uint64_t tick = UINT64_MAX;
        if (x->initial != y->initial) {
            tick = 0;
        } else {
            size_t n = x->nchanges < y->nchanges ? x->nchanges : y->nchanges;
            size_t j = 0;
            while (j < n && x->changes[j].tick == y->changes[j].tick &&
                   x->changes[j].level == y->changes[j].level) {
                j++;
            }
            if (j < x->nchanges) {
                tick = x->changes[j].tick;
            }
            if (j < y->nchanges && y->changes[j].tick < tick) {
                tick = y->changes[j].tick;
            }
        }
        if (tick == UINT64_MAX || !better(r, tick)) {
            continue;
        }
        uint64_t sx, sy;
        bool lx = hdm_bench_trace_level_at(a, i, tick, &sx);
        bool ly = hdm_bench_trace_level_at(b, i, tick, &sy);
        if (lx != ly) {
            snprintf(r->msg, r->len, "tick %" PRIu64 ": signal %s: %s=%d %s=%d",
                     tick, s->name, na, lx, nb, ly);
        } else {
            /* Same level afterwards: a pulse within the tick differs. */
            size_t cx = 0, cy = 0;
            for (size_t k = 0; k < x->nchanges; k++) {
                cx += x->changes[k].tick == tick;
            }
            for (size_t k = 0; k < y->nchanges; k++) {
                cy += y->changes[k].tick == tick;
            }
            snprintf(r->msg, r->len,
                     "tick %" PRIu64 ": signal %s: %s changes %zu times, "
                     "%s %zu times (both end at %d)",
                     tick, s->name, na, cx, nb, cy, lx);
        }
    }
}

static void accesses(const hdm_bench_trace_t *a, const hdm_bench_trace_t *b,
                     const char *na, const char *nb, best_t *r)
{
    size_t n = a->nacc < b->nacc ? a->nacc : b->nacc;
    for (size_t i = 0; i < n; i++) {
        const hdm_bench_access_t *x = &a->acc[i], *y = &b->acc[i];
        bool same = x->tick == y->tick && x->offset == y->offset &&
                    x->size == y->size && x->write == y->write &&
                    x->status == y->status &&
                    (x->write || x->value == y->value);
        if (same) {
            continue;
        }
        uint64_t tick = x->tick < y->tick ? x->tick : y->tick;
        if (better(r, tick)) {
            snprintf(r->msg, r->len,
                     "tick %" PRIu64 ": %s%s of 0x%03" PRIx32
                     " size %u (line %" PRIu32 "): %s=0x%" PRIx64
                     " %s, %s=0x%" PRIx64 " %s",
                     tick, x->debug ? "debug " : "",
                     x->write ? "write" : "read", x->offset, x->size, x->line,
                     na, x->value, hdm_status_name(x->status), nb, y->value,
                     hdm_status_name(y->status));
        }
        return;
    }
    if (a->nacc != b->nacc) {
        const hdm_bench_access_t *e =
            a->nacc > b->nacc ? &a->acc[n] : &b->acc[n];
        if (better(r, e->tick)) {
            snprintf(r->msg, r->len,
                     "tick %" PRIu64 ": access count: %s=%zu %s=%zu", e->tick,
                     na, a->nacc, nb, b->nacc);
        }
    }
}

static void frames(const hdm_bench_trace_t *a, const hdm_bench_trace_t *b,
                   const char *na, const char *nb, best_t *r)
{
    size_t n = a->nframes < b->nframes ? a->nframes : b->nframes;
    for (size_t i = 0; i < n; i++) {
        const hdm_bench_frame_t *x = &a->frames[i].f, *y = &b->frames[i].f;
        if (x->start == y->start && x->end == y->end && x->data == y->data &&
            x->flags == y->flags && x->bits == y->bits) {
            continue;
        }
        uint64_t tick = x->start < y->start ? x->start : y->start;
        if (better(r, tick)) {
            snprintf(r->msg, r->len,
                     "tick %" PRIu64 ": frame %zu: %s=0x%02" PRIx32 " [%" PRIu64
                     ", %" PRIu64 "] flags 0x%" PRIx32 ", %s=0x%02" PRIx32
                     " [%" PRIu64 ", %" PRIu64 "] flags 0x%" PRIx32,
                     tick, i, na, x->data, x->start, x->end, x->flags, nb,
                     y->data, y->start, y->end, y->flags);
        }
        return;
    }
    if (a->nframes != b->nframes) {
        const hdm_bench_frame_t *e =
            a->nframes > b->nframes ? &a->frames[n].f : &b->frames[n].f;
        if (better(r, e->start)) {
            snprintf(r->msg, r->len,
                     "tick %" PRIu64 ": frame count: %s=%zu %s=%zu", e->start,
                     na, a->nframes, nb, b->nframes);
        }
    }
}

static void bus_writes(const hdm_bench_trace_t *a, const hdm_bench_trace_t *b,
                       const char *na, const char *nb, best_t *r)
{
    size_t n = a->nmsi < b->nmsi ? a->nmsi : b->nmsi;
    for (size_t i = 0; i < n; i++) {
        const hdm_bench_msi_t *x = &a->msi[i], *y = &b->msi[i];
        if (x->tick == y->tick && x->addr == y->addr && x->data == y->data) {
            continue;
        }
        uint64_t tick = x->tick < y->tick ? x->tick : y->tick;
        if (better(r, tick)) {
            snprintf(r->msg, r->len,
                     "tick %" PRIu64 ": bus write %zu: %s=0x%" PRIx32
                     "->0x%" PRIx64 " at %" PRIu64 ", %s=0x%" PRIx32
                     "->0x%" PRIx64 " at %" PRIu64,
                     tick, i, na, x->data, x->addr, x->tick, nb, y->data,
                     y->addr, y->tick);
        }
        return;
    }
    if (a->nmsi != b->nmsi) {
        const hdm_bench_msi_t *e = a->nmsi > b->nmsi ? &a->msi[n] : &b->msi[n];
        if (better(r, e->tick)) {
            snprintf(r->msg, r->len,
                     "tick %" PRIu64 ": bus write count: %s=%zu %s=%zu",
                     e->tick, na, a->nmsi, nb, b->nmsi);
        }
    }
}

static void fifos(const hdm_bench_trace_t *a, const hdm_bench_trace_t *b,
                  const char *na, const char *nb, best_t *r)
{
    if (a->nfifo == 0 || b->nfifo == 0) {
        return; /* FIFO levels are optional for a target */
    }
    size_t n = a->nfifo < b->nfifo ? a->nfifo : b->nfifo;
    for (size_t i = 0; i < n; i++) {
        const hdm_bench_fifo_sample_t *x = &a->fifo[i], *y = &b->fifo[i];
        if (x->tick == y->tick && x->tx == y->tx && x->rx == y->rx) {
            continue;
        }
        uint64_t tick = x->tick < y->tick ? x->tick : y->tick;
        if (better(r, tick)) {
            snprintf(r->msg, r->len,
                     "tick %" PRIu64 ": FIFO levels (tx/rx): %s=%u/%u at "
                     "%" PRIu64 ", %s=%u/%u at %" PRIu64,
                     tick, na, x->tx, x->rx, x->tick, nb, y->tx, y->rx,
                     y->tick);
        }
        return;
    }
}

bool hdm_bench_cosim_diverge(const hdm_bench_trace_t *a,
                             const hdm_bench_trace_t *b, uint32_t caps,
                             const char *na, const char *nb, char *msg,
                             size_t len)
{
    best_t r = { 0, false, msg, len };
    if (len) {
        msg[0] = '\0';
    }
    if (a->dev != b->dev || !a->sig || !b->sig) {
        snprintf(msg, len, "records of different devices or empty");
        return true;
    }
    if (a->oom || b->oom) {
        snprintf(msg, len, "a record is incomplete (out of memory)");
        return true;
    }
    signals(a, b, caps, na, nb, &r);
    accesses(a, b, na, nb, &r);
    frames(a, b, na, nb, &r);
    bus_writes(a, b, na, nb, &r);
    fifos(a, b, na, nb, &r);
    return r.found;
}
