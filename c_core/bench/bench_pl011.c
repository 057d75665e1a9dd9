/* SPDX-License-Identifier: MIT */
/*
 * bench_pl011: host speed of the PL011 core.
 *
 * Not a test: it is never registered with CTest. Run it through the
 * `bench-pl011` target (docs/performance.md). Every figure is timed in the
 * same run with clock_gettime(CLOCK_MONOTONIC) (the benchmark reads the host
 * clock, the core never does): each metric is a batch of N units, N
 * calibrated so that every batch takes >= --min-ms (20 ms) of wall time.
 * The program runs --reps (21, at least 15 for reportable figures) rounds,
 * each round one batch of every metric in turn, and reports the median and
 * the minimum per-unit time over the rounds. Ratios to the baselines are
 * taken per round (both batches ran seconds apart at most) and their median
 * reported: on a shared machine the absolute speed drifts, ratios much less.
 *
 * Device programming everywhere: 24 MHz UARTCLK, IBRD=13, FBRD=1 (115200
 * baud), LCR_H=0x70 (8N1, FIFOs on), CR=0x301 (UARTEN|TXE|RXE). One 8N1
 * frame is 160 Baud16 pulses = 160 * (13 + 1/64) = 2082.5 ticks.
 *
 * Metrics
 *   array-read/array-write  baseline: a volatile uint32_t register file
 *                           indexed by offset >> 2, like MMIO.
 *   fr-read       hdm_pl011_read(UARTFR, size 4), at a fixed tick.
 *   dr-line       hdm_pl011_write(UARTDR) at line rate: each write is one
 *                 frame time (2083 ticks) after the previous one, so the
 *                 FIFO drains and never holds more than ~1 entry; the figure
 *                 includes the core processing the frame that left.
 *   dr-fifo       UARTDR writes alone: 16 writes at a fixed tick into an
 *                 empty FIFO, then the FIFO is flushed by an LCR_H FEN
 *                 off/on pair; the flush pair is timed on its own
 *                 (fen-flush) in the same run and subtracted.
 *   hour-call     hdm_pl011_advance_to() by one simulated hour
 *                 (3600 * 24e6 ticks) in one call, UART enabled and idle.
 *   hour-1ms      the same hour in 1 ms steps (3.6e6 calls).
 *   stream-1      one core streaming frame-level (tx_pin_edges=false); a
 *                 producer writes 16 characters per TX interrupt (Linux
 *                 pl011_tx_chars from the IRQ, no FR check).
 *   stream-2      the same into a second core linked frame-level
 *                 (tx_frame -> rx_frame at the frame's end tick); the
 *                 consumer drains RX (FR, DR, ... until RXFE, like Linux
 *                 pl011_fifo_to_tty) on the RX/RT interrupt.
 *   stream-pin    the same pair pin-level: tx_pin_edges=true, UARTTXD of
 *                 the sender -> set_input(RXD) of the receiver, which
 *                 decodes with its 16x sampler.
 * The stream hosts are event driven: they step to the earliest
 * hdm_pl011_next_event() of the cores, advance only the core(s) due, apply
 * the cross-core inputs raised by callbacks at that tick, then service the
 * interrupt lines (as recorded by the irq callback) at that tick.
 */
#define _POSIX_C_SOURCE 200809L

#include "hdm/pl011.h"
#include "hdm/pl011_regs.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UARTCLK_HZ        24000000ull
#define HOUR_TICKS        (3600ull * UARTCLK_HZ)
#define MS_TICKS          (UARTCLK_HZ / 1000u)
#define FRAME_TICKS       2083u /* >= one 8N1 frame (2082.5 ticks) */
#define STREAM_UNIT_MS    10u
#define STREAM_UNIT_TICKS (STREAM_UNIT_MS * MS_TICKS)
#define BURST             16u /* characters per TX interrupt (fifosize / 2) */

#define OFF_DR    HDM_PL011_UARTDR_OFFSET
#define OFF_FR    HDM_PL011_UARTFR_OFFSET
#define OFF_LCR_H HDM_PL011_UARTLCR_H_OFFSET
#define OFF_IMSC  HDM_PL011_UARTIMSC_OFFSET

