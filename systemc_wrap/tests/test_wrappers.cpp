// SPDX-License-Identifier: MIT
//
// Unit test of the SystemC wrappers beyond what the conformance vectors see
// (those run through the bench's SystemC target): TLM status mapping and
// payload checks, DMI refusal, side-effect-free transport_dbg, timing
// annotation and access latency, temporal decoupling (late accesses),
// lock-step clock vs event-driven timing, snapshot restore into a second
// instance, FSB messages through the initiator socket, unbound ports, and a
// refused configuration. One elaboration hosts every case; a sequencer
// thread runs them in order. Exit status 1 with a message per failed check.
#include "hdm/systemc/hpet_tlm.h"
#include "hdm/systemc/pl011_tlm.h"

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdio>
#include <cstring>
#include <vector>

using namespace sc_core;

namespace
{

int failures = 0;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            std::fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__,        \
                         __LINE__, #cond);                                     \
            std::fprintf(stderr, __VA_ARGS__);                                 \
            std::fprintf(stderr, "\n");                                        \
            failures++;                                                        \
        }                                                                      \
    } while (0)

struct result {
    tlm::tlm_response_status resp;
    int status;
    uint64_t value;
    sc_time delay;
    bool dmi;
};

// An initiator with one socket per device under test.
struct tester : sc_module {
    tlm_utils::simple_initiator_socket<tester> to_a, to_b, to_lock, to_hpet,
        to_bad;
    hdm::pl011_tlm *a = nullptr, *b = nullptr, *lock = nullptr;
    hdm::hpet_tlm *hpet = nullptr;
    std::vector<hdm::pl011_tlm::frame> frames_a, frames_b, frames_lock;
    std::vector<std::pair<uint64_t, uint32_t>> msis;
    std::vector<sc_time> msi_times;

    SC_HAS_PROCESS(tester);
    explicit tester(sc_module_name n)
        : sc_module(n), to_a("to_a"), to_b("to_b"), to_lock("to_lock"),
          to_hpet("to_hpet"), to_bad("to_bad")
    {
        SC_THREAD(run);
    }

    result xfer(tlm_utils::simple_initiator_socket<tester> &s,
                tlm::tlm_command cmd, uint64_t addr, unsigned len,
                uint64_t value = 0, sc_time delay = SC_ZERO_TIME,
                unsigned char *be = nullptr, unsigned be_len = 0,
                unsigned width = 0, bool debug = false)
    {
        tlm::tlm_generic_payload p;
        hdm::status_extension ext;
        unsigned char buf[16] = { 0 };
        std::memcpy(buf, &value, 8);
        p.set_command(cmd);
        p.set_address(addr);
        p.set_data_ptr(buf);
        p.set_data_length(len);
        p.set_streaming_width(width ? width : len);
        p.set_byte_enable_ptr(be);
        p.set_byte_enable_length(be_len);
        p.set_dmi_allowed(true);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        p.set_extension(&ext);
        ext.status = 99;
        if (debug) {
            s->transport_dbg(p);
        } else {
            s->b_transport(p, delay);
        }
        p.clear_extension(&ext);
        result r;
        r.resp = p.get_response_status();
        r.status = ext.status;
        r.value = 0;
        std::memcpy(&r.value, buf, len <= 8 ? len : 8);
        r.delay = delay;
        r.dmi = p.is_dmi_allowed();
        return r;
    }
    result rd(tlm_utils::simple_initiator_socket<tester> &s, uint64_t addr,
              unsigned len = 4)
    {
        return xfer(s, tlm::TLM_READ_COMMAND, addr, len);
    }
    void wr(tlm_utils::simple_initiator_socket<tester> &s, uint64_t addr,
            uint64_t v, unsigned len = 4)
    {
        result r = xfer(s, tlm::TLM_WRITE_COMMAND, addr, len, v);
        CHECK(r.resp == tlm::TLM_OK_RESPONSE && r.status == HDM_OK,
              "write 0x%llx: %s", (unsigned long long)addr,
              hdm_status_name(r.status));
    }

