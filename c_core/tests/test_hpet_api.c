/* SPDX-License-Identifier: MIT */
/*
 * Host contract of the HPET core: config validation, capability and reset
 * values [S 2.3.4, 3.1], the status model of bus accesses
 * (docs/models/hpet.md) and 32-bit halves [S 2.3.2, digest 2.2], time
 * going backwards, counter writes [S 2.3.7, P9], the decode window with 32
 * timers [P16], reset, snapshots (save -> restore -> run is
 * indistinguishable from never saving; corrupt snapshots are refused and
 * leave the device unchanged) and an hour of simulated time in one call.
 */
#include "hpet_host.h"

#include <time.h>

static host_rec_t rec, rec2;

static void expect_status(hdm_hpet_t *d, bool write, uint32_t off,
                          unsigned size, int want)
{
    uint64_t v = 0xDEADBEEF;
    hdm_tick_t t = hdm_hpet_now(d);
    int st = write ? hdm_hpet_write(d, t, off, size, 0xFF, 0)
                   : hdm_hpet_read(d, t, off, size, &v, 0);
    CHECK(st == want, "%s 0x%03x size %u: status %s, expected %s",
          write ? "write" : "read", off, size, hdm_status_name(st),
          hdm_status_name(want));
    if (!write && st != HDM_OK) {
        CHECK(v == 0, "failed read 0x%03x returned 0x%llx", off, (ull)v);
    }
}

static void expect_init(const hdm_hpet_config_t *cfg, int want,
                        const char *what)
{
    hdm_hpet_t d;
    int st = hdm_hpet_init(&d, cfg, NULL);
    CHECK(st == want, "init with %s: %s, expected %s", what,
          hdm_status_name(st), hdm_status_name(want));
}

static void test_config(void)
{
    hdm_hpet_t d;
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    CHECK(hdm_hpet_init(NULL, &cfg, NULL) == HDM_E_INVAL, "NULL dev");
    CHECK(hdm_hpet_init(&d, NULL, NULL) == HDM_E_INVAL, "NULL cfg");
    expect_init(&cfg, HDM_OK, "the default");
    cfg.num_timers = 0;
    expect_init(&cfg, HDM_E_INVAL, "0 timers");
    cfg.num_timers = 33;
    expect_init(&cfg, HDM_E_INVAL, "33 timers");
    cfg.num_timers = 32;
    expect_init(&cfg, HDM_OK, "32 timers");
    hdm_hpet_config_default(&cfg);
    cfg.period_fs = 0;
    expect_init(&cfg, HDM_E_INVAL, "period 0");
    cfg.period_fs = HDM_HPET_PERIOD_MAX_FS + 1u;
    expect_init(&cfg, HDM_E_INVAL, "period above 100 ns");
    cfg.period_fs = HDM_HPET_PERIOD_MAX_FS;
    expect_init(&cfg, HDM_OK, "period 100 ns");
    hdm_hpet_config_default(&cfg);
    cfg.rev_id = 0;
    expect_init(&cfg, HDM_E_INVAL, "REV_ID 0");
    hdm_hpet_config_default(&cfg);
    cfg.wrap = (hdm_hpet_wrap_policy_t)3;
    expect_init(&cfg, HDM_E_INVAL, "wrap policy 3");
    hdm_hpet_config_default(&cfg);
    cfg.valset = (hdm_hpet_valset_policy_t)2;
    expect_init(&cfg, HDM_E_INVAL, "valset policy 2");
    hdm_hpet_config_default(&cfg);
    cfg.counter_write = (hdm_hpet_counter_write_policy_t)2;
    expect_init(&cfg, HDM_E_INVAL, "counter write policy 2");
    hdm_hpet_config_default(&cfg);
    cfg.route = (hdm_hpet_route_policy_t)3;
    expect_init(&cfg, HDM_E_INVAL, "route policy 3");
    hdm_hpet_config_default(&cfg);
    cfg.intenb = (hdm_hpet_intenb_policy_t)2;
    expect_init(&cfg, HDM_E_INVAL, "intenb policy 2");
}

