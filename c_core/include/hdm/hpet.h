/* SPDX-License-Identifier: MIT */
/*
 * hdm HPET: one IA-PC HPET timer block (IA-PC HPET Specification rev 1.0a,
 * Intel, October 2004).
 *
 *                  +--------------------------------------+
 *   memory bus --->| read/write(offset, 4 or 8 bytes)     |---> irq(line 0..31)
 *                  |                                      |     I/O APIC
 * inputs, | main counter (32/64 bit, lazy)       |     LegacyReplacement |
 * timer 0..N-1: comparator, period,    |     on lines 0 and 8 |   one-shot /
 * periodic, 32-bit mode   | | GINTR_STA (level status, W1C)        |--->
 * bus_write32(addr,
 *                  +--------------------------------------+     data): FSB /
 * MSI
 *
 * A tick is one main-counter increment (one COUNTER_CLK_PERIOD, configured
 * in femtoseconds). Time is pushed by the host: every call carries an
 * absolute tick; the core first processes its internal events up to that
 * tick, then applies the call. The counter is computed from ticks, and each
 * timer's next event (comparator match, or the 32-bit wrap of a one-shot
 * timer) is computed in closed form, so advance_to() costs O(events) and a
 * timer that can produce no output (interrupt disabled, or level status
 * already set) costs nothing: its periodic accumulator is brought up to
 * date only when it is looked at.
 *
 * Host interface: hdm_host_t (common.h).
 *  - irq(line, level, tick): line n is I/O APIC input n (Tn_INT_ROUTE_CNF);
 *    with LEG_RT_CNF=1 timer 0 drives line 0 (the 8254's IRQ0 slot, which a
 *    PC board wires to I/O APIC INTI2) and timer 1 line 8 (the RTC's IRQ8).
 *    Levels are the wired OR of the level-mode timers routed to the line;
 *    an edge-mode event is reported as a rise and a fall at the same tick
 *    (a pulse), which is invisible on a line a level source holds high.
 *  - bus_write32(addr, data, tick): one FSB interrupt message.
 *  - deadline(next), guest_error(): as in common.h.
 * Choices where the spec is silent, and the switches for points where
 * implementations disagree: docs/models/hpet.md (Deviations).
 */
#ifndef HDM_HPET_H
#define HDM_HPET_H

#include "hdm/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most timers a block can have [S 2.3.4 NUM_TIM_CAP]. */
#define HDM_HPET_MAX_TIMERS 32u

/** The spec's register window (timers 0..23) [S 2.1.1]. */
#define HDM_HPET_MMIO_SIZE 0x400u

/** Window with 32 timers: 0x100 + 0x20 * 32 (see hdm_hpet_mmio_size()). */
#define HDM_HPET_MMIO_MAX 0x500u

/** Interrupt outputs: one per I/O APIC input. */
#define HDM_HPET_LINES 32u

/** Largest COUNTER_CLK_PERIOD: 10^8 fs = 100 ns, i.e. 10 MHz [S 2.3.4]. */
#define HDM_HPET_PERIOD_MAX_FS 100000000u

/**
 * Spec ambiguity P2 (digest 8): extra events of a one-shot timer in 32-bit
 * mode when counter[31:0] wraps [S 2.3.9.2.1, 2.4.3.1].
 */
typedef enum hdm_hpet_wrap_policy {
    /** Every FFFFFFFF->0 wrap is an event (spec text, Bochs). Default. */
    HDM_HPET_WRAP_EVERY = 0,
    /**
     * One wrap event, armed only if the match lies beyond the next wrap
     * when the timer is programmed (QEMU, VirtualBox).
     */
    HDM_HPET_WRAP_ONCE = 1,
    /** No wrap events, only matches (newer Intel datasheet wording). */
    HDM_HPET_WRAP_NONE = 2,
} hdm_hpet_wrap_policy_t;

/** Spec ambiguity P3: what a periodic comparator write with VAL_SET loads. */
typedef enum hdm_hpet_valset_policy {
    /** Accumulator and period (QEMU, VirtualBox, bhyve). Default. */
    HDM_HPET_VALSET_BOTH = 0,
    /** Accumulator only; the period needs a second write (AMD-8111, Xen). */
    HDM_HPET_VALSET_ACCUMULATOR = 1,
} hdm_hpet_valset_policy_t;

/** Spec ambiguity P9: main counter write while ENABLE_CNF=1 [S 2.3.7]. */
typedef enum hdm_hpet_counter_write_policy {
    /** Takes effect at once; the count continues from it (bhyve). Default. */
    HDM_HPET_COUNTER_WRITE_APPLY = 0,
    /** Ignored (QEMU, Bochs, Xen lose it). Writes while halted apply. */
    HDM_HPET_COUNTER_WRITE_IGNORE = 1,
} hdm_hpet_counter_write_policy_t;

