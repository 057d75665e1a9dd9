/* SPDX-License-Identifier: MIT */
/*
 * The event-driven HPET core against a naive reference that steps every
 * tick (the digest's section 12 model): random configurations, policies
 * and register writes around counter wraps, with the core advanced in
 * jumps. Every line change, FSB write and register read must be identical
 * ("an event-driven model must give the same results, including for the
 * wrap events and for the ordering when several timers fire on the same
 * tick", digest 12). At random points the core is saved and restored
 * into a second instance that carries on, so every reachable state must
 * also pass restore()'s validation.
 */
#include "hpet_host.h"

#define LO32 UINT64_C(0xFFFFFFFF)

static host_rec_t rec_core, rec_core2, rec_ref;
static bool muted;

/* ---- reference model: per-tick stepping, no laziness ---------------- */

typedef struct ref {
    hdm_hpet_config_t cfg;
    hdm_tick_t now;
    uint64_t cnt;
    bool en, leg;
    uint32_t sts, hold, lines;
    uint32_t conf[HDM_HPET_MAX_TIMERS];
    uint64_t cmp[HDM_HPET_MAX_TIMERS], period[HDM_HPET_MAX_TIMERS];
    uint64_t fsb[HDM_HPET_MAX_TIMERS];
    bool armed[HDM_HPET_MAX_TIMERS];
} ref_t;

static ref_t R;

static void ref_log(int kind, unsigned line, bool level, uint64_t addr,
                    uint32_t data)
{
    hev_t e;
    memset(&e, 0, sizeof(e));
    e.kind = kind;
    e.line = line;
    e.level = level;
    e.addr = addr;
    e.data = data;
    e.tick = R.now;
    if (kind == 'i' && level) {
        rec_ref.rises[line]++;
    }
    rec_push(&rec_ref, &e);
}

static uint64_t r_cmask(void)
{
    return R.cfg.counter64 ? UINT64_MAX : LO32;
}

static bool r_is32(unsigned i)
{
    return !R.cfg.timer[i].size64 || (R.conf[i] & MODE32);
}

static uint64_t r_m(unsigned i)
{
    return r_is32(i) ? LO32 : UINT64_MAX;
}

static bool r_per(unsigned i)
{
    return (R.conf[i] & PERIODIC) != 0;
}

static unsigned r_route(unsigned i)
{
    if (R.leg && i <= 1) {
        return i == 0 ? 0 : 8;
    }
    return (R.conf[i] >> 9) & 31u;
}

static void r_update_lines(void)
{
    uint32_t v = 0;
    for (unsigned i = 0; R.en && i < R.cfg.num_timers; i++) {
        if ((R.conf[i] & LEVEL) && (R.sts & (1u << i)) &&
            !(R.conf[i] & FSB_EN) &&
            ((R.conf[i] & INT_ENB) || (R.hold & (1u << i)))) {
            v |= 1u << r_route(i);
        }
    }
    for (unsigned k = 0; k < 32; k++) {
        if ((v ^ R.lines) & (1u << k)) {
            ref_log('i', k, (v >> k) & 1u, 0, 0);
        }
    }
    R.lines = v;
}

/* distance to a value, 1..2^w (0 stands for 2^64) */
static uint64_t r_dist(uint64_t v, uint64_t c, uint64_t m)
{
    uint64_t d = (v - c) & m;
    return d ? d : m + 1u;
}

static void r_arm(unsigned i)
{
    R.armed[i] = false;
    if (R.cfg.wrap == HDM_HPET_WRAP_ONCE && R.en && !r_per(i) && r_is32(i)) {
        uint64_t dm = r_dist(R.cmp[i], R.cnt & LO32, LO32);
        uint64_t dw = r_dist(0, R.cnt & LO32, LO32);
        R.armed[i] = dm > dw;
    }
}

static void r_event(unsigned i)
{
    bool lvl = (R.conf[i] & LEVEL) != 0;
    if (lvl) {
        R.sts |= 1u << i;
    }
    if (R.conf[i] & INT_ENB) {
        if (R.conf[i] & FSB_EN) {
            ref_log('m', 0, false, R.fsb[i] >> 32, (uint32_t)R.fsb[i]);
        } else if (!lvl && !(R.lines & (1u << r_route(i)))) {
            ref_log('i', r_route(i), true, 0, 0);
            ref_log('i', r_route(i), false, 0, 0);
        }
    }
    if (lvl) {
        r_update_lines();
    }
}