/* [S 2.3.4, 2.3.8, 3.1] capability and reset values. */
static void test_reset_values(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    expect_rd(&d, 0, GCAP, 8, 0x009896808086A201ull, "default GCAP_ID");
    expect_rd(&d, 0, GCAP, 4, 0x8086A201u, "GCAP_ID low half");
    expect_rd(&d, 0, GCAP + 4, 4, 10000000u, "COUNTER_CLK_PERIOD");
    expect_rd(&d, 0, GEN, 8, 0, "GEN_CONF");
    expect_rd(&d, 0, STS, 8, 0, "GINTR_STA");
    expect_rd(&d, 0, CNT, 8, 0, "main counter");
    for (unsigned n = 0; n < 3; n++) {
        expect_rd(&d, 0, CONF(n), 8, 0x00FF010400000030ull, "Tn_CONF");
        expect_rd(&d, 0, COMP(n), 8, UINT64_MAX, "Tn_COMP");
        expect_rd(&d, 0, FSB(n), 8, 0, "Tn_FSB_ROUTE");
    }
    CHECK(hdm_hpet_next_event(&d) == HDM_TICK_NEVER, "idle after reset");
    CHECK(hdm_hpet_mmio_size(&d) == 0x400, "window");
    /* ICH: 14.31818 MHz, vendor and revision from the config */
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.period_fs = 69841279u;
    cfg.vendor_id = 0x1022;
    cfg.rev_id = 0x10;
    cfg.timer[1].periodic = false;
    cfg.timer[1].size64 = false;
    cfg.timer[1].fsb = true;
    cfg.timer[1].route_cap = 0x00F00800u;
    open_dev(&d, &rec, &cfg);
    expect_rd(&d, 0, GCAP, 8, 0x0429B17F1022A210ull, "GCAP_ID");
    expect_rd(&d, 0, CONF(1), 8, 0x00F0080000008000ull, "T1 caps");
    expect_rd(&d, 0, COMP(1), 8, 0xFFFFFFFFu, "32-bit comparator reset");
    /* the RO capability bits ignore writes */
    wr(&d, 0, CONF(1), 8, UINT64_MAX);
    expect_rd(&d, 0, CONF(1), 8, 0x00F008000000C646ull & ~(uint64_t)ROUTE(0x1F),
              "writable bits of T1 (route 31 not supported: kept)");
}

