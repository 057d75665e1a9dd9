/* SPDX-License-Identifier: MIT */
/*
 * hdm HPET core. Citations: [S x.y] = IA-PC HPET Specification rev 1.0a
 * sections; [Rn] / [Pn] / [digest x] = rules, policy points and sections
 * of the implementer digest ../shared/specs/hpet.md; [REC] = the digest's
 * recommended choice where the spec is silent, listed with the config
 * switches in docs/models/hpet.md (Deviations).
 *
 * Time model. The main counter is never stepped: while ENABLE_CNF=1 it is
 * cnt + (t - cnt_tick) (masked to its width), otherwise the held cnt. The
 * counter "takes" a value at the tick it is incremented to it, so a value
 * it already holds (after a write or when enabled) matches only when it
 * comes round again [R7]. A comparator match or a 32-bit wrap is an event;
 * the first event after a tick is found in closed form (distance of the
 * low 32 or 64 bits).
 *
 * Lazy timers. A timer needs its events processed one by one only if they
 * can change an output or a visible bit: the counter runs and either the
 * interrupt is enabled in edge or FSB mode, or the timer is in level mode
 * with its status bit still 0 ("live"). Every other timer has next=NEVER;
 * its periodic accumulator is caught up in closed form (timer_sync) when
 * it is looked at or before anything about it changes. Invariant: every
 * event at a tick <= t[i].at has been applied to timer i, and between
 * t[i].at and now neither the counter trajectory nor the timer changed.
 *
 * Quirks (docs/models/hpet.md, Quirks). cmp_latency = N > 0: a comparator
 * write at tick W decides at once what it loads (VAL_SET is consumed then)
 * but parks the bits in pend_* and lands them at W + N, one scheduled
 * event, as if written at that tick; writes before it merge and restart
 * the delay. cmp/period are always what the datapath uses. stale_cmp_read:
 * a write keeps the value a read returned before it in stale_cmp; the next
 * non-debug read of Tn_COMP returns it and clears it.
 *
 * Structure: every public entry point first runs the event loop up to its
 * tick (run_to), applies its change, re-derives the lines (update_lines)
 * where their inputs changed, and reports a moved deadline.
 */
#include "hdm/hpet.h"
#include "hdm/hpet_regs.h"

#include <stddef.h>
#include "core_common.h"

#include <string.h>

#define NEVER  HDM_TICK_NEVER
#define BIT(n) (1u << (n))

#define LO32 UINT64_C(0xFFFFFFFF)
#define HI32 UINT64_C(0xFFFFFFFF00000000)

/* GEN_CONF [S 2.3.5] */
#define GEN_ENABLE HDM_HPET_GEN_CONF_ENABLE_CNF_Msk
#define GEN_LEG    HDM_HPET_GEN_CONF_LEG_RT_CNF_Msk

/* Tn_CONF bits 31:0 [S 2.3.8] */
#define CONF_LEVEL    ((uint32_t)HDM_HPET_TN_CONF_TN_INT_TYPE_CNF_Msk)
#define CONF_ENB      ((uint32_t)HDM_HPET_TN_CONF_TN_INT_ENB_CNF_Msk)
#define CONF_PER      ((uint32_t)HDM_HPET_TN_CONF_TN_TYPE_CNF_Msk)
#define CAP_PER       ((uint32_t)HDM_HPET_TN_CONF_TN_PER_INT_CAP_Msk)
#define CAP_SIZE      ((uint32_t)HDM_HPET_TN_CONF_TN_SIZE_CAP_Msk)
#define CONF_VALSET   ((uint32_t)HDM_HPET_TN_CONF_TN_VAL_SET_CNF_Msk)
#define CONF_32MODE   ((uint32_t)HDM_HPET_TN_CONF_TN_32MODE_CNF_Msk)
#define CONF_ROUTE    ((uint32_t)HDM_HPET_TN_CONF_TN_INT_ROUTE_CNF_Msk)
#define ROUTE_POS     HDM_HPET_TN_CONF_TN_INT_ROUTE_CNF_Pos
#define CONF_FSB_EN   ((uint32_t)HDM_HPET_TN_CONF_TN_FSB_EN_CNF_Msk)
#define CAP_FSB       ((uint32_t)HDM_HPET_TN_CONF_TN_FSB_INT_DEL_CAP_Msk)
#define ROUTE_CAP_POS HDM_HPET_TN_CONF_TN_INT_ROUTE_CAP_Pos

/* Offsets of a timer's registers inside its 0x20-byte block. */
#define TIMER_BASE HDM_HPET_T0_CONF_OFFSET
#define TIMER_CONF (HDM_HPET_T0_CONF_OFFSET - TIMER_BASE)
#define TIMER_COMP (HDM_HPET_T0_COMP_OFFSET - TIMER_BASE)
#define TIMER_FSB  (HDM_HPET_T0_FSB_ROUTE_OFFSET - TIMER_BASE)

/* LegacyReplacement outputs [S 2.4.2.1]: see hdm/hpet.h for the lines. */
#define LEG_LINE_T0 0u
#define LEG_LINE_T1 8u

/* ------------------------------------------------------------------ */
/* Configuration-derived properties                                    */
/* ------------------------------------------------------------------ */

static inline bool running(const hdm_hpet_t *dev)
{
    return (dev->s.gen_conf & GEN_ENABLE) != 0;
}

static inline uint64_t cnt_mask(const hdm_hpet_t *dev)
{
    return dev->cfg.counter64 ? UINT64_MAX : LO32; /* [R1] */
}

/* 32-bit compare: a 32-bit timer or Tn_32MODE_CNF=1 [R6, R18, R20]. */
static inline bool is32(const hdm_hpet_t *dev, unsigned i)
{
    return !dev->cfg.timer[i].size64 || (dev->s.t[i].conf & CONF_32MODE);
}

static inline uint64_t cmp_mask(const hdm_hpet_t *dev, unsigned i)
{
    return is32(dev, i) ? LO32 : UINT64_MAX;
}

/* TYPE_CNF is only storable with PER_INT_CAP [S 2.3.8 bit 3]. */
static inline bool periodic(const hdm_hpet_t *dev, unsigned i)
{
    return (dev->s.t[i].conf & CONF_PER) != 0;
}

