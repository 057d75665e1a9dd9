/* SPDX-License-Identifier: MIT */
/*
 * HPET optional hardware quirks [digest 8 quirk switches, digest 10]:
 * comparator-write latency (cfg.cmp_latency, ATI SB700/SB800, Intel
 * ICH9/ICH10) and the stale comparator read-back (cfg.stale_cmp_read,
 * ICH9/ICH10). Both off by default; with them off nothing changes. Covers
 * the miss of a comparator written <= N ticks ahead for every N, the old
 * comparator and period in the window, the merge rule (each write, each
 * 32-bit half, restarts the delay), next_event() and deadline() with the
 * landing, halted counter, 32MODE entry and reset while parked, the stale
 * read (once, debug reads do not consume it, halves, several writes), and
 * the snapshot of both (round trip and validation of every new field).
 */
#include "hpet_host.h"

static host_rec_t rec, rec2;

#define NEVER HDM_TICK_NEVER
#define W32   UINT64_C(0x100000000)

static void cfg_quirks(hdm_hpet_config_t *c, unsigned lat, bool stale)
{
    hdm_hpet_config_default(c);
    c->cmp_latency = lat;
    c->stale_cmp_read = stale;
    c->wrap = HDM_HPET_WRAP_NONE;
}

/* Rising edges on @a line in (from, to]. */
static size_t rises(unsigned line, hdm_tick_t from, hdm_tick_t to,
                    hdm_tick_t *first)
{
    size_t n = 0;
    for (size_t i = 0; i < rec.n; i++) {
        const hev_t *e = &rec.ev[i];
        if (e->kind == 'i' && e->line == line && e->level && e->tick > from &&
            e->tick <= to) {
            if (n++ == 0 && first) {
                *first = e->tick;
            }
        }
    }
    return n;
}

static void test_config(void)
{
    hdm_hpet_config_t c;
    hdm_hpet_t d;
    hdm_hpet_config_default(&c);
    CHECK(c.cmp_latency == 0 && !c.stale_cmp_read, "quirks off by default");
    for (unsigned n = 0; n <= HDM_HPET_CMP_LATENCY_MAX; n++) {
        c.cmp_latency = n;
        CHECK(hdm_hpet_init(&d, &c, NULL) == HDM_OK, "latency %u refused", n);
    }
    c.cmp_latency = HDM_HPET_CMP_LATENCY_MAX + 1u;
    CHECK(hdm_hpet_init(&d, &c, NULL) == HDM_E_INVAL, "latency 4 accepted");
    c.cmp_latency = 1000u;
    CHECK(hdm_hpet_init(&d, &c, NULL) == HDM_E_INVAL, "latency 1000 accepted");
}

/*
 * [digest 10] a one-shot comparator written delta ticks ahead fires at
 * W + delta if delta > N, else only when the counter comes round (2^32
 * ticks later in 32-bit mode), for every N; next_event() and the host
 * deadline include the landing at W + N.
 */
static void test_latency_miss(void)
{
    for (unsigned n = 0; n <= HDM_HPET_CMP_LATENCY_MAX; n++) {
        for (unsigned delta = 1; delta <= n + 2u; delta++) {
            hdm_hpet_config_t c;
            hdm_hpet_t d;
            cfg_quirks(&c, n, false);
            open_dev(&d, &rec, &c);
            wr(&d, 0, CONF(0), 4, INT_ENB | MODE32 | ROUTE(2));
            wr(&d, 0, GEN, 4, ENABLE);
            hdm_tick_t w = 1000;
            wr(&d, w, COMP(0), 4, w + delta);
            expect_rd(&d, w, COMP(0), 4, w + delta, "programmed value");
            if (n > 0) {
                CHECK(hdm_hpet_next_event(&d) == w + n && rec.deadline == w + n,
                      "N=%u: next_event %llu deadline %llu, expected the "
                      "landing at %llu",
                      n, (ull)hdm_hpet_next_event(&d), (ull)rec.deadline,
                      (ull)(w + n));
            }
            hdm_hpet_advance_to(&d, w + 5000);
            hdm_tick_t first = 0;
            size_t k = rises(2, w, w + 5000, &first);
            if (delta > n) {
                CHECK(k == 1 && first == w + delta,
                      "N=%u delta=%u: %zu events, first at %llu", n, delta, k,
                      (ull)first);
            } else {
                CHECK(k == 0, "N=%u delta=%u: missed comparator fired", n,
                      delta);
                CHECK(hdm_hpet_next_event(&d) == w + delta + W32,
                      "N=%u delta=%u: next event %llu, expected the wrap", n,
                      delta, (ull)hdm_hpet_next_event(&d));
                hdm_hpet_advance_to(&d, w + delta + W32);
                CHECK(rises(2, w, w + delta + W32, &first) == 1 &&
                          first == w + delta + W32,
                      "N=%u delta=%u: the missed value after the wrap", n,
                      delta);
            }
        }
    }
}

