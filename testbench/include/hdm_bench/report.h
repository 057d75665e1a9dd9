/* SPDX-License-Identifier: MIT */
/*
 * hdm bench results of a whole run (vectors x targets): the console table,
 * the summary line and the Markdown report. Plain data, no traces.
 */
#ifndef HDM_BENCH_REPORT_H
#define HDM_BENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hdm_bench/runner.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hdm_bench_cell {
    hdm_bench_verdict_t verdict;
    char *skip_reason;
    char **messages;
    size_t nmessages;
    size_t suppressed;
    char *vcd; /**< VCD path if one was written */
} hdm_bench_cell_t;

typedef struct hdm_bench_row {
    char *name; /**< "pl011/tx_8n1" */
    char *path;
    bool malformed;
    char **errors; /**< parse errors (malformed) */
    size_t nerrors;
    hdm_bench_cell_t *cells; /**< one per report target */
    bool showcase;           /**< every cell gets a waveform picture */
} hdm_bench_row_t;

typedef struct hdm_bench_report {
    const char **targets; /**< column names */
    unsigned ntargets;
    hdm_bench_row_t *rows;
    size_t nrows, rows_cap;
    unsigned passed, failed, skipped;
} hdm_bench_report_t;

/** @a targets must outlive the report. */
void hdm_bench_report_init(hdm_bench_report_t *rep, const char **targets,
                           unsigned ntargets);
void hdm_bench_report_free(hdm_bench_report_t *rep);

/**
 * Add a row for @a v (copied). Cells start as FAIL for a malformed vector
 * and are filled with hdm_bench_report_set() otherwise. NULL on OOM.
 */
hdm_bench_row_t *hdm_bench_report_add(hdm_bench_report_t *rep,
                                      const hdm_bench_vector_t *v);

/** Fill cell @a target of @a row from @a r (copies what it needs). */
void hdm_bench_report_set(hdm_bench_report_t *rep, hdm_bench_row_t *row,
                          unsigned target, const hdm_bench_result_t *r,
                          const char *vcd);

/** "N passed, N failed, N skipped" */
void hdm_bench_report_summary(const hdm_bench_report_t *rep, char *buf,
                              size_t len);

/** The vector x target table, skip reasons, then the summary line. */
void hdm_bench_report_print(const hdm_bench_report_t *rep, FILE *out);

/**
 * Mark the row named @a name ("device/vector") as a showcase: all its
 * cells get waveform pictures. Returns the number of rows marked.
 */
size_t hdm_bench_report_showcase(hdm_bench_report_t *rep, const char *name);

/**
 * True if cell @a target of @a row gets a waveform picture: it has a VCD
 * and it failed or its row is a showcase.
 */
bool hdm_bench_report_wants_picture(const hdm_bench_row_t *row,
                                    unsigned target);

/** The picture of a VCD: `X.vcd` -> `X.png` (malloc'd). */
char *hdm_bench_report_picture_path(const char *vcd);

/**
 * Write to @a path the VCD path of every cell that gets a picture, one a
 * line, in table order (testbench/scripts/render-waves.sh --list renders
 * them). False with @a why on I/O error.
 */
bool hdm_bench_report_pictures(const hdm_bench_report_t *rep, const char *path,
                               char *why, size_t why_len);

/**
 * Markdown report to @a path; false with @a why on I/O error. Its
 * "Waveforms" section embeds the picture of every cell that gets one, by
 * a path relative to the report's directory.
 */
bool hdm_bench_report_markdown(const hdm_bench_report_t *rep, const char *path,
                               char *why, size_t why_len);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_REPORT_H */