static void r_step(void)
{
    R.now++;
    if (!R.en) {
        return;
    }
    R.cnt = (R.cnt + 1u) & r_cmask();
    for (unsigned i = 0; i < R.cfg.num_timers; i++) {
        uint64_t m = r_m(i);
        bool hit = (R.cnt & m) == R.cmp[i];
        bool wrapped = (R.cnt & LO32) == 0;
        bool wrap = !r_per(i) && r_is32(i) && wrapped &&
                    (R.cfg.wrap == HDM_HPET_WRAP_EVERY ||
                     (R.cfg.wrap == HDM_HPET_WRAP_ONCE && R.armed[i]));
        if (hit && r_per(i)) {
            R.cmp[i] = (R.cmp[i] + R.period[i]) & m;
        }
        if (wrapped) {
            R.armed[i] = false;
        }
        if (hit || wrap) {
            r_event(i);
        }
    }
}

static void r_reset(const hdm_hpet_config_t *cfg)
{
    memset(&R, 0, sizeof(R));
    R.cfg = *cfg;
    for (unsigned i = 0; i < cfg->num_timers; i++) {
        R.cmp[i] = cfg->timer[i].size64 ? UINT64_MAX : LO32;
    }
}

static uint64_t r_read(unsigned kind, unsigned n)
{
    const hdm_hpet_timer_caps_t *c = &R.cfg.timer[n];
    switch (kind) {
    case 0:
        return R.cnt;
    case 1:
        return (uint64_t)(R.en ? ENABLE : 0) | (R.leg ? LEG_RT : 0);
    case 2:
        return R.sts;
    case 3:
        return R.conf[n] | (c->periodic ? 0x10u : 0) | (c->size64 ? 0x20u : 0) |
               (c->fsb ? 0x8000u : 0) | (uint64_t)c->route_cap << 32;
    case 4:
        return R.cmp[n];
    default:
        return R.fsb[n];
    }
}

static void r_write(unsigned kind, unsigned n, uint64_t v, uint64_t wm)
{
    const hdm_hpet_timer_caps_t *c = &R.cfg.timer[n];
    uint32_t bit = 1u << n;
    v &= wm;
    switch (kind) {
    case 0: /* MAIN_CNT */
        if (R.en && R.cfg.counter_write == HDM_HPET_COUNTER_WRITE_IGNORE) {
            return;
        }
        R.cnt = ((R.cnt & ~wm) | v) & r_cmask();
        for (unsigned i = 0; i < R.cfg.num_timers; i++) {
            r_arm(i);
        }
        return;
    case 1: { /* GEN_CONF */
        uint64_t g = ((uint64_t)(R.en ? 1 : 0) | (R.leg ? 2 : 0));
        g = (g & ~wm) | v;
        bool en = (g & 1) != 0;
        bool changed = en != R.en;
        R.leg = R.cfg.leg_rt_cap && (g & 2);
        if (changed && !en) {
            R.hold = 0;
        }
        R.en = en;
        if (changed) {
            for (unsigned i = 0; i < R.cfg.num_timers; i++) {
                r_arm(i);
            }
        }
        r_update_lines();
        return;
    }
    case 2: { /* GINTR_STA */
        uint32_t clr = (uint32_t)(v & LO32) & R.sts;
        R.sts &= ~clr;
        R.hold &= ~clr;
        r_update_lines();
        return;
    }
    case 3: { /* Tn_CONF */
        if (!(wm & LO32)) {
            return;
        }
        uint32_t wmask = LEVEL | INT_ENB | VAL_SET | ROUTE(31) |
                         (c->periodic ? PERIODIC : 0) |
                         (c->size64 ? MODE32 : 0) | (c->fsb ? FSB_EN : 0);
        uint32_t old = R.conf[n], nv = (uint32_t)v & wmask;
        if (!(c->route_cap & (1u << ((nv >> 9) & 31)))) {
            if (R.cfg.route == HDM_HPET_ROUTE_KEEP) {
                nv = (nv & ~ROUTE(31)) | (old & ROUTE(31));
            } else if (R.cfg.route == HDM_HPET_ROUTE_ZERO) {
                nv &= ~ROUTE(31);
            }
        }
        bool drove = R.en && (old & LEVEL) && (R.sts & bit) &&
                     !(old & FSB_EN) && ((old & INT_ENB) || (R.hold & bit));
        R.conf[n] = nv;
        if ((nv & MODE32) && !(old & MODE32)) {
            R.cmp[n] &= LO32;
            R.period[n] &= LO32;
        }
        if (!(nv & LEVEL)) {
            R.sts &= ~bit;
        }
        if (R.cfg.intenb == HDM_HPET_INTENB_HOLD && drove && !(nv & INT_ENB) &&
            (nv & LEVEL) && !(nv & FSB_EN)) {
            R.hold |= bit;
        }
        if ((nv & INT_ENB) || !(nv & LEVEL) || (nv & FSB_EN) ||
            !(R.sts & bit)) {
            R.hold &= ~bit;
        }
        r_arm(n);
        r_update_lines();
        return;
    }
    case 4: { /* Tn_COMP */
        wm &= r_m(n);
        v &= wm;
        if (!wm) {
            return;
        }
        if (r_per(n)) {
            if (R.conf[n] & VAL_SET) {
                R.cmp[n] = (R.cmp[n] & ~wm) | v;
                if (R.cfg.valset == HDM_HPET_VALSET_BOTH) {
                    R.period[n] = (R.period[n] & ~wm) | v;
                }
            } else {
                R.period[n] = (R.period[n] & ~wm) | v;
            }
        } else {
            R.cmp[n] = (R.cmp[n] & ~wm) | v;
        }
        R.conf[n] &= ~VAL_SET;
        r_arm(n);
        return;
    }
    default:
        R.fsb[n] = (R.fsb[n] & ~wm) | v;
        return;
    }
}