/* Until the write lands the old comparator and period are the ones used. */
static void test_latency_window(void)
{
    hdm_hpet_config_t c;
    hdm_hpet_t d;
    /* one-shot: the old comparator matches 1 tick after the write */
    cfg_quirks(&c, 2, false);
    open_dev(&d, &rec, &c);
    wr(&d, 0, CONF(0), 4, INT_ENB | MODE32 | ROUTE(2));
    wr(&d, 0, GEN, 4, ENABLE);
    wr(&d, 2, COMP(0), 4, 500);
    wr(&d, 499, COMP(0), 4, 800);
    hdm_hpet_advance_to(&d, 2000);
    hdm_tick_t first = 0;
    CHECK(rises(2, 0, 2000, &first) == 2 && first == 500,
          "old comparator in the window, then the new");
    CHECK(rises(2, 500, 2000, &first) == 1 && first == 800, "new comparator");

    /* periodic: a match inside the window adds the old period [R12] */
    for (unsigned lat = 0; lat <= 2; lat += 2) {
        cfg_quirks(&c, lat, false);
        open_dev(&d, &rec, &c);
        wr(&d, 0, CONF(1), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(8));
        wr(&d, 0, COMP(1), 8, 100);  /* accumulator and period: lands at lat */
        wr(&d, 1, COMP(1), 8, 10);   /* period 10: lands at 1 + lat */
        wr(&d, 5, GEN, 4, ENABLE);   /* counter = tick - 5 */
        wr(&d, 124, COMP(1), 8, 50); /* match at 125 (counter 120) */
        hdm_hpet_advance_to(&d, 400);
        hdm_tick_t want0[] = { 105, 115, 125, 175, 225 };
        hdm_tick_t want2[] = { 105, 115, 125, 135, 185, 235 };
        const hdm_tick_t *want = lat ? want2 : want0;
        size_t nw = lat ? 6 : 5;
        size_t k = 0;
        for (size_t i = 0; i < rec.n && k < nw; i++) {
            if (rec.ev[i].kind == 'i' && rec.ev[i].line == 8 &&
                rec.ev[i].level) {
                CHECK(rec.ev[i].tick == want[k],
                      "latency %u: periodic event %zu at %llu, expected %llu",
                      lat, k, (ull)rec.ev[i].tick, (ull)want[k]);
                k++;
            }
        }
        CHECK(k == nw, "latency %u: %zu periodic events", lat, k);
    }
}

/*
 * The merge rule: every comparator write (each 32-bit half) restarts the
 * delay and the parked bits land together; VAL_SET is consumed at the
 * write; halting the counter does not delay the landing; a timer that
 * produces no output (lazy) still lands; 32MODE entry truncates what is
 * parked; reset drops it.
 */
