/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * IA-PC HPET (High Precision Event Timers, spec 1.0a) on top of the hdm
 * core.
 *
 * QEMU interface:
 *  + sysbus MMIO region 0: timer block (0x400 bytes; 0x100 + 0x20 * timers
 *    with more than 24 timers)
 *  + sysbus IRQ 0..31: I/O APIC inputs. IRQ 0 also passes the 8254's output
 *    through and IRQ 8 the RTC's while LegacyReplacement is off
 *  + GPIO input 0 (HPET_LEGACY_PIT_INT): 8254 channel 0 output
 *  + GPIO input 1 (HPET_LEGACY_RTC_INT): RTC interrupt output
 *  + GPIO output 0: 8254 output enable, low while LegacyReplacement is on
 *  + FSB interrupt messages are 32-bit stores to address_space_memory
 *  + properties "timers", "msi", "hpet-intcap", "hpet-offset-saved", and
 *    hdm's capability properties "period-fs", "counter-64", "vendor-id",
 *    "rev-id", "leg-rt-cap", "timers64", "periodic", "fsb", policy
 *    switches "wrap", "valset",
 *    "counter-write", "bad-route", "intenb-clear" and quirks "cmp-latency",
 *    "stale-cmp-read": see docs/qemu.md
 *  + bench hooks (docs/qemu.md): read-only "x-hdm-timer-ns", "x-hdm-msi"
 *  + hpet_fw_cfg: block id and address for fw_cfg and ACPI (hw/i386)
 *
 * Counter, comparators, interrupt status and routing live in the core
 * (hdm/hpet.h, c_core/src/hpet.c). This file maps QEMU_CLOCK_VIRTUAL to
 * main-counter ticks ("period-fs", default HPET_CLK_PERIOD), keeps one
 * QEMUTimer on the core's next event, and combines the core's lines with
 * the legacy pass-through.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "hw/timer/hpet.h"
#include "exec/address-spaces.h"
#include "migration/vmstate.h"
#include "qemu/bitops.h"
#include "qemu/error-report.h"
#include "qemu/host-utils.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "hdm/hpet.h"
#include "trace.h"

struct hpet_fw_config hpet_fw_cfg = {.count = UINT8_MAX};

#define FS_PER_NS_U64 1000000ull
#define HPET_MMIO_PAGE 0x1000

/* Outputs shared with the 8254 (ISA IRQ 0) and the RTC (ISA IRQ 8) */
#define HPET_PIT_LINE 0
#define HPET_RTC_LINE 8

OBJECT_DECLARE_SIMPLE_TYPE(HPETState, HPET)

/* FSB messages kept for the bench's observation property x-hdm-msi */
#define HPET_MSI_LOG 16

typedef struct HPETMsiRecord {
    uint64_t addr;
    uint32_t data;
    uint64_t tick;
    MemTxResult result;
} HPETMsiRecord;

struct HPETState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    QEMUTimer *timer;
    qemu_irq irqs[HDM_HPET_LINES];
    qemu_irq pit_enabled;

    /* Properties */
    uint8_t num_timers;
    bool msi;
    uint32_t intcap;
    bool hpet_offset_saved;
    uint32_t period_fs;
    bool counter64;
    uint16_t vendor_id;
    uint8_t rev_id;
    bool leg_rt_cap;
    uint32_t timers64;
    uint32_t periodic;
    uint32_t fsb;
    uint8_t cmp_latency;
    bool stale_cmp_read;
    char *wrap;
    char *valset;
    char *counter_write;
    char *bad_route;
    char *intenb_clear;

    uint8_t hpet_id;            /* index in hpet_fw_cfg */
    bool legacy;                /* LEG_RT_CNF as last read from the core */
    bool pit_level;             /* GPIO input 0 */
    bool rtc_level;             /* GPIO input 1 */
    uint32_t core_lines;        /* levels the core drives, bit n = line n */

    /* message n at msi_log[n % HPET_MSI_LOG] */
    HPETMsiRecord msi_log[HPET_MSI_LOG];
    uint64_t msis;

    /* tick = floor((ns - ns_base) * 1e6 / period_fs) */
    int64_t ns_base;
    /* 1e6 / period_fs in lowest terms (10 ns: 1 / 10), for hpet_now() */
    uint64_t tick_num;
    uint64_t tick_den;

    hdm_hpet_t core;
    /* Migration image of the core (hdm_hpet_save / hdm_hpet_restore) */
    hdm_hpet_snapshot_t snap;
};

