/* SPDX-License-Identifier: MIT */
/*
 * Expectation engine unit test on a synthetic trace of a made-up device:
 * each expectation kind is checked where it must pass and where it must
 * fail, and failures must say what differed.
 */
#include "check.h"
#include "hdm_bench/trace.h"

#include <stdint.h>
#include <string.h>

static const hdm_bench_signal_desc_t sigs[] = {
    { "A", HDM_BENCH_SIG_IRQ, 0, "irq", 0, false },
    { "B", HDM_BENCH_SIG_OUTPUT, 0, "serial", 0, false },
    { "IN", HDM_BENCH_SIG_INPUT, 0, "serial", 0, true },
};
static const char *const fflags[] = { "parity", "stop2", "break", NULL };

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
    .frame_flags = fflags,
    .timebase = tb,
};

enum { A, B, IN };

static void frame(hdm_bench_trace_t *t, uint32_t data, uint32_t flags,
                  uint64_t start, uint64_t end)
{
    hdm_bench_frame_t f = { start, end, data, flags, 8 };
    hdm_bench_trace_frame(t, &f);
}

static void test_levels(void)
{
    hdm_bench_trace_t t;
    char msg[512];
    CHECK(hdm_bench_trace_init(&t, &dev));
    /* Inputs start at their idle level, outputs at 0 until set. */
    CHECK(hdm_bench_expect_level(&t, IN, 1, 0, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_level(&t, A, 0, 0, msg, sizeof(msg)));
    hdm_bench_trace_level(&t, A, 1, 100);
    hdm_bench_trace_level(&t, A, 1, 120); /* no change: dropped */
    hdm_bench_trace_level(&t, A, 0, 200);
    CHECK_EQ_U(t.sig[A].nchanges, 2);

    CHECK(hdm_bench_expect_level(&t, A, 1, 150, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_level(&t, A, 1, 100, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_level(&t, A, 0, 200, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_level(&t, A, 0, 99, msg, sizeof(msg)));
    CHECK(!hdm_bench_expect_level(&t, A, 1, 99, msg, sizeof(msg)));
    CHECK_STR(msg, "expected A=1 at tick 99, was 0 (initial level");
    CHECK(!hdm_bench_expect_level(&t, A, 1, 2093, msg, sizeof(msg)));
    CHECK_STR(msg, "expected A=1 at tick 2093, was 0 (last change at tick "
                   "200)");
    CHECK(!hdm_bench_expect_level(&t, A, 0, 199, msg, sizeof(msg)));
    CHECK_STR(msg, "was 1 (last change at tick 100)");

    /* Edges: first change to LEVEL in (t0, t1]. */
    uint64_t at = 0;
    CHECK(hdm_bench_expect_edge(&t, A, 1, 0, 100, &at, msg, sizeof(msg)));
    CHECK_EQ_U(at, 100);
    CHECK(hdm_bench_expect_edge(&t, A, 1, 99, 5000, &at, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_edge(&t, A, 0, 100, 200, &at, msg, sizeof(msg)));
    CHECK_EQ_U(at, 200);
    CHECK(!hdm_bench_expect_edge(&t, A, 1, 100, 300, &at, msg, sizeof(msg)));
    CHECK_STR(msg, "expected an edge of A to 1 in (100, 300], none");
    CHECK_STR(msg, "A only changed to 0 (at tick 200)");
    CHECK_STR(msg, "last change to 1 before the window at tick 100");
    CHECK(!hdm_bench_expect_edge(&t, A, 0, 100, 199, &at, msg, sizeof(msg)));
    CHECK_STR(msg, "A stayed 1 (last change at tick 100)");
    CHECK_STR(msg, "next change to 0 at tick 200");
    CHECK(!hdm_bench_expect_edge(&t, A, 1, 0, 99, &at, msg, sizeof(msg)));
    CHECK_STR(msg, "next change to 1 at tick 100");
    CHECK(!hdm_bench_expect_edge(&t, IN, 0, 0, 1000, &at, msg, sizeof(msg)));
    CHECK_STR(msg, "IN stayed 1 (initial level");

    /* Stable: LEVEL throughout [t0, t1]. */
    CHECK(hdm_bench_expect_stable(&t, A, 1, 100, 199, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_stable(&t, A, 0, 200, 200, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_stable(&t, A, 0, 0, 99, msg, sizeof(msg)));
    CHECK(!hdm_bench_expect_stable(&t, A, 1, 100, 200, msg, sizeof(msg)));
    CHECK_STR(msg, "expected A=1 throughout [100, 200], changed to 0 at "
                   "tick 200");
    CHECK(!hdm_bench_expect_stable(&t, A, 1, 99, 150, msg, sizeof(msg)));
    CHECK_STR(msg, "was 0 at tick 99");
    CHECK(!hdm_bench_expect_stable(&t, A, 0, 0, 1000, msg, sizeof(msg)));
    CHECK_STR(msg, "changed to 1 at tick 100 (2 changes in the window)");

    /* A glitch (two changes at one tick) is seen by edges and stable. */
    hdm_bench_trace_level(&t, B, 1, 50);
    hdm_bench_trace_level(&t, B, 0, 50);
    CHECK_EQ_U(t.sig[B].nchanges, 2);
    CHECK(hdm_bench_expect_level(&t, B, 0, 50, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_edge(&t, B, 1, 49, 50, &at, msg, sizeof(msg)));
    CHECK(!hdm_bench_expect_stable(&t, B, 0, 0, 100, msg, sizeof(msg)));

    /* Late reports are inserted in tick order. */
    hdm_bench_trace_level(&t, B, 1, 300);
    hdm_bench_trace_level(&t, B, 0, 400);
    hdm_bench_trace_level(&t, A, 1, 150); /* A: 1@100, 0@200 already */
    CHECK(hdm_bench_expect_level(&t, A, 0, 250, msg, sizeof(msg)));
    hdm_bench_trace_free(&t);
}

static void test_frames(void)
{
    hdm_bench_trace_t t;
    hdm_bench_frame_t f;
    char msg[512];
    CHECK(hdm_bench_trace_init(&t, &dev));
    CHECK(!hdm_bench_expect_frame(&t, 0x55, false, 0, 0, 100, &f, msg,
                                  sizeof(msg)));
    CHECK_STR(msg, "no frame was transmitted at all");
    CHECK(hdm_bench_expect_no_frame(&t, 0, 100000, msg, sizeof(msg)));

    frame(&t, 0x56, 1, 1100, 2000);
    frame(&t, 0x55, 0, 100, 1000); /* reported late: sorted by end */
    frame(&t, 0x57, 2, 2000, 3000);

    /* Matching consumes frames in order. */
    CHECK(hdm_bench_expect_frame(&t, 0x55, false, 0, 0, 1500, &f, msg,
                                 sizeof(msg)));
    CHECK_EQ_U(f.start, 100);
    CHECK_EQ_U(f.end, 1000);
    CHECK(!hdm_bench_expect_frame(&t, 0x55, false, 0, 0, 1500, &f, msg,
                                  sizeof(msg)));
    CHECK_STR(msg, "expected frame 0x55 ending in (0, 1500], none: the 1 "
                   "frame in the window was already matched");
    CHECK_STR(msg, "next after: 0x56 (flags=parity) from tick 1100 to 2000");
    /* Window excludes t0: a frame ending at t0 is not in (t0, t1]. */
    CHECK(!hdm_bench_expect_frame(&t, 0x56, false, 0, 2000, 2999, &f, msg,
                                  sizeof(msg)));
    CHECK_STR(msg, "no frame ended in the window");
    CHECK_STR(msg, "last before: 0x56");
    /* Data mismatch: reported and consumed. */
    CHECK(!hdm_bench_expect_frame(&t, 0x41, false, 0, 1000, 2000, &f, msg,
                                  sizeof(msg)));
    CHECK_STR(msg, "expected frame 0x41 ending in (1000, 2000], got 0x56 "
                   "(flags=parity) from tick 1100 to 2000");
    CHECK(!hdm_bench_expect_frame(&t, 0x56, false, 0, 1000, 2000, &f, msg,
                                  sizeof(msg)));
    /* Flags: exact when given. */
    CHECK(!hdm_bench_expect_frame(&t, 0x57, true, 0, 2000, 3000, &f, msg,
                                  sizeof(msg)));
    CHECK_STR(msg, "expected frame 0x57 with flags=none ending in (2000, "
                   "3000], got 0x57 (flags=stop2)");
    hdm_bench_trace_free(&t);

    CHECK(hdm_bench_trace_init(&t, &dev));
    frame(&t, 0x57, 2, 2000, 3000);
    CHECK(hdm_bench_expect_frame(&t, 0x57, true, 2, 2000, 3000, &f, msg,
                                 sizeof(msg)));
    frame(&t, 0x1F, 3, 3000, 4000);
    CHECK(!hdm_bench_expect_frame(&t, 0x1F, true, 1, 3000, 4000, &f, msg,
                                  sizeof(msg)));
    CHECK_STR(msg, "got 0x1F (flags=parity,stop2)");
    /* No frame: any frame ending in the window, matched or not. */
    CHECK(hdm_bench_expect_no_frame(&t, 3000, 3999, msg, sizeof(msg)));
    CHECK(hdm_bench_expect_no_frame(&t, 4000, 9000, msg, sizeof(msg)));
    CHECK(!hdm_bench_expect_no_frame(&t, 2999, 4000, msg, sizeof(msg)));
    CHECK_STR(msg, "expected no frame ending in (2999, 4000], got 0x57 "
                   "(flags=stop2) from tick 2000 to 3000 and 1 more");
    hdm_bench_trace_free(&t);

    /* Only the low `bits` data bits count. */
    CHECK(hdm_bench_trace_init(&t, &dev));
    hdm_bench_frame_t f5 = { 0, 100, 0xFF, 0, 5 };
    hdm_bench_trace_frame(&t, &f5);
    CHECK(hdm_bench_expect_frame(&t, 0x1F, false, 0, 0, 100, &f, msg,
                                 sizeof(msg)));
    hdm_bench_trace_free(&t);
}

/* expect-msi / expect-no-msi: bus writes matched in order, by window. */
static void test_msi(void)
{
    hdm_bench_trace_t t;
    char msg[512];
    uint64_t at = 0;
    CHECK(hdm_bench_trace_init(&t, &dev));
    CHECK(!hdm_bench_expect_msi(&t, 0xFEE00000u, 0x41, 0, 100, &at, msg,
                                sizeof(msg)));
    CHECK_STR(msg, "the device issued no bus write at all");
    CHECK(hdm_bench_expect_no_msi(&t, 0, 100000, msg, sizeof(msg)));
    hdm_bench_observer_t o = hdm_bench_trace_observer(&t);
    o.bus_write(o.opaque, 0xFEE00000u, 0x41, 200);
    o.bus_write(o.opaque, 0xFEE00000u, 0x42, 100); /* late: sorted by tick */
    o.bus_write(o.opaque, 0xFEE01000u, 0x43, 200); /* same tick: stable */
    CHECK_EQ_U(t.nmsi, 3);
    CHECK(hdm_bench_expect_msi(&t, 0xFEE00000u, 0x42, 0, 100, &at, msg,
                               sizeof(msg)));
    CHECK_EQ_U(at, 100);
    /* the window excludes t0 */
    CHECK(!hdm_bench_expect_msi(&t, 0xFEE00000u, 0x41, 200, 300, &at, msg,
                                sizeof(msg)));
    CHECK_STR(msg, "expected bus write 0xFEE00000 <- 0x00000041 in (200, "
                   "300], none: no bus write in the window");
    CHECK_STR(msg, "last before: 0xFEE01000 <- 0x00000043 at tick 200");
    /* mismatch: reported and consumed */
    CHECK(!hdm_bench_expect_msi(&t, 0xFEE00000u, 0x43, 100, 200, &at, msg,
                                sizeof(msg)));
    CHECK_STR(msg, "got 0xFEE00000 <- 0x00000041 at tick 200");
    CHECK(hdm_bench_expect_msi(&t, 0xFEE01000u, 0x43, 100, 200, &at, msg,
                               sizeof(msg)));
    CHECK(!hdm_bench_expect_msi(&t, 0xFEE01000u, 0x43, 0, 200, &at, msg,
                                sizeof(msg)));
    CHECK_STR(msg, "the 3 writes in the window were already matched");
    /* expect-no-msi counts every write in the window, matched or not */
    CHECK(hdm_bench_expect_no_msi(&t, 200, 1000, msg, sizeof(msg)));
    CHECK(!hdm_bench_expect_no_msi(&t, 99, 200, msg, sizeof(msg)));
    CHECK_STR(msg, "expected no bus write in (99, 200], got 0xFEE00000 <- "
                   "0x00000042 at tick 100 and more");
    CHECK(!t.oom);
    hdm_bench_trace_free(&t);
}

static void test_record(void)
{
    hdm_bench_trace_t t;
    CHECK(hdm_bench_trace_init(&t, &dev));
    hdm_bench_observer_t o = hdm_bench_trace_observer(&t);
    o.level(o.opaque, B, 1, 7);
    hdm_bench_frame_t f = { 1, 2, 0x41, 0, 8 };
    o.frame(o.opaque, &f);
    o.fifo(o.opaque, 1, 0, 3);
    o.fifo(o.opaque, 1, 0, 4); /* unchanged: dropped */
    o.fifo(o.opaque, 0, 0, 5);
    hdm_bench_access_t a = { 9, 0x41, 0, 12, 0, 4, true, false };
    hdm_bench_trace_access(&t, &a);
    CHECK_EQ_U(t.sig[B].nchanges, 1);
    CHECK_EQ_U(t.nframes, 1);
    CHECK_EQ_U(t.nfifo, 2);
    CHECK_EQ_U(t.fifo[1].tick, 5);
    CHECK_EQ_U(t.nacc, 1);
    CHECK(!t.oom);
    uint64_t since;
    CHECK(hdm_bench_trace_level_at(&t, B, 7, &since));
    CHECK_EQ_U(since, 7);
    CHECK(!hdm_bench_trace_level_at(&t, B, 6, &since));
    CHECK_EQ_U(since, UINT64_MAX);
    hdm_bench_trace_set_initial(&t, A, true);
    CHECK(hdm_bench_trace_level_at(&t, A, 0, NULL));
    hdm_bench_trace_free(&t);
}

int main(void)
{
    test_levels();
    test_frames();
    test_msi();
    test_record();
    return check_done("test_engine");
}
