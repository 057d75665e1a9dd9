/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the PL011 core (also linked into the plain-C replay
 * driver fuzz_pl011_replay.c). The input is a program for one PL011
 * instance; every core call it makes is checked, and after every call the
 * device invariants are checked. A violation prints a message and abort()s.
 *
 * Input format (all multi-byte values little endian; missing bytes read 0):
 *   byte 0      config: bit0 revision (0 r1p5, 1 r1p4), bits 1..3 quirks
 *               (ALWAYS_ENABLED, RX_TRIGGER_1, INSTANT_TX), bit 4
 *               tx_pin_edges, bit 5 start the shadow instance at once,
 *               bit 6 quirk TX_8BIT, bit 7 a derivative's PeriphID
 *   then ops    opcode byte: low nibble = op, high nibble = "sel" (a time
 *               class, see pick_tick(), or a count), then the op's bytes:
 *     0 WRITE   off(2 or 5 bytes, pick_offset), szfl, value(4), time
 *     1 READ    off, szfl, time
 *     2 WREG    reg index, value(2), time   (32/16/8-bit at a register)
 *     3 ADVANCE time
 *     4 RXFRAME data, flags(1, +4 if bit7), time
 *     5 INPUT   pin(1, +4 if bit7), level, time; pin byte 0x7F (0xFF
 *               with bit 7 clear after the +4) is hdm_pl011_set_tx_hold
 *     6 TICK    sel+1 calls of hdm_pl011_tick
 *     7 RESET   time
 *     8 SHADOW  start (or restart) the shadow instance from a snapshot
 *     9 CORRUPT index(2), xor(1); sel bit0 adopt, bit1 header byte
 *    10 SELFRST save -> restore into the same instance
 *    11 BURST   time class(1), sel+1 DR writes of one data byte each
 *    12 RXWAVE  time class(1), pattern(2), jitter(1): sel+1 RXD bits at the
 *               latched receive bit period, then RXD HIGH
 *    13 SIRWAVE time class(1), pattern(1), width(1): SIRIN LOW pulses
 *    14 DRAIN   time class(1), sel+1 DR reads, one FR read
 *    15 SETUP   time, ibrd(1), fbrd(1), lcr_h(1), cr(2), imsc(2)
 *
 * Checked after every call (on the main, shadow and scratch instances):
 * FIFO levels vs depth and FEN capacity, rx_space, FR vs levels, the six
 * interrupt lines vs RIS & IMSC (unless ITEN), the host-seen irq/pin levels
 * vs the core's, deadline() vs next_event() >= now, callback ticks
 * non-decreasing and <= the call's now, statuses (defined value, the exact
 * documented one for accesses), failed reads return 0, refused calls change
 * nothing. From a SHADOW op on, every call is also made on a second
 * instance restored from a snapshot; a rolling hash of every callback,
 * status and read value must stay identical. CORRUPT flips one byte of a
 * snapshot: restore must return OK or CORRUPT (VERSION for a header byte),
 * a refused restore must leave the device unchanged, an accepted one must
 * keep every invariant and survive a 2^40-tick advance.
 */
#include "hdm/pl011.h"
#include "hdm/pl011_regs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by the replay driver: name of the input being run (for messages). */
const char *hdm_fuzz_label;

#define TICK_2_40 ((hdm_tick_t)1 << 40)
/* Far more callbacks than any legitimate single call can produce. */
#define MAX_CB_PER_CALL 1000000ul

/* ------------------------------------------------------------------ */
/* Failure reporting                                                   */
/* ------------------------------------------------------------------ */

#define HDM_FUZZ_NAME "fuzz_pl011"
#include "fuzz_support.h"

/* ------------------------------------------------------------------ */
/* Instances and host callbacks                                        */
/* ------------------------------------------------------------------ */

typedef struct inst {
    const char *name;
    hdm_pl011_t dev;
    hdm_pl011_config_t cfg;
    uint64_t hash;        /* rolling hash of everything observed */
    unsigned irq;         /* irq levels as the host saw them */
    unsigned pins;        /* output pin levels as the host saw them */
    hdm_tick_t deadline;  /* last deadline() value */
    hdm_tick_t last_tick; /* latest callback tick since the last restore */
    hdm_tick_t call_now;  /* callbacks of this call must be <= this */
    unsigned long ncb;    /* callbacks during the current call */
    bool in_call;
} inst_t;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0x100000001B3ull;
    return h ^ (h >> 29);
}

static void cb_common(inst_t *in, const char *kind)
{
    REQUIRE(in->in_call, "%s: %s callback outside of a core call", in->name,
            kind);
    REQUIRE(++in->ncb <= MAX_CB_PER_CALL,
            "%s: runaway: more than %lu "
            "callbacks in one call",
            in->name, MAX_CB_PER_CALL);
}

static void cb_tick(inst_t *in, const char *kind, hdm_tick_t t)
{
    REQUIRE(t <= in->call_now,
            "%s: %s callback tick %llu after the call's "
            "now %llu",
            in->name, kind, (unsigned long long)t,
            (unsigned long long)in->call_now);
    REQUIRE(t >= in->last_tick,
            "%s: %s callback tick %llu before an earlier "
            "callback's tick %llu",
            in->name, kind, (unsigned long long)t,
            (unsigned long long)in->last_tick);
    in->last_tick = t;
}

static void cb_irq(void *o, unsigned line, bool level, hdm_tick_t t)
{
    inst_t *in = o;
    cb_common(in, "irq");
    REQUIRE(line < HDM_PL011_IRQ_COUNT, "%s: irq line %u", in->name, line);
    REQUIRE(((in->irq >> line) & 1u) != (unsigned)level,
            "%s: irq line %u reported at level %d it already had", in->name,
            line, (int)level);
    cb_tick(in, "irq", t);
    in->irq ^= 1u << line;
    TRACE("    %s: irq %u=%d @%llu\n", in->name, line, (int)level,
          (unsigned long long)t);
    in->hash = mix(mix(in->hash, 0x100u + line * 2u + level), t);
}

