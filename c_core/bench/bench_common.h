/* SPDX-License-Identifier: MIT */
/*
 * Measurement kernel shared by the core benchmarks (bench_pl011,
 * bench_hpet): options, interleaved rounds of calibrated batches, medians,
 * paired ratios against same-run baselines, the checks and the report rows.
 * See docs/performance.md, Method.
 */
#ifndef HDM_BENCH_COMMON_H
#define HDM_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_REPS 1001

typedef struct bench_opt {
    int reps;
    double min_ms;
    const char *only;
} bench_opt_t;

/* --reps, --min-ms, --only (defaults 21, 20 ms, all). */
extern bench_opt_t opt;
/* Number of failed verify() checks; a benchmark exits 1 if non-zero. */
extern int verify_failures;

typedef void (*work_fn)(void *ctx, uint64_t units);

/* One timed series: opt.reps batches of n units each. */
typedef struct metric {
    const char *key;
    work_fn fn;
    void *ctx;
    bool on;
    uint64_t n;           /* units per batch */
    double per[MAX_REPS]; /* wall ns per unit, batch r of round r */
    double shortest_ms;   /* shortest batch */
} metric_t;

#if defined(__GNUC__)
void verify(bool ok, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#else
void verify(bool ok, const char *what, const char *fmt, ...);
#endif
uint64_t now_ns(void);
double median_of(const double *v, int n);
double min_of(const double *v, int n);
/* Metric @a key selected by --only (always, without --only). */
bool selected(const char *key);
void calibrate(metric_t *m);
/* opt.reps interleaved rounds: one batch of every enabled metric each. */
void run_rounds(metric_t *ms, size_t count);
/* Median and min over rounds of a's batch time over b's in that round. */
void paired_ratio(const metric_t *a, const metric_t *b, double *med,
                  double *min);
/* One row of the report table. */
/** Print the Markdown header of the figures table (columns of row()). */
void table_header(void);

void row(const char *metric, double med, double best, const char *unit,
         const char *ref, const char *goal, const char *met);
/* Parse the common options; false (after printing @a usage) if bad. */
bool bench_parse_args(int argc, char **argv, void (*usage)(const char *));
/* The command, build, host and method lines every report starts with. */
void bench_print_header(int argc, char **argv);

#endif /* HDM_BENCH_COMMON_H */