static hdm_tick_t hpet_now(HPETState *s)
{
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint64_t d = ns > s->ns_base ? ns - s->ns_base : 0;
    hdm_tick_t t;

    /* the same floor as muldiv64(), without a 128-bit division */
    if (d <= UINT64_MAX / s->tick_num) {
        t = d * s->tick_num / s->tick_den;
    } else {
        t = muldiv64(d, FS_PER_NS_U64, s->period_fs);
    }

    return MAX(t, hdm_hpet_now(&s->core));
}

/* ns = ns_base + ceil(tick * period_fs / 1e6) */
static void hpet_arm(HPETState *s, hdm_tick_t next)
{
    uint64_t limit = muldiv64(INT64_MAX - MAX(s->ns_base, 0), FS_PER_NS_U64,
                              s->period_fs);

    if (next == HDM_TICK_NEVER || next >= limit) {
        timer_del(s->timer);
        return;
    }
    timer_mod(s->timer, s->ns_base +
              muldiv64_round_up(next, s->period_fs, FS_PER_NS_U64));
}

/* Output n: the core's line, ORed with the 8254/RTC outside legacy mode */
static bool hpet_line_level(HPETState *s, unsigned n)
{
    bool level = s->core_lines & (1u << n);

    if (!s->legacy && n == HPET_PIT_LINE) {
        level |= s->pit_level;
    }
    if (!s->legacy && n == HPET_RTC_LINE) {
        level |= s->rtc_level;
    }
    return level;
}

static void hpet_update_line(HPETState *s, unsigned n)
{
    qemu_set_irq(s->irqs[n], hpet_line_level(s, n));
}

static uint64_t hpet_reg(HPETState *s, uint32_t offset)
{
    uint64_t v = 0;

    hdm_hpet_read(&s->core, hpet_now(s), offset, 8, &v, HDM_ACCESS_DEBUG);
    return v;
}

/*
 * LegacyReplacement takes IRQ 0 and IRQ 8 from the 8254 and the RTC and
 * stops the 8254's output (as hw/i386 wires it).
 */
static void hpet_update_legacy(HPETState *s, bool drive_pit)
{
    bool legacy = hdm_hpet_legacy_route(&s->core);

    if (legacy == s->legacy) {
        return;
    }
    s->legacy = legacy;
    trace_hdm_hpet_legacy(legacy);
    if (drive_pit) {
        qemu_set_irq(s->pit_enabled, !legacy);
    }
    hpet_update_line(s, HPET_PIT_LINE);
    hpet_update_line(s, HPET_RTC_LINE);
}

/* Core callbacks: none of them may call back into the core */

static void hpet_hdm_irq(void *opaque, unsigned line, bool level,
                         hdm_tick_t tick)
{
    HPETState *s = opaque;

    if (line >= HDM_HPET_LINES) {
        return;
    }
    trace_hdm_hpet_irq(line, level);
    if (level) {
        s->core_lines |= 1u << line;
    } else {
        s->core_lines &= ~(1u << line);
    }
    hpet_update_line(s, line);
}

