/* SPDX-License-Identifier: MIT */
/* Measurement kernel shared by the core benchmarks (bench_common.h). */
#define _POSIX_C_SOURCE 200809L

#include "bench_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef HDM_BENCH_BUILD_TYPE
#define HDM_BENCH_BUILD_TYPE "?"
#endif
#ifndef HDM_BENCH_C_FLAGS
#define HDM_BENCH_C_FLAGS "?"
#endif

bench_opt_t opt = { 21, 20.0, NULL };

int verify_failures;

void verify(bool ok, const char *what, const char *fmt, ...)
{
    va_list ap;
    printf("  verify %-12s %s: ", what, ok ? "ok  " : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    if (!ok) {
        verify_failures++;
    }
}

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

double median_of(const double *v, int n)
{
    static double tmp[MAX_REPS];
    memcpy(tmp, v, sizeof(v[0]) * (size_t)n);
    qsort(tmp, (size_t)n, sizeof(tmp[0]), cmp_double);
    return (n & 1) ? tmp[n / 2] : 0.5 * (tmp[n / 2 - 1] + tmp[n / 2]);
}

double min_of(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++) {
        m = v[i] < m ? v[i] : m;
    }
    return m;
}

bool selected(const char *key)
{
    if (opt.only == NULL) {
        return true;
    }
    /* comma-separated list of substrings */
    const char *p = opt.only;
    size_t klen = strlen(key);
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        for (size_t i = 0; len > 0 && i + len <= klen; i++) {
            if (strncmp(key + i, p, len) == 0) {
                return true;
            }
        }
        if (!e) {
            break;
        }
        p = e + 1;
    }
    return false;
}

/* Grow n until one batch takes 2 * --min-ms (this also warms up). */
void calibrate(metric_t *m)
{
    const double target = 2.0 * opt.min_ms * 1e6;
    uint64_t n = 1;
    for (;;) {
        uint64_t t0 = now_ns();
        m->fn(m->ctx, n);
        double dt = (double)(now_ns() - t0);
        if (dt >= target) {
            break;
        }
        if (dt < target / 16.0) {
            n *= 16u;
        } else {
            n = (uint64_t)((double)n * 1.1 * target / dt) + 1u;
        }
    }
    m->n = n;
}

/*
 * Rounds are interleaved: round r runs batch r of every metric in turn, so
 * that a baseline and the figure compared with it see the same machine
 * conditions (this shared host drifts by 2x over seconds). If any batch
 * came in under --min-ms, that metric's n is doubled and all rounds rerun.
 */
void run_rounds(metric_t *ms, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (ms[i].on) {
            calibrate(&ms[i]);
        }
    }
    for (int attempt = 0;; attempt++) {
        for (size_t i = 0; i < count; i++) {
            ms[i].shortest_ms = 1e300;
        }
        for (int r = 0; r < opt.reps; r++) {
            for (size_t i = 0; i < count; i++) {
                metric_t *m = &ms[i];
                if (!m->on) {
                    continue;
                }
                uint64_t t0 = now_ns();
                m->fn(m->ctx, m->n);
                double dt = (double)(now_ns() - t0);
                m->per[r] = dt / (double)m->n;
                if (dt / 1e6 < m->shortest_ms) {
                    m->shortest_ms = dt / 1e6;
                }
            }
        }
        bool again = false;
        for (size_t i = 0; i < count; i++) {
            if (ms[i].on && ms[i].shortest_ms < opt.min_ms) {
                ms[i].n *= 2u;
                again = true;
            }
        }
        if (!again || attempt >= 4) {
            break;
        }
        fprintf(stderr, "  a batch was under %.0f ms: rerunning the rounds\n",
                opt.min_ms);
    }
    for (size_t i = 0; i < count; i++) {
        if (ms[i].on) {
            fprintf(stderr,
                    "  %-12s n=%llu units/batch, shortest batch %.1f ms\n",
                    ms[i].key, (unsigned long long)ms[i].n, ms[i].shortest_ms);
        }
    }
}

/* Median and min over rounds of a per-round ratio a[r] / b[r]. */
void paired_ratio(const metric_t *a, const metric_t *b, double *med,
                  double *min)
{
    static double q[MAX_REPS];
    for (int r = 0; r < opt.reps; r++) {
        q[r] = a->per[r] / b->per[r];
    }
    *med = median_of(q, opt.reps);
    *min = min_of(q, opt.reps);
}

void table_header(void)
{
    printf("| %-34s | %10s | %10s | %-14s | %-36s | %-9s | %-4s |\n", "metric",
           "median", "best", "unit", "baseline / ratio / ref", "goal", "met");
    static const char dashes[] = "----------------------------------------";
    printf("|%.36s|%.12s|%.12s|%.16s|%.38s|%.11s|%.6s|\n", dashes, dashes,
           dashes, dashes, dashes, dashes, dashes);
}

void row(const char *metric, double med, double best, const char *unit,
         const char *ref, const char *goal, const char *met)
{
    char a[32], b[32];
    if (med >= 1e5) {
        snprintf(a, sizeof(a), "%.3e", med);
        snprintf(b, sizeof(b), "%.3e", best);
    } else {
        snprintf(a, sizeof(a), "%.2f", med);
        snprintf(b, sizeof(b), "%.2f", best);
    }
    printf("| %-34s | %10s | %10s | %-14s | %-36s | %-9s | %-4s |\n", metric, a,
           b, unit, ref, goal, met);
}

bool bench_parse_args(int argc, char **argv, void (*usage)(const char *))
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            opt.reps = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--min-ms") == 0 && i + 1 < argc) {
            opt.min_ms = atof(argv[++i]);
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            opt.only = argv[++i];
        } else {
            usage(argv[0]);
            return false;
        }
    }
    if (opt.reps < 1 || opt.reps > MAX_REPS || !(opt.min_ms > 0.0)) {
        usage(argv[0]);
        return false;
    }
    return true;
}

void bench_print_header(int argc, char **argv)
{
    printf("command:");
    for (int i = 0; i < argc; i++) {
        printf(" %s", argv[i]);
    }
    printf("\n");
    printf("build: %s, C flags \"%s\", compiler %s%s\n", HDM_BENCH_BUILD_TYPE,
           HDM_BENCH_C_FLAGS,
#ifdef __clang__
           "clang ",
#elif defined(__GNUC__)
           "gcc ",
#else
           "",
#endif
#ifdef __VERSION__
           __VERSION__
#else
           "?"
#endif
    );
#ifndef __OPTIMIZE__
    printf("WARNING: not an optimised build; figures are not representative\n");
#endif
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("host: %ld online CPUs; clock CLOCK_MONOTONIC, resolution %ld ns\n",
           sysconf(_SC_NPROCESSORS_ONLN), res.tv_nsec);
    printf("method: %d interleaved rounds, one batch of every metric per "
           "round, every batch >= %.0f ms wall; median and min over rounds\n",
           opt.reps, opt.min_ms);
    if (opt.reps < 15) {
        printf("WARNING: fewer than 15 batches (profiling run); figures are "
               "not reportable\n");
    }
}