/* [S 2.3.2, P10] statuses, and what each half of a register does. */
static void test_status_model(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    unsigned bad_sizes[] = { 0, 1, 2, 3, 5, 6, 7, 16 };
    for (unsigned i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
        expect_status(&d, false, GEN, bad_sizes[i], HDM_E_BAD_SIZE);
        expect_status(&d, true, GEN, bad_sizes[i], HDM_E_BAD_SIZE);
    }
    expect_status(&d, false, GEN + 4, 8, HDM_E_BAD_ALIGN);
    expect_status(&d, true, CNT + 2, 4, HDM_E_BAD_ALIGN);
    expect_status(&d, false, 0x011, 4, HDM_E_BAD_ALIGN);
    uint32_t reserved[] = { 0x008, 0x00C, 0x018, 0x028,      0x0E8, 0x0F8,
                            0x118, 0x11C, 0x138, 0x160,      0x168, 0x170,
                            0x3F8, 0x400, 0x4E0, 0xFFFFFFF8u };
    for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        expect_status(&d, false, reserved[i], 4, HDM_E_UNMAPPED);
        expect_status(&d, true, reserved[i], (reserved[i] & 7) ? 4 : 8,
                      HDM_E_UNMAPPED);
    }
    expect_status(&d, true, GCAP, 8, HDM_E_READ_ONLY);
    expect_status(&d, true, GCAP, 4, HDM_E_READ_ONLY);
    expect_status(&d, true, GCAP + 4, 4, HDM_E_READ_ONLY);
    expect_rd(&d, 0, GCAP, 8, 0x009896808086A201ull, "GCAP_ID unchanged");
    expect_status(&d, true, CONF(0) + 4, 4, HDM_OK); /* RO half of a RW reg */
    expect_rd(&d, 0, CONF(0) + 4, 4, 0x00FF0104u, "Tn_INT_ROUTE_CAP");
    size_t errors = rec.guest_errors;
    CHECK(errors == 2 * 8 + 3 + 2 * 16 + 3, "%zu guest errors", errors);
    /* GEN_CONF: the high half is reserved */
    wr(&d, 0, GEN + 4, 4, 0xFFFFFFFFu);
    expect_rd(&d, 0, GEN, 8, 0, "GEN_CONF high half ignored");
    wr(&d, 0, GEN, 8, 0xFFFFFFFFFFFFFFFCull);
    expect_rd(&d, 0, GEN, 8, 0, "reserved bits read 0");
    /* MAIN_CNT halves, live and not latched [S 2.4.7] */
    wr(&d, 0, CNT + 4, 4, 0x12);
    wr(&d, 0, CNT, 4, 0xFFFFFFF0u);
    expect_rd(&d, 0, CNT, 8, 0x12FFFFFFF0ull, "counter halves");
    wr(&d, 10, GEN, 4, ENABLE);
    expect_rd(&d, 30, CNT, 4, 0x4u, "low half after the carry");
    expect_rd(&d, 30, CNT + 4, 4, 0x13u, "high half after the carry");
    /* Tn_FSB_ROUTE halves */
    wr(&d, 30, FSB(2) + 4, 4, 0xFEE00000u);
    wr(&d, 30, FSB(2), 4, 0x41);
    expect_rd(&d, 30, FSB(2), 8, 0xFEE0000000000041ull, "FSB halves");
    expect_rd(&d, 30, FSB(2) + 4, 4, 0xFEE00000u, "Tn_FSB_INT_ADDR");
    /* time going backwards, ticks beyond HDM_TICK_MAX */
    uint64_t v = 1;
    CHECK(hdm_hpet_read(&d, 29, CNT, 8, &v, 0) == HDM_E_PAST && v == 0,
          "read in the past");
    CHECK(hdm_hpet_write(&d, 29, CNT, 8, 0, 0) == HDM_E_PAST, "write past");
    CHECK(hdm_hpet_advance_to(&d, 29) == HDM_E_PAST, "advance past");
    CHECK(hdm_hpet_advance_to(&d, HDM_TICK_MAX + 1) == HDM_E_INVAL,
          "beyond HDM_TICK_MAX");
    CHECK(hdm_hpet_now(&d) == 30, "time moved by refused calls");
    CHECK(hdm_hpet_advance_to(&d, HDM_TICK_MAX) == HDM_OK, "HDM_TICK_MAX");
    CHECK(hdm_hpet_tick(&d) == HDM_E_INVAL, "tick past HDM_TICK_MAX");
    /* debug reads equal normal reads */
    CHECK(hdm_hpet_read(&d, HDM_TICK_MAX, CNT, 8, &v, HDM_ACCESS_DEBUG) ==
                  HDM_OK &&
              v == hdm_hpet_counter(&d),
          "debug read");
}

/* [P16] 32 timers: the window extends to 0x500; timer 31 is live. */
static void test_32_timers(void)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.num_timers = 32;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    CHECK(hdm_hpet_mmio_size(&d) == 0x500, "window of 32 timers");
    expect_rd(&d, 0, GCAP, 4, 0x8086BF01u, "NUM_TIM_CAP 31");
    CHECK(COMP(31) == 0x4E8, "offset of T31_COMP");
    wr(&d, 0, CONF(31), 8, INT_ENB | LEVEL | ROUTE(23));
    wr(&d, 0, COMP(31), 8, 77);
    wr(&d, 0, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 77);
    expect_rd(&d, 77, STS, 8, 0x80000000u, "T31_INT_STS");
    expect_line(&d, 23, true, "timer 31");
    expect_status(&d, false, 0x500, 4, HDM_E_UNMAPPED);
    cfg.num_timers = 25;
    open_dev(&d, &rec, &cfg);
    CHECK(hdm_hpet_mmio_size(&d) == 0x420, "window of 25 timers");
    expect_status(&d, false, 0x408, 8, HDM_OK);
    expect_status(&d, false, 0x420, 8, HDM_E_UNMAPPED);
}

