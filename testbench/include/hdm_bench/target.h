/* SPDX-License-Identifier: MIT */
/*
 * hdm bench target interface: the one small vtable every target implements
 * (core: direct C calls; SystemC and QEMU targets: adapters that forward the
 * same calls to another process or language).
 *
 * Time: every call carries an absolute tick (uint64, one period of the
 * device clock; open() gets the clock rate in Hz and the exact tick->ps
 * rule). The bench calls a target with non-decreasing ticks. A target that
 * counts time in another unit (ns) converts and, if it cannot be exact,
 * must not claim HDM_BENCH_CAP_EXACT.
 *
 * Observation: the target reports every output change, every transmitted
 * frame, every bus write the device issues (HPET FSB messages) and
 * (optionally) FIFO fill levels through the observer it got in
 * open(), each with the tick it happened at (which may be earlier than the
 * tick of the call that processed it, never later). Signal ids are indices
 * into the device descriptor's signal table (device.h), never device enum
 * values: the target maps its own ids through hdm_bench_signal_desc_t.dev_id.
 *
 * Status: read/write/rx_frame/set_input return hdm status codes
 * (hdm/common.h: HDM_OK, HDM_E_UNMAPPED, ...) exactly as the core would,
 * so one vector's `status=` expectations hold on every target.
 */
#ifndef HDM_BENCH_TARGET_H
#define HDM_BENCH_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdm/common.h"
#include "hdm_bench/device.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Access flags of read()/write(); same bit values as HDM_ACCESS_*. */
enum {
    HDM_BENCH_ACCESS_DEBUG = HDM_ACCESS_DEBUG, /**< side-effect-free */
};

/** One transmitted serial frame as the bench records it. */
typedef struct hdm_bench_frame {
    uint64_t start; /**< tick of the start bit's falling edge */
    uint64_t end;   /**< tick the last stop bit ended (break: released) */
    uint32_t data;  /**< character, low @c bits bits significant */
    uint32_t flags; /**< bit i = device descriptor frame_flags[i] */
    uint8_t bits;   /**< data bits (5..8 for the PL011) */
} hdm_bench_frame_t;

/** Callbacks into the bench. Called synchronously from target calls. */
typedef struct hdm_bench_observer {
    void *opaque;
    /** Output @a signal changed to @a level at @a tick. */
    void (*level)(void *opaque, unsigned signal, bool level, uint64_t tick);
    /** A whole frame left the transmitter (reported at its end). */
    void (*frame)(void *opaque, const hdm_bench_frame_t *frame);
    /** FIFO fill levels (entries) at @a tick; optional for a target. */
    void (*fifo)(void *opaque, unsigned tx, unsigned rx, uint64_t tick);
    /**
     * The device wrote the 32-bit @a data to bus address @a addr at
     * @a tick (HPET FSB interrupt message). Targets that observe this
     * claim HDM_BENCH_CAP_MSI.
     */
    void (*bus_write)(void *opaque, uint64_t addr, uint32_t data,
                      uint64_t tick);
} hdm_bench_observer_t;

/** Everything open() gets. Valid for the duration of the open() call. */
typedef struct hdm_bench_open_args {
    const hdm_bench_device_t *device;
    /** One value per device config key (defaults applied), see device.h. */
    const uint64_t *config;
    /** Canonical "key=value" text per config key (for other processes). */
    const char *const *config_text;
    hdm_bench_timebase_t timebase;
    hdm_bench_observer_t observer;
    const char *vector_path; /**< informational (logs) */
} hdm_bench_open_args_t;

/** open() results beside HDM_OK (0) and negative hdm statuses. */
enum {
    /** This target cannot run this configuration: the vector is SKIP. */
    HDM_BENCH_OPEN_SKIP = 1,
};

typedef struct hdm_bench_target_ops {
    /**
     * Create an instance at tick 0 in its reset state. Must not report the
     * reset state through the observer: after open() the bench queries
     * output_level() for every output and records it at tick 0.
     * @param why  buffer for a one-line reason when not returning HDM_OK
     * @return HDM_OK, HDM_BENCH_OPEN_SKIP (unsupported config) or a
     *         negative hdm status (failure).
     */
    int (*open)(void **handle, const hdm_bench_open_args_t *args, char *why,
                size_t why_len);
    /** Process everything up to and including @a tick. HDM_OK/HDM_E_PAST. */
    int (*advance)(void *handle, uint64_t tick);
    /** Bus read of @a size bytes; flags: HDM_BENCH_ACCESS_*. */
    int (*read)(void *handle, uint64_t tick, uint32_t offset, unsigned size,
                uint64_t *value, unsigned flags);
    /** Bus write of @a size bytes. */
    int (*write)(void *handle, uint64_t tick, uint32_t offset, unsigned size,
                 uint64_t value, unsigned flags);
    /**
     * A whole character completes reception at @a tick; @a flags bit i is
     * the device descriptor's rx_flags[i]. NULL for devices without serial.
     */
    int (*rx_frame)(void *handle, uint64_t tick, uint32_t data, unsigned flags);
    /** Drive input @a signal (an HDM_BENCH_SIG_INPUT id) from @a tick on. */
    int (*set_input)(void *handle, uint64_t tick, unsigned signal, bool level);
    /** Current level of output @a signal (used once, after open()). */
    bool (*output_level)(void *handle, unsigned signal);
    void (*close)(void *handle);
} hdm_bench_target_ops_t;

/** Target flags. */
enum {
    /**
     * One open() per process (SystemC elaborates once): the bench runs
     * every vector on this target in a child process (hdm_bench/isolate.h).
     */
    HDM_BENCH_TARGET_OWN_PROCESS = 1u << 0,
};

/** A target for one device. */
typedef struct hdm_bench_target {
    const char *name;   /**< "core", "systemc", "qemu" */
    const char *device; /**< device descriptor name, "pl011" */
    uint32_t caps;      /**< enum hdm_bench_cap mask */
    const hdm_bench_target_ops_t *ops;
    uint32_t flags; /**< HDM_BENCH_TARGET_* */
} hdm_bench_target_t;

/** The core target for the PL011 (target_core_pl011.c). */
extern const hdm_bench_target_t hdm_bench_target_core_pl011;
/** The core target for the HPET (target_core_hpet.c). */
extern const hdm_bench_target_t hdm_bench_target_core_hpet;

/** SystemC targets (target_systemc.cpp; built with HDM_SYSTEMC). */
extern const hdm_bench_target_t hdm_bench_target_systemc_pl011;
extern const hdm_bench_target_t hdm_bench_target_systemc_hpet;

/** QEMU targets over qtest (target_qemu.c; built with HDM_QEMU_DIR). */
extern const hdm_bench_target_t hdm_bench_target_qemu_pl011;
extern const hdm_bench_target_t hdm_bench_target_qemu_hpet;

/** NULL-terminated registry of the targets compiled into hdm-bench. */
extern const hdm_bench_target_t *const hdm_bench_targets[];

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_TARGET_H */
