/* SPDX-License-Identifier: MIT */
/*
 * hdm bench VCD writer: one trace as a Value Change Dump for GTKWave.
 *
 * Output is a pure function of its inputs: no date, no wall clock, no host
 * names. Time is `$timescale 1ps`, ps = floor(tick * ps_num / ps_den) in
 * 128-bit arithmetic (for a clock in Hz: tick * 10^12 / hz). Scopes:
 * `bus` (addr, wdata, rdata, we, strobe, debug, status), `irq`, `serial`,
 * `dma` (device signals by their descriptor scope) and `fifo` (tx_level,
 * rx_level).
 */
#ifndef HDM_BENCH_VCD_H
#define HDM_BENCH_VCD_H

#include <stdbool.h>
#include <stdint.h>

#include "hdm_bench/trace.h"
#include "hdm_bench/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdm_bench_vcd_info {
    const char *vector_path; /**< for the $comment */
    const char *target;      /**< target name, for the $comment */
    hdm_bench_timebase_t timebase;
    uint64_t end_tick; /**< the dump extends at least to here */
} hdm_bench_vcd_info_t;

/** Append the VCD of @a t to @a out. False on allocation failure. */
bool hdm_bench_vcd_write(hdm_bench_buf_t *out, const hdm_bench_trace_t *t,
                         const hdm_bench_vcd_info_t *info);

/**
 * Write the VCD to @a path, creating missing parent directories.
 * On failure writes a reason to @a why.
 */
bool hdm_bench_vcd_write_file(const char *path, const hdm_bench_trace_t *t,
                              const hdm_bench_vcd_info_t *info, char *why,
                              size_t why_len);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_VCD_H */
