/* SPDX-License-Identifier: MIT */
/* Minimal check macros for the bench unit tests: count, report, go on. */
#ifndef HDM_BENCH_TEST_CHECK_H
#define HDM_BENCH_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            check_failures++;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_EQ_U(a, b)                                                       \
    do {                                                                       \
        unsigned long long a_ = (unsigned long long)(a);                       \
        unsigned long long b_ = (unsigned long long)(b);                       \
        if (a_ != b_) {                                                        \
            fprintf(stderr, "%s:%d: %s == %llu, expected %s == %llu\n",        \
                    __FILE__, __LINE__, #a, a_, #b, b_);                       \
            check_failures++;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_STR(s, sub)                                                      \
    do {                                                                       \
        const char *s_ = (s);                                                  \
        if (!s_ || !strstr(s_, (sub))) {                                       \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n",         \
                    __FILE__, __LINE__, s_ ? s_ : "(null)", (sub));            \
            check_failures++;                                                  \
        }                                                                      \
    } while (0)

static inline int check_done(const char *name)
{
    if (check_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

#endif /* HDM_BENCH_TEST_CHECK_H */