static inline bool level(const hdm_hpet_t *dev, unsigned i)
{
    return (dev->s.t[i].conf & CONF_LEVEL) != 0;
}

/* FSB_EN_CNF is only storable with FSB_INT_DEL_CAP [P14]. */
static inline bool fsb_on(const hdm_hpet_t *dev, unsigned i)
{
    return (dev->s.t[i].conf & CONF_FSB_EN) != 0;
}

/* Tn_CONF bits a write can change for timer i [S 2.3.8, P13, P14]. */
static uint32_t conf_wmask(const hdm_hpet_t *dev, unsigned i)
{
    const hdm_hpet_timer_caps_t *c = &dev->cfg.timer[i];
    uint32_t m = CONF_LEVEL | CONF_ENB | CONF_VALSET | CONF_ROUTE;
    if (c->periodic) {
        m |= CONF_PER;
    }
    if (c->size64) {
        m |= CONF_32MODE;
    }
    if (c->fsb) {
        m |= CONF_FSB_EN;
    }
    return m;
}

static uint64_t gen_wmask(const hdm_hpet_t *dev)
{
    return GEN_ENABLE | (dev->cfg.leg_rt_cap ? GEN_LEG : 0); /* [P13] */
}

static uint64_t gcap_id(const hdm_hpet_t *dev)
{
    const hdm_hpet_config_t *c = &dev->cfg;
    uint64_t v = (uint64_t)c->period_fs
                 << HDM_HPET_GCAP_ID_COUNTER_CLK_PERIOD_Pos;
    v |= (uint64_t)c->vendor_id << HDM_HPET_GCAP_ID_VENDOR_ID_Pos;
    if (c->leg_rt_cap) {
        v |= HDM_HPET_GCAP_ID_LEG_RT_CAP_Msk;
    }
    if (c->counter64) {
        v |= HDM_HPET_GCAP_ID_COUNT_SIZE_CAP_Msk;
    }
    v |= (uint64_t)(c->num_timers - 1u) << HDM_HPET_GCAP_ID_NUM_TIM_CAP_Pos;
    v |= c->rev_id;
    return v; /* [S 2.3.4] */
}

static uint64_t conf_read(const hdm_hpet_t *dev, unsigned i)
{
    const hdm_hpet_timer_caps_t *c = &dev->cfg.timer[i];
    uint64_t v = dev->s.t[i].conf;
    if (c->periodic) {
        v |= CAP_PER;
    }
    if (c->size64) {
        v |= CAP_SIZE;
    }
    if (c->fsb) {
        v |= CAP_FSB;
    }
    return v | (uint64_t)c->route_cap << ROUTE_CAP_POS; /* [S 2.3.8] */
}

/* ------------------------------------------------------------------ */
/* Main counter and event arithmetic [S 2.3.7, 2.3.9; R1, R2, R5, R7]  */
/* ------------------------------------------------------------------ */

static inline uint64_t counter_at(const hdm_hpet_t *dev, hdm_tick_t t)
{
    const hdm_hpet_state_t *s = &dev->s;
    if (!running(dev)) {
        return s->cnt; /* [R2] halted: holds */
    }
    return (s->cnt + (t - s->cnt_tick)) & cnt_mask(dev);
}

/*
 * Ticks until the bits @a mask (32 or 64 low bits) of a counter now at
 * @a c take the value @a v: 1 .. 2^width. A value the counter holds now is
 * taken again only after a full wrap [R5, R7]; UINT64_MAX stands for 2^64.
 */
static inline uint64_t dist(uint64_t v, uint64_t c, uint64_t mask)
{
    uint64_t d = (v - c) & mask;
    if (d == 0) {
        return mask == UINT64_MAX ? UINT64_MAX : mask + 1u;
    }
    return d;
}

/* t + d, or NEVER when beyond HDM_TICK_MAX (unreachable). t <= MAX. */
static inline hdm_tick_t after(hdm_tick_t t, uint64_t d)
{
    return d > HDM_TICK_MAX - t ? NEVER : t + d;
}

/* One-shot 32-bit timers also fire when counter[31:0] wraps [R11, P2]. */
static bool wrap_applies(const hdm_hpet_t *dev, unsigned i)
{
    if (periodic(dev, i) || !is32(dev, i)) {
        return false;
    }
    switch (dev->cfg.wrap) {
    case HDM_HPET_WRAP_EVERY:
        return true;
    case HDM_HPET_WRAP_ONCE:
        return dev->s.t[i].wrap_armed != 0;
    default:
        return false;
    }
}

/* First tick > ref at which timer i's comparator matches (counter runs). */
static hdm_tick_t first_match_after(const hdm_hpet_t *dev, unsigned i,
                                    hdm_tick_t ref)
{
    uint64_t m = cmp_mask(dev, i);
    return after(ref, dist(dev->s.t[i].cmp, counter_at(dev, ref) & m, m));
}

/* First tick > ref at which counter[31:0] wraps to 0 (counter runs). */
static hdm_tick_t first_wrap_after(const hdm_hpet_t *dev, hdm_tick_t ref)
{
    return after(ref, dist(0, counter_at(dev, ref) & LO32, LO32));
}

static hdm_tick_t first_event_after(const hdm_hpet_t *dev, unsigned i,
                                    hdm_tick_t ref)
{
    if (!running(dev)) {
        return NEVER; /* [R8] no events while halted */
    }
    hdm_tick_t t = first_match_after(dev, i, ref);
    if (wrap_applies(dev, i)) {
        hdm_tick_t w = first_wrap_after(dev, ref);
        t = w < t ? w : t;
    }
    return t;
}

/* Whether timer i's events can change an output or a status bit. */
static bool live(const hdm_hpet_t *dev, unsigned i)
{
    if (!running(dev)) {
        return false;
    }
    uint32_t conf = dev->s.t[i].conf;
    if ((conf & CONF_ENB) && (!(conf & CONF_LEVEL) || (conf & CONF_FSB_EN))) {
        return true; /* every event is a pulse or an FSB message */
    }
    return (conf & CONF_LEVEL) && !(dev->s.sts & BIT(i)); /* STS will set */
}

/*
 * Apply, in closed form, every event of timer i in (at, t]. Only used on
 * timers whose events change nothing but the accumulator (and, for the
 * ONCE wrap policy, the armed flag): a live timer has none pending.
 */