#define SETUP_IBRD   13u
#define SETUP_FBRD   1u
#define SETUP_LCR_H  0x70u
#define SETUP_CR     0x301u
#define LCR_H_NOFIFO (SETUP_LCR_H & ~(uint32_t)HDM_PL011_UARTLCR_H_FEN_Msk)

#include "bench_common.h"

/* ------------------------------------------------------------------ */
/* Device helpers                                                      */
/* ------------------------------------------------------------------ */

static void must(int st, const char *what)
{
    if (st != HDM_OK) {
        fprintf(stderr, "bench_pl011: %s: %s\n", what, hdm_status_name(st));
        exit(2);
    }
}

static void setup_uart(hdm_pl011_t *d, hdm_tick_t t)
{
    must(hdm_pl011_write(d, t, HDM_PL011_UARTIBRD_OFFSET, 4, SETUP_IBRD, 0),
         "IBRD");
    must(hdm_pl011_write(d, t, HDM_PL011_UARTFBRD_OFFSET, 4, SETUP_FBRD, 0),
         "FBRD");
    must(hdm_pl011_write(d, t, OFF_LCR_H, 4, SETUP_LCR_H, 0), "LCR_H");
    must(hdm_pl011_write(d, t, HDM_PL011_UARTCR_OFFSET, 4, SETUP_CR, 0), "CR");
}

/* ------------------------------------------------------------------ */
/* 1. Register accesses and their baselines                            */
/* ------------------------------------------------------------------ */

typedef struct regs_ctx {
    volatile uint32_t regs[HDM_PL011_MMIO_SIZE / 4u];
    uint32_t off;
    uint32_t sink;
} regs_ctx_t;

static void w_array_read(void *p, uint64_t n)
{
    regs_ctx_t *c = p;
    uint32_t off = c->off;
    uint32_t acc = 0;
    for (uint64_t i = 0; i < n; i++) {
        acc += c->regs[off >> 2];
    }
    c->sink += acc;
}

static void w_array_write(void *p, uint64_t n)
{
    regs_ctx_t *c = p;
    uint32_t off = c->off;
    for (uint64_t i = 0; i < n; i++) {
        c->regs[off >> 2] = (uint32_t)i;
    }
}

typedef struct dev_ctx {
    hdm_pl011_t dev;
    hdm_tick_t t;
    uint32_t sink;
    int status; /* OR of every status returned in timed loops */
    uint64_t chars;
    uint64_t frames;
    unsigned max_tx_level;
} dev_ctx_t;

static void count_frame_cb(void *opaque, const void *frame)
{
    (void)frame;
    ((dev_ctx_t *)opaque)->frames++;
}

/* (Re)create the device, programmed, enabled and idle, at tick 1000. */
static void dev_ctx_start(dev_ctx_t *c)
{
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    hdm_host_t h;
    memset(&h, 0, sizeof(h));
    h.opaque = c;
    h.tx_frame = count_frame_cb;
    must(hdm_pl011_init(&c->dev, &cfg, &h), "init");
    setup_uart(&c->dev, 0);
    must(hdm_pl011_write(
             &c->dev, 0, OFF_IMSC, 4,
             HDM_PL011_UARTIMSC_RXIM_Msk | HDM_PL011_UARTIMSC_RTIM_Msk, 0),
         "IMSC");
    c->t = 1000; /* some time after programming */
    must(hdm_pl011_advance_to(&c->dev, c->t), "advance");
}

static void dev_ctx_init(dev_ctx_t *c)
{
    memset(c, 0, sizeof(*c));
    dev_ctx_start(c);
}

static void w_fr_read(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    uint32_t acc = 0;
    int st = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t v;
        st |= hdm_pl011_read(&c->dev, c->t, OFF_FR, 4, &v, 0);
        acc += v;
    }
    c->sink += acc;
    c->status |= st;
}

static void w_dr_line(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    int st = 0;
    hdm_tick_t t = c->t;
    uint64_t ch = c->chars;
    for (uint64_t i = 0; i < n; i++) {
        t += FRAME_TICKS;
        st |= hdm_pl011_write(&c->dev, t, OFF_DR, 4, (uint8_t)ch++, 0);
    }
    c->t = t;
    c->chars = ch;
    c->status |= st;
    unsigned tx;
    hdm_pl011_fifo_levels(&c->dev, &tx, NULL);
    if (tx > c->max_tx_level) {
        c->max_tx_level = tx;
    }
}