/* [S 2.3.7, R4, P9] counter writes while running, under each policy. */
static void test_counter_write(void)
{
    for (int pol = 0; pol < 2; pol++) {
        hdm_hpet_config_t cfg;
        hdm_hpet_config_default(&cfg);
        cfg.counter_write = (hdm_hpet_counter_write_policy_t)pol;
        hdm_hpet_t d;
        open_dev(&d, &rec, &cfg);
        wr(&d, 0, CONF(0), 8, INT_ENB | ROUTE(2));
        wr(&d, 0, COMP(0), 8, 500);
        wr(&d, 0, GEN, 8, ENABLE);
        wr(&d, 100, CNT, 8, 1000); /* skips 500 under APPLY */
        hdm_hpet_advance_to(&d, 600);
        if (pol == HDM_HPET_COUNTER_WRITE_APPLY) {
            expect_rd(&d, 600, CNT, 8, 1500, "continues from the value");
            CHECK(rec.rises[2] == 0, "skipped value fired");
            expect_rd(&d, 600, COMP(0), 8, 500, "comparator unchanged [R4]");
        } else {
            expect_rd(&d, 600, CNT, 8, 600, "write while running lost");
            CHECK(rec.rises[2] == 1 && rec.ev[0].tick == 500, "match");
        }
        /* while halted both policies apply the write */
        wr(&d, 700, GEN, 8, 0);
        wr(&d, 701, CNT, 8, 490);
        wr(&d, 800, GEN, 8, ENABLE);
        hdm_hpet_advance_to(&d, 900);
        CHECK(rec.ev[rec.n - 2].tick == 810, "match after a halted write");
    }
}

/* Reset [S 3.1, P11]: everything back, lines dropped, nothing scheduled. */
static void test_reset(void)
{
    hdm_hpet_t d;
    open_dev(&d, &rec, NULL);
    wr(&d, 0, CONF(1), 8, INT_ENB | LEVEL | PERIODIC | VAL_SET | ROUTE(8));
    wr(&d, 0, COMP(1), 8, 10);
    wr(&d, 0, FSB(1), 8, 0x1234);
    wr(&d, 0, GEN, 8, ENABLE | LEG_RT);
    hdm_hpet_advance_to(&d, 100);
    expect_line(&d, 8, true, "asserted before reset");
    hdm_hpet_reset(&d, 200);
    expect_line(&d, 8, false, "reset drops the line");
    CHECK(rec.ev[rec.n - 1].tick == 200 && !rec.ev[rec.n - 1].level,
          "line drop reported at the reset tick");
    CHECK(rec.deadline == HDM_TICK_NEVER, "deadline after reset");
    expect_rd(&d, 200, GEN, 8, 0, "GEN_CONF");
    expect_rd(&d, 200, STS, 8, 0, "GINTR_STA");
    expect_rd(&d, 200, CNT, 8, 0, "counter");
    expect_rd(&d, 200, CONF(1), 8, 0x00FF010400000030ull, "T1_CONF");
    expect_rd(&d, 200, COMP(1), 8, UINT64_MAX, "T1_COMP");
    expect_rd(&d, 200, FSB(1), 8, 0, "T1_FSB_ROUTE");
    /* comparator all ones and hidden period 0 again: nothing scheduled */
    wr(&d, 200, CONF(1), 8, INT_ENB | PERIODIC | ROUTE(8));
    wr(&d, 200, GEN, 8, ENABLE);
    hdm_hpet_advance_to(&d, 10000);
    CHECK(hdm_hpet_next_event(&d) == HDM_TICK_NEVER, "period 0 after reset");
}

