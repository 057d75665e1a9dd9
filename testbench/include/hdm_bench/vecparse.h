/* SPDX-License-Identifier: MIT */
/*
 * hdm bench vector parser: docs/vectors.md turned into a list of operations.
 *
 * The parser validates everything that can be checked without running:
 * syntax, numbers and their widths, names of signals, pins, statuses,
 * options, config keys and capabilities, bound names, and stimulus ticks
 * that provably go backwards. Every problem is collected as
 * "file:line: reason" (up to HDM_BENCH_MAX_ERRORS); a vector with errors is
 * not run. Tick expressions that depend on `as=` bindings are kept symbolic
 * and resolved by the runner.
 */
#ifndef HDM_BENCH_VECPARSE_H
#define HDM_BENCH_VECPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdm_bench/device.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest accepted line in bytes, without the line terminator. */
#define HDM_BENCH_MAX_LINE 1023u
/** Errors collected before the parser gives up on a file. */
#define HDM_BENCH_MAX_ERRORS 50u
/** Largest vector file accepted. */
#define HDM_BENCH_MAX_FILE (4u * 1024u * 1024u)

typedef enum hdm_bench_op_kind {
    HDM_BENCH_OP_WRITE = 0,
    HDM_BENCH_OP_READ,
    HDM_BENCH_OP_POLL,
    HDM_BENCH_OP_RX,
    HDM_BENCH_OP_RX_SERIAL,
    HDM_BENCH_OP_PIN,
    HDM_BENCH_OP_RUN,
    HDM_BENCH_OP_EXPECT,
    HDM_BENCH_OP_EXPECT_EDGE,
    HDM_BENCH_OP_EXPECT_STABLE,
    HDM_BENCH_OP_EXPECT_FRAME,
    HDM_BENCH_OP_EXPECT_NO_FRAME,
    HDM_BENCH_OP_EXPECT_MSI,
    HDM_BENCH_OP_EXPECT_NO_MSI,
    HDM_BENCH_OP_COUNT,
} hdm_bench_op_kind_t;

/** Vector spelling of an operation ("expect-edge"). */
const char *hdm_bench_op_name(hdm_bench_op_kind_t kind);
/** True for operations that drive the target (ticks may not go back). */
bool hdm_bench_op_is_stimulus(hdm_bench_op_kind_t kind);

/** Base of a tick expression. */
enum {
    HDM_BENCH_TICK_ABS = -1,  /**< absolute: value is the tick */
    HDM_BENCH_TICK_PREV = -2, /**< previous operation's tick + value */
    /* >= 0: index into hdm_bench_vector_t.names */
};

typedef struct hdm_bench_tick_expr {
    int base;      /**< HDM_BENCH_TICK_ABS, _PREV or a name index */
    bool negative; /**< subtract @c value from the base */
    uint64_t value;
} hdm_bench_tick_expr_t;

/** rx-serial parity modes (LCR_H PEN/EPS/SPS). */
typedef enum hdm_bench_parity {
    HDM_BENCH_PARITY_NONE = 0,
    HDM_BENCH_PARITY_EVEN,
    HDM_BENCH_PARITY_ODD,
    HDM_BENCH_PARITY_ONE,
    HDM_BENCH_PARITY_ZERO,
} hdm_bench_parity_t;

typedef struct hdm_bench_op {
    hdm_bench_op_kind_t kind;
    uint32_t line;
    hdm_bench_tick_expr_t at;
    /* Bus accesses (write, read, poll). */
    uint32_t offset;
    unsigned size;
    uint64_t value;  /**< write value, read expect=, poll value=, MSI ADDR */
    uint64_t mask;   /**< read/poll mask (all bits of size by default) */
    bool has_expect; /**< read: expect= given */
    int status;      /**< expected hdm status (write, read, rx) */
    unsigned access; /**< HDM_BENCH_ACCESS_* (debug) */
    /* poll */
    hdm_bench_tick_expr_t until;
    uint64_t every;
    /* rx, rx-serial, expect-frame; expect-msi DATA */
    uint32_t data;
    uint32_t flags; /**< rx: rx_flags bits; expect-frame: frame_flags */
    bool has_flags; /**< expect-frame: flags= given */
    unsigned bits;
    hdm_bench_parity_t parity;
    unsigned stop;
    uint32_t ibrd, fbrd;
    bool brk;
    /* pin, expect* */
    unsigned signal;
    bool level;
    /** after= (edge, frame, no-frame), since= (stable) */
    hdm_bench_tick_expr_t t0;
    bool has_t0;
    /** as= binding: name index, -1 if none; bind_end for NAME.end. */
    int bind;
    int bind_end;
} hdm_bench_op_t;

typedef struct hdm_bench_vector {
    char *path;
    const hdm_bench_device_t *device; /**< NULL if missing/unknown */
    char *title;
    char **cites;
    size_t ncites;
    size_t cites_cap;
    /** Config value per device key, defaults applied. */
    uint64_t config[HDM_BENCH_MAX_CONFIG];
    /** Canonical "key=value" per device key (for targets). */
    char *config_text[HDM_BENCH_MAX_CONFIG];
    uint32_t caps_inferred; /**< from signals and options used */
    uint32_t caps_needed;   /**< from `needs` */
    /** First line that made each capability necessary (0: none). */
    uint32_t cap_line[HDM_BENCH_CAP_COUNT];
    hdm_bench_op_t *ops;
    size_t nops;
    size_t ops_cap;
    char **names; /**< bound names ("start", "start.end") */
    size_t nnames;
    size_t names_cap;
    char **errors; /**< "file:line: reason" */
    size_t nerrors;
    size_t errors_cap;
    bool errors_truncated; /**< more errors than HDM_BENCH_MAX_ERRORS */
} hdm_bench_vector_t;

/**
 * Parse @a len bytes at @a data as vector @a path (used in messages).
 * @a v is initialised here; free it with hdm_bench_vector_free().
 * @return true if the vector is well-formed (v->nerrors == 0).
 */
bool hdm_bench_vector_parse_buffer(hdm_bench_vector_t *v, const char *path,
                                   const char *data, size_t len);

/** Read and parse the file at @a path (I/O errors become errors). */
bool hdm_bench_vector_parse_file(hdm_bench_vector_t *v, const char *path);

void hdm_bench_vector_free(hdm_bench_vector_t *v);

/** All capabilities the vector requires. */
static inline uint32_t hdm_bench_vector_caps(const hdm_bench_vector_t *v)
{
    return v->caps_inferred | v->caps_needed;
}

/**
 * Short vector name "<device>/<file basename without .vec>" into @a buf.
 */
void hdm_bench_vector_name(const hdm_bench_vector_t *v, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_VECPARSE_H */