static void cb_pin(void *o, unsigned pin, bool level, hdm_tick_t t)
{
    inst_t *in = o;
    cb_common(in, "pin");
    REQUIRE(pin < HDM_PL011_OUT_COUNT, "%s: pin id %u", in->name, pin);
    REQUIRE(in->cfg.tx_pin_edges ||
                (pin != HDM_PL011_OUT_TXD && pin != HDM_PL011_OUT_NSIROUT),
            "%s: line pin %u reported without tx_pin_edges", in->name, pin);
    REQUIRE(((in->pins >> pin) & 1u) != (unsigned)level,
            "%s: pin %u reported at level %d it already had", in->name, pin,
            (int)level);
    cb_tick(in, "pin", t);
    in->pins ^= 1u << pin;
    TRACE("    %s: pin %u=%d @%llu\n", in->name, pin, (int)level,
          (unsigned long long)t);
    in->hash = mix(mix(in->hash, 0x200u + pin * 2u + level), t);
}

static void cb_frame(void *o, const void *frame)
{
    inst_t *in = o;
    const hdm_pl011_frame_t *f = frame;
    cb_common(in, "tx_frame");
    REQUIRE(f != NULL, "%s: NULL frame", in->name);
    REQUIRE(f->start <= f->end, "%s: frame start %llu > end %llu", in->name,
            (unsigned long long)f->start, (unsigned long long)f->end);
    REQUIRE(!(f->flags & ~0xFu) && f->parity_bit <= 1u,
            "%s: frame flags 0x%x parity %u", in->name, f->flags,
            f->parity_bit);
    if (f->flags & HDM_PL011_FRAME_BREAK) {
        REQUIRE(f->data == 0, "%s: break frame with data", in->name);
    } else {
        REQUIRE(f->bits >= 5 && f->bits <= 8 && f->data < (1u << f->bits),
                "%s: frame bits %u data 0x%x", in->name, f->bits, f->data);
    }
    TRACE("    %s: frame %02x bits %u parity %u flags %x %llu..%llu\n",
          in->name, f->data, f->bits, f->parity_bit, f->flags,
          (unsigned long long)f->start, (unsigned long long)f->end);
    cb_tick(in, "tx_frame end", f->end);
    uint64_t h = mix(in->hash, 0x300u);
    h = mix(h, (uint64_t)f->data | (uint64_t)f->bits << 8 |
                   (uint64_t)f->parity_bit << 16 | (uint64_t)f->flags << 24);
    in->hash = mix(mix(h, f->start), f->end);
}

static void cb_deadline(void *o, hdm_tick_t next)
{
    inst_t *in = o;
    cb_common(in, "deadline");
    REQUIRE(next != in->deadline, "%s: deadline %llu reported again", in->name,
            (unsigned long long)next);
    REQUIRE(next == HDM_TICK_NEVER || next >= in->call_now,
            "%s: deadline %llu before the call's now %llu", in->name,
            (unsigned long long)next, (unsigned long long)in->call_now);
    in->deadline = next;
    TRACE("    %s: deadline %llu\n", in->name, (unsigned long long)next);
    in->hash = mix(mix(in->hash, 0x400u), next);
}

static void cb_bus_write32(void *o, uint64_t addr, uint32_t data,
                           hdm_tick_t tick)
{
    inst_t *in = o;
    (void)addr;
    (void)data;
    (void)tick;
    fz_fail("%s: bus_write32 callback from a PL011", in->name);
}

static void cb_guest_error(void *o, int status, uint32_t offset, unsigned size,
                           bool is_write)
{
    inst_t *in = o;
    cb_common(in, "guest_error");
    REQUIRE(status < 0 && status >= HDM_STATUS_MIN, "%s: guest_error status %d",
            in->name, status);
    in->hash = mix(mix(in->hash, 0x500u + (unsigned)(-status) * 2u + is_write),
                   (uint64_t)offset << 8 | (size & 0xFFu));
}

static void inst_init(inst_t *in, const char *name,
                      const hdm_pl011_config_t *cfg)
{
    memset(in, 0, sizeof(*in));
    in->name = name;
    in->cfg = *cfg;
    hdm_host_t h;
    memset(&h, 0, sizeof(h));
    h.opaque = in;
    h.irq = cb_irq;
    h.pin = cb_pin;
    h.tx_frame = cb_frame;
    h.bus_write32 = cb_bus_write32;
    h.deadline = cb_deadline;
    h.guest_error = cb_guest_error;
    in->in_call = true; /* init invokes no callback; ncb checks that */
    int st = hdm_pl011_init(&in->dev, cfg, &h);
    in->in_call = false;
    REQUIRE(st == HDM_OK && in->ncb == 0,
            "%s: init: status %d, %lu "
            "callbacks",
            name, st, in->ncb);
    for (unsigned i = 0; i < HDM_PL011_IRQ_COUNT; i++) {
        in->irq |= (unsigned)hdm_pl011_irq_level(&in->dev, i) << i;
    }
    for (unsigned i = 0; i < HDM_PL011_OUT_COUNT; i++) {
        in->pins |= (unsigned)hdm_pl011_output_level(&in->dev, i) << i;
    }
    in->deadline = HDM_TICK_NEVER;
    in->hash = 0xCBF29CE484222325ull;
}

static void begin(inst_t *in, hdm_tick_t call_now)
{
    in->in_call = true;
    in->call_now = call_now;
    in->ncb = 0;
}

static void end(inst_t *in)
{
    in->in_call = false;
}

/* ------------------------------------------------------------------ */
/* Register map knowledge for expected statuses                        */
/* ------------------------------------------------------------------ */

enum { K_NONE, K_RW, K_RO, K_WO };

static int reg_kind(uint32_t word)
{
    switch (word) {
    case 0x000:
    case 0x004:
    case 0x020:
    case 0x024:
    case 0x028:
    case 0x02C:
    case 0x030:
    case 0x034:
    case 0x038:
    case 0x048:
    case 0x080:
    case 0x084:
    case 0x088:
    case 0x08C:
        return K_RW;
    case 0x018:
    case 0x03C:
    case 0x040:
        return K_RO;
    case 0x044:
        return K_WO;
    default:
        return word >= 0xFE0u && word <= 0xFFCu ? K_RO : K_NONE;
    }
}

