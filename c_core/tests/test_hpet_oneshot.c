/* SPDX-License-Identifier: MIT */
/*
 * HPET one-shot mode and 32-bit operation [S 2.3.9.2.1, 2.4.3.1, 2.3.8
 * bit 8, 2.4.7; digest R5-R11, R18-R21, P2]: exact-equality matching, a
 * comparator in the past, the 32-bit wrap events under each policy, the
 * 32-bit mode switch, 32-bit timers and a 32-bit main counter, and the
 * Linux and Windows one-shot sequences.
 */
#include "hpet_host.h"

static host_rec_t rec;

#define W32 UINT64_C(0x100000000)

static void expect_events(const hdm_tick_t *want, size_t n, unsigned line,
                          const char *what)
{
    CHECK(rec.rises[line] == n, "%s: %zu events on line %u, expected %zu", what,
          rec.rises[line], line, n);
    size_t k = 0;
    for (size_t i = 0; i < rec.n; i++) {
        if (rec.ev[i].kind == 'i' && rec.ev[i].line == line &&
            rec.ev[i].level) {
            CHECK(rec.ev[i].tick == want[k],
                  "%s: event %zu at %llu, "
                  "expected %llu",
                  what, k, (ull)rec.ev[i].tick, (ull)want[k]);
            k++;
        }
    }
}

/* [R9, R5] one event at the tick the counter takes the value; the match
 * register never changes; a value in the past does not fire. */
static void test_oneshot_64(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, CONF(2), 8, INT_ENB | ROUTE(16));
    wr(&d, 0, COMP(2), 8, 5000);
    wr(&d, 1000, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 5999);
    CHECK(rec.rises[16] == 0, "fired early");
    hdm_hpet_advance_to(&d, 6000);
    hdm_tick_t t1[] = { 6000 };
    expect_events(t1, 1, 16, "one-shot");
    expect_rd(&d, 6000, COMP(2), 8, 5000, "match register unchanged [R9]");
    /* a comparator behind the counter waits for a 64-bit wrap [R17] */
    wr(&d, 7000, COMP(2), 8, 5500);
    CHECK(hdm_hpet_next_event(&d) == HDM_TICK_NEVER, "past value scheduled");
    hdm_hpet_advance_to(&d, 100000000);
    CHECK(rec.rises[16] == 1, "past comparator fired");
    /* [R7] writing the counter's current value fires only when it comes
     * round again */
    uint64_t c = rd(&d, 100000000, CNT, 8);
    wr(&d, 100000000, COMP(2), 8, c);
    hdm_hpet_advance_to(&d, 200000000);
    CHECK(rec.rises[16] == 1, "equal comparator fired");
    wr(&d, 200000000, COMP(2), 8, c + 100000001u);
    hdm_hpet_advance_to(&d, 200000001);
    CHECK(rec.rises[16] == 2 && rec.ev[2].tick == 200000001, "next match");
}

/* One-shot in 32-bit mode: counter[31:0] compare, events again after every
 * 2^32 ticks (R10), and the wrap events of each policy (R11, P2). The
 * counter is preset to 0xFFFFFFF0: wrap after 0x10 ticks, match 0x10 later. */
static void wrap_policy(hdm_hpet_wrap_policy_t pol)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.wrap = pol;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, CNT, 8, 0xFFFFFFF0u);
    wr(&d, 0, CONF(0), 8, INT_ENB | MODE32 | ROUTE(2));
    wr(&d, 0, COMP(0), 8, 0x10);
    wr(&d, 100, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 100 + 0x20 + 3 * W32);
    hdm_tick_t wrap = 100 + 0x10, match = 100 + 0x20;
    switch (pol) {
    case HDM_HPET_WRAP_EVERY: {
        hdm_tick_t w[] = { wrap,           match,          wrap + W32,
                           match + W32,    wrap + 2 * W32, match + 2 * W32,
                           wrap + 3 * W32, match + 3 * W32 };
        expect_events(w, 8, 2, "wrap=every");
        break;
    }
    case HDM_HPET_WRAP_ONCE: {
        hdm_tick_t w[] = { wrap, match, match + W32, match + 2 * W32,
                           match + 3 * W32 };
        expect_events(w, 5, 2, "wrap=once");
        break;
    }
    default: {
        hdm_tick_t w[] = { match, match + W32, match + 2 * W32,
                           match + 3 * W32 };
        expect_events(w, 4, 2, "wrap=none");
        break;
    }
    }
    /* [R21] the main counter still counts in 64 bits */
    expect_rd(&d, match + 3 * W32, CNT, 8,
              UINT64_C(0xFFFFFFF0) + 0x20 + 3 * W32, "64-bit counter");
    expect_rd(&d, match + 3 * W32, CNT + 4, 4, 3 + 1, "counter high half");
}

