/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Arm PrimeCell PL011 UART (r1p5, ARM DDI 0183G) on top of the hdm core.
 *
 * QEMU interface:
 *  + sysbus MMIO region 0: device registers (4 KiB)
 *  + sysbus IRQ 0: UARTINTR (combined interrupt line)
 *  + sysbus IRQ 1: UARTRXINTR (receive FIFO interrupt line)
 *  + sysbus IRQ 2: UARTTXINTR (transmit FIFO interrupt line)
 *  + sysbus IRQ 3: UARTRTINTR (receive timeout interrupt line)
 *  + sysbus IRQ 4: UARTMSINTR (modem status interrupt line)
 *  + sysbus IRQ 5: UARTEINTR (error interrupt line)
 *  + clock input "clk": UARTCLK (24 MHz when not connected)
 *  + property "chardev": the serial backend
 *  + properties "revision" (r1p5, r1p4), "timing", "always-enabled",
 *    "rx-trigger-1", "instant-tx", "tx-8bit", "periph-id": see docs/qemu.md
 *  + bench hooks (docs/qemu.md, "The bench's QEMU target"): read-only
 *    "x-hdm-timer-ns" and "x-hdm-frames" observe, "x-hdm-rx" injects a
 *    received character at the current tick (as the chardev would)
 *
 * Every register, FIFO, interrupt and serial-timing rule lives in the core
 * (hdm/pl011.h, c_core/src/pl011.c). This file only maps QEMU_CLOCK_VIRTUAL
 * to UARTCLK ticks, keeps one QEMUTimer on the core's next event, and
 * connects the core's frames to the chardev.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "hw/char/pl011.h"
#include "hw/irq.h"
#include "hw/sysbus.h"
#include "hw/qdev-clock.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-properties-system.h"
#include "migration/vmstate.h"
#include "chardev/char-fe.h"
#include "qemu/error-report.h"
#include "qemu/host-utils.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "system/runstate.h"
#include "system/system.h"
#include "trace.h"

/* UARTCLK when the "clk" input is not connected (virt's apb-pclk) */
#define PL011_DEFAULT_HZ 24000000u

/* PeriphID0-3 of the Luminary (Stellaris) variant; PCellID as Arm's */
#define PL011_LUMINARY_PERIPH_ID 0x01180011u

DeviceState *pl011_create(hwaddr addr, qemu_irq irq, Chardev *chr)
{
    DeviceState *dev = qdev_new(TYPE_PL011);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    qdev_prop_set_chr(dev, "chardev", chr);
    sysbus_realize_and_unref(sbd, &error_fatal);
    sysbus_mmio_map(sbd, 0, addr);
    sysbus_connect_irq(sbd, 0, irq);
    return dev;
}

/* Time: tick = tick_base + floor((ns - ns_base) * hz / 1e9) */

static uint32_t pl011_clock_hz(PL011State *s)
{
    unsigned hz = clock_get_hz(s->clk);

    return hz ? hz : PL011_DEFAULT_HZ;
}

/* s->hz and hz / 1e9 in lowest terms (24 MHz: 3 / 125) */
static void pl011_set_hz(PL011State *s)
{
    uint64_t g = NANOSECONDS_PER_SECOND;

    s->hz = pl011_clock_hz(s);
    for (uint64_t b = s->hz, r; b; g = b, b = r) {
        r = g % b;
    }
    s->tick_num = s->hz / g;
    s->tick_den = NANOSECONDS_PER_SECOND / g;
}

static hdm_tick_t pl011_tick_at(PL011State *s, int64_t ns)
{
    uint64_t d = ns > s->ns_base ? ns - s->ns_base : 0;
    hdm_tick_t t = s->tick_base;

    /* the same floor as muldiv64(), without a 128-bit division */
    if (d <= UINT64_MAX / s->tick_num) {
        t += d * s->tick_num / s->tick_den;
    } else {
        t += muldiv64(d, s->hz, NANOSECONDS_PER_SECOND);
    }

    /* never ask the core to go back (it would refuse the call) */
    return MAX(t, hdm_pl011_now(&s->core));
}

