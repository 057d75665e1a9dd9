/* SPDX-License-Identifier: MIT */
/*
 * hdm bench device descriptors: everything device-specific the parser, the
 * expectation engine and the VCD writer need to know about a device, as
 * plain tables: its signals (outputs and drivable inputs), config keys,
 * frame and receive flags, bus geometry and how ticks map to time.
 *
 * Signal ids used throughout the bench (trace, observer, target calls) are
 * indices into hdm_bench_device_t.signals. Adding a device means adding
 * one descriptor and listing it in hdm_bench_devices[].
 */
#ifndef HDM_BENCH_DEVICE_H
#define HDM_BENCH_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Target capabilities (docs/vectors.md, "Capabilities"). */
enum hdm_bench_cap {
    HDM_BENCH_CAP_PIN_TX = 1u << 0, /**< TXD / nSIROUT bit edges observable */
    HDM_BENCH_CAP_PIN_RX = 1u << 1, /**< bit-level RXD / SIRIN input */
    HDM_BENCH_CAP_MODEM = 1u << 2,  /**< modem pins */
    HDM_BENCH_CAP_DMA = 1u << 3,    /**< DMA request and clear lines */
    HDM_BENCH_CAP_DEBUG = 1u << 4,  /**< side-effect-free debug accesses */
    HDM_BENCH_CAP_EXACT = 1u << 5,  /**< tick-exact expectations */
    HDM_BENCH_CAP_MSI = 1u << 6, /**< device bus writes (FSB/MSI) observable */
    HDM_BENCH_CAP_STATUS = 1u << 7, /**< bus access status (not OK) seen */
    HDM_BENCH_CAP_COUNT = 8,
};

#define HDM_BENCH_CAP_ALL ((1u << HDM_BENCH_CAP_COUNT) - 1u)

/** Name of capability bit @a index ("pin-tx"), NULL if out of range. */
const char *hdm_bench_cap_name(unsigned index);
/** Parse a capability name to its mask bit. False if unknown. */
bool hdm_bench_cap_parse(const char *name, uint32_t *cap);
/** Comma-separated names of the bits in @a caps ("pin-tx, dma"). */
void hdm_bench_caps_format(uint32_t caps, char *buf, size_t len);

/** What a signal is, seen from the device. */
typedef enum hdm_bench_sig_kind {
    HDM_BENCH_SIG_IRQ = 0,    /**< interrupt output (host irq line) */
    HDM_BENCH_SIG_OUTPUT = 1, /**< other output pin (host pin id) */
    HDM_BENCH_SIG_INPUT = 2,  /**< input the bench drives */
} hdm_bench_sig_kind_t;

typedef struct hdm_bench_signal_desc {
    const char *name; /**< vector name, e.g. "TXD" */
    hdm_bench_sig_kind_t kind;
    unsigned dev_id;   /**< device enum value (irq line, pin id) */
    const char *scope; /**< VCD scope: "irq", "serial", "dma" */
    uint32_t caps;     /**< capabilities a vector using it needs */
    bool idle;         /**< input: level driven before tick 0 */
} hdm_bench_signal_desc_t;

/** Kind of a config key's value. */
typedef enum hdm_bench_cfg_kind {
    HDM_BENCH_CFG_ENUM = 0,  /**< one of names[]; value = index */
    HDM_BENCH_CFG_FLAGS = 1, /**< "none" or comma list; bit i = names[i] */
    HDM_BENCH_CFG_UINT = 2,  /**< number in [min, max] */
} hdm_bench_cfg_kind_t;

typedef struct hdm_bench_config_desc {
    const char *key;
    hdm_bench_cfg_kind_t kind;
    const char *const *names; /**< NULL-terminated (ENUM, FLAGS) */
    uint64_t min, max;        /**< UINT range */
    uint64_t def;             /**< default value */
} hdm_bench_config_desc_t;

/** How ticks map to time for one configuration. */
typedef struct hdm_bench_timebase {
    uint64_t clock_hz; /**< device clock (ticks per second), rounded */
    uint64_t ps_num;   /**< ps = floor(tick * ps_num / ps_den) */
    uint64_t ps_den;
} hdm_bench_timebase_t;

/** Maximum number of config keys of any device. */
#define HDM_BENCH_MAX_CONFIG 24u

typedef struct hdm_bench_device {
    const char *name;         /**< "pl011" */
    uint32_t mmio_size;       /**< register block size in bytes */
    unsigned max_access_size; /**< data bus width in bytes (VCD data) */
    const hdm_bench_signal_desc_t *signals;
    unsigned nsignals;
    const hdm_bench_config_desc_t *config;
    unsigned nconfig; /**< <= HDM_BENCH_MAX_CONFIG */
    /** Serial frames (0: device has no serial ops rx/rx-serial/frames). */
    unsigned frame_max_bits;
    const char *const *frame_flags; /**< NULL-terminated, bit i */
    const char *const *rx_flags;    /**< NULL-terminated, bit i ("fe") */
    const char *serial_rx_pin;      /**< input rx-serial drives ("RXD") */
    /** Fill @a tb from the config values (one per key, defaults applied). */
    void (*timebase)(const uint64_t *config, hdm_bench_timebase_t *tb);
    /** The device issues bus writes (HPET FSB): expect-msi, expect-no-msi. */
    bool bus_writes;
} hdm_bench_device_t;

extern const hdm_bench_device_t hdm_bench_device_pl011;
extern const hdm_bench_device_t hdm_bench_device_hpet;

/** NULL-terminated list of every known device. */
extern const hdm_bench_device_t *const hdm_bench_devices[];

/** Device by name, NULL if unknown. */
const hdm_bench_device_t *hdm_bench_device_find(const char *name);

/** Signal id by exact name, -1 if unknown. */
int hdm_bench_device_signal(const hdm_bench_device_t *dev, const char *name);

/** Config key index by name, -1 if unknown. */
int hdm_bench_device_config_key(const hdm_bench_device_t *dev, const char *key);

/** Index of @a name in a NULL-terminated list, -1 if absent. */
int hdm_bench_name_index(const char *const *names, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_DEVICE_H */