static void timer_sync(hdm_hpet_t *dev, unsigned i, hdm_tick_t t)
{
    hdm_hpet_timer_state_t *tm = &dev->s.t[i];
    if (t <= tm->at) {
        return;
    }
    if (!running(dev)) {
        tm->at = t;
        return;
    }
    hdm_tick_t first = first_match_after(dev, i, tm->at);
    if (first <= t) {
        if (periodic(dev, i)) {
            /* [R12] k matches add k periods, modulo the timer width */
            uint64_t m = cmp_mask(dev, i);
            uint64_t pd = dist(tm->period, 0, m);
            uint64_t k = 1;
            if (pd != UINT64_MAX) {
                k += (t - first) / pd;
            }
            tm->cmp = (tm->cmp + k * tm->period) & m;
        }
        if (level(dev, i)) {
            dev->s.sts |= BIT(i); /* [R24] */
        }
    }
    if (tm->wrap_armed && first_wrap_after(dev, tm->at) <= t) {
        tm->wrap_armed = 0;
    }
    tm->at = t;
}

static void timer_sync_all(hdm_hpet_t *dev, hdm_tick_t t)
{
    for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
        timer_sync(dev, i, t);
    }
}

/* Schedule timer i from tick t (synced to t). */
static void resched(hdm_hpet_t *dev, unsigned i, hdm_tick_t t)
{
    hdm_hpet_timer_state_t *tm = &dev->s.t[i];
    tm->at = t;
    tm->next = live(dev, i) ? first_event_after(dev, i, t) : NEVER;
}

/*
 * The timer was programmed at t (Tn_CONF or comparator write, counter
 * write, ENABLE_CNF 0->1): under the ONCE wrap policy, arm one wrap event
 * if the match lies beyond the next wrap of counter[31:0] [P2, digest 9].
 */
static void rearm(hdm_hpet_t *dev, unsigned i, hdm_tick_t t)
{
    hdm_hpet_timer_state_t *tm = &dev->s.t[i];
    tm->wrap_armed = 0;
    if (dev->cfg.wrap == HDM_HPET_WRAP_ONCE && running(dev) &&
        !periodic(dev, i) && is32(dev, i)) {
        tm->wrap_armed =
            first_match_after(dev, i, t) > first_wrap_after(dev, t) ? 1u : 0u;
    }
    resched(dev, i, t);
}

/* ------------------------------------------------------------------ */
/* Interrupt routing and lines [S 2.3.5, 2.3.8, 2.4.2; R22-R26]        */
/* ------------------------------------------------------------------ */

static unsigned route_line(const hdm_hpet_t *dev, unsigned i)
{
    if ((dev->s.gen_conf & GEN_LEG) && i <= 1) {
        return i == 0 ? LEG_LINE_T0 : LEG_LINE_T1; /* [S 2.4.2.1] */
    }
    return (dev->s.t[i].conf & CONF_ROUTE) >> ROUTE_POS; /* [S 2.4.2.2] */
}

/*
 * Wired OR of the level-mode timers [R24, P7]: STS and (INT_ENB, or held
 * under the HOLD policy) and ENABLE_CNF and not FSB [P8, P17].
 */
static uint32_t derived_lines(const hdm_hpet_t *dev)
{
    const hdm_hpet_state_t *s = &dev->s;
    uint32_t v = 0;
    if (!running(dev)) {
        return 0; /* [R26] */
    }
    for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
        uint32_t conf = s->t[i].conf;
        if ((conf & CONF_LEVEL) && (s->sts & BIT(i)) && !(conf & CONF_FSB_EN) &&
            ((conf & CONF_ENB) || (s->hold & BIT(i)))) {
            v |= BIT(route_line(dev, i));
        }
    }
    return v;
}

static void update_lines(hdm_hpet_t *dev, hdm_tick_t t)
{
    hdm_hpet_state_t *s = &dev->s;
    uint32_t v = derived_lines(dev);
    uint32_t d = v ^ s->lines;
    s->lines = v;
    for (unsigned k = 0; d && k < HDM_HPET_LINES; k++) {
        if ((d & BIT(k)) && dev->host.irq) {
            dev->host.irq(dev->host.opaque, k, (v >> k) & 1u, t);
        }
    }
}

/* An edge-mode event: a pulse, unless a level source holds the line. */
static void pulse(hdm_hpet_t *dev, unsigned line, hdm_tick_t t)
{
    if (!(dev->s.lines & BIT(line)) && dev->host.irq) {
        dev->host.irq(dev->host.opaque, line, true, t);
        dev->host.irq(dev->host.opaque, line, false, t);
    }
}

/* Deliver one event of timer i at tick t (the counter runs) [R23, R24]. */
static void deliver(hdm_hpet_t *dev, unsigned i, hdm_tick_t t)
{
    hdm_hpet_state_t *s = &dev->s;
    hdm_hpet_timer_state_t *tm = &s->t[i];
    bool lvl = level(dev, i);
    if (lvl) {
        s->sts |= BIT(i); /* even with INT_ENB=0 [S 2.3.8 bit 2, R8] */
    }
    if (tm->conf & CONF_ENB) {
        if (fsb_on(dev, i)) {
            /* [S 2.4.2.3, 5.3] FSB wins over LegacyReplacement [P8] */
            if (dev->host.bus_write32) {
                dev->host.bus_write32(dev->host.opaque, tm->fsb >> 32,
                                      (uint32_t)(tm->fsb & LO32), t);
            }
        } else if (!lvl) {
            pulse(dev, route_line(dev, i), t);
        }
    }
    if (lvl) {
        update_lines(dev, t);
    }
}

/* Process the event of timer i due at tick t. */
static void timer_event(hdm_hpet_t *dev, unsigned i, hdm_tick_t t)
{
    hdm_hpet_timer_state_t *tm = &dev->s.t[i];
    uint64_t c = counter_at(dev, t);
    uint64_t m = cmp_mask(dev, i);
    if ((c & m) == tm->cmp && periodic(dev, i)) {
        tm->cmp = (tm->cmp + tm->period) & m; /* [R12] */
    }
    if (tm->wrap_armed && (c & LO32) == 0) {
        tm->wrap_armed = 0; /* the one wrap event of the ONCE policy */
    }
    tm->at = t;
    deliver(dev, i, t);
    tm->next = live(dev, i) ? first_event_after(dev, i, t) : NEVER;
}