static hdm_tick_t pl011_now(PL011State *s)
{
    return pl011_tick_at(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

/* ns = ns_base + ceil((tick - tick_base) * 1e9 / hz) */
static void pl011_arm(PL011State *s, hdm_tick_t next)
{
    uint64_t d, limit;

    if (next == HDM_TICK_NEVER || next < s->tick_base) {
        timer_del(s->timer);
        return;
    }
    d = next - s->tick_base;
    limit = muldiv64(INT64_MAX - MAX(s->ns_base, 0), s->hz,
                     NANOSECONDS_PER_SECOND);
    if (d >= limit) {
        timer_del(s->timer);
        return;
    }
    timer_mod(s->timer, s->ns_base +
              muldiv64_round_up(d, NANOSECONDS_PER_SECOND, s->hz));
}

/* Core callbacks: none of them may call back into the core */

static void pl011_hdm_irq(void *opaque, unsigned line, bool level,
                          hdm_tick_t tick)
{
    PL011State *s = opaque;

    if (line < HDM_PL011_IRQ_COUNT) {
        trace_hdm_pl011_irq(line, level);
        qemu_set_irq(s->irq[line], level);
    }
}

static void pl011_hdm_tx_frame(void *opaque, const void *frame)
{
    PL011State *s = opaque;
    const hdm_pl011_frame_t *f = frame;

    s->frame_log[s->frames++ % PL011_FRAME_LOG] = *f;
    if (f->flags & HDM_PL011_FRAME_BREAK) {
        return;
    }
    if (s->tx_len == PL011_TX_BUF) {
        /*
         * Unreachable: the transmitter is held from PL011_TX_HIGH on, with
         * room left for a FIFO and a frame. Never drop a byte.
         */
        qemu_chr_fe_write_all(&s->chr, &f->data, 1);
        return;
    }
    /* written out by pl011_tx_kick() after the core call */
    s->tx_buf[(s->tx_head + s->tx_len) % PL011_TX_BUF] = f->data;
    s->tx_len++;
}

static void pl011_hdm_deadline(void *opaque, hdm_tick_t next)
{
    pl011_arm(opaque, next);
}

static void pl011_hdm_guest_error(void *opaque, int status, uint32_t offset,
                                  unsigned size, bool is_write)
{
    qemu_log_mask(LOG_GUEST_ERROR, "pl011: %u-byte %s at 0x%03" PRIx32
                  ": %s\n", size, is_write ? "write" : "read", offset,
                  hdm_status_str(status));
}

/*
 * Hold the transmitter while the chardev has not taken PL011_TX_HIGH bytes
 * (released from PL011_TX_LOW down). Never from a core callback.
 */
static void pl011_tx_hold_update(PL011State *s)
{
    bool held = hdm_pl011_tx_held(&s->core);

    if (!held && s->tx_len >= PL011_TX_HIGH) {
        trace_hdm_pl011_tx_hold(true, s->tx_len);
        hdm_pl011_set_tx_hold(&s->core, pl011_now(s), true);
    } else if (held && s->tx_len <= PL011_TX_LOW) {
        trace_hdm_pl011_tx_hold(false, s->tx_len);
        hdm_pl011_set_tx_hold(&s->core, pl011_now(s), false);
    }
}

static void pl011_tx_flush(PL011State *s);

/*
 * New TX bytes: written at once from PL011_TX_BATCH bytes on, else at the
 * latest PL011_TX_DELAY_NS later (one chardev write per batch, not per
 * byte; the guest's view of time is not affected).
 */
static void pl011_tx_kick(PL011State *s)
{
    if (!s->tx_len || s->tx_watch) {
        return;
    }
    if (s->tx_len >= PL011_TX_BATCH) {
        pl011_tx_flush(s);
    } else if (!timer_pending(s->tx_timer)) {
        timer_mod(s->tx_timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) +
                  PL011_TX_DELAY_NS);
    }
}

/* After a core call (never from a callback): frames it may have sent */
static void pl011_tx_update(PL011State *s)
{
    pl011_tx_hold_update(s);
    pl011_tx_kick(s);
}

/*
 * After a core call (never from a callback): the TX hold and output, and
 * let the chardev send again once the RX FIFO has room.
 */
static void pl011_poll_input(PL011State *s)
{
    pl011_tx_update(s);
    if (s->rx_blocked && hdm_pl011_rx_space(&s->core) > 0) {
        s->rx_blocked = false;
        qemu_chr_fe_accept_input(&s->chr);
    }
}

static gboolean pl011_tx_watch_cb(void *do_not_use, GIOCondition cond,
                                  void *opaque);

/*
 * One non-blocking chardev write of the buffer's first contiguous run.
 * Returns the bytes consumed, 0 when the chardev takes nothing now. A
 * missing backend takes everything; a broken one (EPIPE, EIO, ENOSPC) has
 * nobody to deliver to: the run is dropped.
 */
static uint32_t pl011_tx_put(PL011State *s)
{
    uint32_t n = MIN(s->tx_len, PL011_TX_BUF - s->tx_head);
    int r = n;

    if (qemu_chr_fe_backend_connected(&s->chr)) {
        r = qemu_chr_fe_write(&s->chr, s->tx_buf + s->tx_head, n);
    }
    if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        trace_hdm_pl011_tx_error(errno, n);
        r = n;
    }
    if (r <= 0) {
        return 0;
    }
    s->tx_head = (s->tx_head + r) % PL011_TX_BUF;
    s->tx_len -= r;
    return r;
}

