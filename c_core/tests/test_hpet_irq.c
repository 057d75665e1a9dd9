/* SPDX-License-Identifier: MIT */
/*
 * HPET interrupt delivery [S 2.3.5, 2.3.6, 2.3.8, 2.3.10, 2.4.2, 2.4.5;
 * digest 4.7, 5, 6, P6-P8, P12-P14, P17-P19]: LegacyReplacement routing,
 * FSB messages, level status and write-1-to-clear, wired-OR lines, edge
 * pulses, route checking policies, INT_ENB and ENABLE_CNF gating.
 */
#include "hpet_host.h"

static host_rec_t rec;

/* [S 2.4.2.1] LEG_RT_CNF=1: timer 0 -> line 0, timer 1 -> line 8; the
 * route fields are ignored, not overwritten; other timers unaffected. */
static void test_legacy_routing(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, CONF(0), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(16));
    wr(&d, 0, COMP(0), 8, 1000);
    wr(&d, 0, CONF(1), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(17));
    wr(&d, 0, COMP(1), 8, 1500);
    wr(&d, 0, CONF(2), 8, INT_ENB | ROUTE(18));
    wr(&d, 0, COMP(2), 8, 1200);
    wr(&d, 0, GEN, 8, LEG_RT | ENABLE);
    hdm_hpet_advance_to(&d, 3000);
    CHECK(rec.rises[0] == 3 && rec.rises[8] == 2 && rec.rises[18] == 1,
          "legacy lines: %zu %zu %zu", rec.rises[0], rec.rises[8],
          rec.rises[18]);
    CHECK(rec.rises[16] == 0 && rec.rises[17] == 0, "standard routes used");
    CHECK(hdm_hpet_legacy_route(&d), "legacy route not reported");
    expect_rd(&d, 3000, CONF(0), 4, INT_ENB | PERIODIC | ROUTE(16) | 0x30,
              "route field kept");
    /* LEG_RT_CNF off again: the standard routes */
    wr(&d, 3000, GEN, 8, ENABLE);
    CHECK(!hdm_hpet_legacy_route(&d), "legacy route still reported");
    hdm_hpet_advance_to(&d, 4000);
    CHECK(rec.rises[16] == 1 && rec.rises[17] == 0, "standard route 16");
    /* [R3] LEG_RT_CNF does not start the counter */
    open_dev(&d, &rec, NULL);
    wr(&d, 0, GEN, 8, LEG_RT);
    expect_rd(&d, 100, CNT, 8, 0, "counter halted with only LEG_RT_CNF");
    /* [P13] read-only 0 without LEG_RT_CAP */
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.leg_rt_cap = false;
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, GEN, 8, LEG_RT | ENABLE);
    CHECK(!hdm_hpet_legacy_route(&d), "legacy route without LEG_RT_CAP");
    expect_rd(&d, 0, GEN, 8, ENABLE, "LEG_RT_CNF without the capability");
    expect_rd(&d, 0, GCAP, 4, 0x80862201u, "GCAP_ID without LEG_RT_CAP");
}

/* [S 2.3.10, 2.4.2.3] FSB delivery: one 32-bit write of Tn_FSB_INT_VAL to
 * Tn_FSB_INT_ADDR per event; no line; FSB wins over legacy [P8]; level
 * mode also sets STS [P17]; FSB_EN read-only 0 without the cap [P14]. */