static void test_latency_merge(void)
{
    hdm_hpet_config_t c;
    hdm_hpet_t d;
    cfg_quirks(&c, 2, false);
    open_dev(&d, &rec, &c);
    wr(&d, 0, CONF(0), 4, INT_ENB | ROUTE(2));
    wr(&d, 0, GEN, 4, ENABLE);
    wr(&d, 1, COMP(0), 8, 14);
    wr(&d, 11, COMP(0), 4, 1000);
    wr(&d, 12, COMP(0) + 4, 4, 0);
    CHECK(hdm_hpet_next_event(&d) == 14, "landing restarted at 14: %llu",
          (ull)hdm_hpet_next_event(&d));
    expect_rd(&d, 13, COMP(0), 8, 1000, "programmed 64-bit value");
    hdm_hpet_advance_to(&d, 2000);
    hdm_tick_t first = 0;
    CHECK(rises(2, 0, 2000, &first) == 2 && first == 14,
          "old comparator at 14, before the landing at the same tick");
    CHECK(rises(2, 14, 2000, &first) == 1 && first == 1000, "new at 1000");

    /* VAL_SET consumed at once; halted counter; lazy timer */
    open_dev(&d, &rec, &c);
    wr(&d, 10, CONF(1), 8, PERIODIC | VAL_SET | ROUTE(8)); /* INT_ENB=0 */
    wr(&d, 10, COMP(1), 8, 100);
    expect_rd(&d, 10, CONF(1), 4, 0x30 | PERIODIC | ROUTE(8), "VAL_SET clear");
    CHECK(hdm_hpet_next_event(&d) == 12, "lazy timer's landing scheduled");
    hdm_hpet_advance_to(&d, 12);
    CHECK(hdm_hpet_next_event(&d) == NEVER && d.s.t[1].cmp == 100 &&
              d.s.t[1].period == 100 && d.s.t[1].pend_at == NEVER,
          "landed while halted");
    wr(&d, 20, GEN, 4, ENABLE); /* counter = tick - 20 */
    expect_rd(&d, 20 + 350, COMP(1), 8, 400, "lazy accumulator catch-up");

    /* 32MODE entry while parked truncates; reset drops the write */
    open_dev(&d, &rec, &c);
    wr(&d, 0, COMP(2), 8, UINT64_C(0x500000000));
    CHECK(d.s.t[2].pend_at == 2, "high-half bits parked");
    wr(&d, 1, CONF(2), 4, MODE32);
    CHECK(d.s.t[2].pend_at == 2 &&
              d.s.t[2].pend_cmp_mask == UINT64_C(0xFFFFFFFF) &&
              d.s.t[2].pend_cmp == 0,
          "entering 32MODE truncates the parked bits");
    wr(&d, 1, CONF(1), 4, 0);
    wr(&d, 1, COMP(1) + 4, 4, 3); /* high half only: parked */
    wr(&d, 1, CONF(1), 4, MODE32);
    CHECK(d.s.t[1].pend_at == NEVER && d.s.t[1].pend_cmp_mask == 0,
          "entering 32MODE drops a parked high-half write");
    wr(&d, 2, COMP(2), 4, 7);
    CHECK(d.s.t[2].pend_at == 4 && d.s.t[2].pend_cmp == 7, "parked low");
    hdm_hpet_reset(&d, 3);
    CHECK(d.s.t[2].pend_at == NEVER && hdm_hpet_next_event(&d) == NEVER &&
              rd(&d, 5, COMP(2), 8) == UINT64_MAX,
          "reset drops a parked write");
}

