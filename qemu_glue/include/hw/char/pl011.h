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
#include "qemu/notify.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "hdm/pl011.h"

#define TYPE_PL011 "pl011"
OBJECT_DECLARE_SIMPLE_TYPE(PL011State, PL011)

/* This shares the same struct (and cast macro) as the base pl011 device */
#define TYPE_PL011_LUMINARY "pl011_luminary"

/* Frames kept for the bench's observation property x-hdm-frames */
#define PL011_FRAME_LOG 16
/*
 * Transmitted bytes the chardev has not taken yet. The core's transmitter
 * is held (hdm_pl011_set_tx_hold) from PL011_TX_HIGH on, which leaves room
 * for what one core call can still emit (a FIFO and a frame in progress).
 */
#define PL011_TX_BUF 4096
#define PL011_TX_HIGH (PL011_TX_BUF - 2 * HDM_PL011_FIFO_MAX)
#define PL011_TX_LOW (PL011_TX_BUF / 2)
/* Bytes written out at once; fewer wait at most PL011_TX_DELAY_NS */
#define PL011_TX_BATCH 64
#define PL011_TX_DELAY_NS (200 * SCALE_US)
/* At exit, how long to wait for a chardev that takes nothing */
#define PL011_TX_DRAIN_MS 1000

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

    /* TX bytes for the chardev, written without blocking (tx_bh, tx_watch) */
    uint8_t tx_buf[PL011_TX_BUF];
    uint32_t tx_head;
    uint32_t tx_len;
    QEMUTimer *tx_timer;
    guint tx_watch;
    VMChangeStateEntry *vmstate_entry;
    Notifier exit_notifier;

    /* UARTCLK: tick = tick_base + (ns - ns_base) * hz / 1e9 */
    uint32_t hz;
    int64_t ns_base;
    uint64_t tick_base;
    uint64_t tick_num;          /* hz / 1e9 in lowest terms */
    uint64_t tick_den;

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
