/* SPDX-License-Identifier: MIT */
/*
 * bench_hpet: host speed of the HPET core.
 *
 * Not a test: it is never registered with CTest. Run it through the
 * `bench-hpet` target (docs/performance.md). Same method as bench_pl011:
 * every figure is timed in the same run with clock_gettime(CLOCK_MONOTONIC)
 * (the benchmark reads the host clock, the core never does); each metric is
 * a batch of N units, N calibrated so that every batch takes >= --min-ms
 * (20 ms) of wall time. The program runs --reps (21, at least 15 for
 * reportable figures) interleaved rounds, each round one batch of every
 * metric in turn, and reports the median and the minimum per-unit time over
 * the rounds. Ratios to the baselines are taken per round and their median
 * reported.
 *
 * Device everywhere: hdm_hpet_config_default() (3 timers, 64-bit, 10 ns
 * period = 100 MHz, route capability 0x00FF0104), counter enabled
 * (GEN_CONF.ENABLE_CNF=1, LEG_RT_CNF=0) at tick 0.
 *
 * Metrics
 *   array-read/array-write  baseline: a volatile uint64_t register file
 *                 indexed by offset >> 3, like MMIO.
 *   cnt-read      hdm_hpet_read(MAIN_CNT 0x0F0, size 8), at a fixed tick.
 *   cmp-write     hdm_hpet_write(T0_COMP 0x108, size 8) at a fixed tick;
 *                 timer 0 one-shot, edge, INT_ENB=1, route 2; the value is
 *                 always in the future (counter + 10^9 + (i & 1)), so no
 *                 interrupt fires.
 *   hour-idle     hdm_hpet_advance_to() by one simulated hour
 *                 (3600 * 1e8 ticks) in one call, 3 timers disabled.
 *   hour-periodic the same hour with timer 0 periodic at 1 kHz
 *                 (Tn_VAL_SET_CNF, comparator = period = 100000 ticks),
 *                 edge interrupt on I/O APIC input 2: 3.6e6 interrupts per
 *                 call; the irq callback counts the rising edges.
 */
#define _POSIX_C_SOURCE 200809L

#include "hdm/hpet.h"
#include "hdm/hpet_regs.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define COUNTER_HZ    100000000ull /* default period 10^7 fs = 10 ns */
#define HOUR_TICKS    (3600ull * COUNTER_HZ)
#define PERIODIC_HZ   1000u
#define PERIOD_TICKS  (COUNTER_HZ / PERIODIC_HZ)
#define IRQS_PER_HOUR (3600ull * PERIODIC_HZ)
#define ROUTE_LINE    2u /* bit 2 of the default route cap 0x00FF0104 */

#define OFF_GEN_CONF HDM_HPET_GEN_CONF_OFFSET
#define OFF_MAIN_CNT HDM_HPET_MAIN_CNT_OFFSET
#define OFF_T0_CONF  HDM_HPET_T0_CONF_OFFSET
#define OFF_T0_COMP  HDM_HPET_T0_COMP_OFFSET

#include "bench_common.h"

/* ------------------------------------------------------------------ */
/* Device helpers                                                      */
/* ------------------------------------------------------------------ */

static void must(int st, const char *what)
{
    if (st != HDM_OK) {
        fprintf(stderr, "bench_hpet: %s: %s\n", what, hdm_status_name(st));
        exit(2);
    }
}

enum { MODE_IDLE = 0, MODE_ONESHOT = 1, MODE_PERIODIC = 2 };

typedef struct dev_ctx {
    hdm_hpet_t dev;
    int mode;
    hdm_tick_t t;
    uint64_t sink;
    int status;        /* OR of every status returned in timed loops */
    uint64_t rises;    /* irq callbacks with level=true, total */
    uint64_t falls;    /* irq callbacks with level=false, total */
    uint64_t bad_line; /* irq callbacks on another line than ROUTE_LINE */
    uint64_t hours;    /* hours advanced (hour metrics) */
    uint64_t min_hour; /* fewest rises in one hour call */
    uint64_t max_hour; /* most rises in one hour call */
    uint64_t restarts;
} dev_ctx_t;