    void uart_setup(tlm_utils::simple_initiator_socket<tester> &s)
    {
        wr(s, 0x024, 13); // 115200 at 24 MHz
        wr(s, 0x028, 1);
        wr(s, 0x02C, 0x70);  // 8N1, FIFOs
        wr(s, 0x030, 0x301); // UARTEN, TXE, RXE
    }

    void test_status_mapping()
    {
        using tlm::TLM_READ_COMMAND;
        using tlm::TLM_WRITE_COMMAND;
        result r = rd(to_a, 0x018);
        CHECK(r.resp == tlm::TLM_OK_RESPONSE && r.status == HDM_OK &&
                  r.value == 0x90,
              "UARTFR reset: resp %d status %d value 0x%llx", r.resp, r.status,
              (unsigned long long)r.value);
        CHECK(!r.dmi, "b_transport must clear the DMI hint");
        r = rd(to_a, 0x0F00); // reserved
        CHECK(r.resp == tlm::TLM_ADDRESS_ERROR_RESPONSE &&
                  r.status == HDM_E_UNMAPPED,
              "reserved offset: resp %d status %d", r.resp, r.status);
        r = rd(to_a, 0x100000); // beyond the block
        CHECK(r.resp == tlm::TLM_ADDRESS_ERROR_RESPONSE,
              "beyond the block: resp %d", r.resp);
        r = rd(to_a, 0x018, 3);
        CHECK(r.resp == tlm::TLM_BURST_ERROR_RESPONSE &&
                  r.status == HDM_E_BAD_SIZE,
              "3-byte read: resp %d status %d", r.resp, r.status);
        r = rd(to_a, 0x019, 2);
        CHECK(r.resp == tlm::TLM_ADDRESS_ERROR_RESPONSE &&
                  r.status == HDM_E_BAD_ALIGN,
              "misaligned read: resp %d status %d", r.resp, r.status);
        r = xfer(to_a, TLM_WRITE_COMMAND, 0x018, 4, 0xFF);
        CHECK(r.resp == tlm::TLM_OK_RESPONSE && r.status == HDM_E_READ_ONLY,
              "write to UARTFR: resp %d status %d", r.resp, r.status);
        r = rd(to_a, 0x044); // UARTICR is write-only
        CHECK(r.resp == tlm::TLM_OK_RESPONSE && r.status == HDM_E_WRITE_ONLY &&
                  r.value == 0,
              "read of UARTICR: resp %d status %d", r.resp, r.status);
        unsigned char be[4] = { 0xFF, 0, 0xFF, 0 };
        r = xfer(to_a, TLM_READ_COMMAND, 0x018, 4, 0, SC_ZERO_TIME, be, 4);
        CHECK(r.resp == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
              "byte enables: resp %d", r.resp);
        r = xfer(to_a, TLM_READ_COMMAND, 0x018, 4, 0, SC_ZERO_TIME, nullptr, 0,
                 1);
        CHECK(r.resp == tlm::TLM_BURST_ERROR_RESPONSE,
              "streaming width 1: resp %d", r.resp);
        r = rd(to_a, 0x000, 16);
        CHECK(r.resp == tlm::TLM_BURST_ERROR_RESPONSE, "16-byte burst: resp %d",
              r.resp);
        r = xfer(to_a, tlm::TLM_IGNORE_COMMAND, 0x000, 4);
        CHECK(r.resp == tlm::TLM_OK_RESPONSE, "ignore command: resp %d",
              r.resp);

        tlm::tlm_generic_payload p;
        tlm::tlm_dmi dmi;
        p.set_address(0);
        p.set_command(tlm::TLM_READ_COMMAND);
        CHECK(!to_a->get_direct_mem_ptr(p, dmi), "DMI must be refused");
    }