/* One unit: BURST DR writes at a fixed tick, then the FEN flush pair. */
static void w_dr_burst(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    int st = 0;
    hdm_tick_t t = c->t;
    uint64_t ch = c->chars;
    for (uint64_t i = 0; i < n; i++) {
        for (unsigned k = 0; k < BURST; k++) {
            st |= hdm_pl011_write(&c->dev, t, OFF_DR, 4, (uint8_t)ch++, 0);
        }
        st |= hdm_pl011_write(&c->dev, t, OFF_LCR_H, 4, LCR_H_NOFIFO, 0);
        st |= hdm_pl011_write(&c->dev, t, OFF_LCR_H, 4, SETUP_LCR_H, 0);
    }
    c->chars = ch;
    c->status |= st;
    unsigned tx;
    hdm_pl011_fifo_levels(&c->dev, &tx, NULL);
    if (tx > c->max_tx_level) {
        c->max_tx_level = tx;
    }
}

/* The flush pair alone, on an empty FIFO. */
static void w_fen_flush(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    int st = 0;
    hdm_tick_t t = c->t;
    for (uint64_t i = 0; i < n; i++) {
        st |= hdm_pl011_write(&c->dev, t, OFF_LCR_H, 4, LCR_H_NOFIFO, 0);
        st |= hdm_pl011_write(&c->dev, t, OFF_LCR_H, 4, SETUP_LCR_H, 0);
    }
    c->status |= st;
}

/* ------------------------------------------------------------------ */
/* 2. Idle time advance                                                */
/* ------------------------------------------------------------------ */

/* Tick budget of one device life: HDM_TICK_MAX (2^62 ticks, ~5e7 simulated
 * hours at 24 MHz); the batches below burn that in a few runs, so the
 * device is re-created (~1 us, once per ~5e7 calls) when it is used up. */
#define TICK_LIMIT HDM_TICK_MAX /* the cores refuse later ticks */

/* Simulated hours device @a c can still advance; restarts it if none. */
static uint64_t hours_left(dev_ctx_t *c)
{
    uint64_t room = (TICK_LIMIT - c->t) / HOUR_TICKS;
    if (room == 0) {
        dev_ctx_start(c);
        room = (TICK_LIMIT - c->t) / HOUR_TICKS;
    }
    return room;
}

static void w_hour_call(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    int st = 0;
    while (n > 0) {
        uint64_t k = hours_left(c);
        k = k < n ? k : n;
        n -= k;
        hdm_tick_t t = c->t;
        for (uint64_t i = 0; i < k; i++) {
            t += HOUR_TICKS;
            st |= hdm_pl011_advance_to(&c->dev, t);
        }
        c->t = t;
    }
    c->status |= st;
}

/* One unit = one simulated hour in 3.6e6 steps of 1 ms. */
static void w_hour_1ms(void *p, uint64_t n)
{
    dev_ctx_t *c = p;
    int st = 0;
    for (uint64_t i = 0; i < n; i++) {
        (void)hours_left(c);
        hdm_tick_t t = c->t;
        for (uint32_t k = 0; k < 3600u * 1000u; k++) {
            t += MS_TICKS;
            st |= hdm_pl011_advance_to(&c->dev, t);
        }
        c->t = t;
    }
    c->status |= st;
}

/* ------------------------------------------------------------------ */
/* 3. Streaming hosts                                                  */
/* ------------------------------------------------------------------ */

enum { LINK_NONE = 0, LINK_FRAME = 1, LINK_PIN = 2 };

typedef struct xev {
    hdm_tick_t t;
    uint8_t kind; /* 0: RXD level, 1: whole frame */
    uint8_t val;
} xev_t;

#define XQ_MAX 64

typedef struct stream stream_t;

typedef struct stream_port {
    stream_t *s;
    int idx;
} stream_port_t;

struct stream {
    hdm_pl011_t dev[2];
    stream_port_t port[2];
    int ndev;
    int link;
    xev_t q[XQ_MAX];
    unsigned nq;
    unsigned irq[2]; /* interrupt line levels, bit = enum hdm_pl011_irq */
    hdm_tick_t t_end;
    uint64_t units;
    uint64_t sent, frames, received, bad;
    uint8_t expect;
    uint64_t calls; /* state-changing core calls issued by the host */
    int status;
    bool overflow;
};