/*
 * The comparator write(s) of timer i parked by cmp_latency reach the
 * datapath at tick t, after the timer's own event at t (if any), as if
 * written at t [digest 10]: matches from t + 1 on use the new values.
 */
static void pending_land(hdm_hpet_t *dev, unsigned i, hdm_tick_t t)
{
    hdm_hpet_timer_state_t *tm = &dev->s.t[i];
    timer_sync(dev, i, t); /* old comparator and period up to t */
    tm->cmp = (tm->cmp & ~tm->pend_cmp_mask) | tm->pend_cmp;
    tm->period = (tm->period & ~tm->pend_period_mask) | tm->pend_period;
    tm->pend_at = NEVER;
    tm->pend_cmp = tm->pend_cmp_mask = 0;
    tm->pend_period = tm->pend_period_mask = 0;
    rearm(dev, i, t);
}

/* ------------------------------------------------------------------ */
/* Event loop                                                          */
/* ------------------------------------------------------------------ */

/* Earliest timer event or landing of a delayed comparator write. */
static hdm_tick_t next_event(const hdm_hpet_t *dev)
{
    hdm_tick_t n = NEVER;
    for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
        if (dev->s.t[i].next < n) {
            n = dev->s.t[i].next;
        }
        if (dev->s.t[i].pend_at < n) {
            n = dev->s.t[i].pend_at;
        }
    }
    return n;
}

static void report_deadline(hdm_hpet_t *dev)
{
    hdm_core_report_deadline(&dev->host, &dev->s.deadline, next_event(dev));
}

/*
 * Events in tick order; timers due at the same tick in index order, then
 * the delayed comparator writes landing at that tick (in index order).
 */
static void process_events(hdm_hpet_t *dev, hdm_tick_t now)
{
    hdm_hpet_state_t *s = &dev->s;
    for (;;) {
        hdm_tick_t t = NEVER;
        unsigned who = 0;
        bool land = false;
        for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
            if (s->t[i].next < t) {
                t = s->t[i].next;
                who = i;
            }
        }
        for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
            if (s->t[i].pend_at < t) {
                t = s->t[i].pend_at;
                who = i;
                land = true;
            }
        }
        if (t > now) {
            break;
        }
        s->now = t;
        if (land) {
            pending_land(dev, who, t);
        } else {
            timer_event(dev, who, t);
        }
    }
    s->now = now;
    report_deadline(dev);
}

/* Common prologue: refuse the past, process events up to now. */
static int run_to(hdm_hpet_t *dev, hdm_tick_t now)
{
    int st = hdm_core_tick_check(now, dev->s.now);
    if (st != HDM_OK) {
        return st;
    }
    if (now < dev->s.deadline) {
        /* fast path: dev->s.deadline == next_event() after every call */
        dev->s.now = now;
        return HDM_OK;
    }
    process_events(dev, now);
    return HDM_OK;
}

/* ------------------------------------------------------------------ */
/* Lifecycle                                                           */
/* ------------------------------------------------------------------ */

void hdm_hpet_config_default(hdm_hpet_config_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->num_timers = 3;
    cfg->counter64 = true;
    cfg->leg_rt_cap = true;
    cfg->period_fs = 10000000u; /* 10 ns */
    cfg->vendor_id = 0x8086u;
    cfg->rev_id = 1u;
    for (unsigned i = 0; i < HDM_HPET_MAX_TIMERS; i++) {
        cfg->timer[i].size64 = true;
        cfg->timer[i].periodic = true;
        cfg->timer[i].route_cap = 0x00FF0104u;
    }
}

static void reset_state(hdm_hpet_t *dev, hdm_tick_t now)
{
    hdm_hpet_state_t *s = &dev->s;
    uint32_t lines = s->lines;
    hdm_tick_t deadline = s->deadline;
    memset(s, 0, sizeof(*s));
    s->now = now;
    s->cnt_tick = now;
    s->lines = lines;
    s->deadline = deadline;
    for (unsigned i = 0; i < HDM_HPET_MAX_TIMERS; i++) {
        s->t[i].next = NEVER;
        s->t[i].pend_at = NEVER;
        if (i < dev->cfg.num_timers) {
            /* [S 2.3.9.1, 3.1] comparators reset to all ones */
            s->t[i].cmp = dev->cfg.timer[i].size64 ? UINT64_MAX : LO32;
            s->t[i].at = now;
        }
    }
}

static bool config_ok(const hdm_hpet_config_t *c)
{
    if (c->num_timers < 1 || c->num_timers > HDM_HPET_MAX_TIMERS ||
        c->period_fs == 0 || c->period_fs > HDM_HPET_PERIOD_MAX_FS ||
        c->rev_id == 0 || (unsigned)c->wrap > HDM_HPET_WRAP_NONE ||
        (unsigned)c->valset > HDM_HPET_VALSET_ACCUMULATOR ||
        (unsigned)c->counter_write > HDM_HPET_COUNTER_WRITE_IGNORE ||
        (unsigned)c->route > HDM_HPET_ROUTE_ZERO ||
        (unsigned)c->intenb > HDM_HPET_INTENB_HOLD ||
        c->cmp_latency > HDM_HPET_CMP_LATENCY_MAX) {
        return false;
    }
    for (unsigned i = 0; i < c->num_timers; i++) {
        if (c->timer[i].size64 && !c->counter64) {
            return false;
        }
    }
    return true;
}

int hdm_hpet_init(hdm_hpet_t *dev, const hdm_hpet_config_t *cfg,
                  const hdm_host_t *host)
{
    if (dev == NULL || cfg == NULL || !config_ok(cfg)) {
        return HDM_E_INVAL;
    }
    memset(dev, 0, sizeof(*dev));
    hdm_hpet_config_t *c = &dev->cfg;
    c->num_timers = cfg->num_timers;
    c->counter64 = cfg->counter64;
    c->leg_rt_cap = cfg->leg_rt_cap;
    c->period_fs = cfg->period_fs;
    c->vendor_id = cfg->vendor_id;
    c->rev_id = cfg->rev_id;
    c->wrap = cfg->wrap;
    c->valset = cfg->valset;
    c->counter_write = cfg->counter_write;
    c->route = cfg->route;
    c->intenb = cfg->intenb;
    c->cmp_latency = cfg->cmp_latency;
    c->stale_cmp_read = cfg->stale_cmp_read;
    for (unsigned i = 0; i < cfg->num_timers; i++) {
        c->timer[i] = cfg->timer[i];
    }
    if (host) {
        dev->host = *host;
    }
    dev->s.deadline = NEVER;
    reset_state(dev, 0);
    return HDM_OK;
}

