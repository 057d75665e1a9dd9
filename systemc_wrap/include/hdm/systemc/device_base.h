// SPDX-License-Identifier: MIT
//
// hdm SystemC wrappers: what hdm::pl011_tlm and hdm::hpet_tlm share.
//
//  * clock_map: exact conversion between SystemC time and device ticks
//    (a rational number of ticks per SystemC time unit, 128-bit math).
//  * status_extension: an ignorable TLM extension an initiator may attach
//    to read the hdm status of an access (the TLM response status alone
//    cannot say READ_ONLY or WRITE_ONLY, which map to TLM_OK_RESPONSE).
//  * device_base: the target socket (LT b_transport, transport_dbg, DMI
//    refused), the single wake-up event driven by the core's next_event(),
//    the output queue that drives every sc_out<bool> at the exact time of
//    its change, ports left unbound tied off inside the module, and the
//    optional clock port for lock-step simulation.
//
// No device behaviour lives here (docs/architecture.md): every decision
// about a register is the core's.
#ifndef HDM_SYSTEMC_DEVICE_BASE_H
#define HDM_SYSTEMC_DEVICE_BASE_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "hdm/common.h"

namespace hdm
{

/// Exact tick <-> sc_time conversion: tick = floor(units * num / den),
/// where units is sc_time::value() (multiples of the time resolution).
class clock_map
{
  public:
    /// A clock of @p hz ticks per second (exact for any integer rate).
    static clock_map from_hz(uint64_t hz);
    /// A clock with period @p period (exact in the time resolution).
    static clock_map from_period(const sc_core::sc_time &period);
    /// A clock with a period of @p fs femtoseconds (HPET).
    static clock_map from_period_fs(uint64_t fs);

    /// Tick in progress at time @p t.
    uint64_t tick_at(const sc_core::sc_time &t) const;
    /// Earliest time at which tick @p tick is in progress. Saturates at
    /// the largest sc_time.
    sc_core::sc_time time_of(uint64_t tick) const;
    /// True when every tick maps to a distinct time (the resolution is at
    /// least as fine as the clock).
    bool exact() const
    {
        return num_ <= den_;
    }
    /// The period, rounded to the time resolution.
    sc_core::sc_time period() const;

  private:
    clock_map(unsigned __int128 num, unsigned __int128 den);
    uint64_t num_ = 1, den_ = 1;
    // Last tick_at() result and the time span of that tick (exact).
    mutable uint64_t cache_tick_ = 0, cache_lo_ = 0, cache_hi_ = 0;
};

/// hdm status of the last access, for initiators that want it (the bench).
struct status_extension : tlm::tlm_extension<status_extension> {
    int status = HDM_OK;
    tlm::tlm_extension_base *clone() const override;
    void copy_from(const tlm::tlm_extension_base &ext) override;
};

/// TLM response for each hdm status (docs/systemc.md, "Status mapping").
struct response_map {
    tlm::tlm_response_status unmapped = tlm::TLM_ADDRESS_ERROR_RESPONSE;
    tlm::tlm_response_status bad_size = tlm::TLM_BURST_ERROR_RESPONSE;
    tlm::tlm_response_status bad_align = tlm::TLM_ADDRESS_ERROR_RESPONSE;
    tlm::tlm_response_status read_only = tlm::TLM_OK_RESPONSE;
    tlm::tlm_response_status write_only = tlm::TLM_OK_RESPONSE;
    tlm::tlm_response_status map(int status) const;
};

/// Counters a platform may inspect (not part of the device state).
struct wrapper_stats {
    uint64_t accesses = 0;      ///< b_transport calls
    uint64_t late_accesses = 0; ///< applied after the requested time
    uint64_t late_inputs = 0;   ///< input changes applied late
    uint64_t wakeups = 0;       ///< runs of the next_event() method
    uint64_t guest_errors = 0;  ///< bad accesses reported by the core
};

class device_base : public sc_core::sc_module
{
  public:
    /// Register block (LT b_transport, transport_dbg; DMI is refused).
    tlm_utils::simple_target_socket<device_base> socket;
    /// Optional device clock for lock-step simulation: when bound, one
    /// rising edge is one tick and the period is not used.
    sc_core::sc_port<sc_core::sc_signal_in_if<bool>, 1,
                     sc_core::SC_ZERO_OR_MORE_BOUND>
        clk;

