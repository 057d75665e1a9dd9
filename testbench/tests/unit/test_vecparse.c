/* SPDX-License-Identifier: MIT */
/*
 * Parser unit test: the docs/vectors.md example parses to the right
 * operations; every error class reports "file:line: reason"; the lexical
 * limits hold at their edges; and a bounded mutation fuzz never crashes
 * (run under ASan/UBSan by the asan preset).
 */
#include "check.h"
#include "hdm/common.h"
#include "hdm_bench/target.h"
#include "hdm_bench/vecparse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char example[] =
    "# SPDX-License-Identifier: MIT\n"
    "device pl011\n"
    "title  A DR write with the UART enabled sends one 8N1 frame\n"
    "cite   TRM 2.4.3 Data transmission; TRM 3.3.6; TRM 3.3.7\n"
    "config revision=r1p5 clock=24000000\n"
    "\n"
    "@0    write 0x024 4 13          # IBRD\n"
    "@1    write 0x028 4 1           # FBRD\n"
    "@2    write 0x02C 4 0x70        # LCR_H\n"
    "@3    write 0x030 4 0x301       # CR\n"
    "@10   write 0x000 4 0x55\n"
    "@11   read  0x018 4 expect=0x08 mask=0x88   # BUSY=1, TXFE=0\n"
    "@500  expect-edge TXD 0 after=10 as=start\n"
    "@start+2083 expect-edge TXD 1\n"
    "@5000 expect-frame 0x55 after=10\n"
    "@5000 read 0x018 4 expect=0x90 mask=0x98    # idle again\n";

#define HDR "device pl011\ntitle t\ncite c\n"

static bool parse(hdm_bench_vector_t *v, const char *text)
{
    return hdm_bench_vector_parse_buffer(v, "t.vec", text, strlen(text));
}

/* The first error of @a text is at @a line and contains @a sub. */
static void expect_error(const char *text, size_t len, unsigned line,
                         const char *sub, int src_line)
{
    hdm_bench_vector_t v;
    char prefix[32];
    bool ok = hdm_bench_vector_parse_buffer(&v, "t.vec", text, len);
    snprintf(prefix, sizeof(prefix), "t.vec:%u: ", line);
    if (ok || v.nerrors == 0) {
        fprintf(stderr, "%s:%d: expected an error, parse succeeded\n", __FILE__,
                src_line);
        check_failures++;
    } else {
        bool found = false;
        for (size_t i = 0; i < v.nerrors; i++) {
            if (strncmp(v.errors[i], prefix, strlen(prefix)) == 0 &&
                strstr(v.errors[i], sub)) {
                found = true;
            }
        }
        if (!found) {
            fprintf(stderr, "%s:%d: no error '%s...%s'; got:\n", __FILE__,
                    src_line, prefix, sub);
            for (size_t i = 0; i < v.nerrors; i++) {
                fprintf(stderr, "    %s\n", v.errors[i]);
            }
            check_failures++;
        }
    }
    hdm_bench_vector_free(&v);
}

#define ERR(text, line, sub)                                                   \
    expect_error(text, sizeof(text) - 1, line, sub, __LINE__)

static void test_example(void)
{
    hdm_bench_vector_t v;
    CHECK(parse(&v, example));
    CHECK_EQ_U(v.nerrors, 0);
    CHECK(v.device == &hdm_bench_device_pl011);
    CHECK_STR(v.title, "A DR write with the UART enabled");
    CHECK_EQ_U(v.ncites, 1);
    CHECK_STR(v.ncites ? v.cites[0] : NULL, "TRM 3.3.7");
    CHECK_EQ_U(v.nops, 10);
    if (v.nops == 10) {
        const hdm_bench_op_t *o = v.ops;
        CHECK(o[0].kind == HDM_BENCH_OP_WRITE);
        CHECK_EQ_U(o[0].offset, 0x24);
        CHECK_EQ_U(o[0].size, 4);
        CHECK_EQ_U(o[0].value, 13);
        CHECK(o[0].status == HDM_OK);
        CHECK_EQ_U(o[0].line, 7);
        CHECK(o[5].kind == HDM_BENCH_OP_READ);
        CHECK(o[5].has_expect);
        CHECK_EQ_U(o[5].value, 0x08);
        CHECK_EQ_U(o[5].mask, 0x88);
        CHECK(o[6].kind == HDM_BENCH_OP_EXPECT_EDGE);
        CHECK_EQ_U(o[6].signal, hdm_bench_device_signal(v.device, "TXD"));
        CHECK(!o[6].level);
        CHECK(o[6].has_t0);
        CHECK_EQ_U(o[6].t0.value, 10);
        CHECK(o[6].bind >= 0);
        CHECK(o[7].at.base == o[6].bind);
        CHECK(!o[7].at.negative);
        CHECK_EQ_U(o[7].at.value, 2083);
        CHECK(!o[7].has_t0);
        CHECK(o[8].kind == HDM_BENCH_OP_EXPECT_FRAME);
        CHECK_EQ_U(o[8].data, 0x55);
        CHECK(!o[8].has_flags);
        CHECK_EQ_U(o[9].mask, 0x98);
    }
    CHECK(v.caps_inferred == HDM_BENCH_CAP_PIN_TX);
    CHECK_EQ_U(v.cap_line[0], 13);
    CHECK_STR(v.config_text[0], "revision=r1p5");
    CHECK_STR(v.config_text[1], "quirks=none");
    CHECK_STR(v.config_text[2], "clock=24000000");
    char name[64];
    hdm_bench_vector_name(&v, name, sizeof(name));
    CHECK_STR(name, "pl011/t");
    hdm_bench_vector_free(&v);
}

