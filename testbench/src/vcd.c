/* SPDX-License-Identifier: MIT */
/*
 * hdm bench VCD writer (see hdm_bench/vcd.h). The dump is built from the
 * finished trace: all events are collected, sorted by time (stably), and
 * emitted one time step at a time with only the values that changed.
 */
#define _POSIX_C_SOURCE 200809L

#include "hdm_bench/vcd.h"
#include "hdm_bench/device.h"

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
    bool event;     /* a `$var event`: pulses of signal var `of` */
    unsigned of;    /* event: the signal var; signal: its pulse var or 0 */
    char *own_name; /* malloc'd name (pulse vars) */
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
    unsigned sig0;   /* first device signal var */
    unsigned fifo0;  /* tx_level var; rx_level = fifo0 + 1 */
    unsigned pulse0; /* first pulse event var (after rx_level) */
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

/* True if change @a k of @a s starts a run of changes at one tick that
 * ends at the level before that tick: a pulse a wire cannot show. */
static bool pulse_at(const hdm_bench_sigtrace_t *s, size_t k)
{
    uint64_t tick = s->changes[k].tick;
    if (k > 0 && s->changes[k - 1].tick == tick) {
        return false;
    }
    bool before = k > 0 ? s->changes[k - 1].level : s->initial;
    size_t e = k;
    while (e + 1 < s->nchanges && s->changes[e + 1].tick == tick) {
        e++;
    }
    return e > k && (bool)s->changes[e].level == before;
}

static bool has_pulse(const hdm_bench_sigtrace_t *s)
{
    for (size_t k = 0; k < s->nchanges; k++) {
        if (pulse_at(s, k)) {
            return true;
        }
    }
    return false;
}

static void free_vars(vcd_t *d)
{
    for (unsigned i = 0; d->vars && i < d->nvars; i++) {
        free(d->vars[i].own_name);
    }
    free(d->vars);
    d->vars = NULL;
}