    /// Tick <-> time mapping of this device.
    const clock_map &clock() const
    {
        return map_;
    }
    /// True when clk is bound (after elaboration).
    bool lockstep() const
    {
        return lockstep_;
    }
    const wrapper_stats &stats() const
    {
        return stats_;
    }
    /// Latency added to the delay of every b_transport.
    sc_core::sc_time access_latency;
    /// TLM response per hdm status.
    response_map responses;

    /// Device tick for SystemC time @p t (lock-step: the current tick).
    uint64_t tick_at(const sc_core::sc_time &t) const;
    /// Bring the core up to the current simulation time (no-op when it is
    /// already there or ahead).
    void sync();
    /// True when no output change (or FSB message) is due at or before the
    /// current time: the ports show everything the core did so far.
    virtual bool settled() const;

  protected:
    SC_HAS_PROCESS(device_base);
    device_base(sc_core::sc_module_name name, const clock_map &map);
    ~device_base() override;

    // The device hooks (thin forwards to hdm_<dev>_*).
    virtual int core_read(uint64_t tick, uint32_t offset, unsigned size,
                          uint64_t *value, unsigned flags) = 0;
    virtual int core_write(uint64_t tick, uint32_t offset, unsigned size,
                           uint64_t value, unsigned flags) = 0;
    virtual int core_advance(uint64_t tick) = 0;
    virtual uint64_t core_now() const = 0;
    virtual uint64_t core_next() const = 0;
    virtual unsigned core_max_size() const = 0;
    /// Tie off unbound ports (called before the end of elaboration).
    virtual void tie_off() = 0;
    /// Read every input port and apply it at tick 0 (start of simulation).
    virtual void apply_initial_inputs() = 0;

    /// An output port the queue drives; index = output id of the device.
    void add_output(sc_core::sc_out<bool> *port, bool initial);
    /// Queue output @p id to change to @p level at tick @p tick.
    void queue_output(unsigned id, bool level, uint64_t tick);
    /// Queue every output at its current core level (after a restore).
    void requeue_all(const std::vector<bool> &levels, uint64_t tick);
    /// host->deadline(): re-arm the wake-up event.
    void on_deadline(uint64_t next);
    /// host->guest_error().
    void on_guest_error()
    {
        stats_.guest_errors++;
    }
    /// Tick to apply an input at (counts a late input).
    uint64_t input_tick();
    /// Ensure that an output id has a port slot.
    bool is_output(unsigned id) const
    {
        return id < outs_.size();
    }

    /// Bind @p port to an internal signal with level @p level if unbound.
    template <class Port> void tie(Port &port, bool level)
    {
        if (port.bind_count() == 0) {
            ties_.push_back(std::make_unique<sc_core::sc_signal<bool>>(
                sc_core::sc_gen_unique_name("tie"), level));
            port.bind(*ties_.back());
        }
    }

    clock_map map_;
    wrapper_stats stats_;

  private:
    void b_transport(tlm::tlm_generic_payload &p, sc_core::sc_time &delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload &p);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload &p, tlm::tlm_dmi &d);
    int access(tlm::tlm_generic_payload &p, uint64_t tick, unsigned flags,
               tlm::tlm_response_status *resp);

    void wake_method();
    void output_method();
    void clock_method();
    void before_end_of_elaboration() override;
    void start_of_simulation() override;

    struct pending {
        sc_core::sc_time at;
        unsigned id;
        bool level;
    };
    std::vector<sc_core::sc_out<bool> *> outs_;
    std::vector<bool> out_init_;
    std::vector<uint64_t> out_delta_; // delta count of the last write + 1
    std::deque<pending> queue_;
    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> ties_;
    sc_core::sc_event wake_ev_, out_ev_;
    uint64_t armed_ = HDM_TICK_NEVER;
    bool lockstep_ = false;
    bool started_ = false;
};

} // namespace hdm

#endif // HDM_SYSTEMC_DEVICE_BASE_H
