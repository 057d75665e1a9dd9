// SPDX-License-Identifier: MIT
//
// Example virtual platform: a CPU-like initiator acting as a driver, a bus,
// two hdm PL011s wired TXD<->RXD and an hdm HPET.
//
//   cpu --b_transport--> bus --+-- 0x1000_0000 uart0 --txd--> rxd-- uart1
//                              +-- 0x1000_1000 uart1 --txd--> rxd-- uart0
//                              +-- 0xFED0_0000 hpet  irq[2] --> cpu
//
// uart0 sends a message to uart1 at 115200 baud 8N1 (UARTCLK 24 MHz) using
// its TX interrupt to refill the FIFO; the CPU drains uart1 from its RX and
// receive-timeout interrupts. HPET timer 0 runs periodic at 1 kHz,
// level-triggered on I/O APIC input 2, and the CPU counts and acknowledges
// (W1C) every interrupt for one simulated second. Everything runs on the
// devices' own timing: the only thing the CPU does between interrupts is
// wait for them.
//
// Shared by the example (platform.cpp: one workload, then sc_stop) and
// bench-systemc (systemc_wrap/bench/bench_systemc.cpp: the same workload
// repeated on demand, see cpu::serve).
#ifndef HDM_EXAMPLE_PLATFORM_H
#define HDM_EXAMPLE_PLATFORM_H

