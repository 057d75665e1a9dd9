/* SPDX-License-Identifier: MIT */
/*
 * Vector configuration -> core configuration, shared by every target that
 * runs an hdm core (core, SystemC): config keys of docs/vectors.md to
 * hdm_pl011_config_t / hdm_hpet_config_t, and the bench's frame and receive
 * flag bits to the core's (matched by name through the device descriptor).
 */
#ifndef HDM_BENCH_CORE_CONFIG_H
#define HDM_BENCH_CORE_CONFIG_H

#include "hdm/hpet.h"
#include "hdm/pl011.h"
#include "hdm_bench/target.h"

#ifdef __cplusplus
extern "C" {
#endif

/** PL011 flag translation tables for one descriptor. */
typedef struct hdm_bench_pl011_flags {
    uint32_t rx[8];    /**< descriptor rx flag bit i -> HDM_PL011_RX_* */
    uint32_t frame[8]; /**< HDM_PL011_FRAME_* bit i -> descriptor bits */
} hdm_bench_pl011_flags_t;

/** Core configuration of a PL011 vector (tx_pin_edges on). */
void hdm_bench_pl011_config(const hdm_bench_open_args_t *args,
                            hdm_pl011_config_t *cfg);
void hdm_bench_pl011_flags_init(const hdm_bench_device_t *desc,
                                hdm_bench_pl011_flags_t *map);
/** Bench rx flags (bit i = desc->rx_flags[i]) to HDM_PL011_RX_* bits. */
unsigned hdm_bench_pl011_rx_flags(const hdm_bench_pl011_flags_t *map,
                                  unsigned flags);
/** A core frame record as the bench records it. */
void hdm_bench_pl011_frame(const hdm_bench_pl011_flags_t *map,
                           const hdm_pl011_frame_t *f, hdm_bench_frame_t *out);

/** Core configuration of an HPET vector. */
void hdm_bench_hpet_config(const hdm_bench_open_args_t *args,
                           hdm_hpet_config_t *cfg);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_CORE_CONFIG_H */