void hdm_hpet_reset(hdm_hpet_t *dev, hdm_tick_t now)
{
    if (now < dev->s.now || now > HDM_TICK_MAX) {
        now = dev->s.now;
    }
    reset_state(dev, now);
    update_lines(dev, now);
    report_deadline(dev);
}

int hdm_hpet_advance_to(hdm_hpet_t *dev, hdm_tick_t now)
{
    return run_to(dev, now);
}

int hdm_hpet_tick(hdm_hpet_t *dev)
{
    return hdm_hpet_advance_to(dev, dev->s.now + 1u);
}

hdm_tick_t hdm_hpet_now(const hdm_hpet_t *dev)
{
    return dev->s.now;
}

hdm_tick_t hdm_hpet_next_event(const hdm_hpet_t *dev)
{
    return next_event(dev);
}

uint32_t hdm_hpet_mmio_size(const hdm_hpet_t *dev)
{
    /* [S 2.1.1, digest 2 REC]: 1 KiB, extended for more than 24 timers */
    uint32_t end = TIMER_BASE + HDM_HPET_TN_CONF_STRIDE * dev->cfg.num_timers;
    return end > HDM_HPET_MMIO_SIZE ? end : HDM_HPET_MMIO_SIZE;
}

uint64_t hdm_hpet_counter(const hdm_hpet_t *dev)
{
    return counter_at(dev, dev->s.now);
}

bool hdm_hpet_irq_level(const hdm_hpet_t *dev, unsigned line)
{
    return line < HDM_HPET_LINES && ((dev->s.lines >> line) & 1u);
}

bool hdm_hpet_legacy_route(const hdm_hpet_t *dev)
{
    return (dev->s.gen_conf & GEN_LEG) != 0;
}

/* ------------------------------------------------------------------ */
/* Register access [S 2.3]                                             */
/* ------------------------------------------------------------------ */

enum reg_kind {
    REG_NONE = 0,
    REG_GCAP_ID,
    REG_GEN_CONF,
    REG_GINTR_STA,
    REG_MAIN_CNT,
    REG_TN_CONF,
    REG_TN_COMP,
    REG_TN_FSB_ROUTE,
};

/* Register at 64-bit aligned offset @a reg [S 2.3.1 Table 2, P10]. */
static enum reg_kind reg_decode(const hdm_hpet_t *dev, uint32_t reg,
                                unsigned *timer)
{
    switch (reg) {
    case HDM_HPET_GCAP_ID_OFFSET:
        return REG_GCAP_ID;
    case HDM_HPET_GEN_CONF_OFFSET:
        return REG_GEN_CONF;
    case HDM_HPET_GINTR_STA_OFFSET:
        return REG_GINTR_STA;
    case HDM_HPET_MAIN_CNT_OFFSET:
        return REG_MAIN_CNT;
    default:
        break;
    }
    if (reg < TIMER_BASE) {
        return REG_NONE;
    }
    uint32_t n = (reg - TIMER_BASE) / HDM_HPET_TN_CONF_STRIDE;
    uint32_t r = (reg - TIMER_BASE) % HDM_HPET_TN_CONF_STRIDE;
    if (n >= dev->cfg.num_timers) {
        return REG_NONE; /* unimplemented timer or beyond the window */
    }
    *timer = n;
    switch (r) {
    case TIMER_CONF:
        return REG_TN_CONF;
    case TIMER_COMP:
        return REG_TN_COMP;
    case TIMER_FSB:
        return REG_TN_FSB_ROUTE;
    default:
        return REG_NONE; /* 0x118 + 0x20 * N */
    }
}

/* Tn_COMP as programmed: the datapath value with a parked write over it. */
static uint64_t comp_programmed(const hdm_hpet_t *dev, unsigned n)
{
    const hdm_hpet_timer_state_t *tm = &dev->s.t[n];
    return (tm->cmp & ~tm->pend_cmp_mask) | tm->pend_cmp;
}

/*
 * Tn_COMP read: the next match value [R13] as programmed (bits 63:32 are
 * 0 in 32-bit mode), or under stale_cmp_read the value from before the
 * last write, once; a debug read does not consume it [digest 10].
 */
static uint64_t comp_read(hdm_hpet_t *dev, unsigned n, bool debug)
{
    hdm_hpet_timer_state_t *tm = &dev->s.t[n];
    timer_sync(dev, n, dev->s.now);
    if (tm->stale) {
        uint64_t v = tm->stale_cmp;
        if (!debug) {
            tm->stale = 0;
            tm->stale_cmp = 0;
        }
        return v;
    }
    return comp_programmed(dev, n);
}

static uint64_t reg_read(hdm_hpet_t *dev, enum reg_kind k, unsigned n,
                         bool debug)
{
    hdm_hpet_state_t *s = &dev->s;
    switch (k) {
    case REG_GCAP_ID:
        return gcap_id(dev);
    case REG_GEN_CONF:
        return s->gen_conf;
    case REG_GINTR_STA:
        return s->sts; /* edge timers and unimplemented bits read 0 [P6] */
    case REG_MAIN_CNT:
        return counter_at(dev, s->now); /* live, not latched [S 2.4.7] */
    case REG_TN_CONF:
        return conf_read(dev, n);
    case REG_TN_COMP:
        return comp_read(dev, n, debug);
    case REG_TN_FSB_ROUTE:
        return s->t[n].fsb;
    default:
        return 0;
    }
}

