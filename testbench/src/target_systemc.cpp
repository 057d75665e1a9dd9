// SPDX-License-Identifier: MIT
//
// SystemC target of the bench: every vector runs through hdm::pl011_tlm /
// hdm::hpet_tlm inside a SystemC 2.3 simulation, seen only through their
// ports: the TLM target socket (b_transport for accesses, transport_dbg for
// debug accesses, a status_extension to read the hdm status), sc_signals
// bound to every sc_out/sc_in, the byte-level serial input and output, and
// (HPET) the FSB initiator socket bound to a recording sink.
//
// Time: a driver thread performs each bench call at the SystemC time of its
// tick (the wrapper's clock_map: exact both ways), lets the delta cycles
// settle and pauses the simulation (sc_pause), which returns control to the
// bench. Observations carry the tick of the SystemC time they were seen at.
// SystemC elaborates once per process, so the target has
// HDM_BENCH_TARGET_OWN_PROCESS and the bench forks for every vector.
#include "hdm/systemc/hpet_tlm.h"
#include "hdm/systemc/pl011_tlm.h"
#include "hdm_bench/core_config.h"
#include "hdm_bench/target.h"

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

using namespace sc_core;

namespace
{

bool g_used = false; // one SystemC target instance per process

// One bench call, executed by the driver thread at the time of its tick.
struct call {
    enum kind { ADVANCE, READ, WRITE, OTHER } k = ADVANCE;
    uint64_t tick = 0;
    uint32_t offset = 0;
    unsigned size = 0;
    uint64_t value = 0;
    unsigned flags = 0;
    std::function<int()> other; // rx frames, input pins
    int status = HDM_OK;
    bool done = false;
};

struct driver : sc_module {
    tlm_utils::simple_initiator_socket<driver> socket;
    hdm::device_base *dev = nullptr;
    std::function<bool()> busy; // device work pending at the current time
    call *cur = nullptr;
    sc_event go;

    SC_HAS_PROCESS(driver);
    explicit driver(sc_module_name n) : sc_module(n), socket("socket")
    {
        SC_THREAD(run);
    }

    void run()
    {
        for (;;) {
            wait(go);
            call &c = *cur;
            sc_time at = dev->clock().time_of(c.tick);
            if (at > sc_time_stamp()) {
                wait(at - sc_time_stamp());
            }
            switch (c.k) {
            case call::ADVANCE:
                dev->sync();
                break;
            case call::READ:
            case call::WRITE:
                c.status = access(c);
                break;
            case call::OTHER:
                c.status = c.other();
                break;
            }
            // Let every consequence of this call reach the signals and the
            // monitor. Each hop is one delta cycle: input signal update ->
            // wrapper input method -> output method -> signal update ->
            // monitor; more while the wrapper still has changes due now.
            for (unsigned n = 0; n < 1000; n++) {
                wait(SC_ZERO_TIME);
                if (n >= 4 && !busy()) {
                    break;
                }
            }
            c.done = true;
            sc_pause();
        }
    }