/* A device exercised through every kind of state: live periodic timers,
 * a level timer with STS set, a lazy disabled periodic timer, an FSB timer,
 * the ONCE wrap policy and the HOLD policy. */
static void busy_setup(hdm_hpet_t *d, host_rec_t *r)
{
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.num_timers = 5;
    cfg.wrap = HDM_HPET_WRAP_ONCE;
    cfg.intenb = HDM_HPET_INTENB_HOLD;
    cfg.timer[4].fsb = true;
    cfg.timer[3].size64 = false;
    open_dev(d, r, &cfg);
    wr(d, 0, CNT, 8, 0xFFFF0000u);
    wr(d, 0, CONF(0), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(2));
    wr(d, 0, COMP(0), 8, 0xFFFF0000u + 1000);
    wr(d, 0, COMP(0), 8, 1000);
    wr(d, 0, CONF(1), 8, INT_ENB | LEVEL | PERIODIC | VAL_SET | ROUTE(20));
    wr(d, 0, COMP(1), 8, 0xFFFF0000u + 2500);
    wr(d, 0, COMP(1), 8, 3000);
    wr(d, 0, CONF(2), 8, PERIODIC | VAL_SET);
    wr(d, 0, COMP(2), 8, 0xFFFF0000u + 333);
    wr(d, 0, COMP(2), 8, 333);
    wr(d, 0, CONF(3), 8, INT_ENB | ROUTE(21)); /* 32-bit one-shot */
    wr(d, 0, COMP(3), 8, 0x20);
    wr(d, 0, FSB(4), 8, 0xFEE0000000000033ull);
    wr(d, 0, CONF(4), 8, INT_ENB | FSB_EN | PERIODIC | VAL_SET);
    wr(d, 0, COMP(4), 8, 0xFFFF0000u + 777);
    wr(d, 0, COMP(4), 8, 777);
    wr(d, 10, GEN, 8, ENABLE | LEG_RT);
    hdm_hpet_advance_to(d, 5000);
    wr(d, 5000, CONF(1), 8, LEVEL | PERIODIC | ROUTE(20)); /* held */
}

/* What a host would do after the snapshot point. */
static void busy_run(hdm_hpet_t *d, uint64_t *reads)
{
    hdm_tick_t t = hdm_hpet_now(d);
    unsigned k = 0;
    reads[k++] = rd(d, t + 100, COMP(2), 8);
    reads[k++] = rd(d, t + 100, STS, 8);
    hdm_hpet_advance_to(d, t + 70000);
    reads[k++] = rd(d, t + 70000, CNT, 8);
    wr(d, t + 70001, STS, 4, 2);
    reads[k++] = rd(d, t + 70002, COMP(1), 8);
    wr(d, t + 70003, CONF(1), 8, INT_ENB | LEVEL | PERIODIC | ROUTE(20));
    hdm_hpet_advance_to(d, t + 200000);
    reads[k++] = rd(d, t + 200000, COMP(0), 8);
    reads[k++] = rd(d, t + 200000, COMP(3), 8);
    reads[k++] = rd(d, t + 200000, STS, 8);
    reads[k++] = hdm_hpet_next_event(d);
}

