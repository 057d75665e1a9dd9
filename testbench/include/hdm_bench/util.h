/* SPDX-License-Identifier: MIT */
/*
 * hdm bench utilities: a growable text buffer, checked array growth and
 * string helpers. Allocation failures are sticky and reported, never fatal
 * in the middle of a parse.
 */
#ifndef HDM_BENCH_UTIL_H
#define HDM_BENCH_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define HDM_BENCH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HDM_BENCH_PRINTF(f, a)
#endif

/** Growable NUL-terminated byte buffer. */
typedef struct hdm_bench_buf {
    char *data;  /**< NUL-terminated once anything was appended */
    size_t len;  /**< bytes used, without the NUL */
    size_t cap;  /**< bytes allocated */
    bool failed; /**< an allocation failed; contents are truncated */
} hdm_bench_buf_t;

void hdm_bench_buf_init(hdm_bench_buf_t *b);
void hdm_bench_buf_free(hdm_bench_buf_t *b);
/** Drop the contents, keep the allocation. */
void hdm_bench_buf_reset(hdm_bench_buf_t *b);
bool hdm_bench_buf_append(hdm_bench_buf_t *b, const char *s, size_t n);
bool hdm_bench_buf_puts(hdm_bench_buf_t *b, const char *s);
bool hdm_bench_buf_printf(hdm_bench_buf_t *b, const char *fmt, ...)
    HDM_BENCH_PRINTF(2, 3);
bool hdm_bench_buf_vprintf(hdm_bench_buf_t *b, const char *fmt, va_list ap);
/** The contents ("" when empty). */
const char *hdm_bench_buf_str(const hdm_bench_buf_t *b);

/**
 * Make room for @a need elements of @a elem bytes in *@a p (capacity in
 * *@a cap). Returns false (array unchanged) on overflow or allocation
 * failure.
 */
bool hdm_bench_grow(void **p, size_t *cap, size_t need, size_t elem);

/** Heap copy of @a s (NULL on allocation failure or NULL @a s). */
char *hdm_bench_strdup(const char *s);
/** Heap copy of the first @a n bytes of @a s, NUL-terminated. */
char *hdm_bench_strndup(const char *s, size_t n);
/** printf into a fresh heap string (NULL on failure). */
char *hdm_bench_asprintf(const char *fmt, ...) HDM_BENCH_PRINTF(1, 2);

/**
 * Create the missing parent directories of file @a path (mkdir -p of its
 * dirname). False with a reason in @a why on failure.
 */
bool hdm_bench_mkdirs(const char *path, char *why, size_t why_len);

/** floor(@a tick * @a num / @a den) with 128-bit intermediate, saturated. */
uint64_t hdm_bench_scale(uint64_t tick, uint64_t num, uint64_t den);

#ifdef __cplusplus
}
#endif

#endif /* HDM_BENCH_UTIL_H */