static void test_options(void)
{
    hdm_bench_vector_t v;
    CHECK(parse(&v,
                HDR "config revision=r1p4 quirks=instant-tx,always-enabled\n"
                    "config clock=1_843_200\n"
                    "needs exact\n"
                    "@0 read 0x018 2 status=BAD_SIZE debug as=r\n"
                    "@r+0x10 write 0x000 1 0xFF status=OK\n"
                    "@+5 poll 0x018 4 mask=0x20 value=0 until=r+5000 every=3 "
                    "as=p\n"
                    "@p-1 rx 0x41 fe be status=IGNORED\n"
                    "@p+1 rx-serial 0x1F bits=5 parity=odd stop=2 div=1,63 "
                    "break\n"
                    "@p+2 pin NCTS 0\n"
                    "@p+3 run\n"
                    "@p+9 expect-stable RXD 1 since=p+4\n"
                    "@p+9 expect-frame 0x41 flags=parity,sir as=f\n"
                    "@f.end+1 expect-no-frame after=f\n"
                    "@f.end+2 expect TXDMASREQ 1\n"));
    CHECK_EQ_U(v.nerrors, 0);
    for (size_t i = 0; i < v.nerrors; i++) {
        fprintf(stderr, "  %s\n", v.errors[i]);
    }
    CHECK_EQ_U(v.config[0], 1);
    CHECK_EQ_U(v.config[1], 5); /* bit 0 always-enabled, bit 2 instant-tx */
    CHECK_EQ_U(v.config[2], 1843200);
    CHECK_STR(v.config_text[1], "quirks=always-enabled,instant-tx");
    CHECK(v.caps_needed == HDM_BENCH_CAP_EXACT);
    /* status: the read expects BAD_SIZE (rx status=IGNORED adds nothing) */
    CHECK(v.caps_inferred ==
          (HDM_BENCH_CAP_DEBUG | HDM_BENCH_CAP_PIN_RX | HDM_BENCH_CAP_MODEM |
           HDM_BENCH_CAP_DMA | HDM_BENCH_CAP_STATUS));
    CHECK_EQ_U(v.nops, 11);
    if (v.nops == 11) {
        const hdm_bench_op_t *o = v.ops;
        CHECK_EQ_U(o[0].size, 2);
        CHECK(o[0].status == HDM_E_BAD_SIZE);
        CHECK(o[0].access == HDM_BENCH_ACCESS_DEBUG);
        CHECK_EQ_U(o[0].mask, 0xFFFF);
        CHECK(!o[0].has_expect);
        CHECK(o[1].at.base == o[0].bind);
        CHECK_EQ_U(o[1].at.value, 0x10);
        CHECK(o[2].at.base == HDM_BENCH_TICK_PREV);
        CHECK_EQ_U(o[2].at.value, 5);
        CHECK_EQ_U(o[2].every, 3);
        CHECK(o[2].until.base == o[0].bind);
        CHECK_EQ_U(o[2].until.value, 5000);
        CHECK(o[3].at.negative);
        CHECK_EQ_U(o[3].flags, 5); /* fe = bit 0, be = bit 2 */
        CHECK(o[3].status == HDM_E_IGNORED);
        CHECK_EQ_U(o[4].bits, 5);
        CHECK(o[4].parity == HDM_BENCH_PARITY_ODD);
        CHECK_EQ_U(o[4].stop, 2);
        CHECK_EQ_U(o[4].ibrd, 1);
        CHECK_EQ_U(o[4].fbrd, 63);
        CHECK(o[4].brk);
        CHECK(o[8].has_flags);
        CHECK_EQ_U(o[8].flags, 9); /* parity bit 0, sir bit 3 */
        CHECK(o[8].bind >= 0 && o[8].bind_end >= 0);
        CHECK(o[9].at.base == o[8].bind_end);
        CHECK(o[9].t0.base == o[8].bind);
    }
    hdm_bench_vector_free(&v);

    /* Defaults of rx-serial and poll. */
    CHECK(parse(&v, HDR "@0 rx-serial 0xFF\n"
                        "@1 poll 0x018 1 mask=1 value=1 until=9\n"));
    if (v.nops == 2) {
        CHECK_EQ_U(v.ops[0].bits, 8);
        CHECK(v.ops[0].parity == HDM_BENCH_PARITY_NONE);
        CHECK_EQ_U(v.ops[0].stop, 1);
        CHECK_EQ_U(v.ops[0].ibrd, 13);
        CHECK_EQ_U(v.ops[0].fbrd, 1);
        CHECK(!v.ops[0].brk);
        CHECK_EQ_U(v.ops[1].every, 16);
    }
    hdm_bench_vector_free(&v);
}