static void test_snapshot_roundtrip(void)
{
    static hdm_hpet_t a, b;
    static hdm_hpet_snapshot_t snap;
    busy_setup(&a, &rec);
    expect_line(&a, 8, true, "held line (timer 1, legacy route)");
    hdm_hpet_save(&a, &snap);
    /* b: a fresh device of the same config restores the snapshot */
    busy_setup(&b, &rec2);
    hdm_hpet_reset(&b, 0);
    memset(&rec2, 0, sizeof(rec2));
    CHECK(hdm_hpet_restore(&b, &snap) == HDM_OK, "restore refused");
    CHECK(rec2.n == 1 && rec2.ev[0].line == 8 && rec2.ev[0].level,
          "restore reports the held line as a change");
    CHECK(memcmp(&a.s, &b.s, sizeof(a.s)) == 0, "restored state differs");
    size_t n0 = rec.n;
    memset(&rec2, 0, sizeof(rec2));
    uint64_t ra[8], rb[8];
    busy_run(&a, ra);
    busy_run(&b, rb);
    CHECK(memcmp(ra, rb, sizeof(ra)) == 0, "reads differ after restore");
    CHECK(rec.n - n0 == rec2.n && rec2.n > 100 && !rec.overflow,
          "records differ: %zu vs %zu", rec.n - n0, rec2.n);
    CHECK(memcmp(&rec.ev[n0], rec2.ev, rec2.n * sizeof(hev_t)) == 0,
          "events differ after restore");
    CHECK(rec2.msis > 0, "FSB writes in the run");
}

typedef void (*corrupt_fn)(hdm_hpet_snapshot_t *);

static void c_magic(hdm_hpet_snapshot_t *s)
{
    s->magic ^= 1;
}
static void c_version(hdm_hpet_snapshot_t *s)
{
    s->version++;
}
static void c_size(hdm_hpet_snapshot_t *s)
{
    s->size--;
}
static void c_config(hdm_hpet_snapshot_t *s)
{
    s->fsb &= ~(1u << 4);
}
static void c_policy(hdm_hpet_snapshot_t *s)
{
    s->wrap = 0;
}
static void c_echo_pad(hdm_hpet_snapshot_t *s)
{
    s->pad = 1;
}
static void c_echo_bool(hdm_hpet_snapshot_t *s)
{
    s->counter64 = 0x40;
}
static void c_now(hdm_hpet_snapshot_t *s)
{
    s->state.now = HDM_TICK_MAX + 1;
}
static void c_gen(hdm_hpet_snapshot_t *s)
{
    s->state.gen_conf |= 4;
}
static void c_cnt_tick(hdm_hpet_snapshot_t *s)
{
    s->state.cnt_tick = s->state.now + 1;
}
static void c_sts_edge(hdm_hpet_snapshot_t *s)
{
    s->state.sts |= 1;
}
static void c_sts_unimpl(hdm_hpet_snapshot_t *s)
{
    s->state.sts |= 1u << 7;
}
static void c_hold(hdm_hpet_snapshot_t *s)
{
    s->state.hold |= 1;
}
static void c_lines(hdm_hpet_snapshot_t *s)
{
    s->state.lines ^= 1u << 5;
}
static void c_conf(hdm_hpet_snapshot_t *s)
{
    s->state.t[0].conf |= 1;
}
static void c_route(hdm_hpet_snapshot_t *s)
{
    /* route 5 is not in 0x00FF0104: the KEEP policy never stores it */
    s->state.t[2].conf |= ROUTE(5);
}
static void c_conf_fsb(hdm_hpet_snapshot_t *s)
{
    s->state.t[0].conf |= FSB_EN;
}
static void c_cmp32(hdm_hpet_snapshot_t *s)
{
    s->state.t[3].cmp |= 1ull << 32;
}
static void c_period32(hdm_hpet_snapshot_t *s)
{
    s->state.t[3].period = 1ull << 40;
}
static void c_at(hdm_hpet_snapshot_t *s)
{
    s->state.t[0].at = s->state.now + 1;
}
static void c_at_early(hdm_hpet_snapshot_t *s)
{
    s->state.t[2].at = 5;
}
static void c_next(hdm_hpet_snapshot_t *s)
{
    s->state.t[0].next += 1;
}
static void c_next_lazy(hdm_hpet_snapshot_t *s)
{
    s->state.t[2].next = s->state.now + 10;
}
static void c_pending(hdm_hpet_snapshot_t *s)
{
    /* an event of a live timer due before now was never processed */
    s->state.t[0].cmp -= 2000;
}
static void c_armed(hdm_hpet_snapshot_t *s)
{
    s->state.t[0].wrap_armed = 1;
}
static void c_armed2(hdm_hpet_snapshot_t *s)
{
    s->state.t[3].wrap_armed = 2;
}
static void c_unimpl(hdm_hpet_snapshot_t *s)
{
    s->state.t[9].cmp = 1;
}
static void c_pad(hdm_hpet_snapshot_t *s)
{
    s->state.t[1].pad[0] = 1;
}