static void hpet_hdm_bus_write32(void *opaque, uint64_t addr, uint32_t data,
                                 hdm_tick_t tick)
{
    HPETState *s = opaque;
    HPETMsiRecord *r = &s->msi_log[s->msis++ % HPET_MSI_LOG];

    trace_hdm_hpet_msi(addr, data);
    r->addr = addr;
    r->data = data;
    r->tick = tick;
    address_space_stl_le(&address_space_memory, addr, data,
                         MEMTXATTRS_UNSPECIFIED, &r->result);
}

static void hpet_hdm_deadline(void *opaque, hdm_tick_t next)
{
    hpet_arm(opaque, next);
}

static void hpet_hdm_guest_error(void *opaque, int status, uint32_t offset,
                                 unsigned size, bool is_write)
{
    qemu_log_mask(LOG_GUEST_ERROR, "hpet: %u-byte %s at 0x%03" PRIx32
                  ": %s\n", size, is_write ? "write" : "read", offset,
                  hdm_status_str(status));
}

static void hpet_timer_cb(void *opaque)
{
    HPETState *s = opaque;
    MemReentrancyGuard *guard = &DEVICE(s)->mem_reentrancy_guard;
    bool engaged = guard->engaged_in_io;

    /* an FSB message aimed at this block must not re-enter the core */
    guard->engaged_in_io = true;
    hdm_hpet_advance_to(&s->core, hpet_now(s));
    guard->engaged_in_io = engaged;
}

static MemTxResult hpet_read(void *opaque, hwaddr offset, uint64_t *data,
                             unsigned size, MemTxAttrs attrs)
{
    HPETState *s = opaque;
    uint64_t value = 0;
    int st;

    st = hdm_hpet_read(&s->core, hpet_now(s), offset, size, &value,
                       attrs.debug ? HDM_ACCESS_DEBUG : 0);
    trace_hdm_hpet_read(offset, value, size, hdm_status_name(st));
    *data = value;
    return MEMTX_OK;
}

static MemTxResult hpet_write(void *opaque, hwaddr offset, uint64_t data,
                              unsigned size, MemTxAttrs attrs)
{
    HPETState *s = opaque;
    int st;

    st = hdm_hpet_write(&s->core, hpet_now(s), offset, size, data,
                        attrs.debug ? HDM_ACCESS_DEBUG : 0);
    trace_hdm_hpet_write(offset, data, size, hdm_status_name(st));
    if (st == HDM_OK && offset < HPET_CFG + 8 && offset + size > HPET_CFG) {
        hpet_update_legacy(s, true);
    }
    return MEMTX_OK;
}

static const MemoryRegionOps hpet_ops = {
    .read_with_attrs = hpet_read,
    .write_with_attrs = hpet_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    /* every access reaches the core, which owns the status model */
    .valid = {
        .min_access_size = 1,
        .max_access_size = 8,
        .unaligned = true,
    },
    .impl = {
        .min_access_size = 1,
        .max_access_size = 8,
        .unaligned = true,
    },
};

static void hpet_handle_legacy_irq(void *opaque, int n, int level)
{
    HPETState *s = HPET(opaque);

    if (n == HPET_LEGACY_PIT_INT) {
        s->pit_level = level;
        hpet_update_line(s, HPET_PIT_LINE);
    } else {
        s->rtc_level = level;
        hpet_update_line(s, HPET_RTC_LINE);
    }
}

static int hpet_pre_save(void *opaque)
{
    HPETState *s = opaque;

    hdm_hpet_save(&s->core, &s->snap);
    return 0;
}

static int hpet_post_load(void *opaque, int version_id)
{
    HPETState *s = opaque;
    int st;

    st = hdm_hpet_restore(&s->core, &s->snap);
    if (st != HDM_OK) {
        error_report("hpet: incoming state refused by the hdm core: %s",
                     hdm_status_str(st));
        return -EINVAL;
    }
    /* the 8254 migrates its own output-enable state */
    s->legacy = hdm_hpet_legacy_route(&s->core);
    s->core_lines = 0;
    for (unsigned n = 0; n < HDM_HPET_LINES; n++) {
        if (hdm_hpet_irq_level(&s->core, n)) {
            s->core_lines |= 1u << n;
        }
    }
    return 0;
}