static void write_gen_conf(hdm_hpet_t *dev, hdm_tick_t now, uint64_t v)
{
    hdm_hpet_state_t *s = &dev->s;
    v &= gen_wmask(dev);
    if ((s->gen_conf ^ v) & GEN_ENABLE) {
        timer_sync_all(dev, now);
        if (v & GEN_ENABLE) {
            s->cnt_tick = now; /* [R2] resumes from the held value */
        } else {
            s->cnt = counter_at(dev, now); /* [R2] holds */
            s->cnt_tick = now;
            s->hold = 0;
        }
        s->gen_conf = v;
        for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
            rearm(dev, i, now);
        }
    } else {
        s->gen_conf = v; /* LEG_RT_CNF only moves routes [R3] */
    }
    update_lines(dev, now);
}

static void write_gintr_sta(hdm_hpet_t *dev, hdm_tick_t now, uint32_t v)
{
    hdm_hpet_state_t *s = &dev->s;
    uint32_t clr = v & s->sts; /* write 1 to clear; 0 has no effect [S 2.3.6] */
    if (!clr) {
        return;
    }
    for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
        if (clr & BIT(i)) {
            timer_sync(dev, i, now);
        }
    }
    s->sts &= ~clr;
    s->hold &= ~clr;
    for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
        if (clr & BIT(i)) {
            resched(dev, i, now);
        }
    }
    update_lines(dev, now);
}

static void write_main_cnt(hdm_hpet_t *dev, hdm_tick_t now, uint64_t v,
                           uint64_t wmask)
{
    hdm_hpet_state_t *s = &dev->s;
    if (running(dev) &&
        dev->cfg.counter_write == HDM_HPET_COUNTER_WRITE_IGNORE) {
        return; /* [P9] QEMU-style: lost */
    }
    /* [R4, P9] no comparator changes; the count continues from the value
     * written and the values skipped produce no events */
    timer_sync_all(dev, now);
    uint64_t c = counter_at(dev, now);
    s->cnt = ((c & ~wmask) | (v & wmask)) & cnt_mask(dev);
    s->cnt_tick = now;
    for (unsigned i = 0; i < dev->cfg.num_timers; i++) {
        rearm(dev, i, now);
    }
}

static void write_tn_conf(hdm_hpet_t *dev, hdm_tick_t now, unsigned n,
                          uint32_t v)
{
    hdm_hpet_state_t *s = &dev->s;
    hdm_hpet_timer_state_t *tm = &s->t[n];
    uint32_t bit = BIT(n);
    timer_sync(dev, n, now);
    uint32_t old = tm->conf;
    uint32_t nv = v & conf_wmask(dev, n);
    unsigned route = (nv & CONF_ROUTE) >> ROUTE_POS;
    if (!(dev->cfg.timer[n].route_cap & BIT(route))) {
        /* [S 2.3.8] unsupported route: "read back will not match" [P12] */
        if (dev->cfg.route == HDM_HPET_ROUTE_KEEP) {
            nv = (nv & ~CONF_ROUTE) | (old & CONF_ROUTE);
        } else if (dev->cfg.route == HDM_HPET_ROUTE_ZERO) {
            nv &= ~CONF_ROUTE;
        }
    }
    bool drove = running(dev) && (old & CONF_LEVEL) && (s->sts & bit) &&
                 !(old & CONF_FSB_EN) && ((old & CONF_ENB) || (s->hold & bit));
    tm->conf = nv;
    if ((nv & CONF_32MODE) && !(old & CONF_32MODE)) {
        /* [R19] entering 32-bit mode zeroes the upper halves */
        tm->cmp &= LO32;
        tm->period &= LO32;
        /* and what is parked or kept for the stale read of it */
        tm->pend_cmp &= LO32;
        tm->pend_cmp_mask &= LO32;
        tm->pend_period &= LO32;
        tm->pend_period_mask &= LO32;
        tm->stale_cmp &= LO32;
        if (!tm->pend_cmp_mask && !tm->pend_period_mask) {
            tm->pend_at = NEVER;
        }
    }
    if (!(nv & CONF_LEVEL)) {
        s->sts &= ~bit; /* [P18, R25] level -> edge clears STS */
    }
    if (dev->cfg.intenb == HDM_HPET_INTENB_HOLD && drove && !(nv & CONF_ENB) &&
        (nv & CONF_LEVEL) && !(nv & CONF_FSB_EN)) {
        s->hold |= bit; /* [P7] QEMU: clearing INT_ENB keeps the line */
    }
    if ((nv & CONF_ENB) || !(nv & CONF_LEVEL) || (nv & CONF_FSB_EN) ||
        !(s->sts & bit)) {
        s->hold &= ~bit;
    }
    rearm(dev, n, now);
    update_lines(dev, now);
}

/*
 * One comparator write of the bits @a wmask [S 2.3.9, digest 4.5, P3, P5]:
 * periodic with VAL_SET: accumulator (and period under VALSET_BOTH);
 * periodic: period only, used from the next match on [S 2.4.3.2];
 * non-periodic: the match value. Consumes VAL_SET either way, at once.
 * Under cmp_latency the bits are parked and land N ticks later (every
 * comparator write, each 32-bit half, restarts the delay) [digest 10].
 */
static void write_tn_comp(hdm_hpet_t *dev, hdm_tick_t now, unsigned n,
                          uint64_t v, uint64_t wmask)
{
    hdm_hpet_timer_state_t *tm = &dev->s.t[n];
    wmask &= cmp_mask(dev, n);
    if (wmask == 0) {
        return; /* high half in 32-bit mode: no write at all [R18] */
    }
    timer_sync(dev, n, now);
    if (dev->cfg.stale_cmp_read && !tm->stale) {
        /* [digest 10] the first read after the write(s) sees this */
        tm->stale_cmp = comp_programmed(dev, n);
        tm->stale = 1;
    }
    v &= wmask;
    uint64_t cm = 0, pm = 0; /* bits of the match register / the period */
    if (periodic(dev, n)) {
        if (tm->conf & CONF_VALSET) {
            cm = wmask;
            if (dev->cfg.valset == HDM_HPET_VALSET_BOTH) {
                pm = wmask;
            }
        } else {
            pm = wmask;
        }
    } else {
        cm = wmask;
    }
    tm->conf &= ~CONF_VALSET; /* "automatically clears" [S 2.3.8 bit 6] */
    if (dev->cfg.cmp_latency == 0) {
        tm->cmp = (tm->cmp & ~cm) | (v & cm);
        tm->period = (tm->period & ~pm) | (v & pm);
        rearm(dev, n, now);
        return;
    }
    tm->pend_cmp = (tm->pend_cmp & ~cm) | (v & cm);
    tm->pend_cmp_mask |= cm;
    tm->pend_period = (tm->pend_period & ~pm) | (v & pm);
    tm->pend_period_mask |= pm;
    tm->pend_at = now + dev->cfg.cmp_latency; /* now <= HDM_TICK_MAX */
}

