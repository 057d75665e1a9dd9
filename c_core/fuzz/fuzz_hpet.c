/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the HPET core (also linked into the plain-C replay
 * driver, fuzz_pl011_replay.c built as fuzz_hpet_replay). The input is a
 * configuration and a program for one HPET instance; every core call it
 * makes is checked, and after every call the device invariants are
 * checked. A violation prints a message and abort()s.
 *
 * Input format (all multi-byte values little endian; missing bytes read 0):
 *   byte 0      bits 0..4 num_timers-1, bit 5 64-bit counter, bit 6
 *               LEG_RT_CAP, bit 7 start the twin instance at once
 *   byte 1      bits 0..1 wrap policy (3: EVERY), bit 2 valset, bit 3
 *               counter_write, bits 4..5 route policy (3: KEEP), bit 6
 *               intenb, bit 7 one caps byte for every timer
 *   byte 2      period/vendor/revision class (period_fs, see decode_cfg())
 *   byte 3      bits 0..4 which invalid variant of the config init() must
 *               refuse, bits 5..6 cmp_latency (0..3), bit 7 stale_cmp_read
 *   caps        one byte per timer (or one for all): bit 0 size64 (ignored
 *               on a 32-bit counter), bit 1 periodic, bit 2 FSB, bits 3..5
 *               route_cap pattern (7: 4 more bytes, the raw route_cap)
 *   then ops    at most MAX_OPS; opcode byte: low nibble = op, high
 *               nibble = "sel" (a time class, see pick_tick(), or a
 *               count/variant), then the op's bytes:
 *     0 WRITE   off (pick_offset), szfl, value class + value, time
 *     1 READ    off, szfl, time
 *     2 WREG    kind/width/debug/value class, register or timer, value,
 *               time: a register-targeted write whose read-back is checked
 *               when it happens at the current tick (W1C, masks, VAL_SET,
 *               route policy, halves)
 *     3 ADVANCE time
 *     4 TICK    sel+1 calls of hdm_hpet_tick
 *     5 RESET   time
 *     6 TWIN    save -> restore into a fresh instance -> save (must be
 *               byte-identical); from then on every call is also made on
 *               that instance, which reads every comparator after every
 *               call (eager catch-up of the lazy timers), and everything
 *               observed must stay identical
 *     7 CORRUPT index(2), xor(1); sel 0 random state byte (OK or
 *               CORRUPT), 1 header byte (VERSION), 2..15 a field the
 *               validation must refuse (CORRUPT); refused: device unchanged
 *     8 SNAP    save -> restore into self (OK, save identical), and save ->
 *               restore into a fresh scratch instance -> save identical
 *     9 SETUP   timer, mode, route, delta(3), period(3), time: program a
 *               timer the way an OS does (conf, FSB route, comparator
 *               from the counter, period, enable)
 *    10 GEN     time class: GEN_CONF = sel & 3 (sel bit 2: 32-bit write)
 *    11 RUNTO   advance to next_event() + sel - 8 (or +u8 if none)
 *    12 ACK     time class, mask: read GINTR_STA, write back the set bits
 *    13 CNTSET  d: counter to 2^32-1-d (sel bit 1, 64-bit: 2^64-1-d),
 *               bit 0 halted around the write, bit 2 as a 32-bit write
 *    14 POLL    sel+1 MAIN_CNT reads (4/8 bytes, either half), +0..15 each
 *    15 REFUSE  u8: a call at a tick in the past or beyond HDM_TICK_MAX
 *               (sel & 3: advance, read, write, reset)
 *
 * Checked after every call (on the main, twin and scratch instances):
 * next_event() > now (or NEVER) and equal to the last host deadline();
 * GCAP_ID from the config; GEN_CONF, Tn_CONF within their writable masks
 * and Tn_CONF capability fields from the config; a route the capability
 * does not allow is never stored (KEEP/ZERO policies); GINTR_STA bits only
 * for implemented level-triggered timers; every host-seen line level (from
 * the irq callback) equals hdm_hpet_irq_level() and the wired OR of the
 * level timers with status, INT_ENB (or held under INTENB_HOLD), not FSB,
 * counter running, on their route (LegacyReplacement: timer 0 -> line 0,
 * timer 1 -> line 8); the main counter advances by exactly the elapsed
 * ticks while enabled and holds while halted, except for what the call
 * wrote (exact merge of the written half, COUNTER_WRITE_IGNORE honoured),
 * reset (0) or restore; comparators of 32-bit timers below 2^32; a parked
 * comparator write (cmp_latency) lands after now and at most N ticks on,
 * and next_event() is not after it; a stale read value only with
 * stale_cmp_read. Tn_COMP reads: a read returns the value from before the
 * last write(s) once if stale (a debug read the same, without consuming),
 * else the programmed value (parked bits over the datapath value); a
 * comparator write leaves the programmed value as written.
 * In the callbacks: ticks never later than the call's now and
 * non-decreasing; a line rises only for a level source or an edge-timer
 * event that is due at that tick (counter == comparator, or a 32-bit wrap);
 * an FSB write only for a timer with FSB capability, FSB_EN and INT_ENB,
 * carrying its Tn_FSB_ROUTE, at one of its events; no callback outside a
 * call, no runaway. Statuses: the exact documented one for every access
 * (and one matching guest_error per bad access), failed reads return 0,
 * refused calls (past, > HDM_TICK_MAX) change nothing, invalid configs are
 * refused by init(). Advances are clamped so that one call processes at
 * most about EVENT_BUDGET events (a period-1 timer would otherwise make a
 * 2^40-tick jump take 2^40 events).
 */
#include "hdm/hpet.h"
#include "hdm/hpet_regs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by the replay driver: name of the input being run (for messages). */
const char *hdm_fuzz_label;

#define TICK_2_40 ((hdm_tick_t)1 << 40)
#define NEVER     HDM_TICK_NEVER
#define LO32      UINT64_C(0xFFFFFFFF)
#define HI32      UINT64_C(0xFFFFFFFF00000000)
#define NT_MAX    HDM_HPET_MAX_TIMERS

/* Ops per input, events per call (see max_advance), runaway detector. */
#define MAX_OPS         256u
#define EVENT_BUDGET    512u
#define MAX_CB_PER_CALL 100000ul

/* Registers and bits [S 2.3] */
#define R_GCAP    HDM_HPET_GCAP_ID_OFFSET
#define R_GEN     HDM_HPET_GEN_CONF_OFFSET
#define R_STS     HDM_HPET_GINTR_STA_OFFSET
#define R_CNT     HDM_HPET_MAIN_CNT_OFFSET
#define R_CONF(n) HDM_HPET_TN_CONF_OFFSET(n)
#define R_COMP(n) HDM_HPET_TN_COMP_OFFSET(n)
#define R_FSB(n)  HDM_HPET_TN_FSB_ROUTE_OFFSET(n)

#define GEN_EN  HDM_HPET_GEN_CONF_ENABLE_CNF_Msk
#define GEN_LEG HDM_HPET_GEN_CONF_LEG_RT_CNF_Msk

#define C_LEVEL     ((uint32_t)HDM_HPET_TN_CONF_TN_INT_TYPE_CNF_Msk)
#define C_ENB       ((uint32_t)HDM_HPET_TN_CONF_TN_INT_ENB_CNF_Msk)
#define C_PER       ((uint32_t)HDM_HPET_TN_CONF_TN_TYPE_CNF_Msk)
#define C_PER_CAP   ((uint32_t)HDM_HPET_TN_CONF_TN_PER_INT_CAP_Msk)
#define C_SIZE_CAP  ((uint32_t)HDM_HPET_TN_CONF_TN_SIZE_CAP_Msk)
#define C_VALSET    ((uint32_t)HDM_HPET_TN_CONF_TN_VAL_SET_CNF_Msk)
#define C_32MODE    ((uint32_t)HDM_HPET_TN_CONF_TN_32MODE_CNF_Msk)
#define C_ROUTE     ((uint32_t)HDM_HPET_TN_CONF_TN_INT_ROUTE_CNF_Msk)
#define C_ROUTE_POS HDM_HPET_TN_CONF_TN_INT_ROUTE_CNF_Pos
#define C_FSB_EN    ((uint32_t)HDM_HPET_TN_CONF_TN_FSB_EN_CNF_Msk)
#define C_FSB_CAP   ((uint32_t)HDM_HPET_TN_CONF_TN_FSB_INT_DEL_CAP_Msk)
#define C_CAPS32    (C_PER_CAP | C_SIZE_CAP | C_FSB_CAP)

typedef unsigned long long ull;

/* ------------------------------------------------------------------ */
/* Failure reporting                                                   */
/* ------------------------------------------------------------------ */

#define HDM_FUZZ_NAME "fuzz_hpet"
#include "fuzz_support.h"

/* ------------------------------------------------------------------ */
/* Instances and host callbacks                                        */
/* ------------------------------------------------------------------ */

/* Register values read by the last invariant check. */
typedef struct view {
    hdm_tick_t now;
    uint64_t gen, sts, cnt;
    uint64_t conf[NT_MAX], fsb[NT_MAX], cmp[NT_MAX];
    bool full; /* cmp[] was read */
} view_t;

typedef struct inst {
    const char *name;
    hdm_hpet_t dev;
    hdm_hpet_config_t cfg;
    bool full;            /* checks read every comparator (eager catch-up) */
    uint64_t hash;        /* rolling hash of everything observed */
    uint32_t lines;       /* line levels as the host saw them */
    hdm_tick_t deadline;  /* last deadline() value */
    hdm_tick_t last_tick; /* latest callback tick since the last restore */
    hdm_tick_t call_now;  /* callbacks of this call must be <= this */
    unsigned long ncb;    /* callbacks during the current call */
    bool in_call;
    /* guest_error callbacks of the current call */
    unsigned nge;
    int ge_status;
    uint32_t ge_off;
    unsigned ge_size;
    bool ge_write;
    view_t v;
    bool exp_valid; /* exp_cnt: the counter the next check must read */
    uint64_t exp_cnt;
} inst_t;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0x100000001B3ull;
    return h ^ (h >> 29);
}

/* White-box helpers: the spec-level meaning of the core's state. */
static uint64_t cmask_of(const hdm_hpet_t *d)
{
    return d->cfg.counter64 ? UINT64_MAX : LO32;
}

static bool t_is32(const hdm_hpet_t *d, unsigned i)
{
    return !d->cfg.timer[i].size64 || (d->s.t[i].conf & C_32MODE);
}

static bool running_of(const hdm_hpet_t *d)
{
    return (d->s.gen_conf & GEN_EN) != 0;
}