static void test_snapshot_corrupt(void)
{
    static hdm_hpet_t d, before;
    static hdm_hpet_snapshot_t good, bad;
    static const struct {
        const char *what;
        corrupt_fn fn;
        int want;
    } cases[] = {
        { "magic", c_magic, HDM_E_VERSION },
        { "version", c_version, HDM_E_VERSION },
        { "size", c_size, HDM_E_VERSION },
        { "timer caps", c_config, HDM_E_VERSION },
        { "policy", c_policy, HDM_E_VERSION },
        { "echo padding", c_echo_pad, HDM_E_VERSION },
        { "bool echo not 0 or 1", c_echo_bool, HDM_E_VERSION },
        { "now beyond HDM_TICK_MAX", c_now, HDM_E_CORRUPT },
        { "reserved GEN_CONF bit", c_gen, HDM_E_CORRUPT },
        { "counter reference after now", c_cnt_tick, HDM_E_CORRUPT },
        { "STS of an edge timer", c_sts_edge, HDM_E_CORRUPT },
        { "STS of an unimplemented timer", c_sts_unimpl, HDM_E_CORRUPT },
        { "hold without STS", c_hold, HDM_E_CORRUPT },
        { "line levels", c_lines, HDM_E_CORRUPT },
        { "reserved Tn_CONF bit", c_conf, HDM_E_CORRUPT },
        { "FSB_EN without the cap", c_conf_fsb, HDM_E_CORRUPT },
        { "route the capability does not allow", c_route, HDM_E_CORRUPT },
        { "64-bit value in a 32-bit comparator", c_cmp32, HDM_E_CORRUPT },
        { "64-bit period of a 32-bit timer", c_period32, HDM_E_CORRUPT },
        { "sync point after now", c_at, HDM_E_CORRUPT },
        { "sync point before the counter reference", c_at_early,
          HDM_E_CORRUPT },
        { "wrong next event", c_next, HDM_E_CORRUPT },
        { "event scheduled for a lazy timer", c_next_lazy, HDM_E_CORRUPT },
        { "unprocessed event before now", c_pending, HDM_E_CORRUPT },
        { "wrap armed on a periodic timer", c_armed, HDM_E_CORRUPT },
        { "wrap flag 2", c_armed2, HDM_E_CORRUPT },
        { "unimplemented timer state", c_unimpl, HDM_E_CORRUPT },
        { "padding", c_pad, HDM_E_CORRUPT },
    };
    busy_setup(&d, &rec);
    hdm_hpet_save(&d, &good);
    hdm_hpet_advance_to(&d, 6000);
    CHECK(hdm_hpet_restore(&d, &good) == HDM_OK, "good snapshot refused");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bad = good;
        cases[i].fn(&bad);
        before = d;
        size_t n = rec.n, dl = rec.deadlines;
        int st = hdm_hpet_restore(&d, &bad);
        CHECK(st == cases[i].want, "%s: %s, expected %s", cases[i].what,
              hdm_status_name(st), hdm_status_name(cases[i].want));
        CHECK(memcmp(&before, &d, sizeof(d)) == 0, "%s: device changed",
              cases[i].what);
        CHECK(rec.n == n && rec.deadlines == dl, "%s: callbacks",
              cases[i].what);
    }
    CHECK(hdm_hpet_restore(&d, NULL) == HDM_E_VERSION, "NULL snapshot");
    /* random byte flips: refused with the device unchanged, or accepted
     * and then able to run */
    uint32_t x = 12345;
    unsigned accepted = 0;
    for (int i = 0; i < 20000; i++) {
        bad = good;
        for (int k = 0; k < 1 + i % 3; k++) {
            x = x * 1103515245u + 12345u;
            size_t off = (x >> 8) % sizeof(bad);
            ((unsigned char *)&bad)[off] ^= (unsigned char)(1u << (x & 7));
        }
        before = d;
        int st = hdm_hpet_restore(&d, &bad);
        if (st != HDM_OK) {
            CHECK(memcmp(&before, &d, sizeof(d)) == 0, "flip %d: changed", i);
            continue;
        }
        accepted++;
        hdm_tick_t now = hdm_hpet_now(&d);
        CHECK(hdm_hpet_next_event(&d) > now, "flip %d: event in the past", i);
        hdm_tick_t to = now + 10000 < HDM_TICK_MAX ? now + 10000 : now;
        CHECK(hdm_hpet_advance_to(&d, to) == HDM_OK, "flip %d: run", i);
        rec.n = 0;
        CHECK(hdm_hpet_restore(&d, &good) == HDM_OK, "good refused");
    }
    CHECK(accepted > 0, "no flipped snapshot was valid (test too weak)");
}

