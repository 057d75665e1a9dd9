// SPDX-License-Identifier: MIT
// hdm SystemC wrappers: clock map, status extension, shared target logic
// (see hdm/systemc/device_base.h).
#include "hdm/systemc/device_base.h"

#include <cstring>

using namespace sc_core;

namespace hdm
{

namespace
{

using u128 = unsigned __int128;

u128 gcd(u128 a, u128 b)
{
    while (b) {
        u128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

// sc_time::value() units per second at the current resolution.
uint64_t units_per_second()
{
    return sc_time(1, SC_SEC).value();
}

constexpr uint64_t max_u64 = ~uint64_t(0);

} // namespace

clock_map::clock_map(u128 num, u128 den)
{
    if (num == 0 || den == 0) {
        SC_REPORT_ERROR("hdm/clock", "clock rate or period is zero");
        num = den = 1;
    }
    u128 g = gcd(num, den);
    num /= g;
    den /= g;
    while (num > max_u64 || den > max_u64) { // lose precision, never wrap
        num >>= 1;
        den >>= 1;
        if (num == 0) {
            num = 1;
        }
        if (den == 0) {
            den = 1;
        }
    }
    num_ = uint64_t(num);
    den_ = uint64_t(den);
}

clock_map clock_map::from_hz(uint64_t hz)
{
    return clock_map(hz, units_per_second());
}

clock_map clock_map::from_period(const sc_time &period)
{
    return clock_map(1, period.value());
}

clock_map clock_map::from_period_fs(uint64_t fs)
{
    // ticks = units / (fs * 1e-15 s * units_per_second)
    return clock_map(u128(1000000000000000ull), u128(fs) * units_per_second());
}

uint64_t clock_map::tick_at(const sc_time &t) const
{
    // Hot (every b_transport). Accesses come in bursts within one tick or
    // the next (a polling loop, a FIFO fill): the tick of the last lookup
    // and its time span [lo, hi) are cached, so the common case is two
    // compares instead of a 64-bit division (tens of cycles).
    const uint64_t v = t.value();
    if (v >= cache_lo_ && v < cache_hi_) {
        return cache_tick_;
    }
    uint64_t tick;
    uint64_t prod;
    if (!__builtin_mul_overflow(v, num_, &prod)) {
        tick = prod / den_;
    } else {
        u128 w = u128(v) * num_ / den_;
        tick = w > max_u64 ? max_u64 : uint64_t(w);
    }
    if (tick < max_u64) {
        // Span of this tick: [time_of(tick), time_of(tick + 1)).
        cache_tick_ = tick;
        cache_lo_ = time_of(tick).value();
        cache_hi_ = time_of(tick + 1).value();
        if (cache_hi_ <= v) { // saturated at the largest time
            cache_lo_ = cache_hi_ = 0;
        }
    }
    return tick;
}

sc_time clock_map::time_of(uint64_t tick) const
{
    u128 v = (u128(tick) * den_ + num_ - 1) / num_;
    return sc_time::from_value(v > max_u64 ? max_u64 : uint64_t(v));
}

sc_time clock_map::period() const
{
    return sc_time::from_value(uint64_t(u128(den_) / num_));
}

tlm::tlm_extension_base *status_extension::clone() const
{
    return new status_extension(*this);
}

void status_extension::copy_from(const tlm::tlm_extension_base &ext)
{
    status = static_cast<const status_extension &>(ext).status;
}

tlm::tlm_response_status response_map::map(int status) const
{
    switch (status) {
    case HDM_OK:
        return tlm::TLM_OK_RESPONSE;
    case HDM_E_UNMAPPED:
        return unmapped;
    case HDM_E_BAD_SIZE:
        return bad_size;
    case HDM_E_BAD_ALIGN:
        return bad_align;
    case HDM_E_READ_ONLY:
        return read_only;
    case HDM_E_WRITE_ONLY:
        return write_only;
    default:
        return tlm::TLM_GENERIC_ERROR_RESPONSE;
    }
}

device_base::device_base(sc_module_name name, const clock_map &map)
    : sc_module(name), socket("socket"), clk("clk"), map_(map)
{
    socket.register_b_transport(this, &device_base::b_transport);
    socket.register_transport_dbg(this, &device_base::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &device_base::get_direct_mem_ptr);

    SC_METHOD(wake_method);
    sensitive << wake_ev_;
    dont_initialize();
    SC_METHOD(output_method);
    sensitive << out_ev_;
    dont_initialize();
    SC_METHOD(clock_method); // runs once at start, then on clk edges
}

device_base::~device_base() = default;

uint64_t device_base::tick_at(const sc_time &t) const
{
    return lockstep_ ? core_now() : map_.tick_at(t);
}

void device_base::sync()
{
    uint64_t t = tick_at(sc_time_stamp());
    if (t > core_now()) {
        core_advance(t);
    }
}

bool device_base::settled() const
{
    return queue_.empty() || queue_.front().at > sc_time_stamp();
}

uint64_t device_base::input_tick()
{
    uint64_t t = tick_at(sc_time_stamp());
    if (t < core_now()) {
        stats_.late_inputs++;
        return core_now();
    }
    return t;
}

void device_base::add_output(sc_out<bool> *port, bool initial)
{
    port->initialize(initial);
    outs_.push_back(port);
    out_init_.push_back(initial);
    out_delta_.push_back(0);
}

void device_base::queue_output(unsigned id, bool level, uint64_t tick)
{
    if (id >= outs_.size()) {
        return;
    }
    sc_time at = lockstep_ ? sc_time_stamp() : map_.time_of(tick);
    if (at < sc_time_stamp()) {
        at = sc_time_stamp();
    }
    // Changes arrive in tick order; keep the queue sorted if one does not.
    auto it = queue_.end();
    while (it != queue_.begin() && (it - 1)->at > at) {
        --it;
    }
    bool head = it == queue_.begin();
    queue_.insert(it, pending{ at, id, level });
    if (head) {
        out_ev_.cancel();
        out_ev_.notify(at - sc_time_stamp());
    }
}

void device_base::requeue_all(const std::vector<bool> &levels, uint64_t tick)
{
    queue_.clear();
    for (unsigned i = 0; i < levels.size() && i < outs_.size(); i++) {
        queue_output(i, levels[i], tick);
    }
}

void device_base::output_method()
{
    // Apply every change that is due, at most one per port per delta cycle
    // so that a pulse within one tick (e.g. TXINTR set and cleared) is
    // still seen by every process sensitive to the port.
    const sc_time now = sc_time_stamp();
    const uint64_t delta = sc_delta_count() + 1;
    while (!queue_.empty() && queue_.front().at <= now) {
        pending &p = queue_.front();
        if (out_delta_[p.id] == delta) {
            out_ev_.notify(SC_ZERO_TIME);
            return;
        }
        out_delta_[p.id] = delta;
        outs_[p.id]->write(p.level);
        queue_.pop_front();
    }
    if (!queue_.empty()) {
        out_ev_.notify(queue_.front().at - now);
    }
}

void device_base::on_deadline(uint64_t next)
{
    armed_ = next;
    if (!started_ || lockstep_) {
        return; // armed at the start of simulation / driven by clk
    }
    wake_ev_.cancel();
    if (next == HDM_TICK_NEVER) {
        return;
    }
    sc_time at = map_.time_of(next);
    sc_time now = sc_time_stamp();
    wake_ev_.notify(at > now ? at - now : SC_ZERO_TIME);
}

void device_base::wake_method()
{
    stats_.wakeups++;
    sync();
    // The core reports a new deadline through on_deadline() when it moves;
    // if it did not move (the core was already ahead), re-arm it here.
    if (armed_ != HDM_TICK_NEVER && armed_ == core_next()) {
        sc_time at = map_.time_of(armed_);
        if (at > sc_time_stamp()) {
            wake_ev_.notify(at - sc_time_stamp());
        }
    }
}

void device_base::clock_method()
{
    if (!lockstep_) {
        return; // no clock bound: never triggered again
    }
    if (clk->read() && sc_delta_count() > 0) {
        core_advance(core_now() + 1);
    }
    next_trigger(clk->posedge_event());
}

void device_base::before_end_of_elaboration()
{
    lockstep_ = clk.bind_count() > 0;
    tie_off();
}

void device_base::start_of_simulation()
{
    apply_initial_inputs();
    started_ = true;
    on_deadline(core_next());
}

bool device_base::get_direct_mem_ptr(tlm::tlm_generic_payload &p,
                                     tlm::tlm_dmi &d)
{
    (void)d;
    p.set_dmi_allowed(false);
    return false; // registers have side effects: no DMI
}

namespace
{

// The bytes of an access: the widths registers use are copied inline.
inline void copy_bytes(void *dst, const void *src, unsigned len)
{
    switch (len) {
    case 4:
        std::memcpy(dst, src, 4);
        break;
    case 8:
        std::memcpy(dst, src, 8);
        break;
    default:
        std::memcpy(dst, src, len);
        break;
    }
}

} // namespace

// Inlined into b_transport and transport_dbg: the checks of a payload, then
// the core access.
__attribute__((always_inline)) inline int
device_base::access(tlm::tlm_generic_payload &p, uint64_t tick, unsigned flags,
                    tlm::tlm_response_status *resp)
{
    const unsigned len = p.get_data_length();
    unsigned char *data = p.get_data_ptr();
    *resp = tlm::TLM_OK_RESPONSE;
    if (p.get_command() == tlm::TLM_IGNORE_COMMAND) {
        return HDM_OK;
    }
    if (p.get_byte_enable_ptr()) {
        *resp = tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
        return HDM_E_INVAL;
    }
    if (len == 0 || len > 8 || p.get_streaming_width() < len || !data) {
        *resp = tlm::TLM_BURST_ERROR_RESPONSE;
        return HDM_E_BAD_SIZE;
    }
    if (p.get_address() > 0xFFFFFFFFull) {
        *resp = responses.unmapped;
        return HDM_E_UNMAPPED;
    }
    const uint32_t off = uint32_t(p.get_address());
    int st;
    // The data array is in host byte order for the access width (TLM-2.0
    // 14.18); a little-endian host takes the bytes as they are.
    if (p.is_read()) {
        uint64_t v = 0;
        st = core_read(tick, off, len, &v, flags);
        copy_bytes(data, &v, len);
    } else {
        uint64_t v = 0;
        copy_bytes(&v, data, len);
        st = core_write(tick, off, len, v, flags);
    }
    *resp = st == HDM_OK ? tlm::TLM_OK_RESPONSE : responses.map(st);
    return st;
}

// The hot path of every access: everything it calls in this file (the
// payload checks, the tick conversion) is inlined into it.
[[gnu::flatten]] void device_base::b_transport(tlm::tlm_generic_payload &p,
                                               sc_time &delay)
{
    stats_.accesses++;
    tlm::tlm_response_status resp;
    int st;
    if (lockstep_) {
        st = access(p, core_now(), 0, &resp);
    } else {
        // The access at its own tick. simcontext()->time_stamp() is
        // sc_time_stamp() without the call. The core refuses a tick before
        // its current one with HDM_E_PAST and changes nothing (core
        // contract), so now() is asked for only when the access did not
        // succeed: then a late access is counted and, if the core refused
        // the tick, applied at the core's current tick.
        const uint64_t tick = map_.tick_at(simcontext()->time_stamp() + delay);
        st = access(p, tick, 0, &resp);
        if ((st != HDM_OK || p.get_command() == tlm::TLM_IGNORE_COMMAND) &&
            tick < core_now()) {
            stats_.late_accesses++; // another initiator ran further ahead
            if (st == HDM_E_PAST) {
                st = access(p, core_now(), 0, &resp);
            }
        }
    }
    if (auto *ext = p.get_extension<status_extension>()) {
        ext->status = st;
    }
    p.set_response_status(resp);
    p.set_dmi_allowed(false);
    delay += access_latency;
}

unsigned int device_base::transport_dbg(tlm::tlm_generic_payload &p)
{
    // Side-effect free: the core's debug access flag (no pop, no W1C). The
    // core is first brought to the current time, which only runs what
    // would run anyway; it never moves ahead of the simulation.
    sync();
    tlm::tlm_response_status resp;
    int st = access(p, core_now(), HDM_ACCESS_DEBUG, &resp);
    if (auto *ext = p.get_extension<status_extension>()) {
        ext->status = st;
    }
    p.set_response_status(resp);
    return resp == tlm::TLM_OK_RESPONSE ? p.get_data_length() : 0;
}

} // namespace hdm