/* Line a timer drives: LegacyReplacement or Tn_INT_ROUTE_CNF [S 2.4.2]. */
static unsigned line_of(uint64_t gen, unsigned i, uint32_t conf)
{
    if ((gen & GEN_LEG) && i <= 1) {
        return i == 0 ? 0u : 8u;
    }
    return (conf & C_ROUTE) >> C_ROUTE_POS;
}

/* Tn_COMP as programmed: a parked (cmp_latency) write over the datapath. */
static uint64_t prog_cmp(const hdm_hpet_t *d, unsigned i)
{
    const hdm_hpet_timer_state_t *tm = &d->s.t[i];
    return (tm->cmp & ~tm->pend_cmp_mask) | tm->pend_cmp;
}

/* Main counter at tick t >= cnt_tick. */
static uint64_t cnt_at(const hdm_hpet_t *d, hdm_tick_t t)
{
    if (!running_of(d)) {
        return d->s.cnt;
    }
    return (d->s.cnt + (t - d->s.cnt_tick)) & cmask_of(d);
}

/*
 * Timer i has an event at tick t, as seen from inside the callback that
 * delivers it: its comparator matches (periodic: the accumulator has
 * already been advanced by one period) or counter[31:0] wraps to 0 for a
 * one-shot 32-bit timer (unless the wrap policy is NONE).
 */
static bool event_at(const hdm_hpet_t *d, unsigned i, hdm_tick_t t)
{
    const hdm_hpet_timer_state_t *tm = &d->s.t[i];
    uint64_t c = cnt_at(d, t);
    uint64_t m = t_is32(d, i) ? LO32 : UINT64_MAX;
    if (tm->conf & C_PER) {
        return (c & m) == ((tm->cmp - tm->period) & m);
    }
    if ((c & m) == tm->cmp) {
        return true;
    }
    return t_is32(d, i) && d->cfg.wrap != HDM_HPET_WRAP_NONE && (c & LO32) == 0;
}

static void cb_common(inst_t *in, const char *kind)
{
    REQUIRE(in->in_call, "%s: %s callback outside of a core call", in->name,
            kind);
    REQUIRE(++in->ncb <= MAX_CB_PER_CALL,
            "%s: runaway: more than %lu callbacks in one call", in->name,
            MAX_CB_PER_CALL);
}

static void cb_tick(inst_t *in, const char *kind, hdm_tick_t t)
{
    REQUIRE(t <= in->call_now,
            "%s: %s callback tick %llu after the call's now %llu", in->name,
            kind, (ull)t, (ull)in->call_now);
    REQUIRE(t >= in->last_tick,
            "%s: %s callback tick %llu before an earlier callback's tick %llu",
            in->name, kind, (ull)t, (ull)in->last_tick);
    in->last_tick = t;
}

/* A line rose at t: a level source holds it, or an edge event pulses it. */
static void check_rise(const inst_t *in, unsigned line, hdm_tick_t t)
{
    const hdm_hpet_t *d = &in->dev;
    const hdm_hpet_state_t *s = &d->s;
    REQUIRE(running_of(d), "%s: line %u rose at %llu with the counter halted",
            in->name, line, (ull)t);
    for (unsigned i = 0; i < d->cfg.num_timers; i++) {
        uint32_t conf = s->t[i].conf;
        uint32_t bit = 1u << i;
        if (line_of(s->gen_conf, i, conf) != line || (conf & C_FSB_EN)) {
            continue;
        }
        if ((conf & C_LEVEL) && (s->sts & bit) &&
            ((conf & C_ENB) || (s->hold & bit))) {
            return; /* level source */
        }
        if (!(conf & C_LEVEL) && (conf & C_ENB) && event_at(d, i, t)) {
            return; /* edge pulse */
        }
    }
    fz_fail("%s: line %u rose at %llu: no level source and no due edge event "
            "routed to it",
            in->name, line, (ull)t);
}

static void cb_irq(void *o, unsigned line, bool level, hdm_tick_t t)
{
    inst_t *in = o;
    cb_common(in, "irq");
    REQUIRE(line < HDM_HPET_LINES, "%s: irq line %u", in->name, line);
    REQUIRE(((in->lines >> line) & 1u) != (unsigned)level,
            "%s: irq line %u reported at level %d it already had", in->name,
            line, (int)level);
    cb_tick(in, "irq", t);
    if (level) {
        check_rise(in, line, t);
    }
    in->lines ^= 1u << line;
    TRACE("    %s: irq %u=%d @%llu\n", in->name, line, (int)level, (ull)t);
    in->hash = mix(mix(in->hash, 0x100u + line * 2u + level), t);
}

static void cb_bus_write32(void *o, uint64_t addr, uint32_t data, hdm_tick_t t)
{
    inst_t *in = o;
    const hdm_hpet_t *d = &in->dev;
    cb_common(in, "bus_write32");
    cb_tick(in, "bus_write32", t);
    REQUIRE(addr <= LO32, "%s: FSB address 0x%llx above 32 bits", in->name,
            (ull)addr);
    REQUIRE(running_of(d), "%s: FSB write at %llu with the counter halted",
            in->name, (ull)t);
    uint64_t route = addr << 32 | data;
    bool found = false;
    for (unsigned i = 0; i < d->cfg.num_timers && !found; i++) {
        uint32_t conf = d->s.t[i].conf;
        found = d->cfg.timer[i].fsb && (conf & C_FSB_EN) && (conf & C_ENB) &&
                d->s.t[i].fsb == route && event_at(d, i, t);
    }
    REQUIRE(found,
            "%s: FSB write 0x%llx <- 0x%x at %llu from no FSB-capable timer "
            "with FSB_EN, INT_ENB, that route and an event due",
            in->name, (ull)addr, data, (ull)t);
    TRACE("    %s: fsb 0x%llx <- 0x%x @%llu\n", in->name, (ull)addr, data,
          (ull)t);
    in->hash = mix(mix(mix(in->hash, 0x300u), route), t);
}

static void cb_pin(void *o, unsigned pin, bool level, hdm_tick_t t)
{
    inst_t *in = o;
    (void)level;
    (void)t;
    fz_fail("%s: pin %u callback from an HPET", in->name, pin);
}

static void cb_frame(void *o, const void *frame)
{
    inst_t *in = o;
    (void)frame;
    fz_fail("%s: tx_frame callback from an HPET", in->name);
}

static void cb_deadline(void *o, hdm_tick_t next)
{
    inst_t *in = o;
    cb_common(in, "deadline");
    REQUIRE(next != in->deadline, "%s: deadline %llu reported again", in->name,
            (ull)next);
    REQUIRE(next == NEVER || next > in->call_now,
            "%s: deadline %llu not after the call's now %llu", in->name,
            (ull)next, (ull)in->call_now);
    in->deadline = next;
    TRACE("    %s: deadline %llu\n", in->name, (ull)next);
    in->hash = mix(mix(in->hash, 0x400u), next);
}

static void cb_guest_error(void *o, int status, uint32_t offset, unsigned size,
                           bool is_write)
{
    inst_t *in = o;
    cb_common(in, "guest_error");
    REQUIRE(status < 0 && status >= HDM_STATUS_MIN, "%s: guest_error status %d",
            in->name, status);
    in->nge++;
    in->ge_status = status;
    in->ge_off = offset;
    in->ge_size = size;
    in->ge_write = is_write;
    in->hash = mix(mix(in->hash, 0x500u + (unsigned)(-status) * 2u + is_write),
                   (uint64_t)offset << 8 | (size & 0xFFu));
}

static hdm_host_t host_of(inst_t *in)
{
    hdm_host_t h;
    memset(&h, 0, sizeof(h));
    h.opaque = in;
    h.irq = cb_irq;
    h.pin = cb_pin;
    h.tx_frame = cb_frame;
    h.bus_write32 = cb_bus_write32;
    h.deadline = cb_deadline;
    h.guest_error = cb_guest_error;
    return h;
}

static void inst_init(inst_t *in, const char *name,
                      const hdm_hpet_config_t *cfg, bool full)
{
    memset(in, 0, sizeof(*in));
    in->name = name;
    in->cfg = *cfg;
    in->full = full;
    hdm_host_t h = host_of(in);
    in->in_call = true; /* init invokes no callback; ncb checks that */
    int st = hdm_hpet_init(&in->dev, cfg, &h);
    in->in_call = false;
    REQUIRE(st == HDM_OK && in->ncb == 0, "%s: init: status %d, %lu callbacks",
            name, st, in->ncb);
    in->deadline = NEVER;
    in->hash = 0xCBF29CE484222325ull;
}

static void begin(inst_t *in, hdm_tick_t call_now)
{
    in->in_call = true;
    in->call_now = call_now;
    in->ncb = 0;
    in->nge = 0;
}

static void end(inst_t *in)
{
    in->in_call = false;
}

/* ------------------------------------------------------------------ */
/* Register map knowledge for expected statuses and values             */
/* ------------------------------------------------------------------ */

static uint64_t expect_gcap(const hdm_hpet_config_t *c)
{
    return (uint64_t)c->period_fs << 32 | (uint64_t)c->vendor_id << 16 |
           (c->leg_rt_cap ? HDM_HPET_GCAP_ID_LEG_RT_CAP_Msk : 0) |
           (c->counter64 ? HDM_HPET_GCAP_ID_COUNT_SIZE_CAP_Msk : 0) |
           (uint64_t)(c->num_timers - 1u) << 8 | c->rev_id;
}

static uint64_t gen_wmask_of(const hdm_hpet_config_t *c)
{
    return GEN_EN | (c->leg_rt_cap ? GEN_LEG : 0);
}

static uint32_t conf_wmask_of(const hdm_hpet_config_t *c, unsigned i)
{
    uint32_t m = C_LEVEL | C_ENB | C_VALSET | C_ROUTE;
    m |= c->timer[i].periodic ? C_PER : 0;
    m |= c->timer[i].size64 ? C_32MODE : 0;
    m |= c->timer[i].fsb ? C_FSB_EN : 0;
    return m;
}

static uint64_t conf_caps_of(const hdm_hpet_config_t *c, unsigned i)
{
    uint64_t v = (uint64_t)c->timer[i].route_cap << 32;
    v |= c->timer[i].periodic ? C_PER_CAP : 0;
    v |= c->timer[i].size64 ? C_SIZE_CAP : 0;
    v |= c->timer[i].fsb ? C_FSB_CAP : 0;
    return v;
}

enum { K_NONE, K_GCAP, K_GEN, K_STS, K_CNT, K_CONF, K_COMP, K_FSB };

