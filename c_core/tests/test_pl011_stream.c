/* SPDX-License-Identifier: MIT */
/*
 * No data lost: 1 MiB between two linked PL011s with RTS/CTS flow control
 * [TRM 2.6], 1 MiB through the serial loopback [TRM 3.3.8 LBE] with the
 * looped-back RTS->CTS flow control, and, without flow control, overrun
 * flagged exactly when a byte was dropped [TRM 2.4.3 Overrun bit].
 *
 * The sender behaves like Linux's PIO path: it fills the FIFO until TXFF,
 * then on every TX interrupt writes fifosize/2 characters without reading
 * FR (this relies on TXRIS meaning "at least half empty"). The receiver
 * services the UART only every `period` ticks, slower than the line, so the
 * RX FIFO fills and flow control (or overrun) must act.
 */
#include "pl011_link.h"

#define CR_BASE                                                                \
    (HDM_PL011_UARTCR_UARTEN_Msk | HDM_PL011_UARTCR_TXE_Msk |                  \
     HDM_PL011_UARTCR_RXE_Msk)
#define CR_FLOW   (HDM_PL011_UARTCR_RTSEN_Msk | HDM_PL011_UARTCR_CTSEN_Msk)
#define FRAME_8N1 2083u /* ticks per 8N1 frame at IBRD=13, FBRD=1 */

typedef struct stream {
    uint64_t sent;     /* characters written to the sender's DR */
    uint64_t expect;   /* index of the next character the receiver expects */
    uint64_t received; /* characters read */
    uint64_t dropped;  /* characters inferred lost from the sequence */
    uint64_t oe_chars; /* characters read with the OE bit */
    uint64_t total;
} stream_t;

static uint8_t pattern(uint64_t i)
{
    return (uint8_t)(i & 0xFFu);
}

static void producer(hdm_pl011_t *tx, stream_t *s, unsigned depth)
{
    if (s->sent >= s->total) {
        return;
    }
    if (!hdm_pl011_irq_level(tx, HDM_PL011_IRQ_TXINTR)) {
        return;
    }
    /* pl011_tx_chars(from_irq=true): fifosize/2 writes, no FR check */
    for (unsigned i = 0; i < depth / 2 && s->sent < s->total; i++) {
        wr(tx, HDM_PL011_UARTDR_OFFSET, pattern(s->sent++));
    }
    if (s->sent >= s->total) {
        wr(tx, HDM_PL011_UARTIMSC_OFFSET, 0); /* stop_tx */
    }
}

static void prefill(hdm_pl011_t *tx, stream_t *s)
{
    while (s->sent < s->total &&
           !(rd(tx, HDM_PL011_UARTFR_OFFSET) & HDM_PL011_UARTFR_TXFF_Msk)) {
        wr(tx, HDM_PL011_UARTDR_OFFSET, pattern(s->sent++));
    }
    wr(tx, HDM_PL011_UARTIMSC_OFFSET, HDM_PL011_UARTIMSC_TXIM_Msk);
}

/* Drain the RX FIFO; check order; infer drops from the 8-bit sequence
 * (at most `period` characters arrive between services, far below 256). */
static void consumer(hdm_pl011_t *rx, stream_t *s, bool allow_loss)
{
    while (!(rd(rx, HDM_PL011_UARTFR_OFFSET) & HDM_PL011_UARTFR_RXFE_Msk)) {
        uint32_t w = rd(rx, HDM_PL011_UARTDR_OFFSET);
        uint8_t v = (uint8_t)w;
        unsigned gap = (uint8_t)(v - pattern(s->expect));
        CHECK(!(w & (HDM_PL011_UARTDR_FE_Msk | HDM_PL011_UARTDR_PE_Msk |
                     HDM_PL011_UARTDR_BE_Msk)),
              "character %llu read with error bits 0x%03x",
              (unsigned long long)s->received, w);
        if (!allow_loss) {
            CHECK(gap == 0 && !(w & HDM_PL011_UARTDR_OE_Msk),
                  "character %llu: got 0x%02x (DR 0x%03x), expected 0x%02x",
                  (unsigned long long)s->expect, v, w, pattern(s->expect));
        } else if (gap != 0) {
            CHECK(w & HDM_PL011_UARTDR_OE_Msk,
                  "%u characters lost before index %llu but DR.OE clear", gap,
                  (unsigned long long)(s->expect + gap));
        } else {
            CHECK(!(w & HDM_PL011_UARTDR_OE_Msk),
                  "DR.OE set on character %llu with nothing lost",
                  (unsigned long long)s->expect);
        }
        if (w & HDM_PL011_UARTDR_OE_Msk) {
            s->oe_chars++;
        }
        s->dropped += gap;
        s->expect += gap + 1u;
        s->received++;
    }
}

