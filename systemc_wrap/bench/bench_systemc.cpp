// SPDX-License-Identifier: MIT
//
// bench_systemc: host speed of the SystemC wrappers (hdm::pl011_tlm,
// hdm::hpet_tlm).
//
// Not a test: it is never registered with CTest. Run it through the
// `bench-systemc` target (docs/performance.md, "SystemC wrappers"). The
// measurement kernel is the core benchmarks' (c_core/bench/bench_common.c):
// each metric is a batch of N units, N calibrated so that every batch takes
// >= --min-ms of wall time; --reps interleaved rounds, one batch of every
// metric per round; medians and minima over the rounds, ratios to the
// baselines taken per round.
//
// One elaboration hosts every scenario: all modules are instantiated once
// and the scenarios run one after the other in a single sc_start(), driven
// by the SC_THREAD `bench` (which runs the measurement kernel). Between its
// runs, a scenario has no event scheduled, so each batch times only its own
// scenario.
//
// Metrics
//   mem-read     baseline: b_transport 4-byte read from a minimal memory
//                target (a simple_target_socket whose b_transport memcpy's
//                from an array and sets TLM_OK_RESPONSE).
//   fr-read      the same read of UARTFR (0x018) from an hdm::pl011_tlm
//                (24 MHz UARTCLK, 115200 8N1, FIFOs on, enabled, idle).
//   cnt-read     an 8-byte read of MAIN_CNT (0x0F0) from an hdm::hpet_tlm
//                (default configuration, counter enabled, timers off).
//                All three: the same initiator loop, one payload reused, LT
//                with temporal decoupling (tlm_quantumkeeper, 1 ns per
//                access, global quantum 1 s): no wait() between calls.
//   event-loop   baseline: the same SystemC kernel running an empty 1 kHz
//                sc_event loop (one thread, notify(1 ms) + wait) for
//                1.0005 simulated seconds.
//   platform     the example platform (systemc_wrap/examples/platform.h:
//                two PL011s at 115200 wired TXD<->RXD exchanging a message
//                with interrupts, HPET timer 0 periodic at 1 kHz counted)
//                for its 1.0005 simulated seconds; every run is checked.
#include "platform.h"

#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdio>
#include <cstring>

extern "C" {
#include "bench_common.h"
}

#ifndef HDM_BENCH_CXX_FLAGS
#define HDM_BENCH_CXX_FLAGS "?"
#endif

namespace
{

using namespace sc_core;

constexpr uint32_t uartfr = 0x018, main_cnt = 0x0F0;
constexpr uint32_t fr_idle = 0x90; // TXFE | RXFE

// Baseline target: an array behind a simple_target_socket.
struct mem_target : sc_module {
    tlm_utils::simple_target_socket<mem_target> socket;
    unsigned char mem[0x1008]; // 0x1000 + room for 8 bytes

