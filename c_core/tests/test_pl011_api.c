/* SPDX-License-Identifier: MIT */
/*
 * Host contract of the PL011 core: config validation, the status model of
 * bus accesses (docs/architecture.md), debug accesses, time going
 * backwards, revision profiles [TRM 1.2, Table 3-21], and snapshots:
 * save -> restore -> run is indistinguishable from never saving, and a bad
 * snapshot is refused without changing the device.
 */
#include "pl011_link.h"

/* Every callback recorded, to compare two runs. */
typedef struct rec {
    char buf[1 << 16];
    size_t len;
} rec_t;

static void rec_add(rec_t *r, const char *fmt, unsigned a, unsigned b,
                    hdm_tick_t t)
{
    int n = snprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, a, b,
                     (unsigned long long)t);
    CHECK(n > 0 && (size_t)n < sizeof(r->buf) - r->len, "record overflow");
    r->len += (size_t)n;
}

static void cb_irq(void *o, unsigned line, bool level, hdm_tick_t t)
{
    rec_add(o, "irq%u=%u@%llu\n", line, level, t);
}

static void cb_pin(void *o, unsigned pin, bool level, hdm_tick_t t)
{
    rec_add(o, "pin%u=%u@%llu\n", pin, level, t);
}

static void cb_frame(void *o, const void *frame)
{
    const hdm_pl011_frame_t *f = frame;
    rec_add(o, "frame %02x flags %u", f->data, f->flags, f->start);
    rec_add(o, " %u%u end@%llu\n", 0, 0, f->end);
}

static void init_rec(hdm_pl011_t *d, rec_t *r, hdm_pl011_revision_t rev)
{
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    cfg.revision = rev;
    cfg.tx_pin_edges = true;
    hdm_host_t h;
    memset(&h, 0, sizeof(h));
    h.opaque = r;
    h.irq = cb_irq;
    h.pin = cb_pin;
    h.tx_frame = cb_frame;
    r->len = 0;
    CHECK(hdm_pl011_init(d, &cfg, &h) == HDM_OK, "init");
}

static void expect_status(hdm_pl011_t *d, bool write, uint32_t off,
                          unsigned size, int want)
{
    uint32_t v = 0xDEADBEEF;
    int st = write ? hdm_pl011_write(d, hdm_pl011_now(d), off, size, 0xFF, 0)
                   : hdm_pl011_read(d, hdm_pl011_now(d), off, size, &v, 0);
    CHECK(st == want, "%s 0x%03x size %u: status %s, expected %s",
          write ? "write" : "read", off, size, hdm_status_name(st),
          hdm_status_name(want));
    if (!write && st != HDM_OK) {
        CHECK(v == 0, "failed read 0x%03x returned 0x%x, expected 0", off, v);
    }
}

