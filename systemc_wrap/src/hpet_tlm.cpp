// SPDX-License-Identifier: MIT
// hdm::hpet_tlm (see hdm/systemc/hpet_tlm.h and docs/systemc.md).
#include "hdm/systemc/hpet_tlm.h"

#include <cstring>

using namespace sc_core;

namespace hdm
{

hpet_tlm::sink::sink(sc_module_name n) : sc_module(n), socket("socket")
{
    socket.register_b_transport(this, &sink::b_transport);
}

void hpet_tlm::sink::b_transport(tlm::tlm_generic_payload &p, sc_time &d)
{
    (void)d;
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE); // nothing there
}

hpet_tlm::hpet_tlm(sc_module_name name) : hpet_tlm(name, config())
{
}

hpet_tlm::hpet_tlm(sc_module_name name, const config &cfg)
    : device_base(name, clock_map::from_period_fs(
                            cfg.core.period_fs ? cfg.core.period_fs : 1)),
      irq("irq", HDM_HPET_LINES), msi("msi")
{
    access_latency = cfg.access_latency;
    hdm_host_t host;
    std::memset(&host, 0, sizeof(host));
    host.opaque = this;
    host.irq = host_irq;
    host.bus_write32 = host_bus_write;
    host.deadline = host_deadline;
    host.guest_error = host_guest_error;
    if (hdm_hpet_init(&dev_, &cfg.core, &host) != HDM_OK) {
        SC_REPORT_ERROR("hdm/hpet", "configuration refused by the core "
                                    "(timers, period, policies or caps)");
        hdm_hpet_config_t def;
        hdm_hpet_config_default(&def);
        hdm_hpet_init(&dev_, &def, &host);
        map_ = clock_map::from_period_fs(def.period_fs);
    }
    std::vector<bool> lv = output_levels();
    for (unsigned i = 0; i < HDM_HPET_LINES; i++) {
        add_output(&irq[i], lv[i]);
    }
    SC_THREAD(msi_thread);
}

std::vector<bool> hpet_tlm::output_levels() const
{
    std::vector<bool> lv;
    for (unsigned i = 0; i < HDM_HPET_LINES; i++) {
        lv.push_back(hdm_hpet_irq_level(&dev_, i));
    }
    return lv;
}

void hpet_tlm::tie_off()
{
    std::vector<bool> lv = output_levels();
    for (unsigned i = 0; i < HDM_HPET_LINES; i++) {
        tie(irq[i], lv[i]);
    }
    if (msi.bind_count() == 0) {
        sink_ = std::make_unique<sink>("msi_sink");
        msi.bind(sink_->socket);
    }
}

bool hpet_tlm::settled() const
{
    return device_base::settled() &&
           (msi_q_.empty() || msi_q_.front().at > sc_time_stamp());
}

void hpet_tlm::msi_thread()
{
    // The payload is a member: this thread never returns, and a local one
    // would never be destroyed.
    tlm::tlm_generic_payload &p = msi_payload_;
    unsigned char buf[4];
    for (;;) {
        if (msi_q_.empty()) {
            wait(msi_ev_);
            continue;
        }
        if (msi_q_.front().at > sc_time_stamp()) {
            wait(msi_q_.front().at - sc_time_stamp(), msi_ev_);
            continue;
        }
        msi_msg m = msi_q_.front();
        msi_q_.pop_front();
        std::memcpy(buf, &m.data, 4); // host order (TLM-2.0 14.18)
        p.set_command(tlm::TLM_WRITE_COMMAND);
        p.set_address(m.addr);
        p.set_data_ptr(buf);
        p.set_data_length(4);
        p.set_streaming_width(4);
        p.set_byte_enable_ptr(nullptr);
        p.set_dmi_allowed(false);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time delay = SC_ZERO_TIME;
        msi->b_transport(p, delay);
        if (!p.is_response_ok()) {
            msi_dropped_++;
        }
    }
}

int hpet_tlm::core_read(uint64_t tick, uint32_t offset, unsigned size,
                        uint64_t *value, unsigned flags)
{
    return hdm_hpet_read(&dev_, tick, offset, size, value, flags);
}

int hpet_tlm::core_write(uint64_t tick, uint32_t offset, unsigned size,
                         uint64_t value, unsigned flags)
{
    return hdm_hpet_write(&dev_, tick, offset, size, value, flags);
}

int hpet_tlm::core_advance(uint64_t tick)
{
    return hdm_hpet_advance_to(&dev_, tick);
}

void hpet_tlm::save(hdm_hpet_snapshot_t &snap) const
{
    hdm_hpet_save(&dev_, &snap);
}

int hpet_tlm::restore(const hdm_hpet_snapshot_t &snap)
{
    int st = hdm_hpet_restore(&dev_, &snap);
    if (st == HDM_OK) {
        requeue_all(output_levels(), hdm_hpet_now(&dev_));
        on_deadline(hdm_hpet_next_event(&dev_));
    }
    return st;
}

void hpet_tlm::host_irq(void *o, unsigned line, bool level, hdm_tick_t t)
{
    static_cast<hpet_tlm *>(o)->queue_output(line, level, t);
}

void hpet_tlm::host_bus_write(void *o, uint64_t addr, uint32_t data,
                              hdm_tick_t t)
{
    auto *self = static_cast<hpet_tlm *>(o);
    sc_time at = self->map_.time_of(t);
    if (at < sc_time_stamp()) {
        at = sc_time_stamp();
    }
    self->msi_q_.push_back(msi_msg{ at, addr, data });
    self->msi_ev_.notify(SC_ZERO_TIME);
}

void hpet_tlm::host_deadline(void *o, hdm_tick_t next)
{
    static_cast<hpet_tlm *>(o)->on_deadline(next);
}

void hpet_tlm::host_guest_error(void *o, int st, uint32_t off, unsigned sz,
                                bool wr)
{
    (void)st;
    (void)off;
    (void)sz;
    (void)wr;
    static_cast<hpet_tlm *>(o)->on_guest_error();
}

} // namespace hdm