static int expect_access(bool write, uint32_t off, unsigned size)
{
    if (size != 1 && size != 2 && size != 4) {
        return HDM_E_BAD_SIZE;
    }
    if (off & (size - 1u)) {
        return HDM_E_BAD_ALIGN;
    }
    if (off >= HDM_PL011_MMIO_SIZE) {
        return HDM_E_UNMAPPED;
    }
    int k = reg_kind(off & ~3u);
    if (k == K_NONE) {
        return HDM_E_UNMAPPED;
    }
    if (!write) {
        return k == K_WO ? HDM_E_WRITE_ONLY : HDM_OK;
    }
    if (k == K_RO) {
        return HDM_E_READ_ONLY;
    }
    return (off & 3u) ? HDM_E_BAD_SIZE : HDM_OK;
}

static void check_status(const inst_t *in, int st, const char *fn)
{
    REQUIRE(st <= 0 && st >= HDM_STATUS_MIN &&
                strcmp(hdm_status_name(st), "UNKNOWN") != 0,
            "%s: %s returned undefined status %d", in->name, fn, st);
}

static uint32_t size_mask(unsigned size)
{
    return size >= 4 ? 0xFFFFFFFFu : ((1u << (8u * size)) - 1u);
}

/* ------------------------------------------------------------------ */
/* Invariants                                                          */
/* ------------------------------------------------------------------ */

/* Debug read for the checker (a checked call of its own). */
static uint32_t dbg_read(inst_t *in, uint32_t off)
{
    hdm_tick_t now = hdm_pl011_now(&in->dev);
    uint32_t v = 0xA5A5A5A5u;
    begin(in, now);
    int st = hdm_pl011_read(&in->dev, now, off, 4, &v, HDM_ACCESS_DEBUG);
    end(in);
    REQUIRE(st == HDM_OK, "%s: debug read of 0x%03x: status %d", in->name, off,
            st);
    REQUIRE(v <= 0xFFFFu, "%s: debug read of 0x%03x: 0x%x has bits above 15",
            in->name, off, v);
    in->hash = mix(in->hash, (uint64_t)off << 32 | v);
    return v;
}

static void check_inst(inst_t *in)
{
    hdm_pl011_t *d = &in->dev;
    const char *prev = g_what;
    g_what = "invariant check";
    uint32_t ris = dbg_read(in, HDM_PL011_UARTRIS_OFFSET);
    uint32_t imsc = dbg_read(in, HDM_PL011_UARTIMSC_OFFSET);
    uint32_t misr = dbg_read(in, HDM_PL011_UARTMIS_OFFSET);
    uint32_t fr = dbg_read(in, HDM_PL011_UARTFR_OFFSET);
    uint32_t tcr = dbg_read(in, HDM_PL011_UARTTCR_OFFSET);
    uint32_t lcr = dbg_read(in, HDM_PL011_UARTLCR_H_OFFSET);
    g_what = prev;

    hdm_tick_t now = hdm_pl011_now(d);
    hdm_tick_t next = hdm_pl011_next_event(d);
    REQUIRE(next >= now, "%s: next_event %llu < now %llu", in->name,
            (unsigned long long)next, (unsigned long long)now);
    REQUIRE(in->deadline == next,
            "%s: host deadline %llu but next_event "
            "%llu",
            in->name, (unsigned long long)in->deadline,
            (unsigned long long)next);

    /* FIFO levels */
    unsigned depth = in->cfg.revision == HDM_PL011_R1P5 ? 32u : 16u;
    unsigned cap = (lcr & HDM_PL011_UARTLCR_H_FEN_Msk) ? depth : 1u;
    unsigned tx = 0xDEAD, rx = 0xDEAD;
    hdm_pl011_fifo_levels(d, &tx, &rx);
    REQUIRE(tx <= depth && rx <= depth,
            "%s: fifo levels tx %u rx %u, depth "
            "%u",
            in->name, tx, rx, depth);
    REQUIRE(tx <= cap && rx <= cap,
            "%s: fifo levels tx %u rx %u above the "
            "FEN=%d capacity %u",
            in->name, tx, rx, cap > 1, cap);
    unsigned space = hdm_pl011_rx_space(d);
    REQUIRE(space == (rx >= cap ? 0u : cap - rx),
            "%s: rx_space %u with rx "
            "%u of %u",
            in->name, space, rx, cap);

    /* FR vs levels */
    bool instant = (in->cfg.quirks & HDM_PL011_QUIRK_INSTANT_TX) != 0;
    REQUIRE(!(fr & ~HDM_PL011_UARTFR_MASK), "%s: FR 0x%x", in->name, fr);
    REQUIRE(((fr & HDM_PL011_UARTFR_RXFE_Msk) != 0) == (rx == 0),
            "%s: FR 0x%x RXFE vs rx level %u", in->name, fr, rx);
    REQUIRE(((fr & HDM_PL011_UARTFR_RXFF_Msk) != 0) == (rx >= cap),
            "%s: FR 0x%x RXFF vs rx level %u/%u", in->name, fr, rx, cap);
    if (instant && !hdm_pl011_tx_held(d)) {
        /* instant TX queues only while the host holds it */
        REQUIRE(
            tx == 0 && (fr & HDM_PL011_UARTFR_TXFE_Msk) &&
                !(fr & (HDM_PL011_UARTFR_TXFF_Msk | HDM_PL011_UARTFR_BUSY_Msk)),
            "%s: instant-tx: FR 0x%x tx level %u", in->name, fr, tx);
    } else {
        REQUIRE(((fr & HDM_PL011_UARTFR_TXFE_Msk) != 0) == (tx == 0),
                "%s: FR 0x%x TXFE vs tx level %u", in->name, fr, tx);
        REQUIRE(((fr & HDM_PL011_UARTFR_TXFF_Msk) != 0) == (tx >= cap),
                "%s: FR 0x%x TXFF vs tx level %u/%u", in->name, fr, tx, cap);
        REQUIRE(tx == 0 || (fr & HDM_PL011_UARTFR_BUSY_Msk),
                "%s: FR 0x%x not BUSY with tx level %u", in->name, fr, tx);
    }

    /* Interrupt lines */
    REQUIRE(misr == (ris & imsc), "%s: MIS 0x%x != RIS 0x%x & IMSC 0x%x",
            in->name, misr, ris, imsc);
    unsigned lv = 0;
    for (unsigned i = 0; i < HDM_PL011_IRQ_COUNT; i++) {
        lv |= (unsigned)hdm_pl011_irq_level(d, i) << i;
    }
    REQUIRE(!hdm_pl011_irq_level(d, HDM_PL011_IRQ_COUNT) &&
                !hdm_pl011_irq_level(d, 0xFFFFFFFFu),
            "%s: irq_level of an unknown line", in->name);
    if (!(tcr & HDM_PL011_UARTTCR_ITEN_Msk)) {
        unsigned m = ris & imsc, want = 0;
        want |= (m & 0x010u) ? 1u << HDM_PL011_IRQ_RXINTR : 0;
        want |= (m & 0x020u) ? 1u << HDM_PL011_IRQ_TXINTR : 0;
        want |= (m & 0x040u) ? 1u << HDM_PL011_IRQ_RTINTR : 0;
        want |= (m & 0x00Fu) ? 1u << HDM_PL011_IRQ_MSINTR : 0;
        want |= (m & 0x780u) ? 1u << HDM_PL011_IRQ_EINTR : 0;
        want |= m ? 1u << HDM_PL011_IRQ_INTR : 0;
        REQUIRE(lv == want,
                "%s: irq levels 0x%02x, expected 0x%02x from RIS "
                "0x%03x IMSC 0x%03x",
                in->name, lv, want, ris, imsc);
    }
    REQUIRE(in->irq == lv, "%s: host saw irq levels 0x%02x, core has 0x%02x",
            in->name, in->irq, lv);

    /* Output pins as the host saw them */
    for (unsigned i = 0; i < HDM_PL011_OUT_COUNT; i++) {
        bool line = i == HDM_PL011_OUT_TXD || i == HDM_PL011_OUT_NSIROUT;
        if (line && !in->cfg.tx_pin_edges) {
            continue;
        }
        bool l = hdm_pl011_output_level(d, i);
        REQUIRE(((in->pins >> i) & 1u) == (unsigned)l,
                "%s: host saw pin %u "
                "at %u, core level %d",
                in->name, i, (in->pins >> i) & 1u, (int)l);
    }
    REQUIRE(!hdm_pl011_output_level(d, HDM_PL011_OUT_COUNT),
            "%s: output_level of an unknown pin", in->name);
}