static void s_irq_cb(void *opaque, unsigned line, bool level, hdm_tick_t t)
{
    stream_port_t *p = opaque;
    (void)t;
    if (level) {
        p->s->irq[p->idx] |= 1u << line;
    } else {
        p->s->irq[p->idx] &= ~(1u << line);
    }
}

static void s_queue(stream_t *s, hdm_tick_t t, uint8_t kind, uint8_t val)
{
    if (s->nq >= XQ_MAX) {
        s->overflow = true;
        return;
    }
    s->q[s->nq].t = t;
    s->q[s->nq].kind = kind;
    s->q[s->nq].val = val;
    s->nq++;
}

static void s_pin_cb(void *opaque, unsigned pin, bool level, hdm_tick_t t)
{
    stream_port_t *p = opaque;
    if (p->idx == 0 && p->s->link == LINK_PIN && pin == HDM_PL011_OUT_TXD) {
        s_queue(p->s, t, 0, level ? 1u : 0u);
    }
}

static void s_frame_cb(void *opaque, const void *frame)
{
    stream_port_t *p = opaque;
    const hdm_pl011_frame_t *f = frame;
    if (p->idx != 0) {
        return;
    }
    p->s->frames++;
    if (p->s->link == LINK_FRAME) {
        s_queue(p->s, f->end, 1, f->data);
    }
}

/* Apply the cross-core inputs the callbacks raised (to core 1). */
static void s_flush(stream_t *s)
{
    hdm_pl011_t *rx = &s->dev[1];
    int st = 0;
    for (unsigned i = 0; i < s->nq; i++) {
        const xev_t *e = &s->q[i];
        if (e->kind == 0) {
            st |= hdm_pl011_set_input(rx, e->t, HDM_PL011_IN_RXD, e->val != 0);
        } else {
            st |= hdm_pl011_rx_frame(rx, e->t, e->val, 0);
        }
    }
    s->calls += s->nq;
    s->nq = 0;
    s->status |= st;
}

/* TX interrupt: write BURST characters without reading FR. */
static void s_produce(stream_t *s, hdm_tick_t t)
{
    hdm_pl011_t *tx = &s->dev[0];
    int st = 0;
    uint64_t c = s->sent;
    for (unsigned i = 0; i < BURST; i++) {
        st |= hdm_pl011_write(tx, t, OFF_DR, 4, (uint8_t)c++, 0);
    }
    s->sent = c;
    s->calls += BURST;
    s->status |= st;
}

/* RX/RT interrupt: FR, DR, FR, DR, ... until RXFE. */
static void s_consume(stream_t *s, hdm_tick_t t)
{
    hdm_pl011_t *rx = &s->dev[1];
    const uint32_t errs = HDM_PL011_UARTDR_FE_Msk | HDM_PL011_UARTDR_PE_Msk |
                          HDM_PL011_UARTDR_BE_Msk | HDM_PL011_UARTDR_OE_Msk;
    int st = 0;
    for (unsigned max = 256; max > 0; max--) {
        uint32_t fr = 0;
        uint32_t w = 0;
        st |= hdm_pl011_read(rx, t, OFF_FR, 4, &fr, 0);
        s->calls++;
        if (fr & HDM_PL011_UARTFR_RXFE_Msk) {
            break;
        }
        st |= hdm_pl011_read(rx, t, OFF_DR, 4, &w, 0);
        s->calls++;
        if ((uint8_t)w != s->expect || (w & errs)) {
            s->bad++;
            s->expect = (uint8_t)w; /* resynchronise */
        }
        s->expect++;
        s->received++;
    }
    s->status |= st;
}