/* Register at the 8-byte aligned @a reg; *timer for the timer ones. */
static int reg_kind(const hdm_hpet_config_t *c, uint32_t reg, unsigned *timer)
{
    switch (reg) {
    case R_GCAP:
        return K_GCAP;
    case R_GEN:
        return K_GEN;
    case R_STS:
        return K_STS;
    case R_CNT:
        return K_CNT;
    default:
        break;
    }
    if (reg < R_CONF(0)) {
        return K_NONE;
    }
    uint32_t n = (reg - R_CONF(0)) / HDM_HPET_TN_CONF_STRIDE;
    uint32_t r = reg - R_CONF(n);
    if (n >= c->num_timers) {
        return K_NONE;
    }
    *timer = n;
    return r == 0 ? K_CONF : r == 8 ? K_COMP : r == 0x10 ? K_FSB : K_NONE;
}

static int expect_access(const inst_t *in, bool write, uint32_t off,
                         unsigned size)
{
    if (size != 4 && size != 8) {
        return HDM_E_BAD_SIZE;
    }
    if (off & (size - 1u)) {
        return HDM_E_BAD_ALIGN;
    }
    unsigned n = 0;
    int k = reg_kind(&in->cfg, off & ~7u, &n);
    if (k == K_NONE) {
        return HDM_E_UNMAPPED;
    }
    return write && k == K_GCAP ? HDM_E_READ_ONLY : HDM_OK;
}

static void check_status(const inst_t *in, int st, const char *fn)
{
    REQUIRE(st <= 0 && st >= HDM_STATUS_MIN &&
                strcmp(hdm_status_name(st), "UNKNOWN") != 0,
            "%s: %s returned undefined status %d", in->name, fn, st);
}

/* One guest_error for a bad access, none otherwise. */
static void check_guest_error(const inst_t *in, int st, uint32_t off,
                              unsigned size, bool write)
{
    bool bad = st == HDM_E_UNMAPPED || st == HDM_E_BAD_SIZE ||
               st == HDM_E_BAD_ALIGN || st == HDM_E_READ_ONLY;
    if (!bad) {
        REQUIRE(in->nge == 0, "%s: %s of 0x%x (%s) reported a guest error",
                in->name, write ? "write" : "read", off, hdm_status_name(st));
        return;
    }
    REQUIRE(in->nge == 1 && in->ge_status == st && in->ge_off == off &&
                in->ge_size == size && in->ge_write == write,
            "%s: %s of 0x%x size %u (%s): %u guest errors, last %s 0x%x %u %d",
            in->name, write ? "write" : "read", off, size, hdm_status_name(st),
            in->nge, hdm_status_name(in->ge_status), in->ge_off, in->ge_size,
            (int)in->ge_write);
}

/* Bits a write of @a size at @a off changes, and the value aligned. */
static uint64_t write_mask(uint32_t off, unsigned size, uint64_t value,
                           uint64_t *v)
{
    if (size == 8) {
        *v = value;
        return UINT64_MAX;
    }
    if (off & 4u) {
        *v = (value & LO32) << 32;
        return HI32;
    }
    *v = value & LO32;
    return LO32;
}

/* ------------------------------------------------------------------ */
/* Invariants                                                          */
/* ------------------------------------------------------------------ */

/* Debug read at now for the checker: OK, and no callback at all. */
static uint64_t dbg_read(inst_t *in, uint32_t off)
{
    hdm_tick_t now = hdm_hpet_now(&in->dev);
    uint64_t v = 0xA5A5A5A5A5A5A5A5ull;
    begin(in, now);
    int st = hdm_hpet_read(&in->dev, now, off, 8, &v, HDM_ACCESS_DEBUG);
    end(in);
    REQUIRE(st == HDM_OK, "%s: debug read of 0x%03x: status %s", in->name, off,
            hdm_status_name(st));
    REQUIRE(in->ncb == 0, "%s: debug read of 0x%03x at now: %lu callbacks",
            in->name, off, in->ncb);
    return v;
}

static void check_inst(inst_t *in)
{
    hdm_hpet_t *d = &in->dev;
    const hdm_hpet_config_t *c = &in->cfg;
    const char *prev = g_what;
    g_what = "invariant check";
    unsigned nt = c->num_timers;
    uint32_t impl = nt == 32 ? UINT32_MAX : (1u << nt) - 1u;

    hdm_tick_t now = hdm_hpet_now(d);
    hdm_tick_t next = hdm_hpet_next_event(d);
    REQUIRE(now <= HDM_TICK_MAX, "%s: now %llu beyond HDM_TICK_MAX", in->name,
            (ull)now);
    REQUIRE(next == NEVER || next > now,
            "%s: next_event %llu not after now %llu", in->name, (ull)next,
            (ull)now);
    REQUIRE(in->deadline == next, "%s: host deadline %llu but next_event %llu",
            in->name, (ull)in->deadline, (ull)next);

    view_t *v = &in->v;
    v->now = now;
    uint64_t gcap = dbg_read(in, R_GCAP);
    REQUIRE(gcap == expect_gcap(c), "%s: GCAP_ID 0x%016llx, expected 0x%016llx",
            in->name, (ull)gcap, (ull)expect_gcap(c));
    v->gen = dbg_read(in, R_GEN);
    REQUIRE(!(v->gen & ~gen_wmask_of(c)), "%s: GEN_CONF 0x%llx", in->name,
            (ull)v->gen);
    bool run = (v->gen & GEN_EN) != 0;
    v->sts = dbg_read(in, R_STS);
    REQUIRE(!(v->sts & ~(uint64_t)impl),
            "%s: GINTR_STA 0x%llx has bits of unimplemented timers", in->name,
            (ull)v->sts);
    v->cnt = dbg_read(in, R_CNT);
    REQUIRE(v->cnt == hdm_hpet_counter(d),
            "%s: MAIN_CNT read 0x%llx, hdm_hpet_counter 0x%llx", in->name,
            (ull)v->cnt, (ull)hdm_hpet_counter(d));
    REQUIRE(!(v->cnt & ~cmask_of(d)), "%s: 32-bit counter reads 0x%llx",
            in->name, (ull)v->cnt);
    if (in->exp_valid) {
        REQUIRE(v->cnt == in->exp_cnt,
                "%s: main counter 0x%llx, expected 0x%llx (counter %s)",
                in->name, (ull)v->cnt, (ull)in->exp_cnt,
                run ? "running" : "halted");
        in->exp_valid = false;
    }
    uint32_t hold = d->s.hold;
    REQUIRE(!(hold & ~(uint32_t)v->sts), "%s: held lines 0x%x without status",
            in->name, hold);
    REQUIRE(!hold || (c->intenb == HDM_HPET_INTENB_HOLD && run),
            "%s: held lines 0x%x (intenb %d, running %d)", in->name, hold,
            (int)c->intenb, (int)run);

    uint32_t want = 0;
    for (unsigned i = 0; i < nt; i++) {
        uint64_t conf = dbg_read(in, R_CONF(i));
        uint32_t lo = (uint32_t)conf;
        uint32_t bit = 1u << i;
        v->conf[i] = conf;
        REQUIRE((conf & (HI32 | C_CAPS32)) == conf_caps_of(c, i),
                "%s: T%u_CONF 0x%016llx: capability fields, expected 0x%016llx",
                in->name, i, (ull)conf, (ull)conf_caps_of(c, i));
        REQUIRE(!(lo & ~C_CAPS32 & ~conf_wmask_of(c, i)),
                "%s: T%u_CONF 0x%08x has bits outside its writable mask 0x%x",
                in->name, i, lo, conf_wmask_of(c, i));
        unsigned route = (lo & C_ROUTE) >> C_ROUTE_POS;
        REQUIRE(c->route == HDM_HPET_ROUTE_STORE || route == 0 ||
                    ((c->timer[i].route_cap >> route) & 1u),
                "%s: T%u route %u not in route_cap 0x%08x (policy %d)",
                in->name, i, route, c->timer[i].route_cap, (int)c->route);
        if (v->sts & bit) {
            REQUIRE(lo & C_LEVEL,
                    "%s: GINTR_STA bit %u set for an edge-triggered timer",
                    in->name, i);
        }
        REQUIRE(!(hold & bit) || (lo & (C_LEVEL | C_ENB | C_FSB_EN)) == C_LEVEL,
                "%s: T%u held with conf 0x%x", in->name, i, lo);
        const hdm_hpet_timer_state_t *tm = &d->s.t[i];
        bool parked = tm->pend_cmp_mask || tm->pend_period_mask;
        REQUIRE(parked == (tm->pend_at != NEVER) &&
                    (!parked || (tm->pend_at > now &&
                                 tm->pend_at - now <= c->cmp_latency &&
                                 next <= tm->pend_at)),
                "%s: T%u parked write masks 0x%llx/0x%llx landing at %llu "
                "(now %llu, latency %u, next_event %llu)",
                in->name, i, (ull)tm->pend_cmp_mask, (ull)tm->pend_period_mask,
                (ull)tm->pend_at, (ull)now, c->cmp_latency, (ull)next);
        REQUIRE(!tm->stale || c->stale_cmp_read,
                "%s: T%u stale read value without stale_cmp_read", in->name, i);
        v->fsb[i] = dbg_read(in, R_FSB(i));
        if (in->full) {
            v->cmp[i] = dbg_read(in, R_COMP(i));
            REQUIRE(!t_is32(d, i) || v->cmp[i] <= LO32,
                    "%s: T%u is 32-bit, comparator reads 0x%llx", in->name, i,
                    (ull)v->cmp[i]);
        }
        if (run && (lo & C_LEVEL) && (v->sts & bit) && !(lo & C_FSB_EN) &&
            ((lo & C_ENB) || (hold & bit))) {
            want |= 1u << line_of(v->gen, i, lo);
        }
    }
    v->full = in->full;
    uint32_t lv = 0;
    for (unsigned k = 0; k < HDM_HPET_LINES; k++) {
        lv |= (uint32_t)hdm_hpet_irq_level(d, k) << k;
    }
    REQUIRE(!hdm_hpet_irq_level(d, HDM_HPET_LINES) &&
                !hdm_hpet_irq_level(d, 0xFFFFFFFFu),
            "%s: irq_level of an unknown line", in->name);
    REQUIRE(lv == want,
            "%s: core line levels 0x%08x, expected 0x%08x from GINTR_STA "
            "0x%llx, the Tn_CONF and GEN_CONF 0x%llx",
            in->name, lv, want, (ull)v->sts, (ull)v->gen);
    REQUIRE(in->lines == lv, "%s: host saw lines 0x%08x, core has 0x%08x",
            in->name, in->lines, lv);
    uint32_t win =
        R_CONF(nt) > HDM_HPET_MMIO_SIZE ? R_CONF(nt) : HDM_HPET_MMIO_SIZE;
    REQUIRE(hdm_hpet_mmio_size(d) == win, "%s: mmio_size %u, expected %u",
            in->name, hdm_hpet_mmio_size(d), win);
    g_what = prev;
}

