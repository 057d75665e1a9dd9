/* SPDX-License-Identifier: MIT */
/*
 * Runner unit test against a scripted fake target (PL011 descriptor, no
 * core): rx-serial bit schedules, merging of bench stimulus with file
 * operations in tick order, runtime "stimulus in the past", poll, as=
 * bindings, status checks, initial levels, capability SKIPs. Every
 * scenario is run where it must pass and where it must fail.
 */
#include "check.h"
#include "hdm/common.h"
#include "hdm_bench/runner.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- fake target --------------------------------------------------------
 * - RXD is looped back to TXD with no delay.
 * - 0x018 reads 0x80 from tick 1000 on, 0 before; writes are READ_ONLY.
 * - A write to 0x000 sends a frame of that byte from t+5 to t+100.
 * - rx 0xEE is IGNORED.  INTR is 1 after open.
 * - Every call is logged with its tick.
 */
typedef struct call {
    char kind; /* a=advance r=read w=write x=rx i=set_input */
    uint64_t tick;
    unsigned arg;
    bool level;
} call_t;

static call_t calls[4096];
static size_t ncalls;
static int open_result;

typedef struct fake {
    hdm_bench_observer_t obs;
    bool frame_pending;
    hdm_bench_frame_t frame;
    int txd;
} fake_t;

static void log_call(char kind, uint64_t tick, unsigned arg, bool level)
{
    if (ncalls < sizeof(calls) / sizeof(calls[0])) {
        calls[ncalls].kind = kind;
        calls[ncalls].tick = tick;
        calls[ncalls].arg = arg;
        calls[ncalls].level = level;
        ncalls++;
    }
}

static int fake_open(void **h, const hdm_bench_open_args_t *a, char *why,
                     size_t len)
{
    if (open_result != HDM_OK) {
        snprintf(why, len, "fake refuses");
        return open_result;
    }
    fake_t *f = calloc(1, sizeof(*f));
    if (!f) {
        return HDM_E_INVAL;
    }
    f->obs = a->observer;
    f->txd = hdm_bench_device_signal(a->device, "TXD");
    *h = f;
    return HDM_OK;
}

static void flush_frame(fake_t *f, uint64_t tick)
{
    if (f->frame_pending && tick >= f->frame.end) {
        f->frame_pending = false;
        f->obs.frame(f->obs.opaque, &f->frame);
    }
}

static int fake_advance(void *h, uint64_t tick)
{
    log_call('a', tick, 0, false);
    flush_frame(h, tick);
    return HDM_OK;
}

static int fake_read(void *h, uint64_t tick, uint32_t off, unsigned size,
                     uint64_t *value, unsigned flags)
{
    (void)h;
    (void)size;
    (void)flags;
    log_call('r', tick, off, false);
    *value = off == 0x018 && tick >= 1000 ? 0x80 : 0;
    return HDM_OK;
}

static int fake_write(void *h, uint64_t tick, uint32_t off, unsigned size,
                      uint64_t value, unsigned flags)
{
    fake_t *f = h;
    (void)size;
    (void)flags;
    log_call('w', tick, off, false);
    if (off == 0x018) {
        return HDM_E_READ_ONLY;
    }
    if (off == 0x000) {
        hdm_bench_frame_t fr = { tick + 5, tick + 100, (uint32_t)value, 0, 8 };
        f->frame = fr;
        f->frame_pending = true;
    }
    return HDM_OK;
}

static int fake_rx(void *h, uint64_t tick, uint32_t data, unsigned flags)
{
    (void)h;
    (void)flags;
    log_call('x', tick, data, false);
    return data == 0xEE ? HDM_E_IGNORED : HDM_OK;
}

static int fake_set_input(void *h, uint64_t tick, unsigned sig, bool level)
{
    fake_t *f = h;
    log_call('i', tick, sig, level);
    if (sig ==
        (unsigned)hdm_bench_device_signal(&hdm_bench_device_pl011, "RXD")) {
        f->obs.level(f->obs.opaque, (unsigned)f->txd, level, tick);
    }
    return HDM_OK;
}