static void stream_run(stream_t *s, hdm_tick_t end)
{
    hdm_pl011_t *d0 = &s->dev[0];
    hdm_pl011_t *d1 = &s->dev[1];
    const unsigned rx_lines =
        (1u << HDM_PL011_IRQ_RXINTR) | (1u << HDM_PL011_IRQ_RTINTR);
    int st = 0;
    for (;;) {
        hdm_tick_t n0 = hdm_pl011_next_event(d0);
        hdm_tick_t n1 = s->ndev > 1 ? hdm_pl011_next_event(d1) : HDM_TICK_NEVER;
        hdm_tick_t t = hdm_tick_min(hdm_tick_min(n0, n1), end);
        if (n0 == t) {
            st |= hdm_pl011_advance_to(d0, t);
            s->calls++;
        }
        if (n1 == t) {
            st |= hdm_pl011_advance_to(d1, t);
            s->calls++;
        }
        if (s->nq) {
            s_flush(s);
        }
        if (s->irq[0] & (1u << HDM_PL011_IRQ_TXINTR)) {
            s_produce(s, t);
        }
        if (s->ndev > 1 && (s->irq[1] & rx_lines)) {
            s_consume(s, t);
        }
        if (t >= end) {
            break;
        }
    }
    s->status |= st;
}

static void stream_init(stream_t *s, int ndev, int link, bool pin_edges)
{
    memset(s, 0, sizeof(*s));
    s->ndev = ndev;
    s->link = link;
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    cfg.tx_pin_edges = pin_edges;
    for (int i = 0; i < ndev; i++) {
        s->port[i].s = s;
        s->port[i].idx = i;
        hdm_host_t h;
        memset(&h, 0, sizeof(h));
        h.opaque = &s->port[i];
        h.irq = s_irq_cb;
        h.pin = s_pin_cb;
        h.tx_frame = s_frame_cb;
        must(hdm_pl011_init(&s->dev[i], &cfg, &h), "init");
        setup_uart(&s->dev[i], 0);
        must(hdm_pl011_write(
                 &s->dev[i], 0, OFF_IMSC, 4,
                 HDM_PL011_UARTIMSC_RXIM_Msk | HDM_PL011_UARTIMSC_RTIM_Msk, 0),
             "IMSC");
    }
    /* start_tx: fill the FIFO until TXFF, then unmask TX (Linux) */
    hdm_pl011_t *tx = &s->dev[0];
    for (;;) {
        uint32_t fr = 0;
        must(hdm_pl011_read(tx, 0, OFF_FR, 4, &fr, 0), "FR");
        if (fr & HDM_PL011_UARTFR_TXFF_Msk) {
            break;
        }
        must(hdm_pl011_write(tx, 0, OFF_DR, 4, (uint8_t)s->sent++, 0), "DR");
    }
    must(hdm_pl011_write(tx, 0, OFF_IMSC, 4,
                         HDM_PL011_UARTIMSC_RXIM_Msk |
                             HDM_PL011_UARTIMSC_RTIM_Msk |
                             HDM_PL011_UARTIMSC_TXIM_Msk,
                         0),
         "IMSC");
}

/* One unit = STREAM_UNIT_MS of simulated time. */
static void w_stream(void *p, uint64_t n)
{
    stream_t *s = p;
    s->t_end += n * STREAM_UNIT_TICKS;
    s->units += n;
    stream_run(s, s->t_end);
}

static void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--reps N] [--min-ms MS] [--only KEY[,KEY...]]\n"
            "  --reps N    batches per metric (default 21; >= 15 for "
            "reportable figures)\n"
            "  --min-ms MS minimum wall time of every batch (default 20)\n"
            "  --only K    run metrics whose key contains K: array-read "
            "fr-read\n"
            "              array-write dr-line dr-fifo fen-flush hour-call "
            "hour-1ms\n"
            "              stream-1 stream-2 stream-pin (for perf/callgrind)\n",
            argv0);
}

