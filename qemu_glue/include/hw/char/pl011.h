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

/* Frames kept for the bench's observation property x-hdm-frames */
#define PL011_FRAME_LOG 16

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
    bool tx_8bit;
    uint32_t periph_id;

    /* The chardev was told there is no room: call accept_input later */
    bool rx_blocked;

    /* UARTCLK: tick = tick_base + (ns - ns_base) * hz / 1e9 */
    uint32_t hz;
    int64_t ns_base;
    uint64_t tick_base;

    /*
     * Bench observation (x-hdm-frames): the last PL011_FRAME_LOG frames
     * the core reported, frame n at frame_log[n % PL011_FRAME_LOG]
     */
    hdm_pl011_frame_t frame_log[PL011_FRAME_LOG];
    uint64_t frames;

    hdm_pl011_t core;
    /* Migration image of the core (hdm_pl011_save / hdm_pl011_restore) */
    hdm_pl011_snapshot_t snap;
};

DeviceState *pl011_create(hwaddr addr, qemu_irq irq, Chardev *chr);

#endif
