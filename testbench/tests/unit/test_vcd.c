/* SPDX-License-Identifier: MIT */
/*
 * VCD writer unit test: output is deterministic (two writes are byte
 * identical, file == buffer), times follow ps = floor(tick * 1e12 / hz)
 * exactly, and the dump is well-formed: declared scopes and ids, strictly
 * increasing timestamps, every value change names a declared variable.
 */
#include "check.h"
#include "hdm_bench/util.h"
#include "hdm_bench/vcd.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void build(hdm_bench_trace_t *t)
{
    const hdm_bench_device_t *dev = &hdm_bench_device_pl011;
    int txd = hdm_bench_device_signal(dev, "TXD");
    int intr = hdm_bench_device_signal(dev, "INTR");
    int rxd = hdm_bench_device_signal(dev, "RXD");
    CHECK(hdm_bench_trace_init(t, dev));
    hdm_bench_trace_set_initial(t, (unsigned)txd, true);
    hdm_bench_trace_fifo(t, 0, 0, 0);
    hdm_bench_access_t w = { 10, 0x55, 0x000, 5, 0, 4, true, false };
    hdm_bench_trace_access(t, &w);
    hdm_bench_trace_fifo(t, 1, 0, 10);
    hdm_bench_access_t r = { 11, 0x08, 0x018, 6, 0, 4, false, false };
    hdm_bench_trace_access(t, &r);
    hdm_bench_access_t d = { 12, 0, 0xFFC, 7, -1, 4, false, true };
    hdm_bench_trace_access(t, &d);
    hdm_bench_trace_level(t, (unsigned)txd, false, 20);
    hdm_bench_trace_fifo(t, 0, 0, 20);
    hdm_bench_trace_level(t, (unsigned)txd, true, 228);
    hdm_bench_trace_level(t, (unsigned)intr, true, 228);
    hdm_bench_trace_level(t, (unsigned)rxd, false, 3);
    /* One hour of UARTCLK at 24 MHz. */
    hdm_bench_trace_level(t, (unsigned)intr, false, UINT64_C(24000000) * 3600);
}

static const hdm_bench_vcd_info_t info = {
    "vectors/pl011/example.vec",
    "core",
    { 24000000, 1000000000000u, 24000000 },
    UINT64_C(24000000) * 3600 + 24,
};

/* Well-formedness: returns the number of value changes seen. */
static unsigned sanity(const char *vcd)
{
    char ids[64][8];
    unsigned nids = 0, changes = 0;
    const char *s = vcd;
    bool defs_done = false;
    long long last_t = -1;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char line[256];
        if (n >= sizeof(line)) {
            CHECK(n < sizeof(line));
            return changes;
        }
        memcpy(line, s, n);
        line[n] = '\0';
        s += n + (nl ? 1 : 0);
        if (strncmp(line, "$var wire ", 10) == 0) {
            unsigned w;
            char id[8], name[64];
            CHECK(sscanf(line, "$var wire %u %7s %63s", &w, id, name) == 3);
            CHECK(nids < 64);
            if (nids < 64) {
                memcpy(ids[nids++], id, sizeof(id));
            }
        } else if (strcmp(line, "$enddefinitions $end") == 0) {
            defs_done = true;
        } else if (line[0] == '#') {
            CHECK(defs_done);
            long long t = atoll(line + 1);
            CHECK(t > last_t);
            last_t = t;
        } else if (defs_done && (line[0] == '0' || line[0] == '1' ||
                                 line[0] == 'x' || line[0] == 'b')) {
            const char *id = line[0] == 'b' ? strchr(line, ' ') : line;
            CHECK(id != NULL);
            if (!id) {
                continue;
            }
            id++;
            bool known = false;
            for (unsigned i = 0; i < nids; i++) {
                known = known || strcmp(ids[i], id) == 0;
            }
            CHECK(known);
            changes++;
        }
    }
    CHECK(defs_done);
    return changes;
}