/* [digest 10] stale read-back: once, debug reads do not consume it. */
static void test_stale(void)
{
    hdm_hpet_config_t c;
    hdm_hpet_t d;
    uint64_t v = 0;
    /* off: reads return the new value at once */
    cfg_quirks(&c, 0, false);
    open_dev(&d, &rec, &c);
    wr(&d, 1, COMP(0), 8, 0x1234);
    expect_rd(&d, 1, COMP(0), 8, 0x1234, "off: new value at once");

    cfg_quirks(&c, 0, true);
    open_dev(&d, &rec, &c);
    wr(&d, 1, COMP(0), 8, 0x1234);
    for (int k = 0; k < 3; k++) {
        CHECK(hdm_hpet_read(&d, 2, COMP(0), 8, &v, HDM_ACCESS_DEBUG) ==
                      HDM_OK &&
                  v == UINT64_MAX,
              "debug read %d: 0x%llx, expected the stale value", k, (ull)v);
    }
    expect_rd(&d, 3, COMP(0), 8, UINT64_MAX, "first read: old value");
    expect_rd(&d, 3, COMP(0), 8, 0x1234, "second read: new value");
    expect_rd(&d, 4, COMP(0), 8, 0x1234, "third read");
    /* two writes before a read: the value from before the first */
    wr(&d, 5, COMP(0), 8, 0x2000);
    wr(&d, 6, COMP(0), 8, 0x3000);
    expect_rd(&d, 7, COMP(0), 8, 0x1234, "value before the first write");
    expect_rd(&d, 7, COMP(0), 8, 0x3000, "then the last written");
    /* halves: each 32-bit read is one read */
    wr(&d, 8, COMP(0), 4, 0x5678);
    expect_rd(&d, 9, COMP(0) + 4, 4, 0, "high half: the old one");
    expect_rd(&d, 9, COMP(0) + 4, 4, 0, "high half again");
    expect_rd(&d, 9, COMP(0), 4, 0x5678, "low half: the new one");
    /* the high half in 32-bit mode is no write: not stale */
    wr(&d, 10, CONF(1), 4, MODE32);
    wr(&d, 10, COMP(1) + 4, 4, 5);
    CHECK(!d.s.t[1].stale, "ignored high-half write made the read stale");
    /* entering 32MODE truncates the stale value with the register */
    wr(&d, 11, COMP(2), 8, 0x9);
    wr(&d, 11, CONF(2), 4, MODE32);
    expect_rd(&d, 12, COMP(2), 8, 0xFFFFFFFFu, "stale value truncated");
    expect_rd(&d, 12, COMP(2), 8, 0x9, "new value");
    /* the comparator matches the new value regardless of the read */
    wr(&d, 20, CONF(0), 4, INT_ENB | ROUTE(2));
    wr(&d, 20, COMP(0), 8, 100);
    wr(&d, 20, GEN, 4, ENABLE); /* counter = tick - 20 */
    hdm_hpet_advance_to(&d, 200);
    hdm_tick_t first = 0;
    CHECK(rises(2, 0, 200, &first) == 1 && first == 120, "match at 120");
    expect_rd(&d, 200, COMP(0), 8, 0x5678, "still stale after the match");
    /* reset clears it */
    wr(&d, 201, COMP(0), 8, 0x42);
    hdm_hpet_reset(&d, 202);
    expect_rd(&d, 202, COMP(0), 8, UINT64_MAX, "reset: no stale value");
    CHECK(!d.s.t[0].stale && d.s.t[0].stale_cmp == 0, "reset state");
}

/* Both quirks: reads show the programmed value once staleness is read. */
static void test_both(void)
{
    hdm_hpet_config_t c;
    hdm_hpet_t d;
    cfg_quirks(&c, 3, true);
    open_dev(&d, &rec, &c);
    wr(&d, 0, COMP(0), 8, 0x777);
    expect_rd(&d, 1, COMP(0), 8, UINT64_MAX, "stale while parked");
    expect_rd(&d, 1, COMP(0), 8, 0x777, "programmed while parked");
    CHECK(d.s.t[0].cmp == UINT64_MAX && d.s.t[0].pend_at == 3,
          "datapath still old");
    hdm_hpet_advance_to(&d, 3);
    CHECK(d.s.t[0].cmp == 0x777, "landed at 3");
}

/* A device with a parked write and a stale read, to snapshot. */
static void snap_setup(hdm_hpet_t *d, host_rec_t *r)
{
    hdm_hpet_config_t c;
    cfg_quirks(&c, 3, true);
    c.num_timers = 4;
    c.timer[3].size64 = false;
    open_dev(d, r, &c);
    wr(d, 0, CONF(0), 4, INT_ENB | ROUTE(2));
    wr(d, 0, CONF(1), 8, INT_ENB | PERIODIC | VAL_SET | ROUTE(8));
    wr(d, 0, COMP(1), 8, 300);
    wr(d, 0, GEN, 4, ENABLE);
    hdm_hpet_advance_to(d, 1000);
    wr(d, 1000, COMP(0), 8, 1500);
    wr(d, 1001, COMP(1), 8, 77);    /* parked period */
    wr(d, 1001, COMP(3), 4, 0x999); /* 32-bit timer, stale */
}