/**
 * Spec ambiguity P12: a Tn_INT_ROUTE_CNF value whose Tn_INT_ROUTE_CAP bit
 * is 0 ("read back will not match what is written") [S 2.3.8].
 */
typedef enum hdm_hpet_route_policy {
    /** Not stored: the field keeps its previous value. Default. */
    HDM_HPET_ROUTE_KEEP = 0,
    /** Stored and driven like a valid route (Intel ICH does not check). */
    HDM_HPET_ROUTE_STORE = 1,
    /** The field becomes 0 (bhyve). */
    HDM_HPET_ROUTE_ZERO = 2,
} hdm_hpet_route_policy_t;

/** Spec ambiguity P7: Tn_INT_ENB_CNF 1->0 while a level line is asserted. */
typedef enum hdm_hpet_intenb_policy {
    /** The timer stops driving the line; the status bit stays. Default. */
    HDM_HPET_INTENB_DROP = 0,
    /**
     * The line stays asserted until the status bit is cleared, the timer
     * leaves level mode or the block is halted (QEMU).
     */
    HDM_HPET_INTENB_HOLD = 1,
} hdm_hpet_intenb_policy_t;

/**
 * Largest comparator-write latency in ticks (digest 10, "up to 2 HPET
 * clocks" on ATI SB700/SB800 and Intel ICH9/ICH10; 3 for slower parts).
 */
#define HDM_HPET_CMP_LATENCY_MAX 3u

/** Capabilities of one timer (read-only fields of Tn_CONF) [S 2.3.8]. */
typedef struct hdm_hpet_timer_caps {
    bool size64;        /**< Tn_SIZE_CAP: 64-bit comparator (with 32MODE) */
    bool periodic;      /**< Tn_PER_INT_CAP */
    bool fsb;           /**< Tn_FSB_INT_DEL_CAP */
    uint32_t route_cap; /**< Tn_INT_ROUTE_CAP: bit k = I/O APIC input k */
} hdm_hpet_timer_caps_t;

/** Device configuration, fixed between init() and the next init(). */
typedef struct hdm_hpet_config {
    /** Number of timers, 1..32 (NUM_TIM_CAP + 1). */
    unsigned num_timers;
    /** COUNT_SIZE_CAP: 64-bit main counter (else 32-bit). */
    bool counter64;
    /** LEG_RT_CAP: LegacyReplacement routing supported. */
    bool leg_rt_cap;
    /** COUNTER_CLK_PERIOD in femtoseconds, 1..HDM_HPET_PERIOD_MAX_FS. */
    uint32_t period_fs;
    uint16_t vendor_id; /**< VENDOR_ID */
    uint8_t rev_id;     /**< REV_ID, not 0 */
    hdm_hpet_wrap_policy_t wrap;
    hdm_hpet_valset_policy_t valset;
    hdm_hpet_counter_write_policy_t counter_write;
    hdm_hpet_route_policy_t route;
    hdm_hpet_intenb_policy_t intenb;
    /**
     * Quirk (digest 8 quirk switches, 10 comparator write latency): a
     * Tn_COMP write reaches the comparator datapath this many ticks later
     * (0..HDM_HPET_CMP_LATENCY_MAX; 0, the default, is the spec). Until
     * then matches and the periodic adder use the old match value and
     * period; writes closer together than that land together, N ticks
     * after the last one. Reads return the programmed value. See
     * docs/models/hpet.md (Quirks).
     */
    unsigned cmp_latency;
    /**
     * Quirk (digest 8, 10 stale read-back, ICH9/ICH10): the first read of
     * Tn_COMP after a write returns the value from before the write, the
     * next read the new one. Debug reads return the same value without
     * consuming it. Off by default.
     */
    bool stale_cmp_read;
    /**
     * Per-timer capabilities; entries from num_timers on are ignored. A
     * 64-bit comparator needs a 64-bit counter (init() refuses size64 on a
     * 32-bit counter).
     */
    hdm_hpet_timer_caps_t timer[HDM_HPET_MAX_TIMERS];
} hdm_hpet_config_t;

