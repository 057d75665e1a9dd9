/* SPDX-License-Identifier: MIT */
/* hdm bench device descriptor registry and capability names. */
#include "hdm_bench/device.h"

#include <stdio.h>
#include <string.h>

static const char *const cap_names[HDM_BENCH_CAP_COUNT] = {
    "pin-tx", "pin-rx", "modem", "dma", "debug", "exact", "msi", "status",
};

const char *hdm_bench_cap_name(unsigned index)
{
    return index < HDM_BENCH_CAP_COUNT ? cap_names[index] : NULL;
}

bool hdm_bench_cap_parse(const char *name, uint32_t *cap)
{
    for (unsigned i = 0; i < HDM_BENCH_CAP_COUNT; i++) {
        if (strcmp(name, cap_names[i]) == 0) {
            *cap = 1u << i;
            return true;
        }
    }
    return false;
}

void hdm_bench_caps_format(uint32_t caps, char *buf, size_t len)
{
    size_t used = 0;
    if (len == 0) {
        return;
    }
    buf[0] = '\0';
    for (unsigned i = 0; i < HDM_BENCH_CAP_COUNT; i++) {
        if (!(caps & (1u << i))) {
            continue;
        }
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                         cap_names[i]);
        if (n < 0 || (size_t)n >= len - used) {
            return;
        }
        used += (size_t)n;
    }
}

const hdm_bench_device_t *const hdm_bench_devices[] = {
    &hdm_bench_device_pl011,
    &hdm_bench_device_hpet,
    NULL,
};

const hdm_bench_device_t *hdm_bench_device_find(const char *name)
{
    for (size_t i = 0; hdm_bench_devices[i]; i++) {
        if (strcmp(hdm_bench_devices[i]->name, name) == 0) {
            return hdm_bench_devices[i];
        }
    }
    return NULL;
}

int hdm_bench_device_signal(const hdm_bench_device_t *dev, const char *name)
{
    for (unsigned i = 0; i < dev->nsignals; i++) {
        if (strcmp(dev->signals[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int hdm_bench_device_config_key(const hdm_bench_device_t *dev, const char *key)
{
    for (unsigned i = 0; i < dev->nconfig; i++) {
        if (strcmp(dev->config[i].key, key) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int hdm_bench_name_index(const char *const *names, const char *name)
{
    if (!names) {
        return -1;
    }
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}