static void irq_cb(void *opaque, unsigned line, bool level, hdm_tick_t tick)
{
    dev_ctx_t *c = opaque;
    (void)tick;
    if (line != ROUTE_LINE) {
        c->bad_line++;
    }
    if (level) {
        c->rises++;
    } else {
        c->falls++;
    }
}

/* (Re)create the device, counter enabled at tick 0, timers per mode. */
static void dev_ctx_start(dev_ctx_t *c)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    hdm_host_t h;
    memset(&h, 0, sizeof(h));
    h.opaque = c;
    h.irq = irq_cb;
    must(hdm_hpet_init(&c->dev, &cfg, &h), "init");
    const uint64_t route = (uint64_t)ROUTE_LINE
                           << HDM_HPET_TN_CONF_TN_INT_ROUTE_CNF_Pos;
    const uint64_t enb = HDM_HPET_TN_CONF_TN_INT_ENB_CNF_Msk;
    if (c->mode == MODE_ONESHOT) {
        /* one-shot (TYPE_CNF=0), edge (INT_TYPE_CNF=0), enabled */
        must(hdm_hpet_write(&c->dev, 0, OFF_T0_CONF, 8, route | enb, 0),
             "T0_CONF");
        must(hdm_hpet_write(&c->dev, 0, OFF_T0_COMP, 8, 1000000000ull, 0),
             "T0_COMP");
    } else if (c->mode == MODE_PERIODIC) {
        must(hdm_hpet_write(&c->dev, 0, OFF_T0_CONF, 8,
                            route | enb | HDM_HPET_TN_CONF_TN_TYPE_CNF_Msk |
                                HDM_HPET_TN_CONF_TN_VAL_SET_CNF_Msk,
                            0),
             "T0_CONF");
        /* VAL_SET: loads accumulator and period (default policy BOTH) */
        must(hdm_hpet_write(&c->dev, 0, OFF_T0_COMP, 8, PERIOD_TICKS, 0),
             "T0_COMP");
    }
    must(hdm_hpet_write(&c->dev, 0, OFF_GEN_CONF, 8,
                        HDM_HPET_GEN_CONF_ENABLE_CNF_Msk, 0),
         "GEN_CONF");
    c->t = 1000; /* some time after programming */
    must(hdm_hpet_advance_to(&c->dev, c->t), "advance");
}

static void dev_ctx_init(dev_ctx_t *c, int mode)
{
    memset(c, 0, sizeof(*c));
    c->mode = mode;
    c->min_hour = UINT64_MAX;
    dev_ctx_start(c);
}

/* ------------------------------------------------------------------ */
/* 1. Register accesses and their baselines                            */
/* ------------------------------------------------------------------ */

typedef struct regs_ctx {
    volatile uint64_t regs[HDM_HPET_MMIO_SIZE / 8u];
    uint32_t off;
    uint64_t sink;
} regs_ctx_t;

static void w_array_read(void *p, uint64_t n)
{
    regs_ctx_t *c = p;
    uint32_t off = c->off;
    uint64_t acc = 0;
    for (uint64_t i = 0; i < n; i++) {
        acc += c->regs[off >> 3];
    }
    c->sink += acc;
}

static void w_array_write(void *p, uint64_t n)
{
    regs_ctx_t *c = p;
    uint32_t off = c->off;
    for (uint64_t i = 0; i < n; i++) {
        c->regs[off >> 3] = i;
    }
}

static void w_cnt_read(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    uint64_t acc = 0;
    int st = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v;
        st |= hdm_hpet_read(&c->dev, c->t, OFF_MAIN_CNT, 8, &v, 0);
        acc += v;
    }
    c->sink += acc;
    c->status |= st;
}

static void w_cmp_write(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    int st = 0;
    const uint64_t base = hdm_hpet_counter(&c->dev) + 1000000000ull;
    for (uint64_t i = 0; i < n; i++) {
        st |= hdm_hpet_write(&c->dev, c->t, OFF_T0_COMP, 8, base + (i & 1u), 0);
    }
    c->status |= st;
}

/* ------------------------------------------------------------------ */
/* 2. Simulated hours in one call                                      */
/* ------------------------------------------------------------------ */