/** Mutable state of one timer (plain data, part of the snapshot). */
typedef struct hdm_hpet_timer_state {
    uint32_t conf;      /**< Tn_CONF bits 31:0, writable bits only */
    uint8_t wrap_armed; /**< HDM_HPET_WRAP_ONCE: a wrap event is pending */
    uint8_t stale;      /**< stale_cmp_read: the next read returns stale_cmp */
    uint8_t pad[2];
    uint64_t cmp;    /**< match register (accumulator), valid as of @c at */
    uint64_t period; /**< hidden period register [S 2.3.9.2.2] */
    uint64_t fsb;    /**< Tn_FSB_ROUTE */
    hdm_tick_t at;   /**< every event at ticks <= at has been applied */
    hdm_tick_t next; /**< next event to process, NEVER if none is needed */
    /**
     * cmp_latency: comparator write(s) not yet in the datapath. At tick
     * pend_at (NEVER if none) cmp takes the bits pend_cmp_mask from
     * pend_cmp and period the bits pend_period_mask from pend_period.
     */
    hdm_tick_t pend_at;
    uint64_t pend_cmp, pend_cmp_mask;
    uint64_t pend_period, pend_period_mask;
    uint64_t stale_cmp; /**< stale_cmp_read: value of the next read, or 0 */
} hdm_hpet_timer_state_t;

/**
 * Complete mutable state as plain data (no pointers). This is what a
 * snapshot carries; hdm_hpet_restore() validates every field.
 */
typedef struct hdm_hpet_state {
    hdm_tick_t now;
    uint64_t gen_conf; /**< GEN_CONF bits 1:0 */
    uint64_t cnt;      /**< main counter at tick cnt_tick (held if halted) */
    hdm_tick_t cnt_tick;
    uint32_t sts;   /**< GINTR_STA bits 31:0 */
    uint32_t hold;  /**< HDM_HPET_INTENB_HOLD: level lines kept asserted */
    uint32_t lines; /**< line levels as last reported to the host */
    uint32_t pad;
    hdm_tick_t deadline; /**< last value reported through host->deadline */
    hdm_hpet_timer_state_t t[HDM_HPET_MAX_TIMERS];
} hdm_hpet_state_t;

/** An HPET instance. Caller-owned; treat the members as private. */
typedef struct hdm_hpet {
    hdm_hpet_config_t cfg;
    hdm_host_t host;
    hdm_hpet_state_t s;
} hdm_hpet_t;

#define HDM_HPET_SNAPSHOT_MAGIC   0x48504554u /* "HPET" */
#define HDM_HPET_SNAPSHOT_VERSION 2u

/**
 * Versioned plain-data snapshot (see docs/models/hpet.md, Snapshots). The
 * configuration is echoed as plain integers (a snapshot is untrusted
 * input, so it holds no bool or enum) and must equal the restoring
 * device's.
 */
typedef struct hdm_hpet_snapshot {
    uint32_t magic;
    uint32_t version;
    uint32_t size; /**< sizeof(hdm_hpet_snapshot_t) of the writer */
    uint32_t num_timers;
    uint32_t counter64;  /**< 0 or 1 */
    uint32_t leg_rt_cap; /**< 0 or 1 */
    uint32_t period_fs;
    uint32_t vendor_id;
    uint32_t rev_id;
    uint32_t wrap, valset, counter_write, route, intenb; /**< policies */
    uint32_t cmp_latency, stale_cmp_read; /**< quirks (stale: 0 or 1) */
    uint32_t size64, periodic, fsb;       /**< bit n: timer n has the cap */
    uint32_t route_cap[HDM_HPET_MAX_TIMERS];
    uint32_t pad;
    hdm_hpet_state_t state;
} hdm_hpet_snapshot_t;

/**
 * Default configuration, the shape of QEMU 10.0's q35 HPET: 3 timers, all
 * 64-bit and periodic-capable, no FSB, route capability 0x00FF0104 (I/O
 * APIC inputs 2, 8, 16..23), 64-bit counter, LEG_RT_CAP=1, 10 ns period
 * (100 MHz), vendor 0x8086, revision 1 (GCAP_ID 0x00989680_8086A201),
 * every policy at its spec-literal or recommended default (value 0), no
 * quirk (cmp_latency 0, stale_cmp_read off).
 */
void hdm_hpet_config_default(hdm_hpet_config_t *cfg);

/**
 * Initialise @a dev with @a cfg and @a host (copied; @a host may be NULL),
 * then reset it at tick 0.
 * @return HDM_OK, or HDM_E_INVAL for a NULL @a dev/@a cfg, num_timers
 *         outside 1..32, period_fs 0 or above HDM_HPET_PERIOD_MAX_FS,
 *         rev_id 0, an unknown policy value, cmp_latency above
 *         HDM_HPET_CMP_LATENCY_MAX, or a 64-bit timer on a 32-bit counter
 *         (the device is then unusable).
 * Invokes no callback.
 */
int hdm_hpet_init(hdm_hpet_t *dev, const hdm_hpet_config_t *cfg,
                  const hdm_host_t *host);

/**
 * Hardware reset at tick @a now [S 3.1]: counter halted and zero,
 * comparators all ones, every Tn_CONF RW bit 0, GEN_CONF, GINTR_STA,
 * Tn_FSB_ROUTE and the hidden periods 0, lines low. A tick before now()
 * or after HDM_TICK_MAX is replaced by now(). May invoke irq() for lines
 * that drop and deadline().
 */