/* HPET: 64-bit accesses, expect-msi / expect-no-msi, config keys. */
static void test_hpet(void)
{
    hdm_bench_vector_t v;
    CHECK(parse(&v, "device hpet\ntitle t\ncite c\n"
                    "config timers=8 counter=32 fsb=0xF0 wrap=once\n"
                    "@0 write 0x110 8 0xFEE0100000004041\n"
                    "@1 read 0x0F0 8 expect=0xFFFFFFFFFFFFFFFF\n"
                    "@100 expect-msi 0xFEE01000 0x4041 after=1 as=m\n"
                    "@m+50 expect-no-msi after=m\n"
                    "@m+60 expect IRQ23 0\n"));
    for (size_t i = 0; i < v.nerrors; i++) {
        fprintf(stderr, "  %s\n", v.errors[i]);
    }
    CHECK_EQ_U(v.nerrors, 0);
    CHECK(v.caps_inferred == HDM_BENCH_CAP_MSI);
    CHECK_EQ_U(v.config[0], 8);
    CHECK_EQ_U(v.config[1], 1); /* counter=32 */
    CHECK_EQ_U(v.nops, 5);
    if (v.nops == 5) {
        CHECK_EQ_U(v.ops[0].size, 8);
        CHECK_EQ_U(v.ops[0].value, 0xFEE0100000004041ull);
        CHECK(v.ops[2].kind == HDM_BENCH_OP_EXPECT_MSI);
        CHECK_EQ_U(v.ops[2].value, 0xFEE01000u);
        CHECK_EQ_U(v.ops[2].data, 0x4041);
        CHECK(v.ops[2].has_t0 && v.ops[2].bind >= 0);
        CHECK(v.ops[3].kind == HDM_BENCH_OP_EXPECT_NO_MSI);
        CHECK(v.ops[3].at.base == v.ops[2].bind);
        CHECK(v.ops[3].t0.base == v.ops[2].bind);
    }
    hdm_bench_vector_free(&v);
    ERR(HDR "@1 expect-msi 1 2\n", 4,
        "operation 'expect-msi' is not supported by device pl011");
    ERR(HDR "@1 expect-no-msi\n", 4,
        "operation 'expect-no-msi' is not supported by device pl011");
    ERR("device hpet\ntitle t\ncite c\n@1 expect-msi 1 0x100000000\n", 4,
        "data 0x100000000 does not fit 32 bits");
    ERR("device hpet\ntitle t\ncite c\n@1 expect-msi 1\n", 4,
        "missing DATA argument (expect-msi ADDR DATA)");
    ERR("device hpet\ntitle t\ncite c\n@1 expect-msi 1 2 flags=x\n", 4,
        "unknown option 'flags' for expect-msi");
    ERR("device hpet\ntitle t\ncite c\n@1 rx 0x41\n", 4,
        "operation 'rx' is not supported by device hpet");
    ERR("device hpet\ntitle t\ncite c\n@1 read 0x500 8\n", 4,
        "offset 0x500 outside the 1280-byte register block of hpet");
    ERR("device hpet\ntitle t\ncite c\nconfig counter=16\n@1 run\n", 4,
        "counter");
}