/* An hour of simulated time at 100 MHz in one advance call: three timers
 * with INT_ENB=0 (one periodic every tick) cost nothing, a live 1 kHz timer
 * costs its 3.6 million events. */
static void test_one_hour(void)
{
    const hdm_tick_t hour = 3600ull * 100000000ull;
    hdm_hpet_config_t cfg;
    hdm_hpet_config_default(&cfg);
    cfg.num_timers = 4;
    hdm_hpet_t d;
    open_dev(&d, &rec, &cfg);
    wr(&d, 0, CONF(0), 8, PERIODIC | VAL_SET | ROUTE(2));
    wr(&d, 0, COMP(0), 8, 1);                 /* matches on every tick */
    wr(&d, 0, CONF(1), 8, MODE32 | ROUTE(8)); /* 32-bit one-shot */
    wr(&d, 0, COMP(1), 8, 12345);
    wr(&d, 0, CONF(2), 8, PERIODIC | VAL_SET | MODE32 | ROUTE(16));
    wr(&d, 0, COMP(2), 8, 1000003);
    wr(&d, 0, GEN, 8, ENABLE);
    clock_t c0 = clock();
    CHECK(hdm_hpet_advance_to(&d, hour) == HDM_OK, "advance an hour");
    double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
    CHECK(secs < 0.5, "an idle hour took %.3f s", secs);
    CHECK(rec.n == 0, "disabled timers produced output");
    CHECK(hdm_hpet_next_event(&d) == HDM_TICK_NEVER, "nothing scheduled");
    expect_rd(&d, hour, CNT, 8, hour, "counter after an hour");
    expect_rd(&d, hour, COMP(0), 8, hour + 1, "every-tick accumulator");
    expect_rd(&d, hour, COMP(1), 8, 12345, "one-shot comparator");
    uint64_t k = hour / 1000003 + 1;
    expect_rd(&d, hour, COMP(2), 8, (k * 1000003) & 0xFFFFFFFFu,
              "32-bit accumulator wrapped modulo 2^32");
    /* the live 1 kHz timer for another hour */
    wr(&d, hour, CONF(3), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(20));
    wr(&d, hour, COMP(3), 8, hour + 100000);
    wr(&d, hour, COMP(3), 8, 100000);
    c0 = clock();
    CHECK(hdm_hpet_advance_to(&d, 2 * hour) == HDM_OK, "second hour");
    secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
    CHECK(rec.rises[20] == 3600000, "%zu events in an hour at 1 kHz",
          rec.rises[20]);
    printf("test_hpet_api: an hour at 1 kHz took %.3f s\n", secs);
}

int main(void)
{
    test_config();
    test_reset_values();
    test_status_model();
    test_32_timers();
    test_counter_write();
    test_reset();
    test_snapshot_roundtrip();
    test_snapshot_corrupt();
    test_one_hour();
    printf("test_hpet_api: ok\n");
    return 0;
}
