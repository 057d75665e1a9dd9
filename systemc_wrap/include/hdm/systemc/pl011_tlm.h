// SPDX-License-Identifier: MIT
//
// hdm::pl011_tlm: the hdm PL011 core as a SystemC 2.3 TLM-2.0 LT target.
//
//   socket     register block, 0x1000 bytes (b_transport, transport_dbg)
//   intr ...   UARTINTR, UARTRXINTR, UARTTXINTR, UARTRTINTR, UARTMSINTR,
//              UARTEINTR as sc_out<bool> (active HIGH)
//   txd ...    UARTTXD, nSIROUT, nRTS, nDTR, nOUT1, nOUT2 (electrical
//              levels, n... active LOW), the four DMA request outputs
//   rxd ...    UARTRXD, SIRIN, nCTS, nDSR, nDCD, nRI, the DMA clear inputs
//   receive()  byte-level serial input (a whole character completes now)
//   on_frame   byte-level serial output (called at the end of each frame)
//
// Every port may be left unbound: outputs then go nowhere, inputs sit at
// their idle level (RXD, SIRIN, nCTS, nDSR, nDCD, nRI HIGH; DMACLR LOW).
// A bound input signal must start at the idle level too (an sc_signal<bool>
// starts LOW, which on RXD is a break). See docs/systemc.md.
#ifndef HDM_SYSTEMC_PL011_TLM_H
#define HDM_SYSTEMC_PL011_TLM_H

#include "hdm/pl011.h"
#include "hdm/systemc/device_base.h"

#include <functional>

namespace hdm
{

class pl011_tlm : public device_base
{
  public:
    struct config {
        /// UARTCLK as a period; zero: use clock_hz (exact for any rate).
        sc_core::sc_time clock_period = sc_core::SC_ZERO_TIME;
        uint64_t clock_hz = 24000000;
        hdm_pl011_revision_t revision = HDM_PL011_R1P5;
        uint32_t quirks = 0;    ///< OR of enum hdm_pl011_quirk
        uint32_t periph_id = 0; ///< PeriphID0..3 word, 0: the profile's
        /// Drive txd/nsirout bit by bit (off: only whole frames, on_frame).
        bool tx_pin_edges = true;
        sc_core::sc_time access_latency = sc_core::SC_ZERO_TIME;
    };

    /// A transmitted frame, with the times of its start and end.
    struct frame {
        hdm_pl011_frame_t core; ///< as the core reports it (ticks)
        sc_core::sc_time start, end;
    };

    sc_core::sc_out<bool> intr, rxintr, txintr, rtintr, msintr, eintr;
    sc_core::sc_out<bool> txd, nsirout, nrts, ndtr, nout1, nout2;
    sc_core::sc_out<bool> txdmasreq, txdmabreq, rxdmasreq, rxdmabreq;
    sc_core::sc_in<bool> rxd, sirin, ncts, ndsr, ndcd, nri;
    sc_core::sc_in<bool> txdmaclr, rxdmaclr;

    /// Called at the end of every transmitted frame (may be empty).
    std::function<void(const frame &)> on_frame;

    explicit pl011_tlm(sc_core::sc_module_name name);
    pl011_tlm(sc_core::sc_module_name name, const config &cfg);
    pl011_tlm(sc_core::sc_module_name name, const sc_core::sc_time &period);

    /// A whole character (with HDM_PL011_RX_* error flags) completes
    /// reception now. Returns the core's status (HDM_E_IGNORED when the
    /// receiver is off, the character is then lost as on the wire).
    int receive(uint8_t data, unsigned flags = 0);
    /// Free RX FIFO entries (for back-pressure of a byte-level source).
    unsigned rx_space() const
    {
        return hdm_pl011_rx_space(&dev_);
    }

    /// Snapshot for checkpoints (the core's validated format).
    void save(hdm_pl011_snapshot_t &snap) const;
    /// Restore a snapshot; outputs are re-driven. Returns the core status
    /// (the device is unchanged when the snapshot is refused).
    int restore(const hdm_pl011_snapshot_t &snap);

    /// The core, read-only (levels, FIFO fill, now).
    const hdm_pl011_t &core() const
    {
        return dev_;
    }

  private:
    SC_HAS_PROCESS(pl011_tlm);
    int core_read(uint64_t tick, uint32_t offset, unsigned size,
                  uint64_t *value, unsigned flags) override;
    int core_write(uint64_t tick, uint32_t offset, unsigned size,
                   uint64_t value, unsigned flags) override;
    int core_advance(uint64_t tick) override;
    uint64_t core_now() const override
    {
        return hdm_pl011_now(&dev_);
    }
    uint64_t core_next() const override
    {
        return hdm_pl011_next_event(&dev_);
    }
    unsigned core_max_size() const override
    {
        return 4;
    }
    void tie_off() override;
    void apply_initial_inputs() override;

    void input_method();
    static void host_irq(void *o, unsigned line, bool level, hdm_tick_t t);
    static void host_pin(void *o, unsigned pin, bool level, hdm_tick_t t);
    static void host_frame(void *o, const void *f);
    static void host_deadline(void *o, hdm_tick_t next);
    static void host_guest_error(void *o, int st, uint32_t off, unsigned sz,
                                 bool wr);
    static clock_map make_map(const config &cfg);
    std::vector<bool> output_levels() const;

    sc_core::sc_in<bool> *inputs_[HDM_PL011_IN_COUNT];
    hdm_pl011_t dev_;
    config cfg_;
};

} // namespace hdm

#endif // HDM_SYSTEMC_PL011_TLM_H
