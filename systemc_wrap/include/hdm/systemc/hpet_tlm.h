// SPDX-License-Identifier: MIT
//
// hdm::hpet_tlm: the hdm HPET core as a SystemC 2.3 TLM-2.0 LT target.
//
//   socket     register block (hdm_hpet_mmio_size() bytes, b_transport,
//              transport_dbg; DMI refused)
//   irq[k]     the 32 interrupt outputs (I/O APIC inputs; legacy route:
//              timer 0 -> irq[0], timer 1 -> irq[8]), active HIGH
//   msi        initiator socket for FSB interrupt messages: one 4-byte
//              write of Tn_FSB_INT_VAL to Tn_FSB_INT_ADDR at the tick of
//              the interrupt (left unbound: messages are counted, dropped)
//
// The tick is one main-counter increment; its period comes from the core
// configuration (period_fs), so SystemC time and the counter agree exactly.
#ifndef HDM_SYSTEMC_HPET_TLM_H
#define HDM_SYSTEMC_HPET_TLM_H

#include "hdm/hpet.h"
#include "hdm/systemc/device_base.h"

#include <tlm_utils/simple_initiator_socket.h>

namespace hdm
{

class hpet_tlm : public device_base
{
  public:
    struct config {
        hdm_hpet_config_t core; ///< hdm_hpet_config_default() by default
        sc_core::sc_time access_latency = sc_core::SC_ZERO_TIME;
        config()
        {
            hdm_hpet_config_default(&core);
        }
    };

    sc_core::sc_vector<sc_core::sc_out<bool>> irq;
    tlm_utils::simple_initiator_socket<hpet_tlm> msi;

    explicit hpet_tlm(sc_core::sc_module_name name);
    hpet_tlm(sc_core::sc_module_name name, const config &cfg);

    void save(hdm_hpet_snapshot_t &snap) const;
    int restore(const hdm_hpet_snapshot_t &snap);
    const hdm_hpet_t &core() const
    {
        return dev_;
    }
    /// FSB messages dropped because msi was unbound or answered an error.
    uint64_t msi_dropped() const
    {
        return msi_dropped_;
    }
    bool settled() const override;

  private:
    SC_HAS_PROCESS(hpet_tlm);
    int core_read(uint64_t tick, uint32_t offset, unsigned size,
                  uint64_t *value, unsigned flags) override;
    int core_write(uint64_t tick, uint32_t offset, unsigned size,
                   uint64_t value, unsigned flags) override;
    int core_advance(uint64_t tick) override;
    uint64_t core_now() const override
    {
        return hdm_hpet_now(&dev_);
    }
    uint64_t core_next() const override
    {
        return hdm_hpet_next_event(&dev_);
    }
    unsigned core_max_size() const override
    {
        return 8;
    }
    void tie_off() override;
    void apply_initial_inputs() override
    {
    }

    void msi_thread();
    static void host_irq(void *o, unsigned line, bool level, hdm_tick_t t);
    static void host_bus_write(void *o, uint64_t addr, uint32_t data,
                               hdm_tick_t t);
    static void host_deadline(void *o, hdm_tick_t next);
    static void host_guest_error(void *o, int st, uint32_t off, unsigned sz,
                                 bool wr);
    std::vector<bool> output_levels() const;

    struct msi_msg {
        sc_core::sc_time at;
        uint64_t addr;
        uint32_t data;
    };
    // Sink for an unbound msi socket.
    struct sink : sc_core::sc_module {
        tlm_utils::simple_target_socket<sink> socket;
        explicit sink(sc_core::sc_module_name n);
        void b_transport(tlm::tlm_generic_payload &p, sc_core::sc_time &d);
    };

    hdm_hpet_t dev_;
    std::deque<msi_msg> msi_q_;
    tlm::tlm_generic_payload msi_payload_;
    sc_core::sc_event msi_ev_;
    std::unique_ptr<sink> sink_;
    uint64_t msi_dropped_ = 0;
};

} // namespace hdm

#endif // HDM_SYSTEMC_HPET_TLM_H