    void test_debug_access()
    {
        // A character received by a; debug reads of DR do not pop it. The
        // lock-step twin of a is set up at the same tick (same Baud16
        // phase) for test_lockstep_and_restore().
        uart_setup(to_a);
        uart_setup(to_lock);
        CHECK(a->receive(0x5A) == HDM_OK, "receive refused");
        result d1 = xfer(to_a, tlm::TLM_READ_COMMAND, 0x000, 4, 0, SC_ZERO_TIME,
                         nullptr, 0, 0, true);
        result d2 = xfer(to_a, tlm::TLM_READ_COMMAND, 0x000, 4, 0, SC_ZERO_TIME,
                         nullptr, 0, 0, true);
        result fr = rd(to_a, 0x018);
        CHECK(d1.value == 0x5A && d2.value == 0x5A && !(fr.value & 0x10),
              "debug DR reads 0x%llx 0x%llx, FR 0x%llx (RXFE must be 0)",
              (unsigned long long)d1.value, (unsigned long long)d2.value,
              (unsigned long long)fr.value);
        result dr = rd(to_a, 0x000);
        fr = rd(to_a, 0x018);
        CHECK(dr.value == 0x5A && (fr.value & 0x10),
              "normal DR read 0x%llx, FR 0x%llx (RXFE must be 1)",
              (unsigned long long)dr.value, (unsigned long long)fr.value);
    }

    void test_annotation()
    {
        // HPET at 100 MHz: enable at t, read MAIN_CNT with 1 ms annotated.
        hpet->access_latency = sc_time(20, SC_NS);
        result r = xfer(to_hpet, tlm::TLM_WRITE_COMMAND, 0x010, 4, 1);
        CHECK(r.status == HDM_OK && r.delay == sc_time(20, SC_NS),
              "enable: status %d delay %s", r.status,
              r.delay.to_string().c_str());
        r = xfer(to_hpet, tlm::TLM_READ_COMMAND, 0x0F0, 8, 0,
                 sc_time(1, SC_MS));
        CHECK(r.value == 100000,
              "MAIN_CNT 1 ms after enabling: %llu, expected 100000",
              (unsigned long long)r.value);
        CHECK(r.delay == sc_time(1, SC_MS) + sc_time(20, SC_NS),
              "returned delay %s, expected 1 ms + 20 ns",
              r.delay.to_string().c_str());
        // A second initiator behind the first (delay 0 after the core ran
        // 1 ms ahead): applied at the core's time, counted as late.
        uint64_t late = hpet->stats().late_accesses;
        r = xfer(to_hpet, tlm::TLM_READ_COMMAND, 0x0F0, 8);
        CHECK(r.status == HDM_OK && r.value == 100000 &&
                  hpet->stats().late_accesses == late + 1,
              "late access: status %d value %llu late %llu", r.status,
              (unsigned long long)r.value,
              (unsigned long long)hpet->stats().late_accesses);
        wait(sc_time(1, SC_MS) + sc_time(1, SC_US));
        r = rd(to_hpet, 0x0F0, 8);
        CHECK(r.value == 100100, "MAIN_CNT after waiting 1.001 ms: %llu",
              (unsigned long long)r.value);
        hpet->access_latency = SC_ZERO_TIME;
        wr(to_hpet, 0x010, 0, 4);
    }

    void test_fsb()
    {
        // Timer 2 has FSB capability in this configuration: one-shot FSB
        // interrupt at counter + 500 (5 us).
        wr(to_hpet, 0x0F0, 0, 8);
        wr(to_hpet, 0x150, 0xFEE00000ull << 32 | 0x41, 8); // T2 FSB route
        wr(to_hpet, 0x140, (1u << 14) | (1u << 2), 8);     // FSB_EN, INT_ENB
        wr(to_hpet, 0x148, 500, 8);
        sc_time start = sc_time_stamp();
        wr(to_hpet, 0x010, 1, 4);
        wait(sc_time(10, SC_US));
        CHECK(msis.size() == 1 && msis[0].first == 0xFEE00000ull &&
                  msis[0].second == 0x41,
              "%zu FSB messages (first 0x%llx <- 0x%x)", msis.size(),
              msis.empty() ? 0ull : (unsigned long long)msis[0].first,
              msis.empty() ? 0u : msis[0].second);
        if (!msi_times.empty()) {
            CHECK(msi_times[0] - start == sc_time(5, SC_US),
                  "FSB message %s after enabling, expected 5 us",
                  (msi_times[0] - start).to_string().c_str());
        }
        wr(to_hpet, 0x010, 0, 4);
    }

