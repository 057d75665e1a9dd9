/* SPDX-License-Identifier: MIT */
/*
 * Core target for the PL011: the bench drives hdm_pl011_* directly, with
 * exact ticks and pin-level TX observation (tx_pin_edges). Host callbacks
 * are forwarded to the bench observer with descriptor signal ids; FIFO
 * levels are sampled after every core call and at every internal event,
 * so their changes carry exact ticks too.
 */
#include "hdm/pl011.h"
#include "hdm_bench/core_config.h"
#include "hdm_bench/target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct core_pl011 {
    hdm_pl011_t dev;
    hdm_bench_observer_t obs;
    const hdm_bench_device_t *desc;
    int irq_sig[HDM_PL011_IRQ_COUNT];
    int out_sig[HDM_PL011_OUT_COUNT];
    hdm_bench_pl011_flags_t flags;
    bool live; /* forward callbacks to the observer */
    bool fifo_valid;
    unsigned tx, rx;
} core_pl011_t;

static void host_irq(void *opaque, unsigned line, bool level, hdm_tick_t tick)
{
    core_pl011_t *c = opaque;
    if (c->live && line < HDM_PL011_IRQ_COUNT && c->irq_sig[line] >= 0) {
        c->obs.level(c->obs.opaque, (unsigned)c->irq_sig[line], level, tick);
    }
}

static void host_pin(void *opaque, unsigned pin, bool level, hdm_tick_t tick)
{
    core_pl011_t *c = opaque;
    if (c->live && pin < HDM_PL011_OUT_COUNT && c->out_sig[pin] >= 0) {
        c->obs.level(c->obs.opaque, (unsigned)c->out_sig[pin], level, tick);
    }
}

static void host_tx_frame(void *opaque, const void *frame)
{
    core_pl011_t *c = opaque;
    const hdm_pl011_frame_t *f = frame;
    if (!c->live || !c->obs.frame) {
        return;
    }
    hdm_bench_frame_t bf;
    hdm_bench_pl011_frame(&c->flags, f, &bf);
    c->obs.frame(c->obs.opaque, &bf);
}

static void sample_fifo(core_pl011_t *c, uint64_t tick)
{
    unsigned tx = 0, rx = 0;
    hdm_pl011_fifo_levels(&c->dev, &tx, &rx);
    if (c->fifo_valid && tx == c->tx && rx == c->rx) {
        return;
    }
    c->fifo_valid = true;
    c->tx = tx;
    c->rx = rx;
    if (c->obs.fifo) {
        c->obs.fifo(c->obs.opaque, tx, rx, tick);
    }
}

static int core_open(void **handle, const hdm_bench_open_args_t *args,
                     char *why, size_t why_len)
{
    const hdm_bench_device_t *desc = args->device;
    if (strcmp(desc->name, "pl011") != 0) {
        snprintf(why, why_len, "not a PL011 vector (%s)", desc->name);
        return HDM_BENCH_OPEN_SKIP;
    }
    core_pl011_t *c = calloc(1, sizeof(*c));
    if (!c) {
        snprintf(why, why_len, "out of memory");
        return HDM_E_INVAL;
    }
    c->desc = desc;
    c->obs = args->observer;
    for (unsigned i = 0; i < HDM_PL011_IRQ_COUNT; i++) {
        c->irq_sig[i] = -1;
    }
    for (unsigned i = 0; i < HDM_PL011_OUT_COUNT; i++) {
        c->out_sig[i] = -1;
    }
    for (unsigned i = 0; i < desc->nsignals; i++) {
        const hdm_bench_signal_desc_t *s = &desc->signals[i];
        if (s->kind == HDM_BENCH_SIG_IRQ && s->dev_id < HDM_PL011_IRQ_COUNT) {
            c->irq_sig[s->dev_id] = (int)i;
        } else if (s->kind == HDM_BENCH_SIG_OUTPUT &&
                   s->dev_id < HDM_PL011_OUT_COUNT) {
            c->out_sig[s->dev_id] = (int)i;
        }
    }
    hdm_bench_pl011_flags_init(desc, &c->flags);

    hdm_pl011_config_t cfg;
    hdm_bench_pl011_config(args, &cfg);

    hdm_host_t host;
    memset(&host, 0, sizeof(host));
    host.opaque = c;
    host.irq = host_irq;
    host.pin = host_pin;
    host.tx_frame = host_tx_frame;
    int st = hdm_pl011_init(&c->dev, &cfg, &host);
    if (st != HDM_OK) {
        snprintf(why, why_len, "hdm_pl011_init refused the configuration");
        free(c);
        return st;
    }
    /* Inputs at their idle levels before tick 0 (reset state, not traced). */
    for (unsigned i = 0; i < desc->nsignals; i++) {
        const hdm_bench_signal_desc_t *s = &desc->signals[i];
        if (s->kind == HDM_BENCH_SIG_INPUT) {
            hdm_pl011_set_input(&c->dev, 0, s->dev_id, s->idle);
        }
    }
    c->live = true;
    sample_fifo(c, 0);
    *handle = c;
    return HDM_OK;
}

