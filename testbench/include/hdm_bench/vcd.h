/* SPDX-License-Identifier: MIT */
/*
 * hdm bench VCD writer: one trace as a Value Change Dump for GTKWave.
 *
 * Output is a pure function of its inputs: no date, no wall clock, no host
 * names. Time is `$timescale 1ps`, ps = floor(tick * ps_num / ps_den) in
 * 128-bit arithmetic (for a clock in Hz: tick * 10^12 / hz). Scopes:
 * `bus` (addr, wdata, rdata, we, strobe, debug, status), `irq`, `serial`,
 * `dma` (device signals by their descriptor scope) and `fifo` (tx_level,
 * rx_level). A signal that pulses within one tick (changes at one tick
 * that end at the level before it: an HPET edge-mode interrupt) also gets
 * an event variable `<SIGNAL>_pulse` in its scope, fired at each such
 * tick; the wire itself shows only the final level of a tick.
 *
 * Next to every VCD file goes a GTKWave save file (`X.vcd` -> `X.gtkw`,
 * GTKWave 3.3 format) that opens it with every variable shown, in groups:
 * bus, interrupt lines, serial TXD/RXD, modem, DMA, FIFO levels (the
 * groups the device has). Variables that never change after time 0 go
 * into a closed sub-group (a group with nothing changing is closed
 * itself), so the first screen shows the activity. 1-bit signals binary,
 * buses hex, FIFO levels decimal; the window is 1600 pixels wide and as
 * tall as the rows need (600..1600); the zoom fits the whole dump. The
 * save file names the VCD by its base name with a relative [savefile], so
 * `gtkwave X.gtkw` finds `X.vcd` next to it from any directory.
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
 * Append the GTKWave save file for the VCD of @a t to @a out; @a dumpfile
 * is the VCD's path (only its base name is written). False on allocation
 * failure.
 */
bool hdm_bench_vcd_write_gtkw(hdm_bench_buf_t *out, const hdm_bench_trace_t *t,
                              const hdm_bench_vcd_info_t *info,
                              const char *dumpfile);

/** The save file path of a VCD path: `X.vcd` -> `X.gtkw` (malloc'd). */
char *hdm_bench_vcd_gtkw_path(const char *vcd_path);

/**
 * Write the VCD to @a path and its save file next to it
 * (hdm_bench_vcd_gtkw_path()), creating missing parent directories.
 * On failure writes a reason to @a why.
 */
bool hdm_bench_vcd_write_file(const char *path, const hdm_bench_trace_t *t,
                              const hdm_bench_vcd_info_t *info, char *why,
                              size_t why_len);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_VCD_H */
