/* SPDX-License-Identifier: MIT */
/*
 * Co-simulation comparison on synthetic records of a made-up device: equal
 * records do not diverge; each kind of difference is found, the earliest
 * one is reported, and the message names the tick, the item and both
 * values.
 */
#include "check.h"
#include "hdm_bench/cosim.h"

#include <stdint.h>
#include <string.h>

static const hdm_bench_signal_desc_t sigs[] = {
    { "A", HDM_BENCH_SIG_IRQ, 0, "irq", 0, false },
    { "TXD", HDM_BENCH_SIG_OUTPUT, 0, "serial", HDM_BENCH_CAP_PIN_TX, true },
    { "IN", HDM_BENCH_SIG_INPUT, 0, "serial", 0, true },
};

static void tb(const uint64_t *cfg, hdm_bench_timebase_t *t)
{
    (void)cfg;
    t->clock_hz = 1000;
    t->ps_num = 1000000000;
    t->ps_den = 1;
}

static const hdm_bench_device_t dev = {
    .name = "fake",
    .mmio_size = 16,
    .max_access_size = 4,
    .signals = sigs,
    .nsignals = 3,
    .frame_max_bits = 8,
    .timebase = tb,
};

enum { A, TXD };

/* The same base record on both sides. */
static void base(hdm_bench_trace_t *t)
{
    hdm_bench_trace_init(t, &dev);
    hdm_bench_trace_set_initial(t, TXD, true);
    hdm_bench_trace_level(t, A, true, 10);
    hdm_bench_trace_level(t, A, false, 20);
    hdm_bench_access_t acc = { 15, 0x90, 0x18, 7, HDM_OK, 4, false, false };
    hdm_bench_trace_access(t, &acc);
    hdm_bench_frame_t f = { 30, 40, 0x41, 0, 8 };
    hdm_bench_trace_frame(t, &f);
    hdm_bench_trace_msi(t, 0xFEE00000u, 0x31, 50);
}

static bool diverge(hdm_bench_trace_t *x, hdm_bench_trace_t *y, uint32_t caps,
                    char *msg)
{
    return hdm_bench_cosim_diverge(x, y, caps, "core", "sc", msg, 512);
}

static void test_equal(void)
{
    hdm_bench_trace_t x, y;
    char msg[512];
    base(&x);
    base(&y);
    CHECK(!diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK(msg[0] == '\0');
    hdm_bench_trace_free(&x);
    hdm_bench_trace_free(&y);
}

static void test_signal(void)
{
    hdm_bench_trace_t x, y;
    char msg[512];
    base(&x);
    base(&y);
    hdm_bench_trace_level(&y, A, true, 25); /* one more edge */
    CHECK(diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK_STR(msg, "tick 25: signal A: core=0 sc=1");
    hdm_bench_trace_free(&y);

    /* A pulse within one tick differs although the levels agree. */
    base(&y);
    hdm_bench_trace_level(&x, TXD, false, 5);
    hdm_bench_trace_level(&x, TXD, true, 5);
    CHECK(diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK_STR(msg, "tick 5: signal TXD: core changes 2 times, sc 0 times");
    /* ... unless TXD needs a capability one target lacks. */
    CHECK(!diverge(&x, &y, HDM_BENCH_CAP_ALL & ~HDM_BENCH_CAP_PIN_TX, msg));
    hdm_bench_trace_free(&x);
    hdm_bench_trace_free(&y);
}

static void test_access(void)
{
    hdm_bench_trace_t x, y;
    char msg[512];
    base(&x);
    base(&y);
    y.acc[0].value = 0x80;
    CHECK(diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK_STR(msg, "tick 15: read of 0x018 size 4 (line 7): core=0x90 OK, "
                   "sc=0x80 OK");
    y.acc[0].value = 0x90;
    y.acc[0].status = HDM_E_UNMAPPED;
    CHECK(diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK_STR(msg, "sc=0x90 UNMAPPED");
    hdm_bench_trace_free(&x);
    hdm_bench_trace_free(&y);
}

static void test_frame_msi_earliest(void)
{
    hdm_bench_trace_t x, y;
    char msg[512];
    base(&x);
    base(&y);
    y.frames[0].f.data = 0x42;
    y.msi[0].data = 0x32;
    CHECK(diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK_STR(msg, "tick 30: frame 0: core=0x41 [30, 40]");
    CHECK_STR(msg, "sc=0x42");
    y.frames[0].f.data = 0x41;
    CHECK(diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK_STR(msg, "tick 50: bus write 0: core=0x31->0xfee00000 at 50, "
                   "sc=0x32->0xfee00000 at 50");
    /* The earliest of several differences wins. */
    hdm_bench_trace_level(&y, A, true, 45);
    CHECK(diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK_STR(msg, "tick 45: signal A");
    hdm_bench_trace_free(&y);
    /* A missing frame is a count difference at its start. */
    base(&y);
    hdm_bench_frame_t f = { 60, 70, 0x43, 0, 8 };
    hdm_bench_trace_frame(&y, &f);
    CHECK(diverge(&x, &y, HDM_BENCH_CAP_ALL, msg));
    CHECK_STR(msg, "tick 60: frame count: core=1 sc=2");
    hdm_bench_trace_free(&x);
    hdm_bench_trace_free(&y);
}

int main(void)
{
    test_equal();
    test_signal();
    test_access();
    test_frame_msi_earliest();
    return check_done("test_cosim");
}