static int reg_write(hdm_hpet_t *dev, hdm_tick_t now, enum reg_kind k,
                     unsigned n, uint64_t v, uint64_t wmask, bool debug)
{
    hdm_hpet_state_t *s = &dev->s;
    v &= wmask;
    switch (k) {
    case REG_GCAP_ID:
        return HDM_E_READ_ONLY; /* [S 2.3.4] */
    case REG_GEN_CONF:
        write_gen_conf(dev, now, (s->gen_conf & ~wmask) | v);
        break;
    case REG_GINTR_STA:
        if (!debug) {
            write_gintr_sta(dev, now, (uint32_t)(v & LO32));
        }
        break;
    case REG_MAIN_CNT:
        write_main_cnt(dev, now, v, wmask);
        break;
    case REG_TN_CONF:
        if (wmask & LO32) {
            write_tn_conf(dev, now, n, (uint32_t)(v & LO32));
        } /* bits 63:32 are Tn_INT_ROUTE_CAP: read-only [digest 2.2] */
        break;
    case REG_TN_COMP:
        write_tn_comp(dev, now, n, v, wmask);
        break;
    case REG_TN_FSB_ROUTE:
        s->t[n].fsb = (s->t[n].fsb & ~wmask) | v; /* [S 2.3.10] */
        break;
    default:
        return HDM_E_UNMAPPED;
    }
    return HDM_OK;
}

/* [S 2.3.2] 32- or 64-bit, naturally aligned [P10]. */
static int check_access(uint32_t offset, unsigned size)
{
    if (size != 4 && size != 8) {
        return HDM_E_BAD_SIZE;
    }
    if (offset & (size - 1u)) {
        return HDM_E_BAD_ALIGN;
    }
    return HDM_OK;
}

static void guest_error(hdm_hpet_t *dev, int st, uint32_t off, unsigned size,
                        bool w)
{
    hdm_core_guest_error(&dev->host, st, off, size, w);
}

int hdm_hpet_read(hdm_hpet_t *dev, hdm_tick_t now, uint32_t offset,
                  unsigned size, uint64_t *value, unsigned flags)
{
    uint64_t dummy;
    if (value == NULL) {
        value = &dummy;
    }
    *value = 0;
    int st = run_to(dev, now);
    if (st != HDM_OK) {
        return st;
    }
    if (offset == HDM_HPET_MAIN_CNT_OFFSET && (size == 8 || size == 4)) {
        /* hot path: the clocksource read (64-bit, or Linux's 32-bit low
         * half), live, not latched [S 2.4.7] */
        uint64_t v = counter_at(dev, now);
        *value = size == 8 ? v : (v & LO32);
        return HDM_OK;
    }
    st = check_access(offset, size);
    if (st == HDM_OK) {
        unsigned n = 0;
        enum reg_kind k = reg_decode(dev, offset & ~7u, &n);
        if (k == REG_NONE) {
            st = HDM_E_UNMAPPED;
        } else {
            uint64_t v = reg_read(dev, k, n, (flags & HDM_ACCESS_DEBUG) != 0);
            *value = size == 8 ? v : (v >> (8u * (offset & 4u))) & LO32;
        }
    }
    if (st != HDM_OK) {
        guest_error(dev, st, offset, size, false);
    }
    return st;
}

int hdm_hpet_write(hdm_hpet_t *dev, hdm_tick_t now, uint32_t offset,
                   unsigned size, uint64_t value, unsigned flags)
{
    int st = run_to(dev, now);
    if (st != HDM_OK) {
        return st;
    }
    st = check_access(offset, size);
    if (st == HDM_OK) {
        unsigned n = 0;
        enum reg_kind k = reg_decode(dev, offset & ~7u, &n);
        uint64_t v, wmask;
        if (size == 8) {
            v = value;
            wmask = UINT64_MAX;
        } else if (offset & 4u) {
            v = (value & LO32) << 32; /* the high half [digest 2.2] */
            wmask = HI32;
        } else {
            v = value & LO32;
            wmask = LO32;
        }
        st = reg_write(dev, now, k, n, v, wmask,
                       (flags & HDM_ACCESS_DEBUG) != 0);
    }
    if (st != HDM_OK) {
        guest_error(dev, st, offset, size, true);
    }
    report_deadline(dev);
    return st;
}

/* ------------------------------------------------------------------ */
/* Snapshot                                                            */
/* ------------------------------------------------------------------ */

void hdm_hpet_save(const hdm_hpet_t *dev, hdm_hpet_snapshot_t *snap)
{
    const hdm_hpet_config_t *c = &dev->cfg;
    memset(snap, 0, sizeof(*snap));
    snap->magic = HDM_HPET_SNAPSHOT_MAGIC;
    snap->version = HDM_HPET_SNAPSHOT_VERSION;
    snap->size = (uint32_t)sizeof(*snap);
    snap->num_timers = c->num_timers;
    snap->counter64 = c->counter64 ? 1u : 0u;
    snap->leg_rt_cap = c->leg_rt_cap ? 1u : 0u;
    snap->period_fs = c->period_fs;
    snap->vendor_id = c->vendor_id;
    snap->rev_id = c->rev_id;
    snap->wrap = (uint32_t)c->wrap;
    snap->valset = (uint32_t)c->valset;
    snap->counter_write = (uint32_t)c->counter_write;
    snap->route = (uint32_t)c->route;
    snap->intenb = (uint32_t)c->intenb;
    snap->cmp_latency = c->cmp_latency;
    snap->stale_cmp_read = c->stale_cmp_read ? 1u : 0u;
    for (unsigned i = 0; i < c->num_timers; i++) {
        snap->size64 |= c->timer[i].size64 ? BIT(i) : 0u;
        snap->periodic |= c->timer[i].periodic ? BIT(i) : 0u;
        snap->fsb |= c->timer[i].fsb ? BIT(i) : 0u;
        snap->route_cap[i] = c->timer[i].route_cap;
    }
    snap->state = dev->s;
}

