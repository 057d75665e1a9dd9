/* SPDX-License-Identifier: MIT */
/*
 * hdm bench VCD writer (see hdm_bench/vcd.h). The dump is built from the
 * finished trace: all events are collected, sorted by time (stably), and
 * emitted one time step at a time with only the values that changed.
 */
#define _POSIX_C_SOURCE 200809L

#include "hdm_bench/vcd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef unsigned long long ull;

enum { V_ADDR, V_WDATA, V_RDATA, V_WE, V_STROBE, V_DEBUG, V_STATUS, V_BUS };

typedef struct var {
    const char *scope;
    const char *name;
    unsigned width;
} var_t;

typedef struct event {
    uint64_t ps;
    uint64_t seq;
    uint64_t value;
    unsigned var;
    bool x;
} event_t;

typedef struct state {
    uint64_t value;
    bool x;
} state_t;

typedef struct vcd {
    var_t *vars;
    unsigned nvars;
    unsigned sig0;  /* first device signal var */
    unsigned fifo0; /* tx_level var; rx_level = fifo0 + 1 */
    event_t *ev;
    size_t nev, cap;
    bool oom;
} vcd_t;

static void id_code(unsigned idx, char *buf)
{
    /* Printable ASCII '!'..'~' without '$' (keyword start): base 93. */
    size_t n = 0;
    do {
        char c = (char)('!' + idx % 93);
        buf[n++] = c >= '$' ? (char)(c + 1) : c;
        idx /= 93;
    } while (idx);
    buf[n] = '\0';
}

static void push(vcd_t *d, uint64_t ps, unsigned var, uint64_t value, bool x)
{
    if (!hdm_bench_grow((void **)&d->ev, &d->cap, d->nev + 1, sizeof(*d->ev))) {
        d->oom = true;
        return;
    }
    event_t *e = &d->ev[d->nev];
    e->ps = ps;
    e->seq = d->nev;
    e->value = value;
    e->var = var;
    e->x = x;
    d->nev++;
}

static int cmp_event(const void *a, const void *b)
{
    const event_t *x = a, *y = b;
    if (x->ps != y->ps) {
        return x->ps < y->ps ? -1 : 1;
    }
    if (x->seq != y->seq) {
        return x->seq < y->seq ? -1 : 1;
    }
    return 0;
}

static void put_value(hdm_bench_buf_t *out, const var_t *v, unsigned idx,
                      const state_t *s)
{
    char id[8];
    id_code(idx, id);
    if (v->width == 1) {
        hdm_bench_buf_printf(out, "%c%s\n", s->x ? 'x' : (s->value ? '1' : '0'),
                             id);
        return;
    }
    if (s->x) {
        hdm_bench_buf_printf(out, "bx %s\n", id);
        return;
    }
    char bits[65];
    unsigned n = 0;
    bool started = false;
    for (unsigned i = v->width; i-- > 0;) {
        bool bit = i < 64 && ((s->value >> i) & 1u);
        if (bit) {
            started = true;
        }
        if (started) {
            bits[n++] = bit ? '1' : '0';
        }
    }
    if (!n) {
        bits[n++] = '0';
    }
    bits[n] = '\0';
    hdm_bench_buf_printf(out, "b%s %s\n", bits, id);
}

/* Copy of @a s with '$' replaced, so it cannot end a $comment early. */
static void put_safe(hdm_bench_buf_t *out, const char *s)
{
    for (; s && *s; s++) {
        char c = (*s == '$' || *s == '\n' || *s == '\r') ? '_' : *s;
        hdm_bench_buf_append(out, &c, 1);
    }
}

static bool build_vars(vcd_t *d, const hdm_bench_device_t *dev)
{
    unsigned w = 8 * dev->max_access_size;
    unsigned n = V_BUS + dev->nsignals + 2;
    d->vars = calloc(n, sizeof(*d->vars));
    if (!d->vars) {
        return false;
    }
    static const char *const bus_names[V_BUS] = {
        "addr", "wdata", "rdata", "we", "strobe", "debug", "status",
    };
    const unsigned bus_width[V_BUS] = { 32, w, w, 1, 1, 1, 8 };
    for (unsigned i = 0; i < V_BUS; i++) {
        d->vars[i].scope = "bus";
        d->vars[i].name = bus_names[i];
        d->vars[i].width = bus_width[i];
    }
    d->sig0 = V_BUS;
    for (unsigned i = 0; i < dev->nsignals; i++) {
        var_t *v = &d->vars[V_BUS + i];
        v->scope = dev->signals[i].scope ? dev->signals[i].scope : "other";
        v->name = dev->signals[i].name;
        v->width = 1;
    }
    d->fifo0 = V_BUS + dev->nsignals;
    d->vars[d->fifo0].scope = "fifo";
    d->vars[d->fifo0].name = "tx_level";
    d->vars[d->fifo0].width = 8;
    d->vars[d->fifo0 + 1].scope = "fifo";
    d->vars[d->fifo0 + 1].name = "rx_level";
    d->vars[d->fifo0 + 1].width = 8;
    d->nvars = n;
    return true;
}