/* Not stream-compatible with QEMU's own "hpet" section, on purpose */
static const VMStateDescription vmstate_hdm_hpet = {
    .name = "hdm_hpet",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = hpet_pre_save,
    .post_load = hpet_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_INT64(ns_base, HPETState),
        VMSTATE_BOOL(pit_level, HPETState),
        VMSTATE_BOOL(rtc_level, HPETState),
        VMSTATE_BUFFER_UNSAFE(snap, HPETState, 0,
                              sizeof(hdm_hpet_snapshot_t)),
        VMSTATE_END_OF_LIST()
    }
};

/* Policy switches: property value -> core enum, NULL = the core default */
typedef struct HPETPolicyName {
    const char *name;
    int value;
} HPETPolicyName;

static const HPETPolicyName hpet_wrap_names[] = {
    { "every", HDM_HPET_WRAP_EVERY },
    { "once", HDM_HPET_WRAP_ONCE },
    { "none", HDM_HPET_WRAP_NONE },
    { NULL, 0 }
};

static const HPETPolicyName hpet_valset_names[] = {
    { "both", HDM_HPET_VALSET_BOTH },
    { "accumulator", HDM_HPET_VALSET_ACCUMULATOR },
    { NULL, 0 }
};

static const HPETPolicyName hpet_counter_write_names[] = {
    { "apply", HDM_HPET_COUNTER_WRITE_APPLY },
    { "ignore", HDM_HPET_COUNTER_WRITE_IGNORE },
    { NULL, 0 }
};

static const HPETPolicyName hpet_route_names[] = {
    { "keep", HDM_HPET_ROUTE_KEEP },
    { "store", HDM_HPET_ROUTE_STORE },
    { "zero", HDM_HPET_ROUTE_ZERO },
    { NULL, 0 }
};

static const HPETPolicyName hpet_intenb_names[] = {
    { "drop", HDM_HPET_INTENB_DROP },
    { "hold", HDM_HPET_INTENB_HOLD },
    { NULL, 0 }
};

static bool hpet_policy(const char *prop, const char *value,
                        const HPETPolicyName *names, int *out, Error **errp)
{
    g_autoptr(GString) valid = g_string_new(NULL);

    if (!value) {
        return true;
    }
    for (const HPETPolicyName *n = names; n->name; n++) {
        if (!strcmp(n->name, value)) {
            *out = n->value;
            return true;
        }
        g_string_append_printf(valid, "%s%s", n == names ? "" : ", ",
                               n->name);
    }
    error_setg(errp, "hpet: %s must be one of %s, not '%s'", prop,
               valid->str, value);
    return false;
}

static void hpet_reset_hold(Object *obj, ResetType type)
{
    HPETState *s = HPET(obj);
    SysBusDevice *sbd = SYS_BUS_DEVICE(obj);

    hdm_hpet_reset(&s->core, hpet_now(s));
    /* the RTC lowers its output on reset as well */
    s->rtc_level = false;
    s->legacy = false;
    qemu_set_irq(s->pit_enabled, 1);
    hpet_update_line(s, HPET_PIT_LINE);
    hpet_update_line(s, HPET_RTC_LINE);

    hpet_fw_cfg.hpet[s->hpet_id].event_timer_block_id =
        (uint32_t)hpet_reg(s, HPET_ID);
    hpet_fw_cfg.hpet[s->hpet_id].address = sbd->mmio[0].addr;
}

