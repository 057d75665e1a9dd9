/* SPDX-License-Identifier: MIT */
/*
 * HPET periodic mode [S 2.3.9.1, 2.3.9.2.2, 2.3.9.2.3, 2.4.3.2; digest 4.4,
 * 4.5]: a 1 kHz timer counted over one simulated second, the spec's
 * worked examples, period changes taking effect at the next match,
 * Tn_VAL_SET_CNF with split 32-bit writes, Linux's periodic sequence under
 * both VAL_SET readings, and the accumulator of a disabled timer.
 */
#include "hpet_host.h"

static host_rec_t rec, rec2;

/* 1 kHz at 100 MHz: exactly 1000 edges in one second, at E + k * 100000. */
static void test_1khz_for_one_second(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    const hdm_tick_t e = 1000, per = 100000, second = 100000000;
    /* [R15] usage model: halted, counter 0, VAL_SET, comparator, enable */
    wr(&d, 10, CNT, 8, 0);
    wr(&d, 20, CONF(0), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(2));
    wr(&d, 30, COMP(0), 8, per);
    expect_rd(&d, 40, CONF(0), 4, INT_ENB | PERIODIC | ROUTE(2) | 0x30,
              "VAL_SET consumed by the comparator write");
    wr(&d, e, GEN, 8, ENABLE);
    CHECK(hdm_hpet_next_event(&d) == e + per, "first event at %llu, not %llu",
          (ull)hdm_hpet_next_event(&d), (ull)(e + per));
    CHECK(hdm_hpet_advance_to(&d, e + second) == HDM_OK, "advance");
    CHECK(!rec.overflow, "record overflow");
    CHECK(rec.rises[2] == 1000, "%zu interrupts in one second, expected 1000",
          rec.rises[2]);
    size_t k = 0;
    for (size_t i = 0; i < rec.n; i++) {
        const hev_t *ev = &rec.ev[i];
        CHECK(ev->kind == 'i' && ev->line == 2, "unexpected event %zu", i);
        if (ev->level) {
            k++;
            CHECK(ev->tick == e + k * per,
                  "interrupt %zu at tick %llu, "
                  "expected %llu",
                  k, (ull)ev->tick, (ull)(e + k * per));
        } else {
            CHECK(ev->tick == e + k * per, "edge %zu falls at %llu", k,
                  (ull)ev->tick);
        }
    }
    CHECK(k == 1000, "counted %zu rising edges", k);
    expect_line(&d, 2, false, "edge line idle between pulses");
    /* [R13] the comparator reads the next match value */
    expect_rd(&d, e + second, COMP(0), 8, 1001 * per, "next match");
    expect_rd(&d, e + second, CNT, 8, second, "counter after one second");
    CHECK(hdm_hpet_next_event(&d) == e + second + per, "next event");
    CHECK(rec.deadline == e + second + per, "host deadline %llu",
          (ull)rec.deadline);
}

/* The same timer advanced tick by tick gives the same record. */
static void test_lockstep_equals_jump(void)
{
    hdm_hpet_t a, b;
    open_dev(&a, &rec, NULL);
    open_dev(&b, &rec2, NULL);
    hdm_hpet_t *dv[2] = { &a, &b };
    for (int i = 0; i < 2; i++) {
        wr(dv[i], 0, CONF(0), 8, INT_ENB | PERIODIC | VAL_SET);
        wr(dv[i], 0, COMP(0), 8, 977);
        wr(dv[i], 0, CONF(2), 8, INT_ENB | LEVEL | ROUTE(8));
        wr(dv[i], 0, COMP(2), 8, 5000);
        wr(dv[i], 3, GEN, 8, ENABLE);
    }
    for (hdm_tick_t t = 4; t <= 200000; t++) {
        CHECK(hdm_hpet_tick(&a) == HDM_OK, "tick");
    }
    CHECK(hdm_hpet_advance_to(&b, 200000) == HDM_OK, "advance");
    CHECK(rec.n == rec2.n && rec.n > 200, "records differ in length: %zu %zu",
          rec.n, rec2.n);
    for (size_t i = 0; i < rec.n; i++) {
        const hev_t *x = &rec.ev[i], *y = &rec2.ev[i];
        CHECK(x->kind == y->kind && x->line == y->line &&
                  x->level == y->level && x->tick == y->tick,
              "event %zu: tick by tick %c line %u=%d at %llu, one jump %c "
              "line %u=%d at %llu",
              i, x->kind, x->line, x->level, (ull)x->tick, y->kind, y->line,
              y->level, (ull)y->tick);
    }
    CHECK(rec.rises[0] == 200000 / 977, "%zu periodic events", rec.rises[0]);
    expect_line(&a, 8, true, "level one-shot asserted at 5003");
}

/* [S 2.3.9.1] example: write 0x123 with the counter at 0: events at 0x123,
 * 0x246, 0x369, ...; the register reads 0x246 after the first event. */
