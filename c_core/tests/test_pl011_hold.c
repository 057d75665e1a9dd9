/* SPDX-License-Identifier: MIT */
/*
 * Host flow control of the transmitter (hdm_pl011_set_tx_hold): a host
 * that cannot take output (a full chardev) holds the transmitter; no frame
 * starts while held, a frame in progress completes, characters wait in the
 * TX FIFO with UARTFR/TXRIS following its level [TRM 3.3.3, 2.8.3], and
 * nothing is lost. Timed TX and the instant-TX quirk; reset keeps the
 * hold; snapshots carry it and refuse inconsistent images.
 */
#include "pl011_link.h"

#define FRAME_8N1 2083u /* ticks per 8N1 frame at IBRD=13, FBRD=1 */
#define CR_ON                                                                  \
    (HDM_PL011_UARTCR_UARTEN_Msk | HDM_PL011_UARTCR_TXE_Msk |                  \
     HDM_PL011_UARTCR_RXE_Msk)
#define LCR_8N1_FIFO                                                           \
    (HDM_PL011_UARTLCR_H_WLEN_Msk | HDM_PL011_UARTLCR_H_FEN_Msk)
#define FR_TX_MASK                                                             \
    (HDM_PL011_UARTFR_TXFE_Msk | HDM_PL011_UARTFR_TXFF_Msk |                   \
     HDM_PL011_UARTFR_BUSY_Msk)

typedef struct frames {
    hdm_pl011_frame_t f[128];
    unsigned n;
} frames_t;

static void cb_frame(void *o, const void *frame)
{
    frames_t *r = o;
    CHECK(r->n < 128, "more than 128 frames");
    r->f[r->n++] = *(const hdm_pl011_frame_t *)frame;
}

static void init(hdm_pl011_t *d, frames_t *r, uint32_t quirks)
{
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    cfg.quirks = quirks;
    hdm_host_t h;
    memset(&h, 0, sizeof(h));
    h.opaque = r;
    h.tx_frame = cb_frame;
    memset(r, 0, sizeof(*r));
    CHECK(hdm_pl011_init(d, &cfg, &h) == HDM_OK, "init");
    uart_setup(d, 13, 1, LCR_8N1_FIFO, CR_ON);
}

static void adv(hdm_pl011_t *d, hdm_tick_t t)
{
    int st = hdm_pl011_advance_to(d, t);
    CHECK(st == HDM_OK, "advance_to(%llu): %s", (unsigned long long)t,
          hdm_status_name(st));
}

static void hold(hdm_pl011_t *d, bool on)
{
    int st = hdm_pl011_set_tx_hold(d, hdm_pl011_now(d), on);
    CHECK(st == HDM_OK, "set_tx_hold(%d): %s", on, hdm_status_name(st));
    CHECK(hdm_pl011_tx_held(d) == on, "tx_held() = %d after set_tx_hold(%d)",
          hdm_pl011_tx_held(d), on);
}

static unsigned fr_tx(hdm_pl011_t *d)
{
    return rd(d, HDM_PL011_UARTFR_OFFSET) & FR_TX_MASK;
}

static bool txris(hdm_pl011_t *d)
{
    return rd(d, HDM_PL011_UARTRIS_OFFSET) & HDM_PL011_UARTRIS_TXRIS_Msk;
}

static void expect_data(const frames_t *r, unsigned from, unsigned n,
                        unsigned first)
{
    for (unsigned i = 0; i < n; i++) {
        CHECK(r->f[from + i].data == (uint8_t)(first + i),
              "frame %u carries 0x%02x, expected 0x%02x", from + i,
              r->f[from + i].data, (uint8_t)(first + i));
    }
}

