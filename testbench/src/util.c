/* SPDX-License-Identifier: MIT */
/* hdm bench utilities (see hdm_bench/util.h). */
#define _POSIX_C_SOURCE 200809L

#include "hdm_bench/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

void hdm_bench_buf_init(hdm_bench_buf_t *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

void hdm_bench_buf_free(hdm_bench_buf_t *b)
{
    free(b->data);
    hdm_bench_buf_init(b);
}

void hdm_bench_buf_reset(hdm_bench_buf_t *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data) {
        b->data[0] = '\0';
    }
}

static bool buf_reserve(hdm_bench_buf_t *b, size_t extra)
{
    if (b->failed) {
        return false;
    }
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) {
        return true;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool hdm_bench_buf_append(hdm_bench_buf_t *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n)) {
        return false;
    }
    if (n) {
        memcpy(b->data + b->len, s, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool hdm_bench_buf_puts(hdm_bench_buf_t *b, const char *s)
{
    return hdm_bench_buf_append(b, s, strlen(s));
}

bool hdm_bench_buf_vprintf(hdm_bench_buf_t *b, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) {
        b->failed = true;
        return false;
    }
    if (!buf_reserve(b, (size_t)n)) {
        return false;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return true;
}

bool hdm_bench_buf_printf(hdm_bench_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = hdm_bench_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

const char *hdm_bench_buf_str(const hdm_bench_buf_t *b)
{
    return b->data ? b->data : "";
}

bool hdm_bench_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) {
        return true;
    }
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            return false;
        }
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem) {
        return false;
    }
    void *np = realloc(*p, ncap * elem);
    if (!np) {
        return false;
    }
    *p = np;
    *cap = ncap;
    return true;
}

char *hdm_bench_strndup(const char *s, size_t n)
{
    if (!s) {
        return NULL;
    }
    char *d = malloc(n + 1);
    if (!d) {
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *hdm_bench_strdup(const char *s)
{
    return s ? hdm_bench_strndup(s, strlen(s)) : NULL;
}

char *hdm_bench_asprintf(const char *fmt, ...)
{
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    bool ok = hdm_bench_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (!ok || !b.data) {
        hdm_bench_buf_free(&b);
        return ok ? hdm_bench_strdup("") : NULL;
    }
    return b.data;
}

uint64_t hdm_bench_scale(uint64_t tick, uint64_t num, uint64_t den)
{
    if (den == 0) {
        return UINT64_MAX;
    }
    unsigned __int128 v = (unsigned __int128)tick * num / den;
    return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

bool hdm_bench_mkdirs(const char *path, char *why, size_t why_len)
{
    char *p = hdm_bench_strdup(path);
    if (!p) {
        snprintf(why, why_len, "out of memory");
        return false;
    }
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') {
            continue;
        }
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            snprintf(why, why_len, "cannot create directory %s: %s", p,
                     strerror(errno));
            free(p);
            return false;
        }
        *s = '/';
    }
    free(p);
    return true;
}