typedef void (*corrupt_fn)(hdm_hpet_snapshot_t *);

static void c_pend_now(hdm_hpet_snapshot_t *s)
{
    s->state.t[0].pend_at = s->state.now;
}
static void c_pend_far(hdm_hpet_snapshot_t *s)
{
    s->state.t[0].pend_at = s->state.now + 4;
}
static void c_pend_never(hdm_hpet_snapshot_t *s)
{
    s->state.t[0].pend_at = NEVER;
}
static void c_pend_nomask(hdm_hpet_snapshot_t *s)
{
    s->state.t[2].pend_at = s->state.now + 1;
}
static void c_pend_bits(hdm_hpet_snapshot_t *s)
{
    s->state.t[1].pend_cmp = 1; /* only the period is parked */
}
static void c_pend_period_bits(hdm_hpet_snapshot_t *s)
{
    s->state.t[1].pend_period_mask = 1; /* the parked period is 77 */
}
static void c_pend_wide(hdm_hpet_snapshot_t *s)
{
    s->state.t[3].pend_at = s->state.now + 1;
    s->state.t[3].pend_cmp_mask = UINT64_MAX; /* a 32-bit timer */
}
static void c_pend_unimpl(hdm_hpet_snapshot_t *s)
{
    s->state.t[5].pend_at = s->state.now + 1;
}
static void c_stale2(hdm_hpet_snapshot_t *s)
{
    s->state.t[3].stale = 2;
}
static void c_stale_val(hdm_hpet_snapshot_t *s)
{
    s->state.t[2].stale_cmp = 5; /* not stale */
}
static void c_stale_wide(hdm_hpet_snapshot_t *s)
{
    s->state.t[3].stale_cmp = W32;
}
static void c_stale_unimpl(hdm_hpet_snapshot_t *s)
{
    s->state.t[7].stale = 1;
}
static void c_echo_lat(hdm_hpet_snapshot_t *s)
{
    s->cmp_latency = 2;
}
static void c_echo_stale(hdm_hpet_snapshot_t *s)
{
    s->stale_cmp_read = 2;
}

