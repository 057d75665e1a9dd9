/* SPDX-License-Identifier: MIT */
/*
 * Core target for the HPET: the bench drives hdm_hpet_* directly, with
 * exact ticks. Line changes and FSB writes are forwarded to the bench
 * observer (descriptor signal ids; bus_write for the FSB messages).
 */
#include "hdm/hpet.h"
#include "hdm_bench/core_config.h"
#include "hdm_bench/target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct core_hpet {
    hdm_hpet_t dev;
    hdm_bench_observer_t obs;
    const hdm_bench_device_t *desc;
    int irq_sig[HDM_HPET_LINES];
} core_hpet_t;

static void host_irq(void *opaque, unsigned line, bool level, hdm_tick_t tick)
{
    core_hpet_t *c = opaque;
    if (line < HDM_HPET_LINES && c->irq_sig[line] >= 0) {
        c->obs.level(c->obs.opaque, (unsigned)c->irq_sig[line], level, tick);
    }
}

static void host_bus_write32(void *opaque, uint64_t addr, uint32_t data,
                             hdm_tick_t tick)
{
    core_hpet_t *c = opaque;
    if (c->obs.bus_write) {
        c->obs.bus_write(c->obs.opaque, addr, data, tick);
    }
}

static int core_open(void **handle, const hdm_bench_open_args_t *args,
                     char *why, size_t why_len)
{
    const hdm_bench_device_t *desc = args->device;
    if (strcmp(desc->name, "hpet") != 0) {
        snprintf(why, why_len, "not an HPET vector (%s)", desc->name);
        return HDM_BENCH_OPEN_SKIP;
    }
    core_hpet_t *c = calloc(1, sizeof(*c));
    if (!c) {
        snprintf(why, why_len, "out of memory");
        return HDM_E_INVAL;
    }
    c->desc = desc;
    c->obs = args->observer;
    for (unsigned i = 0; i < HDM_HPET_LINES; i++) {
        c->irq_sig[i] = -1;
    }
    for (unsigned i = 0; i < desc->nsignals; i++) {
        const hdm_bench_signal_desc_t *s = &desc->signals[i];
        if (s->kind == HDM_BENCH_SIG_IRQ && s->dev_id < HDM_HPET_LINES) {
            c->irq_sig[s->dev_id] = (int)i;
        }
    }
    hdm_hpet_config_t cfg;
    hdm_bench_hpet_config(args, &cfg);
    hdm_host_t host;
    memset(&host, 0, sizeof(host));
    host.opaque = c;
    host.irq = host_irq;
    host.bus_write32 = host_bus_write32;
    int st = hdm_hpet_init(&c->dev, &cfg, &host);
    if (st != HDM_OK) {
        snprintf(why, why_len, "hdm_hpet_init refused the configuration");
        free(c);
        return st;
    }
    *handle = c;
    return HDM_OK;
}

static int core_advance(void *handle, uint64_t tick)
{
    core_hpet_t *c = handle;
    return hdm_hpet_advance_to(&c->dev, tick);
}

static int core_read(void *handle, uint64_t tick, uint32_t offset,
                     unsigned size, uint64_t *value, unsigned flags)
{
    core_hpet_t *c = handle;
    return hdm_hpet_read(&c->dev, tick, offset, size, value, flags);
}

static int core_write(void *handle, uint64_t tick, uint32_t offset,
                      unsigned size, uint64_t value, unsigned flags)
{
    core_hpet_t *c = handle;
    return hdm_hpet_write(&c->dev, tick, offset, size, value, flags);
}

static int core_set_input(void *handle, uint64_t tick, unsigned signal,
                          bool level)
{
    (void)handle;
    (void)tick;
    (void)signal;
    (void)level;
    return HDM_E_INVAL; /* the HPET has no inputs */
}

static bool core_output_level(void *handle, unsigned signal)
{
    core_hpet_t *c = handle;
    if (signal >= c->desc->nsignals ||
        c->desc->signals[signal].kind != HDM_BENCH_SIG_IRQ) {
        return false;
    }
    return hdm_hpet_irq_level(&c->dev, c->desc->signals[signal].dev_id);
}

static void core_close(void *handle)
{
    free(handle);
}

static const hdm_bench_target_ops_t core_hpet_ops = {
    .open = core_open,
    .advance = core_advance,
    .read = core_read,
    .write = core_write,
    .rx_frame = NULL,
    .set_input = core_set_input,
    .output_level = core_output_level,
    .close = core_close,
};

const hdm_bench_target_t hdm_bench_target_core_hpet = {
    .name = "core",
    .device = "hpet",
    .caps = HDM_BENCH_CAP_ALL,
    .ops = &core_hpet_ops,
};