/* Tick budget of one device life: HDM_TICK_MAX (2^62 ticks, ~1.3e7
 * simulated hours at 100 MHz); the idle batches burn that in a few rounds,
 * so the device is re-created (~1 us) when it is used up. */
#define TICK_LIMIT HDM_TICK_MAX

static uint64_t hours_left(dev_ctx_t *c)
{
    uint64_t room = (TICK_LIMIT - c->t) / HOUR_TICKS;
    if (room == 0) {
        dev_ctx_start(c);
        c->restarts++;
        room = (TICK_LIMIT - c->t) / HOUR_TICKS;
    }
    return room;
}

static void w_hour_idle(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    int st = 0;
    c->hours += n;
    while (n > 0) {
        uint64_t k = hours_left(c);
        k = k < n ? k : n;
        n -= k;
        hdm_tick_t t = c->t;
        for (uint64_t i = 0; i < k; i++) {
            t += HOUR_TICKS;
            st |= hdm_hpet_advance_to(&c->dev, t);
        }
        c->t = t;
    }
    c->status |= st;
}

/* Periodic: count the rises of every single hour call. */
static void w_hour_periodic(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    int st = 0;
    for (uint64_t i = 0; i < n; i++) {
        (void)hours_left(c);
        uint64_t before = c->rises;
        c->t += HOUR_TICKS;
        st |= hdm_hpet_advance_to(&c->dev, c->t);
        uint64_t got = c->rises - before;
        c->min_hour = got < c->min_hour ? got : c->min_hour;
        c->max_hour = got > c->max_hour ? got : c->max_hour;
        c->hours++;
    }
    c->status |= st;
}

static void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--reps N] [--min-ms MS] [--only KEY[,KEY...]]\n"
            "  --reps N    batches per metric (default 21; >= 15 for "
            "reportable figures)\n"
            "  --min-ms MS minimum wall time of every batch (default 20)\n"
            "  --only K    run metrics whose key contains K: array-read "
            "cnt-read\n"
            "              array-write cmp-write hour-idle hour-periodic\n",
            argv0);
}

