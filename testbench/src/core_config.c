/* SPDX-License-Identifier: MIT */
/* Vector configuration -> core configuration (hdm_bench/core_config.h). */
#include "hdm_bench/core_config.h"

#include <string.h>

static uint32_t name_bit(const char *const *names, const char *name)
{
    int i = hdm_bench_name_index(names, name);
    return i >= 0 ? 1u << i : 0;
}

/* Value of config key @a key (its default if the descriptor lacks it). */
static uint64_t cfg_u(const hdm_bench_open_args_t *a, const char *key,
                      uint64_t def)
{
    int k = hdm_bench_device_config_key(a->device, key);
    return k >= 0 ? a->config[k] : def;
}

/* Name of the value of enum key @a key, "" if the key is absent. */
static const char *cfg_name(const hdm_bench_open_args_t *a, const char *key)
{
    int k = hdm_bench_device_config_key(a->device, key);
    if (k < 0 || a->device->config[k].kind != HDM_BENCH_CFG_ENUM) {
        return "";
    }
    return a->device->config[k].names[a->config[k]];
}

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

void hdm_bench_hpet_config(const hdm_bench_open_args_t *a, hdm_hpet_config_t *c)
{
    hdm_hpet_config_default(c);
    c->num_timers = (unsigned)cfg_u(a, "timers", c->num_timers);
    c->counter64 = !is(cfg_name(a, "counter"), "32");
    c->period_fs = (uint32_t)cfg_u(a, "period_fs", c->period_fs);
    c->vendor_id = (uint16_t)cfg_u(a, "vendor", c->vendor_id);
    c->rev_id = (uint8_t)cfg_u(a, "rev", c->rev_id);
    c->leg_rt_cap = cfg_u(a, "leg_rt_cap", 1) != 0;
    uint64_t m64 = cfg_u(a, "timers64", UINT32_MAX);
    uint64_t mper = cfg_u(a, "periodic", UINT32_MAX);
    uint64_t mfsb = cfg_u(a, "fsb", 0);
    uint32_t route_cap = (uint32_t)cfg_u(a, "route_cap", 0x00FF0104u);
    for (unsigned i = 0; i < HDM_HPET_MAX_TIMERS; i++) {
        /* a 32-bit counter has 32-bit timers (docs/vectors.md) */
        c->timer[i].size64 = c->counter64 && ((m64 >> i) & 1u);
        c->timer[i].periodic = (mper >> i) & 1u;
        c->timer[i].fsb = (mfsb >> i) & 1u;
        c->timer[i].route_cap = route_cap;
    }
    const char *w = cfg_name(a, "wrap");
    c->wrap = is(w, "once")   ? HDM_HPET_WRAP_ONCE
              : is(w, "none") ? HDM_HPET_WRAP_NONE
                              : HDM_HPET_WRAP_EVERY;
    c->valset = is(cfg_name(a, "valset"), "accumulator")
                    ? HDM_HPET_VALSET_ACCUMULATOR
                    : HDM_HPET_VALSET_BOTH;
    c->counter_write = is(cfg_name(a, "counter_write"), "ignore")
                           ? HDM_HPET_COUNTER_WRITE_IGNORE
                           : HDM_HPET_COUNTER_WRITE_APPLY;
    const char *r = cfg_name(a, "bad_route");
    c->route = is(r, "store")  ? HDM_HPET_ROUTE_STORE
               : is(r, "zero") ? HDM_HPET_ROUTE_ZERO
                               : HDM_HPET_ROUTE_KEEP;
    c->intenb = is(cfg_name(a, "intenb_clear"), "hold") ? HDM_HPET_INTENB_HOLD
                                                        : HDM_HPET_INTENB_DROP;
    /* quirks (digest 8, 10), off by default */
    c->cmp_latency = (unsigned)cfg_u(a, "cmp_latency", 0);
    c->stale_cmp_read = is(cfg_name(a, "stale_cmp_read"), "on");
}

void hdm_bench_pl011_config(const hdm_bench_open_args_t *args,
                            hdm_pl011_config_t *cfg)
{
    const hdm_bench_device_t *desc = args->device;
    hdm_pl011_config_default(cfg);
    int k = hdm_bench_device_config_key(desc, "revision");
    if (k >= 0) {
        const char *rev = desc->config[k].names[args->config[k]];
        cfg->revision =
            strcmp(rev, "r1p4") == 0 ? HDM_PL011_R1P4 : HDM_PL011_R1P5;
    }
    k = hdm_bench_device_config_key(desc, "quirks");
    if (k >= 0) {
        const char *const *names = desc->config[k].names;
        uint64_t q = args->config[k];
        if (q & name_bit(names, "always-enabled")) {
            cfg->quirks |= HDM_PL011_QUIRK_ALWAYS_ENABLED;
        }
        if (q & name_bit(names, "rx-trigger-1")) {
            cfg->quirks |= HDM_PL011_QUIRK_RX_TRIGGER_1;
        }
        if (q & name_bit(names, "instant-tx")) {
            cfg->quirks |= HDM_PL011_QUIRK_INSTANT_TX;
        }
        if (q & name_bit(names, "tx-8bit")) {
            cfg->quirks |= HDM_PL011_QUIRK_TX_8BIT;
        }
    }
    k = hdm_bench_device_config_key(desc, "periph_id");
    if (k >= 0) {
        cfg->periph_id = (uint32_t)args->config[k];
    }
    /* clock= only converts ticks to time; the core counts UARTCLK ticks. */
    cfg->tx_pin_edges = true;
}

void hdm_bench_pl011_flags_init(const hdm_bench_device_t *desc,
                                hdm_bench_pl011_flags_t *map)
{
    /* Flag names of docs/vectors.md to the core's bits, by name. */
    static const struct {
        const char *name;
        uint32_t bit;
    } rx_flags[] = {
        { "fe", HDM_PL011_RX_FE },
        { "pe", HDM_PL011_RX_PE },
        { "be", HDM_PL011_RX_BE },
    }, frame_flags[] = {
        { "parity", HDM_PL011_FRAME_PARITY },
        { "stop2", HDM_PL011_FRAME_STOP2 },
        { "break", HDM_PL011_FRAME_BREAK },
        { "sir", HDM_PL011_FRAME_SIR },
    };
    memset(map, 0, sizeof(*map));
    for (unsigned i = 0; i < 3; i++) {
        int b = hdm_bench_name_index(desc->rx_flags, rx_flags[i].name);
        if (b >= 0 && b < 8) {
            map->rx[b] = rx_flags[i].bit;
        }
    }
    for (unsigned i = 0; i < 4; i++) {
        for (unsigned b = 0; b < 8; b++) {
            if (frame_flags[i].bit == 1u << b) {
                map->frame[b] =
                    name_bit(desc->frame_flags, frame_flags[i].name);
            }
        }
    }
}

unsigned hdm_bench_pl011_rx_flags(const hdm_bench_pl011_flags_t *map,
                                  unsigned flags)
{
    unsigned f = 0;
    for (unsigned i = 0; i < 8; i++) {
        if (flags & (1u << i)) {
            f |= map->rx[i];
        }
    }
    return f;
}

void hdm_bench_pl011_frame(const hdm_bench_pl011_flags_t *map,
                           const hdm_pl011_frame_t *f, hdm_bench_frame_t *out)
{
    memset(out, 0, sizeof(*out));
    out->start = f->start;
    out->end = f->end;
    out->data = f->data;
    out->bits = f->bits;
    for (unsigned i = 0; i < 8; i++) {
        if (f->flags & (1u << i)) {
            out->flags |= map->frame[i];
        }
    }
}
