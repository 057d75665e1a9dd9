/* SPDX-License-Identifier: MIT */
/*
 * Test harness: two PL011 cores (or one in loopback) on one time line.
 * The scheduler steps to the earliest next event of either device (or of
 * the test's own service events) so that a reaction of one device at tick t
 * can be applied to the other at tick t. Cross-device effects raised inside
 * callbacks are queued and applied after both devices reached t (a callback
 * must never re-enter a core).
 */
#ifndef HDM_TEST_PL011_LINK_H
#define HDM_TEST_PL011_LINK_H

#include "hdm/pl011.h"
#include "hdm/pl011_regs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* One queued cross-device input. */
typedef struct link_ev {
    int dev;  /* target device index */
    int kind; /* 0 pin, 1 frame */
    unsigned pin;
    bool level;
    uint8_t data;
    unsigned flags;
    hdm_tick_t tick;
} link_ev_t;

#define LINK_QMAX 64

typedef struct link {
    hdm_pl011_t dev[2];
    int ndev;
    link_ev_t q[LINK_QMAX];
    int nq;
    /* wiring */
    bool frame_wire;   /* dev0 tx_frame -> dev1 rx_frame (and 1 -> 0) */
    bool pin_wire;     /* dev0 TXD -> dev1 RXD (and 1 -> 0) */
    bool rts_cts_wire; /* nRTS of each -> nCTS of the other */
    uint64_t frames_sent[2];
} link_t;

typedef struct link_ctx {
    link_t *l;
    int idx;
} link_ctx_t;

static link_ctx_t link_ctx[2];

static inline void link_queue(link_t *l, link_ev_t ev)
{
    CHECK(l->nq < LINK_QMAX, "link queue overflow");
    l->q[l->nq++] = ev;
}

static inline void link_pin_cb(void *opaque, unsigned pin, bool level,
                               hdm_tick_t t)
{
    link_ctx_t *c = opaque;
    link_t *l = c->l;
    int other = 1 - c->idx;
    if (l->ndev < 2) {
        return;
    }
    if (l->pin_wire && pin == HDM_PL011_OUT_TXD) {
        link_queue(l,
                   (link_ev_t){ other, 0, HDM_PL011_IN_RXD, level, 0, 0, t });
    }
    if (l->rts_cts_wire && pin == HDM_PL011_OUT_NRTS) {
        link_queue(l,
                   (link_ev_t){ other, 0, HDM_PL011_IN_NCTS, level, 0, 0, t });
    }
}

static inline void link_frame_cb(void *opaque, const void *frame)
{
    link_ctx_t *c = opaque;
    const hdm_pl011_frame_t *f = frame;
    c->l->frames_sent[c->idx]++;
    if (c->l->ndev < 2 || !c->l->frame_wire) {
        return;
    }
    unsigned flags = (f->flags & HDM_PL011_FRAME_BREAK) ? HDM_PL011_RX_BE : 0;
    link_queue(c->l,
               (link_ev_t){ 1 - c->idx, 1, 0, false, f->data, flags, f->end });
}

static inline void link_init(link_t *l, int ndev, const hdm_pl011_config_t *cfg)
{
    memset(l, 0, sizeof(*l));
    l->ndev = ndev;
    for (int i = 0; i < ndev; i++) {
        link_ctx[i].l = l;
        link_ctx[i].idx = i;
        hdm_host_t h;
        memset(&h, 0, sizeof(h));
        h.opaque = &link_ctx[i];
        h.pin = link_pin_cb;
        h.tx_frame = link_frame_cb;
        CHECK(hdm_pl011_init(&l->dev[i], cfg, &h) == HDM_OK, "init dev %d", i);
    }
}

static inline void link_flush(link_t *l)
{
    /* applying an input can queue more (e.g. nRTS after an RX push) */
    while (l->nq > 0) {
        link_ev_t ev = l->q[0];
        memmove(&l->q[0], &l->q[1], sizeof(l->q[0]) * (size_t)(l->nq - 1));
        l->nq--;
        int st;
        if (ev.kind == 0) {
            st =
                hdm_pl011_set_input(&l->dev[ev.dev], ev.tick, ev.pin, ev.level);
        } else {
            st =
                hdm_pl011_rx_frame(&l->dev[ev.dev], ev.tick, ev.data, ev.flags);
            if (st == HDM_E_IGNORED) {
                st = HDM_OK;
            }
        }
        CHECK(st == HDM_OK, "cross input to dev %d at %llu: %s", ev.dev,
              (unsigned long long)ev.tick, hdm_status_name(st));
    }
}

/* Earliest next event of all devices, capped at limit. */
static inline hdm_tick_t link_next(link_t *l, hdm_tick_t limit)
{
    hdm_tick_t t = limit;
    link_flush(l); /* effects of the test's own accesses first */
    for (int i = 0; i < l->ndev; i++) {
        t = hdm_tick_min(t, hdm_pl011_next_event(&l->dev[i]));
    }
    return t;
}

/* Step every device to exactly t, then apply what they raised at t. */
static inline void link_step_to(link_t *l, hdm_tick_t t)
{
    link_flush(l);
    for (int i = 0; i < l->ndev; i++) {
        CHECK(hdm_pl011_advance_to(&l->dev[i], t) == HDM_OK, "advance %d", i);
    }
    link_flush(l);
}

/* Run the devices until tick limit, one event time at a time. */
static inline void link_run_until(link_t *l, hdm_tick_t limit)
{
    for (;;) {
        hdm_tick_t t = link_next(l, limit);
        link_step_to(l, t);
        if (t >= limit) {
            return;
        }
    }
}

static inline uint32_t rd(hdm_pl011_t *d, uint32_t off)
{
    uint32_t v = 0;
    int st = hdm_pl011_read(d, hdm_pl011_now(d), off, 4, &v, 0);
    CHECK(st == HDM_OK, "read 0x%03x: %s", off, hdm_status_name(st));
    return v;
}

static inline void wr(hdm_pl011_t *d, uint32_t off, uint32_t v)
{
    int st = hdm_pl011_write(d, hdm_pl011_now(d), off, 4, v, 0);
    CHECK(st == HDM_OK, "write 0x%03x: %s", off, hdm_status_name(st));
}

/* Program divisor, format and control like Linux pl011_startup+termios. */
static inline void uart_setup(hdm_pl011_t *d, unsigned ibrd, unsigned fbrd,
                              unsigned lcr_h, unsigned cr)
{
    wr(d, HDM_PL011_UARTIBRD_OFFSET, ibrd);
    wr(d, HDM_PL011_UARTFBRD_OFFSET, fbrd);
    wr(d, HDM_PL011_UARTLCR_H_OFFSET, lcr_h);
    wr(d, HDM_PL011_UARTCR_OFFSET, cr);
}

#endif