static void test_numbers(void)
{
    hdm_bench_vector_t v;
    CHECK(parse(&v, HDR "@1_000_000 write 0x0_0_0 4 0xFFFF_FFFF\n"
                        "@18446744073709551615 expect INTR 0\n"
                        "@0xFFFFFFFFFFFFFFFF expect INTR 0\n"));
    CHECK_EQ_U(v.nops, 3);
    if (v.nops == 3) {
        CHECK_EQ_U(v.ops[0].at.value, 1000000);
        CHECK_EQ_U(v.ops[0].value, 0xFFFFFFFFu);
        CHECK_EQ_U(v.ops[1].at.value, UINT64_MAX);
        CHECK_EQ_U(v.ops[2].at.value, UINT64_MAX);
    }
    hdm_bench_vector_free(&v);
    ERR(HDR "@18446744073709551616 run\n", 4, "does not fit in 64 bits");
    ERR(HDR "@0x1_0000_0000_0000_0000 run\n", 4, "does not fit in 64 bits");
    ERR(HDR "@1__0 run\n", 4, "bad number '1__0'");
    ERR(HDR "@1_ run\n", 4, "bad number '1_'");
    ERR(HDR "@0x_1 run\n", 4, "bad number '0x_1'");
    ERR(HDR "@0 write 0x000 4 0x1_0000_0000\n", 4,
        "value 0x1_0000_0000 too wide for a 4-byte access");
    ERR(HDR "@0 write 0x000 4 1e3\n", 4, "bad number '1e3'");
}

static void test_errors(void)
{
    ERR(HDR "@0 wrte 1\n", 4, "unknown operation 'wrte'");
    ERR(HDR "@0 write 0x000 4\n", 4, "missing VALUE argument");
    ERR(HDR "@0 write 0x000 4 1 2\n", 4, "extra argument '2'");
    ERR(HDR "@0 expect TXDX 1\n", 4, "unknown signal 'TXDX'");
    ERR(HDR "@0 pin INTR 1\n", 4, "INTR is an output");
    ERR(HDR "@0 write 0 4 0 status=FOO\n", 4, "unknown status 'FOO'");
    ERR(HDR "@0 write 0 4 0 dbg\n", 4, "unknown option 'dbg' for write");
    ERR(HDR "config speed=1\n@0 run\n", 4, "unknown config key 'speed'");
    ERR(HDR "@x run\n", 4, "unbound name 'x'");
    ERR(HDR "@100 run\n@99 write 0 4 0\n", 5,
        "tick 99 is before the current tick 100");
    ERR(HDR "@100 run\n@99 pin NCTS 0\n", 5, "before the current tick 100");
    ERR(HDR "@100 run\n@99 rx-serial 0x41\n", 5, "before the current tick");
    ERR(HDR "@100 run\n@99 run\n", 5, "before the current tick");
    ERR("title t\ncite c\n@0 run\n", 3, "missing required header 'device'");
    ERR("device pl011\ncite c\n@0 run\n", 3, "missing required header 'title'");
    ERR("device pl011\ntitle t\n@0 run\n", 3, "missing required header 'cite'");
    ERR(HDR, 3, "no operations");
    ERR("", 1, "empty file");
    ERR("# only a comment\n", 1, "missing required header 'device'");
    ERR(HDR "@0 run\nneeds dma\n", 5, "after the first operation (line 4)");
    ERR(HDR "@0 expect-frame 0x41 flags=odd\n", 4, "unknown frame flag 'odd'");
}

/* Expectation ticks may go back; stimulus may follow unknown ticks. */
static void test_static_ticks(void)
{
    hdm_bench_vector_t v;
    CHECK(parse(&v, HDR "@100 run\n"
                        "@50 expect INTR 0\n"
                        "@60 expect-edge INTR 1 after=0 as=e\n"
                        "@e+1 write 0x000 4 0\n" /* unknown statically */
                        "@200 read 0x018 4 as=r\n"
                        "@r write 0x000 4 0\n" /* == current: fine */
                        "@+0 write 0x000 4 0\n"));
    CHECK_EQ_U(v.nerrors, 0);
    hdm_bench_vector_free(&v);
}