/* ------------------------------------------------------------------ */
/* Primitive calls                                                     */
/* ------------------------------------------------------------------ */

enum prim_kind {
    P_READ,
    P_WRITE,
    P_ADVANCE,
    P_TICK,
    P_RXFRAME,
    P_INPUT,
    P_RESET,
    P_SELFRST,
};

/* P_INPUT with this pin id: hdm_pl011_set_tx_hold(level) */
#define P_HOLD_PIN 0x10000u

typedef struct prim {
    int kind;
    hdm_tick_t tick;
    uint32_t off; /* access offset; pin id for P_INPUT */
    unsigned size;
    uint32_t value; /* write value; data for P_RXFRAME; level for P_INPUT */
    unsigned flags; /* access flags; rx flags for P_RXFRAME */
    bool twice;     /* P_READ: debug read first, must read the same */
} prim_t;

static const char *const prim_names[] = {
    "read",     "write",     "advance_to", "tick",
    "rx_frame", "set_input", "reset",      "save/restore self",
};

static void save_of(const inst_t *in, hdm_pl011_snapshot_t *s)
{
    hdm_pl011_save(&in->dev, s);
}

/* Refused call: state unchanged and no callback. */
static void check_unchanged(const inst_t *in,
                            const hdm_pl011_snapshot_t *before, const char *why)
{
    hdm_pl011_snapshot_t after;
    save_of(in, &after);
    REQUIRE(memcmp(before, &after, sizeof(after)) == 0,
            "%s: refused (%s) call changed the device", in->name, why);
    REQUIRE(in->ncb == 0, "%s: refused (%s) call made %lu callbacks", in->name,
            why, in->ncb);
}

/* Status of a call at @a tick on a device at @a now, as far as time goes. */
static int tick_status(hdm_tick_t now, hdm_tick_t tick)
{
    if (tick < now) {
        return HDM_E_PAST;
    }
#ifdef HDM_TICK_MAX
    if (tick > HDM_TICK_MAX) {
        return HDM_E_INVAL;
    }
#endif
    return HDM_OK;
}