static void hpet_realize(DeviceState *dev, Error **errp)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    HPETState *s = HPET(dev);
    hdm_hpet_config_t cfg;
    hdm_host_t host = {
        .opaque = s,
        .irq = hpet_hdm_irq,
        .bus_write32 = hpet_hdm_bus_write32,
        .deadline = hpet_hdm_deadline,
        .guest_error = hpet_hdm_guest_error,
    };
    uint64_t g;
    int policy;
    int st;

    if (!s->intcap) {
        warn_report("Hpet's intcap not initialized");
    }

    hdm_hpet_config_default(&cfg);
    cfg.num_timers = MIN(MAX(s->num_timers, HPET_MIN_TIMERS),
                         HPET_MAX_TIMERS);
    cfg.period_fs = s->period_fs;
    cfg.counter64 = s->counter64;
    cfg.vendor_id = s->vendor_id;
    cfg.rev_id = s->rev_id;
    cfg.leg_rt_cap = s->leg_rt_cap;
    cfg.cmp_latency = s->cmp_latency;
    cfg.stale_cmp_read = s->stale_cmp_read;
    for (unsigned i = 0; i < HDM_HPET_MAX_TIMERS; i++) {
        cfg.timer[i].size64 = s->counter64 && (s->timers64 & BIT(i));
        cfg.timer[i].periodic = s->periodic & BIT(i);
        cfg.timer[i].fsb = s->msi || (s->fsb & BIT(i));
        cfg.timer[i].route_cap = s->intcap;
    }
    policy = cfg.wrap;
    if (!hpet_policy("wrap", s->wrap, hpet_wrap_names, &policy, errp)) {
        return;
    }
    cfg.wrap = policy;
    policy = cfg.valset;
    if (!hpet_policy("valset", s->valset, hpet_valset_names, &policy,
                     errp)) {
        return;
    }
    cfg.valset = policy;
    policy = cfg.counter_write;
    if (!hpet_policy("counter-write", s->counter_write,
                     hpet_counter_write_names, &policy, errp)) {
        return;
    }
    cfg.counter_write = policy;
    policy = cfg.route;
    if (!hpet_policy("bad-route", s->bad_route, hpet_route_names, &policy,
                     errp)) {
        return;
    }
    cfg.route = policy;
    policy = cfg.intenb;
    if (!hpet_policy("intenb-clear", s->intenb_clear, hpet_intenb_names,
                     &policy, errp)) {
        return;
    }
    cfg.intenb = policy;

    st = hdm_hpet_init(&s->core, &cfg, &host);
    if (st != HDM_OK) {
        error_setg(errp, "hpet: hdm core refused the configuration: %s",
                   hdm_status_str(st));
        return;
    }

    if (hpet_fw_cfg.count == UINT8_MAX) {
        /* first instance */
        hpet_fw_cfg.count = 0;
    }
    if (hpet_fw_cfg.count == ARRAY_SIZE(hpet_fw_cfg.hpet)) {
        error_setg(errp, "Only %zu instances of HPET are allowed",
                   ARRAY_SIZE(hpet_fw_cfg.hpet));
        return;
    }
    s->hpet_id = hpet_fw_cfg.count++;

    /* the core accepted period_fs, so it is not 0 */
    g = FS_PER_NS_U64;
    for (uint64_t b = s->period_fs, r; b; g = b, b = r) {
        r = g % b;
    }
    s->tick_num = FS_PER_NS_U64 / g;
    s->tick_den = s->period_fs / g;
    s->ns_base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, hpet_timer_cb, s);

    /*
     * The whole 4 KiB page (the block is 1 KiB with up to 24 timers): the
     * core reads the rest as reserved (zero, writes ignored), and a page
     * of its own spares every access QEMU's subpage dispatch (about a
     * fifth of an HPET read's cost under TCG)
     */
    memory_region_init_io(&s->iomem, OBJECT(s), &hpet_ops, s, "hpet",
                          ROUND_UP(hdm_hpet_mmio_size(&s->core),
                                   HPET_MMIO_PAGE));
    sysbus_init_mmio(sbd, &s->iomem);
    for (unsigned i = 0; i < HDM_HPET_LINES; i++) {
        sysbus_init_irq(sbd, &s->irqs[i]);
    }
    qdev_init_gpio_in(dev, hpet_handle_legacy_irq, 2);
    qdev_init_gpio_out(dev, &s->pit_enabled, 1);
}