/* ------------------------------------------------------------------ */
/* Primitive calls                                                     */
/* ------------------------------------------------------------------ */

enum prim_kind {
    P_READ,
    P_WRITE,
    P_ADVANCE,
    P_TICK,
    P_RESET,
    P_ACK,
};

typedef struct prim {
    int kind;
    hdm_tick_t tick;
    uint32_t off;
    unsigned size;
    uint64_t value; /* write value; P_ACK: mask of the bits written back */
    unsigned flags;
    bool twice; /* P_READ: debug read first, must read the same */
    bool check; /* P_WRITE: check the read-back if at the current tick */
} prim_t;

static const char *const prim_names[] = {
    "read", "write", "advance_to", "tick", "reset", "ack",
};

static void save_of(const inst_t *in, hdm_hpet_snapshot_t *s)
{
    hdm_hpet_save(&in->dev, s);
}

/* Refused call: state unchanged and no callback. */
static void check_unchanged(const inst_t *in, const hdm_hpet_snapshot_t *before,
                            const char *why)
{
    hdm_hpet_snapshot_t after;
    save_of(in, &after);
    REQUIRE(memcmp(before, &after, sizeof(after)) == 0,
            "%s: refused (%s) call changed the device", in->name, why);
    REQUIRE(in->ncb == 0, "%s: refused (%s) call made %lu callbacks", in->name,
            why, in->ncb);
}

static int tick_status(hdm_tick_t now, hdm_tick_t tick)
{
    if (tick < now) {
        return HDM_E_PAST;
    }
    if (tick > HDM_TICK_MAX) {
        return HDM_E_INVAL;
    }
    return HDM_OK;
}

static int do_read(inst_t *in, hdm_tick_t t, uint32_t off, unsigned size,
                   uint64_t *v, unsigned flags)
{
    *v = 0x5A5A5A5A5A5A5A5Aull;
    begin(in, t);
    int st = hdm_hpet_read(&in->dev, t, off, size, v, flags);
    end(in);
    check_status(in, st, "read");
    return st;
}

/* Status and value of a read at an accepted tick. */
static void check_read(inst_t *in, int st, uint32_t off, unsigned size,
                       uint64_t v)
{
    int want = expect_access(in, false, off, size);
    REQUIRE(st == want, "%s: read 0x%x size %u: status %s, expected %s",
            in->name, off, size, hdm_status_name(st), hdm_status_name(want));
    check_guest_error(in, st, off, size, false);
    if (st != HDM_OK) {
        REQUIRE(v == 0, "%s: failed read (%s) returned 0x%llx", in->name,
                hdm_status_name(st), (ull)v);
        return;
    }
    REQUIRE(size == 8 || v <= LO32, "%s: 32-bit read of 0x%x returned 0x%llx",
            in->name, off, (ull)v);
    unsigned n = 0;
    int k = reg_kind(&in->cfg, off & ~7u, &n);
    uint64_t full = 0;
    bool known = true;
    switch (k) {
    case K_GCAP:
        full = expect_gcap(&in->cfg);
        break;
    case K_CNT:
        full = hdm_hpet_counter(&in->dev);
        break;
    case K_STS:
        full = v; /* checked by check_inst; upper half reads 0 */
        REQUIRE(size == 8 ? v <= LO32 : !(off & 4u) || v == 0,
                "%s: GINTR_STA upper half 0x%llx", in->name, (ull)v);
        known = false;
        break;
    default:
        known = false;
    }
    if (known) {
        uint64_t w = size == 8 ? full : (full >> (8u * (off & 4u))) & LO32;
        REQUIRE(v == w, "%s: read 0x%x size %u: 0x%llx, expected 0x%llx",
                in->name, off, size, (ull)v, (ull)w);
    }
}

/*
 * A register write at the current tick: read back what it did [S 2.3,
 * digest 4.5, P3, P12, P18].
 */
static void checked_write(inst_t *in, const prim_t *p, int *st_out)
{
    unsigned n = 0;
    uint32_t reg = p->off & ~7u;
    int k = reg_kind(&in->cfg, reg, &n);
    uint64_t old = dbg_read(in, reg);
    uint64_t old_sts = dbg_read(in, R_STS);
    uint64_t old_conf =
        k == K_COMP || k == K_CONF ? dbg_read(in, R_CONF(n)) : 0;
    uint64_t old_prog = k == K_COMP ? prog_cmp(&in->dev, n) : 0;
    bool debug = (p->flags & HDM_ACCESS_DEBUG) != 0;
    begin(in, p->tick);
    int st =
        hdm_hpet_write(&in->dev, p->tick, p->off, p->size, p->value, p->flags);
    end(in);
    *st_out = st;
    check_status(in, st, "write");
    if (st != HDM_OK && st != HDM_E_READ_ONLY) {
        return; /* the caller reports the status */
    }
    /* the write's guest_error record, for the caller */
    unsigned ge_n = in->nge, ge_size = in->ge_size;
    int ge_status = in->ge_status;
    uint32_t ge_off = in->ge_off;
    bool ge_write = in->ge_write;
    uint64_t v;
    uint64_t wm = write_mask(p->off, p->size, p->value, &v);
    uint64_t now = dbg_read(in, reg);
    uint64_t want = old;
    switch (k) {
    case K_GEN:
        want = ((old & ~wm) | (v & wm)) & gen_wmask_of(&in->cfg);
        break;
    case K_STS:
        want = debug ? old : old & ~(v & wm & LO32);
        break;
    case K_CNT:
        want = now; /* checked through exp_cnt */
        break;
    case K_CONF:
        if (wm & LO32) {
            uint32_t lo = (uint32_t)old;
            uint32_t nv = (uint32_t)v & conf_wmask_of(&in->cfg, n);
            unsigned route = (nv & C_ROUTE) >> C_ROUTE_POS;
            if (!((in->cfg.timer[n].route_cap >> route) & 1u)) {
                if (in->cfg.route == HDM_HPET_ROUTE_KEEP) {
                    nv = (nv & ~C_ROUTE) | (lo & C_ROUTE);
                } else if (in->cfg.route == HDM_HPET_ROUTE_ZERO) {
                    nv &= ~C_ROUTE;
                }
            }
            want = conf_caps_of(&in->cfg, n) | nv;
            uint64_t sts = dbg_read(in, R_STS);
            uint64_t bit = (uint64_t)1 << n;
            uint64_t wsts = (nv & C_LEVEL) ? old_sts : old_sts & ~bit;
            REQUIRE(sts == wsts,
                    "%s: T%u_CONF write 0x%x: GINTR_STA 0x%llx -> 0x%llx, "
                    "expected 0x%llx",
                    in->name, n, nv, (ull)old_sts, (ull)sts, (ull)wsts);
        }
        break;
    case K_COMP: {
        uint32_t conf = (uint32_t)old_conf;
        bool is32 = !in->cfg.timer[n].size64 || (conf & C_32MODE);
        uint64_t m = wm & (is32 ? LO32 : UINT64_MAX);
        if (m == 0) {
            break; /* high half in 32-bit mode: no write at all */
        }
        uint64_t wprog = old_prog;
        if (!(conf & C_PER) || (conf & C_VALSET)) {
            wprog = (old_prog & ~m) | (v & m);
        }
        uint64_t prog = prog_cmp(&in->dev, n);
        REQUIRE(prog == wprog,
                "%s: T%u comparator write 0x%llx: programmed 0x%llx -> "
                "0x%llx, expected 0x%llx",
                in->name, n, (ull)v, (ull)old_prog, (ull)prog, (ull)wprog);
        /* stale_cmp_read: reads keep returning what they did before */
        want = in->cfg.stale_cmp_read ? old : wprog;
        uint64_t nconf = dbg_read(in, R_CONF(n));
        REQUIRE(nconf == (old_conf & ~(uint64_t)C_VALSET),
                "%s: T%u comparator write: conf 0x%llx -> 0x%llx (VAL_SET "
                "must clear, nothing else change)",
                in->name, n, (ull)old_conf, (ull)nconf);
        break;
    }
    case K_FSB:
        want = (old & ~wm) | (v & wm);
        break;
    default:
        break;
    }
    REQUIRE(now == want,
            "%s: write 0x%llx size %u at 0x%x%s: register 0x%llx -> 0x%llx, "
            "expected 0x%llx",
            in->name, (ull)p->value, p->size, p->off, debug ? " (debug)" : "",
            (ull)old, (ull)now, (ull)want);
    in->nge = ge_n;
    in->ge_status = ge_status;
    in->ge_off = ge_off;
    in->ge_size = ge_size;
    in->ge_write = ge_write;
}