static void exec_prim(inst_t *in, const prim_t *p)
{
    hdm_pl011_t *d = &in->dev;
    hdm_tick_t now0 = hdm_pl011_now(d);
    TRACE("%s #%lu %s tick %llu (now %llu) off 0x%x size %u value 0x%x "
          "flags 0x%x\n",
          in->name, g_step, prim_names[p->kind], (unsigned long long)p->tick,
          (unsigned long long)now0, p->off, p->size, p->value, p->flags);
    int tst = tick_status(now0, p->tick);
    bool past = tst != HDM_OK; /* refused for its tick */
    hdm_pl011_snapshot_t before;
    int st = HDM_OK;
    switch (p->kind) {
    case P_READ: {
        if (p->twice && !past) {
            uint32_t v0 = 0x5A5A5A5Au;
            begin(in, p->tick);
            int s0 = hdm_pl011_read(d, p->tick, p->off, p->size, &v0,
                                    p->flags | HDM_ACCESS_DEBUG);
            end(in);
            check_status(in, s0, "debug read");
            uint32_t v1 = 0x5A5A5A5Au;
            begin(in, p->tick);
            int s1 = hdm_pl011_read(d, p->tick, p->off, p->size, &v1, p->flags);
            end(in);
            check_status(in, s1, "read");
            REQUIRE(s0 == s1 && v0 == v1,
                    "%s: read 0x%x size %u: debug "
                    "read gave %d/0x%x, the read %d/0x%x",
                    in->name, p->off, p->size, s0, v0, s1, v1);
            int want = expect_access(false, p->off, p->size);
            REQUIRE(s1 == want,
                    "%s: read 0x%x size %u: status %s, expected "
                    "%s",
                    in->name, p->off, p->size, hdm_status_name(s1),
                    hdm_status_name(want));
            REQUIRE(s1 == HDM_OK ? v1 <= (size_mask(p->size) & 0xFFFFu)
                                 : v1 == 0,
                    "%s: read 0x%x size %u (%s) returned 0x%x", in->name,
                    p->off, p->size, hdm_status_name(s1), v1);
            in->hash = mix(mix(in->hash, (uint64_t)(uint32_t)s0), v0);
            st = s1;
            break;
        }
        uint32_t v = 0x5A5A5A5Au;
        if (past) {
            save_of(in, &before);
        }
        begin(in, p->tick);
        st = hdm_pl011_read(d, p->tick, p->off, p->size, &v, p->flags);
        end(in);
        check_status(in, st, "read");
        int want = past ? tst : expect_access(false, p->off, p->size);
        REQUIRE(st == want, "%s: read 0x%x size %u: status %s, expected %s",
                in->name, p->off, p->size, hdm_status_name(st),
                hdm_status_name(want));
        if (st != HDM_OK) {
            REQUIRE(v == 0, "%s: failed read (%s) returned 0x%x", in->name,
                    hdm_status_name(st), v);
        } else {
            REQUIRE(!(v & ~size_mask(p->size)) && v <= 0xFFFFu,
                    "%s: read 0x%x size %u returned 0x%x", in->name, p->off,
                    p->size, v);
        }
        if (past) {
            check_unchanged(in, &before, hdm_status_name(tst));
        }
        TRACE("    -> %s 0x%x\n", hdm_status_name(st), v);
        in->hash = mix(mix(in->hash, (uint64_t)(uint32_t)st), v);
        break;
    }
    case P_WRITE: {
        if (past) {
            save_of(in, &before);
        }
        begin(in, p->tick);
        st = hdm_pl011_write(d, p->tick, p->off, p->size, p->value, p->flags);
        end(in);
        check_status(in, st, "write");
        int want = past ? tst : expect_access(true, p->off, p->size);
        REQUIRE(st == want, "%s: write 0x%x size %u: status %s, expected %s",
                in->name, p->off, p->size, hdm_status_name(st),
                hdm_status_name(want));
        if (past) {
            check_unchanged(in, &before, hdm_status_name(tst));
        }
        in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
        break;
    }
    case P_ADVANCE:
        if (past) {
            save_of(in, &before);
        }
        begin(in, p->tick);
        st = hdm_pl011_advance_to(d, p->tick);
        end(in);
        check_status(in, st, "advance_to");
        REQUIRE(st == tst,
                "%s: advance_to %llu from "
                "%llu: %s",
                in->name, (unsigned long long)p->tick, (unsigned long long)now0,
                hdm_status_name(st));
        if (past) {
            check_unchanged(in, &before, hdm_status_name(tst));
        }
        in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
        break;
    case P_TICK: {
        hdm_tick_t t = now0 + 1u;
        begin(in, t);
        st = hdm_pl011_tick(d);
        end(in);
        check_status(in, st, "tick");
        int want = tick_status(now0, t);
        REQUIRE(st == want, "%s: tick: %s, expected %s", in->name,
                hdm_status_name(st), hdm_status_name(want));
        if (st == HDM_OK) {
            REQUIRE(hdm_pl011_now(d) == t,
                    "%s: tick: now %llu, expected "
                    "%llu",
                    in->name, (unsigned long long)hdm_pl011_now(d),
                    (unsigned long long)t);
        }
        in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
        break;
    }
    case P_RXFRAME: {
        bool bad = (p->flags & ~(unsigned)(HDM_PL011_RX_FE | HDM_PL011_RX_PE |
                                           HDM_PL011_RX_BE)) != 0;
        if (past || bad) {
            save_of(in, &before);
        }
        begin(in, p->tick);
        st = hdm_pl011_rx_frame(d, p->tick, (uint8_t)p->value, p->flags);
        end(in);
        check_status(in, st, "rx_frame");
        if (bad || past) {
            REQUIRE((bad && st == HDM_E_INVAL) || (past && st == tst),
                    "%s: rx_frame flags 0x%x tick %llu (now %llu): %s",
                    in->name, p->flags, (unsigned long long)p->tick,
                    (unsigned long long)now0, hdm_status_name(st));
            check_unchanged(in, &before, hdm_status_name(st));
        } else {
            REQUIRE(st == HDM_OK || st == HDM_E_IGNORED, "%s: rx_frame: %s",
                    in->name, hdm_status_name(st));
        }
        in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
        break;
    }
    case P_INPUT: {
        bool hold = p->off == P_HOLD_PIN;
        bool bad = !hold && p->off >= HDM_PL011_IN_COUNT;
        if (past || bad) {
            save_of(in, &before);
        }
        begin(in, p->tick);
        if (hold) {
            st = hdm_pl011_set_tx_hold(d, p->tick, p->value != 0);
        } else {
            st = hdm_pl011_set_input(d, p->tick, p->off, p->value != 0);
        }
        end(in);
        check_status(in, st, hold ? "set_tx_hold" : "set_input");
        if (hold && st == HDM_OK) {
            REQUIRE(hdm_pl011_tx_held(d) == (p->value != 0),
                    "%s: tx_held() %d after set_tx_hold(%u)", in->name,
                    hdm_pl011_tx_held(d), p->value);
        }
        if (bad || past) {
            REQUIRE((bad && st == HDM_E_INVAL) || (past && st == tst),
                    "%s: set_input pin %u tick %llu (now %llu): %s", in->name,
                    p->off, (unsigned long long)p->tick,
                    (unsigned long long)now0, hdm_status_name(st));
            check_unchanged(in, &before, hdm_status_name(st));
        } else {
            REQUIRE(st == HDM_OK, "%s: set_input: %s", in->name,
                    hdm_status_name(st));
        }
        in->hash = mix(in->hash, (uint64_t)(uint32_t)st);
        break;
    }
    case P_RESET: {
        hdm_tick_t t = past ? now0 : p->tick;
        begin(in, t);
        hdm_pl011_reset(d, p->tick);
        end(in);
        unsigned tx, rx;
        hdm_pl011_fifo_levels(d, &tx, &rx);
        REQUIRE(tx == 0 && rx == 0 && hdm_pl011_next_event(d) == HDM_TICK_NEVER,
                "%s: after reset: tx %u rx %u next %llu", in->name, tx, rx,
                (unsigned long long)hdm_pl011_next_event(d));
        in->hash = mix(in->hash, 0x600u);
        break;
    }
    case P_SELFRST: {
        hdm_pl011_snapshot_t s;
        save_of(in, &s);
        begin(in, s.state.now);
        st = hdm_pl011_restore(d, &s);
        end(in);
        check_status(in, st, "restore");
        REQUIRE(st == HDM_OK, "%s: restore of its own snapshot: %s", in->name,
                hdm_status_name(st));
        in->hash = mix(in->hash, 0x700u);
        break;
    }
    default:
        fz_fail("bad prim %d", p->kind);
    }
    /* Time after a call that was accepted. */
    hdm_tick_t now1 = hdm_pl011_now(d);
    if (p->kind == P_RESET) {
        hdm_tick_t w = past ? now0 : p->tick;
        REQUIRE(now1 == w, "%s: now %llu after reset at %llu", in->name,
                (unsigned long long)now1, (unsigned long long)w);
    } else if (p->kind != P_TICK && p->kind != P_SELFRST && !past &&
               !(p->kind == P_INPUT && p->off >= HDM_PL011_IN_COUNT &&
                 p->off != P_HOLD_PIN) &&
               !(p->kind == P_RXFRAME && st == HDM_E_INVAL)) {
        REQUIRE(now1 == p->tick, "%s: now %llu after a call at %llu", in->name,
                (unsigned long long)now1, (unsigned long long)p->tick);
    } else if (p->kind != P_TICK) {
        REQUIRE(now1 == now0,
                "%s: now moved from %llu to %llu in a refused "
                "call",
                in->name, (unsigned long long)now0, (unsigned long long)now1);
    }
    (void)st;
}