static void put_header(hdm_bench_buf_t *out, const vcd_t *d,
                       const hdm_bench_trace_t *t,
                       const hdm_bench_vcd_info_t *info)
{
    hdm_bench_buf_puts(out, "$comment\n  hdm-bench trace\n  vector: ");
    put_safe(out, info->vector_path);
    hdm_bench_buf_puts(out, "\n  target: ");
    put_safe(out, info->target);
    hdm_bench_buf_printf(out, "\n  device: %s\n", t->dev->name);
    hdm_bench_buf_printf(out,
                         "  tick -> ps: ps = floor(tick * %llu / %llu)"
                         " (device clock %llu Hz)\n$end\n",
                         (ull)info->timebase.ps_num, (ull)info->timebase.ps_den,
                         (ull)info->timebase.clock_hz);
    hdm_bench_buf_puts(out, "$version hdm-bench $end\n");
    hdm_bench_buf_puts(out, "$timescale 1ps $end\n");
    hdm_bench_buf_printf(out, "$scope module %s $end\n", t->dev->name);
    /* Scopes in order of first appearance; each exactly once. */
    for (unsigned i = 0; i < d->nvars; i++) {
        bool seen = false;
        for (unsigned j = 0; j < i; j++) {
            if (strcmp(d->vars[j].scope, d->vars[i].scope) == 0) {
                seen = true;
                break;
            }
        }
        if (seen) {
            continue;
        }
        hdm_bench_buf_printf(out, "$scope module %s $end\n", d->vars[i].scope);
        for (unsigned j = i; j < d->nvars; j++) {
            if (strcmp(d->vars[j].scope, d->vars[i].scope) != 0) {
                continue;
            }
            char id[8];
            id_code(j, id);
            if (d->vars[j].width == 1) {
                hdm_bench_buf_printf(out, "$var wire 1 %s %s $end\n", id,
                                     d->vars[j].name);
            } else {
                hdm_bench_buf_printf(out, "$var wire %u %s %s [%u:0] $end\n",
                                     d->vars[j].width, id, d->vars[j].name,
                                     d->vars[j].width - 1);
            }
        }
        hdm_bench_buf_puts(out, "$upscope $end\n");
    }
    hdm_bench_buf_puts(out, "$upscope $end\n$enddefinitions $end\n");
}

static void collect(vcd_t *d, const hdm_bench_trace_t *t,
                    const hdm_bench_timebase_t *tb)
{
    const hdm_bench_device_t *dev = t->dev;
    for (unsigned i = 0; i < dev->nsignals; i++) {
        const hdm_bench_sigtrace_t *s = &t->sig[i];
        for (size_t k = 0; k < s->nchanges; k++) {
            push(d, hdm_bench_scale(s->changes[k].tick, tb->ps_num, tb->ps_den),
                 d->sig0 + i, s->changes[k].level, false);
        }
    }
    for (size_t k = 0; k < t->nacc; k++) {
        const hdm_bench_access_t *a = &t->acc[k];
        uint64_t ps = hdm_bench_scale(a->tick, tb->ps_num, tb->ps_den);
        uint64_t ps1 = hdm_bench_scale(a->tick + 1, tb->ps_num, tb->ps_den);
        push(d, ps, V_ADDR, a->offset, false);
        push(d, ps, a->write ? V_WDATA : V_RDATA, a->value, false);
        push(d, ps, V_WE, a->write, false);
        push(d, ps, V_DEBUG, a->debug, false);
        push(d, ps, V_STATUS, (uint8_t)a->status, false);
        push(d, ps, V_STROBE, 1, false);
        /* Strobe low again one tick later, unless another access is due. */
        bool next = k + 1 < t->nacc && t->acc[k + 1].tick <= a->tick + 1;
        if (!next) {
            push(d, ps1 > ps ? ps1 : ps + 1, V_STROBE, 0, false);
        }
    }
    for (size_t k = 0; k < t->nfifo; k++) {
        uint64_t ps = hdm_bench_scale(t->fifo[k].tick, tb->ps_num, tb->ps_den);
        push(d, ps, d->fifo0, t->fifo[k].tx > 255 ? 255 : t->fifo[k].tx, false);
        push(d, ps, d->fifo0 + 1, t->fifo[k].rx > 255 ? 255 : t->fifo[k].rx,
             false);
    }
}