/* ONCE arms only if the match lies beyond the next wrap; match value 0
 * coincides with the wrap and is one event (EVERY). */
static void test_wrap_edge_cases(void)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.wrap = HDM_HPET_WRAP_ONCE;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, CNT, 8, 0xFFFFFFF0u);
    wr(&d, 0, CONF(0), 8, INT_ENB | MODE32 | ROUTE(2));
    wr(&d, 0, COMP(0), 8, 0xFFFFFFF8u); /* before the wrap: not armed */
    wr(&d, 0, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 0x100);
    hdm_tick_t w1[] = { 8 };
    expect_events(w1, 1, 2, "once, match before the wrap");

    hdm_hpet_config_default(&cfg);
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, CNT, 8, 0xFFFFFFF0u);
    wr(&d, 0, CONF(0), 8, INT_ENB | MODE32 | ROUTE(2));
    wr(&d, 0, COMP(0), 8, 0);
    wr(&d, 0, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 0x100);
    hdm_tick_t w2[] = { 0x10 };
    expect_events(w2, 1, 2, "every, match at the wrap");

    /* periodic timers have no wrap events */
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, CNT, 8, 0xFFFFFFF0u);
    wr(&d, 0, CONF(0), 8, INT_ENB | MODE32 | PERIODIC | VAL_SET | ROUTE(2));
    wr(&d, 0, COMP(0), 8, 0x40);
    wr(&d, 0, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 0x80);
    hdm_tick_t w3[] = { 0x50 };
    expect_events(w3, 1, 2, "periodic 32-bit");
}

/* [R18, R19] entering 32-bit mode zeroes the upper halves, which stay 0
 * back in 64-bit mode; high-half writes are ignored in 32-bit mode and do
 * not consume VAL_SET. [R20] a 32-bit timer. */
static void test_32bit_mode(void)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.timer[1].size64 = false;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    expect_rd(&d, 0, COMP(0), 8, UINT64_MAX, "64-bit reset value");
    expect_rd(&d, 0, COMP(1), 8, 0xFFFFFFFFu, "32-bit reset value");
    wr(&d, 0, CONF(0), 8, MODE32);
    expect_rd(&d, 0, COMP(0), 8, 0xFFFFFFFFu, "truncated on entering");
    wr(&d, 0, COMP(0) + 4, 4, 0x1234);
    expect_rd(&d, 0, COMP(0) + 4, 4, 0, "high half ignored in 32-bit mode");
    wr(&d, 0, CONF(0), 8, 0);
    expect_rd(&d, 0, COMP(0), 8, 0xFFFFFFFFu, "upper half stays 0");
    wr(&d, 0, CONF(0), 8, PERIODIC | VAL_SET | MODE32);
    wr(&d, 0, COMP(0) + 4, 4, 7);
    expect_rd(&d, 0, CONF(0), 4, PERIODIC | VAL_SET | MODE32 | 0x30,
              "VAL_SET not consumed by an ignored high-half write");
    wr(&d, 0, CONF(0), 8, PERIODIC | VAL_SET | MODE32);
    wr(&d, 0, COMP(0), 8, 0x123456789ull);
    expect_rd(&d, 0, COMP(0), 8, 0x23456789u, "64-bit write, low half only");
    /* 32-bit timer: 32MODE read-only 0, SIZE_CAP 0 */
    wr(&d, 0, CONF(1), 8, MODE32 | INT_ENB);
    expect_rd(&d, 0, CONF(1), 4, INT_ENB | 0x10, "32MODE read-only 0");
    wr(&d, 0, COMP(1), 8, 0xABCDEF0012345678ull);
    expect_rd(&d, 0, COMP(1), 8, 0x12345678u, "32-bit comparator");
}

