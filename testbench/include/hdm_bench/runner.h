/* SPDX-License-Identifier: MIT */
/*
 * hdm bench runner: executes one parsed vector on one target.
 *
 * Operations run in file order; before each one the runner fires every
 * bench-generated stimulus (rx-serial RXD edges) due at or before the
 * operation's tick, in tick order, then advances the target to the tick.
 * Expectations at or before the current tick are checked against the
 * record without advancing. A stimulus tick before the current tick, an
 * unbound name and a failed expectation are failures "file:line: reason";
 * the run goes on to collect further failures.
 */
#ifndef HDM_BENCH_RUNNER_H
#define HDM_BENCH_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdm_bench/target.h"
#include "hdm_bench/trace.h"
#include "hdm_bench/vecparse.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Failure messages kept per run; more are counted, not stored. */
#define HDM_BENCH_MAX_MESSAGES 100u

typedef enum hdm_bench_verdict {
    HDM_BENCH_PASS = 0,
    HDM_BENCH_FAIL = 1,
    HDM_BENCH_SKIP = 2,
} hdm_bench_verdict_t;

/** "PASS", "FAIL", "SKIP". */
const char *hdm_bench_verdict_name(hdm_bench_verdict_t v);

typedef struct hdm_bench_result {
    hdm_bench_verdict_t verdict;
    char *skip_reason; /**< SKIP: why */
    char **messages;   /**< FAIL: "file:line: reason" */
    size_t nmessages;
    size_t messages_cap;
    size_t suppressed;       /**< failures beyond HDM_BENCH_MAX_MESSAGES */
    hdm_bench_trace_t trace; /**< the record (also for SKIP: empty) */
    hdm_bench_timebase_t timebase;
    uint64_t end_tick; /**< last tick the target was advanced to */
    bool ran;          /**< the target was opened (trace is meaningful) */
} hdm_bench_result_t;

/**
 * Run @a v (must be well-formed) on @a target. @a r is initialised here;
 * free it with hdm_bench_result_free().
 */
void hdm_bench_run(const hdm_bench_vector_t *v,
                   const hdm_bench_target_t *target, hdm_bench_result_t *r);

void hdm_bench_result_free(hdm_bench_result_t *r);

/**
 * Bit schedule of one rx-serial frame: the RXD level of each bit and the
 * tick it starts at (bit k at t + floor(k * (64*ibrd + fbrd) / 4)); the
 * last entry is the return to idle at the end of the frame.
 * @return number of entries written (<= 14), 0 on overflow of the tick.
 */
size_t hdm_bench_rx_serial_schedule(const hdm_bench_op_t *op, uint64_t t,
                                    uint64_t *ticks, bool *levels);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_RUNNER_H */
