/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Arm PrimeCell PL011 UART, provided by the hdm core (hdm/pl011.h).
 *
 * Replaces QEMU's include/hw/char/pl011.h: boards embed PL011State
 * (musca, bcm2835, xlnx-versal), so the struct carries the core.
 */

#ifndef HW_PL011_H
#define HW_PL011_H

#include "hw/sysbus.h"
#include "chardev/char-fe.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "hdm/pl011.h"

#define TYPE_PL011 "pl011"
OBJECT_DECLARE_SIMPLE_TYPE(PL011State, PL011)

/* This shares the same struct (and cast macro) as the base pl011 device */
#define TYPE_PL011_LUMINARY "pl011_luminary"

struct PL011State {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    CharBackend chr;
    qemu_irq irq[HDM_PL011_IRQ_COUNT];
    Clock *clk;
    QEMUTimer *timer;

    /* Properties */
    bool migrate_clk;
    char *revision;
    bool timing;
    bool always_enabled;
    bool rx_trigger_1;
    bool instant_tx;
    bool tx_ignore_wlen;

    /* PeriphID/CellID override (pl011_luminary), NULL for the core's */
    const uint8_t *id;
    /* The chardev was told there is no room: call accept_input later */
    bool rx_blocked;
    /* tx-ignore-wlen shim: frames leave during the DR write (instant TX) */
    bool instant;
    bool in_dr_write;
    uint8_t dr_byte;

    /* UARTCLK: tick = tick_base + (ns - ns_base) * hz / 1e9 */
    uint32_t hz;
    int64_t ns_base;
    uint64_t tick_base;

    hdm_pl011_t core;
    /* Migration image of the core (hdm_pl011_save / hdm_pl011_restore) */
    hdm_pl011_snapshot_t snap;
};

DeviceState *pl011_create(hwaddr addr, qemu_irq irq, Chardev *chr);

#endif
