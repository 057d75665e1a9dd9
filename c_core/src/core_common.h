/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers shared by every hdm core (not installed): the tick
 * prologue, deadline reporting and the guest-error sink, so that all cores
 * refuse and report the same way (docs/architecture.md, core contract).
 */
#ifndef HDM_CORE_COMMON_H
#define HDM_CORE_COMMON_H

#include "hdm/common.h"

/* A call at tick @a now on a core at tick @a cur: HDM_E_PAST before it,
 * HDM_E_INVAL beyond HDM_TICK_MAX, else HDM_OK. */
static inline int hdm_core_tick_check(hdm_tick_t now, hdm_tick_t cur)
{
    if (now < cur) {
        return HDM_E_PAST;
    }
    if (now > HDM_TICK_MAX) {
        return HDM_E_INVAL;
    }
    return HDM_OK;
}

/* Report @a next through host->deadline if it differs from *@a last. */
static inline void hdm_core_report_deadline(const hdm_host_t *host,
                                            hdm_tick_t *last, hdm_tick_t next)
{
    if (next != *last) {
        *last = next;
        if (host->deadline) {
            host->deadline(host->opaque, next);
        }
    }
}

/* A refused or unpredictable guest access, for the host's log. */
static inline void hdm_core_guest_error(const hdm_host_t *host, int status,
                                        uint32_t offset, unsigned size,
                                        bool is_write)
{
    if (host->guest_error) {
        host->guest_error(host->opaque, status, offset, size, is_write);
    }
}

#endif /* HDM_CORE_COMMON_H */