/*
 * Hand the buffered bytes to the chardev without blocking; what it does
 * not take waits for a watch.
 */
static void pl011_tx_write(PL011State *s)
{
    uint32_t n;

    while (s->tx_len && !s->tx_watch) {
        if (!pl011_tx_put(s)) {
            s->tx_watch = qemu_chr_fe_add_watch(&s->chr, G_IO_OUT | G_IO_HUP,
                                                pl011_tx_watch_cb, s);
            if (s->tx_watch) {
                trace_hdm_pl011_tx_wait(s->tx_len);
                break;
            }
            /* a backend without watches: block as QEMU's pl011.c */
            n = MIN(s->tx_len, PL011_TX_BUF - s->tx_head);
            qemu_chr_fe_write_all(&s->chr, s->tx_buf + s->tx_head, n);
            s->tx_head = (s->tx_head + n) % PL011_TX_BUF;
            s->tx_len -= n;
        }
        /* may release the transmitter, which can append more */
        pl011_tx_hold_update(s);
    }
}

/*
 * Not once the device state may have been saved with the bytes (migration,
 * savevm): they are the destination's, or the snapshot's. The VM stop that
 * precedes the save writes what the chardev takes (pl011_vm_state_change).
 */
static void pl011_tx_flush(PL011State *s)
{
    if (!runstate_check(RUN_STATE_FINISH_MIGRATE) &&
        !runstate_check(RUN_STATE_POSTMIGRATE) &&
        !runstate_check(RUN_STATE_SAVE_VM)) {
        pl011_tx_write(s);
    }
}

static gboolean pl011_tx_watch_cb(void *do_not_use, GIOCondition cond,
                                  void *opaque)
{
    PL011State *s = opaque;

    s->tx_watch = 0;
    pl011_tx_flush(s);
    return G_SOURCE_REMOVE;
}

static void pl011_tx_timer_cb(void *opaque)
{
    pl011_tx_flush(opaque);
}

/*
 * The VM will not run again (QEMU exits): write what is pending, waiting
 * for a slow chardev up to PL011_TX_DRAIN_MS, then give up (a chardev
 * nobody reads must not keep QEMU from exiting).
 */