static bool fake_level(void *h, unsigned sig)
{
    (void)h;
    return sig == (unsigned)hdm_bench_device_signal(&hdm_bench_device_pl011,
                                                    "INTR") ||
           sig == (unsigned)hdm_bench_device_signal(&hdm_bench_device_pl011,
                                                    "TXD");
}

static void fake_close(void *h)
{
    free(h);
}

static const hdm_bench_target_ops_t fake_ops = {
    fake_open, fake_advance,   fake_read,  fake_write,
    fake_rx,   fake_set_input, fake_level, fake_close,
};

static const hdm_bench_target_t fake_full = { "fake", "pl011",
                                              HDM_BENCH_CAP_ALL, &fake_ops, 0 };
static const hdm_bench_target_t fake_bare = { "bare", "pl011", 0, &fake_ops,
                                              0 };
static const hdm_bench_target_t fake_other = { "other", "hpet",
                                               HDM_BENCH_CAP_ALL, &fake_ops,
                                               0 };

/* ---- helpers ------------------------------------------------------------ */

#define HDR "device pl011\ntitle t\ncite c\n"

static hdm_bench_result_t result;

static void run(const hdm_bench_target_t *tg, const char *text)
{
    hdm_bench_vector_t v;
    ncalls = 0;
    if (!hdm_bench_vector_parse_buffer(&v, "r.vec", text, strlen(text))) {
        for (size_t i = 0; i < v.nerrors; i++) {
            fprintf(stderr, "parse: %s\n", v.errors[i]);
        }
        CHECK(!"vector must parse");
    }
    hdm_bench_result_free(&result);
    hdm_bench_run(&v, tg, &result);
    hdm_bench_vector_free(&v);
    /* The target never sees time go backwards. */
    for (size_t i = 1; i < ncalls; i++) {
        CHECK(calls[i].tick >= calls[i - 1].tick);
    }
}

static void dump(void)
{
    for (size_t i = 0; i < result.nmessages; i++) {
        fprintf(stderr, "    %s\n", result.messages[i]);
    }
}

#define EXPECT_PASS()                                                          \
    do {                                                                       \
        CHECK(result.verdict == HDM_BENCH_PASS);                               \
        if (result.verdict != HDM_BENCH_PASS) {                                \
            dump();                                                            \
        }                                                                      \
    } while (0)

/* One failure message at @a line containing @a sub. */
static void expect_msg(unsigned line, const char *sub, int src)
{
    char prefix[32];
    snprintf(prefix, sizeof(prefix), "r.vec:%u: ", line);
    bool found = false;
    for (size_t i = 0; i < result.nmessages; i++) {
        found = found ||
                (strncmp(result.messages[i], prefix, strlen(prefix)) == 0 &&
                 strstr(result.messages[i], sub));
    }
    if (result.verdict != HDM_BENCH_FAIL || !found) {
        fprintf(stderr, "%s:%d: expected FAIL with '%s...%s', got %s:\n",
                __FILE__, src, prefix, sub,
                hdm_bench_verdict_name(result.verdict));
        dump();
        check_failures++;
    }
}

#define EXPECT_MSG(line, sub) expect_msg(line, sub, __LINE__)

/* ---- tests --------------------------------------------------------------- */