/* Run a sender -> receiver stream; devices may be the same (loopback). */
static void run_stream(link_t *l, hdm_pl011_t *tx, hdm_pl011_t *rx, stream_t *s,
                       hdm_tick_t period, bool allow_loss)
{
    unsigned depth = 32;
    prefill(tx, s);
    hdm_tick_t service = hdm_pl011_now(tx) + period;
    hdm_tick_t idle_since = hdm_pl011_now(tx);
    while (s->expect < s->total) {
        hdm_tick_t t = link_next(l, service);
        link_step_to(l, t);
        producer(tx, s, depth);
        if (t >= service) {
            uint64_t before = s->received;
            consumer(rx, s, allow_loss);
            service += period;
            if (s->received != before) {
                idle_since = t;
            }
            CHECK(t - idle_since < 1000u * period,
                  "stream stalled at character %llu of %llu (sent %llu)",
                  (unsigned long long)s->expect, (unsigned long long)s->total,
                  (unsigned long long)s->sent);
        }
    }
}

static void setup_pair(link_t *l, unsigned cr)
{
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    link_init(l, 2, &cfg);
    l->frame_wire = true;
    l->rts_cts_wire = true;
    for (int i = 0; i < 2; i++) {
        uart_setup(&l->dev[i], 13, 1, 0x70, cr);
    }
}

static void test_flow_control_pair(void)
{
    link_t l;
    stream_t s = { .total = 1u << 20 };
    setup_pair(&l, CR_BASE | CR_FLOW);
    run_stream(&l, &l.dev[0], &l.dev[1], &s, 40u * FRAME_8N1, false);
    CHECK(s.received == s.total && s.dropped == 0, "received %llu of %llu",
          (unsigned long long)s.received, (unsigned long long)s.total);
    CHECK(!(rd(&l.dev[1], HDM_PL011_UARTRIS_OFFSET) &
            HDM_PL011_UARTRIS_OERIS_Msk) &&
              !(rd(&l.dev[1], HDM_PL011_UARTRSR_OFFSET) &
                HDM_PL011_UARTRSR_OE_Msk),
          "overrun flagged although flow control was on");
    /* the receiver must have throttled the sender: slower than the line */
    hdm_tick_t elapsed = hdm_pl011_now(&l.dev[1]);
    CHECK(elapsed > (s.total * FRAME_8N1) * 2u,
          "stream took %llu ticks: flow control never throttled",
          (unsigned long long)elapsed);
    printf("flow-control pair: %llu bytes in order, %llu ticks\n",
           (unsigned long long)s.received, (unsigned long long)elapsed);
}

static void test_overrun_without_flow_control(void)
{
    link_t l;
    stream_t s = { .total = 1u << 18 };
    setup_pair(&l, CR_BASE);
    run_stream(&l, &l.dev[0], &l.dev[1], &s, 40u * FRAME_8N1, true);
    CHECK(s.dropped > 0 && s.oe_chars > 0,
          "a slow receiver without flow control lost nothing (dropped %llu)",
          (unsigned long long)s.dropped);
    CHECK((rd(&l.dev[1], HDM_PL011_UARTRIS_OFFSET) &
           HDM_PL011_UARTRIS_OERIS_Msk) &&
              (rd(&l.dev[1], HDM_PL011_UARTRSR_OFFSET) &
               HDM_PL011_UARTRSR_OE_Msk),
          "bytes were dropped but OERIS/RSR.OE are clear");
    printf("no flow control, slow reader: %llu dropped, %llu OE-marked chars\n",
           (unsigned long long)s.dropped, (unsigned long long)s.oe_chars);

    /* A reader that keeps up loses nothing and never sees an overrun. */
    stream_t f = { .total = 1u << 18 };
    setup_pair(&l, CR_BASE);
    run_stream(&l, &l.dev[0], &l.dev[1], &f, 20u * FRAME_8N1, true);
    CHECK(f.dropped == 0 && f.oe_chars == 0 &&
              !(rd(&l.dev[1], HDM_PL011_UARTRIS_OFFSET) &
                HDM_PL011_UARTRIS_OERIS_Msk),
          "fast reader: %llu dropped, %llu OE chars, OERIS set",
          (unsigned long long)f.dropped, (unsigned long long)f.oe_chars);
}

static void test_loopback(void)
{
    link_t l;
    stream_t s = { .total = 1u << 20 };
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    link_init(&l, 1, &cfg);
    /* LBE: TX bit stream into the receiver, RTS looped to CTS */
    uart_setup(&l.dev[0], 13, 1, 0x70,
               CR_BASE | CR_FLOW | HDM_PL011_UARTCR_LBE_Msk);
    run_stream(&l, &l.dev[0], &l.dev[0], &s, 40u * FRAME_8N1, false);
    CHECK(s.received == s.total, "loopback received %llu of %llu",
          (unsigned long long)s.received, (unsigned long long)s.total);
    CHECK(!(rd(&l.dev[0], HDM_PL011_UARTRIS_OFFSET) &
            (HDM_PL011_UARTRIS_OERIS_Msk | HDM_PL011_UARTRIS_FERIS_Msk)),
          "loopback flagged overrun or framing errors");
    printf("loopback: %llu bytes in order\n", (unsigned long long)s.received);
}

int main(void)
{
    test_flow_control_pair();
    test_overrun_without_flow_control();
    test_loopback();
    puts("PASS test_pl011_stream");
    return 0;
}
