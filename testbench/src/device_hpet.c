/* SPDX-License-Identifier: MIT */
/*
 * HPET bench descriptor: the 32 interrupt lines IRQ0..IRQ31 (I/O APIC
 * inputs; with LEG_RT_CNF=1 timer 0 drives IRQ0 and timer 1 IRQ8, see
 * hdm/hpet.h), config keys for the capabilities and for each switch of
 * the spec's ambiguous points and for the optional hardware quirks
 * (docs/models/hpet.md), no serial side, bus
 * writes (FSB messages) observable with expect-msi. Header only; nothing
 * here links the core.
 */
#include "hdm_bench/device.h"
#include "hdm/hpet.h"

/* clang-format off */
#define IRQ(n) { "IRQ" #n, HDM_BENCH_SIG_IRQ, n, "irq", 0, false }
/* clang-format on */

static const hdm_bench_signal_desc_t hpet_signals[] = {
    IRQ(0),  IRQ(1),  IRQ(2),  IRQ(3),  IRQ(4),  IRQ(5),  IRQ(6),  IRQ(7),
    IRQ(8),  IRQ(9),  IRQ(10), IRQ(11), IRQ(12), IRQ(13), IRQ(14), IRQ(15),
    IRQ(16), IRQ(17), IRQ(18), IRQ(19), IRQ(20), IRQ(21), IRQ(22), IRQ(23),
    IRQ(24), IRQ(25), IRQ(26), IRQ(27), IRQ(28), IRQ(29), IRQ(30), IRQ(31),
};

/* Value names; the core target maps them to the core's enums by name. */
static const char *const hpet_counter[] = { "64", "32", NULL };
static const char *const hpet_wrap[] = { "every", "once", "none", NULL };
static const char *const hpet_valset[] = { "both", "accumulator", NULL };
static const char *const hpet_counter_write[] = { "apply", "ignore", NULL };
static const char *const hpet_bad_route[] = { "keep", "store", "zero", NULL };
static const char *const hpet_intenb[] = { "drop", "hold", NULL };
static const char *const hpet_onoff[] = { "off", "on", NULL };

enum {
    HPET_CFG_TIMERS,
    HPET_CFG_COUNTER,
    HPET_CFG_PERIOD_FS,
    HPET_CFG_VENDOR,
    HPET_CFG_REV,
    HPET_CFG_LEG_RT_CAP,
    HPET_CFG_TIMERS64,
    HPET_CFG_PERIODIC,
    HPET_CFG_FSB,
    HPET_CFG_ROUTE_CAP,
    HPET_CFG_WRAP,
    HPET_CFG_VALSET,
    HPET_CFG_COUNTER_WRITE,
    HPET_CFG_BAD_ROUTE,
    HPET_CFG_INTENB_CLEAR,
    HPET_CFG_CMP_LATENCY,
    HPET_CFG_STALE_CMP_READ,
};

/* Defaults are hdm_hpet_config_default() (QEMU q35 shape). */
static const hdm_bench_config_desc_t hpet_config[] = {
    [HPET_CFG_TIMERS] = { "timers", HDM_BENCH_CFG_UINT, NULL, 1,
                          HDM_HPET_MAX_TIMERS, 3 },
    [HPET_CFG_COUNTER] = { "counter", HDM_BENCH_CFG_ENUM, hpet_counter, 0, 0,
                           0 },
    [HPET_CFG_PERIOD_FS] = { "period_fs", HDM_BENCH_CFG_UINT, NULL, 1,
                             HDM_HPET_PERIOD_MAX_FS, 10000000 },
    [HPET_CFG_VENDOR] = { "vendor", HDM_BENCH_CFG_UINT, NULL, 0, 0xFFFF,
                          0x8086 },
    [HPET_CFG_REV] = { "rev", HDM_BENCH_CFG_UINT, NULL, 1, 0xFF, 1 },
    [HPET_CFG_LEG_RT_CAP] = { "leg_rt_cap", HDM_BENCH_CFG_UINT, NULL, 0, 1, 1 },
    /* per-timer capabilities as masks, bit n = timer n */
    [HPET_CFG_TIMERS64] = { "timers64", HDM_BENCH_CFG_UINT, NULL, 0,
                            0xFFFFFFFFu, 0xFFFFFFFFu },
    [HPET_CFG_PERIODIC] = { "periodic", HDM_BENCH_CFG_UINT, NULL, 0,
                            0xFFFFFFFFu, 0xFFFFFFFFu },
    [HPET_CFG_FSB] = { "fsb", HDM_BENCH_CFG_UINT, NULL, 0, 0xFFFFFFFFu, 0 },
    [HPET_CFG_ROUTE_CAP] = { "route_cap", HDM_BENCH_CFG_UINT, NULL, 0,
                             0xFFFFFFFFu, 0x00FF0104u },
    /* the switches of digest section 8 */
    [HPET_CFG_WRAP] = { "wrap", HDM_BENCH_CFG_ENUM, hpet_wrap, 0, 0, 0 },
    [HPET_CFG_VALSET] = { "valset", HDM_BENCH_CFG_ENUM, hpet_valset, 0, 0, 0 },
    [HPET_CFG_COUNTER_WRITE] = { "counter_write", HDM_BENCH_CFG_ENUM,
                                 hpet_counter_write, 0, 0, 0 },
    [HPET_CFG_BAD_ROUTE] = { "bad_route", HDM_BENCH_CFG_ENUM, hpet_bad_route, 0,
                             0, 0 },
    [HPET_CFG_INTENB_CLEAR] = { "intenb_clear", HDM_BENCH_CFG_ENUM, hpet_intenb,
                                0, 0, 0 },
    /* the optional hardware quirks of digest sections 8 and 10 (off) */
    [HPET_CFG_CMP_LATENCY] = { "cmp_latency", HDM_BENCH_CFG_UINT, NULL, 0,
                               HDM_HPET_CMP_LATENCY_MAX, 0 },
    [HPET_CFG_STALE_CMP_READ] = { "stale_cmp_read", HDM_BENCH_CFG_ENUM,
                                  hpet_onoff, 0, 0, 0 },
};

_Static_assert(sizeof(hpet_config) / sizeof(hpet_config[0]) <=
                   HDM_BENCH_MAX_CONFIG,
               "raise HDM_BENCH_MAX_CONFIG");

/* One tick is COUNTER_CLK_PERIOD femtoseconds: ps = tick * period_fs / 1000. */
static void hpet_timebase(const uint64_t *config, hdm_bench_timebase_t *tb)
{
    uint64_t fs = config[HPET_CFG_PERIOD_FS];
    tb->clock_hz = (UINT64_C(1000000000000000) + fs / 2) / fs;
    tb->ps_num = fs;
    tb->ps_den = 1000;
}

const hdm_bench_device_t hdm_bench_device_hpet = {
    .name = "hpet",
    .mmio_size = HDM_HPET_MMIO_MAX,
    .max_access_size = 8,
    .signals = hpet_signals,
    .nsignals = sizeof(hpet_signals) / sizeof(hpet_signals[0]),
    .config = hpet_config,
    .nconfig = sizeof(hpet_config) / sizeof(hpet_config[0]),
    .frame_max_bits = 0,
    .timebase = hpet_timebase,
    .bus_writes = true,
};