static void test_snapshot(void)
{
    static hdm_hpet_t a, b, before;
    static hdm_hpet_snapshot_t snap, bad;
    CHECK(HDM_HPET_SNAPSHOT_VERSION == 2u, "snapshot version 2");
    snap_setup(&a, &rec);
    CHECK(a.s.t[0].pend_at == 1003 && a.s.t[1].pend_at == 1004 &&
              a.s.t[3].stale && a.s.t[0].stale,
          "setup: parked writes and stale reads");
    hdm_hpet_save(&a, &snap);
    snap_setup(&b, &rec2);
    hdm_hpet_reset(&b, 0);
    CHECK(hdm_hpet_restore(&b, &snap) == HDM_OK, "restore refused");
    CHECK(memcmp(&a.s, &b.s, sizeof(a.s)) == 0, "restored state differs");
    CHECK(hdm_hpet_next_event(&b) == 1003, "landing is the next event");
    uint64_t ra[6], rb[6];
    hdm_hpet_t *dv[2] = { &a, &b };
    uint64_t *rv[2] = { ra, rb };
    size_t n0 = rec.n;
    memset(&rec2, 0, sizeof(rec2));
    for (int k = 0; k < 2; k++) {
        hdm_hpet_t *d = dv[k];
        rv[k][0] = rd(d, 1002, COMP(3), 4); /* stale */
        rv[k][1] = rd(d, 1002, COMP(3), 4);
        rv[k][2] = rd(d, 1002, COMP(0), 8);
        hdm_hpet_advance_to(d, 3000);
        rv[k][3] = rd(d, 3000, COMP(1), 8);
        rv[k][4] = rd(d, 3000, COMP(0), 8);
        rv[k][5] = hdm_hpet_next_event(d);
    }
    CHECK(memcmp(ra, rb, sizeof(ra)) == 0, "reads differ after restore");
    CHECK(ra[0] == 0xFFFFFFFFu && ra[1] == 0x999 && ra[2] == 0xFFFFFFFFFFFFFFFF,
          "stale reads after restore: 0x%llx 0x%llx 0x%llx", (ull)ra[0],
          (ull)ra[1], (ull)ra[2]);
    CHECK(rec.n - n0 == rec2.n && rec2.n > 5 &&
              memcmp(&rec.ev[n0], rec2.ev, rec2.n * sizeof(hev_t)) == 0,
          "events differ after restore");

    static const struct {
        const char *what;
        corrupt_fn fn;
        int want;
    } cases[] = {
        { "landing at now", c_pend_now, HDM_E_CORRUPT },
        { "landing beyond now + N", c_pend_far, HDM_E_CORRUPT },
        { "parked bits without a landing", c_pend_never, HDM_E_CORRUPT },
        { "landing without parked bits", c_pend_nomask, HDM_E_CORRUPT },
        { "parked comparator bit outside its mask", c_pend_bits,
          HDM_E_CORRUPT },
        { "parked period bits outside its mask", c_pend_period_bits,
          HDM_E_CORRUPT },
        { "parked 64-bit mask on a 32-bit timer", c_pend_wide, HDM_E_CORRUPT },
        { "parked write on an unimplemented timer", c_pend_unimpl,
          HDM_E_CORRUPT },
        { "stale flag 2", c_stale2, HDM_E_CORRUPT },
        { "stale value without the flag", c_stale_val, HDM_E_CORRUPT },
        { "64-bit stale value of a 32-bit timer", c_stale_wide, HDM_E_CORRUPT },
        { "stale read on an unimplemented timer", c_stale_unimpl,
          HDM_E_CORRUPT },
        { "cmp_latency echo", c_echo_lat, HDM_E_VERSION },
        { "stale_cmp_read echo not 0 or 1", c_echo_stale, HDM_E_VERSION },
    };
    snap_setup(&a, &rec);
    hdm_hpet_save(&a, &snap);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bad = snap;
        cases[i].fn(&bad);
        before = a;
        size_t n = rec.n, dl = rec.deadlines;
        int st = hdm_hpet_restore(&a, &bad);
        CHECK(st == cases[i].want, "%s: %s, expected %s", cases[i].what,
              hdm_status_name(st), hdm_status_name(cases[i].want));
        CHECK(memcmp(&before, &a, sizeof(a)) == 0, "%s: device changed",
              cases[i].what);
        CHECK(rec.n == n && rec.deadlines == dl, "%s: callbacks",
              cases[i].what);
    }

    /* the same state in a device without the quirks: each of the stale
     * reads and the parked write alone is refused; without them it loads */
    hdm_hpet_config_t c;
    cfg_quirks(&c, 0, false);
    c.num_timers = 4;
    c.timer[3].size64 = false;
    open_dev(&b, &rec2, &c);
    hdm_hpet_save(&b, &bad);
    bad.state = snap.state;
    for (unsigned i = 0; i < 4; i++) {
        if (i != 0) {
            hdm_hpet_timer_state_t *tm = &bad.state.t[i];
            tm->pend_at = NEVER;
            tm->pend_cmp = tm->pend_cmp_mask = 0;
            tm->pend_period = tm->pend_period_mask = 0;
        }
        bad.state.t[i].stale = 0;
        bad.state.t[i].stale_cmp = 0;
    }
    CHECK(hdm_hpet_restore(&b, &bad) == HDM_E_CORRUPT,
          "parked write refused with cmp_latency 0");
    bad.state.t[3].stale = 1;
    bad.state.t[0].pend_at = NEVER;
    bad.state.t[0].pend_cmp = bad.state.t[0].pend_cmp_mask = 0;
    CHECK(hdm_hpet_restore(&b, &bad) == HDM_E_CORRUPT,
          "stale read refused without stale_cmp_read");
    bad.state.t[3].stale = 0;
    CHECK(hdm_hpet_restore(&b, &bad) == HDM_OK,
          "the same state without quirk fields refused");
}

int main(void)
{
    test_config();
    test_latency_miss();
    test_latency_window();
    test_latency_merge();
    test_stale();
    test_both();
    test_snapshot();
    printf("test_hpet_quirks: ok\n");
    return 0;
}