static void test_schedule(void)
{
    hdm_bench_op_t op;
    memset(&op, 0, sizeof(op));
    op.data = 0x55;
    op.bits = 8;
    op.stop = 1;
    op.ibrd = 13;
    op.fbrd = 1;
    uint64_t t[16];
    bool l[16];
    size_t n = hdm_bench_rx_serial_schedule(&op, 100, t, l);
    static const uint64_t want[] = { 100,  308,  516,  724,  933, 1141,
                                     1349, 1557, 1766, 1974, 2182 };
    CHECK_EQ_U(n, 11);
    for (size_t k = 0; k < n && k < 11; k++) {
        CHECK_EQ_U(t[k], want[k]);
        /* start 0, data LSB first 1,0,1,0,..., stop 1, idle 1 */
        bool bit = k == 0 ? false : k >= 9 ? true : ((0x55 >> (k - 1)) & 1);
        CHECK(l[k] == bit);
    }
    /* Parity of 0x55 (four ones) and stick parity, two stop bits. */
    op.parity = HDM_BENCH_PARITY_EVEN;
    op.stop = 2;
    n = hdm_bench_rx_serial_schedule(&op, 0, t, l);
    CHECK_EQ_U(n, 13);
    CHECK(!l[9]);
    CHECK(l[10] && l[11] && l[12]);
    op.parity = HDM_BENCH_PARITY_ODD;
    hdm_bench_rx_serial_schedule(&op, 0, t, l);
    CHECK(l[9]);
    op.parity = HDM_BENCH_PARITY_ZERO;
    hdm_bench_rx_serial_schedule(&op, 0, t, l);
    CHECK(!l[9]);
    op.parity = HDM_BENCH_PARITY_ONE;
    hdm_bench_rx_serial_schedule(&op, 0, t, l);
    CHECK(l[9]);
    /* 5 bits, IBRD=1 FBRD=0: 16 ticks a bit, exact. */
    op.parity = HDM_BENCH_PARITY_NONE;
    op.stop = 1;
    op.bits = 5;
    op.data = 0x01;
    op.ibrd = 1;
    op.fbrd = 0;
    n = hdm_bench_rx_serial_schedule(&op, 0, t, l);
    CHECK_EQ_U(n, 8);
    CHECK_EQ_U(t[7], 7 * 16);
    /* Break: LOW for the whole frame incl. stop bits, then released. */
    op.brk = true;
    n = hdm_bench_rx_serial_schedule(&op, 0, t, l);
    for (size_t k = 0; k + 1 < n; k++) {
        CHECK(!l[k]);
    }
    CHECK(l[n - 1]);
    /* Tick overflow is refused. */
    CHECK_EQ_U(hdm_bench_rx_serial_schedule(&op, UINT64_MAX - 10, t, l), 0);
}

static void test_merge(void)
{
    run(&fake_full, HDR "@100 rx-serial 0x55\n"
                        "@500 write 0x000 4 0x41\n"
                        "@3000 expect TXD 1\n");
    EXPECT_PASS();
    /* Input edges in tick order, the write between 308 and 516. */
    static const uint64_t in_ticks[] = { 100,  308,  516,  724,  933,
                                         1141, 1349, 1557, 1766, 1974 };
    size_t k = 0;
    bool write_seen = false;
    for (size_t i = 0; i < ncalls; i++) {
        if (calls[i].kind == 'i') {
            CHECK(k < 10);
            if (k < 10) {
                CHECK_EQ_U(calls[i].tick, in_ticks[k]);
                CHECK(calls[i].level == (k % 2 == 1));
            }
            CHECK(write_seen == (k >= 2));
            k++;
        }
        if (calls[i].kind == 'w') {
            CHECK_EQ_U(calls[i].tick, 500);
            CHECK_EQ_U(k, 2);
            write_seen = true;
        }
    }
    CHECK_EQ_U(k, 10);
    CHECK_EQ_U(result.end_tick, 3000);
    /* The RXD record has every edge; the loopback TXD too. */
    int rxd = hdm_bench_device_signal(&hdm_bench_device_pl011, "RXD");
    CHECK_EQ_U(result.trace.sig[rxd].nchanges, 10);
}