static void exec_prim(inst_t *in, const prim_t *p)
{
    hdm_hpet_t *d = &in->dev;
    hdm_tick_t now0 = hdm_hpet_now(d);
    uint64_t c0 = in->v.cnt;
    bool en0 = (in->v.gen & GEN_EN) != 0;
    TRACE("%s #%lu %s tick %llu (now %llu) off 0x%x size %u value 0x%llx "
          "flags 0x%x\n",
          in->name, g_step, prim_names[p->kind], (ull)p->tick, (ull)now0,
          p->off, p->size, (ull)p->value, p->flags);
    int tst = tick_status(now0, p->tick);
    bool past = tst != HDM_OK; /* refused for its tick */
    hdm_hpet_snapshot_t before;
    if (past) {
        save_of(in, &before);
    }
    int st = HDM_OK;
    switch (p->kind) {
    case P_READ: {
        uint64_t v;
        unsigned cn = 0;
        bool comp = !past &&
                    expect_access(in, false, p->off, p->size) == HDM_OK &&
                    reg_kind(&in->cfg, p->off & ~7u, &cn) == K_COMP;
        bool stale0 = comp && d->s.t[cn].stale;
        uint64_t sval = stale0 ? d->s.t[cn].stale_cmp : 0;
        if (p->twice && !past) {
            uint64_t v0;
            int s0 = do_read(in, p->tick, p->off, p->size, &v0,
                             p->flags | HDM_ACCESS_DEBUG);
            check_read(in, s0, p->off, p->size, v0);
            st = do_read(in, p->tick, p->off, p->size, &v, p->flags);
            REQUIRE(s0 == st && v0 == v,
                    "%s: read 0x%x size %u: debug read gave %d/0x%llx, the "
                    "read %d/0x%llx",
                    in->name, p->off, p->size, s0, (ull)v0, st, (ull)v);
        } else {
            st = do_read(in, p->tick, p->off, p->size, &v, p->flags);
        }
        if (past) {
            REQUIRE(st == tst && v == 0,
                    "%s: read at %llu (now %llu): %s 0x%llx", in->name,
                    (ull)p->tick, (ull)now0, hdm_status_name(st), (ull)v);
            check_unchanged(in, &before, hdm_status_name(tst));
        } else {
            check_read(in, st, p->off, p->size, v);
        }
        if (comp) {
            /* [digest 10] stale once, unless debug; else as programmed */
            bool dbg = (p->flags & HDM_ACCESS_DEBUG) != 0;
            uint64_t full = stale0 ? sval : prog_cmp(d, cn);
            uint64_t w =
                p->size == 8 ? full : (full >> (8u * (p->off & 4u))) & LO32;
            REQUIRE(v == w && d->s.t[cn].stale == (stale0 && dbg),
                    "%s: T%u_COMP read 0x%x size %u%s: 0x%llx, expected "
                    "0x%llx (stale before %d, after %d)",
                    in->name, cn, p->off, p->size, dbg ? " (debug)" : "",
                    (ull)v, (ull)w, (int)stale0, (int)d->s.t[cn].stale);
        }
        TRACE("    -> %s 0x%llx\n", hdm_status_name(st), (ull)v);
        in->hash = mix(mix(in->hash, (uint64_t)(uint32_t)st), v);
        break;
    }
    case P_WRITE: {
        int want = past ? tst : expect_access(in, true, p->off, p->size);
        if (p->check && !past && p->tick == now0 &&
            (want == HDM_OK || want == HDM_E_READ_ONLY)) {
            checked_write(in, p, &st);
        } else {
            begin(in, p->tick);
            st =
                hdm_hpet_write(d, p->tick, p->off, p->size, p->value, p->flags);
            end(in);
            check_status(in, st, "write");
        }
        REQUIRE(st == want, "%s: write 0x%x size %u: status %s, expected %s",
                in->name, p->off, p->size, hdm_status_name(st),
                hdm_status_name(want));
        if (past) {
            check_unchanged(in, &before, hdm_status_name(tst));
        } else {
            check_guest_error(in, st, p->off, p->size, true);
        }
        in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
        break;
    }
    case P_ADVANCE:
        begin(in, p->tick);
        st = hdm_hpet_advance_to(d, p->tick);
        end(in);
        check_status(in, st, "advance_to");
        REQUIRE(st == tst, "%s: advance_to %llu from %llu: %s", in->name,
                (ull)p->tick, (ull)now0, hdm_status_name(st));
        if (past) {
            check_unchanged(in, &before, hdm_status_name(tst));
        }
        in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
        break;
    case P_TICK: {
        hdm_tick_t t = now0 + 1u;
        int want = tick_status(now0, t);
        if (want != HDM_OK) {
            save_of(in, &before);
        }
        begin(in, t);
        st = hdm_hpet_tick(d);
        end(in);
        check_status(in, st, "tick");
        REQUIRE(st == want, "%s: tick: %s, expected %s", in->name,
                hdm_status_name(st), hdm_status_name(want));
        if (st != HDM_OK) {
            check_unchanged(in, &before, hdm_status_name(st));
        }
        in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
        break;
    }
    case P_RESET: {
        hdm_tick_t t = past ? now0 : p->tick;
        begin(in, t);
        hdm_hpet_reset(d, p->tick);
        end(in);
        REQUIRE(hdm_hpet_now(d) == t && hdm_hpet_next_event(d) == NEVER &&
                    in->lines == 0 && hdm_hpet_counter(d) == 0,
                "%s: after reset at %llu: now %llu next %llu lines 0x%x "
                "counter 0x%llx",
                in->name, (ull)t, (ull)hdm_hpet_now(d),
                (ull)hdm_hpet_next_event(d), in->lines,
                (ull)hdm_hpet_counter(d));
        REQUIRE(dbg_read(in, R_GEN) == 0 && dbg_read(in, R_STS) == 0,
                "%s: GEN_CONF or GINTR_STA not 0 after reset", in->name);
        for (unsigned i = 0; i < in->cfg.num_timers; i++) {
            uint64_t ones = in->cfg.timer[i].size64 ? UINT64_MAX : LO32;
            REQUIRE(dbg_read(in, R_CONF(i)) == conf_caps_of(&in->cfg, i) &&
                        dbg_read(in, R_COMP(i)) == ones &&
                        dbg_read(in, R_FSB(i)) == 0,
                    "%s: T%u not in its reset state", in->name, i);
        }
        in->hash = mix(in->hash, 0x600u);
        break;
    }
    case P_ACK: {
        /* an interrupt handler: read GINTR_STA, write the set bits back */
        uint64_t sts;
        st = do_read(in, p->tick, R_STS, 8, &sts, 0);
        if (past) {
            REQUIRE(st == tst, "%s: ack read at %llu: %s", in->name,
                    (ull)p->tick, hdm_status_name(st));
            check_unchanged(in, &before, hdm_status_name(tst));
            in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
            break;
        }
        check_read(in, st, R_STS, 8, sts);
        uint64_t w = sts & p->value;
        begin(in, p->tick);
        st = hdm_hpet_write(d, p->tick, R_STS, 8, w, 0);
        end(in);
        REQUIRE(st == HDM_OK, "%s: GINTR_STA write: %s", in->name,
                hdm_status_name(st));
        uint64_t after = dbg_read(in, R_STS);
        REQUIRE(after == (sts & ~w),
                "%s: ack: GINTR_STA 0x%llx, wrote 0x%llx, now 0x%llx", in->name,
                (ull)sts, (ull)w, (ull)after);
        in->hash = mix(mix(in->hash, 0x700u), sts);
        break;
    }
    default:
        fz_fail("bad prim %d", p->kind);
    }

    /* Time after the call. */
    hdm_tick_t now1 = hdm_hpet_now(d);
    if (p->kind == P_TICK) {
        REQUIRE(now1 == (st == HDM_OK ? now0 + 1u : now0),
                "%s: now %llu after tick from %llu (%s)", in->name, (ull)now1,
                (ull)now0, hdm_status_name(st));
    } else if (p->kind == P_RESET) {
        /* checked above */
    } else if (past) {
        REQUIRE(now1 == now0,
                "%s: now moved from %llu to %llu in a refused call", in->name,
                (ull)now0, (ull)now1);
    } else {
        REQUIRE(now1 == p->tick, "%s: now %llu after a call at %llu", in->name,
                (ull)now1, (ull)p->tick);
    }

    /* What the main counter must read now [S 2.3.7, R2, R4, P9]. */
    uint64_t cm = cmask_of(d);
    uint64_t exp = (c0 + (en0 ? now1 - now0 : 0)) & cm;
    if (p->kind == P_RESET) {
        exp = 0;
    } else if (p->kind == P_WRITE && st == HDM_OK && (p->off & ~7u) == R_CNT &&
               !(en0 &&
                 in->cfg.counter_write == HDM_HPET_COUNTER_WRITE_IGNORE)) {
        uint64_t v;
        uint64_t wm = write_mask(p->off, p->size, p->value, &v);
        exp = ((exp & ~wm) | (v & wm)) & cm;
    }
    in->exp_cnt = exp;
    in->exp_valid = true;
}

/* ------------------------------------------------------------------ */
/* Session                                                             */
/* ------------------------------------------------------------------ */

static inst_t g_main, g_twin, g_aux;
static bool g_twin_on;

static void compare_views(const inst_t *a, const inst_t *b)
{
    const view_t *x = &a->v, *y = &b->v;
    REQUIRE(x->now == y->now && x->gen == y->gen && x->sts == y->sts &&
                x->cnt == y->cnt && a->lines == b->lines,
            "%s/%s diverged: now %llu/%llu GEN_CONF 0x%llx/0x%llx GINTR_STA "
            "0x%llx/0x%llx MAIN_CNT 0x%llx/0x%llx lines 0x%x/0x%x",
            a->name, b->name, (ull)x->now, (ull)y->now, (ull)x->gen,
            (ull)y->gen, (ull)x->sts, (ull)y->sts, (ull)x->cnt, (ull)y->cnt,
            a->lines, b->lines);
    REQUIRE(hdm_hpet_next_event(&a->dev) == hdm_hpet_next_event(&b->dev),
            "%s/%s diverged: next_event %llu/%llu", a->name, b->name,
            (ull)hdm_hpet_next_event(&a->dev),
            (ull)hdm_hpet_next_event(&b->dev));
    for (unsigned i = 0; i < a->cfg.num_timers; i++) {
        REQUIRE(x->conf[i] == y->conf[i] && x->fsb[i] == y->fsb[i],
                "%s/%s diverged: T%u conf 0x%llx/0x%llx fsb 0x%llx/0x%llx",
                a->name, b->name, i, (ull)x->conf[i], (ull)y->conf[i],
                (ull)x->fsb[i], (ull)y->fsb[i]);
        REQUIRE(!x->full || !y->full || x->cmp[i] == y->cmp[i],
                "%s/%s diverged: T%u comparator 0x%llx/0x%llx", a->name,
                b->name, i, (ull)x->cmp[i], (ull)y->cmp[i]);
    }
}

static void compare_twin(void)
{
    if (!g_twin_on) {
        return;
    }
    REQUIRE(g_main.hash == g_twin.hash,
            "twin diverged: output hash %016llx vs %016llx", (ull)g_main.hash,
            (ull)g_twin.hash);
    compare_views(&g_main, &g_twin);
}

static void run_prim(const prim_t *p)
{
    g_step++;
    g_what = prim_names[p->kind];
    exec_prim(&g_main, p);
    check_inst(&g_main);
    if (g_twin_on) {
        exec_prim(&g_twin, p);
        check_inst(&g_twin);
        compare_twin();
    }
}

/* Restore @a s into @a in (time may jump: the tick order restarts). */
static int restore_into(inst_t *in, const hdm_hpet_snapshot_t *s)
{
    hdm_tick_t last = in->last_tick;
    in->last_tick = 0;
    begin(in, s->state.now);
    int st = hdm_hpet_restore(&in->dev, s);
    end(in);
    check_status(in, st, "restore");
    if (st != HDM_OK) {
        in->last_tick = last; /* refused: nothing happened (not hashed) */
        return st;
    }
    in->exp_valid = false;
    in->hash = mix(in->hash, 0x800u);
    return st;
}

/* save(main) -> restore into a fresh @a in -> save: byte-identical. */
static void clone_into(inst_t *in, const char *name, bool full)
{
    hdm_hpet_snapshot_t s1, s2;
    save_of(&g_main, &s1);
    inst_init(in, name, &g_main.cfg, full);
    int st = restore_into(in, &s1);
    REQUIRE(st == HDM_OK, "%s: restore of a fresh snapshot: %s", name,
            hdm_status_name(st));
    save_of(in, &s2);
    REQUIRE(memcmp(&s1, &s2, sizeof(s1)) == 0,
            "%s: save -> restore into a fresh instance -> save differs", name);
    REQUIRE(hdm_hpet_now(&in->dev) == s1.state.now, "%s: now after restore",
            name);
    check_inst(in);
}