    void test_lockstep_and_restore()
    {
        // a: event-driven; lock: clocked by an sc_clock of the same period.
        // Both send 'U' 'h' at the same tick; frames must match in ticks.
        uart_setup(to_b);
        wr(to_a, 0x000, 'U');
        wr(to_lock, 0x000, 'U');
        wr(to_a, 0x000, 'h');
        wr(to_lock, 0x000, 'h');
        // Halfway through the first frame: snapshot a into b.
        wait(sc_time(40, SC_US));
        a->sync();
        hdm_pl011_snapshot_t snap;
        a->save(snap);
        CHECK(b->restore(snap) == HDM_OK, "restore refused");
        hdm_pl011_snapshot_t bad = snap;
        bad.state.tx_count = 200;
        hdm_pl011_snapshot_t before;
        b->save(before);
        CHECK(b->restore(bad) == HDM_E_CORRUPT, "corrupt snapshot accepted");
        hdm_pl011_snapshot_t after;
        b->save(after);
        CHECK(std::memcmp(&before, &after, sizeof(before)) == 0,
              "refused restore changed the device");
        wait(sc_time(300, SC_US));
        CHECK(frames_a.size() == 2 && frames_lock.size() == 2,
              "frames: a %zu, lock-step %zu", frames_a.size(),
              frames_lock.size());
        for (size_t i = 0; i < frames_a.size() && i < frames_lock.size(); i++) {
            const hdm_pl011_frame_t &x = frames_a[i].core,
                                    &y = frames_lock[i].core;
            CHECK(x.data == y.data && x.start == y.start && x.end == y.end,
                  "frame %zu: event-driven 0x%x [%llu,%llu], lock-step "
                  "0x%x [%llu,%llu] (offset %llu)",
                  i, x.data, (unsigned long long)x.start,
                  (unsigned long long)x.end, y.data,
                  (unsigned long long)y.start, (unsigned long long)y.end,
                  (unsigned long long)lock_offset);
        }
        // b took over mid-frame: it finishes the same two frames at the
        // same ticks as a (restore re-armed its wake-up event).
        CHECK(frames_b.size() == 2, "restored instance sent %zu frames",
              frames_b.size());
        for (size_t i = 0; i < frames_b.size() && i < frames_a.size(); i++) {
            CHECK(frames_b[i].core.start == frames_a[i].core.start &&
                      frames_b[i].core.end == frames_a[i].core.end &&
                      frames_b[i].core.data == frames_a[i].core.data,
                  "restored frame %zu differs", i);
        }
        CHECK(b_txd_changes > 0, "the restored instance's txd never moved");
    }

    void run()
    {
        result fb = rd(to_bad, 0x018);
        CHECK(fb.status == HDM_OK && fb.value == 0x90,
              "device with a refused configuration: FR 0x%llx",
              (unsigned long long)fb.value);
        test_status_mapping();
        test_debug_access();
        test_annotation();
        test_fsb();
        // The sc_clock's period is the 24 MHz period rounded to 41667 ps;
        // after ~1 ms the tick counts still agree (the drift is 8 ns).
        lock_offset =
            hdm_pl011_now(&lock->core()) - a->clock().tick_at(sc_time_stamp());
        CHECK(lock_offset == 0, "lock-step tick count off by %llu",
              (unsigned long long)lock_offset);
        test_lockstep_and_restore();
        sc_stop();
    }

    uint64_t lock_offset = 0;
    unsigned b_txd_changes = 0;
};

struct txd_watch : sc_module {
    sc_in<bool> in;
    unsigned *count;
    SC_HAS_PROCESS(txd_watch);
    txd_watch(sc_module_name n, unsigned *c) : sc_module(n), in("in"), count(c)
    {
        SC_METHOD(seen);
        sensitive << in;
        dont_initialize();
    }
    void seen()
    {
        (*count)++;
    }
};