static int core_advance(void *handle, uint64_t tick)
{
    core_pl011_t *c = handle;
    /* Step event by event so FIFO level changes get their exact tick. */
    for (;;) {
        hdm_tick_t ne = hdm_pl011_next_event(&c->dev);
        if (ne == HDM_TICK_NEVER || ne >= tick) {
            break;
        }
        int st = hdm_pl011_advance_to(&c->dev, ne);
        if (st != HDM_OK) {
            return st;
        }
        sample_fifo(c, ne);
        if (hdm_pl011_next_event(&c->dev) <= ne) {
            break; /* no progress: let the final advance_to() handle it */
        }
    }
    int st = hdm_pl011_advance_to(&c->dev, tick);
    sample_fifo(c, tick);
    return st;
}

static int core_read(void *handle, uint64_t tick, uint32_t offset,
                     unsigned size, uint64_t *value, unsigned flags)
{
    core_pl011_t *c = handle;
    uint32_t v = 0;
    int st = hdm_pl011_read(&c->dev, tick, offset, size, &v, flags);
    *value = v;
    sample_fifo(c, tick);
    return st;
}

static int core_write(void *handle, uint64_t tick, uint32_t offset,
                      unsigned size, uint64_t value, unsigned flags)
{
    core_pl011_t *c = handle;
    int st = hdm_pl011_write(&c->dev, tick, offset, size,
                             (uint32_t)(value & 0xFFFFFFFFu), flags);
    sample_fifo(c, tick);
    return st;
}

static int core_rx_frame(void *handle, uint64_t tick, uint32_t data,
                         unsigned flags)
{
    core_pl011_t *c = handle;
    unsigned f = hdm_bench_pl011_rx_flags(&c->flags, flags);
    int st = hdm_pl011_rx_frame(&c->dev, tick, (uint8_t)data, f);
    sample_fifo(c, tick);
    return st;
}

static int core_set_input(void *handle, uint64_t tick, unsigned signal,
                          bool level)
{
    core_pl011_t *c = handle;
    if (signal >= c->desc->nsignals ||
        c->desc->signals[signal].kind != HDM_BENCH_SIG_INPUT) {
        return HDM_E_INVAL;
    }
    int st = hdm_pl011_set_input(&c->dev, tick, c->desc->signals[signal].dev_id,
                                 level);
    sample_fifo(c, tick);
    return st;
}

static bool core_output_level(void *handle, unsigned signal)
{
    core_pl011_t *c = handle;
    if (signal >= c->desc->nsignals) {
        return false;
    }
    const hdm_bench_signal_desc_t *s = &c->desc->signals[signal];
    if (s->kind == HDM_BENCH_SIG_IRQ) {
        return hdm_pl011_irq_level(&c->dev, s->dev_id);
    }
    if (s->kind == HDM_BENCH_SIG_OUTPUT) {
        return hdm_pl011_output_level(&c->dev, s->dev_id);
    }
    return false;
}

static void core_close(void *handle)
{
    free(handle);
}

static const hdm_bench_target_ops_t core_pl011_ops = {
    .open = core_open,
    .advance = core_advance,
    .read = core_read,
    .write = core_write,
    .rx_frame = core_rx_frame,
    .set_input = core_set_input,
    .output_level = core_output_level,
    .close = core_close,
};

const hdm_bench_target_t hdm_bench_target_core_pl011 = {
    .name = "core",
    .device = "pl011",
    .caps = HDM_BENCH_CAP_ALL,
    .ops = &core_pl011_ops,
};