static void test_config_and_status(void)
{
    hdm_pl011_t d;
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    cfg.revision = (hdm_pl011_revision_t)7;
    CHECK(hdm_pl011_init(&d, &cfg, NULL) == HDM_E_INVAL, "bad revision");
    hdm_pl011_config_default(&cfg);
    cfg.quirks = 1u << 30;
    CHECK(hdm_pl011_init(&d, &cfg, NULL) == HDM_E_INVAL, "bad quirk bits");
    CHECK(hdm_pl011_init(NULL, &cfg, NULL) == HDM_E_INVAL, "NULL device");
    hdm_pl011_config_default(&cfg);
    CHECK(hdm_pl011_init(&d, &cfg, NULL) == HDM_OK, "default init");

    expect_status(&d, false, 0x008, 4, HDM_E_UNMAPPED);
    expect_status(&d, true, 0x01C, 4, HDM_E_UNMAPPED);
    expect_status(&d, false, 0x090, 4, HDM_E_UNMAPPED);
    expect_status(&d, false, 0x1000, 4, HDM_E_UNMAPPED);
    expect_status(&d, false, 0xFFFFFFFCu, 4, HDM_E_UNMAPPED);
    expect_status(&d, false, 0x018, 3, HDM_E_BAD_SIZE);
    expect_status(&d, false, 0x018, 8, HDM_E_BAD_SIZE);
    expect_status(&d, true, 0x030, 0, HDM_E_BAD_SIZE);
    expect_status(&d, false, 0x01A, 4, HDM_E_BAD_ALIGN);
    expect_status(&d, true, 0x031, 2, HDM_E_BAD_ALIGN);
    expect_status(&d, true, 0x018, 4, HDM_E_READ_ONLY);
    expect_status(&d, true, 0xFE0, 4, HDM_E_READ_ONLY);
    expect_status(&d, false, 0x044, 4, HDM_E_WRITE_ONLY);
    expect_status(&d, true, 0x031, 1, HDM_E_BAD_SIZE);
    CHECK(rd(&d, HDM_PL011_UARTCR_OFFSET) == 0x300,
          "bad accesses changed UARTCR");

    /* time never goes backwards */
    CHECK(hdm_pl011_advance_to(&d, 100) == HDM_OK, "advance");
    CHECK(hdm_pl011_advance_to(&d, 99) == HDM_E_PAST, "advance to the past");
    uint32_t v;
    CHECK(hdm_pl011_read(&d, 50, 0x018, 4, &v, 0) == HDM_E_PAST, "read past");
    CHECK(hdm_pl011_set_input(&d, 100, 99, true) == HDM_E_INVAL, "bad pin");
    CHECK(hdm_pl011_rx_frame(&d, 100, 0x41, 1u << 3) == HDM_E_INVAL,
          "bad rx flags");
    CHECK(hdm_pl011_rx_frame(&d, 100, 0x41, 0) == HDM_E_IGNORED,
          "RX while UARTEN=0 must be ignored");
    CHECK(hdm_pl011_now(&d) == 100, "now");
    CHECK(hdm_pl011_tick(&d) == HDM_OK && hdm_pl011_now(&d) == 101, "tick");

    /* debug read of DR does not pop */
    wr(&d, HDM_PL011_UARTCR_OFFSET, 0x301);
    CHECK(hdm_pl011_rx_frame(&d, 101, 0x41, 0) == HDM_OK, "rx 5-bit");
    CHECK(rd(&d, HDM_PL011_UARTDR_OFFSET) == 0x01,
          "reset WLEN is 5 bits: data bits above it read 0");
    wr(&d, HDM_PL011_UARTLCR_H_OFFSET, 0x60);
    CHECK(hdm_pl011_rx_frame(&d, 101, 0x41, 0) == HDM_OK, "rx");
    CHECK(hdm_pl011_read(&d, 101, 0, 4, &v, HDM_ACCESS_DEBUG) == HDM_OK &&
              v == 0x41,
          "debug DR read 0x%x", v);
    CHECK(!(rd(&d, HDM_PL011_UARTFR_OFFSET) & HDM_PL011_UARTFR_RXFE_Msk),
          "debug read popped the FIFO");
    CHECK(rd(&d, HDM_PL011_UARTDR_OFFSET) == 0x41, "DR read");
    CHECK(rd(&d, HDM_PL011_UARTDR_OFFSET) == 0, "empty DR read not 0");
    int s;
    CHECK(hdm_status_parse("READ_ONLY", &s) && s == HDM_E_READ_ONLY, "parse");
    CHECK(!hdm_status_parse("NOPE", &s), "parse unknown");
    CHECK(strcmp(hdm_status_name(HDM_E_UNMAPPED), "UNMAPPED") == 0, "name");
}

static void test_revisions(void)
{
    static const struct {
        hdm_pl011_revision_t rev;
        unsigned id2, depth;
    } p[] = { { HDM_PL011_R1P5, 0x34, 32 }, { HDM_PL011_R1P4, 0x24, 16 } };
    for (size_t i = 0; i < 2; i++) {
        hdm_pl011_t d;
        rec_t r;
        init_rec(&d, &r, p[i].rev);
        CHECK(rd(&d, HDM_PL011_UARTPERIPHID2_OFFSET) == p[i].id2,
              "PeriphID2 0x%x", rd(&d, HDM_PL011_UARTPERIPHID2_OFFSET));
        wr(&d, HDM_PL011_UARTLCR_H_OFFSET, 0x70);
        unsigned n = 0;
        while (!(rd(&d, HDM_PL011_UARTFR_OFFSET) & HDM_PL011_UARTFR_TXFF_Msk)) {
            wr(&d, HDM_PL011_UARTDR_OFFSET, n++);
            CHECK(n <= 64, "TXFF never set");
        }
        CHECK(n == p[i].depth, "TXFF after %u writes, depth %u", n, p[i].depth);
    }
}