int main(int argc, char **argv)
{
    if (!bench_parse_args(argc, argv, usage)) {
        return 2;
    }
    bench_print_header(argc, argv);
    printf("device: hdm_hpet_config_default (3 timers, 64-bit, 100 MHz), "
           "counter enabled; periodic: T0 1 kHz, edge, line 2\n\n");
    fflush(stdout);

    static regs_ctx_t rc_read, rc_write;
    rc_read.off = OFF_MAIN_CNT;
    rc_write.off = OFF_T0_COMP;
    static dev_ctx_t c_cnt, c_cmp, c_idle, c_per;
    dev_ctx_init(&c_cnt, MODE_IDLE);
    dev_ctx_init(&c_cmp, MODE_ONESHOT);
    dev_ctx_init(&c_idle, MODE_IDLE);
    dev_ctx_init(&c_per, MODE_PERIODIC);

    enum { M_AR, M_CR, M_AW, M_CW, M_HI, M_HP, M_COUNT };
    static metric_t ms[M_COUNT] = {
        [M_AR] = { .key = "array-read", .fn = w_array_read, .ctx = &rc_read },
        [M_CR] = { .key = "cnt-read", .fn = w_cnt_read, .ctx = &c_cnt },
        [M_AW] = { .key = "array-write",
                   .fn = w_array_write,
                   .ctx = &rc_write },
        [M_CW] = { .key = "cmp-write", .fn = w_cmp_write, .ctx = &c_cmp },
        [M_HI] = { .key = "hour-idle", .fn = w_hour_idle, .ctx = &c_idle },
        [M_HP] = { .key = "hour-periodic",
                   .fn = w_hour_periodic,
                   .ctx = &c_per },
    };
    for (int i = 0; i < M_COUNT; i++) {
        ms[i].on = selected(ms[i].key);
    }
    ms[M_AR].on |= ms[M_CR].on;
    ms[M_AW].on |= ms[M_CW].on;

    fprintf(stderr, "calibrating and timing (progress on stderr):\n");
    run_rounds(ms, M_COUNT);

    table_header();
    const int R = opt.reps;
    char ref[64];
    double qm, qb;
#define MED(i) median_of(ms[i].per, R)
#define MIN(i) min_of(ms[i].per, R)
    if (ms[M_AR].on) {
        row("baseline: volatile array read", MED(M_AR), MIN(M_AR), "ns/access",
            "1.00x (reference)", "-", "-");
    }
    if (ms[M_CR].on) {
        paired_ratio(&ms[M_CR], &ms[M_AR], &qm, &qb);
        snprintf(ref, sizeof(ref), "%.0fx array read (min %.0fx)", qm, qb);
        row("MAIN_CNT read, 64-bit", MED(M_CR), MIN(M_CR), "ns/access", ref,
            "<= 10 ns", MED(M_CR) <= 10.0 ? "yes" : "NO");
    }
    if (ms[M_AW].on) {
        row("baseline: volatile array write", MED(M_AW), MIN(M_AW), "ns/access",
            "1.00x (reference)", "-", "-");
    }
    if (ms[M_CW].on) {
        paired_ratio(&ms[M_CW], &ms[M_AW], &qm, &qb);
        snprintf(ref, sizeof(ref), "%.0fx array write (min %.0fx)", qm, qb);
        row("T0_COMP write, one-shot, INT_ENB", MED(M_CW), MIN(M_CW),
            "ns/access", ref, "-", "-");
    }
    if (ms[M_HI].on) {
        row("advance 1 sim hour, 1 call", MED(M_HI), MIN(M_HI), "ns wall",
            "3 timers disabled, counter on", "< 1000 ns",
            MED(M_HI) < 1000.0 ? "yes" : "NO");
    }
    if (ms[M_HP].on) {
        static double w[MAX_REPS];
        for (int r = 0; r < R; r++) {
            w[r] = ms[M_HP].per[r] / (double)IRQS_PER_HOUR;
        }
        snprintf(ref, sizeof(ref), "1 kHz periodic; = %.2f ms per hour",
                 MED(M_HP) / 1e6);
        row("1 sim hour periodic, per irq", median_of(w, R), min_of(w, R),
            "ns/interrupt", ref, "<= 50 ns",
            median_of(w, R) <= 50.0 ? "yes" : "NO");
    }
#undef MED
#undef MIN
    printf("\nbest = from the fastest batch; ratios are per round (metric "
           "batch / baseline batch\nof the same round), median and min over "
           "rounds; goals are judged on the median.\n");

    printf("\nchecks:\n");
    const struct {
        int m;
        const dev_ctx_t *c;
    } dcs[] = {
        { M_CR, &c_cnt }, { M_CW, &c_cmp }, { M_HI, &c_idle }, { M_HP, &c_per }
    };
    for (size_t i = 0; i < sizeof(dcs) / sizeof(dcs[0]); i++) {
        if (ms[dcs[i].m].on) {
            verify(dcs[i].c->status == 0, ms[dcs[i].m].key,
                   "every timed call returned HDM_OK");
        }
    }
    if (ms[M_CW].on) {
        verify(c_cmp.rises == 0 && c_cmp.falls == 0, "cmp-write irq",
               "no interrupt (comparator always in the future)");
    }
    if (ms[M_HI].on) {
        verify(c_idle.rises == 0 && c_idle.falls == 0, "hour-idle irq",
               "%llu hours, no interrupt, %llu device restarts",
               (unsigned long long)c_idle.hours,
               (unsigned long long)c_idle.restarts);
    }
    if (ms[M_HP].on) {
        bool ok = c_per.hours > 0 && c_per.min_hour == IRQS_PER_HOUR &&
                  c_per.max_hour == IRQS_PER_HOUR &&
                  c_per.rises == c_per.hours * IRQS_PER_HOUR &&
                  c_per.falls == c_per.rises && c_per.bad_line == 0;
        verify(ok, "hour-periodic",
               "%llu hours, %llu..%llu interrupts per hour (want %llu), "
               "%llu rises, %llu falls, %llu on other lines",
               (unsigned long long)c_per.hours,
               (unsigned long long)c_per.min_hour,
               (unsigned long long)c_per.max_hour,
               (unsigned long long)IRQS_PER_HOUR,
               (unsigned long long)c_per.rises, (unsigned long long)c_per.falls,
               (unsigned long long)c_per.bad_line);
    }
    return verify_failures ? 1 : 0;
}