static void start_twin(void)
{
    g_step++;
    g_what = "twin start";
    TRACE("twin start #%lu\n", g_step);
    clone_into(&g_twin, "twin", true);
    check_inst(&g_main);
    compare_views(&g_main, &g_twin);
    g_twin_on = true;
    g_main.hash = g_twin.hash = 0x84222325CBF29CE4ull;
}

static void snap_test(void)
{
    g_step++;
    g_what = "save/restore";
    TRACE("snap #%lu\n", g_step);
    hdm_hpet_snapshot_t s1, s2;
    save_of(&g_main, &s1);
    int st = restore_into(&g_main, &s1);
    REQUIRE(st == HDM_OK && g_main.ncb == 0,
            "main: restore of its own snapshot: %s, %lu callbacks",
            hdm_status_name(st), g_main.ncb);
    save_of(&g_main, &s2);
    REQUIRE(memcmp(&s1, &s2, sizeof(s1)) == 0,
            "main: restore of its own snapshot changed it");
    check_inst(&g_main);
    if (g_twin_on) {
        /* the twin does the same, so that the hashes stay comparable */
        save_of(&g_twin, &s1);
        st = restore_into(&g_twin, &s1);
        REQUIRE(st == HDM_OK, "twin: restore of its own snapshot: %s",
                hdm_status_name(st));
        check_inst(&g_twin);
        compare_twin();
    }
    clone_into(&g_aux, "scratch", false);
    compare_views(&g_main, &g_aux);
}

/* Index of a timer in @a mask (non-empty), chosen by @a x. */
static unsigned pick_bit(uint32_t mask, unsigned x)
{
    unsigned n = 0;
    for (uint32_t m = mask; m; m &= m - 1u) {
        n++;
    }
    unsigned k = x % n;
    for (unsigned i = 0; i < 32; i++) {
        if ((mask >> i) & 1u) {
            if (k-- == 0) {
                return i;
            }
        }
    }
    return 0;
}

/*
 * Make @a b a snapshot the validation must refuse (kind 2..15). Returns a
 * description.
 */
static const char *corrupt_field(hdm_hpet_snapshot_t *b, unsigned kind,
                                 unsigned idx, uint8_t x)
{
    hdm_hpet_state_t *n = &b->state;
    const hdm_hpet_config_t *c = &g_main.cfg;
    unsigned nt = c->num_timers;
    unsigned i = idx % nt;
    uint32_t impl = nt == 32 ? UINT32_MAX : (1u << nt) - 1u;
    switch (kind) {
    case 3:
        n->t[idx % NT_MAX].pad[idx % 2u] = x;
        return "timer pad";
    case 4:
        n->now = HDM_TICK_MAX + 1u + x;
        return "now beyond HDM_TICK_MAX";
    case 5:
        if (!c->leg_rt_cap && (x & 1u)) {
            n->gen_conf |= GEN_LEG;
            return "LEG_RT_CNF without LEG_RT_CAP";
        }
        n->gen_conf |= (uint64_t)1 << (2u + x % 62u);
        return "GEN_CONF reserved bit";
    case 6: {
        uint32_t edge = ~impl;
        for (unsigned k = 0; k < nt; k++) {
            if (!(n->t[k].conf & C_LEVEL)) {
                edge |= 1u << k;
            }
        }
        if (!edge) {
            break;
        }
        n->sts |= 1u << pick_bit(edge, x);
        return "status bit of an edge or unimplemented timer";
    }
    case 7:
        n->lines ^= 1u << (x % 32u);
        return "line levels";
    case 8:
        if (n->t[i].next == NEVER) {
            n->t[i].next = n->now + 1u + x;
        } else {
            n->t[i].next ^= 1u + (uint64_t)x;
        }
        return "timer next event";
    case 9:
        if (nt < NT_MAX) {
            hdm_hpet_timer_state_t *tm = &n->t[nt + idx % (NT_MAX - nt)];
            switch (x % 10u) {
            case 7:
                tm->stale = 1;
                break;
            case 8:
                tm->pend_at = x;
                break;
            case 9:
                tm->pend_cmp_mask = 1u + x;
                break;
            case 0:
                tm->conf |= C_ENB;
                break;
            case 1:
                tm->wrap_armed = 1;
                break;
            case 2:
                tm->cmp = 1u + x;
                break;
            case 3:
                tm->period = 1u + x;
                break;
            case 4:
                tm->fsb = 1u + x;
                break;
            case 5:
                tm->at = 1u + x;
                break;
            default:
                tm->next = x;
                break;
            }
            return "unimplemented timer not in reset state";
        }
        break;
    case 10: {
        static const unsigned bits[6] = { 0, 4, 5, 7, 15, 16 };
        unsigned bit = bits[x % 6u] + (x % 6u == 5 ? (x >> 3) % 16u : 0);
        uint32_t wm = conf_wmask_of(c, i);
        if (!c->timer[i].periodic && (x & 0x40u)) {
            bit = 3; /* TYPE_CNF without PER_INT_CAP */
        } else if (!c->timer[i].fsb && (x & 0x80u)) {
            bit = 14; /* FSB_EN_CNF without FSB_INT_DEL_CAP */
        }
        if (wm & (1u << bit)) {
            break;
        }
        n->t[i].conf |= 1u << bit;
        return "Tn_CONF bit outside its writable mask";
    }
    case 11: {
        uint32_t free = ~n->sts;
        if (c->intenb != HDM_HPET_INTENB_HOLD) {
            free = UINT32_MAX; /* any hold bit is refused */
        }
        if (!free) {
            break;
        }
        n->hold |= 1u << pick_bit(free, x);
        return "held line without status (or policy)";
    }
    case 12:
        if (!c->counter64 && (x & 1u)) {
            n->cnt |= (uint64_t)1 << (32u + x % 32u);
            return "32-bit counter above 2^32";
        }
        n->cnt_tick = n->now + 1u + x;
        return "cnt_tick after now";
    case 13: {
        hdm_hpet_timer_state_t *tm = &n->t[i];
        switch (x % 4u) {
        case 1:
            if (tm->pend_at == NEVER) {
                /* nothing parked: a landing tick without bits */
                tm->pend_at = n->now + 1u;
            } else {
                tm->pend_at = (x & 4u) ? n->now : n->now + 4u + x;
            }
            return "parked write landing tick";
        case 2:
            if (tm->pend_at == NEVER) {
                tm->pend_period_mask = 1;
            } else {
                tm->pend_cmp |= ~tm->pend_cmp_mask;
                if (!(tm->pend_cmp & ~tm->pend_cmp_mask)) {
                    break;
                }
            }
            return "parked bits outside their mask";
        case 3:
            if (!tm->stale) {
                tm->stale_cmp |= 1u + x;
            } else if (!c->stale_cmp_read) {
                break;
            } else {
                tm->stale = (uint8_t)(2u + x % 254u);
            }
            return "stale read value";
        default:
            break;
        }
        tm->at = n->now + 1u + x;
        return "timer synced after now";
    }
    case 14:
        if ((x & 1u) && !c->stale_cmp_read) {
            n->t[i].stale = 1;
            return "stale read without the quirk";
        }
        if ((x & 2u) && c->cmp_latency == 0) {
            n->t[i].pend_at = n->now + 1u;
            n->t[i].pend_cmp_mask = n->t[i].pend_cmp = 1;
            return "parked write without the quirk";
        }
        n->t[i].wrap_armed = (uint8_t)(2u + x % 254u);
        return "wrap flag above 1";
    case 15: {
        uint32_t m32 = 0;
        for (unsigned k = 0; k < nt; k++) {
            if (!c->timer[k].size64 || (n->t[k].conf & C_32MODE)) {
                m32 |= 1u << k;
            }
        }
        if (!m32) {
            break;
        }
        unsigned k = pick_bit(m32, x);
        if (x & 1u) {
            n->t[k].period |= (uint64_t)1 << (32u + x % 32u);
        } else {
            n->t[k].cmp |= (uint64_t)1 << (32u + x % 32u);
        }
        return "32-bit timer with a 64-bit comparator or period";
    }
    default:
        break;
    }
    n->pad = x ? x : 1u;
    return "state pad";
}

static void corrupt_test(unsigned kind, unsigned idx, uint8_t x)
{
    g_step++;
    g_what = "corrupt restore";
    if (x == 0) {
        x = 0x80;
    }
    hdm_hpet_snapshot_t good, bad, after;
    save_of(&g_main, &good);
    bad = good;
    size_t hdr = offsetof(hdm_hpet_snapshot_t, state);
    const char *what;
    if (kind == 0) {
        ((uint8_t *)&bad.state)[idx % sizeof(bad.state)] ^= x;
        what = "random state byte";
    } else if (kind == 1) {
        ((uint8_t *)&bad)[idx % hdr] ^= x;
        what = "header byte";
    } else {
        what = corrupt_field(&bad, kind, idx, x);
    }
    TRACE("corrupt #%lu kind %u (%s) idx %u x 0x%02x\n", g_step, kind, what,
          idx, x);
    int st = restore_into(&g_main, &bad);
    int want = kind == 1 ? HDM_E_VERSION : HDM_E_CORRUPT;
    if (kind == 0) {
        REQUIRE(st == HDM_OK || st == HDM_E_CORRUPT,
                "restore with state byte %u ^ 0x%02x: %s",
                idx % (unsigned)sizeof(bad.state), x, hdm_status_name(st));
    } else {
        REQUIRE(st == want,
                "restore with a corrupt %s (%u ^ 0x%02x): %s, "
                "expected %s",
                what, idx, x, hdm_status_name(st), hdm_status_name(want));
    }
    if (st != HDM_OK) {
        REQUIRE(g_main.ncb == 0, "refused restore made %lu callbacks",
                g_main.ncb);
        save_of(&g_main, &after);
        REQUIRE(memcmp(&good, &after, sizeof(after)) == 0,
                "refused restore (%s, %s) changed the device",
                hdm_status_name(st), what);
        check_inst(&g_main);
        return;
    }
    /* accepted: it is a consistent state; everything must hold from it */
    g_what = "corrupt restore accepted";
    check_inst(&g_main);
    if (g_twin_on) {
        st = restore_into(&g_twin, &bad);
        REQUIRE(st == HDM_OK, "twin: accepted snapshot refused: %s",
                hdm_status_name(st));
        check_inst(&g_twin);
        compare_twin();
    }
}

/* ------------------------------------------------------------------ */
/* Input decoding                                                      */
/* ------------------------------------------------------------------ */

typedef struct rd {
    const uint8_t *p;
    size_t n, i;
} rd_t;

static uint8_t u8(rd_t *r)
{
    return r->i < r->n ? r->p[r->i++] : 0;
}