#include "hdm/systemc/hpet_tlm.h"
#include "hdm/systemc/pl011_tlm.h"

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace hdm_example
{

using namespace sc_core;

inline const char message[] =
    "hdm: two PL011s at 115200 baud, an HPET, one second.";

constexpr uint64_t uart0_base = 0x10000000, uart1_base = 0x10001000;
constexpr uint64_t hpet_base = 0xFED00000;

// Address decoder: one target socket in, one initiator socket per device.
struct bus : sc_module {
    tlm_utils::simple_target_socket<bus> in;
    tlm_utils::multi_passthrough_initiator_socket<bus> out;
    struct range {
        uint64_t base, size;
    };
    std::vector<range> map; // index = binding order of out

    explicit bus(sc_module_name n) : sc_module(n), in("in"), out("out")
    {
        in.register_b_transport(this, &bus::b_transport);
        in.register_transport_dbg(this, &bus::transport_dbg);
    }
    int decode(tlm::tlm_generic_payload &p)
    {
        uint64_t a = p.get_address();
        for (unsigned i = 0; i < map.size(); i++) {
            if (a >= map[i].base && a - map[i].base < map[i].size) {
                p.set_address(a - map[i].base);
                return int(i);
            }
        }
        return -1;
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &delay)
    {
        uint64_t a = p.get_address();
        int i = decode(p);
        if (i < 0) {
            p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        out[unsigned(i)]->b_transport(p, delay);
        p.set_address(a);
    }
    unsigned transport_dbg(tlm::tlm_generic_payload &p)
    {
        uint64_t a = p.get_address();
        int i = decode(p);
        unsigned n = i < 0 ? 0 : out[unsigned(i)]->transport_dbg(p);
        p.set_address(a);
        return n;
    }
};

// The driver: PL011 and HPET programming as an OS would do it.
struct cpu : sc_module {
    tlm_utils::simple_initiator_socket<cpu> socket;
    sc_in<bool> uart0_irq, uart1_irq, hpet_irq;

    std::string received;
    unsigned hpet_irqs = 0, uart0_irqs = 0, uart1_irqs = 0;
    sc_time sent_first, received_last;
    bool bus_error = false;
    uint64_t counter_at_end = 0;
    size_t next = 0; // next character of message to queue

    // Repeated runs (bench-systemc). With serve set before sc_start(), the
    // thread does not stop the simulation: on each notification of go it
    // runs the workload `runs` times, each followed by quiesce(), counts
    // the runs that failed check(), and notifies done.
    bool serve = false;
    uint64_t runs = 0, runs_done = 0, runs_failed = 0;
    sc_event go, done;

    SC_HAS_PROCESS(cpu);
    explicit cpu(sc_module_name n)
        : sc_module(n), socket("socket"), uart0_irq("uart0_irq"),
          uart1_irq("uart1_irq"), hpet_irq("hpet_irq")
    {
        SC_THREAD(run);
    }

    uint64_t rd(uint64_t addr, unsigned size = 4)
    {
        return access(tlm::TLM_READ_COMMAND, addr, 0, size);
    }
    void wr(uint64_t addr, uint64_t v, unsigned size = 4)
    {
        access(tlm::TLM_WRITE_COMMAND, addr, v, size);
    }
    uint64_t access(tlm::tlm_command cmd, uint64_t addr, uint64_t v,
                    unsigned size)
    {
        tlm::tlm_generic_payload p;
        unsigned char buf[8];
        std::memcpy(buf, &v, 8);
        p.set_command(cmd);
        p.set_address(addr);
        p.set_data_ptr(buf);
        p.set_data_length(size);
        p.set_streaming_width(size);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time delay = SC_ZERO_TIME;
        socket->b_transport(p, delay);
        if (!p.is_response_ok()) {
            std::fprintf(stderr, "bus error at 0x%llx: %s\n",
                         (unsigned long long)addr,
                         p.get_response_string().c_str());
            bus_error = true;
        }
        wait(delay); // an LT initiator without temporal decoupling
        uint64_t r = 0;
        std::memcpy(&r, buf, size);
        return r;
    }

    void uart_init(uint64_t base, uint32_t imsc)
    {
        wr(base + 0x030, 0);     // UARTCR: disable
        wr(base + 0x024, 13);    // IBRD  \ 24 MHz / (16 * 13.015625)
        wr(base + 0x028, 1);     // FBRD  / = 115246 baud (0.04 %)
        wr(base + 0x02C, 0x70);  // LCR_H: 8N1, FIFOs on (latches div)
        wr(base + 0x034, 0x12);  // IFLS: RX 1/2, TX 1/4 (Linux-like)
        wr(base + 0x038, imsc);  // IMSC
        wr(base + 0x030, 0x301); // UARTEN | TXE | RXE
    }

    void fill_tx()
    {
        // Queue characters until the FIFO is full (FR.TXFF) or none left.
        while (next < sizeof(message) - 1 && !(rd(uart0_base + 0x018) & 0x20)) {
            if (next == 0) {
                sent_first = sc_time_stamp();
            }
            wr(uart0_base + 0x000, uint8_t(message[next++]));
        }
        if (next == sizeof(message) - 1) {
            wr(uart0_base + 0x038, 0); // all queued: no more TX interrupts
        }
    }

    void run()
    {
        if (!serve) {
            workload();
            sc_stop();
            return;
        }
        for (;;) {
            wait(go);
            for (uint64_t i = 0; i < runs; i++) {
                workload();
                quiesce();
                runs_failed += check(nullptr) ? 0u : 1u;
                runs_done++;
            }
            done.notify();
        }
    }

    // The whole job: one simulated second (and 500 us) from now.
    void workload()
    {
        const sc_time start = sc_time_stamp();
        received.clear();
        hpet_irqs = uart0_irqs = uart1_irqs = 0;
        sent_first = received_last = start;
        counter_at_end = 0;
        next = 0;

        uart_init(uart1_base, 0x50); // RXIM | RTIM
        uart_init(uart0_base, 0x20); // TXIM
        // HPET: timer 0 periodic, level-triggered, route 2, 1 kHz.
        uint64_t cap = rd(hpet_base + 0x000, 8);
        uint64_t period_fs = cap >> 32;
        uint64_t ticks = 1000000000000ull / period_fs; // 1 ms
        wr(hpet_base + 0x010, 0);                      // halt
        wr(hpet_base + 0x0F0, 0, 8);                   // MAIN_CNT = 0
        wr(hpet_base + 0x100, (2u << 9) | 0x4E, 8);    // route 2, VAL_SET,
        wr(hpet_base + 0x108, ticks, 8);               // periodic, level,
        wr(hpet_base + 0x108, ticks, 8);               // INT_ENB; period
        wr(hpet_base + 0x010, 1);                      // ENABLE_CNF
        fill_tx();

        const sc_time end = start + sc_time(1, SC_SEC) + sc_time(500, SC_US);
        while (sc_time_stamp() < end) {
            if (!uart0_irq.read() && !uart1_irq.read() && !hpet_irq.read()) {
                wait(end - sc_time_stamp(), uart0_irq.posedge_event() |
                                                uart1_irq.posedge_event() |
                                                hpet_irq.posedge_event());
                continue;
            }
            // Interrupt handlers: each asks its device why (status
            // registers), as a driver does; a line that is still high after
            // its cause was cleared drops a few delta cycles later.
            bool handled = false;
            if (hpet_irq.read() && (rd(hpet_base + 0x020) & 1)) {
                hpet_irqs++;
                wr(hpet_base + 0x020, 1); // GINTR_STA: W1C timer 0
                handled = true;
            }
            if (uart0_irq.read() && (rd(uart0_base + 0x040) & 0x20)) {
                uart0_irqs++;
                wr(uart0_base + 0x044, 0x20); // ICR: TXIC
                fill_tx();
                handled = true;
            }
            if (uart1_irq.read() && (rd(uart1_base + 0x040) & 0x50)) {
                uart1_irqs++;
                // Drain RX (clears RXRIS below the level and RTRIS).
                while (!(rd(uart1_base + 0x018) & 0x10)) {
                    uint64_t dr = rd(uart1_base + 0x000);
                    if (dr & 0xF00) {
                        std::fprintf(stderr, "receive error DR=0x%03llx\n",
                                     (unsigned long long)dr);
                        bus_error = true;
                    }
                    received.push_back(char(dr & 0xFF));
                    received_last = sc_time_stamp();
                }
                wr(uart1_base + 0x044, 0x50); // ICR: RTIC | RXIC
                handled = true;
            }
            if (!handled) {
                wait(10, SC_NS); // a few CPU cycles until the line drops
            }
        }
        // A debugger's view of the counter (transport_dbg: no side
        // effects), at the end of the run.
        counter_at_end = dbg_rd(hpet_base + 0x0F0, 8);
    }

    // Leave the platform without scheduled events between two runs: the
    // HPET counter halted, both UARTs disabled (their FIFOs are empty).
    void quiesce()
    {
        wr(hpet_base + 0x010, 0);
        wr(uart0_base + 0x030, 0);
        wr(uart1_base + 0x030, 0);
    }

    // 10 bit periods per 8N1 character at 24e6 / (16 * (13 + 1/64)) baud.
    static double frame_seconds()
    {
        return 10.0 * 16.0 * (13.0 + 1.0 / 64.0) / 24e6;
    }
    double took() const
    {
        return (received_last - sent_first).to_seconds();
    }

    // The checks of one run; every failure is reported to @p err (if set).
    bool check(std::FILE *err) const
    {
        const size_t n = sizeof(message) - 1;
        bool ok = !bus_error;
        if (received != message) {
            if (err) {
                std::fprintf(err, "FAIL: received \"%s\", sent \"%s\"\n",
                             received.c_str(), message);
            }
            ok = false;
        }
        if (took() < frame_seconds() * double(n - 1)) {
            if (err) {
                std::fprintf(err,
                             "FAIL: %zu characters took %.6f s, less than "
                             "the line time\n",
                             n, took());
            }
            ok = false;
        }
        // 100 MHz for 1.0005 s.
        if (counter_at_end != 100050000) {
            if (err) {
                std::fprintf(err,
                             "FAIL: main counter %llu, expected 100050000\n",
                             (unsigned long long)counter_at_end);
            }
            ok = false;
        }
        if (hpet_irqs != 1000) {
            if (err) {
                std::fprintf(err, "FAIL: %u HPET interrupts, expected 1000\n",
                             hpet_irqs);
            }
            ok = false;
        }
        return ok;
    }

    uint64_t dbg_rd(uint64_t addr, unsigned size)
    {
        tlm::tlm_generic_payload p;
        uint64_t v = 0;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_address(addr);
        p.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        p.set_data_length(size);
        p.set_streaming_width(size);
        if (socket->transport_dbg(p) != size) {
            bus_error = true;
        }
        return v;
    }
};

// Simulated time of one workload run.
inline sc_time workload_time()
{
    return sc_time(1, SC_SEC) + sc_time(500, SC_US);
}

// The devices, the bus, the CPU and the wires between them (top-level
// modules, named as in the example: uart0, uart1, hpet, bus, cpu).
struct platform {
    hdm::pl011_tlm uart0{ "uart0" }, uart1{ "uart1" };
    hdm::hpet_tlm hpet{ "hpet" };
    bus b{ "bus" };
    cpu c{ "cpu" };
    sc_signal<bool> line01{ "line01", true }, line10{ "line10", true };
    sc_signal<bool> irq0{ "uart0_intr" }, irq1{ "uart1_intr" },
        hirq{ "hpet_irq2" };

    platform()
    {
        b.map = { { uart0_base, 0x1000 },
                  { uart1_base, 0x1000 },
                  { hpet_base, hdm_hpet_mmio_size(&hpet.core()) } };
        c.socket.bind(b.in);
        b.out.bind(uart0.socket);
        b.out.bind(uart1.socket);
        b.out.bind(hpet.socket);

        uart0.txd(line01);
        uart1.rxd(line01);
        uart1.txd(line10);
        uart0.rxd(line10);
        uart0.intr(irq0);
        uart1.intr(irq1);
        hpet.irq[2](hirq);
        c.uart0_irq(irq0);
        c.uart1_irq(irq1);
        c.hpet_irq(hirq);
    }
};

} // namespace hdm_example

#endif // HDM_EXAMPLE_PLATFORM_H
