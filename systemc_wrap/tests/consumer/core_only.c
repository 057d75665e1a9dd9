/* SPDX-License-Identifier: MIT */
/* Installed-package consumer: the PL011 and HPET cores through hdm::core. */
#include "hdm/hpet.h"
#include "hdm/pl011.h"
#include "hdm/pl011_regs.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    hdm_host_t host;
    memset(&host, 0, sizeof(host));
    static hdm_pl011_t uart;
    if (hdm_pl011_init(&uart, &cfg, &host) != HDM_OK) {
        fprintf(stderr, "hdm consumer: hdm_pl011_init failed\n");
        return 1;
    }
    uint32_t fr = 0;
    int st = hdm_pl011_read(&uart, 0, HDM_PL011_UARTFR_OFFSET, 4, &fr, 0);
    if (st != HDM_OK || fr != 0x90) {
        fprintf(stderr, "hdm consumer: UARTFR %s 0x%x, expected OK 0x90\n",
                hdm_status_name(st), (unsigned)fr);
        return 1;
    }
    hdm_hpet_config_t hcfg;
    hdm_hpet_config_default(&hcfg);
    static hdm_hpet_t hpet;
    if (hdm_hpet_init(&hpet, &hcfg, &host) != HDM_OK) {
        fprintf(stderr, "hdm consumer: hdm_hpet_init failed\n");
        return 1;
    }
    printf("hdm consumer (C): UARTFR 0x%x, HPET %u bytes of registers: ok\n",
           (unsigned)fr, (unsigned)hdm_hpet_mmio_size(&hpet));
    return 0;
}
