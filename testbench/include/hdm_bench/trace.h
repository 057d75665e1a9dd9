/* SPDX-License-Identifier: MIT */
/*
 * hdm bench trace and expectation engine (device-independent).
 *
 * The trace is the complete record of one run: for every signal of the
 * device its level at tick 0 and every change after that; every transmitted
 * frame; every bus access with its status; every bus write the device
 * issued (FSB messages); FIFO levels when the target reports them. The
 * expectation functions evaluate the docs/vectors.md expectations against that
 * record and, on failure, write a one-line reason saying what differed (without
 * the "file:line: " prefix).
 */
#ifndef HDM_BENCH_TRACE_H
#define HDM_BENCH_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdm_bench/device.h"
#include "hdm_bench/target.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdm_bench_change {
    uint64_t tick;
    bool level;
} hdm_bench_change_t;

typedef struct hdm_bench_sigtrace {
    bool initial;                /**< level at tick 0, before any change */
    hdm_bench_change_t *changes; /**< sorted by tick, stable */
    size_t nchanges;
    size_t cap;
} hdm_bench_sigtrace_t;

typedef struct hdm_bench_tframe {
    hdm_bench_frame_t f;
    bool matched; /**< consumed by an expect-frame */
} hdm_bench_tframe_t;

typedef struct hdm_bench_access {
    uint64_t tick;
    uint64_t value; /**< written value, or value read */
    uint32_t offset;
    uint32_t line; /**< vector line that issued it */
    int status;
    uint8_t size;
    bool write;
    bool debug;
} hdm_bench_access_t;

/** One bus write issued by the device (FSB/MSI message). */
typedef struct hdm_bench_msi {
    uint64_t tick;
    uint64_t addr;
    uint32_t data;
    bool matched; /**< consumed by an expect-msi */
} hdm_bench_msi_t;

typedef struct hdm_bench_fifo_sample {
    uint64_t tick;
    uint16_t tx, rx;
} hdm_bench_fifo_sample_t;

typedef struct hdm_bench_trace {
    const hdm_bench_device_t *dev;
    hdm_bench_sigtrace_t *sig;  /**< dev->nsignals entries */
    hdm_bench_tframe_t *frames; /**< in report order (by end tick) */
    size_t nframes, frames_cap;
    hdm_bench_access_t *acc;
    size_t nacc, acc_cap;
    hdm_bench_fifo_sample_t *fifo; /**< only changes are kept */
    size_t nfifo, fifo_cap;
    hdm_bench_msi_t *msi; /**< bus writes, by tick (stable) */
    size_t nmsi, msi_cap;
    bool oom; /**< an allocation failed: the record is incomplete */
} hdm_bench_trace_t;

/** Set up an empty trace; inputs start at their idle level, outputs 0. */
bool hdm_bench_trace_init(hdm_bench_trace_t *t, const hdm_bench_device_t *dev);
void hdm_bench_trace_free(hdm_bench_trace_t *t);

void hdm_bench_trace_set_initial(hdm_bench_trace_t *t, unsigned sig,
                                 bool level);
/** Record a level report; reports that change nothing are dropped. */
void hdm_bench_trace_level(hdm_bench_trace_t *t, unsigned sig, bool level,
                           uint64_t tick);
void hdm_bench_trace_frame(hdm_bench_trace_t *t, const hdm_bench_frame_t *f);
void hdm_bench_trace_access(hdm_bench_trace_t *t, const hdm_bench_access_t *a);
void hdm_bench_trace_fifo(hdm_bench_trace_t *t, unsigned tx, unsigned rx,
                          uint64_t tick);
void hdm_bench_trace_msi(hdm_bench_trace_t *t, uint64_t addr, uint32_t data,
                         uint64_t tick);

/** An observer that records into trace @a t. */
hdm_bench_observer_t hdm_bench_trace_observer(hdm_bench_trace_t *t);

/**
 * Level of @a sig after every change at ticks <= @a tick. *@a since gets
 * the tick of the last change <= @a tick, or UINT64_MAX if none (initial).
 */
bool hdm_bench_trace_level_at(const hdm_bench_trace_t *t, unsigned sig,
                              uint64_t tick, uint64_t *since);

/* Expectations. Each returns true on pass; on failure writes @a msg. */

/** `expect SIGNAL LEVEL` at @a tick. */
bool hdm_bench_expect_level(const hdm_bench_trace_t *t, unsigned sig,
                            bool level, uint64_t tick, char *msg, size_t len);

/**
 * `expect-edge`: the first change of @a sig to @a level in (t0, t1];
 * *@a at gets its tick.
 */
bool hdm_bench_expect_edge(const hdm_bench_trace_t *t, unsigned sig, bool level,
                           uint64_t t0, uint64_t t1, uint64_t *at, char *msg,
                           size_t len);

/** `expect-stable`: @a sig had @a level throughout [t0, t1]. */
bool hdm_bench_expect_stable(const hdm_bench_trace_t *t, unsigned sig,
                             bool level, uint64_t t0, uint64_t t1, char *msg,
                             size_t len);

/**
 * `expect-frame`: the first not yet matched frame that ended in (t0, t1]
 * has @a data (and exactly @a flags if @a check_flags). That frame is
 * marked matched either way; *@a out gets it on pass.
 */
bool hdm_bench_expect_frame(hdm_bench_trace_t *t, uint32_t data,
                            bool check_flags, uint32_t flags, uint64_t t0,
                            uint64_t t1, hdm_bench_frame_t *out, char *msg,
                            size_t len);

/** `expect-no-frame`: no frame ended in (t0, t1]. */
bool hdm_bench_expect_no_frame(const hdm_bench_trace_t *t, uint64_t t0,
                               uint64_t t1, char *msg, size_t len);

/**
 * `expect-msi`: the first not yet matched bus write in (t0, t1] wrote
 * @a data to @a addr. That write is marked matched either way; *@a at gets
 * its tick on pass.
 */
bool hdm_bench_expect_msi(hdm_bench_trace_t *t, uint64_t addr, uint32_t data,
                          uint64_t t0, uint64_t t1, uint64_t *at, char *msg,
                          size_t len);

/** `expect-no-msi`: no bus write in (t0, t1]. */
bool hdm_bench_expect_no_msi(const hdm_bench_trace_t *t, uint64_t t0,
                             uint64_t t1, char *msg, size_t len);

/** Frame flags as names ("parity,stop2", "none") into @a buf. */
void hdm_bench_frame_flags_format(const hdm_bench_device_t *dev, uint32_t flags,
                                  char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_TRACE_H */