static const Property hpet_device_properties[] = {
    DEFINE_PROP_UINT8("timers", HPETState, num_timers, HPET_MIN_TIMERS),
    DEFINE_PROP_BOOL("msi", HPETState, msi, false),
    DEFINE_PROP_UINT32(HPET_INTCAP, HPETState, intcap, 0),
    DEFINE_PROP_BOOL("hpet-offset-saved", HPETState, hpet_offset_saved, true),
    DEFINE_PROP_UINT32("period-fs", HPETState, period_fs,
                       HPET_CLK_PERIOD * FS_PER_NS),
    DEFINE_PROP_BOOL("counter-64", HPETState, counter64, true),
    DEFINE_PROP_UINT16("vendor-id", HPETState, vendor_id, 0x8086),
    DEFINE_PROP_UINT8("rev-id", HPETState, rev_id, 1),
    DEFINE_PROP_BOOL("leg-rt-cap", HPETState, leg_rt_cap, true),
    DEFINE_PROP_UINT32("timers64", HPETState, timers64, UINT32_MAX),
    DEFINE_PROP_UINT32("periodic", HPETState, periodic, UINT32_MAX),
    DEFINE_PROP_UINT32("fsb", HPETState, fsb, 0),
    DEFINE_PROP_STRING("wrap", HPETState, wrap),
    DEFINE_PROP_STRING("valset", HPETState, valset),
    DEFINE_PROP_STRING("counter-write", HPETState, counter_write),
    DEFINE_PROP_STRING("bad-route", HPETState, bad_route),
    DEFINE_PROP_STRING("intenb-clear", HPETState, intenb_clear),
    DEFINE_PROP_UINT8("cmp-latency", HPETState, cmp_latency, 0),
    DEFINE_PROP_BOOL("stale-cmp-read", HPETState, stale_cmp_read, false),
};

/* Bench hook (qtest): expiry (ns) of the armed QEMUTimer, -1 if none */
static void hpet_get_timer_ns(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    HPETState *s = HPET(obj);
    int64_t ns = s->timer ? (int64_t)timer_expire_time_ns(s->timer) : -1;

    visit_type_int64(v, name, &ns, errp);
}

/* "<total> <addr>:<data>:<tick>:<MemTxResult> ..." of the logged messages */
static char *hpet_get_msi(Object *obj, Error **errp)
{
    HPETState *s = HPET(obj);
    GString *str = g_string_new(NULL);
    uint64_t n = s->msis > HPET_MSI_LOG ? s->msis - HPET_MSI_LOG : 0;

    g_string_append_printf(str, "%" PRIu64, s->msis);
    for (; n < s->msis; n++) {
        const HPETMsiRecord *r = &s->msi_log[n % HPET_MSI_LOG];

        g_string_append_printf(str, " %" PRIu64 ":%" PRIu32 ":%" PRIu64
                               ":%" PRIu32, r->addr, r->data, r->tick,
                               (uint32_t)r->result);
    }
    return g_string_free(str, false);
}

static void hpet_device_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->realize = hpet_realize;
    dc->vmsd = &vmstate_hdm_hpet;
    rc->phases.hold = hpet_reset_hold;
    device_class_set_props(dc, hpet_device_properties);
    object_class_property_add(klass, "x-hdm-timer-ns", "int",
                              hpet_get_timer_ns, NULL, NULL, NULL);
    object_class_property_add_str(klass, "x-hdm-msi", hpet_get_msi, NULL);
}

static const TypeInfo hpet_device_info = {
    .name          = TYPE_HPET,
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(HPETState),
    .class_init    = hpet_device_class_init,
};

static void hpet_register_types(void)
{
    type_register_static(&hpet_device_info);
}

type_init(hpet_register_types)
