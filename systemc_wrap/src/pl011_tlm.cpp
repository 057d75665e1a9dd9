// SPDX-License-Identifier: MIT
// hdm::pl011_tlm (see hdm/systemc/pl011_tlm.h and docs/systemc.md).
#include "hdm/systemc/pl011_tlm.h"

#include <cstring>

using namespace sc_core;

namespace hdm
{

namespace
{
// Output ids of device_base: the six interrupt lines, then the pins.
constexpr unsigned pin_id(unsigned pin)
{
    return HDM_PL011_IRQ_COUNT + pin;
}
// Idle level of each input (TRM 2.5, 2.7): see the header.
constexpr bool input_idle(unsigned in)
{
    return in != HDM_PL011_IN_TXDMACLR && in != HDM_PL011_IN_RXDMACLR;
}
} // namespace

clock_map pl011_tlm::make_map(const config &cfg)
{
    if (cfg.clock_period != SC_ZERO_TIME) {
        return clock_map::from_period(cfg.clock_period);
    }
    return clock_map::from_hz(cfg.clock_hz);
}

pl011_tlm::pl011_tlm(sc_module_name name) : pl011_tlm(name, config())
{
}

pl011_tlm::pl011_tlm(sc_module_name name, const sc_time &period)
    : pl011_tlm(name, [&] {
          config c;
          c.clock_period = period;
          return c;
      }())
{
}

pl011_tlm::pl011_tlm(sc_module_name name, const config &cfg)
    : device_base(name, make_map(cfg)), intr("intr"), rxintr("rxintr"),
      txintr("txintr"), rtintr("rtintr"), msintr("msintr"), eintr("eintr"),
      txd("txd"), nsirout("nsirout"), nrts("nrts"), ndtr("ndtr"),
      nout1("nout1"), nout2("nout2"), txdmasreq("txdmasreq"),
      txdmabreq("txdmabreq"), rxdmasreq("rxdmasreq"), rxdmabreq("rxdmabreq"),
      rxd("rxd"), sirin("sirin"), ncts("ncts"), ndsr("ndsr"), ndcd("ndcd"),
      nri("nri"), txdmaclr("txdmaclr"), rxdmaclr("rxdmaclr"), cfg_(cfg)
{
    access_latency = cfg.access_latency;
    hdm_pl011_config_t c;
    hdm_pl011_config_default(&c);
    c.revision = cfg.revision;
    c.quirks = cfg.quirks;
    c.periph_id = cfg.periph_id;
    c.tx_pin_edges = cfg.tx_pin_edges;
    hdm_host_t host;
    std::memset(&host, 0, sizeof(host));
    host.opaque = this;
    host.irq = host_irq;
    host.pin = host_pin;
    host.tx_frame = host_frame;
    host.deadline = host_deadline;
    host.guest_error = host_guest_error;
    if (hdm_pl011_init(&dev_, &c, &host) != HDM_OK) {
        SC_REPORT_ERROR("hdm/pl011", "configuration refused by the core "
                                     "(revision or quirk bits)");
        hdm_pl011_config_default(&c);
        hdm_pl011_init(&dev_, &c, &host);
    }

    sc_out<bool> *outs[] = { &intr,      &rxintr,    &txintr,    &rtintr,
                             &msintr,    &eintr,     &txd,       &nsirout,
                             &nrts,      &ndtr,      &nout1,     &nout2,
                             &txdmasreq, &txdmabreq, &rxdmasreq, &rxdmabreq };
    std::vector<bool> lv = output_levels();
    for (unsigned i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
        add_output(outs[i], lv[i]);
    }
    sc_in<bool> *ins[HDM_PL011_IN_COUNT] = {
        &rxd, &sirin, &ncts, &ndsr, &ndcd, &nri, &txdmaclr, &rxdmaclr
    };
    std::memcpy(inputs_, ins, sizeof(inputs_));

    SC_METHOD(input_method);
    for (sc_in<bool> *in : inputs_) {
        sensitive << in->value_changed();
    }
    dont_initialize();
}

std::vector<bool> pl011_tlm::output_levels() const
{
    std::vector<bool> lv;
    for (unsigned i = 0; i < HDM_PL011_IRQ_COUNT; i++) {
        lv.push_back(hdm_pl011_irq_level(&dev_, i));
    }
    for (unsigned i = 0; i < HDM_PL011_OUT_COUNT; i++) {
        lv.push_back(hdm_pl011_output_level(&dev_, i));
    }
    return lv;
}

void pl011_tlm::tie_off()
{
    sc_out<bool> *outs[] = { &intr,      &rxintr,    &txintr,    &rtintr,
                             &msintr,    &eintr,     &txd,       &nsirout,
                             &nrts,      &ndtr,      &nout1,     &nout2,
                             &txdmasreq, &txdmabreq, &rxdmasreq, &rxdmabreq };
    std::vector<bool> lv = output_levels();
    for (unsigned i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
        tie(*outs[i], lv[i]);
    }
    for (unsigned i = 0; i < HDM_PL011_IN_COUNT; i++) {
        tie(*inputs_[i], input_idle(i));
    }
}

void pl011_tlm::apply_initial_inputs()
{
    // The levels of the bound signals before the first delta cycle are the
    // device's inputs from tick 0 on (not an input change).
    for (unsigned i = 0; i < HDM_PL011_IN_COUNT; i++) {
        hdm_pl011_set_input(&dev_, hdm_pl011_now(&dev_), i,
                            (*inputs_[i])->read());
    }
}

void pl011_tlm::input_method()
{
    uint64_t t = input_tick();
    for (unsigned i = 0; i < HDM_PL011_IN_COUNT; i++) {
        sc_in<bool> &in = *inputs_[i];
        if (in->event()) {
            hdm_pl011_set_input(&dev_, t, i, in->read());
        }
    }
}

int pl011_tlm::receive(uint8_t data, unsigned flags)
{
    return hdm_pl011_rx_frame(&dev_, input_tick(), data, flags);
}

int pl011_tlm::core_read(uint64_t tick, uint32_t offset, unsigned size,
                         uint64_t *value, unsigned flags)
{
    uint32_t v = 0;
    int st = hdm_pl011_read(&dev_, tick, offset, size, &v, flags);
    *value = v;
    return st;
}

int pl011_tlm::core_write(uint64_t tick, uint32_t offset, unsigned size,
                          uint64_t value, unsigned flags)
{
    return hdm_pl011_write(&dev_, tick, offset, size, uint32_t(value), flags);
}

int pl011_tlm::core_advance(uint64_t tick)
{
    return hdm_pl011_advance_to(&dev_, tick);
}

void pl011_tlm::save(hdm_pl011_snapshot_t &snap) const
{
    hdm_pl011_save(&dev_, &snap);
}

int pl011_tlm::restore(const hdm_pl011_snapshot_t &snap)
{
    int st = hdm_pl011_restore(&dev_, &snap);
    if (st == HDM_OK) {
        requeue_all(output_levels(), hdm_pl011_now(&dev_));
        on_deadline(hdm_pl011_next_event(&dev_));
    }
    return st;
}

void pl011_tlm::host_irq(void *o, unsigned line, bool level, hdm_tick_t t)
{
    static_cast<pl011_tlm *>(o)->queue_output(line, level, t);
}

void pl011_tlm::host_pin(void *o, unsigned pin, bool level, hdm_tick_t t)
{
    static_cast<pl011_tlm *>(o)->queue_output(pin_id(pin), level, t);
}

void pl011_tlm::host_frame(void *o, const void *f)
{
    auto *self = static_cast<pl011_tlm *>(o);
    if (!self->on_frame) {
        return;
    }
    frame fr;
    fr.core = *static_cast<const hdm_pl011_frame_t *>(f);
    fr.start = self->map_.time_of(fr.core.start);
    fr.end = self->map_.time_of(fr.core.end);
    self->on_frame(fr);
}

void pl011_tlm::host_deadline(void *o, hdm_tick_t next)
{
    static_cast<pl011_tlm *>(o)->on_deadline(next);
}

void pl011_tlm::host_guest_error(void *o, int st, uint32_t off, unsigned sz,
                                 bool wr)
{
    (void)st;
    (void)off;
    (void)sz;
    (void)wr;
    static_cast<pl011_tlm *>(o)->on_guest_error();
}

} // namespace hdm