int main(int argc, char **argv)
{
    if (!bench_parse_args(argc, argv, usage)) {
        return 2;
    }
    bench_print_header(argc, argv);
    printf("device: 24 MHz UARTCLK, IBRD=13 FBRD=1 (115200 baud), LCR_H=0x70 "
           "(8N1, FIFO), CR=0x301\n\n");
    fflush(stdout);

    static regs_ctx_t rc_read, rc_write;
    rc_read.off = OFF_FR;
    rc_write.off = OFF_DR;
    static dev_ctx_t c_fr, c_drl, c_drf, c_hour, c_1ms;
    static stream_t s1, s2, sp;
    dev_ctx_init(&c_fr);
    dev_ctx_init(&c_drl);
    dev_ctx_init(&c_drf);
    dev_ctx_init(&c_hour);
    dev_ctx_init(&c_1ms);
    stream_init(&s1, 1, LINK_NONE, false);
    stream_init(&s2, 2, LINK_FRAME, false);
    stream_init(&sp, 2, LINK_PIN, true);

    enum {
        M_AR,
        M_FR,
        M_AW,
        M_DRL,
        M_DRB,
        M_FEN,
        M_HC,
        M_H1,
        M_S1,
        M_S2,
        M_SP,
        M_COUNT
    };
    static metric_t ms[M_COUNT] = {
        [M_AR] = { .key = "array-read", .fn = w_array_read, .ctx = &rc_read },
        [M_FR] = { .key = "fr-read", .fn = w_fr_read, .ctx = &c_fr },
        [M_AW] = { .key = "array-write",
                   .fn = w_array_write,
                   .ctx = &rc_write },
        [M_DRL] = { .key = "dr-line", .fn = w_dr_line, .ctx = &c_drl },
        [M_DRB] = { .key = "dr-fifo", .fn = w_dr_burst, .ctx = &c_drf },
        [M_FEN] = { .key = "fen-flush", .fn = w_fen_flush, .ctx = &c_drf },
        [M_HC] = { .key = "hour-call", .fn = w_hour_call, .ctx = &c_hour },
        [M_H1] = { .key = "hour-1ms", .fn = w_hour_1ms, .ctx = &c_1ms },
        [M_S1] = { .key = "stream-1", .fn = w_stream, .ctx = &s1 },
        [M_S2] = { .key = "stream-2", .fn = w_stream, .ctx = &s2 },
        [M_SP] = { .key = "stream-pin", .fn = w_stream, .ctx = &sp },
    };
    for (int i = 0; i < M_COUNT; i++) {
        ms[i].on = selected(ms[i].key);
    }
    /* figures that need a partner */
    ms[M_AR].on |= ms[M_FR].on;
    ms[M_AW].on |= ms[M_DRL].on || ms[M_DRB].on;
    ms[M_DRB].on |= ms[M_FEN].on;
    ms[M_FEN].on |= ms[M_DRB].on;

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
    if (ms[M_FR].on) {
        paired_ratio(&ms[M_FR], &ms[M_AR], &qm, &qb);
        snprintf(ref, sizeof(ref), "%.0fx array read (min %.0fx)", qm, qb);
        row("UARTFR read (hdm_pl011_read)", MED(M_FR), MIN(M_FR), "ns/access",
            ref, "<= 10 ns", MED(M_FR) <= 10.0 ? "yes" : "NO");
    }
    if (ms[M_AW].on) {
        row("baseline: volatile array write", MED(M_AW), MIN(M_AW), "ns/access",
            "1.00x (reference)", "-", "-");
    }
    if (ms[M_DRL].on) {
        paired_ratio(&ms[M_DRL], &ms[M_AW], &qm, &qb);
        snprintf(ref, sizeof(ref), "%.0fx array write (min %.0fx)", qm, qb);
        row("UARTDR write, line rate", MED(M_DRL), MIN(M_DRL), "ns/access", ref,
            "-", "-");
    }
    if (ms[M_DRB].on) {
        /* per round: (burst unit - flush pair) / BURST */
        static double w[MAX_REPS], q[MAX_REPS];
        for (int r = 0; r < R; r++) {
            w[r] = (ms[M_DRB].per[r] - ms[M_FEN].per[r]) / BURST;
            q[r] = w[r] / ms[M_AW].per[r];
        }
        snprintf(ref, sizeof(ref), "%.0fx array write (min %.0fx)",
                 median_of(q, R), min_of(q, R));
        row("UARTDR write, FIFO only", median_of(w, R), min_of(w, R),
            "ns/access", ref, "<= 10 ns",
            median_of(w, R) <= 10.0 ? "yes" : "NO");
        snprintf(ref, sizeof(ref), "= %.1f ns per LCR_H write",
                 MED(M_FEN) / 2.0);
        row("  (FEN flush pair, subtracted)", MED(M_FEN), MIN(M_FEN), "ns/pair",
            ref, "-", "-");
    }
    if (ms[M_HC].on) {
        row("advance 1 sim hour, 1 call", MED(M_HC), MIN(M_HC), "ns wall",
            "idle, UART enabled", "< 1000 ns",
            MED(M_HC) < 1000.0 ? "yes" : "NO");
    }
    if (ms[M_H1].on) {
        snprintf(ref, sizeof(ref), "= %.2f ns per 1 ms step",
                 MED(M_H1) / 3.6e6);
        row("advance 1 sim hour, 1 ms steps", MED(M_H1), MIN(M_H1), "ns wall",
            ref, "-", "-");
    }
    const struct {
        const char *name;
        int m;
        stream_t *s;
        double goal;
    } streams[] = {
        { "stream frame-level, 1 core", M_S1, &s1, 1000.0 },
        { "stream frame-level, 2 cores", M_S2, &s2, 1000.0 },
        { "stream pin-level, 2 cores", M_SP, &sp, 100.0 },
    };
    for (size_t i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
        const stream_t *s = streams[i].s;
        int m = streams[i].m;
        if (!ms[m].on) {
            continue;
        }
        double unit_ns = (double)STREAM_UNIT_MS * 1e6;
        double chars_per_unit = (double)s->frames / (double)s->units;
        snprintf(ref, sizeof(ref), "%.0f ns/char, %.2f core calls/char",
                 MED(m) / chars_per_unit, (double)s->calls / (double)s->frames);
        char goal[16];
        snprintf(goal, sizeof(goal), ">= %.0fx", streams[i].goal);
        double xrt = unit_ns / MED(m);
        row(streams[i].name, xrt, unit_ns / MIN(m), "x real time", ref, goal,
            xrt >= streams[i].goal ? "yes" : "NO");
    }
#undef MED
#undef MIN
    printf("\nbest = from the fastest batch (min time, i.e. max x real time); "
           "ratios are per round\n(metric batch / baseline batch of the same "
           "round), median and min over rounds;\ngoals are judged on the "
           "median.\n");
    if (ms[M_DRB].on) {
        printf("UARTDR write, line rate = one write every 2083 ticks (>= one "
               "8N1 frame), incl. the\n  frame it drains; FIFO only = (16 DR "
               "writes + FEN flush pair - FEN flush pair) / 16\n  at a fixed "
               "tick.\n");
    }

    printf("\nchecks:\n");
    const struct {
        int m;
        const dev_ctx_t *c;
    } dcs[] = { { M_FR, &c_fr },
                { M_DRL, &c_drl },
                { M_DRB, &c_drf },
                { M_HC, &c_hour },
                { M_H1, &c_1ms } };
    for (size_t i = 0; i < sizeof(dcs) / sizeof(dcs[0]); i++) {
        if (ms[dcs[i].m].on) {
            verify(dcs[i].c->status == 0, ms[dcs[i].m].key,
                   "every timed call returned HDM_OK%s",
                   dcs[i].m == M_HC || dcs[i].m == M_H1 ? " (advance_to)" : "");
        }
    }
    if (ms[M_DRL].on) {
        verify(c_drl.max_tx_level <= 2 && c_drl.chars - c_drl.frames <= 3,
               "dr-line tx",
               "%llu written, %llu frames sent, TX FIFO level <= %u",
               (unsigned long long)c_drl.chars,
               (unsigned long long)c_drl.frames, c_drl.max_tx_level);
    }
    if (ms[M_DRB].on) {
        verify(c_drf.max_tx_level == 0 && c_drf.frames == 0, "dr-fifo tx",
               "%llu written, FIFO empty after each flush, no frame sent",
               (unsigned long long)c_drf.chars);
    }
    for (size_t i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
        const stream_t *s = streams[i].s;
        if (!ms[streams[i].m].on) {
            continue;
        }
        bool ok = s->status == 0 && !s->overflow &&
                  s->sent - s->frames <= 33u && s->frames > 0;
        if (s->ndev > 1) {
            ok = ok && s->bad == 0 && s->frames - s->received <= 33u;
        }
        verify(ok, ms[streams[i].m].key,
               "%.2f sim s: %llu written, %llu frames, %llu received, %llu "
               "bad",
               (double)s->units * STREAM_UNIT_MS / 1000.0,
               (unsigned long long)s->sent, (unsigned long long)s->frames,
               (unsigned long long)s->received, (unsigned long long)s->bad);
    }
    return verify_failures ? 1 : 0;
}