static void pl011_tx_drain(PL011State *s)
{
    for (int waited = 0; s->tx_len && waited < PL011_TX_DRAIN_MS;) {
        if (!pl011_tx_put(s)) {
            g_usleep(1000);
            waited++;
        }
    }
    if (s->tx_len) {
        warn_report("pl011: chardev took nothing for %d ms at exit, %u "
                    "transmitted bytes dropped", PL011_TX_DRAIN_MS,
                    s->tx_len);
        s->tx_len = 0;
    }
}

static void pl011_vm_state_change(void *opaque, bool running, RunState state)
{
    PL011State *s = opaque;

    if (running && s->tx_len) {
        timer_mod(s->tx_timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME));
    } else if (!running && state == RUN_STATE_SHUTDOWN) {
        /* a quit or a guest poweroff: the chardevs still exist here */
        pl011_tx_drain(s);
    } else if (!running) {
        /* before any state save: what the chardev takes now is not saved */
        pl011_tx_write(s);
    }
}

/*
 * exit() with the VM still running (e.g. semihosting SYS_EXIT): there was
 * no vm_shutdown(), the chardevs still exist. Otherwise the bytes were
 * written at the shutdown, or belong to a stopped or migrated VM.
 */
static void pl011_exit_notify(Notifier *n, void *data)
{
    PL011State *s = container_of(n, PL011State, exit_notifier);
    BQL_LOCK_GUARD();

    if (runstate_is_running()) {
        pl011_tx_drain(s);
    }
}

static void pl011_timer_cb(void *opaque)
{
    PL011State *s = opaque;

    hdm_pl011_advance_to(&s->core, pl011_now(s));
    pl011_poll_input(s);
}

static MemTxResult pl011_read(void *opaque, hwaddr offset, uint64_t *data,
                              unsigned size, MemTxAttrs attrs)
{
    PL011State *s = opaque;
    uint32_t value = 0;
    int st;

    st = hdm_pl011_read(&s->core, pl011_now(s), offset, size, &value,
                        attrs.debug ? HDM_ACCESS_DEBUG : 0);
    trace_hdm_pl011_read(offset, value, size, hdm_status_name(st));
    pl011_poll_input(s);
    *data = value;
    return MEMTX_OK;
}

static MemTxResult pl011_write(void *opaque, hwaddr offset, uint64_t data,
                               unsigned size, MemTxAttrs attrs)
{
    PL011State *s = opaque;
    int st;

    st = hdm_pl011_write(&s->core, pl011_now(s), offset, size, data,
                         attrs.debug ? HDM_ACCESS_DEBUG : 0);
    trace_hdm_pl011_write(offset, data, size, hdm_status_name(st));
    pl011_poll_input(s);
    return MEMTX_OK;
}

static const MemoryRegionOps pl011_ops = {
    .read_with_attrs = pl011_read,
    .write_with_attrs = pl011_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    /*
     * APB is 32 bits wide: wider accesses fault as with QEMU's pl011.c
     * (and bulk debug reads are split into words); every other access
     * reaches the core, which owns the status model.
     */
    .valid = {
        .min_access_size = 1,
        .max_access_size = 4,
        .unaligned = true,
    },
    .impl = {
        .min_access_size = 1,
        .max_access_size = 4,
        .unaligned = true,
    },
};

static int pl011_can_receive(void *opaque)
{
    PL011State *s = opaque;
    unsigned space = hdm_pl011_rx_space(&s->core);

    if (space == 0) {
        s->rx_blocked = true;
    }
    return space;
}

static void pl011_receive(void *opaque, const uint8_t *buf, int size)
{
    PL011State *s = opaque;
    hdm_tick_t now = pl011_now(s);

    trace_hdm_pl011_rx(hdm_pl011_rx_space(&s->core), size);
    for (int i = 0; i < size; i++) {
        hdm_pl011_rx_frame(&s->core, now, buf[i], 0);
    }
    pl011_tx_update(s);
}