int main(void)
{
    hdm_bench_trace_t t;
    build(&t);
    hdm_bench_buf_t a, b;
    hdm_bench_buf_init(&a);
    hdm_bench_buf_init(&b);
    CHECK(hdm_bench_vcd_write(&a, &t, &info));
    CHECK(hdm_bench_vcd_write(&b, &t, &info));
    CHECK(a.len > 0 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    const char *v = hdm_bench_buf_str(&a);

    /* Header: no date, exact time rule, the vector path, scopes. */
    CHECK(strstr(v, "$date") == NULL);
    CHECK_STR(v, "$timescale 1ps $end");
    CHECK_STR(v, "vector: vectors/pl011/example.vec");
    CHECK_STR(v, "target: core");
    CHECK_STR(v, "ps = floor(tick * 1000000000000 / 24000000)");
    const char *scopes[] = { "bus", "irq", "serial", "dma", "fifo" };
    for (unsigned i = 0; i < 5; i++) {
        char sc[64];
        snprintf(sc, sizeof(sc), "$scope module %s $end", scopes[i]);
        CHECK_STR(v, sc);
    }
    CHECK_STR(v, " addr [31:0] $end");
    CHECK_STR(v, " wdata [31:0] $end");
    CHECK_STR(v, " rdata [31:0] $end");
    CHECK_STR(v, " we $end");
    CHECK_STR(v, " strobe $end");
    CHECK_STR(v, " tx_level [7:0] $end");
    CHECK_STR(v, " rx_level [7:0] $end");
    CHECK_STR(v, " TXD $end");
    CHECK_STR(v, " NSIROUT $end");
    CHECK_STR(v, " TXDMASREQ $end");
    CHECK_STR(v, " RXDMACLR $end");
    CHECK_STR(v, "$dumpvars");

    /* Times: tick 3 -> 125000 ps; 10 -> 416666 (floor of 416666.67);
     * 228 -> 9500000; one hour -> 3.6e15 ps exactly; the strobe drops one
     * tick after the last access (13 -> 541666). */
    CHECK_STR(v, "\n#125000\n");
    CHECK_STR(v, "\n#416666\n");
    CHECK_STR(v, "\n#9500000\n");
    CHECK_STR(v, "\n#3600000000000000\n");
    CHECK_STR(v, "\n#541666\n");
    CHECK_STR(v, "\n#3600000001000000\n"); /* end_tick */
    CHECK_STR(v, "b1010101 ");             /* wdata 0x55 */
    CHECK_STR(v, "b11111111 ");            /* status -1 as 8 bits */
    CHECK(sanity(v) > 20);

    /* File output equals the buffer, parents created. */
    char why[256] = "";
    const char *path = HDM_BENCH_TMP_DIR "/a/b/example.vcd";
    CHECK(hdm_bench_vcd_write_file(path, &t, &info, why, sizeof(why)));
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
        char *back = malloc(a.len + 1);
        size_t n = back ? fread(back, 1, a.len + 1, f) : 0;
        CHECK(n == a.len && memcmp(back, a.data, a.len) == 0);
        free(back);
        fclose(f);
    }

    /* A different trace gives a different dump (the test can fail). */
    hdm_bench_trace_level(&t, 0, true, 5);
    hdm_bench_buf_reset(&b);
    CHECK(hdm_bench_vcd_write(&b, &t, &info));
    CHECK(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);

    /* An empty trace still gives a well-formed dump. */
    hdm_bench_trace_t e;
    CHECK(hdm_bench_trace_init(&e, &hdm_bench_device_pl011));
    hdm_bench_buf_reset(&b);
    hdm_bench_vcd_info_t zero = info;
    zero.end_tick = 0;
    CHECK(hdm_bench_vcd_write(&b, &e, &zero));
    /* Only the initial $dumpvars: every variable exactly once. */
    CHECK_EQ_U(sanity(hdm_bench_buf_str(&b)),
               7 + hdm_bench_device_pl011.nsignals + 2);
    CHECK_STR(hdm_bench_buf_str(&b), "bx ");
    hdm_bench_trace_free(&e);

    hdm_bench_buf_free(&a);
    hdm_bench_buf_free(&b);
    hdm_bench_trace_free(&t);
    return check_done("test_vcd");
}
