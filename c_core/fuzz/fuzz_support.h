/* SPDX-License-Identifier: MIT */
/*
 * Failure reporting shared by the fuzz harnesses (fuzz_pl011.c,
 * fuzz_hpet.c): the call being checked, tracing, the triage knobs and
 * REQUIRE(). Each harness defines HDM_FUZZ_NAME (its program name) and
 * hdm_fuzz_label (the replay driver's input name) before including it;
 * everything here is static to that harness.
 */
#ifndef HDM_FUZZ_SUPPORT_H
#define HDM_FUZZ_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HDM_FUZZ_NAME
#error "define HDM_FUZZ_NAME before including fuzz_support.h"
#endif

extern const char *hdm_fuzz_label;

static unsigned long g_step; /* index of the core call being checked */
static const char *g_what;   /* what the current call is */

static bool g_trace; /* environment HDM_FUZZ_TRACE=1: log calls */
static bool g_no_corrupt;

#define TRACE(...)                                                             \
    do {                                                                       \
        if (g_trace) {                                                         \
            fprintf(stderr, __VA_ARGS__);                                      \
        }                                                                      \
    } while (0)

static jmp_buf g_bail;
static bool g_bail_ok;

/* True if msg contains one of the '|'-separated parts of list. */
static bool msg_in(const char *msg, const char *list)
{
    while (list && *list) {
        const char *bar = strchr(list, '|');
        size_t n = bar ? (size_t)(bar - list) : strlen(list);
        for (const char *m = msg; n && *m; m++) {
            if (strncmp(m, list, n) == 0) {
                return true;
            }
        }
        list = bar ? bar + 1 : NULL;
    }
    return false;
}

/*
 * Triage knobs (environment), both off by default:
 *   HDM_FUZZ_MATCH=a|b   only violations whose message contains a or b
 *                        abort (to minimise one finding with
 *                        -minimize_crash=1 while others exist);
 *   HDM_FUZZ_IGNORE=a|b  violations containing a or b end the input
 *                        quietly (to keep fuzzing past a known finding);
 *   HDM_FUZZ_NO_CORRUPT=1 CORRUPT ops do nothing (fuzz the rest of the
 *                        core while snapshot-validation findings are open).
 */
static void fz_fail(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    const char *match = getenv("HDM_FUZZ_MATCH");
    const char *ignore = getenv("HDM_FUZZ_IGNORE");
    if (g_bail_ok &&
        ((match && *match && !msg_in(msg, match)) || msg_in(msg, ignore))) {
        longjmp(g_bail, 1);
    }
    fprintf(stderr, "%s: INVARIANT VIOLATED at call %lu (%s)%s%s: %s\n",
            HDM_FUZZ_NAME, g_step, g_what ? g_what : "?",
            hdm_fuzz_label ? " input " : "",
            hdm_fuzz_label ? hdm_fuzz_label : "", msg);
    fflush(stderr);
    abort();
}

#define REQUIRE(cond, ...)                                                     \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fz_fail(__VA_ARGS__);                                              \
        }                                                                      \
    } while (0)

#endif /* HDM_FUZZ_SUPPORT_H */