static void test_fsb(void)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.num_timers = 8;
    for (unsigned i = 0; i < 8; i++) {
        cfg.timer[i].fsb = i != 3;
    }
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    expect_rd(&d, 0, GCAP, 4, 0x8086A701u, "8 timers");
    wr(&d, 0, FSB(0), 4, 0x4041);          /* Tn_FSB_INT_VAL (data) */
    wr(&d, 0, FSB(0) + 4, 4, 0xFEE01000u); /* Tn_FSB_INT_ADDR */
    expect_rd(&d, 0, FSB(0), 8, 0xFEE0100000004041ull, "FSB route");
    wr(&d, 0, CONF(0), 8, INT_ENB | FSB_EN | PERIODIC | VAL_SET | ROUTE(2));
    wr(&d, 0, COMP(0), 8, 250);
    wr(&d, 0, FSB(5), 8, 0xFEE0200000004055ull);
    wr(&d, 0, CONF(5), 8, INT_ENB | FSB_EN | LEVEL);
    wr(&d, 0, COMP(5), 8, 600);
    wr(&d, 0, CONF(3), 8, INT_ENB | FSB_EN | ROUTE(20));
    wr(&d, 0, COMP(3), 8, 700);
    expect_rd(&d, 0, CONF(3), 4, INT_ENB | ROUTE(20) | 0x30,
              "FSB_EN read-only without the capability");
    wr(&d, 10, GEN, 8, LEG_RT | ENABLE);
    hdm_hpet_advance_to(&d, 1000);
    CHECK(rec.rises[0] == 0 && rec.rises[2] == 0, "FSB timer drove a line");
    CHECK(rec.rises[20] == 1, "non-FSB timer 3 on its line");
    CHECK(rec.msis == 4, "%zu FSB writes", rec.msis);
    const struct {
        hdm_tick_t t;
        uint64_t addr;
        uint32_t data;
    } want[] = { { 260, 0xFEE01000u, 0x4041 },
                 { 510, 0xFEE01000u, 0x4041 },
                 { 610, 0xFEE02000u, 0x4055 },
                 { 760, 0xFEE01000u, 0x4041 } };
    size_t k = 0;
    for (size_t i = 0; i < rec.n; i++) {
        if (rec.ev[i].kind != 'm') {
            continue;
        }
        CHECK(rec.ev[i].tick == want[k].t && rec.ev[i].addr == want[k].addr &&
                  rec.ev[i].data == want[k].data,
              "FSB write %zu: 0x%llx <- 0x%x at %llu", k, (ull)rec.ev[i].addr,
              rec.ev[i].data, (ull)rec.ev[i].tick);
        k++;
    }
    expect_rd(&d, 1000, STS, 4, 1u << 5, "level FSB timer sets STS");
    /* Linux masks an FSB channel by clearing ENABLE|FSB together */
    wr(&d, 1000, CONF(0), 8, PERIODIC);
    hdm_hpet_advance_to(&d, 2000);
    CHECK(rec.msis == 4, "masked FSB channel still writes");
}

/* [S 2.3.6, R24, P6] level status: set by each event, W1C, 0 has no
 * effect, edge timers never set it; debug writes do not clear. */
static void test_status_w1c(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, CONF(0), 8, INT_ENB | ROUTE(2)); /* edge */
    wr(&d, 0, COMP(0), 8, 100);
    wr(&d, 0, CONF(1), 8, INT_ENB | LEVEL | PERIODIC | VAL_SET | ROUTE(8));
    wr(&d, 0, COMP(1), 8, 200);
    wr(&d, 0, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 200);
    expect_rd(&d, 200, STS, 8, 2, "only the level timer's bit");
    expect_line(&d, 8, true, "level line");
    wr(&d, 201, STS, 8, 0);
    expect_rd(&d, 201, STS, 8, 2, "writing 0 does not clear");
    wr(&d, 201, STS, 8, 1);
    expect_rd(&d, 201, STS, 8, 2, "edge bit: no effect");
    wr(&d, 201, STS + 4, 4, 0xFFFFFFFFu);
    expect_rd(&d, 201, STS, 8, 2, "high half reserved");
    CHECK(hdm_hpet_write(&d, 202, STS, 4, 2, HDM_ACCESS_DEBUG) == HDM_OK,
          "debug write");
    expect_rd(&d, 202, STS, 8, 2, "debug write does not clear");
    wr(&d, 250, STS, 4, 2);
    expect_rd(&d, 250, STS, 8, 0, "W1C");
    expect_line(&d, 8, false, "line dropped by W1C");
    CHECK(rec.ev[rec.n - 1].tick == 250, "line fell at the write");
    /* the next match sets it again; further matches keep it set */
    hdm_hpet_advance_to(&d, 1000);
    expect_line(&d, 8, true, "re-asserted at 400");
    CHECK(rec.rises[8] == 2, "%zu assertions", rec.rises[8]);
    /* [P18] level -> edge with STS=1 clears STS and drops the line */
    wr(&d, 1000, CONF(1), 8, INT_ENB | PERIODIC | ROUTE(8));
    expect_rd(&d, 1000, STS, 8, 0, "level->edge clears STS");
    expect_line(&d, 8, false, "level->edge drops the line");
}

/* [R24] wired OR: a level line stays asserted while any source is; an
 * edge event on a line a level source holds high is not visible. */