static uint64_t le(rd_t *r, unsigned nbytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < nbytes; i++) {
        v |= (uint64_t)u8(r) << (8u * i);
    }
    return v;
}

/*
 * Longest advance from now that processes at most about EVENT_BUDGET
 * events: a scheduled periodic timer has one per period, a one-shot timer
 * at most two per 2^32 ticks (match and 32-bit wrap). Timers without a
 * schedule produce no events during the call.
 */
static uint64_t max_advance(const inst_t *in)
{
    const hdm_hpet_t *d = &in->dev;
    uint64_t gap = UINT64_MAX, n = 0;
    for (unsigned i = 0; i < d->cfg.num_timers; i++) {
        const hdm_hpet_timer_state_t *tm = &d->s.t[i];
        if (tm->next == NEVER && tm->pend_at == NEVER) {
            continue;
        }
        uint64_t g = (uint64_t)1 << 31;
        if (tm->conf & C_PER) {
            /* the period now and after a parked write lands */
            uint64_t m = t_is32(d, i) ? LO32 : UINT64_MAX;
            uint64_t landed =
                (tm->period & ~tm->pend_period_mask) | tm->pend_period;
            for (unsigned k = 0; k < 2; k++) {
                uint64_t pg = (k ? landed : tm->period) & m;
                if (pg == 0) {
                    pg = m == LO32 ? (uint64_t)1 << 32 : UINT64_MAX;
                }
                g = k == 0 || pg < g ? pg : g;
            }
        }
        gap = g < gap ? g : gap;
        n++;
    }
    if (n == 0 || gap > UINT64_MAX / EVENT_BUDGET) {
        return UINT64_MAX;
    }
    return gap * EVENT_BUDGET / n;
}

static hdm_tick_t clamp_tick(const inst_t *in, hdm_tick_t t)
{
    hdm_tick_t now = hdm_hpet_now(&in->dev);
    if (t <= now || t > HDM_TICK_MAX) {
        return t; /* refused, or no time passes */
    }
    uint64_t m = max_advance(in);
    return t - now > m ? now + m : t;
}

/*
 * Absolute tick from a time class and the input: 0-3 now, 4-7 +u8,
 * 8 +u16, 9 +u16*256, 10 +u24, 11 +u32, 12 +u40, 13 +2^40, 14 1..256
 * ticks in the past (HDM_TICK_MAX+1 if now is 0), 15 one byte b: bit 7
 * set: HDM_TICK_MAX-64+0..126 or (b = 0xFF) HDM_TICK_NEVER, else
 * +b*2^24. Forward jumps are clamped by max_advance().
 */
static hdm_tick_t pick_tick(rd_t *r, unsigned sel, hdm_tick_t now)
{
    hdm_tick_t t;
    switch (sel & 15u) {
    case 0:
    case 1:
    case 2:
    case 3:
        return now;
    case 4:
    case 5:
    case 6:
    case 7:
        t = now + u8(r);
        break;
    case 8:
        t = now + le(r, 2);
        break;
    case 9:
        t = now + (le(r, 2) << 8);
        break;
    case 10:
        t = now + le(r, 3);
        break;
    case 11:
        t = now + le(r, 4);
        break;
    case 12:
        t = now + le(r, 5);
        break;
    case 13:
        t = now + TICK_2_40;
        break;
    case 14: {
        uint64_t back = 1u + u8(r);
        return now >= back ? now - back : HDM_TICK_MAX + 1u;
    }
    default: {
        uint8_t b = u8(r);
        if (b == 0xFF) {
            return NEVER;
        }
        if (b & 0x80u) {
            t = HDM_TICK_MAX - 64u + (b & 0x7Fu);
            if (t < now) {
                return t; /* in the past */
            }
        } else {
            t = now + ((uint64_t)b << 24);
        }
        break;
    }
    }
    return clamp_tick(&g_main, t);
}

/*
 * Biased offset: the global registers, the timer blocks (incl. reserved
 * words and one timer beyond the implemented ones), anywhere in 0..0x5FF,
 * any 32-bit offset, the end of the window; sometimes misaligned.
 */
static uint32_t pick_offset(rd_t *r)
{
    static const uint16_t global[8] = { 0x000, 0x004, 0x010, 0x014,
                                        0x020, 0x024, 0x0F0, 0x0F4 };
    uint8_t b = u8(r);
    uint8_t c = u8(r);
    uint32_t off;
    switch (b >> 5) {
    case 0:
    case 1:
        off = global[c & 7u];
        break;
    case 2:
    case 3:
    case 4:
        off = R_CONF(c % (g_main.cfg.num_timers + 1u)) + 4u * (b & 7u);
        break;
    case 5:
        off = (((uint32_t)c << 8) | u8(r)) % 0x600u;
        break;
    case 6:
        off = (uint32_t)c | (uint32_t)le(r, 3) << 8;
        break;
    default:
        off = hdm_hpet_mmio_size(&g_main.dev) - 16u + (c & 31u);
        break;
    }
    if ((b & 0x18u) == 0x18u && (b >> 5) < 5) {
        off += 1u + ((c >> 5) & 3u); /* misaligned */
    }
    return off;
}

/* Size (biased to 4/8), debug flag, twice, extra flag bits. */
static void pick_size_flags(rd_t *r, prim_t *p)
{
    static const uint8_t sizes[16] = { 4, 8, 4, 8, 4, 8, 4,  8,
                                       4, 8, 1, 2, 0, 3, 16, 7 };
    uint8_t b = u8(r);
    p->size = sizes[b & 15u];
    p->flags = (b & 0x10u) ? HDM_ACCESS_DEBUG : 0u;
    p->twice = (b & 0x20u) != 0;
    if ((b & 0xC0u) == 0xC0u) {
        p->flags |= 0xFFFFFFFEu & ((unsigned)u8(r) << 1 | 0x100u);
    }
}

/* Value from a class: raw, small, counter-relative, near the wraps. */
static uint64_t pick_value(rd_t *r, unsigned cls)
{
    switch (cls & 7u) {
    case 0:
        return le(r, 8);
    case 1:
        return u8(r);
    case 2:
        return le(r, 4);
    case 3:
        return hdm_hpet_counter(&g_main.dev) + 1u + le(r, 2);
    case 4:
        return LO32 - u8(r);
    case 5:
        return UINT64_MAX - u8(r);
    case 6:
        return le(r, 2); /* Tn_CONF-shaped */
    default:
        return 0;
    }
}

/* One register of a WREG op: kind 0 global (b1 & 3), 1 CONF, 2 COMP, 3 FSB. */
static uint32_t wreg_offset(unsigned kind, uint8_t b1)
{
    static const uint16_t global[4] = { R_GCAP, R_GEN, R_STS, R_CNT };
    unsigned n = b1 % (g_main.cfg.num_timers + 1u);
    switch (kind & 3u) {
    case 0:
        return global[b1 & 3u];
    case 1:
        return R_CONF(n);
    case 2:
        return R_COMP(n);
    default:
        return R_FSB(n);
    }
}

static void decode_cfg(rd_t *r, hdm_hpet_config_t *cfg, unsigned *bad_kind,
                       bool *twin)
{
    static const uint32_t periods[8] = { 10000000u, 69841279u, 100000000u,
                                         1u,        41666667u, 14318180u,
                                         1000000u,  99999999u };
    static const uint32_t route_caps[7] = { 0x00FF0104u, 0xFFFFFFFFu,
                                            0x00000001u, 0x00F00000u,
                                            0x00000104u, 0x80000000u,
                                            0u };
    hdm_hpet_config_default(cfg);
    uint8_t b0 = u8(r), b1 = u8(r), b2 = u8(r);
    uint8_t b3 = u8(r);
    *bad_kind = b3 & 31u;
    cfg->cmp_latency = (b3 >> 5) & 3u;
    cfg->stale_cmp_read = (b3 & 0x80u) != 0;
    cfg->num_timers = (b0 & 31u) + 1u;
    cfg->counter64 = (b0 & 0x20u) != 0;
    cfg->leg_rt_cap = (b0 & 0x40u) != 0;
    *twin = (b0 & 0x80u) != 0;
    unsigned w = b1 & 3u;
    cfg->wrap = (hdm_hpet_wrap_policy_t)(w == 3 ? 0 : w);
    cfg->valset = (hdm_hpet_valset_policy_t)((b1 >> 2) & 1u);
    cfg->counter_write = (hdm_hpet_counter_write_policy_t)((b1 >> 3) & 1u);
    unsigned rt = (b1 >> 4) & 3u;
    cfg->route = (hdm_hpet_route_policy_t)(rt == 3 ? 0 : rt);
    cfg->intenb = (hdm_hpet_intenb_policy_t)((b1 >> 6) & 1u);
    cfg->period_fs = periods[b2 & 7u];
    cfg->vendor_id = (uint16_t)(0x8086u ^ ((b2 >> 3) & 3u) * 0x1111u);
    cfg->rev_id = (uint8_t)(1u + (b2 >> 5));
    uint8_t caps = 0;
    uint32_t rcap = 0;
    for (unsigned i = 0; i < cfg->num_timers; i++) {
        if (i == 0 || !(b1 & 0x80u)) {
            caps = u8(r);
            unsigned k = (caps >> 3) & 7u;
            rcap = k < 7 ? route_caps[k] : (uint32_t)le(r, 4);
        }
        cfg->timer[i].size64 = (caps & 1u) && cfg->counter64;
        cfg->timer[i].periodic = (caps & 2u) != 0;
        cfg->timer[i].fsb = (caps & 4u) != 0;
        cfg->timer[i].route_cap = rcap;
    }
}

/* init() must refuse every invalid configuration [hpet.h]. */
static void check_bad_config(const hdm_hpet_config_t *good, unsigned kind)
{
    g_what = "init with a bad config";
    hdm_hpet_config_t c = *good;
    const char *what;
    switch (kind % 12u) {
    case 0:
        c.num_timers = (kind & 0x10u) ? 0u : 33u + kind;
        what = "num_timers";
        break;
    case 1:
        c.period_fs = (kind & 0x10u) ? 0u : HDM_HPET_PERIOD_MAX_FS + 1u + kind;
        what = "period_fs";
        break;
    case 2:
        c.rev_id = 0;
        what = "rev_id 0";
        break;
    case 3:
        c.wrap = (hdm_hpet_wrap_policy_t)(3u + kind);
        what = "wrap policy";
        break;
    case 4:
        c.valset = (hdm_hpet_valset_policy_t)(2u + kind);
        what = "valset policy";
        break;
    case 5:
        c.counter_write = (hdm_hpet_counter_write_policy_t)(2u + kind);
        what = "counter_write policy";
        break;
    case 6:
        c.route = (hdm_hpet_route_policy_t)(3u + kind);
        what = "route policy";
        break;
    case 7:
        c.intenb = (hdm_hpet_intenb_policy_t)(2u + kind);
        what = "intenb policy";
        break;
    case 8:
        c.cmp_latency = HDM_HPET_CMP_LATENCY_MAX + 1u + kind;
        what = "cmp_latency";
        break;
    default:
        c.counter64 = false;
        c.timer[kind % c.num_timers].size64 = true;
        what = "64-bit timer on a 32-bit counter";
        break;
    }
    hdm_hpet_t dev;
    int st = hdm_hpet_init(&dev, &c, NULL);
    REQUIRE(st == HDM_E_INVAL, "init with a bad %s: %s", what,
            hdm_status_name(st));
    REQUIRE(hdm_hpet_init(NULL, good, NULL) == HDM_E_INVAL &&
                hdm_hpet_init(&dev, NULL, NULL) == HDM_E_INVAL,
            "init with NULL accepted");
}