static void test_spec_example_0x123(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, CONF(1), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(8));
    wr(&d, 0, COMP(1), 8, 0x123);
    wr(&d, 100, GEN, 8, ENABLE);
    expect_rd(&d, 100 + 0x122, COMP(1), 8, 0x123, "before the first event");
    CHECK(rec.rises[8] == 0, "early event");
    expect_rd(&d, 100 + 0x123, COMP(1), 8, 0x246, "after the first event");
    CHECK(rec.rises[8] == 1 && rec.ev[0].tick == 100 + 0x123, "first event");
    hdm_hpet_advance_to(&d, 100 + 0x369);
    CHECK(rec.rises[8] == 3 && rec.ev[4].tick == 100 + 0x369, "third event");
}

/* [S 2.3.9.1] wrap example: a 32-bit timer at 0xFFFF0000 with period
 * 0x20000 reads 0x00010000 after the next event. */
static void test_spec_example_32bit_wrap(void)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.timer[1].size64 = false;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, CNT, 8, 0xFFFF0000u - 10u);
    wr(&d, 0, CONF(1), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(8));
    wr(&d, 0, COMP(1), 8, 0xFFFF0000u);
    wr(&d, 0, COMP(1), 8, 0x20000u); /* VAL_SET consumed: period only */
    expect_rd(&d, 0, COMP(1), 8, 0xFFFF0000u, "accumulator kept");
    wr(&d, 100, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 110);
    CHECK(rec.rises[8] == 1 && rec.ev[0].tick == 110, "match at tick 110");
    expect_rd(&d, 110, COMP(1), 8, 0x00010000u, "adder wraps modulo 2^32");
    CHECK(hdm_hpet_next_event(&d) == 110 + 0x20000, "next match");
}

/* [S 2.4.3.2] a plain write changes the period from the next match on. */
static void test_period_change_at_next_match(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, CONF(0), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(2));
    wr(&d, 0, COMP(0), 8, 1000);
    wr(&d, 0, GEN, 8, ENABLE);
    wr(&d, 1500, COMP(0), 8, 500);
    expect_rd(&d, 1500, COMP(0), 8, 2000, "pending match unchanged");
    hdm_hpet_advance_to(&d, 3000);
    hdm_tick_t want[] = { 1000, 2000, 2500, 3000 };
    CHECK(rec.rises[2] == 4, "%zu events", rec.rises[2]);
    for (unsigned i = 0; i < 4; i++) {
        CHECK(rec.ev[2 * i].tick == want[i], "event %u at %llu, expected %llu",
              i, (ull)rec.ev[2 * i].tick, (ull)want[i]);
    }
}

/* Linux hpet_clkevt_set_state_periodic (digest 7.1) under both VAL_SET
 * readings: accumulator now+delta, period delta. */
static void linux_periodic(hdm_hpet_valset_policy_t pol, bool second_write)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.valset = pol;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    const uint32_t delta = 100000; /* HZ=1000 at 100 MHz */
    wr(&d, 0, GEN, 8, ENABLE);
    wr(&d, 5000, GEN, 4, 0); /* stop the main counter */
    uint32_t now = (uint32_t)rd(&d, 5001, CNT, 4);
    CHECK(now == 5000, "counter held at %u", now);
    wr(&d, 5002, CONF(0), 4, INT_ENB | PERIODIC | VAL_SET | MODE32 | ROUTE(2));
    wr(&d, 5003, COMP(0), 4, now + delta);
    if (second_write) {
        wr(&d, 5004, COMP(0), 4, delta); /* "AMD 81xx needs a second write" */
    }
    wr(&d, 6000, GEN, 4, ENABLE);
    hdm_hpet_advance_to(&d, 6000 + 3 * (hdm_tick_t)delta);
    if (second_write) {
        CHECK(rec.rises[2] == 3, "two writes: %zu events", rec.rises[2]);
        CHECK(rec.ev[0].tick == 6000 + delta, "first event at %llu",
              (ull)rec.ev[0].tick);
        expect_rd(&d, 6000 + 3 * (hdm_tick_t)delta, COMP(0), 8, now + 4 * delta,
                  "accumulator after three periods");
    } else if (pol == HDM_HPET_VALSET_BOTH) {
        /* one write loads accumulator and period: both now + delta */
        uint32_t p = now + delta;
        CHECK(rec.rises[2] == 2, "one write: %zu events", rec.rises[2]);
        CHECK(rec.ev[0].tick == 6000 + delta &&
                  rec.ev[2].tick == 6000 + delta + p,
              "events at %llu, %llu", (ull)rec.ev[0].tick, (ull)rec.ev[2].tick);
        expect_rd(&d, 6000 + 3 * (hdm_tick_t)delta, COMP(0), 8,
                  now + delta + 2 * p, "accumulator after two events");
    } else {
        /* accumulator-only with one write: period 0, one event, then the
         * comparator keeps its value (next match after 2^32 ticks) */
        CHECK(rec.rises[2] == 1, "accumulator only: %zu events", rec.rises[2]);
        expect_rd(&d, 6000 + 3 * (hdm_tick_t)delta, COMP(0), 8, now + delta,
                  "period 0 adds nothing");
    }
}