static void pl011_event(void *opaque, QEMUChrEvent event)
{
    PL011State *s = opaque;

    if (event == CHR_EVENT_BREAK) {
        hdm_pl011_rx_frame(&s->core, pl011_now(s), 0,
                           HDM_PL011_RX_BE | HDM_PL011_RX_FE);
        pl011_tx_update(s);
    }
}

static void pl011_clock_update(void *opaque, ClockEvent event)
{
    PL011State *s = opaque;
    int64_t ns;

    if (!DEVICE(s)->realized) {
        return;
    }
    if (event == ClockPreUpdate) {
        /* close the interval at the old rate, restart the mapping here */
        ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        hdm_pl011_advance_to(&s->core, pl011_tick_at(s, ns));
        s->tick_base = hdm_pl011_now(&s->core);
        s->ns_base = ns;
        pl011_tx_update(s);
        return;
    }
    pl011_set_hz(s);
    trace_hdm_pl011_clock(s->hz);
    pl011_arm(s, hdm_pl011_next_event(&s->core));
}

static int pl011_pre_save(void *opaque)
{
    PL011State *s = opaque;

    hdm_pl011_save(&s->core, &s->snap);
    return 0;
}

static int pl011_post_load(void *opaque, int version_id)
{
    PL011State *s = opaque;
    int st;

    pl011_set_hz(s);
    st = hdm_pl011_restore(&s->core, &s->snap);
    if (st != HDM_OK) {
        error_report("pl011: incoming state refused by the hdm core: %s",
                     hdm_status_str(st));
        return -EINVAL;
    }
    s->rx_blocked = true;
    return 0;
}

static bool pl011_tx_needed(void *opaque)
{
    PL011State *s = opaque;

    return s->tx_len > 0;
}

static int pl011_tx_post_load(void *opaque, int version_id)
{
    PL011State *s = opaque;

    if (s->tx_head >= PL011_TX_BUF || s->tx_len > PL011_TX_BUF) {
        error_report("pl011: incoming TX buffer refused: head %u, %u bytes",
                     s->tx_head, s->tx_len);
        return -EINVAL;
    }
    timer_mod(s->tx_timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME));
    return 0;
}

/* Bytes transmitted but not yet taken by the source's chardev */
static const VMStateDescription vmstate_hdm_pl011_tx = {
    .name = "hdm_pl011/tx",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = pl011_tx_needed,
    .post_load = pl011_tx_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(tx_head, PL011State),
        VMSTATE_UINT32(tx_len, PL011State),
        VMSTATE_BUFFER(tx_buf, PL011State),
        VMSTATE_END_OF_LIST()
    }
};

static bool pl011_clock_needed(void *opaque)
{
    PL011State *s = opaque;

    return s->migrate_clk;
}

static const VMStateDescription vmstate_hdm_pl011_clock = {
    .name = "hdm_pl011/clock",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = pl011_clock_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_CLOCK(clk, PL011State),
        VMSTATE_END_OF_LIST()
    }
};

/* Not stream-compatible with QEMU's own "pl011" section, on purpose */
static const VMStateDescription vmstate_hdm_pl011 = {
    .name = "hdm_pl011",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = pl011_pre_save,
    .post_load = pl011_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_INT64(ns_base, PL011State),
        VMSTATE_UINT64(tick_base, PL011State),
        VMSTATE_BUFFER_UNSAFE(snap, PL011State, 0,
                              sizeof(hdm_pl011_snapshot_t)),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_hdm_pl011_clock,
        &vmstate_hdm_pl011_tx,
        NULL
    }
};