/* ------------------------------------------------------------------ */
/* Session                                                             */
/* ------------------------------------------------------------------ */

static inst_t g_main, g_shadow, g_aux;
static bool g_shadow_on;

static void compare_shadow(void)
{
    if (!g_shadow_on) {
        return;
    }
    REQUIRE(g_main.hash == g_shadow.hash,
            "shadow diverged: output hash "
            "%016llx vs %016llx",
            (unsigned long long)g_main.hash, (unsigned long long)g_shadow.hash);
    REQUIRE(hdm_pl011_now(&g_main.dev) == hdm_pl011_now(&g_shadow.dev) &&
                hdm_pl011_next_event(&g_main.dev) ==
                    hdm_pl011_next_event(&g_shadow.dev),
            "shadow diverged: now %llu/%llu next %llu/%llu",
            (unsigned long long)hdm_pl011_now(&g_main.dev),
            (unsigned long long)hdm_pl011_now(&g_shadow.dev),
            (unsigned long long)hdm_pl011_next_event(&g_main.dev),
            (unsigned long long)hdm_pl011_next_event(&g_shadow.dev));
}

static void run_prim(const prim_t *p)
{
    g_step++;
    g_what = prim_names[p->kind];
    exec_prim(&g_main, p);
    check_inst(&g_main);
    if (g_shadow_on) {
        exec_prim(&g_shadow, p);
        check_inst(&g_shadow);
        compare_shadow();
    }
}

/* Restore @a s into @a in (time may jump: the tick order restarts). */
static int restore_into(inst_t *in, const hdm_pl011_snapshot_t *s)
{
    hdm_tick_t last = in->last_tick;
    in->last_tick = 0;
    begin(in, s->state.now);
    int st = hdm_pl011_restore(&in->dev, s);
    end(in);
    check_status(in, st, "restore");
    if (st != HDM_OK) {
        in->last_tick = last;
    }
    in->hash = mix(in->hash, 0x800u + (unsigned)(-st));
    return st;
}

static void start_shadow(void)
{
    g_step++;
    g_what = "shadow start";
    TRACE("shadow start #%lu\n", g_step);
    hdm_pl011_snapshot_t s;
    save_of(&g_main, &s);
    inst_init(&g_shadow, "shadow", &g_main.cfg);
    int st = restore_into(&g_shadow, &s);
    REQUIRE(st == HDM_OK, "shadow: restore of a fresh snapshot: %s",
            hdm_status_name(st));
    REQUIRE(hdm_pl011_now(&g_shadow.dev) == s.state.now,
            "shadow: now after restore");
    check_inst(&g_shadow);
    check_inst(&g_main);
    g_shadow_on = true;
    g_main.hash = g_shadow.hash = 0x84222325CBF29CE4ull;
}