static void test_bindings(void)
{
    run(&fake_full, HDR "@100 rx-serial 0x55\n"
                        "@3000 expect-edge TXD 0 after=0 as=s\n"
                        "@s+208 expect TXD 1\n"
                        "@s+207 expect TXD 0\n"
                        "@s-1 expect-stable TXD 1 since=0\n"
                        "@s expect-stable RXD 0 since=s\n"
                        "@3000 expect-edge TXD 1 after=s+208\n");
    EXPECT_PASS();
    /* Same, wrong: each line fails for what it says. */
    run(&fake_full, HDR "@100 rx-serial 0x55\n"
                        "@3000 expect-edge TXD 0 after=0 as=s\n"
                        "@s+208 expect TXD 0\n"
                        "@s+100 expect-stable TXD 0 since=s-1\n"
                        "@s write 0x000 4 0\n"
                        "@2182 expect-edge TXD 1 after=1974\n");
    EXPECT_MSG(6, "expected TXD=0 at tick 308, was 1 (last change at tick "
                  "308)");
    EXPECT_MSG(7, "expected TXD=0 throughout [99, 200], was 1 at tick 99");
    EXPECT_MSG(8, "tick 100 is before the current tick 3000");
    EXPECT_MSG(9, "expected an edge of TXD to 1 in (1974, 2182], none");
    CHECK_EQ_U(result.nmessages, 4);
    /* A binding whose operation failed is not bound later. */
    run(&fake_full, HDR "@100 expect-edge TXD 0 after=0 as=e\n"
                        "@e+5 expect TXD 1\n"
                        "@+5 expect TXD 1\n"
                        "@200 expect TXD 1\n");
    EXPECT_MSG(4, "expected an edge of TXD to 0 in (0, 100], none: TXD "
                  "stayed 1");
    EXPECT_MSG(5, "name 'e' is not bound (the operation that binds it "
                  "failed)");
    EXPECT_MSG(6, "the previous operation's tick is unknown");
    CHECK_EQ_U(result.nmessages, 3);
}

static void test_poll(void)
{
    run(&fake_full, HDR "@0 poll 0x018 4 mask=0x80 value=0x80 until=5000 "
                        "as=p\n"
                        "@p read 0x018 4 expect=0x80\n"
                        "@p read 0x018 4 expect=0x00\n");
    EXPECT_MSG(6, "read 0x018 4 at tick 1008: expected 0x0 (mask "
                  "0xFFFFFFFF), got 0x80");
    CHECK_EQ_U(result.nmessages, 1);
    size_t reads = 0;
    for (size_t i = 0; i < ncalls; i++) {
        reads += calls[i].kind == 'r';
    }
    CHECK_EQ_U(reads, 1008 / 16 + 1 + 2);
    CHECK_EQ_U(result.trace.nacc, reads);
    run(&fake_full, HDR "@0 poll 0x018 4 mask=0x80 value=0x80 until=500 "
                        "as=p\n"
                        "@p run\n");
    EXPECT_MSG(4, "never became 0x80 in [0, 500] (32 reads every 16, last "
                  "value 0x0)");
    EXPECT_MSG(5, "name 'p' is not bound");
    run(&fake_full, HDR "@0 poll 0x018 4 mask=0x80 value=0x80 until=1000 "
                        "every=1000\n");
    EXPECT_PASS();
    run(&fake_full, HDR "@0 poll 0x018 4 mask=1 value=1 "
                        "until=18446744073709551615 every=1\n");
    EXPECT_MSG(4, "more than 10000000 reads");
}