bool hdm_bench_vcd_write(hdm_bench_buf_t *out, const hdm_bench_trace_t *t,
                         const hdm_bench_vcd_info_t *info)
{
    vcd_t d;
    memset(&d, 0, sizeof(d));
    state_t *cur = NULL, *next = NULL;
    bool ok = false;
    if (!build_vars(&d, t->dev)) {
        goto out;
    }
    cur = calloc(d.nvars, sizeof(*cur));
    next = calloc(d.nvars, sizeof(*next));
    if (!cur || !next) {
        goto out;
    }
    collect(&d, t, &info->timebase);
    if (d.oom) {
        goto out;
    }
    if (d.nev) {
        qsort(d.ev, d.nev, sizeof(*d.ev), cmp_event);
    }

    /* Initial state: bus and FIFO unknown, signals at their tick-0 level. */
    for (unsigned i = 0; i < d.nvars; i++) {
        cur[i].x = true;
    }
    cur[V_WE].x = cur[V_STROBE].x = cur[V_DEBUG].x = false;
    for (unsigned i = 0; i < t->dev->nsignals; i++) {
        cur[d.sig0 + i].x = false;
        cur[d.sig0 + i].value = t->sig[i].initial;
    }
    size_t e = 0;
    while (e < d.nev && d.ev[e].ps == 0) {
        cur[d.ev[e].var].value = d.ev[e].value;
        cur[d.ev[e].var].x = d.ev[e].x;
        e++;
    }
    put_header(out, &d, t, info);
    hdm_bench_buf_puts(out, "#0\n$dumpvars\n");
    for (unsigned i = 0; i < d.nvars; i++) {
        put_value(out, &d.vars[i], i, &cur[i]);
    }
    hdm_bench_buf_puts(out, "$end\n");
    uint64_t last_ps = 0;
    while (e < d.nev) {
        uint64_t ps = d.ev[e].ps;
        memcpy(next, cur, d.nvars * sizeof(*cur));
        for (; e < d.nev && d.ev[e].ps == ps; e++) {
            next[d.ev[e].var].value = d.ev[e].value;
            next[d.ev[e].var].x = d.ev[e].x;
        }
        bool any = false;
        for (unsigned i = 0; i < d.nvars; i++) {
            if (next[i].x == cur[i].x &&
                (next[i].x || next[i].value == cur[i].value)) {
                continue;
            }
            if (!any) {
                hdm_bench_buf_printf(out, "#%llu\n", (ull)ps);
                any = true;
                last_ps = ps;
            }
            put_value(out, &d.vars[i], i, &next[i]);
            cur[i] = next[i];
        }
    }
    uint64_t end_ps = hdm_bench_scale(info->end_tick, info->timebase.ps_num,
                                      info->timebase.ps_den);
    if (end_ps > last_ps) {
        hdm_bench_buf_printf(out, "#%llu\n", (ull)end_ps);
    }
    ok = !out->failed;
out:
    free(cur);
    free(next);
    free(d.vars);
    free(d.ev);
    return ok;
}

bool hdm_bench_vcd_write_file(const char *path, const hdm_bench_trace_t *t,
                              const hdm_bench_vcd_info_t *info, char *why,
                              size_t why_len)
{
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    if (!hdm_bench_vcd_write(&b, t, info)) {
        snprintf(why, why_len, "out of memory writing the VCD");
        hdm_bench_buf_free(&b);
        return false;
    }
    if (!hdm_bench_mkdirs(path, why, why_len)) {
        hdm_bench_buf_free(&b);
        return false;
    }
    /* Write a private temporary file, then rename: parallel runs that
     * write the same VCD never see a torn file. */
    char *tmp = hdm_bench_asprintf("%s.tmp.%ld", path, (long)getpid());
    FILE *f = tmp ? fopen(tmp, "wb") : NULL;
    bool ok = f && fwrite(b.data, 1, b.len, f) == b.len;
    if (f && fclose(f) != 0) {
        ok = false;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
    }
    if (!ok) {
        snprintf(why, why_len, "cannot write %s: %s", path, strerror(errno));
        if (tmp) {
            remove(tmp);
        }
    }
    free(tmp);
    hdm_bench_buf_free(&b);
    return ok;
}