static void run_input(const uint8_t *data, size_t size)
{
    rd_t r = { data, size, 0 };
    const char *tr = getenv("HDM_FUZZ_TRACE");
    g_trace = tr && *tr && *tr != '0';
    const char *nc = getenv("HDM_FUZZ_NO_CORRUPT");
    g_no_corrupt = nc && *nc && *nc != '0';
    g_step = 0;
    g_what = "init";
    g_twin_on = false;
    hdm_hpet_config_t cfg;
    unsigned bad_kind;
    bool twin;
    decode_cfg(&r, &cfg, &bad_kind, &twin);
    check_bad_config(&cfg, bad_kind);
    g_what = "init";
    inst_init(&g_main, "main", &cfg, false);
    check_inst(&g_main);
    if (twin) {
        start_twin();
    }

    prim_t ps[8];
    for (unsigned ops = 0; ops < MAX_OPS && r.i < r.n; ops++) {
        uint8_t opc = u8(&r);
        unsigned op = opc & 15u, sel = opc >> 4;
        hdm_tick_t now = hdm_hpet_now(&g_main.dev);
        unsigned np = 0;
        memset(ps, 0, sizeof(ps));
        switch (op) {
        case 0:
            ps[0].kind = P_WRITE;
            ps[0].off = pick_offset(&r);
            pick_size_flags(&r, &ps[0]);
            ps[0].value = pick_value(&r, u8(&r));
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        case 1:
            ps[0].kind = P_READ;
            ps[0].off = pick_offset(&r);
            pick_size_flags(&r, &ps[0]);
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        case 2: {
            uint8_t b0 = u8(&r), b1 = u8(&r);
            uint32_t off = wreg_offset(b0 & 3u, b1);
            unsigned width = (b0 >> 2) & 3u;
            uint64_t v = pick_value(&r, b0 >> 5);
            hdm_tick_t t = pick_tick(&r, sel, now);
            for (unsigned k = 0; k < (width == 3 ? 2u : 1u); k++) {
                ps[np].kind = P_WRITE;
                ps[np].off = off + (width == 2 || k == 1 ? 4u : 0u);
                ps[np].size = width == 0 ? 8u : 4u;
                ps[np].value = k == 1 ? v >> 32 : v;
                ps[np].flags = (b0 & 0x10u) ? HDM_ACCESS_DEBUG : 0u;
                ps[np].tick = t;
                ps[np].check = true;
                np++;
            }
            break;
        }
        case 3:
            ps[0].kind = P_ADVANCE;
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        case 4:
            for (np = 0; np <= sel && np < 8; np++) {
                ps[np].kind = P_TICK;
            }
            break;
        case 5:
            ps[0].kind = P_RESET;
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        case 6:
            start_twin();
            break;
        case 7: {
            unsigned idx = (unsigned)le(&r, 2);
            uint8_t x = u8(&r);
            if (!g_no_corrupt) {
                corrupt_test(sel, idx, x);
            }
            break;
        }
        case 8:
            snap_test();
            break;
        case 9: {
            uint8_t bt = u8(&r), mode = u8(&r), route = u8(&r);
            uint64_t delta = le(&r, 3), per = le(&r, 3);
            hdm_tick_t t = pick_tick(&r, sel, now);
            unsigned n = bt % cfg.num_timers;
            bool is32 = !cfg.timer[n].size64 || (mode & 8u);
            uint64_t m = is32 ? LO32 : UINT64_MAX;
            uint32_t conf =
                ((uint32_t)(route & 31u) << C_ROUTE_POS) |
                ((mode & 1u) ? C_PER | C_VALSET : 0) |
                ((mode & 2u) ? C_LEVEL : 0) | ((mode & 4u) ? C_ENB : 0) |
                ((mode & 8u) ? C_32MODE : 0) | ((mode & 16u) ? C_FSB_EN : 0);
            ps[np].kind = P_WRITE;
            ps[np].off = R_CONF(n);
            ps[np].size = 8;
            ps[np].value = conf;
            np++;
            if (mode & 16u) {
                ps[np].kind = P_WRITE;
                ps[np].off = R_FSB(n);
                ps[np].size = 8;
                ps[np].value =
                    (0xFEE00000ull | (uint64_t)n << 12) << 32 | (0x4000u | n);
                np++;
            }
            uint64_t cmp = 0;
            if (t >= now && t <= HDM_TICK_MAX) {
                cmp = (cnt_at(&g_main.dev, t) + 1u + delta) & m;
            }
            if (mode & 0x80u) {
                for (unsigned k = 0; k < 2; k++) {
                    ps[np].kind = P_WRITE;
                    ps[np].off = R_COMP(n) + 4u * k;
                    ps[np].size = 4;
                    ps[np].value = k ? cmp >> 32 : cmp & LO32;
                    np++;
                }
            } else {
                ps[np].kind = P_WRITE;
                ps[np].off = R_COMP(n);
                ps[np].size = 8;
                ps[np].value = cmp;
                np++;
            }
            if (mode & 1u) {
                ps[np].kind = P_WRITE;
                ps[np].off = R_COMP(n);
                ps[np].size = 8;
                ps[np].value = 1u + per;
                np++;
            }
            if (mode & 0x20u) {
                ps[np].kind = P_WRITE;
                ps[np].off = R_GEN;
                ps[np].size = 8;
                ps[np].value = GEN_EN | ((mode & 0x40u) ? GEN_LEG : 0);
                np++;
            }
            for (unsigned k = 0; k < np; k++) {
                ps[k].tick = t;
                ps[k].check = true;
            }
            break;
        }
        case 10:
            ps[0].kind = P_WRITE;
            ps[0].off = R_GEN;
            ps[0].size = (sel & 4u) ? 4u : 8u;
            ps[0].value = sel & 3u;
            ps[0].tick = pick_tick(&r, u8(&r), now);
            ps[0].check = true;
            np = 1;
            break;
        case 11: {
            hdm_tick_t next = hdm_hpet_next_event(&g_main.dev);
            hdm_tick_t t;
            if (next == NEVER) {
                t = now + u8(&r);
            } else if (sel < 8 && next < 8u - sel) {
                t = 0;
            } else {
                t = next + sel - 8u;
            }
            ps[0].kind = P_ADVANCE;
            ps[0].tick = clamp_tick(&g_main, t);
            np = 1;
            break;
        }
        case 12: {
            hdm_tick_t t = pick_tick(&r, u8(&r), now);
            uint8_t mb = u8(&r);
            ps[0].kind = P_ACK;
            ps[0].tick = t;
            ps[0].value = mb ? mb * 0x01010101ull : LO32;
            np = 1;
            break;
        }
        case 13: {
            uint8_t dd = u8(&r);
            uint64_t gen = g_main.v.gen;
            bool halt = (sel & 1u) != 0;
            uint64_t top = (sel & 2u) && cfg.counter64 ? UINT64_MAX : LO32;
            if (halt && (gen & GEN_EN)) {
                ps[np].kind = P_WRITE;
                ps[np].off = R_GEN;
                ps[np].size = 8;
                ps[np].value = gen & ~GEN_EN;
                np++;
            }
            ps[np].kind = P_WRITE;
            ps[np].off = R_CNT;
            ps[np].size = (sel & 4u) ? 4u : 8u;
            ps[np].value = top - dd;
            np++;
            if (halt) {
                ps[np].kind = P_WRITE;
                ps[np].off = R_GEN;
                ps[np].size = 8;
                ps[np].value = gen | GEN_EN;
                np++;
            }
            for (unsigned k = 0; k < np; k++) {
                ps[k].tick = now;
                ps[k].check = true;
            }
            break;
        }
        case 14: {
            hdm_tick_t t = now;
            for (np = 0; np <= sel && np < 8; np++) {
                uint8_t b = u8(&r);
                t += b >> 4;
                ps[np].kind = P_READ;
                ps[np].size = (b & 1u) ? 8u : 4u;
                ps[np].off = R_CNT + ((b & 3u) == 2u ? 4u : 0u);
                ps[np].flags = (b & 8u) ? HDM_ACCESS_DEBUG : 0u;
                ps[np].tick = clamp_tick(&g_main, t);
            }
            break;
        }
        default: {
            uint8_t b = u8(&r);
            static const int kinds[4] = { P_ADVANCE, P_READ, P_WRITE, P_RESET };
            hdm_tick_t t;
            switch ((b >> 6) & 3u) {
            case 0:
                t = now ? now - 1u - (b & 0x3Fu) % now : HDM_TICK_MAX + 1u;
                break;
            case 1:
                t = HDM_TICK_MAX + 1u + (b & 0x3Fu);
                break;
            case 2:
                t = NEVER - (b & 0x3Fu);
                break;
            default:
                t = (hdm_tick_t)1 << 63;
                break;
            }
            ps[0].kind = kinds[sel & 3u];
            ps[0].tick = t;
            ps[0].off = (sel & 4u) ? R_GEN : R_CNT;
            ps[0].size = 8;
            ps[0].value = GEN_EN;
            np = 1;
            break;
        }
        }
        for (unsigned i = 0; i < np; i++) {
            run_prim(&ps[i]);
        }
    }
    /* Let everything pending play out; full comparison at the end. */
    prim_t fin;
    memset(&fin, 0, sizeof(fin));
    fin.kind = P_ADVANCE;
    fin.tick = clamp_tick(&g_main, hdm_hpet_now(&g_main.dev) + TICK_2_40);
    run_prim(&fin);
    g_what = "final check";
    g_main.full = true;
    check_inst(&g_main);
    if (g_twin_on) {
        compare_twin();
    }
    snap_test();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    if (setjmp(g_bail) == 0) {
        g_bail_ok = true;
        run_input(data, size);
    }
    g_bail_ok = false;
    return 0;
}
