/* SPDX-License-Identifier: MIT */
/*
 * Co-simulation: one vector on two targets, and the first point where
 * their records differ (docs/vectors.md, "Co-simulation").
 *
 * Both runs are driven by the same operations at the same ticks, so their
 * records line up item by item: the level of every signal both targets
 * observe, every bus access (value and status), every transmitted frame,
 * every device bus write and, if both report them, FIFO levels. The first
 * divergence is the difference with the smallest tick.
 */
#ifndef HDM_BENCH_COSIM_H
#define HDM_BENCH_COSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdm_bench/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Compare the records @a a and @a b of one vector (same device) on the
 * targets named @a na and @a nb. Signals that need a capability outside
 * @a caps (the capabilities both targets have) are not compared.
 * @return true when they diverge; @a msg then says where: "tick T: what:
 *         na=value nb=value".
 */
bool hdm_bench_cosim_diverge(const hdm_bench_trace_t *a,
                             const hdm_bench_trace_t *b, uint32_t caps,
                             const char *na, const char *nb, char *msg,
                             size_t len);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_COSIM_H */
