// SPDX-License-Identifier: MIT
// Compiles the public headers as C++17 and makes one call through them.
#include "hdm/common.h"
#include "hdm/pl011.h"
#include "hdm/pl011_regs.h"
#include "hdm/hpet.h"
#include "hdm/hpet_regs.h"

#include <cstdio>

int main()
{
    hdm_pl011_t dev;
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    if (hdm_pl011_init(&dev, &cfg, nullptr) != HDM_OK) {
        std::puts("FAIL: hdm_pl011_init from C++");
        return 1;
    }
    uint32_t v = 0;
    int st = hdm_pl011_read(&dev, 0, HDM_PL011_UARTCR_OFFSET, 4, &v, 0);
    if (st != HDM_OK || v != HDM_PL011_UARTCR_RESET) {
        std::printf("FAIL: UARTCR read from C++: status %s value 0x%x\n",
                    hdm_status_name(st), v);
        return 1;
    }
    hdm_hpet_t hpet;
    hdm_hpet_config_t hcfg;
    hdm_hpet_config_default(&hcfg);
    uint64_t g = 0;
    if (hdm_hpet_init(&hpet, &hcfg, nullptr) != HDM_OK ||
        hdm_hpet_read(&hpet, 0, HDM_HPET_GCAP_ID_OFFSET, 8, &g, 0) != HDM_OK ||
        g != HDM_HPET_GCAP_ID_RESET) {
        std::puts("FAIL: HPET GCAP_ID read from C++");
        return 1;
    }
    return 0;
}