/* [digest 4.5] Intel's recipe for a 64-bit accumulator with 32-bit
 * writes: VAL_SET, low half, VAL_SET, high half. Without the second
 * VAL_SET the high half goes to the period only. */
static void test_valset_split_writes(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    uint32_t c = INT_ENB | PERIODIC | VAL_SET | ROUTE(2);
    wr(&d, 0, CONF(0), 4, c);
    wr(&d, 0, COMP(0), 4, 0x10);
    expect_rd(&d, 0, CONF(0), 4, (c & ~VAL_SET) | 0x30, "VAL_SET consumed");
    wr(&d, 0, CONF(0), 4, c);
    expect_rd(&d, 0, CONF(0), 4, c | 0x30, "VAL_SET reads 1 until used [P15]");
    wr(&d, 0, COMP(0) + 4, 4, 1);
    expect_rd(&d, 0, COMP(0), 8, 0x100000010ull, "64-bit accumulator");
    /* second pair without VAL_SET: the high half is the period's */
    wr(&d, 0, COMP(0), 4, 0x20);
    wr(&d, 0, COMP(0) + 4, 4, 0);
    expect_rd(&d, 0, COMP(0), 8, 0x100000010ull, "accumulator unchanged");
    wr(&d, 0, CNT, 8, 0x100000000ull);
    wr(&d, 0, GEN, 4, ENABLE);
    hdm_hpet_advance_to(&d, 0x10 + 0x20 * 2);
    CHECK(rec.rises[2] == 3, "%zu events", rec.rises[2]);
    CHECK(rec.ev[2].tick == 0x30 && rec.ev[4].tick == 0x50, "period 0x20");
    expect_rd(&d, 0x50, COMP(0), 8, 0x100000070ull, "accumulator");
    /* one 64-bit write is one write [digest 2.2] */
    wr(&d, 0x60, CONF(0), 8, c);
    wr(&d, 0x61, COMP(0), 8, 0x100000100ull);
    expect_rd(&d, 0x62, COMP(0), 8, 0x100000100ull, "64-bit VAL_SET write");
    expect_rd(&d, 0x62, CONF(0), 4, (c & ~VAL_SET) | 0x30, "consumed once");
}

/* [R8] a timer with INT_ENB=0 keeps matching: its accumulator advances
 * (computed lazily here) and, in level mode, its status bit sets. */
static void test_disabled_timer_keeps_counting(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, CONF(0), 8, PERIODIC | VAL_SET);
    wr(&d, 0, COMP(0), 8, 700);
    wr(&d, 0, CONF(1), 8, PERIODIC | VAL_SET | LEVEL | ROUTE(8));
    wr(&d, 0, COMP(1), 8, 300);
    wr(&d, 0, GEN, 8, ENABLE);
    CHECK(hdm_hpet_next_event(&d) == 300,
          "only the level timer's first "
          "event is scheduled, next %llu",
          (ull)hdm_hpet_next_event(&d));
    hdm_hpet_advance_to(&d, 1000000);
    CHECK(rec.n == 0, "no output from disabled timers");
    CHECK(hdm_hpet_next_event(&d) == HDM_TICK_NEVER, "nothing scheduled");
    expect_rd(&d, 1000000, STS, 8, 2, "level status set with INT_ENB=0");
    expect_rd(&d, 1000000, COMP(0), 8, 700 * (1000000 / 700 + 1), "T0 acc");
    expect_rd(&d, 1000000, COMP(1), 8, 300 * (1000000 / 300 + 1), "T1 acc");
    /* [P19] enabling the interrupt with STS=1 asserts the line at once */
    wr(&d, 1000001, CONF(1), 8, PERIODIC | LEVEL | INT_ENB | ROUTE(8));
    expect_line(&d, 8, true, "INT_ENB with STS=1");
    CHECK(rec.n == 1 && rec.ev[0].tick == 1000001, "line rose at the write");
    /* W1C: the line drops, the next match sets it again */
    wr(&d, 1000002, STS, 4, 2);
    expect_line(&d, 8, false, "after W1C");
    hdm_tick_t next = 300 * (1000000 / 300 + 1);
    CHECK(hdm_hpet_next_event(&d) == next, "next level event %llu",
          (ull)hdm_hpet_next_event(&d));
    hdm_hpet_advance_to(&d, next);
    expect_line(&d, 8, true, "re-asserted by the next match");
}

int main(void)
{
    test_1khz_for_one_second();
    test_lockstep_equals_jump();
    test_spec_example_0x123();
    test_spec_example_32bit_wrap();
    test_period_change_at_next_match();
    linux_periodic(HDM_HPET_VALSET_BOTH, true);
    linux_periodic(HDM_HPET_VALSET_ACCUMULATOR, true);
    linux_periodic(HDM_HPET_VALSET_BOTH, false);
    linux_periodic(HDM_HPET_VALSET_ACCUMULATOR, false);
    test_valset_split_writes();
    test_disabled_timer_keeps_counting();
    printf("test_hpet_periodic: ok\n");
    return 0;
}
