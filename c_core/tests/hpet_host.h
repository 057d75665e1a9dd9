/* SPDX-License-Identifier: MIT */
/*
 * Test harness for the HPET core: a host that records every callback
 * (line changes, FSB writes, deadlines) with its tick, and helpers for
 * register accesses that must succeed. Register offsets come from the
 * generated hdm/hpet_regs.h.
 */
#ifndef HDM_TEST_HPET_HOST_H
#define HDM_TEST_HPET_HOST_H

#include "hdm/hpet.h"
#include "hdm/hpet_regs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

typedef unsigned long long ull;

/* Register offsets and Tn_CONF bits used by the tests. */
#define GCAP    HDM_HPET_GCAP_ID_OFFSET
#define GEN     HDM_HPET_GEN_CONF_OFFSET
#define STS     HDM_HPET_GINTR_STA_OFFSET
#define CNT     HDM_HPET_MAIN_CNT_OFFSET
#define CONF(n) HDM_HPET_TN_CONF_OFFSET(n)
#define COMP(n) HDM_HPET_TN_COMP_OFFSET(n)
#define FSB(n)  HDM_HPET_TN_FSB_ROUTE_OFFSET(n)

#define ENABLE   1u
#define LEG_RT   2u
#define LEVEL    ((uint32_t)HDM_HPET_TN_CONF_TN_INT_TYPE_CNF_Msk)
#define INT_ENB  ((uint32_t)HDM_HPET_TN_CONF_TN_INT_ENB_CNF_Msk)
#define PERIODIC ((uint32_t)HDM_HPET_TN_CONF_TN_TYPE_CNF_Msk)
#define VAL_SET  ((uint32_t)HDM_HPET_TN_CONF_TN_VAL_SET_CNF_Msk)
#define MODE32   ((uint32_t)HDM_HPET_TN_CONF_TN_32MODE_CNF_Msk)
#define FSB_EN   ((uint32_t)HDM_HPET_TN_CONF_TN_FSB_EN_CNF_Msk)
#define ROUTE(r) ((uint32_t)(r) << HDM_HPET_TN_CONF_TN_INT_ROUTE_CNF_Pos)

/* One recorded callback. */
typedef struct hev {
    int kind; /* 'i' line change, 'm' FSB write */
    unsigned line;
    bool level;
    uint64_t addr;
    uint32_t data;
    hdm_tick_t tick;
} hev_t;

#define HOST_MAX_EVENTS 8192

typedef struct host_rec {
    hev_t ev[HOST_MAX_EVENTS];
    size_t n;
    size_t rises[HDM_HPET_LINES]; /* rising edges per line */
    size_t msis;
    size_t deadlines;
    hdm_tick_t deadline;
    size_t guest_errors;
    bool overflow;
} host_rec_t;

static inline void rec_push(host_rec_t *r, const hev_t *e)
{
    if (r->n < HOST_MAX_EVENTS) {
        r->ev[r->n++] = *e;
    } else {
        r->overflow = true;
    }
}

static inline void host_irq(void *o, unsigned line, bool level, hdm_tick_t t)
{
    host_rec_t *r = o;
    hev_t e;
    memset(&e, 0, sizeof(e)); /* records are compared with memcmp */
    e.kind = 'i';
    e.line = line;
    e.level = level;
    e.tick = t;
    CHECK(line < HDM_HPET_LINES, "irq on line %u", line);
    if (level) {
        r->rises[line]++;
    }
    rec_push(r, &e);
}

static inline void host_msi(void *o, uint64_t addr, uint32_t data, hdm_tick_t t)
{
    host_rec_t *r = o;
    hev_t e;
    memset(&e, 0, sizeof(e));
    e.kind = 'm';
    e.addr = addr;
    e.data = data;
    e.tick = t;
    r->msis++;
    rec_push(r, &e);
}

static inline void host_deadline(void *o, hdm_tick_t next)
{
    host_rec_t *r = o;
    r->deadlines++;
    r->deadline = next;
}

static inline void host_guest_error(void *o, int st, uint32_t off,
                                    unsigned size, bool w)
{
    (void)st;
    (void)off;
    (void)size;
    (void)w;
    ((host_rec_t *)o)->guest_errors++;
}

static inline hdm_host_t host_of(host_rec_t *r)
{
    hdm_host_t h;
    memset(&h, 0, sizeof(h));
    h.opaque = r;
    h.irq = host_irq;
    h.bus_write32 = host_msi;
    h.deadline = host_deadline;
    h.guest_error = host_guest_error;
    return h;
}

/* Initialise @a d with @a cfg (default if NULL) and a fresh record. */
static inline void open_dev(hdm_hpet_t *d, host_rec_t *r,
                            const hdm_hpet_config_t *cfg)
{
    hdm_hpet_config_t def;
    if (!cfg) {
        hdm_hpet_config_default(&def);
        cfg = &def;
    }
    memset(r, 0, sizeof(*r));
    r->deadline = HDM_TICK_NEVER;
    hdm_host_t h = host_of(r);
    CHECK(hdm_hpet_init(d, cfg, &h) == HDM_OK, "hdm_hpet_init refused");
}

static inline void wr(hdm_hpet_t *d, hdm_tick_t t, uint32_t off, unsigned size,
                      uint64_t v)
{
    int st = hdm_hpet_write(d, t, off, size, v, 0);
    CHECK(st == HDM_OK, "write 0x%03x/%u = 0x%llx at %llu: %s", off, size,
          (ull)v, (ull)t, hdm_status_name(st));
}

static inline uint64_t rd(hdm_hpet_t *d, hdm_tick_t t, uint32_t off,
                          unsigned size)
{
    uint64_t v = 0;
    int st = hdm_hpet_read(d, t, off, size, &v, 0);
    CHECK(st == HDM_OK, "read 0x%03x/%u at %llu: %s", off, size, (ull)t,
          hdm_status_name(st));
    return v;
}

static inline void expect_rd(hdm_hpet_t *d, hdm_tick_t t, uint32_t off,
                             unsigned size, uint64_t want, const char *what)
{
    uint64_t v = rd(d, t, off, size);
    CHECK(v == want,
          "%s: read 0x%03x/%u at tick %llu = 0x%llx, expected "
          "0x%llx",
          what, off, size, (ull)t, (ull)v, (ull)want);
}

static inline void expect_line(hdm_hpet_t *d, unsigned line, bool level,
                               const char *what)
{
    CHECK(hdm_hpet_irq_level(d, line) == level,
          "%s: line %u is %d, "
          "expected %d",
          what, line, hdm_hpet_irq_level(d, line), level);
}

#endif /* HDM_TEST_HPET_HOST_H */
