/* SPDX-License-Identifier: MIT */
/* The unit tests' failure reporting: print what differed, exit 1. */
#ifndef HDM_TEST_CHECK_H
#define HDM_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static inline void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    exit(1);
}

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fail(__VA_ARGS__);                                                 \
        }                                                                      \
    } while (0)

#endif /* HDM_TEST_CHECK_H */
