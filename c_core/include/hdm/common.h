/* SPDX-License-Identifier: MIT */
/*
 * hdm common layer: ticks, status codes, access flags, host callbacks.
 *
 * Every hdm core is a caller-owned struct driven by absolute ticks that the
 * host pushes in; no core ever reads a clock, allocates, or keeps globals.
 * A tick is one period of the device's own clock (PL011: UARTCLK, HPET: one
 * main-counter increment). Ticks are 64-bit and compared wrap-safely with
 * hdm_tick_before(); HDM_TICK_NEVER means "no event scheduled".
 *
 * See docs/architecture.md for the layering and the status model.
 */
#ifndef HDM_COMMON_H
#define HDM_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Absolute device tick. */
typedef uint64_t hdm_tick_t;

/** "No event": returned by next_event() when nothing is scheduled. */
#define HDM_TICK_NEVER UINT64_MAX

/**
 * Largest tick a core accepts (2^62: 146 years at 1 GHz). Calls with a
 * later tick return HDM_E_INVAL, which keeps every derived tick (frame
 * ends, timeouts, comparator matches) far from 64-bit overflow.
 */
#define HDM_TICK_MAX (UINT64_C(1) << 62)

/** True when tick @a a is strictly before tick @a b (wrap-safe). */
static inline bool hdm_tick_before(hdm_tick_t a, hdm_tick_t b)
{
    return (int64_t)(a - b) < 0;
}

/** Earlier of two ticks, treating HDM_TICK_NEVER as +infinity. */
static inline hdm_tick_t hdm_tick_min(hdm_tick_t a, hdm_tick_t b)
{
    if (a == HDM_TICK_NEVER) {
        return b;
    }
    if (b == HDM_TICK_NEVER) {
        return a;
    }
    return hdm_tick_before(b, a) ? b : a;
}

/**
 * Status of a core call. Zero is success, negative values classify what the
 * hardware did with an access or why a host request was refused (libuv
 * style). hdm_status_name() gives the mnemonic.
 */
typedef enum hdm_status {
    HDM_OK = 0,
    /** Reserved offset: reads 0, write ignored. */
    HDM_E_UNMAPPED = -1,
    /** Access width not accepted by the register block: no effect. */
    HDM_E_BAD_SIZE = -2,
    /** Address not aligned to the access width: no effect. */
    HDM_E_BAD_ALIGN = -3,
    /** Write to a read-only register: ignored. */
    HDM_E_READ_ONLY = -4,
    /** Read of a write-only register: reads 0, no side effect. */
    HDM_E_WRITE_ONLY = -5,
    /** Bad argument from the host (config, pin id, NULL). Nothing changed. */
    HDM_E_INVAL = -6,
    /** Snapshot from another version, size or device configuration. */
    HDM_E_VERSION = -7,
    /** Snapshot field out of range: refused, device unchanged. */
    HDM_E_CORRUPT = -8,
    /** Tick earlier than the device's current time: nothing changed. */
    HDM_E_PAST = -9,
    /** Input not accepted in the current device state (e.g. RX disabled). */
    HDM_E_IGNORED = -10,
} hdm_status_t;

#define HDM_STATUS_MIN HDM_E_IGNORED

/** Mnemonic of a status ("OK", "UNMAPPED", ...); "UNKNOWN" otherwise. */
const char *hdm_status_name(int status);

/** One-line English description of a status. */
const char *hdm_status_str(int status);

/** Parse a mnemonic back to a status. Returns false if unknown. */
bool hdm_status_parse(const char *name, int *status);

/** Bus access flags. */
enum {
    /**
     * Debug access: the value a normal access would return, without side
     * effects (no FIFO pop, no W1C, no status latch). Debug writes update
     * plain storage registers only; writes that push, pop, clear or flush
     * are ignored (PL011: DR, ECR, ICR, TDR, LCR_H). For debuggers, TLM
     * transport_dbg and trace probes.
     */
    HDM_ACCESS_DEBUG = 1u << 0,
};

/**
 * Host callbacks shared by every core. Any pointer may be NULL. Callbacks
 * are invoked synchronously from inside core calls, with the exact tick at
 * which the change happened (which may be earlier than the @c now of the
 * call that processed it). A callback must not call back into the same core
 * instance.
 */
typedef struct hdm_host {
    void *opaque;
    /** Interrupt output @a line changed to @a level at @a tick. */
    void (*irq)(void *opaque, unsigned line, bool level, hdm_tick_t tick);
    /** Non-interrupt output pin @a pin changed (device-specific ids). */
    void (*pin)(void *opaque, unsigned pin, bool level, hdm_tick_t tick);
    /**
     * A whole serial frame left the transmitter (PL011). @a frame points to
     * a device-specific frame record valid for the duration of the call.
     */
    void (*tx_frame)(void *opaque, const void *frame);
    /** A 32-bit bus write issued by the device (HPET FSB/MSI delivery). */
    void (*bus_write32)(void *opaque, uint64_t addr, uint32_t data,
                        hdm_tick_t tick);
    /**
     * The device's next internal event moved to @a next (HDM_TICK_NEVER if
     * none). A host with one timer re-arms it here.
     */
    void (*deadline)(void *opaque, hdm_tick_t next);
    /**
     * A guest access the hardware leaves unpredictable or that hit a
     * reserved location (the vm-superio "events sink"). Informational.
     */
    void (*guest_error)(void *opaque, int status, uint32_t offset,
                        unsigned size, bool is_write);
} hdm_host_t;

#ifdef __cplusplus
}
#endif

#endif /* HDM_COMMON_H */