/* Drive a mixed workload: TX frames, RX frames, RX timeout, modem input. */
static void workload(hdm_pl011_t *d, hdm_tick_t from, hdm_tick_t to)
{
    for (hdm_tick_t t = from; t < to; t += 997) {
        CHECK(hdm_pl011_advance_to(d, t) == HDM_OK, "advance");
        if ((t / 997) % 3 == 0) {
            wr(d, HDM_PL011_UARTDR_OFFSET, (uint32_t)(t & 0xFF));
        }
        if ((t / 997) % 5 == 0) {
            hdm_pl011_rx_frame(d, t, (uint8_t)(t >> 3), 0);
        }
        if ((t / 997) % 11 == 0) {
            rd(d, HDM_PL011_UARTDR_OFFSET);
        }
        if ((t / 997) % 17 == 0) {
            hdm_pl011_set_input(d, t, HDM_PL011_IN_NCTS, (t / 997) & 1u);
        }
    }
    CHECK(hdm_pl011_advance_to(d, to) == HDM_OK, "advance");
}

static void test_snapshot(void)
{
    hdm_pl011_t a, b;
    rec_t ra, rb;
    init_rec(&a, &ra, HDM_PL011_R1P5);
    uart_setup(&a, 13, 1, 0x70, 0x301);
    wr(&a, HDM_PL011_UARTIMSC_OFFSET, 0x7F0);
    workload(&a, 10, 60000);
    hdm_pl011_snapshot_t snap;
    hdm_pl011_save(&a, &snap);
    ra.len = 0;
    workload(&a, 60001, 200000);

    init_rec(&b, &rb, HDM_PL011_R1P5);
    CHECK(hdm_pl011_restore(&b, &snap) == HDM_OK, "restore");
    rb.len = 0; /* drop the restore's own output reports */
    workload(&b, 60001, 200000);
    CHECK(ra.len == rb.len && memcmp(ra.buf, rb.buf, ra.len) == 0,
          "restored run differs from the original:\n--- original\n%.400s\n"
          "--- restored\n%.400s",
          ra.buf, rb.buf);
    CHECK(ra.len > 100, "workload produced no output to compare");

    /* bad snapshots are refused, the device is unchanged */
    hdm_pl011_snapshot_t before, bad, after;
    hdm_pl011_save(&b, &before);
    bad = snap;
    bad.magic ^= 1;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_VERSION, "bad magic");
    bad = snap;
    bad.version = 99;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_VERSION, "bad version");
    bad = snap;
    bad.revision = HDM_PL011_R1P4;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_VERSION, "other revision");
    bad = snap;
    bad.quirks |= HDM_PL011_QUIRK_TX_8BIT;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_VERSION, "other quirks");
    bad = snap;
    bad.periph_id = 0x01180011u;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_VERSION, "other PeriphID");
    bad = snap;
    bad.pad = 1;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_VERSION, "padding not 0");
    bad = snap;
    bad.state.rx_count = 33;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_CORRUPT, "rx_count 33");
    bad = snap;
    bad.state.tx_head = 200;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_CORRUPT, "tx_head 200");
    bad = snap;
    bad.state.cr |= 0x0040;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_CORRUPT, "reserved CR bit");
    bad = snap;
    bad.state.gen_tx.fbrd = 64;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_CORRUPT, "FBRD 64");
    bad = snap;
    bad.state.tx_next = bad.state.now - 1;
    CHECK(hdm_pl011_restore(&b, &bad) == HDM_E_CORRUPT, "event in the past");
    CHECK(hdm_pl011_restore(&b, NULL) == HDM_E_VERSION, "NULL snapshot");
    hdm_pl011_save(&b, &after);
    CHECK(memcmp(&before, &after, sizeof(before)) == 0,
          "a refused restore changed the device");
}

int main(void)
{
    test_config_and_status();
    test_revisions();
    test_snapshot();
    puts("PASS test_pl011_api");
    return 0;
}