/* The snapshot was written by a device of exactly this configuration. */
static bool config_matches(const hdm_hpet_snapshot_t *snap,
                           const hdm_hpet_t *dev)
{
    hdm_hpet_snapshot_t mine;
    hdm_hpet_save(dev, &mine);
    return memcmp(&snap->num_timers, &mine.num_timers,
                  offsetof(hdm_hpet_snapshot_t, state) -
                      offsetof(hdm_hpet_snapshot_t, num_timers)) == 0;
}

/* Field ranges, masks and tick ordering. */
static bool validate_fields(const hdm_hpet_t *tmp)
{
    const hdm_hpet_state_t *n = &tmp->s;
    unsigned nt = tmp->cfg.num_timers;
    uint32_t impl = nt == 32 ? UINT32_MAX : BIT(nt) - 1u;
    bool run = running(tmp);
    if (n->now > HDM_TICK_MAX || (n->gen_conf & ~gen_wmask(tmp)) ||
        (n->cnt & ~cnt_mask(tmp)) || n->cnt_tick > n->now || (n->sts & ~impl) ||
        (n->hold & ~n->sts) || n->pad != 0) {
        return false;
    }
    if (n->hold && (tmp->cfg.intenb != HDM_HPET_INTENB_HOLD || !run)) {
        return false;
    }
    for (unsigned i = 0; i < HDM_HPET_MAX_TIMERS; i++) {
        const hdm_hpet_timer_state_t *tm = &n->t[i];
        if (tm->pad[0] || tm->pad[1]) {
            return false;
        }
        if (i >= nt) {
            /* unimplemented timers stay in their reset state */
            if (tm->conf || tm->wrap_armed || tm->cmp || tm->period ||
                tm->fsb || tm->at || tm->next != NEVER || tm->stale ||
                tm->stale_cmp || tm->pend_at != NEVER || tm->pend_cmp ||
                tm->pend_cmp_mask || tm->pend_period || tm->pend_period_mask) {
                return false;
            }
            continue;
        }
        uint64_t m = cmp_mask(tmp, i);
        if ((tm->conf & ~conf_wmask(tmp, i)) || (tm->cmp & ~m) ||
            (tm->period & ~m) || tm->at > n->now ||
            (run && tm->at < n->cnt_tick) || tm->wrap_armed > 1) {
            return false;
        }
        /* [digest 10] a parked write: bits within their masks and the
         * comparator width, landing after now and at most N ticks on */
        bool parked = tm->pend_cmp_mask || tm->pend_period_mask;
        if ((tm->pend_cmp & ~tm->pend_cmp_mask) ||
            (tm->pend_period & ~tm->pend_period_mask) ||
            (tm->pend_cmp_mask & ~m) || (tm->pend_period_mask & ~m) ||
            parked != (tm->pend_at != NEVER) ||
            (parked && (tm->pend_at <= n->now ||
                        tm->pend_at - n->now > tmp->cfg.cmp_latency))) {
            return false;
        }
        /* the stale read value: only with the quirk, cleared when read */
        if (tm->stale > 1 || (tm->stale && !tmp->cfg.stale_cmp_read) ||
            (tm->stale_cmp & ~m) || (!tm->stale && tm->stale_cmp)) {
            return false;
        }
        /* [P12] KEEP and ZERO never store a route the cap does not allow
         * (0, the reset value, is always possible) */
        unsigned route = (tm->conf & CONF_ROUTE) >> ROUTE_POS;
        if (tmp->cfg.route != HDM_HPET_ROUTE_STORE && route != 0 &&
            !(tmp->cfg.timer[i].route_cap & BIT(route))) {
            return false;
        }
        /* level status only for level timers [P6]; hold as in the write */
        if ((n->sts & BIT(i)) && !(tm->conf & CONF_LEVEL)) {
            return false;
        }
        if ((n->hold & BIT(i)) &&
            (tm->conf & (CONF_ENB | CONF_FSB_EN | CONF_LEVEL)) != CONF_LEVEL) {
            return false;
        }
    }
    return true;
}

/*
 * Values the core derives from others: each timer's schedule (first event
 * after its sync point, which must lie beyond now for a live timer), the
 * ONCE wrap flag and the reported line levels.
 */
static bool validate_derived(const hdm_hpet_t *tmp)
{
    const hdm_hpet_state_t *n = &tmp->s;
    for (unsigned i = 0; i < tmp->cfg.num_timers; i++) {
        const hdm_hpet_timer_state_t *tm = &n->t[i];
        if (tm->wrap_armed &&
            (tmp->cfg.wrap != HDM_HPET_WRAP_ONCE || !running(tmp) ||
             periodic(tmp, i) || !is32(tmp, i) ||
             first_match_after(tmp, i, tm->at) <=
                 first_wrap_after(tmp, tm->at))) {
            return false;
        }
        if (live(tmp, i)) {
            hdm_tick_t e = first_event_after(tmp, i, tm->at);
            if (tm->next != e || (e != NEVER && e <= n->now)) {
                return false;
            }
        } else if (tm->next != NEVER) {
            return false;
        }
    }
    return n->lines == derived_lines(tmp);
}

int hdm_hpet_restore(hdm_hpet_t *dev, const hdm_hpet_snapshot_t *snap)
{
    if (snap == NULL || snap->magic != HDM_HPET_SNAPSHOT_MAGIC ||
        snap->version != HDM_HPET_SNAPSHOT_VERSION ||
        snap->size != sizeof(*snap) || !config_matches(snap, dev)) {
        return HDM_E_VERSION;
    }
    /* Checked on a scratch copy: the device is untouched until loaded. */
    hdm_hpet_t tmp = *dev;
    tmp.s = snap->state;
    if (!validate_fields(&tmp) || !validate_derived(&tmp)) {
        return HDM_E_CORRUPT;
    }
    /* Outputs as the host last saw them, so changes are reported. */
    uint32_t lines = dev->s.lines;
    hdm_tick_t deadline = dev->s.deadline;
    dev->s = snap->state;
    dev->s.lines = lines;
    dev->s.deadline = deadline;
    update_lines(dev, dev->s.now);
    report_deadline(dev);
    return HDM_OK;
}
