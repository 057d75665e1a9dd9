// SPDX-License-Identifier: MIT
//
// Example virtual platform: a CPU-like initiator acting as a driver, a bus,
// two hdm PL011s wired TXD<->RXD and an hdm HPET (the modules are in
// platform.h, shared with bench-systemc).
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
// Usage: hdm-sc-platform [VCD-BASENAME]   (default: platform -> platform.vcd)
// Exit status 0 when the message arrived intact, in no less than its line
// time, and the HPET interrupted exactly 1000 times.
#include "platform.h"

#include <cstdio>

using namespace sc_core;
using namespace hdm_example;

int sc_main(int argc, char **argv)
{
    const char *vcd_name = argc > 1 ? argv[1] : "platform";

    platform pf;
    cpu &c = pf.c;

    sc_trace_file *tf = sc_create_vcd_trace_file(vcd_name);
    tf->set_time_unit(1, SC_PS); // the UARTCLK period is 41667 ps
    sc_trace(tf, pf.line01, "uart0_txd");
    sc_trace(tf, pf.line10, "uart1_txd");
    sc_trace(tf, pf.irq0, "uart0_intr");
    sc_trace(tf, pf.irq1, "uart1_intr");
    sc_trace(tf, pf.hirq, "hpet_irq2");

    sc_start();
    sc_close_vcd_trace_file(tf);

    const size_t n = sizeof(message) - 1;
    const double frame_s = cpu::frame_seconds();
    double took = c.took();
    std::printf("uart0 -> uart1: \"%s\" (%zu of %zu characters)\n",
                c.received.c_str(), c.received.size(), n);
    std::printf("  first queued at %s, last read at %s: %.6f s for %zu "
                "frames of %.3f us (line time %.6f s)\n",
                c.sent_first.to_string().c_str(),
                c.received_last.to_string().c_str(), took, n, frame_s * 1e6,
                frame_s * double(n));
    std::printf("  interrupts: uart0 %u (TX refill), uart1 %u (RX/RT)\n",
                c.uart0_irqs, c.uart1_irqs);
    std::printf("hpet: %u timer-0 interrupts in %s (1 kHz periodic)\n",
                c.hpet_irqs, sc_time_stamp().to_string().c_str());
    std::printf("  main counter %llu at the end (debug read), wrapper "
                "wake-ups: hpet %llu, uart0 %llu, "
                "uart1 %llu\n",
                (unsigned long long)c.counter_at_end,
                (unsigned long long)pf.hpet.stats().wakeups,
                (unsigned long long)pf.uart0.stats().wakeups,
                (unsigned long long)pf.uart1.stats().wakeups);
    std::printf("VCD: %s.vcd\n", vcd_name);

    return c.check(stderr) ? 0 : 1;
}