static const Property pl011_properties[] = {
    DEFINE_PROP_CHR("chardev", PL011State, chr),
    DEFINE_PROP_BOOL("migrate-clk", PL011State, migrate_clk, true),
    DEFINE_PROP_STRING("revision", PL011State, revision),
    DEFINE_PROP_BOOL("timing", PL011State, timing, false),
    DEFINE_PROP_BOOL("always-enabled", PL011State, always_enabled, true),
    DEFINE_PROP_BOOL("rx-trigger-1", PL011State, rx_trigger_1, true),
    DEFINE_PROP_BOOL("instant-tx", PL011State, instant_tx, false),
    DEFINE_PROP_BOOL("tx-8bit", PL011State, tx_8bit, true),
    DEFINE_PROP_UINT32("periph-id", PL011State, periph_id, 0),
};

/*
 * Bench hooks (qtest): observation without side effects, and a receive
 * path that is deterministic in virtual time (a chardev socket's input is
 * read whenever the main loop gets to it)
 */

/* Expiry (ns) of the armed QEMUTimer, -1 when none is pending */
static void pl011_get_timer_ns(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    PL011State *s = PL011(obj);
    int64_t ns = s->timer ? (int64_t)timer_expire_time_ns(s->timer) : -1;

    visit_type_int64(v, name, &ns, errp);
}

/* "<total> <start>:<end>:<data>:<flags>:<bits> ..." of the logged frames */
static char *pl011_get_frames(Object *obj, Error **errp)
{
    PL011State *s = PL011(obj);
    GString *str = g_string_new(NULL);
    uint64_t n = s->frames > PL011_FRAME_LOG ? s->frames - PL011_FRAME_LOG
                                             : 0;

    g_string_append_printf(str, "%" PRIu64, s->frames);
    for (; n < s->frames; n++) {
        const hdm_pl011_frame_t *f = &s->frame_log[n % PL011_FRAME_LOG];

        g_string_append_printf(str, " %" PRIu64 ":%" PRIu64 ":%u:%u:%u",
                               f->start, f->end, f->data, f->flags, f->bits);
    }
    return g_string_free(str, false);
}

/* data = bits 7:0, HDM_PL011_RX_* flags above; a status other than OK fails */
static void pl011_set_rx(Object *obj, Visitor *v, const char *name,
                         void *opaque, Error **errp)
{
    PL011State *s = PL011(obj);
    uint32_t value;
    int st;

    if (!visit_type_uint32(v, name, &value, errp)) {
        return;
    }
    st = hdm_pl011_rx_frame(&s->core, pl011_now(s), value & 0xff,
                            value >> 8);
    if (st != HDM_OK) {
        error_setg(errp, "pl011: x-hdm-rx: %s", hdm_status_name(st));
    }
    pl011_tx_update(s);
}

static void pl011_init(Object *obj)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(obj);
    PL011State *s = PL011(obj);

    memory_region_init_io(&s->iomem, obj, &pl011_ops, s, "pl011",
                          HDM_PL011_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->iomem);
    for (int i = 0; i < HDM_PL011_IRQ_COUNT; i++) {
        sysbus_init_irq(sbd, &s->irq[i]);
    }
    s->clk = qdev_init_clock_in(DEVICE(obj), "clk", pl011_clock_update, s,
                                ClockPreUpdate | ClockUpdate);
    s->revision = g_strdup("r1p5");
}