    int access(call &c)
    {
        tlm::tlm_generic_payload p;
        hdm::status_extension ext;
        unsigned char buf[8] = { 0 };
        uint64_t v = c.value;
        std::memcpy(buf, &v, sizeof(buf));
        p.set_command(c.k == call::READ ? tlm::TLM_READ_COMMAND
                                        : tlm::TLM_WRITE_COMMAND);
        p.set_address(c.offset);
        p.set_data_ptr(buf);
        p.set_data_length(c.size);
        p.set_streaming_width(c.size);
        p.set_byte_enable_ptr(nullptr);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        p.set_extension(&ext);
        ext.status = 1; // not an hdm status: the wrapper must set it
        if (c.flags & HDM_BENCH_ACCESS_DEBUG) {
            socket->transport_dbg(p);
        } else {
            sc_time delay = SC_ZERO_TIME;
            socket->b_transport(p, delay);
        }
        p.clear_extension(&ext);
        if (c.k == call::READ) {
            v = 0;
            std::memcpy(&v, buf, c.size <= 8 ? c.size : 8);
            c.value = v;
        }
        if (ext.status == 1) {
            return HDM_E_INVAL;
        }
        // The TLM response must agree with the status (docs/systemc.md).
        hdm::response_map def;
        if (p.get_response_status() != def.map(ext.status) &&
            !(c.flags & HDM_BENCH_ACCESS_DEBUG)) {
            std::fprintf(stderr, "systemc target: response %s for status %s\n",
                         p.get_response_string().c_str(),
                         hdm_status_name(ext.status));
            return HDM_E_INVAL;
        }
        return ext.status;
    }
};

// Records (addr, data, tick) of every FSB message the HPET sends.
struct msi_sink : sc_module {
    tlm_utils::simple_target_socket<msi_sink> socket;
    std::function<void(uint64_t, uint32_t, const sc_time &)> seen;
    explicit msi_sink(sc_module_name n) : sc_module(n), socket("socket")
    {
        socket.register_b_transport(this, &msi_sink::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &delay)
    {
        uint32_t d = 0;
        if (p.is_write() && p.get_data_length() == 4) {
            std::memcpy(&d, p.get_data_ptr(), 4);
            seen(p.get_address(), d, sc_time_stamp() + delay);
            p.set_response_status(tlm::TLM_OK_RESPONSE);
        } else {
            p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        }
    }
};

// Watches output signals and reports each change with its tick.
struct monitor : sc_module {
    std::vector<sc_signal<bool> *> sigs;
    std::vector<int> bench_id;
    std::function<void(unsigned, bool)> seen;
    SC_HAS_PROCESS(monitor);
    explicit monitor(sc_module_name n) : sc_module(n)
    {
    }
    void arm()
    {
        SC_METHOD(check);
        for (auto *s : sigs) {
            sensitive << s->value_changed_event();
        }
        dont_initialize();
    }
    void check()
    {
        for (unsigned i = 0; i < sigs.size(); i++) {
            if (sigs[i]->event() && bench_id[i] >= 0) {
                seen(unsigned(bench_id[i]), sigs[i]->read());
            }
        }
    }
};

// The whole SystemC side of one vector.
struct sc_target {
    hdm_bench_observer_t obs{};
    const hdm_bench_device_t *desc = nullptr;
    std::unique_ptr<driver> drv;
    std::unique_ptr<monitor> mon;
    std::unique_ptr<msi_sink> sink;
    std::unique_ptr<hdm::pl011_tlm> uart;
    std::unique_ptr<hdm::hpet_tlm> hpet;
    hdm::device_base *dev = nullptr;
    std::vector<std::unique_ptr<sc_signal<bool>>> out_sig; // by output id
    std::vector<std::unique_ptr<sc_signal<bool>>> in_sig;  // by input id
    std::vector<int> sig_out; // bench signal -> output id, -1
    std::vector<int> sig_in;  // bench signal -> input id, -1
    hdm_bench_pl011_flags_t flags{};
    bool broken = false;

    uint64_t tick_now() const
    {
        return dev->clock().tick_at(sc_time_stamp());
    }