void hdm_hpet_reset(hdm_hpet_t *dev, hdm_tick_t now);

/**
 * Process every internal event up to and including @a now.
 * @return HDM_OK, HDM_E_PAST if @a now is before the current tick, or
 *         HDM_E_INVAL if @a now is after HDM_TICK_MAX (nothing changed).
 * Every other call taking a tick refuses the same two cases the same way.
 * May invoke irq(), bus_write32() and deadline(). Cost: O(events).
 */
int hdm_hpet_advance_to(hdm_hpet_t *dev, hdm_tick_t now);

/** Advance by exactly one tick (lock-step benches). */
int hdm_hpet_tick(hdm_hpet_t *dev);

/** Current tick of the device. */
hdm_tick_t hdm_hpet_now(const hdm_hpet_t *dev);

/** Tick of the next internal event, or HDM_TICK_NEVER. Always > now. */
hdm_tick_t hdm_hpet_next_event(const hdm_hpet_t *dev);

/**
 * Bus read at @a offset of @a size bytes (4 or 8, naturally aligned) at
 * tick @a now (advances first). A 32-bit read of either half of a 64-bit
 * register returns that half [S 2.3.2, digest 2.2]; reads are not latched.
 * The only read side effect is the stale_cmp_read quirk: the first read of
 * Tn_COMP (either half) after a write returns the old value and consumes
 * the staleness; a debug read (HDM_ACCESS_DEBUG) returns the same value
 * without consuming it.
 * @return HDM_OK, HDM_E_UNMAPPED (reserved offset, unimplemented timer or
 *         beyond the window; reads 0), HDM_E_BAD_SIZE / HDM_E_BAD_ALIGN
 *         (no effect, reads 0), HDM_E_PAST / HDM_E_INVAL (reads 0).
 * Safe as a debug access.
 */
int hdm_hpet_read(hdm_hpet_t *dev, hdm_tick_t now, uint32_t offset,
                  unsigned size, uint64_t *value, unsigned flags);

/**
 * Bus write. A 64-bit write is one write of the whole register; a 32-bit
 * write changes only its half (for Tn_COMP it is one comparator write,
 * which consumes Tn_VAL_SET_CNF [digest 4.5], and under cmp_latency
 * reaches the comparator that many ticks later). Read-only fields of a
 * read/write register ignore writes (status HDM_OK).
 * @param flags HDM_ACCESS_DEBUG: as a normal write, except that the
 *        write-1-to-clear of GINTR_STA is ignored.
 * @return HDM_OK, HDM_E_READ_ONLY (GCAP_ID, ignored), HDM_E_UNMAPPED,
 *         HDM_E_BAD_SIZE, HDM_E_BAD_ALIGN, HDM_E_PAST, HDM_E_INVAL.
 * May invoke irq(), bus_write32() (events up to @a now) and deadline().
 */
int hdm_hpet_write(hdm_hpet_t *dev, hdm_tick_t now, uint32_t offset,
                   unsigned size, uint64_t value, unsigned flags);

/** Bytes of register window this configuration decodes [S 2.1.1, REC]. */
uint32_t hdm_hpet_mmio_size(const hdm_hpet_t *dev);

/** Main counter value at the current tick (no side effects). */
uint64_t hdm_hpet_counter(const hdm_hpet_t *dev);

/** Current level of interrupt line @a line (false if out of range). */
bool hdm_hpet_irq_level(const hdm_hpet_t *dev, unsigned line);

/**
 * LegacyReplacement routing is in effect (GEN_CONF.LEG_RT_CNF = 1, which
 * needs LEG_RT_CAP) [S 2.3.5, 2.4.2.1]: timers 0 and 1 drive lines 0 and
 * 8 and the platform disconnects the 8254 PIT and the RTC interrupt. A
 * host (QEMU's PIT/RTC wiring) polls this after GEN_CONF writes.
 */
bool hdm_hpet_legacy_route(const hdm_hpet_t *dev);

/** Capture the complete device state into @a snap. No callbacks. */
void hdm_hpet_save(const hdm_hpet_t *dev, hdm_hpet_snapshot_t *snap);

/**
 * Validate @a snap and, only if it is consistent, load it.
 * @return HDM_OK; HDM_E_VERSION (magic, version, size or configuration
 *         differ); HDM_E_CORRUPT (a field out of range or a derived value
 *         that does not match). On error the device is unchanged. On
 *         success invokes irq() for lines that differ from what the host
 *         last saw, and deadline().
 */
int hdm_hpet_restore(hdm_hpet_t *dev, const hdm_hpet_snapshot_t *snap);

#ifdef __cplusplus
}
#endif

#endif /* HDM_HPET_H */