static void test_lexical(void)
{
    /* CRLF line ends and a final line without newline are fine. */
    hdm_bench_vector_t v;
    CHECK(parse(&v, "device pl011\r\ntitle t\r\ncite c\r\n@0 run"));
    CHECK_EQ_U(v.nops, 1);
    hdm_bench_vector_free(&v);
    /* '#' inside a token is part of it; at a token start it comments. */
    CHECK(parse(&v, HDR "@0 run #comment\n@1 run#x\n"
                        "title2 x\n") == false);
    hdm_bench_vector_free(&v);
    ERR(HDR "@0 run\n@1 run#x\n", 5, "unknown operation 'run#x'");

    /* Line length: 1023 bytes accepted, 1024 refused. */
    char buf[4096];
    size_t n = (size_t)snprintf(buf, sizeof(buf), HDR "@0 run #");
    size_t start = n - strlen("@0 run #");
    while (n - start < HDM_BENCH_MAX_LINE) {
        buf[n++] = 'x';
    }
    buf[n++] = '\n';
    CHECK(hdm_bench_vector_parse_buffer(&v, "t.vec", buf, n));
    hdm_bench_vector_free(&v);
    buf[n - 1] = 'x';
    buf[n++] = '\n';
    expect_error(buf, n, 4, "line too long (1024 bytes, at most 1023)",
                 __LINE__);
    /* A long line without a newline at the end of the file. */
    expect_error(buf, n - 1, 4, "line too long", __LINE__);

    /* Valid UTF-8 (2, 3 and 4 bytes) in titles and comments. */
    CHECK(parse(&v, "device pl011\ntitle caf\xC3\xA9 \xE2\x82\xAC\n"
                    "cite c \xF0\x9F\x98\x80\n@0 run # \xC2\xB5s\n"));
    hdm_bench_vector_free(&v);
    ERR(HDR "@0 run # \xC3\x28\n", 4, "invalid UTF-8 at column 10");
    ERR(HDR "@0 run # \xC0\xAF\n", 4, "invalid UTF-8");         /* overlong */
    ERR(HDR "@0 run # \xE0\x80\xAF\n", 4, "invalid UTF-8");     /* overlong */
    ERR(HDR "@0 run # \xED\xA0\x80\n", 4, "invalid UTF-8");     /* surrogate */
    ERR(HDR "@0 run # \xF4\x90\x80\x80\n", 4, "invalid UTF-8"); /* >10FFFF */
    ERR(HDR "@0 run # \xF5\x80\x80\x80\n", 4, "invalid UTF-8");
    ERR(HDR "@0 run # \xE2\x82\n", 4, "invalid UTF-8"); /* cut at EOL */
    ERR(HDR "@0 run # \xE2", 4, "invalid UTF-8");       /* cut at EOF */
    ERR(HDR "@0 run # \xFF\n", 4, "invalid UTF-8");
    static const char nul[] = HDR "@0 run\0x\n";
    expect_error(nul, sizeof(nul) - 1, 4, "NUL byte at column 7", __LINE__);
    ERR(HDR "@0 run\x1B\n", 4, "control character 0x1B at column 7");
    ERR(HDR "@0 run\rx\n", 4, "control character 0x0D");
    ERR(HDR "@0 run\x7F\n", 4, "control character 0x7F");

    /* Errors are collected, then capped. */
    char many[8192];
    n = (size_t)snprintf(many, sizeof(many), HDR);
    for (int i = 0; i < 80; i++) {
        n += (size_t)snprintf(many + n, sizeof(many) - n, "@0 bad%d\n", i);
    }
    CHECK(!hdm_bench_vector_parse_buffer(&v, "t.vec", many, n));
    CHECK_EQ_U(v.nerrors, HDM_BENCH_MAX_ERRORS);
    CHECK(v.errors_truncated);
    CHECK_STR(v.errors[0], "t.vec:4: unknown operation 'bad0'");
    CHECK_STR(v.errors[1], "t.vec:5: unknown operation 'bad1'");
    CHECK_STR(v.errors[HDM_BENCH_MAX_ERRORS - 1], "too many errors");
    hdm_bench_vector_free(&v);

    /* NULL data and a missing file. */
    CHECK(!hdm_bench_vector_parse_buffer(&v, "t.vec", NULL, 0));
    CHECK_STR(v.nerrors ? v.errors[0] : NULL, "t.vec:1: empty file");
    hdm_bench_vector_free(&v);
    CHECK(!hdm_bench_vector_parse_file(&v, HDM_BENCH_TMP_DIR "/none.vec"));
    CHECK_STR(v.nerrors ? v.errors[0] : NULL, "none.vec:1: cannot open");
    hdm_bench_vector_free(&v);
}