/* A 32-bit main counter (COUNT_SIZE_CAP=0) at 25 MHz: wraps at 2^32, reads
 * 0 in bits 63:32, high-half writes ignored [S 2.3.4, 2.3.7, R1]. */
static void test_32bit_counter(void)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.counter64 = false;
    cfg.period_fs = 40000000u;
    hdm_hpet_t d;
    CHECK(hdm_hpet_init(&d, &cfg, NULL) == HDM_E_INVAL,
          "64-bit timers on a 32-bit counter accepted");
    for (unsigned i = 0; i < 3; i++) {
        cfg.timer[i].size64 = false;
    }
    open_dev(&d, &rec, &cfg);
    expect_rd(&d, 0, GCAP, 8, 0x02625A008086A201ull & ~0x2000ull,
              "GCAP_ID without COUNT_SIZE_CAP, period 40 ns");
    wr(&d, 0, CNT + 4, 4, 5);
    wr(&d, 0, CNT, 4, 0xFFFFFFFEu);
    expect_rd(&d, 0, CNT, 8, 0xFFFFFFFEu, "high half ignored");
    wr(&d, 0, CONF(2), 8, INT_ENB | ROUTE(17));
    wr(&d, 0, COMP(2), 8, 1);
    wr(&d, 10, GEN, 8, ENABLE);
    expect_rd(&d, 12, CNT, 8, 0, "wrapped to 0");
    hdm_hpet_advance_to(&d, 13 + 2 * W32);
    hdm_tick_t w[] = { 12, 13, 12 + W32, 13 + W32, 12 + 2 * W32, 13 + 2 * W32 };
    expect_events(w, 6, 17, "32-bit counter: wrap and match events");
}

/* Linux hpet_clkevt_set_next_event and Windows 10's sequence (digest 7.1,
 * 7.3): 32-bit mode one-shots programmed relative to a counter read. */
static void test_os_sequences(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, GEN, 8, ENABLE);
    wr(&d, 10, CONF(0), 4, INT_ENB | MODE32 | ROUTE(2));
    uint32_t cnt = (uint32_t)rd(&d, 1000, CNT, 4) + 5000u;
    wr(&d, 1001, COMP(0), 4, cnt);
    int32_t res = (int32_t)(cnt - (uint32_t)rd(&d, 1002, CNT, 4));
    CHECK(res >= 128, "HPET_MIN_CYCLES check: %d", res);
    hdm_hpet_advance_to(&d, 7000);
    hdm_tick_t w[] = { 6000 };
    expect_events(w, 1, 2, "Linux one-shot");

    open_dev(&d, &rec, NULL);
    wr(&d, 0, GEN, 8, ENABLE);
    uint32_t c0 = (uint32_t)rd(&d, 500, CNT, 4);
    rd(&d, 501, CONF(0), 4);
    wr(&d, 502, CONF(0), 4, 0x134); /* INT_ENB | 32MODE (+ RO caps) */
    wr(&d, 503, COMP(0), 4, c0 + 1000u);
    wr(&d, 504, CONF(0), 4, 0x134);
    expect_rd(&d, 505, COMP(0), 4, c0 + 1000u, "comparator read back");
    expect_rd(&d, 505, CONF(0), 4, 0x134, "config read back");
    hdm_hpet_advance_to(&d, 2000);
    hdm_tick_t w2[] = { 1500 };
    expect_events(w2, 1, 0, "Windows one-shot on route 0");
}

int main(void)
{
    test_oneshot_64();
    wrap_policy(HDM_HPET_WRAP_EVERY);
    wrap_policy(HDM_HPET_WRAP_ONCE);
    wrap_policy(HDM_HPET_WRAP_NONE);
    test_wrap_edge_cases();
    test_32bit_mode();
    test_32bit_counter();
    test_os_sequences();
    printf("test_hpet_oneshot: ok\n");
    return 0;
}
