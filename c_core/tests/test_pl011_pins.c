/* SPDX-License-Identifier: MIT */
/*
 * Two PL011 cores wired TXD -> RXD at pin level, both directions at once
 * [TRM 2.4.3 Data transmission or reception]: the receiver samples the
 * other's UARTTXD at 16x with 3-sample majority. Checked: every frame format
 * of TRM Table 3-10/3-11 arrives intact; with mismatched baud rates the
 * receiver reports framing errors [TRM 2.4.3 Error bits]; a break on the
 * wire arrives as one BE character [TRM Table 3-2].
 */
#include "pl011_link.h"

#define CR_ON                                                                  \
    (HDM_PL011_UARTCR_UARTEN_Msk | HDM_PL011_UARTCR_TXE_Msk |                  \
     HDM_PL011_UARTCR_RXE_Msk)

static const char msg[] = "Hello, PL011! 0123456789";

static void pair(link_t *l, unsigned ibrd0, unsigned fbrd0, unsigned ibrd1,
                 unsigned fbrd1, unsigned lcr)
{
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    cfg.tx_pin_edges = true;
    link_init(l, 2, &cfg);
    l->pin_wire = true;
    uart_setup(&l->dev[0], ibrd0, fbrd0, lcr, CR_ON);
    uart_setup(&l->dev[1], ibrd1, fbrd1, lcr, CR_ON);
}

/* Send msg both ways; return the number of characters with errors. */
static unsigned exchange(link_t *l, unsigned lcr, bool expect_clean)
{
    size_t n = sizeof(msg) - 1;
    unsigned mask = (1u << (5u + ((lcr >> 5) & 3u))) - 1u;
    for (size_t i = 0; i < n; i++) {
        wr(&l->dev[0], HDM_PL011_UARTDR_OFFSET, (uint8_t)msg[i]);
        wr(&l->dev[1], HDM_PL011_UARTDR_OFFSET, (uint8_t)msg[n - 1 - i]);
    }
    /* 24 chars of at most 12 bits at 16*IBRD: bounded generously */
    link_run_until(l, hdm_pl011_now(&l->dev[0]) + 24u * 12u * 16u * 40u);
    unsigned errors = 0;
    for (int d = 0; d < 2; d++) {
        hdm_pl011_t *rx = &l->dev[1 - d];
        size_t got = 0;
        while (!(rd(rx, HDM_PL011_UARTFR_OFFSET) & HDM_PL011_UARTFR_RXFE_Msk)) {
            uint32_t w = rd(rx, HDM_PL011_UARTDR_OFFSET);
            /* a mismatched receiver may see more characters than were sent */
            size_t k = got < n ? got : n - 1;
            char want = d == 0 ? msg[k] : msg[n - 1 - k];
            if (w & 0xF00u) {
                errors++;
            }
            if (expect_clean) {
                CHECK((w & 0xF00u) == 0 &&
                          (w & 0xFFu) == ((unsigned)want & mask),
                      "lcr 0x%02x dev%d->dev%d char %zu: DR=0x%03x, "
                      "expected 0x%02x",
                      lcr, d, 1 - d, got, w, (unsigned)want & mask);
            }
            got++;
        }
        if (expect_clean) {
            CHECK(got == n, "lcr 0x%02x dev%d->dev%d: %zu of %zu chars", lcr, d,
                  1 - d, got, n);
        }
    }
    return errors;
}

static void test_formats(void)
{
    /* WLEN 5..8, parity none/odd/even/stick 1/stick 0, 1 or 2 stop bits */
    static const unsigned lcrs[] = { 0x70, 0x50, 0x30, 0x10, 0x72, 0x76,
                                     0x7A, 0x7E, 0xF2, 0xF6, 0x52, 0x18 };
    for (size_t i = 0; i < sizeof(lcrs) / sizeof(lcrs[0]); i++) {
        link_t l;
        pair(&l, 13, 1, 13, 1, lcrs[i]);
        exchange(&l, lcrs[i], true);
    }
    /* integer divisor and a large fractional one */
    link_t l;
    pair(&l, 4, 0, 4, 0, 0x70);
    exchange(&l, 0x70, true);
    pair(&l, 2, 11, 2, 11, 0x76);
    exchange(&l, 0x76, true);
    puts("pin-level exchange: all formats intact");
}

static void test_mismatched_baud(void)
{
    link_t l;
    /* receiver at half the sender's rate: bits land on wrong samples */
    pair(&l, 13, 1, 26, 3, 0x70);
    unsigned errors = exchange(&l, 0x70, false);
    uint32_t ris = rd(&l.dev[1], HDM_PL011_UARTRIS_OFFSET);
    CHECK(ris & HDM_PL011_UARTRIS_FERIS_Msk,
          "mismatched baud: no framing error at the receiver (RIS=0x%03x)",
          ris);
    CHECK(errors > 0, "mismatched baud: no character carried an error bit");
    /* 3 % off is within what 16x sampling tolerates for 8N1 */
    pair(&l, 13, 1, 13, 25, 0x70);
    exchange(&l, 0x70, true);
    puts("mismatched baud: framing errors reported; 3% off tolerated");
}

static void test_break_on_wire(void)
{
    link_t l;
    pair(&l, 13, 1, 13, 1, 0x70);
    hdm_pl011_t *a = &l.dev[0], *b = &l.dev[1];
    wr(a, HDM_PL011_UARTLCR_H_OFFSET, 0x71); /* BRK */
    link_run_until(&l, hdm_pl011_now(a) + 3u * 2083u);
    CHECK(!hdm_pl011_output_level(a, HDM_PL011_OUT_TXD),
          "TXD not LOW in break");
    wr(a, HDM_PL011_UARTLCR_H_OFFSET, 0x70);
    link_run_until(&l, hdm_pl011_now(a) + 2u * 2083u);
    uint32_t w = rd(b, HDM_PL011_UARTDR_OFFSET);
    CHECK((w & HDM_PL011_UARTDR_BE_Msk) && (w & 0xFFu) == 0,
          "break: DR=0x%03x, expected BE with data 0", w);
    CHECK(rd(b, HDM_PL011_UARTFR_OFFSET) & HDM_PL011_UARTFR_RXFE_Msk,
          "break loaded more than one character");
    /* the receiver re-arms: the next character arrives normally */
    wr(a, HDM_PL011_UARTDR_OFFSET, 0x5A);
    link_run_until(&l, hdm_pl011_now(a) + 2u * 2083u);
    w = rd(b, HDM_PL011_UARTDR_OFFSET);
    CHECK(w == 0x5A, "after break: DR=0x%03x, expected 0x05a", w);
    puts("break on the wire: one BE character, receiver re-armed");
}

int main(void)
{
    test_formats();
    test_mismatched_baud();
    test_break_on_wire();
    puts("PASS test_pl011_pins");
    return 0;
}