static void pl011_realize(DeviceState *dev, Error **errp)
{
    PL011State *s = PL011(dev);
    hdm_pl011_config_t cfg;
    hdm_host_t host = {
        .opaque = s,
        .irq = pl011_hdm_irq,
        .tx_frame = pl011_hdm_tx_frame,
        .deadline = pl011_hdm_deadline,
        .guest_error = pl011_hdm_guest_error,
    };
    int st;

    hdm_pl011_config_default(&cfg);
    if (!s->revision || !strcmp(s->revision, "r1p5")) {
        cfg.revision = HDM_PL011_R1P5;
    } else if (!strcmp(s->revision, "r1p4")) {
        cfg.revision = HDM_PL011_R1P4;
    } else {
        error_setg(errp, "pl011: revision '%s' is not r1p5 or r1p4",
                   s->revision);
        return;
    }
    cfg.quirks = 0;
    if (s->always_enabled) {
        cfg.quirks |= HDM_PL011_QUIRK_ALWAYS_ENABLED;
    }
    if (s->rx_trigger_1) {
        cfg.quirks |= HDM_PL011_QUIRK_RX_TRIGGER_1;
    }
    if (s->instant_tx || !s->timing) {
        cfg.quirks |= HDM_PL011_QUIRK_INSTANT_TX;
    }
    if (s->tx_8bit) {
        cfg.quirks |= HDM_PL011_QUIRK_TX_8BIT;
    }
    cfg.periph_id = s->periph_id;

    pl011_set_hz(s);
    s->ns_base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    s->tick_base = 0;
    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pl011_timer_cb, s);
    st = hdm_pl011_init(&s->core, &cfg, &host);
    if (st != HDM_OK) {
        error_setg(errp, "pl011: hdm core refused the configuration: %s",
                   hdm_status_str(st));
        return;
    }
    s->tx_timer = timer_new_ns(QEMU_CLOCK_REALTIME, pl011_tx_timer_cb, s);
    s->vmstate_entry = qemu_add_vm_change_state_handler(pl011_vm_state_change,
                                                        s);
    s->exit_notifier.notify = pl011_exit_notify;
    qemu_add_exit_notifier(&s->exit_notifier);
    qemu_chr_fe_set_handlers(&s->chr, pl011_can_receive, pl011_receive,
                             pl011_event, NULL, s, NULL, true);
}

static void pl011_unrealize(DeviceState *dev)
{
    PL011State *s = PL011(dev);

    if (s->tx_watch) {
        g_source_remove(s->tx_watch);
        s->tx_watch = 0;
    }
    qemu_del_vm_change_state_handler(s->vmstate_entry);
    qemu_remove_exit_notifier(&s->exit_notifier);
    timer_free(s->tx_timer);
    s->tx_timer = NULL;
    qemu_chr_fe_deinit(&s->chr, false);
    timer_free(s->timer);
    s->timer = NULL;
}

static void pl011_reset_hold(Object *obj, ResetType type)
{
    PL011State *s = PL011(obj);

    hdm_pl011_reset(&s->core, pl011_now(s));
    s->rx_blocked = true;
    pl011_poll_input(s);
}

static void pl011_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    dc->realize = pl011_realize;
    dc->unrealize = pl011_unrealize;
    dc->vmsd = &vmstate_hdm_pl011;
    rc->phases.hold = pl011_reset_hold;
    device_class_set_props(dc, pl011_properties);
    object_class_property_add(oc, "x-hdm-timer-ns", "int",
                              pl011_get_timer_ns, NULL, NULL, NULL);
    object_class_property_add_str(oc, "x-hdm-frames", pl011_get_frames,
                                  NULL);
    object_class_property_add(oc, "x-hdm-rx", "uint32", NULL, pl011_set_rx,
                              NULL, NULL);
}

static const TypeInfo pl011_arm_info = {
    .name          = TYPE_PL011,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(PL011State),
    .instance_init = pl011_init,
    .class_init    = pl011_class_init,
};

static void pl011_luminary_init(Object *obj)
{
    PL011State *s = PL011(obj);

    /* 16-deep FIFOs like the r1p4 profile, with Luminary's PeriphID */
    g_free(s->revision);
    s->revision = g_strdup("r1p4");
    s->periph_id = PL011_LUMINARY_PERIPH_ID;
}

static const TypeInfo pl011_luminary_info = {
    .name          = TYPE_PL011_LUMINARY,
    .parent        = TYPE_PL011,
    .instance_init = pl011_luminary_init,
};

static void pl011_register_types(void)
{
    type_register_static(&pl011_arm_info);
    type_register_static(&pl011_luminary_info);
}

type_init(pl011_register_types)