    int run(call &c)
    {
        if (broken) {
            return HDM_E_INVAL;
        }
        c.done = false;
        drv->cur = &c;
        drv->go.notify(SC_ZERO_TIME);
        sc_time limit =
            dev->clock().time_of(c.tick) - sc_time_stamp() + sc_time(1, SC_SEC);
        sc_start(limit);
        if (!c.done) {
            broken = true; // the driver did not come back: give up
            std::fprintf(stderr,
                         "systemc target: call at tick %llu did "
                         "not complete\n",
                         (unsigned long long)c.tick);
            return HDM_E_INVAL;
        }
        return c.status;
    }
};

// Output signals bound to the ports of a device, watched by the monitor.
template <class Port>
void bind_out(sc_target &t, Port &port, const char *name, bool init)
{
    t.out_sig.push_back(std::make_unique<sc_signal<bool>>(name, init));
    port.bind(*t.out_sig.back());
}

void map_signals(sc_target &t, unsigned nouts, unsigned irq_count)
{
    // Bench signal ids -> device output ids (irq lines first, then pins,
    // as device_base numbers them) and input ids.
    t.sig_out.assign(t.desc->nsignals, -1);
    t.sig_in.assign(t.desc->nsignals, -1);
    std::vector<int> out_bench(nouts, -1);
    for (unsigned i = 0; i < t.desc->nsignals; i++) {
        const hdm_bench_signal_desc_t &s = t.desc->signals[i];
        int id = -1;
        if (s.kind == HDM_BENCH_SIG_IRQ) {
            id = int(s.dev_id);
        } else if (s.kind == HDM_BENCH_SIG_OUTPUT) {
            id = int(irq_count + s.dev_id);
        } else {
            t.sig_in[i] = int(s.dev_id);
            continue;
        }
        if (id >= 0 && unsigned(id) < nouts) {
            t.sig_out[i] = id;
            out_bench[unsigned(id)] = int(i);
        }
    }
    for (unsigned id = 0; id < nouts; id++) {
        t.mon->sigs.push_back(t.out_sig[id].get());
        t.mon->bench_id.push_back(out_bench[id]);
    }
    t.mon->arm();
}

int sc_open(void **handle, const hdm_bench_open_args_t *args, char *why,
            size_t why_len)
{
    const hdm_bench_device_t *desc = args->device;
    bool is_uart = std::strcmp(desc->name, "pl011") == 0;
    bool is_hpet = std::strcmp(desc->name, "hpet") == 0;
    if (!is_uart && !is_hpet) {
        std::snprintf(why, why_len, "no SystemC model of %s", desc->name);
        return HDM_BENCH_OPEN_SKIP;
    }
    if (g_used) {
        std::snprintf(why, why_len,
                      "SystemC elaborates once per process: "
                      "run each vector in its own process");
        return HDM_E_INVAL;
    }
    if (args->timebase.clock_hz > 1000000000000ull) {
        std::snprintf(why, why_len,
                      "a %llu Hz clock is finer than the 1 ps "
                      "SystemC time resolution",
                      (unsigned long long)args->timebase.clock_hz);
        return HDM_BENCH_OPEN_SKIP;
    }
    g_used = true;
    // The kernel prints its banner when it starts, unless told not to; the
    // bench's stdout is its report table.
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    auto t = std::make_unique<sc_target>();
    t->obs = args->observer;
    t->desc = desc;
    t->drv = std::make_unique<driver>("driver");
    t->mon = std::make_unique<monitor>("monitor");
    sc_target *tp = t.get();
    t->mon->seen = [tp](unsigned sig, bool level) {
        tp->obs.level(tp->obs.opaque, sig, level, tp->tick_now());
    };

    if (is_uart) {
        hdm_pl011_config_t cc;
        hdm_bench_pl011_config(args, &cc);
        hdm_bench_pl011_flags_init(desc, &t->flags);
        hdm::pl011_tlm::config cfg;
        cfg.clock_hz = args->timebase.clock_hz;
        cfg.revision = cc.revision;
        cfg.quirks = cc.quirks;
        cfg.periph_id = cc.periph_id;
        cfg.tx_pin_edges = cc.tx_pin_edges;
        t->uart = std::make_unique<hdm::pl011_tlm>("uart", cfg);
        hdm::pl011_tlm &u = *t->uart;
        t->dev = &u;
        const hdm_pl011_t &core = u.core();
        sc_out<bool> *outs[] = { &u.intr,      &u.rxintr,    &u.txintr,
                                 &u.rtintr,    &u.msintr,    &u.eintr,
                                 &u.txd,       &u.nsirout,   &u.nrts,
                                 &u.ndtr,      &u.nout1,     &u.nout2,
                                 &u.txdmasreq, &u.txdmabreq, &u.rxdmasreq,
                                 &u.rxdmabreq };
        for (unsigned i = 0; i < 16; i++) {
            bool lv =
                i < HDM_PL011_IRQ_COUNT
                    ? hdm_pl011_irq_level(&core, i)
                    : hdm_pl011_output_level(&core, i - HDM_PL011_IRQ_COUNT);
            bind_out(*t, *outs[i], sc_gen_unique_name("out"), lv);
        }
        sc_in<bool> *ins[] = { &u.rxd,  &u.sirin, &u.ncts,     &u.ndsr,
                               &u.ndcd, &u.nri,   &u.txdmaclr, &u.rxdmaclr };
        t->in_sig.resize(HDM_PL011_IN_COUNT);
        for (unsigned i = 0; i < desc->nsignals; i++) {
            const hdm_bench_signal_desc_t &s = desc->signals[i];
            if (s.kind == HDM_BENCH_SIG_INPUT && s.dev_id < 8 &&
                !t->in_sig[s.dev_id]) {
                t->in_sig[s.dev_id] = std::make_unique<sc_signal<bool>>(
                    sc_gen_unique_name("in"), s.idle);
                ins[s.dev_id]->bind(*t->in_sig[s.dev_id]);
            }
        }
        u.on_frame = [tp](const hdm::pl011_tlm::frame &f) {
            if (tp->obs.frame) {
                hdm_bench_frame_t bf;
                hdm_bench_pl011_frame(&tp->flags, &f.core, &bf);
                tp->obs.frame(tp->obs.opaque, &bf);
            }
        };
        map_signals(*t, 16, HDM_PL011_IRQ_COUNT);
    } else {
        hdm::hpet_tlm::config cfg;
        hdm_bench_hpet_config(args, &cfg.core);
        hdm_hpet_t probe;
        if (hdm_hpet_init(&probe, &cfg.core, nullptr) != HDM_OK) {
            std::snprintf(why, why_len,
                          "hdm_hpet_init refused the configuration");
            return HDM_E_INVAL;
        }
        t->hpet = std::make_unique<hdm::hpet_tlm>("hpet", cfg);
        hdm::hpet_tlm &h = *t->hpet;
        t->dev = &h;
        for (unsigned i = 0; i < HDM_HPET_LINES; i++) {
            bind_out(*t, h.irq[i], sc_gen_unique_name("irq"),
                     hdm_hpet_irq_level(&h.core(), i));
        }
        t->sink = std::make_unique<msi_sink>("msi_sink");
        t->sink->seen = [tp](uint64_t a, uint32_t d, const sc_time &at) {
            if (tp->obs.bus_write) {
                tp->obs.bus_write(tp->obs.opaque, a, d,
                                  tp->dev->clock().tick_at(at));
            }
        };
        h.msi.bind(t->sink->socket);
        map_signals(*t, HDM_HPET_LINES, 0);
    }
    t->drv->socket.bind(t->dev->socket);
    t->drv->dev = t->dev;
    if (is_uart) {
        hdm::pl011_tlm *u = t->uart.get();
        t->drv->busy = [u] { return !u->settled(); };
    } else {
        hdm::hpet_tlm *h = t->hpet.get();
        t->drv->busy = [h] { return !h->settled(); };
    }
    // Elaborate and run the initialisation phase (time stays at 0).
    sc_start(SC_ZERO_TIME);
    *handle = t.release();
    return HDM_OK;
}

int sc_advance(void *h, uint64_t tick)
{
    auto *t = static_cast<sc_target *>(h);
    call c;
    c.k = call::ADVANCE;
    c.tick = tick;
    return t->run(c);
}

int sc_read(void *h, uint64_t tick, uint32_t offset, unsigned size,
            uint64_t *value, unsigned flags)
{
    auto *t = static_cast<sc_target *>(h);
    call c;
    c.k = call::READ;
    c.tick = tick;
    c.offset = offset;
    c.size = size;
    c.flags = flags;
    int st = t->run(c);
    *value = c.value;
    return st;
}

int sc_write(void *h, uint64_t tick, uint32_t offset, unsigned size,
             uint64_t value, unsigned flags)
{
    auto *t = static_cast<sc_target *>(h);
    call c;
    c.k = call::WRITE;
    c.tick = tick;
    c.offset = offset;
    c.size = size;
    c.value = value;
    c.flags = flags;
    return t->run(c);
}

int sc_rx_frame(void *h, uint64_t tick, uint32_t data, unsigned flags)
{
    auto *t = static_cast<sc_target *>(h);
    if (!t->uart) {
        return HDM_E_INVAL;
    }
    call c;
    c.k = call::OTHER;
    c.tick = tick;
    unsigned f = hdm_bench_pl011_rx_flags(&t->flags, flags);
    hdm::pl011_tlm *u = t->uart.get();
    c.other = [u, data, f] { return u->receive(uint8_t(data), f); };
    return t->run(c);
}

int sc_set_input(void *h, uint64_t tick, unsigned signal, bool level)
{
    auto *t = static_cast<sc_target *>(h);
    if (signal >= t->sig_in.size() || t->sig_in[signal] < 0 ||
        unsigned(t->sig_in[signal]) >= t->in_sig.size() ||
        !t->in_sig[unsigned(t->sig_in[signal])]) {
        return HDM_E_INVAL;
    }
    sc_signal<bool> *s = t->in_sig[unsigned(t->sig_in[signal])].get();
    call c;
    c.k = call::OTHER;
    c.tick = tick;
    c.other = [s, level] {
        s->write(level);
        return HDM_OK;
    };
    return t->run(c);
}

bool sc_output_level(void *h, unsigned signal)
{
    auto *t = static_cast<sc_target *>(h);
    if (signal >= t->sig_out.size() || t->sig_out[signal] < 0) {
        return false;
    }
    return t->out_sig[unsigned(t->sig_out[signal])]->read();
}

void sc_close(void *h)
{
    // The process ends after the vector (HDM_BENCH_TARGET_OWN_PROCESS):
    // modules of an elaborated simulation are not torn down one by one.
    auto *t = static_cast<sc_target *>(h);
    (void)t;
}

const hdm_bench_target_ops_t sc_ops = {
    sc_open,     sc_advance,   sc_read,         sc_write,
    sc_rx_frame, sc_set_input, sc_output_level, sc_close,
};

const hdm_bench_target_ops_t sc_ops_hpet = {
    sc_open, sc_advance,   sc_read,         sc_write,
    nullptr, sc_set_input, sc_output_level, sc_close,
};

constexpr uint32_t sc_caps = HDM_BENCH_CAP_ALL;

} // namespace

extern "C" {
const hdm_bench_target_t hdm_bench_target_systemc_pl011 = {
    "systemc", "pl011", sc_caps, &sc_ops, HDM_BENCH_TARGET_OWN_PROCESS,
};
const hdm_bench_target_t hdm_bench_target_systemc_hpet = {
    "systemc", "hpet", sc_caps, &sc_ops_hpet, HDM_BENCH_TARGET_OWN_PROCESS,
};
}

// libsystemc's own main() calls sc_main(); hdm-bench has its own main()
// and drives the kernel with sc_start(), so this entry point is never used.
int sc_main(int, char **)
{
    std::fprintf(stderr, "hdm-bench: sc_main is not an entry point\n");
    return 2;
}