struct msi_target : sc_module {
    tlm_utils::simple_target_socket<msi_target> socket;
    tester *t;
    msi_target(sc_module_name n, tester *tt) : sc_module(n), socket("s"), t(tt)
    {
        socket.register_b_transport(this, &msi_target::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &d)
    {
        uint32_t v = 0;
        std::memcpy(&v, p.get_data_ptr(), 4);
        t->msis.push_back({ p.get_address(), v });
        t->msi_times.push_back(sc_time_stamp() + d);
        p.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

} // namespace

// clock_map is exact both ways, also through its one-tick cache: compare
// with the plain formula on ascending, repeated and jumping times.
void test_clock_map()
{
    const uint64_t rates[] = { 24000000, 14318180, 3, 1000000000000ull };
    for (uint64_t hz : rates) {
        hdm::clock_map m = hdm::clock_map::from_hz(hz);
        const uint64_t unit = sc_time(1, SC_SEC).value(); // per second
        uint64_t x = 0x9E3779B97F4A7C15ull;
        for (unsigned i = 0; i < 20000; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            uint64_t v;
            switch (i % 4) {
            case 0:
                v = x % (unit * 4000);
                break; // jump
            case 1:
                v = i * 7ull;
                break; // ascending
            case 2:
                v = (x % 1000) + unit;
                break; // near 1 s
            default:
                v = x % 100;
                break; // tiny
            }
            unsigned __int128 want = (unsigned __int128)v * hz / unit;
            uint64_t got = m.tick_at(sc_time::from_value(v));
            CHECK(got == uint64_t(want),
                  "%llu Hz: tick_at(%llu) = %llu, "
                  "expected %llu",
                  (unsigned long long)hz, (unsigned long long)v,
                  (unsigned long long)got, (unsigned long long)uint64_t(want));
            if (i < 2000) {
                // ticks whose time is representable (2^64 units)
                uint64_t k = x % (hz < 100 ? hz * 1000000 : 100000000ull);
                CHECK(m.tick_at(m.time_of(k)) == k &&
                          (k == 0 || m.time_of(k) == m.time_of(k - 1) ||
                           m.tick_at(sc_time::from_value(m.time_of(k).value() -
                                                         1)) == k - 1),
                      "%llu Hz: round trip of tick %llu",
                      (unsigned long long)hz, (unsigned long long)k);
            }
        }
    }
}

int sc_main(int, char **)
{
    test_clock_map();

    // A refused configuration: reported, and the device falls back to the
    // defaults and keeps working.
    sc_report_handler::set_actions("hdm/pl011", SC_ERROR, SC_DISPLAY);
    hdm::pl011_tlm::config bad;
    bad.quirks = 0x80000000u;
    hdm::pl011_tlm badcfg("badcfg", bad);
    CHECK(sc_report_handler::get_count("hdm/pl011") == 1,
          "a bad configuration must be reported once");
    CHECK(badcfg.core().cfg.quirks == 0, "fallback configuration not used");

    hdm::pl011_tlm a("a"), b("b");
    hdm::pl011_tlm lock("lock", sc_time(41667, SC_PS));
    hdm::hpet_tlm::config hc;
    hc.core.timer[2].fsb = true;
    hdm::hpet_tlm hpet("hpet", hc);
    sc_clock clk("clk", sc_time(41667, SC_PS));
    lock.clk(clk);
    sc_signal<bool> btxd("btxd", true);
    b.txd(btxd);

    tester t("tester");
    t.a = &a;
    t.b = &b;
    t.lock = &lock;
    t.hpet = &hpet;
    t.to_a.bind(a.socket);
    t.to_b.bind(b.socket);
    t.to_lock.bind(lock.socket);
    t.to_hpet.bind(hpet.socket);
    t.to_bad.bind(badcfg.socket);
    msi_target mt("msi", &t);
    hpet.msi.bind(mt.socket);
    txd_watch w("w", &t.b_txd_changes);
    w.in(btxd);
    a.on_frame = [&t](const hdm::pl011_tlm::frame &f) {
        t.frames_a.push_back(f);
    };
    b.on_frame = [&t](const hdm::pl011_tlm::frame &f) {
        t.frames_b.push_back(f);
    };
    lock.on_frame = [&t](const hdm::pl011_tlm::frame &f) {
        t.frames_lock.push_back(f);
    };
    // badcfg has every pin unbound (tie-offs) and still elaborates.
    sc_start();
    CHECK(lock.lockstep() && !a.lockstep(), "lock-step detection");
    if (failures) {
        std::fprintf(stderr, "test_wrappers: %d check(s) failed\n", failures);
        return 1;
    }
    std::printf("test_wrappers: all checks passed\n");
    return 0;
}
