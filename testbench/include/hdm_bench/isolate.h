/* SPDX-License-Identifier: MIT */
/*
 * Run one bench job in a child process (fork) and get its result back.
 *
 * For targets that can be set up only once per process (SystemC elaborates
 * once; a simulation cannot be restarted) and for targets that might crash:
 * a child that dies, hangs past its time limit or sends a truncated result
 * becomes a FAIL with the reason, and the bench goes on with the next job.
 * Only the report part of the result travels back: verdict, skip reason,
 * messages, suppressed count, end tick, timebase, ran; plus one string
 * (@a note, e.g. the path of the VCD the child wrote). The trace stays in
 * the child.
 */
#ifndef HDM_BENCH_ISOLATE_H
#define HDM_BENCH_ISOLATE_H

#include "hdm_bench/runner.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A job: fill @a r (initialised by the job) and optionally *@a note. */
typedef void (*hdm_bench_job_fn)(void *arg, hdm_bench_result_t *r, char **note);

/**
 * Run @a fn in a child process with a limit of @a timeout_s seconds of
 * wall time. @a r is initialised here (free with hdm_bench_result_free());
 * *@a note gets a malloc'ed string or NULL.
 */
void hdm_bench_isolated(hdm_bench_job_fn fn, void *arg, unsigned timeout_s,
                        hdm_bench_result_t *r, char **note);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_ISOLATE_H */