/* Timed TX: held characters wait; release starts them back to back. */
static void test_timed(void)
{
    hdm_pl011_t d;
    frames_t r;
    init(&d, &r, 0);
    hold(&d, true);
    for (unsigned i = 0; i < 3; i++) {
        wr(&d, HDM_PL011_UARTDR_OFFSET, 0x40 + i);
    }
    CHECK(hdm_pl011_next_event(&d) == HDM_TICK_NEVER,
          "held transmitter still schedules an event at %llu",
          (unsigned long long)hdm_pl011_next_event(&d));
    adv(&d, 100u * FRAME_8N1);
    CHECK(r.n == 0, "%u frames sent while held", r.n);
    CHECK(fr_tx(&d) == HDM_PL011_UARTFR_BUSY_Msk,
          "held with 3 queued: FR TX bits 0x%03x, expected BUSY only",
          fr_tx(&d));
    /* fill up: TXFF at 32, a 33rd write is lost as on hardware */
    for (unsigned i = 3; i < 33; i++) {
        wr(&d, HDM_PL011_UARTDR_OFFSET, 0x40 + i);
    }
    CHECK(fr_tx(&d) == (HDM_PL011_UARTFR_BUSY_Msk | HDM_PL011_UARTFR_TXFF_Msk),
          "held and full: FR TX bits 0x%03x, expected BUSY|TXFF", fr_tx(&d));
    CHECK(!txris(&d), "TXRIS set with a full FIFO");
    hdm_tick_t rel = hdm_pl011_now(&d) + 1000u;
    adv(&d, rel);
    hold(&d, false);
    hold(&d, false); /* idempotent */
    adv(&d, rel + 40u * FRAME_8N1);
    CHECK(r.n == 32, "%u frames after the release, expected 32", r.n);
    expect_data(&r, 0, 32, 0x40);
    CHECK(r.f[0].start >= rel + 2u && r.f[0].start < rel + 2u + 13u + 2u,
          "first start bit at %llu, expected on the first Baud16 pulse >= "
          "release %llu + 2",
          (unsigned long long)r.f[0].start, (unsigned long long)rel);
    for (unsigned i = 1; i < 32; i++) {
        CHECK(r.f[i].start == r.f[i - 1].end,
              "frame %u starts at %llu, previous ended at %llu (not back to "
              "back)",
              i, (unsigned long long)r.f[i].start,
              (unsigned long long)r.f[i - 1].end);
        hdm_tick_t len = r.f[i].end - r.f[i].start;
        CHECK(len >= FRAME_8N1 - 1u && len <= FRAME_8N1 + 1u,
              "frame %u lasts %llu ticks, expected %u +- 1", i,
              (unsigned long long)len, FRAME_8N1);
    }
    CHECK(fr_tx(&d) == HDM_PL011_UARTFR_TXFE_Msk, "drained: FR TX 0x%03x",
          fr_tx(&d));
}

/* A frame in progress completes; the next waits for the release. */
static void test_hold_mid_frame(void)
{
    hdm_pl011_t d;
    frames_t r;
    init(&d, &r, 0);
    wr(&d, HDM_PL011_UARTDR_OFFSET, 0x11);
    wr(&d, HDM_PL011_UARTDR_OFFSET, 0x22);
    adv(&d, FRAME_8N1 / 2u);
    hold(&d, true);
    adv(&d, 10u * FRAME_8N1);
    CHECK(r.n == 1 && r.f[0].data == 0x11,
          "held mid-frame: %u frames (first 0x%02x), expected the one in "
          "progress",
          r.n, r.n ? r.f[0].data : 0);
    hdm_tick_t len = r.f[0].end - r.f[0].start;
    CHECK(len >= FRAME_8N1 - 1u && len <= FRAME_8N1 + 1u,
          "the frame in progress was cut: %llu ticks", (unsigned long long)len);
    CHECK(fr_tx(&d) == HDM_PL011_UARTFR_BUSY_Msk, "FR TX 0x%03x", fr_tx(&d));
    hdm_tick_t rel = hdm_pl011_now(&d);
    hold(&d, false);
    adv(&d, rel + 2u * FRAME_8N1);
    CHECK(r.n == 2 && r.f[1].data == 0x22 && r.f[1].start >= rel + 2u,
          "after the release: %u frames, second starts at %llu (release "
          "%llu)",
          r.n, (unsigned long long)(r.n > 1 ? r.f[1].start : 0),
          (unsigned long long)rel);
}