static bool build_vars(vcd_t *d, const hdm_bench_trace_t *t)
{
    const hdm_bench_device_t *dev = t->dev;
    unsigned w = 8 * dev->max_access_size;
    unsigned npulse = 0;
    for (unsigned i = 0; i < dev->nsignals; i++) {
        npulse += has_pulse(&t->sig[i]);
    }
    unsigned n = V_BUS + dev->nsignals + 2 + npulse;
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
    d->pulse0 = d->fifo0 + 2;
    d->nvars = n;
    unsigned p = d->pulse0;
    for (unsigned i = 0; i < dev->nsignals; i++) {
        if (!has_pulse(&t->sig[i])) {
            continue;
        }
        var_t *v = &d->vars[p];
        v->scope = d->vars[V_BUS + i].scope;
        v->own_name = hdm_bench_asprintf("%s_pulse", dev->signals[i].name);
        if (!v->own_name) {
            return false;
        }
        v->name = v->own_name;
        v->width = 1;
        v->event = true;
        v->of = V_BUS + i;
        d->vars[V_BUS + i].of = p;
        p++;
    }
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
            if (d->vars[j].event) {
                hdm_bench_buf_printf(out, "$var event 1 %s %s $end\n", id,
                                     d->vars[j].name);
            } else if (d->vars[j].width == 1) {
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
        unsigned pulse = d->vars[d->sig0 + i].of;
        for (size_t k = 0; k < s->nchanges; k++) {
            uint64_t ps =
                hdm_bench_scale(s->changes[k].tick, tb->ps_num, tb->ps_den);
            push(d, ps, d->sig0 + i, s->changes[k].level, false);
            if (pulse && pulse_at(s, k)) {
                push(d, ps, pulse, 1, false);
            }
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

/* Emit the dump of @a t into @a out using the variables of @a d (built by
 * build_vars); changed[i] says whether variable i changes after the initial
 * $dumpvars. Frees the events, not the variables. */
static bool dump(hdm_bench_buf_t *out, vcd_t *d, const hdm_bench_trace_t *t,
                 const hdm_bench_vcd_info_t *info, bool *changed)
{
    state_t *cur = calloc(d->nvars, sizeof(state_t));
    state_t *next = calloc(d->nvars, sizeof(state_t));
    bool ok = false;
    if (!cur || !next) {
        goto out;
    }
    collect(d, t, &info->timebase);
    if (d->oom) {
        goto out;
    }
    if (d->nev) {
        qsort(d->ev, d->nev, sizeof(*d->ev), cmp_event);
    }

    /* Initial state: bus and FIFO unknown, signals at their tick-0 level. */
    for (unsigned i = 0; i < d->nvars; i++) {
        cur[i].x = true;
        changed[i] = false;
    }
    cur[V_WE].x = cur[V_STROBE].x = cur[V_DEBUG].x = false;
    for (unsigned i = 0; i < t->dev->nsignals; i++) {
        cur[d->sig0 + i].x = false;
        cur[d->sig0 + i].value = t->sig[i].initial;
    }
    size_t e = 0;
    while (e < d->nev && d->ev[e].ps == 0) {
        /* Pulses at time 0 fire right after the $dumpvars block. */
        state_t *st = d->vars[d->ev[e].var].event ? next : cur;
        st[d->ev[e].var].value = d->ev[e].value;
        st[d->ev[e].var].x = d->ev[e].x;
        e++;
    }
    put_header(out, d, t, info);
    hdm_bench_buf_puts(out, "#0\n$dumpvars\n");
    for (unsigned i = 0; i < d->nvars; i++) {
        if (!d->vars[i].event) {
            put_value(out, &d->vars[i], i, &cur[i]);
        }
    }
    hdm_bench_buf_puts(out, "$end\n");
    uint64_t last_ps = 0;
    char id[8];
    for (unsigned i = d->pulse0; i < d->nvars; i++) {
        if (next[i].value) {
            id_code(i, id);
            hdm_bench_buf_printf(out, "1%s\n", id);
            changed[i] = true;
        }
        cur[i].x = false;
        cur[i].value = 0;
    }
    while (e < d->nev) {
        uint64_t ps = d->ev[e].ps;
        memcpy(next, cur, d->nvars * sizeof(*cur));
        for (; e < d->nev && d->ev[e].ps == ps; e++) {
            next[d->ev[e].var].value = d->ev[e].value;
            next[d->ev[e].var].x = d->ev[e].x;
        }
        bool any = false;
        for (unsigned i = 0; i < d->nvars; i++) {
            if (d->vars[i].event) {
                /* An event fires in this step iff it was pushed in it. */
                if (next[i].value) {
                    if (!any) {
                        hdm_bench_buf_printf(out, "#%llu\n", (ull)ps);
                        any = true;
                        last_ps = ps;
                    }
                    id_code(i, id);
                    hdm_bench_buf_printf(out, "1%s\n", id);
                    changed[i] = true;
                }
                next[i].value = 0;
                cur[i] = next[i];
                continue;
            }
            if (next[i].x == cur[i].x &&
                (next[i].x || next[i].value == cur[i].value)) {
                continue;
            }
            if (!any) {
                hdm_bench_buf_printf(out, "#%llu\n", (ull)ps);
                any = true;
                last_ps = ps;
            }
            put_value(out, &d->vars[i], i, &next[i]);
            cur[i] = next[i];
            changed[i] = true;
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
    free(d->ev);
    d->ev = NULL;
    d->nev = d->cap = 0;
    return ok;
}

/* ---- GTKWave save file ------------------------------------------------ */

/* GTKWave trace flags (gtkwave analyzer.h): TR_HEX 0x2, TR_DEC 0x4,
 * TR_BIN 0x8, TR_RJUSTIFY 0x20, TR_BLANK 0x200, TR_COLLAPSED 0x1000,
 * TR_CLOSED 0x400000, TR_GRP_BEGIN 0x800000, TR_GRP_END 0x1000000. */
#define GTKW_BIT        "28"      /* binary, right-justified */
#define GTKW_HEX        "22"      /* hex, right-justified */
#define GTKW_DEC        "24"      /* decimal, right-justified */
#define GTKW_GROUP      "800200"  /* open group begin */
#define GTKW_GROUP_END  "1000200" /* open group end */
#define GTKW_CLOSED     "c00200"  /* closed group begin */
#define GTKW_CLOSED_END "1401200" /* closed group end */

/* Picture geometry: a 1600 pixel wide window whose height fits every row
 * (GTKWave draws about 23 pixels per row below a 160 pixel header). */
enum {
    GTKW_WIDTH = 1600,
    GTKW_MIN_HEIGHT = 600,
    GTKW_MAX_HEIGHT = 1600,
    GTKW_ROW = 23,
    GTKW_HEADER = 160,
    GTKW_SST = 60, /* the collapsed SST column and the scroll bar */
};

/* Display groups, in display order. Device signals go to the group of
 * their VCD scope, except serial modem pins, which get their own. */
typedef struct gtkw_group {
    const char *key;   /* group key (VCD scope, or "modem") */
    const char *label; /* group name shown by GTKWave */
} gtkw_group_t;

static const gtkw_group_t gtkw_groups[] = {
    { "bus", "bus" },
    { "irq", "interrupt lines" },
    { "serial", "serial TXD/RXD" },
    { "modem", "modem" },
    { "dma", "DMA" },
    { "fifo", "FIFO levels" },
};
enum { GTKW_NGROUPS = sizeof(gtkw_groups) / sizeof(gtkw_groups[0]) };

/* Bus variables in display order. */
static const unsigned gtkw_bus_order[V_BUS] = {
    V_STROBE, V_WE, V_ADDR, V_WDATA, V_RDATA, V_STATUS, V_DEBUG,
};

static const char *gtkw_group_key(const vcd_t *d, const hdm_bench_device_t *dev,
                                  unsigned var)
{
    if (d->vars[var].event) {
        var = d->vars[var].of;
    }
    if (var >= d->sig0 && var < d->fifo0) {
        const hdm_bench_signal_desc_t *s = &dev->signals[var - d->sig0];
        if (strcmp(d->vars[var].scope, "serial") == 0 &&
            (s->caps & HDM_BENCH_CAP_MODEM)) {
            return "modem";
        }
    }
    return d->vars[var].scope;
}

/* Variables of group @a key in display order into @a out; returns count. */
static unsigned gtkw_members(const vcd_t *d, const hdm_bench_device_t *dev,
                             const char *key, unsigned *out)
{
    unsigned n = 0;
    if (strcmp(key, "bus") == 0) {
        for (unsigned i = 0; i < V_BUS; i++) {
            out[n++] = gtkw_bus_order[i];
        }
        return n;
    }
    for (unsigned i = V_BUS; i < d->nvars; i++) {
        if (!d->vars[i].event && strcmp(gtkw_group_key(d, dev, i), key) == 0) {
            out[n++] = i;
            if (i >= d->sig0 && i < d->fifo0 && d->vars[i].of) {
                out[n++] = d->vars[i].of; /* its pulses right below it */
            }
        }
    }
    return n;
}

static const char *gtkw_format(const vcd_t *d, unsigned var)
{
    if (d->vars[var].width == 1) {
        return GTKW_BIT;
    }
    return strcmp(d->vars[var].scope, "fifo") == 0 ? GTKW_DEC : GTKW_HEX;
}

static void gtkw_signal(hdm_bench_buf_t *out, const vcd_t *d,
                        const hdm_bench_device_t *dev, unsigned var,
                        const char **flags)
{
    const char *f = gtkw_format(d, var);
    if (*flags != f) {
        hdm_bench_buf_printf(out, "@%s\n", f);
        *flags = f;
    }
    const var_t *v = &d->vars[var];
    if (v->width == 1) {
        hdm_bench_buf_printf(out, "%s.%s.%s\n", dev->name, v->scope, v->name);
    } else {
        hdm_bench_buf_printf(out, "%s.%s.%s[%u:0]\n", dev->name, v->scope,
                             v->name, v->width - 1);
    }
}

/* One group: the variables that change, then the constant ones in a
 * closed sub-group (a group with nothing changing is closed itself), so
 * the picture shows activity and the save file still names every
 * variable. */
static unsigned gtkw_group(hdm_bench_buf_t *out, const vcd_t *d,
                           const hdm_bench_device_t *dev, const char *label,
                           const unsigned *vars, unsigned n,
                           const bool *changed, const char **flags)
{
    unsigned nchanged = 0;
    for (unsigned i = 0; i < n; i++) {
        nchanged += changed[vars[i]];
    }
    unsigned rows = 1;
    if (!nchanged) {
        hdm_bench_buf_printf(out, "@" GTKW_CLOSED "\n-%s (constant)\n", label);
        *flags = NULL;
        for (unsigned i = 0; i < n; i++) {
            gtkw_signal(out, d, dev, vars[i], flags);
        }
        hdm_bench_buf_printf(out, "@" GTKW_CLOSED_END "\n-%s (constant)\n",
                             label);
        *flags = NULL;
        return rows;
    }
    hdm_bench_buf_printf(out, "@" GTKW_GROUP "\n-%s\n", label);
    *flags = NULL;
    for (unsigned i = 0; i < n; i++) {
        if (changed[vars[i]]) {
            gtkw_signal(out, d, dev, vars[i], flags);
            rows++;
        }
    }
    if (nchanged < n) {
        hdm_bench_buf_printf(out, "@" GTKW_CLOSED "\n-%s: %u constant\n", label,
                             n - nchanged);
        *flags = NULL;
        for (unsigned i = 0; i < n; i++) {
            if (!changed[vars[i]]) {
                gtkw_signal(out, d, dev, vars[i], flags);
            }
        }
        hdm_bench_buf_printf(out, "@" GTKW_CLOSED_END "\n-%s: %u constant\n",
                             label, n - nchanged);
        rows++;
    }
    hdm_bench_buf_printf(out, "@" GTKW_GROUP_END "\n-%s\n", label);
    *flags = NULL;
    return rows + 1;
}

/* The save file body (after the geometry header, which needs the row
 * count: written to @a body first). Returns the number of rows. */
static unsigned gtkw_body(hdm_bench_buf_t *body, const vcd_t *d,
                          const hdm_bench_device_t *dev, const bool *changed)
{
    unsigned *vars = calloc(d->nvars, sizeof(*vars));
    bool *done = calloc(d->nvars, sizeof(*done));
    unsigned rows = 1; /* the Time row */
    const char *flags = NULL;
    if (!vars || !done) {
        body->failed = true;
        goto out;
    }
    for (unsigned g = 0; g < GTKW_NGROUPS; g++) {
        unsigned n = gtkw_members(d, dev, gtkw_groups[g].key, vars);
        if (!n) {
            continue;
        }
        for (unsigned i = 0; i < n; i++) {
            done[vars[i]] = true;
        }
        rows += gtkw_group(body, d, dev, gtkw_groups[g].label, vars, n, changed,
                           &flags);
    }
    /* Any other scope a device descriptor names: its own group, in order
     * of first appearance. */
    for (unsigned i = 0; i < d->nvars; i++) {
        if (done[i]) {
            continue;
        }
        const char *key = gtkw_group_key(d, dev, i);
        unsigned n = gtkw_members(d, dev, key, vars);
        for (unsigned k = 0; k < n; k++) {
            done[vars[k]] = true;
        }
        rows += gtkw_group(body, d, dev, key, vars, n, changed, &flags);
    }
out:
    free(vars);
    free(done);
    return rows;
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : (path ? path : "");
}

/* Save file for the variables of @a d. */
static bool gtkw_write(hdm_bench_buf_t *out, const vcd_t *d,
                       const hdm_bench_trace_t *t,
                       const hdm_bench_vcd_info_t *info, const char *dumpfile,
                       const bool *changed)
{
    hdm_bench_buf_t body;
    hdm_bench_buf_init(&body);
    unsigned rows = gtkw_body(&body, d, t->dev, changed);
    unsigned height = GTKW_HEADER + GTKW_ROW * rows;
    height = height < GTKW_MIN_HEIGHT ? GTKW_MIN_HEIGHT : height;
    height = height > GTKW_MAX_HEIGHT ? GTKW_MAX_HEIGHT : height;
    /* Signal pane: the longest leaf name plus its value column. */
    unsigned chars = 0;
    for (unsigned i = 0; i < d->nvars; i++) {
        const var_t *v = &d->vars[i];
        unsigned digits = v->width == 1 ? 1 : (v->width + 3) / 4;
        unsigned n = (unsigned)strlen(v->name) + 8 + digits;
        chars = n > chars ? n : chars;
    }
    unsigned sigw = 40 + 9 * chars;
    sigw = sigw < 200 ? 200 : (sigw > 480 ? 480 : sigw);
    /* Zoom: GTKWave shows 2^-zoom time units per pixel; pick the smallest
     * power of two that fits the whole dump into the wave pane. */
    uint64_t end_ps = hdm_bench_scale(info->end_tick, info->timebase.ps_num,
                                      info->timebase.ps_den);
    uint64_t pane = GTKW_WIDTH - sigw - GTKW_SST;
    unsigned k = 0;
    while (k < 62 && (pane << k) < end_ps) {
        k++;
    }
    const char *base = base_name(dumpfile);
    size_t blen = strlen(base);
    hdm_bench_buf_puts(out, "[*]\n[*] GTKWave save file written by hdm-bench"
                            "\n[*]\n");
    hdm_bench_buf_puts(out, "[dumpfile] \"");
    put_safe(out, base);
    hdm_bench_buf_puts(out, "\"\n");
    /* A relative [savefile] next to a relative [dumpfile] lets GTKWave find
     * the VCD next to the save file from any working directory. */
    hdm_bench_buf_puts(out, "[savefile] \"");
    if (blen > 4 && strcmp(base + blen - 4, ".vcd") == 0) {
        hdm_bench_buf_append(out, base, blen - 4);
    } else {
        put_safe(out, base);
    }
    hdm_bench_buf_puts(out, ".gtkw\"\n");
    hdm_bench_buf_puts(out, "[timestart] 0\n");
    hdm_bench_buf_printf(out, "[size] %u %u\n", (unsigned)GTKW_WIDTH, height);
    hdm_bench_buf_puts(out, "[pos] 0 0\n");
    hdm_bench_buf_printf(out, "*-%u.000000 -1", k);
    for (unsigned i = 0; i < 26; i++) {
        hdm_bench_buf_puts(out, " -1");
    }
    hdm_bench_buf_puts(out, "\n[sst_width] 1\n");
    hdm_bench_buf_printf(out, "[signals_width] %u\n", sigw);
    hdm_bench_buf_puts(out, "[sst_expanded] 0\n[sst_vpaned_height] 100\n");
    hdm_bench_buf_append(out, body.data ? body.data : "", body.len);
    bool ok = !body.failed && !out->failed;
    hdm_bench_buf_free(&body);
    return ok;
}

/* VCD into @a vcd and, if @a gtkw is not NULL, its save file. */
static bool write_both(hdm_bench_buf_t *vcd, hdm_bench_buf_t *gtkw,
                       const hdm_bench_trace_t *t,
                       const hdm_bench_vcd_info_t *info, const char *dumpfile)
{
    vcd_t d;
    memset(&d, 0, sizeof(d));
    bool *changed = NULL;
    bool ok = false;
    if (!build_vars(&d, t)) {
        goto out;
    }
    changed = calloc(d.nvars, sizeof(*changed));
    if (!changed || !dump(vcd, &d, t, info, changed)) {
        goto out;
    }
    /* A signal and its pulse events are shown (or hidden) together. */
    for (unsigned i = d.pulse0; i < d.nvars; i++) {
        bool any = changed[i] || changed[d.vars[i].of];
        changed[i] = changed[d.vars[i].of] = any;
    }
    ok = !gtkw || gtkw_write(gtkw, &d, t, info, dumpfile, changed);
out:
    free(changed);
    free_vars(&d);
    free(d.ev);
    return ok;
}

bool hdm_bench_vcd_write(hdm_bench_buf_t *out, const hdm_bench_trace_t *t,
                         const hdm_bench_vcd_info_t *info)
{
    return write_both(out, NULL, t, info, NULL);
}

bool hdm_bench_vcd_write_gtkw(hdm_bench_buf_t *out, const hdm_bench_trace_t *t,
                              const hdm_bench_vcd_info_t *info,
                              const char *dumpfile)
{
    hdm_bench_buf_t scratch;
    hdm_bench_buf_init(&scratch);
    bool ok = write_both(&scratch, out, t, info, dumpfile);
    hdm_bench_buf_free(&scratch);
    return ok;
}

char *hdm_bench_vcd_gtkw_path(const char *vcd_path)
{
    size_t n = strlen(vcd_path);
    if (n > 4 && strcmp(vcd_path + n - 4, ".vcd") == 0) {
        n -= 4;
    }
    return hdm_bench_asprintf("%.*s.gtkw", (int)n, vcd_path);
}

/* Write @a b to @a path through a private temporary file and a rename:
 * parallel runs that write the same file never see a torn one. */
static bool write_atomic(const char *path, const hdm_bench_buf_t *b, char *why,
                         size_t why_len)
{
    char *tmp = hdm_bench_asprintf("%s.tmp.%ld", path, (long)getpid());
    FILE *f = tmp ? fopen(tmp, "wb") : NULL;
    bool ok = f && fwrite(b->data, 1, b->len, f) == b->len;
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
    return ok;
}

bool hdm_bench_vcd_write_file(const char *path, const hdm_bench_trace_t *t,
                              const hdm_bench_vcd_info_t *info, char *why,
                              size_t why_len)
{
    hdm_bench_buf_t b, g;
    hdm_bench_buf_init(&b);
    hdm_bench_buf_init(&g);
    char *gpath = hdm_bench_vcd_gtkw_path(path);
    bool ok = false;
    if (!gpath || !write_both(&b, &g, t, info, path)) {
        snprintf(why, why_len, "out of memory writing the VCD");
    } else if (hdm_bench_mkdirs(path, why, why_len) &&
               write_atomic(path, &b, why, why_len)) {
        ok = write_atomic(gpath, &g, why, why_len);
    }
    free(gpath);
    hdm_bench_buf_free(&b);
    hdm_bench_buf_free(&g);
    return ok;
}