/* ---- driver ---------------------------------------------------------- */

static uint64_t rng = 1;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t below(uint64_t n)
{
    return n ? rnd() % n : 0;
}

static uint32_t reg_off(unsigned kind, unsigned n)
{
    static const uint32_t glob[3] = { CNT, GEN, STS };
    if (kind < 3) {
        return glob[kind];
    }
    return kind == 3 ? CONF(n) : kind == 4 ? COMP(n) : FSB(n);
}

static void host_irq_mutable(void *o, unsigned line, bool level, hdm_tick_t t)
{
    if (!muted) {
        host_irq(o, line, level, t);
    }
}

static void open_core(hdm_hpet_t *d, host_rec_t *r,
                      const hdm_hpet_config_t *cfg)
{
    memset(r, 0, sizeof(*r));
    hdm_host_t h = host_of(r);
    h.irq = host_irq_mutable;
    CHECK(hdm_hpet_init(d, cfg, &h) == HDM_OK, "init");
}

static void random_config(hdm_hpet_config_t *cfg)
{
    hdm_hpet_config_default(cfg);
    cfg->num_timers = 1 + (unsigned)below(6);
    cfg->counter64 = below(4) != 0;
    cfg->leg_rt_cap = below(4) != 0;
    cfg->wrap = (hdm_hpet_wrap_policy_t)below(3);
    cfg->valset = (hdm_hpet_valset_policy_t)below(2);
    cfg->counter_write = (hdm_hpet_counter_write_policy_t)below(2);
    cfg->route = (hdm_hpet_route_policy_t)below(3);
    cfg->intenb = (hdm_hpet_intenb_policy_t)below(2);
    for (unsigned i = 0; i < cfg->num_timers; i++) {
        cfg->timer[i].size64 = cfg->counter64 && below(3) != 0;
        cfg->timer[i].periodic = below(4) != 0;
        cfg->timer[i].fsb = below(3) == 0;
        cfg->timer[i].route_cap = (uint32_t)rnd() | 0x00010004u;
    }
}

/* A value near the counter (or a wrap), or a small period. */
static uint64_t interesting(void)
{
    switch (below(6)) {
    case 0:
        return R.cnt + below(400);
    case 1:
        return (R.cnt & LO32) + below(400);
    case 2:
        return 1 + below(300);
    case 3:
        return below(40);
    case 4:
        return UINT64_C(0xFFFFFFFF) - below(64);
    default:
        return rnd();
    }
}

static unsigned long long events, reads, restores;

/* Compare the records so far, then start both afresh. */
static void check_equal(const char *what, unsigned seed)
{
    CHECK(!rec_ref.overflow && !rec_core.overflow, "seed %u: record overflow",
          seed);
    size_t n = rec_ref.n < rec_core.n ? rec_ref.n : rec_core.n;
    for (size_t i = 0; i < n; i++) {
        const hev_t *x = &rec_ref.ev[i], *y = &rec_core.ev[i];
        if (memcmp(x, y, sizeof(*x)) != 0) {
            fail("seed %u (%s): event %zu: reference %c line %u=%d "
                 "0x%llx<-0x%x at %llu, core %c line %u=%d 0x%llx<-0x%x at "
                 "%llu",
                 seed, what, i, x->kind, x->line, x->level, (ull)x->addr,
                 x->data, (ull)x->tick, y->kind, y->line, y->level,
                 (ull)y->addr, y->data, (ull)y->tick);
        }
    }
    CHECK(rec_ref.n == rec_core.n,
          "seed %u (%s): %zu reference events, %zu "
          "core events",
          seed, what, rec_ref.n, rec_core.n);
    events += rec_ref.n;
    rec_ref.n = rec_core.n = 0;
}