/* Instant TX: immediate when free; queued while held; all out at release */
static void test_instant(void)
{
    hdm_pl011_t d;
    frames_t r;
    init(&d, &r, HDM_PL011_QUIRK_INSTANT_TX);
    adv(&d, 100);
    wr(&d, HDM_PL011_UARTDR_OFFSET, 0x01);
    CHECK(r.n == 1 && r.f[0].start == 100 && r.f[0].end == 100,
          "instant write: %u frames", r.n);
    CHECK(fr_tx(&d) == HDM_PL011_UARTFR_TXFE_Msk, "instant: FR TX 0x%03x",
          fr_tx(&d));
    wr(&d, HDM_PL011_UARTICR_OFFSET, HDM_PL011_UARTICR_TXIC_Msk);
    hold(&d, true);
    for (unsigned i = 0; i < 33; i++) {
        wr(&d, HDM_PL011_UARTDR_OFFSET, 0x80 + i);
    }
    adv(&d, 5000);
    CHECK(r.n == 1, "%u frames while held", r.n - 1);
    CHECK(fr_tx(&d) == (HDM_PL011_UARTFR_BUSY_Msk | HDM_PL011_UARTFR_TXFF_Msk),
          "instant, held and full: FR TX 0x%03x", fr_tx(&d));
    CHECK(!txris(&d), "TXRIS set while held with a full FIFO");
    hold(&d, false);
    CHECK(r.n == 33, "release emitted %u frames, expected 32", r.n - 1);
    expect_data(&r, 1, 32, 0x80);
    for (unsigned i = 1; i < 33; i++) {
        CHECK(r.f[i].start == 5000 && r.f[i].end == 5000,
              "released frame %u at %llu..%llu, expected 5000", i,
              (unsigned long long)r.f[i].start, (unsigned long long)r.f[i].end);
    }
    CHECK(txris(&d), "TXRIS clear after the release drained the FIFO");
    CHECK(fr_tx(&d) == HDM_PL011_UARTFR_TXFE_Msk, "released: FR TX 0x%03x",
          fr_tx(&d));
}

/* Reset keeps the host's hold; snapshots carry it; bad images refused. */
static void test_reset_and_snapshot(void)
{
    hdm_pl011_t d, twin;
    frames_t r, r2;
    init(&d, &r, HDM_PL011_QUIRK_INSTANT_TX);
    hold(&d, true);
    hdm_pl011_reset(&d, 10);
    CHECK(hdm_pl011_tx_held(&d), "reset dropped the host's hold");
    uart_setup(&d, 13, 1, LCR_8N1_FIFO, CR_ON);
    for (unsigned i = 0; i < 5; i++) {
        wr(&d, HDM_PL011_UARTDR_OFFSET, 0x30 + i);
    }
    CHECK(r.n == 0, "%u frames while held after reset", r.n);
    static hdm_pl011_snapshot_t snap, bad;
    hdm_pl011_save(&d, &snap);
    init(&twin, &r2, HDM_PL011_QUIRK_INSTANT_TX);
    CHECK(!hdm_pl011_tx_held(&twin), "fresh device held");
    bad = snap;
    bad.state.tx_hold = 2;
    CHECK(hdm_pl011_restore(&twin, &bad) == HDM_E_CORRUPT,
          "tx_hold = 2 accepted");
    bad = snap;
    bad.state.tx_hold = 0; /* instant TX never queues unless held */
    CHECK(hdm_pl011_restore(&twin, &bad) == HDM_E_CORRUPT,
          "instant TX with 5 queued and no hold accepted");
    CHECK(!hdm_pl011_tx_held(&twin) && r2.n == 0,
          "refused image changed the device");
    CHECK(hdm_pl011_restore(&twin, &snap) == HDM_OK, "good image refused");
    CHECK(hdm_pl011_tx_held(&twin), "restored device not held");
    CHECK(hdm_pl011_set_tx_hold(&twin, 5, false) == HDM_E_PAST,
          "set_tx_hold in the past accepted");
    CHECK(hdm_pl011_tx_held(&twin), "refused call released the hold");
    hold(&twin, false);
    CHECK(r2.n == 5, "twin released %u frames, expected 5", r2.n);
    expect_data(&r2, 0, 5, 0x30);
}

int main(void)
{
    test_timed();
    test_hold_mid_frame();
    test_instant();
    test_reset_and_snapshot();
    puts("ok: pl011 tx hold");
    return 0;
}