static void test_status_and_frames(void)
{
    run(&fake_full, HDR "@0 write 0x018 4 0 status=READ_ONLY\n"
                        "@1 rx 0xEE status=IGNORED\n"
                        "@2 rx 0x41\n"
                        "@10 write 0x000 4 0x41\n"
                        "@200 expect-frame 0x41 after=10 as=f\n"
                        "@f.end+50 expect-no-frame after=f.end\n"
                        "@f+0 expect-stable INTR 1 since=0\n");
    EXPECT_PASS();
    run(&fake_full, HDR "@0 write 0x018 4 0\n"
                        "@1 rx 0xEE\n"
                        "@2 write 0x000 4 0 status=UNMAPPED\n"
                        "@10 write 0x000 4 0x41\n"
                        "@200 expect-frame 0x42 after=10 as=f\n"
                        "@f.end expect TXD 1\n"
                        "@300 expect-no-frame after=0\n"
                        "@400 expect-frame 0x41 after=0\n");
    EXPECT_MSG(4, "write 0x018 4 0x0: expected status OK, got READ_ONLY");
    EXPECT_MSG(5, "rx 0xEE: expected status OK, got IGNORED");
    EXPECT_MSG(6, "expected status UNMAPPED, got OK");
    EXPECT_MSG(8, "expected frame 0x42 ending in (10, 200], got 0x41");
    EXPECT_MSG(9, "name 'f.end' is not bound");
    EXPECT_MSG(10, "expected no frame ending in (0, 300], got 0x41");
    EXPECT_MSG(11, "already matched");
    CHECK_EQ_U(result.nmessages, 7);
}

static void test_initial_and_past(void)
{
    run(&fake_full, HDR "@0 expect INTR 1\n@0 expect RXD 1\n"
                        "@0 expect RTINTR 0\n");
    EXPECT_PASS();
    run(&fake_full, HDR "@0 expect INTR 0\n");
    EXPECT_MSG(4, "expected INTR=0 at tick 0, was 1 (initial level");
    /* Expectations in the past do not move the target back. */
    run(&fake_full, HDR "@100 rx-serial 0x01\n@5000 run\n"
                        "@300 expect RXD 0\n@200 expect TXD 1\n"
                        "@6000 expect RXD 1\n");
    EXPECT_MSG(7, "expected TXD=1 at tick 200, was 0 (last change at tick "
                  "100)");
    CHECK_EQ_U(result.nmessages, 1);
    /* Overlapping serial input is refused at run time. */
    run(&fake_full, HDR "@100 rx-serial 0x55\n@200 rx-serial 0x55\n"
                        "@300 pin RXD 1\n@2182 rx-serial 0x55\n");
    EXPECT_MSG(5, "rx-serial at tick 200 overlaps the rx-serial frame of "
                  "line 4 (RXD driven until tick 2182)");
    EXPECT_MSG(6, "pin at tick 300 overlaps");
    CHECK_EQ_U(result.nmessages, 2);
}

static void test_skip(void)
{
    run(&fake_bare, HDR "@0 expect INTR 1\n");
    EXPECT_PASS();
    run(&fake_bare, HDR "needs exact\n@0 read 0x018 4 debug\n"
                        "@1 expect TXD 1\n");
    CHECK(result.verdict == HDM_BENCH_SKIP);
    CHECK_STR(result.skip_reason, "target bare lacks pin-tx (line 6), "
                                  "debug (line 5), exact (line 4)");
    CHECK_EQ_U(ncalls, 0);
    CHECK(!result.ran);
    run(&fake_other, HDR "@0 run\n");
    CHECK(result.verdict == HDM_BENCH_SKIP);
    CHECK_STR(result.skip_reason, "target other has no pl011 model");
    open_result = HDM_BENCH_OPEN_SKIP;
    run(&fake_full, HDR "@0 run\n");
    CHECK(result.verdict == HDM_BENCH_SKIP);
    CHECK_STR(result.skip_reason, "target fake: fake refuses");
    open_result = HDM_E_INVAL;
    run(&fake_full, HDR "@0 run\n");
    EXPECT_MSG(1, "target fake failed to open (INVAL): fake refuses");
    open_result = HDM_OK;
}

int main(void)
{
    test_schedule();
    test_merge();
    test_bindings();
    test_poll();
    test_status_and_frames();
    test_initial_and_past();
    test_skip();
    hdm_bench_result_free(&result);
    return check_done("test_runner");
}
