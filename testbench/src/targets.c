/* SPDX-License-Identifier: MIT */
/* Targets compiled into hdm-bench. SystemC and QEMU adapters go here. */
#include "hdm_bench/target.h"

#include <stddef.h>

const hdm_bench_target_t *const hdm_bench_targets[] = {
    &hdm_bench_target_core_pl011,
    &hdm_bench_target_core_hpet,
#ifdef HDM_HAVE_SYSTEMC
    &hdm_bench_target_systemc_pl011,
    &hdm_bench_target_systemc_hpet,
#endif
#ifdef HDM_HAVE_QEMU
    &hdm_bench_target_qemu_pl011,
    &hdm_bench_target_qemu_hpet,
#endif
    NULL,
};