/* ---- bounded mutation fuzz --------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const char *const dictionary[] = {
    "@",
    "@+",
    "=",
    " ",
    "\n",
    "#",
    "0x",
    "_",
    ",",
    ".end",
    "as=",
    "after=",
    "mask=",
    "expect=",
    "status=",
    "until=",
    "every=",
    "flags=",
    "bits=",
    "div=",
    "rx-serial",
    "expect-edge",
    "poll",
    "TXD",
    "RXD",
    "NCTS",
    "INTR",
    "18446744073709551615",
    "18446744073709551616",
    "-",
    "+",
    "\xC3",
    "\xF0\x9F\x98\x80",
    "\0",
    "\r\n",
    "config",
    "quirks=",
    "none",
    "start",
    "start.end",
    "device",
    "title",
    "cite",
    "needs",
    "debug",
    "break",
};

static void fuzz(void)
{
    static const char *const seeds[] = {
        example,
        HDR "config revision=r1p4 quirks=rx-trigger-1\n"
            "@0 write 0x024 4 1\n@1 write 0x02C 4 0x70\n"
            "@2 write 0x030 4 0x301\n@10 rx-serial 0x41 parity=even\n"
            "@20 poll 0x018 4 mask=0x10 value=0 until=9000 as=p\n"
            "@p+1 read 0x000 4 expect=0x41 mask=0xFF\n"
            "@p+2 expect-stable INTR 0 since=0\n"
            "@p+3 expect-frame 0x41 flags=parity as=f\n"
            "@f.end+5 expect-no-frame after=f.end\n",
    };
    size_t cap = 16384;
    char *buf = malloc(cap);
    CHECK(buf != NULL);
    if (!buf) {
        return;
    }
    unsigned iterations = 20000;
    for (unsigned it = 0; it < iterations; it++) {
        const char *seed = seeds[it % 2];
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        unsigned edits = 1 + (unsigned)(next_rand() % 8);
        for (unsigned e = 0; e < edits; e++) {
            size_t pos = n ? (size_t)(next_rand() % n) : 0;
            switch (next_rand() % 5) {
            case 0: /* flip a byte */
                if (n) {
                    buf[pos] = (char)(next_rand() & 0xFF);
                }
                break;
            case 1: { /* insert a dictionary token */
                const char *w =
                    dictionary[next_rand() %
                               (sizeof(dictionary) / sizeof(dictionary[0]))];
                size_t wl = w[0] ? strlen(w) : 1;
                if (n + wl < cap) {
                    memmove(buf + pos + wl, buf + pos, n - pos);
                    memcpy(buf + pos, w, wl);
                    n += wl;
                }
                break;
            }
            case 2: /* delete a run */
                if (n) {
                    size_t len = (size_t)(next_rand() % 16);
                    if (pos + len > n) {
                        len = n - pos;
                    }
                    memmove(buf + pos, buf + pos + len, n - pos - len);
                    n -= len;
                }
                break;
            case 3: /* truncate */
                n = pos;
                break;
            default: { /* duplicate a run (long lines, repeated ops) */
                size_t len = (size_t)(next_rand() % 1200);
                if (pos + len > n) {
                    len = n - pos;
                }
                if (n + len < cap) {
                    memmove(buf + pos + len, buf + pos, n - pos);
                    memmove(buf + pos + len, buf + pos, len);
                    n += len;
                }
                break;
            }
            }
        }
        /* Parse an exact-size heap copy so ASan sees any overread. */
        char *exact = malloc(n ? n : 1);
        if (!exact) {
            continue;
        }
        memcpy(exact, buf, n);
        hdm_bench_vector_t v;
        bool ok = hdm_bench_vector_parse_buffer(&v, "f.vec", exact, n);
        CHECK(ok == (v.nerrors == 0));
        for (size_t i = 0; i < v.nerrors; i++) {
            if (strncmp(v.errors[i], "f.vec:", 6) != 0) {
                CHECK_STR(v.errors[i], "f.vec:");
            }
        }
        if (ok) {
            CHECK(v.device != NULL && v.nops > 0);
        }
        hdm_bench_vector_free(&v);
        free(exact);
    }
    free(buf);
}

int main(void)
{
    test_example();
    test_options();
    test_hpet();
    test_numbers();
    test_errors();
    test_static_ticks();
    test_lexical();
    fuzz();
    return check_done("test_vecparse");
}