    explicit mem_target(sc_module_name n) : sc_module(n), socket("socket")
    {
        std::memset(mem, 0, sizeof(mem));
        socket.register_b_transport(this, &mem_target::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &delay)
    {
        (void)delay;
        std::memcpy(p.get_data_ptr(), mem + (p.get_address() & 0xFFF),
                    p.get_data_length());
        p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

// Empty 1 kHz event loop, run for `runs` x workload_time() on go.
struct ticker : sc_module {
    sc_event go, done, tick;
    uint64_t runs = 0, ticks = 0;

    SC_HAS_PROCESS(ticker);
    explicit ticker(sc_module_name n) : sc_module(n)
    {
        SC_THREAD(run);
    }
    void run()
    {
        const sc_time ms(1, SC_MS);
        for (;;) {
            wait(go);
            for (uint64_t i = 0; i < runs; i++) {
                const sc_time end =
                    sc_time_stamp() + hdm_example::workload_time();
                while (sc_time_stamp() < end) {
                    sc_time left = end - sc_time_stamp();
                    tick.notify(left < ms ? left : ms);
                    wait(tick);
                    ticks++;
                }
            }
            done.notify();
        }
    }
};

struct bench;

// One register-read series: a socket, the payload it reuses, the results.
struct read_ctx {
    bench *b;
    tlm_utils::simple_initiator_socket<bench> *sock;
    tlm::tlm_generic_payload p;
    uint64_t buf = 0;
    uint64_t calls = 0, bad = 0;
    uint64_t first = 0, last = 0, orv = 0, andv = ~uint64_t(0);
    bool have_first = false;
};

// The initiator and driver of every scenario.
struct bench : sc_module {
    tlm_utils::simple_initiator_socket<bench> to_mem, to_uart, to_hpet;
    tlm_utils::tlm_quantumkeeper qk;
    read_ctx mem_rd, fr_rd, cnt_rd;
    hdm_example::cpu *cpu = nullptr;
    ticker *tk = nullptr;
    uint64_t syncs = 0;
    bool done = false; // the rounds ran to the end

    SC_HAS_PROCESS(bench);
    explicit bench(sc_module_name n)
        : sc_module(n), to_mem("to_mem"), to_uart("to_uart"), to_hpet("to_hpet")
    {
        SC_THREAD(run);
        set_stack_size(1u << 20); // runs the measurement kernel (printf)
    }

    void setup(read_ctx &c, tlm_utils::simple_initiator_socket<bench> &s,
               uint32_t addr, unsigned len)
    {
        c.b = this;
        c.sock = &s;
        c.p.set_command(tlm::TLM_READ_COMMAND);
        c.p.set_address(addr);
        c.p.set_data_ptr(reinterpret_cast<unsigned char *>(&c.buf));
        c.p.set_data_length(len);
        c.p.set_streaming_width(len);
        c.p.set_byte_enable_ptr(nullptr);
        c.p.set_dmi_allowed(false);
    }

    // Programming accesses (not timed).
    void write(tlm_utils::simple_initiator_socket<bench> &s, uint32_t addr,
               uint64_t v, unsigned len)
    {
        tlm::tlm_generic_payload p;
        p.set_command(tlm::TLM_WRITE_COMMAND);
        p.set_address(addr);
        p.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        p.set_data_length(len);
        p.set_streaming_width(len);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = SC_ZERO_TIME;
        s->b_transport(p, d);
        if (!p.is_response_ok()) {
            std::fprintf(stderr, "bench_systemc: write 0x%x failed\n",
                         unsigned(addr));
            std::exit(2);
        }
    }

    // The timed loop: n reads, LT with temporal decoupling.
    static void w_read(void *ctx, uint64_t n)
    {
        read_ctx *c = static_cast<read_ctx *>(ctx);
        tlm_utils::tlm_quantumkeeper &qk = c->b->qk;
        tlm::tlm_generic_payload &p = c->p;
        auto &sock = *c->sock;
        const sc_time step(1, SC_NS);
        uint64_t bad = 0, orv = 0, andv = ~uint64_t(0), v = 0;
        for (uint64_t i = 0; i < n; i++) {
            p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_time delay = qk.get_local_time();
            sock->b_transport(p, delay);
            bad += p.is_response_ok() ? 0u : 1u;
            v = c->buf;
            orv |= v;
            andv &= v;
            qk.set(delay);
            qk.inc(step);
            if (qk.need_sync()) {
                qk.sync();
                c->b->syncs++;
            }
        }
        if (!c->have_first) {
            c->first = v;
            c->have_first = true;
        }
        c->last = v;
        c->calls += n;
        c->bad += bad;
        c->orv |= orv;
        c->andv &= andv;
    }

    static void w_platform(void *ctx, uint64_t n)
    {
        bench *b = static_cast<bench *>(ctx);
        b->cpu->runs = n;
        b->cpu->go.notify();
        sc_core::wait(b->cpu->done);
    }

    static void w_loop(void *ctx, uint64_t n)
    {
        bench *b = static_cast<bench *>(ctx);
        uint64_t before = b->platform_wakeups();
        b->tk->runs = n;
        b->tk->go.notify();
        sc_core::wait(b->tk->done);
        b->foreign_wakeups += b->platform_wakeups() - before;
    }

    // Wake-ups of the platform's devices (none while it is idle).
    uint64_t platform_wakeups() const;
    uint64_t foreign_wakeups = 0; // during event-loop batches

    void run();
};

// What the report needs after the rounds.
enum { M_MEM, M_FR, M_CNT, M_LOOP, M_PLAT, M_COUNT };
metric_t ms[M_COUNT];
hdm_example::platform *plat;
hdm::pl011_tlm *uart;
hdm::hpet_tlm *hpet;

uint64_t bench::platform_wakeups() const
{
    return plat->uart0.stats().wakeups + plat->uart1.stats().wakeups +
           plat->hpet.stats().wakeups;
}

void bench::run()
{
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(1, SC_SEC));
    qk.reset();

    // Standalone devices: UART as in bench-pl011 (enabled, idle, RX/RT
    // unmasked), HPET counter enabled.
    write(to_uart, 0x024, 13, 4);    // IBRD
    write(to_uart, 0x028, 1, 4);     // FBRD
    write(to_uart, 0x02C, 0x70, 4);  // LCR_H: 8N1, FIFOs
    write(to_uart, 0x030, 0x301, 4); // CR: UARTEN | TXE | RXE
    write(to_uart, 0x038, 0x50, 4);  // IMSC: RXIM | RTIM
    write(to_hpet, 0x010, 1, 4);     // GEN_CONF.ENABLE_CNF

    setup(mem_rd, to_mem, uartfr, 4);
    setup(fr_rd, to_uart, uartfr, 4);
    setup(cnt_rd, to_hpet, main_cnt, 8);

    ms[M_MEM].key = "mem-read";
    ms[M_MEM].fn = w_read;
    ms[M_MEM].ctx = &mem_rd;
    ms[M_FR].key = "fr-read";
    ms[M_FR].fn = w_read;
    ms[M_FR].ctx = &fr_rd;
    ms[M_CNT].key = "cnt-read";
    ms[M_CNT].fn = w_read;
    ms[M_CNT].ctx = &cnt_rd;
    ms[M_LOOP].key = "event-loop";
    ms[M_LOOP].fn = w_loop;
    ms[M_LOOP].ctx = this;
    ms[M_PLAT].key = "platform";
    ms[M_PLAT].fn = w_platform;
    ms[M_PLAT].ctx = this;
    for (int i = 0; i < M_COUNT; i++) {
        ms[i].on = selected(ms[i].key);
    }
    // figures that need a partner
    ms[M_MEM].on |= ms[M_FR].on || ms[M_CNT].on;
    ms[M_LOOP].on |= ms[M_PLAT].on;

    std::fprintf(stderr, "calibrating and timing (progress on stderr):\n");
    run_rounds(ms, M_COUNT);
    qk.sync();
    done = true;
    sc_stop();
}

bench *drv;
ticker *tick_mod;

void usage(const char *argv0)
{
    std::fprintf(
        stderr,
        "usage: %s [--reps N] [--min-ms MS] [--only KEY[,KEY...]]\n"
        "  --reps N    batches per metric (default 21; >= 15 for "
        "reportable figures)\n"
        "  --min-ms MS minimum wall time of every batch (default 20)\n"
        "  --only K    run metrics whose key contains K: mem-read fr-read\n"
        "              cnt-read event-loop platform\n",
        argv0);
}

void report()
{
    table_header();
    const int R = opt.reps;
    char ref[64];
    double qm, qb;
    auto med = [&](int i) { return median_of(ms[i].per, R); };
    auto mn = [&](int i) { return min_of(ms[i].per, R); };
    const char *verdict[2] = { nullptr, nullptr };
    double ratio[2] = { 0, 0 };
    if (ms[M_MEM].on) {
        row("baseline: memory target read", med(M_MEM), mn(M_MEM), "ns/access",
            "1.00x (reference)", "-", "-");
    }
    const struct {
        int m;
        const char *name;
    } reads[] = { { M_FR, "UARTFR read (pl011_tlm)" },
                  { M_CNT, "MAIN_CNT read, 64-bit (hpet_tlm)" } };
    for (int k = 0; k < 2; k++) {
        int m = reads[k].m;
        if (!ms[m].on) {
            continue;
        }
        paired_ratio(&ms[m], &ms[M_MEM], &qm, &qb);
        snprintf(ref, sizeof(ref), "%.2fx memory target (min %.2fx)", qm, qb);
        ratio[k] = qm;
        verdict[k] = qm <= 2.0 ? "goal met" : "goal missed";
        row(reads[k].name, med(m), mn(m), "ns/access", ref, "<= 2x mem",
            qm <= 2.0 ? "yes" : "NO");
    }
    const double sim_s = hdm_example::workload_time().to_seconds();
    if (ms[M_LOOP].on) {
        snprintf(ref, sizeof(ref), "1.00x (reference), %.2f ms wall/run",
                 med(M_LOOP) / 1e6);
        row("baseline: empty 1 kHz event loop", sim_s * 1e9 / med(M_LOOP),
            sim_s * 1e9 / mn(M_LOOP), "x real time", ref, "-", "-");
    }
    if (ms[M_PLAT].on) {
        paired_ratio(&ms[M_PLAT], &ms[M_LOOP], &qm, &qb);
        snprintf(ref, sizeof(ref), "%.1fx event loop wall (min %.1fx)", qm, qb);
        row("example platform workload", sim_s * 1e9 / med(M_PLAT),
            sim_s * 1e9 / mn(M_PLAT), "x real time", ref, "-", "-");
    }
    printf("\nbest = from the fastest batch (min time, i.e. max x real time); "
           "ratios are per round\n(metric batch / baseline batch of the same "
           "round), median and min over rounds;\ngoals are judged on the "
           "median. x real time = simulated seconds per wall second\n"
           "(one run = %.4f simulated s).\n",
           sim_s);
    for (int k = 0; k < 2; k++) {
        if (verdict[k]) {
            printf("%s: %.2fx the minimal memory target, goal <= 2x: %s\n",
                   reads[k].name, ratio[k], verdict[k]);
        }
    }
}

void checks()
{
    printf("\nchecks:\n");
    const struct {
        int m;
        read_ctx *c;
    } rd[] = { { M_MEM, &drv->mem_rd },
               { M_FR, &drv->fr_rd },
               { M_CNT, &drv->cnt_rd } };
    for (const auto &r : rd) {
        if (!ms[r.m].on) {
            continue;
        }
        const read_ctx &c = *r.c;
        bool ok = c.bad == 0 && c.calls > 0;
        if (r.m == M_CNT) {
            ok = ok && c.last > c.first;
            verify(ok, ms[r.m].key,
                   "%llu reads, %llu not OK; MAIN_CNT %llu -> %llu",
                   (unsigned long long)c.calls, (unsigned long long)c.bad,
                   (unsigned long long)c.first, (unsigned long long)c.last);
        } else {
            ok = ok && c.orv == fr_idle && c.andv == fr_idle;
            verify(ok, ms[r.m].key,
                   "%llu reads, %llu not OK, every value 0x%llx (expect "
                   "0x%x)",
                   (unsigned long long)c.calls, (unsigned long long)c.bad,
                   (unsigned long long)c.orv, fr_idle);
        }
    }
    if (ms[M_FR].on || ms[M_CNT].on) {
        verify(uart->stats().wakeups == 0 && hpet->stats().wakeups == 0 &&
                   uart->stats().late_accesses == 0 &&
                   hpet->stats().late_accesses == 0,
               "standalone",
               "pl011_tlm/hpet_tlm: %llu/%llu wake-ups, %llu/%llu late "
               "accesses; %llu quantum syncs",
               (unsigned long long)uart->stats().wakeups,
               (unsigned long long)hpet->stats().wakeups,
               (unsigned long long)uart->stats().late_accesses,
               (unsigned long long)hpet->stats().late_accesses,
               (unsigned long long)drv->syncs);
    }
    if (ms[M_LOOP].on) {
        verify(tick_mod->ticks > 0 && drv->foreign_wakeups == 0, "event-loop",
               "%llu events; %llu platform wake-ups during its batches",
               (unsigned long long)tick_mod->ticks,
               (unsigned long long)drv->foreign_wakeups);
    }
    if (ms[M_PLAT].on) {
        const hdm_example::cpu &c = plat->c;
        verify(c.runs_failed == 0 && c.runs_done > 0, "platform",
               "%llu runs (%.1f simulated s), %llu failed (message, line "
               "time, 1000 HPET interrupts, counter)",
               (unsigned long long)c.runs_done,
               double(c.runs_done) * hdm_example::workload_time().to_seconds(),
               (unsigned long long)c.runs_failed);
    }
}

} // namespace

int sc_main(int argc, char **argv)
{
    if (!bench_parse_args(argc, argv, usage)) {
        return 2;
    }
    bench_print_header(argc, argv);
    printf("C++ flags \"%s\", SystemC %s\n", HDM_BENCH_CXX_FLAGS,
           sc_core::sc_release());
    printf("devices: pl011_tlm 24 MHz UARTCLK, 115200 8N1, FIFOs, enabled, "
           "idle; hpet_tlm default config, counter enabled\n\n");
    fflush(stdout);
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);

    hdm_example::platform pf;
    plat = &pf;
    pf.c.serve = true;
    mem_target mt("mem");
    uint32_t idle = fr_idle;
    std::memcpy(mt.mem + uartfr, &idle, 4);
    hdm::pl011_tlm u("bench_uart");
    uart = &u;
    hdm::hpet_tlm h("bench_hpet");
    hpet = &h;
    ticker t("ticker");
    tick_mod = &t;
    bench b("bench");
    drv = &b;
    b.cpu = &pf.c;
    b.tk = &t;
    b.to_mem.bind(mt.socket);
    b.to_uart.bind(u.socket);
    b.to_hpet.bind(h.socket);

    sc_core::sc_start();
    if (!b.done) {
        std::fprintf(stderr, "bench_systemc: simulation ended early\n");
        return 2;
    }
    report();
    checks();
    return verify_failures ? 1 : 0;
}