static void corrupt_test(unsigned idx, uint8_t x, bool adopt, bool header)
{
    g_step++;
    g_what = "corrupt restore";
    TRACE("corrupt #%lu %s byte %u ^ 0x%02x%s\n", g_step,
          header ? "header" : "state", idx, x, adopt ? " adopt" : "");
    hdm_pl011_snapshot_t good, bad, before, after;
    save_of(&g_main, &good);
    bad = good;
    size_t hdr = offsetof(hdm_pl011_snapshot_t, state);
    if (x == 0) {
        x = 0x80;
    }
    if (header) {
        ((uint8_t *)&bad)[idx % hdr] ^= x;
    } else {
        ((uint8_t *)&bad.state)[idx % sizeof(bad.state)] ^= x;
    }

    inst_init(&g_aux, "scratch", &g_main.cfg);
    int st = restore_into(&g_aux, &good);
    REQUIRE(st == HDM_OK, "scratch: restore of a good snapshot: %s",
            hdm_status_name(st));
    check_inst(&g_aux);
    save_of(&g_aux, &before);
    st = restore_into(&g_aux, &bad);
    if (header) {
        REQUIRE(st == HDM_E_VERSION,
                "restore with header byte %u ^ 0x%02x: "
                "%s, expected VERSION",
                idx % (unsigned)hdr, x, hdm_status_name(st));
    } else {
        REQUIRE(st == HDM_OK || st == HDM_E_CORRUPT,
                "restore with state "
                "byte %u ^ 0x%02x: %s",
                idx % (unsigned)sizeof(bad.state), x, hdm_status_name(st));
    }
    if (st != HDM_OK) {
        REQUIRE(g_aux.ncb == 0, "refused restore made %lu callbacks",
                g_aux.ncb);
        save_of(&g_aux, &after);
        REQUIRE(memcmp(&before, &after, sizeof(after)) == 0,
                "refused restore (%s, state byte %u ^ 0x%02x) changed the "
                "device",
                hdm_status_name(st), idx % (unsigned)sizeof(bad.state), x);
        return;
    }
    g_what = "corrupt restore accepted";
    REQUIRE(hdm_pl011_now(&g_aux.dev) == bad.state.now,
            "accepted restore: "
            "now %llu, snapshot %llu",
            (unsigned long long)hdm_pl011_now(&g_aux.dev),
            (unsigned long long)bad.state.now);
    check_inst(&g_aux);
    prim_t p;
    memset(&p, 0, sizeof(p));
    p.kind = P_ADVANCE;
    p.tick = hdm_pl011_now(&g_aux.dev) + TICK_2_40;
    exec_prim(&g_aux, &p);
    check_inst(&g_aux);
    p.kind = P_TICK;
    exec_prim(&g_aux, &p);
    check_inst(&g_aux);
    if (!adopt) {
        return;
    }
    g_what = "corrupt restore adopted";
    st = restore_into(&g_main, &bad);
    REQUIRE(st == HDM_OK, "main: accepted snapshot refused: %s",
            hdm_status_name(st));
    check_inst(&g_main);
    if (g_shadow_on) {
        st = restore_into(&g_shadow, &bad);
        REQUIRE(st == HDM_OK, "shadow: accepted snapshot refused: %s",
                hdm_status_name(st));
        check_inst(&g_shadow);
        compare_shadow();
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
 * Absolute tick from a time class and the input: 0-3 now, 4-7 +u8,
 * 8 +u16, 9 +u16*16, 10 +u24, 11 +u32, 12 +u40 (< 2^40), 13 +2^40,
 * 14 1..256 ticks in the past (0 if now is 0), 15 +u8*256, or with
 * bit 7 of that byte set (if HDM_TICK_MAX exists) HDM_TICK_MAX-64+0..127.
 */
static hdm_tick_t pick_tick(rd_t *r, unsigned sel, hdm_tick_t now)
{
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
        return now + u8(r);
    case 8:
        return now + le(r, 2);
    case 9:
        return now + (le(r, 2) << 4);
    case 10:
        return now + le(r, 3);
    case 11:
        return now + le(r, 4);
    case 12:
        return now + (le(r, 5) & (TICK_2_40 - 1u));
    case 13:
        return now + TICK_2_40;
    case 14: {
        uint64_t back = 1u + u8(r);
        return now >= back ? now - back : 0; /* before now unless now == 0 */
    }
    default: {
        uint8_t b = u8(r);
#ifdef HDM_TICK_MAX
        if (b & 0x80u) { /* around the core's last accepted tick */
            hdm_tick_t t = HDM_TICK_MAX - 64u + (b & 0x7Fu);
            return t > now ? t : now;
        }
#endif
        return now + ((uint64_t)b << 8);
    }
    }
}

/* Biased offset: mostly 0x000..0x04C, 0x080..0x08C, 0xFE0..0xFFC. */
static uint32_t pick_offset(rd_t *r)
{
    uint8_t b = u8(r);
    uint8_t c = u8(r);
    switch (b >> 5) {
    case 0:
    case 1:
    case 2:
    case 7:
        return 4u * (c % 20u) + ((b & 4u) ? (b & 3u) : 0u);
    case 3:
        return 0x080u + (c & 0x0Fu);
    case 4:
        return 0xFE0u + (c & 0x1Fu);
    case 5:
        return ((uint32_t)c << 8 | u8(r)) & 0xFFFu;
    default:
        return (uint32_t)c | (uint32_t)le(r, 3) << 8;
    }
}

/* Size 0..8 (biased to 1/2/4), alignment, flags from one byte. */
static void pick_size_flags(rd_t *r, prim_t *p)
{
    uint8_t b = u8(r);
    unsigned s = b & 0x0Fu;
    p->size = s <= 8 ? s : (s <= 12 ? 4u : (s == 13 ? 2u : 1u));
    if ((b & 0x10u) && (p->size == 1 || p->size == 2 || p->size == 4)) {
        p->off &= ~(uint32_t)(p->size - 1u);
    }
    p->flags = (b & 0x20u) ? HDM_ACCESS_DEBUG : 0u;
    if ((b & 0xC0u) == 0xC0u) {
        p->flags |= 0xFFFFFFFEu & ((unsigned)u8(r) << 1 | 0x100u);
    }
    p->twice = (b & 0xC0u) == 0x80u;
}

static const uint16_t reg_table[16] = {
    0x000, 0x004, 0x020, 0x024, 0x028, 0x02C, 0x030, 0x034,
    0x038, 0x044, 0x048, 0x080, 0x084, 0x088, 0x08C, 0x018,
};

/* Latched receive bit period (peeking at the generator) with jitter. */
static hdm_tick_t rx_bit_period(const hdm_pl011_t *d, uint8_t jitter)
{
    uint64_t ibrd = d->s.gen_rx.ibrd ? d->s.gen_rx.ibrd : 1u;
    uint64_t p = 16u * ibrd + d->s.gen_rx.fbrd / 4u;
    int64_t j = (int64_t)jitter - 128;
    int64_t q = (int64_t)p + j * (int64_t)p / 1024;
    return q < 1 ? 1u : (hdm_tick_t)q;
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
    g_shadow_on = false;
    uint8_t c = u8(&r);
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    cfg.revision = (c & 1u) ? HDM_PL011_R1P4 : HDM_PL011_R1P5;
    cfg.quirks = (c >> 1) & 7u;
    if (c & 0x40u) {
        cfg.quirks |= HDM_PL011_QUIRK_TX_8BIT;
    }
    if (c & 0x80u) {
        cfg.periph_id = 0x01180011u; /* Luminary */
    }
    cfg.tx_pin_edges = (c & 0x10u) != 0;
    inst_init(&g_main, "main", &cfg);
    check_inst(&g_main);
    if (c & 0x20u) {
        start_shadow();
    }

    prim_t ps[40];
    while (r.i < r.n) {
        uint8_t opc = u8(&r);
        unsigned op = opc & 15u, sel = opc >> 4;
        hdm_tick_t now = hdm_pl011_now(&g_main.dev);
        unsigned np = 0;
        memset(ps, 0, sizeof(ps));
        switch (op) {
        case 0:
            ps[0].kind = P_WRITE;
            ps[0].off = pick_offset(&r);
            pick_size_flags(&r, &ps[0]);
            ps[0].value = (uint32_t)le(&r, 4);
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
            uint8_t b = u8(&r);
            static const unsigned sizes[4] = { 4, 4, 2, 1 };
            ps[0].kind = P_WRITE;
            ps[0].off = reg_table[b & 15u];
            ps[0].size = sizes[(b >> 4) & 3u];
            ps[0].flags = (b & 0x40u) ? HDM_ACCESS_DEBUG : 0u;
            ps[0].value = (uint32_t)le(&r, 2);
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        }
        case 3:
            ps[0].kind = P_ADVANCE;
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        case 4: {
            ps[0].kind = P_RXFRAME;
            ps[0].value = u8(&r);
            uint8_t f = u8(&r);
            ps[0].flags = (unsigned)(f & 7u) << 8;
            if (f & 0x80u) {
                ps[0].flags = (unsigned)le(&r, 4);
            }
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        }
        case 5: {
            ps[0].kind = P_INPUT;
            uint8_t b = u8(&r);
            ps[0].off = b & 7u;
            if (b & 0x80u) {
                ps[0].off = (uint32_t)le(&r, 4);
            } else if ((b & 0x7Fu) == 0x7Fu) {
                ps[0].off = P_HOLD_PIN;
            } else if (b & 0x40u) {
                ps[0].off = 8u + (b & 0x3Fu);
            }
            ps[0].value = u8(&r) & 1u;
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        }
        case 6:
            for (np = 0; np <= sel; np++) {
                ps[np].kind = P_TICK;
            }
            break;
        case 7:
            ps[0].kind = P_RESET;
            ps[0].tick = pick_tick(&r, sel, now);
            np = 1;
            break;
        case 8:
            start_shadow();
            break;
        case 9: {
            unsigned idx = (unsigned)le(&r, 2);
            uint8_t x = u8(&r);
            if (!g_no_corrupt) {
                corrupt_test(idx, x, (sel & 1u) != 0, (sel & 2u) != 0);
            }
            break;
        }
        case 10:
            ps[0].kind = P_SELFRST;
            np = 1;
            break;
        case 11: {
            hdm_tick_t t = pick_tick(&r, u8(&r), now);
            for (np = 0; np <= sel; np++) {
                ps[np].kind = P_WRITE;
                ps[np].off = HDM_PL011_UARTDR_OFFSET;
                ps[np].size = 4;
                ps[np].value = u8(&r);
                ps[np].tick = t;
            }
            break;
        }
        case 12: {
            hdm_tick_t t = pick_tick(&r, u8(&r), now);
            unsigned pat = (unsigned)le(&r, 2);
            hdm_tick_t per = rx_bit_period(&g_main.dev, u8(&r));
            unsigned n = sel + 1u;
            for (np = 0; np < n; np++) {
                ps[np].kind = P_INPUT;
                ps[np].off = HDM_PL011_IN_RXD;
                ps[np].value = (pat >> np) & 1u;
                ps[np].tick = t + per * np;
            }
            ps[np].kind = P_INPUT;
            ps[np].off = HDM_PL011_IN_RXD;
            ps[np].value = 1;
            ps[np].tick = t + per * np;
            np++;
            break;
        }
        case 13: {
            hdm_tick_t t = pick_tick(&r, u8(&r), now);
            unsigned pat = u8(&r);
            hdm_tick_t per = rx_bit_period(&g_main.dev, 128);
            hdm_tick_t w = 1u + (u8(&r) * per) / 256u;
            unsigned n = (sel & 7u) + 1u;
            for (unsigned k = 0; k < n; k++) {
                if ((pat >> k) & 1u) {
                    continue;
                }
                ps[np].kind = P_INPUT;
                ps[np].off = HDM_PL011_IN_SIRIN;
                ps[np].value = 0;
                ps[np].tick = t + per * k;
                np++;
                ps[np] = ps[np - 1];
                ps[np].value = 1;
                ps[np].tick += w;
                np++;
            }
            break;
        }
        case 14: {
            hdm_tick_t t = pick_tick(&r, u8(&r), now);
            for (np = 0; np <= sel; np++) {
                ps[np].kind = P_READ;
                ps[np].off = HDM_PL011_UARTDR_OFFSET;
                ps[np].size = 4;
                ps[np].tick = t;
            }
            ps[np].kind = P_READ;
            ps[np].off = HDM_PL011_UARTFR_OFFSET;
            ps[np].size = 4;
            ps[np].tick = t;
            np++;
            break;
        }
        default: {
            hdm_tick_t t = pick_tick(&r, sel, now);
            uint32_t vals[5];
            static const uint16_t offs[5] = { 0x024, 0x028, 0x02C, 0x030,
                                              0x038 };
            vals[0] = 1u + (u8(&r) & 0x3Fu);
            vals[1] = u8(&r) & 0x3Fu;
            vals[2] = u8(&r);
            vals[3] = (uint32_t)le(&r, 2);
            vals[4] = (uint32_t)le(&r, 2) & 0x7FFu;
            for (np = 0; np < 5; np++) {
                ps[np].kind = P_WRITE;
                ps[np].off = offs[np];
                ps[np].size = 4;
                ps[np].value = vals[np];
                ps[np].tick = t;
            }
            break;
        }
        }
        for (unsigned i = 0; i < np; i++) {
            run_prim(&ps[i]);
        }
    }
    /* Let everything pending play out, then once more. */
    prim_t fin;
    memset(&fin, 0, sizeof(fin));
    fin.kind = P_ADVANCE;
    fin.tick = hdm_pl011_now(&g_main.dev) + TICK_2_40;
    run_prim(&fin);
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