static void test_wired_or(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, CONF(1), 8, INT_ENB | LEVEL | ROUTE(20));
    wr(&d, 0, COMP(1), 8, 100);
    wr(&d, 0, CONF(2), 8, INT_ENB | LEVEL | ROUTE(20));
    wr(&d, 0, COMP(2), 8, 200);
    wr(&d, 0, CONF(0), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(20));
    wr(&d, 0, COMP(0), 8, 50);
    wr(&d, 0, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 99);
    CHECK(rec.rises[20] == 1, "edge pulse at 50: %zu", rec.rises[20]);
    /* at 100 timer 0's pulse comes before timer 1 asserts (index order);
     * the pulses at 150..300 are absorbed */
    hdm_hpet_advance_to(&d, 300);
    CHECK(rec.rises[20] == 3, "pulses absorbed by the level line: %zu",
          rec.rises[20]);
    wr(&d, 300, STS, 4, 2);
    expect_line(&d, 20, true, "timer 2 still asserts");
    wr(&d, 310, STS, 4, 4);
    expect_line(&d, 20, false, "both cleared");
    hdm_hpet_advance_to(&d, 350);
    CHECK(rec.rises[20] == 4 && rec.ev[rec.n - 2].tick == 350,
          "edge pulse visible again");
}

/* [P12] unsupported Tn_INT_ROUTE_CNF under each policy (cap 0x00FF0104). */
static void route_policy(hdm_hpet_route_policy_t pol)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.route = pol;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, CONF(2), 8, INT_ENB | ROUTE(16));
    wr(&d, 0, CONF(2), 8, INT_ENB | ROUTE(5));
    wr(&d, 0, COMP(2), 8, 10);
    wr(&d, 0, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 20);
    unsigned want = pol == HDM_HPET_ROUTE_KEEP    ? 16
                    : pol == HDM_HPET_ROUTE_STORE ? 5
                                                  : 0;
    expect_rd(&d, 20, CONF(2), 4, INT_ENB | ROUTE(want) | 0x30, "route");
    CHECK(rec.rises[want] == 1, "route policy %d: line %u", pol, want);
}

/* [P7] INT_ENB 1->0 with the level line asserted; [R26, digest 6]
 * ENABLE_CNF gating: the line drops on halt and is re-asserted on enable. */
static void intenb_policy(hdm_hpet_intenb_policy_t pol)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.intenb = pol;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, CONF(1), 8, INT_ENB | LEVEL | ROUTE(8));
    wr(&d, 0, COMP(1), 8, 100);
    wr(&d, 0, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 100);
    expect_line(&d, 8, true, "asserted");
    wr(&d, 150, CONF(1), 8, LEVEL | ROUTE(8));
    expect_line(&d, 8, pol == HDM_HPET_INTENB_HOLD, "INT_ENB cleared");
    expect_rd(&d, 150, STS, 4, 2, "STS kept");
    wr(&d, 160, CONF(1), 8, LEVEL | INT_ENB | ROUTE(8));
    expect_line(&d, 8, true, "INT_ENB set again with STS=1 [P19]");
    wr(&d, 170, GEN, 8, 0);
    expect_line(&d, 8, false, "halted [R26]");
    expect_rd(&d, 170, STS, 4, 2, "STS kept while halted");
    expect_rd(&d, 500, CNT, 8, 170, "counter held [R2]");
    wr(&d, 500, GEN, 8, ENABLE);
    expect_line(&d, 8, true, "re-enabled with STS=1");
    if (pol == HDM_HPET_INTENB_HOLD) {
        wr(&d, 510, CONF(1), 8, LEVEL | ROUTE(8));
        expect_line(&d, 8, true, "held");
        wr(&d, 520, STS, 4, 2);
        expect_line(&d, 8, false, "hold ends with W1C");
    }
}

int main(void)
{
    test_legacy_routing();
    test_fsb();
    test_status_w1c();
    test_wired_or();
    route_policy(HDM_HPET_ROUTE_KEEP);
    route_policy(HDM_HPET_ROUTE_STORE);
    route_policy(HDM_HPET_ROUTE_ZERO);
    intenb_policy(HDM_HPET_INTENB_DROP);
    intenb_policy(HDM_HPET_INTENB_HOLD);
    printf("test_hpet_irq: ok\n");
    return 0;
}