static void run_seed(unsigned seed)
{
    static hdm_hpet_t devs[2];
    static hdm_hpet_snapshot_t snap;
    hdm_hpet_config_t cfg;
    rng = 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed * 0x2545F4914F6CDD1Dull);
    random_config(&cfg);
    r_reset(&cfg);
    memset(&rec_ref, 0, sizeof(rec_ref));
    int cur = 0;
    open_core(&devs[0], &rec_core, &cfg);
    hdm_hpet_t *d = &devs[0];
    for (int op = 0; op < 600; op++) {
        hdm_tick_t dt = below(8) == 0 ? below(3000) : below(40);
        for (hdm_tick_t k = 0; k < dt; k++) {
            r_step();
        }
        if (below(2)) {
            CHECK(hdm_hpet_advance_to(d, R.now) == HDM_OK, "advance");
        }
        char what[32];
        snprintf(what, sizeof(what), "op %d", op);
        unsigned n = (unsigned)below(cfg.num_timers);
        unsigned kind = (unsigned)below(6);
        unsigned size = below(3) ? 8u : 4u;
        bool hi = size == 4 && below(3) == 0;
        uint32_t off = reg_off(kind, n) + (hi ? 4u : 0u);
        uint64_t wm = size == 8 ? UINT64_MAX : hi ? ~LO32 : LO32;
        if (below(3) == 0) {
            uint64_t got = 0;
            CHECK(hdm_hpet_read(d, R.now, off, size, &got, 0) == HDM_OK,
                  "read");
            uint64_t want = r_read(kind, n);
            want = size == 8 ? want : hi ? want >> 32 : want & LO32;
            CHECK(got == want,
                  "seed %u op %d: read 0x%03x/%u at %llu: core "
                  "0x%llx, reference 0x%llx",
                  seed, op, off, size, (ull)R.now, (ull)got, (ull)want);
            reads++;
            check_equal(what, seed);
            continue;
        }
        uint64_t v;
        switch (kind) {
        case 0:
            v = below(2) ? UINT64_C(0xFFFFFF00) + below(200)
                         : (below(2) ? UINT64_MAX - below(300) : below(1000));
            if (below(2)) {
                v |= rnd() << 32;
            }
            break;
        case 1:
            v = below(5) ? ENABLE | (below(3) ? 0 : LEG_RT) : below(4);
            break;
        case 2:
            v = rnd();
            break;
        case 3: {
            static const unsigned routes[] = { 2, 8, 16, 0, 5, 20 };
            v = (rnd() &
                 (LEVEL | INT_ENB | PERIODIC | VAL_SET | MODE32 | FSB_EN)) |
                ROUTE(routes[below(6)]);
            if (below(3)) {
                v |= INT_ENB;
            }
            break;
        }
        case 4:
            v = interesting();
            break;
        default:
            v = rnd();
            break;
        }
        if (size == 4) {
            v = hi ? v >> 32 : v & LO32;
        }
        CHECK(hdm_hpet_write(d, R.now, off, size, v, 0) == HDM_OK, "write");
        r_write(kind, n, hi ? v << 32 : v, wm);
        if (below(40) == 0) {
            /* snapshot into the other instance and carry on there; the
             * restore's own line reports go to a scratch record */
            hdm_hpet_save(d, &snap);
            int other = 1 - cur;
            open_core(&devs[other], &rec_core2, &cfg);
            muted = true;
            int st = hdm_hpet_restore(&devs[other], &snap);
            muted = false;
            CHECK(st == HDM_OK, "seed %u op %d: own snapshot refused: %s", seed,
                  op, hdm_status_name(st));
            devs[other].host.opaque = &rec_core;
            cur = other;
            d = &devs[cur];
            restores++;
        }
        check_equal(what, seed);
    }
    for (int k = 0; k < 5000; k++) {
        r_step();
    }
    CHECK(hdm_hpet_advance_to(d, R.now) == HDM_OK, "final advance");
    check_equal("end", seed);
}

int main(void)
{
    for (unsigned seed = 1; seed <= 400; seed++) {
        run_seed(seed);
    }
    printf("test_hpet_reference: ok (400 random runs, %llu events, %llu "
           "reads, %llu snapshot hand-overs)\n",
           events, reads, restores);
    return 0;
}
