/* SPDX-License-Identifier: MIT */
/*
 * VCD writer unit test: output is deterministic (two writes are byte
 * identical, file == buffer), times follow ps = floor(tick * 1e12 / hz)
 * exactly, and the dump is well-formed: declared scopes and ids, strictly
 * increasing timestamps, every value change names a declared variable.
 * The GTKWave save file written next to the VCD is deterministic, names
 * every variable of the VCD by its full hierarchical name, inside the
 * expected group with the expected display format; a pulse within one tick
 * becomes a `<SIGNAL>_pulse` event.
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
        if (strncmp(line, "$var wire ", 10) == 0 ||
            strncmp(line, "$var event ", 11) == 0) {
            unsigned w;
            char id[8], name[64];
            CHECK(sscanf(line, "$var %*s %u %7s %63s", &w, id, name) == 3);
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

/* Read a whole file (NUL-terminated, malloc'd), NULL if unreadable. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        hdm_bench_buf_append(&b, chunk, n);
    }
    fclose(f);
    char *s = hdm_bench_strdup(hdm_bench_buf_str(&b));
    hdm_bench_buf_free(&b);
    return s;
}

/* Where a signal sits in a save file: innermost group label, outermost
 * group label, the display format in force ("28"), nesting depth. */
typedef struct placed {
    char inner[64], outer[64], fmt[16];
    int depth;
    bool found;
} placed_t;

static placed_t place(const char *gtkw, const char *full)
{
    placed_t p;
    memset(&p, 0, sizeof(p));
    char stack[8][64];
    int depth = 0;
    char fmt[16] = "";
    const char *s = gtkw;
    bool pending_begin = false, pending_end = false;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char line[256];
        if (n >= sizeof(line)) {
            n = sizeof(line) - 1;
        }
        memcpy(line, s, n);
        line[n] = '\0';
        s += (nl ? (size_t)(nl - s) + 1 : strlen(s));
        if (line[0] == '@') {
            unsigned long flags = strtoul(line + 1, NULL, 16);
            pending_begin = (flags & 0x800000ul) != 0;
            pending_end = (flags & 0x1000000ul) != 0;
            snprintf(fmt, sizeof(fmt), "%.15s", line + 1);
        } else if (line[0] == '-') {
            if (pending_begin && depth < 8) {
                snprintf(stack[depth++], 64, "%.63s", line + 1);
            } else if (pending_end && depth > 0) {
                CHECK(strcmp(stack[depth - 1], line + 1) == 0);
                depth--;
            }
            pending_begin = pending_end = false;
        } else if (strcmp(line, full) == 0) {
            CHECK(!p.found); /* each signal exactly once */
            p.found = true;
            p.depth = depth;
            snprintf(p.fmt, sizeof(p.fmt), "%s", fmt);
            if (depth > 0) {
                snprintf(p.inner, sizeof(p.inner), "%s", stack[depth - 1]);
                snprintf(p.outer, sizeof(p.outer), "%s", stack[0]);
            }
        }
    }
    CHECK(depth == 0); /* groups balanced */
    return p;
}

/* Every $var of @a vcd (scope path from the $scope lines) is in @a gtkw,
 * inside a group. Returns the number of variables checked. */
static unsigned every_var_placed(const char *vcd, const char *gtkw)
{
    char scopes[4][64];
    int depth = 0;
    unsigned n = 0;
    const char *s = vcd;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char line[256];
        if (len >= sizeof(line)) {
            len = sizeof(line) - 1;
        }
        memcpy(line, s, len);
        line[len] = '\0';
        s += (nl ? (size_t)(nl - s) + 1 : strlen(s));
        char name[64], range[32];
        unsigned w;
        if (sscanf(line, "$scope module %63s", name) == 1 && depth < 4) {
            snprintf(scopes[depth++], 64, "%s", name);
        } else if (strncmp(line, "$upscope", 8) == 0 && depth > 0) {
            depth--;
        } else if (strncmp(line, "$var ", 5) == 0) {
            int k = sscanf(line, "$var %*s %u %*s %63s %31s", &w, name, range);
            CHECK(k == 3 && depth == 2);
            char full[256];
            snprintf(full, sizeof(full), "%s.%s.%s%s", scopes[0], scopes[1],
                     name, strcmp(range, "$end") == 0 ? "" : range);
            placed_t p = place(gtkw, full);
            if (!p.found || p.depth < 1) {
                fprintf(stderr, "save file misses %s\n", full);
            }
            CHECK(p.found && p.depth >= 1);
            n++;
        } else if (strcmp(line, "$enddefinitions $end") == 0) {
            break;
        }
    }
    return n;
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

    /* The save file next to it: deterministic, equal to the buffer API,
     * every variable in a group, formats, geometry. */
    char *gpath = hdm_bench_vcd_gtkw_path(path);
    CHECK(gpath && strcmp(gpath, HDM_BENCH_TMP_DIR "/a/b/example.gtkw") == 0);
    char *gtkw = gpath ? slurp(gpath) : NULL;
    CHECK(gtkw != NULL);
    hdm_bench_buf_t g1, g2;
    hdm_bench_buf_init(&g1);
    hdm_bench_buf_init(&g2);
    CHECK(hdm_bench_vcd_write_gtkw(&g1, &t, &info, path));
    CHECK(hdm_bench_vcd_write_gtkw(&g2, &t, &info, "elsewhere/example.vcd"));
    CHECK(g1.len == g2.len && memcmp(g1.data, g2.data, g1.len) == 0);
    if (gtkw) {
        CHECK(strcmp(gtkw, hdm_bench_buf_str(&g1)) == 0);
        CHECK_STR(gtkw, "[dumpfile] \"example.vcd\"\n");
        CHECK_STR(gtkw, "[savefile] \"example.gtkw\"\n");
        CHECK_STR(gtkw, "[timestart] 0\n");
        CHECK_STR(gtkw, "[size] 1600 ");
        CHECK_STR(gtkw, "[pos] 0 0\n");
        CHECK(strstr(gtkw, "$date") == NULL && strstr(gtkw, "/a/b/") == NULL);
        /* Zoom fits one hour (3.6e15 ps) into < 1600 pixels: 2^-z ps per
         * pixel with 2^z * 1600 >= 3.6e15 means z >= 41. */
        const char *z = strstr(gtkw, "\n*-");
        CHECK(z != NULL);
        if (z) {
            unsigned zoom = (unsigned)atoi(z + 3);
            CHECK(zoom >= 41 && zoom <= 42);
        }
        CHECK_EQ_U(every_var_placed(a.data, gtkw),
                   7 + hdm_bench_device_pl011.nsignals + 2);
        struct {
            const char *full, *outer, *fmt;
        } want[] = {
            { "pl011.bus.strobe", "bus", "28" },
            { "pl011.bus.addr[31:0]", "bus", "22" },
            { "pl011.bus.wdata[31:0]", "bus", "22" },
            { "pl011.bus.status[7:0]", "bus", "22" },
            { "pl011.irq.INTR", "interrupt lines", "28" },
            { "pl011.irq.EINTR", "interrupt lines", "28" },
            { "pl011.serial.TXD", "serial TXD/RXD", "28" },
            { "pl011.serial.RXD", "serial TXD/RXD", "28" },
            { "pl011.serial.NSIROUT", "serial TXD/RXD", "28" },
            { "pl011.serial.NRTS", "modem", "28" },
            { "pl011.serial.NCTS", "modem", "28" },
            { "pl011.dma.TXDMASREQ", "DMA", "28" },
            { "pl011.fifo.tx_level[7:0]", "FIFO levels", "24" },
            { "pl011.fifo.rx_level[7:0]", "FIFO levels", "24" },
        };
        for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            placed_t p = place(gtkw, want[i].full);
            CHECK(p.found);
            if (strncmp(p.outer, want[i].outer, strlen(want[i].outer)) != 0 ||
                strcmp(p.fmt, want[i].fmt) != 0) {
                fprintf(stderr, "%s: group '%s' format @%s\n", want[i].full,
                        p.outer, p.fmt);
                CHECK(false);
            }
        }
        /* Changing signals are shown open; constant ones in a closed
         * sub-group: TXD toggles, NSIROUT never does. */
        CHECK_STR(gtkw, "@800200\n-serial TXD/RXD\n");
        placed_t txd = place(gtkw, "pl011.serial.TXD");
        placed_t sir = place(gtkw, "pl011.serial.NSIROUT");
        CHECK(txd.depth == 1 && sir.depth == 2);
        CHECK_STR(sir.inner, "constant");
        /* The modem group has nothing changing: closed as a whole. */
        CHECK_STR(gtkw, "@c00200\n-modem (constant)\n");
        CHECK_STR(gtkw, "@1401200\n-modem (constant)\n");
    }
    free(gtkw);
    free(gpath);
    hdm_bench_buf_free(&g1);
    hdm_bench_buf_free(&g2);

    /* A pulse within one tick (rise and fall at tick 500) is invisible on
     * a wire: it becomes an event INTR_pulse next to INTR, in both files. */
    {
        hdm_bench_trace_t pt;
        CHECK(hdm_bench_trace_init(&pt, &hdm_bench_device_pl011));
        int intr = hdm_bench_device_signal(&hdm_bench_device_pl011, "INTR");
        hdm_bench_trace_level(&pt, (unsigned)intr, true, 500);
        hdm_bench_trace_level(&pt, (unsigned)intr, false, 500);
        hdm_bench_trace_level(&pt, (unsigned)intr, true, 600); /* a change */
        hdm_bench_buf_t pv, pg;
        hdm_bench_buf_init(&pv);
        hdm_bench_buf_init(&pg);
        CHECK(hdm_bench_vcd_write(&pv, &pt, &info));
        CHECK(hdm_bench_vcd_write_gtkw(&pg, &pt, &info, "p.vcd"));
        const char *vs = hdm_bench_buf_str(&pv);
        const char *ev = strstr(vs, "$var event 1 ");
        CHECK(ev != NULL);
        CHECK_STR(vs, " INTR_pulse $end");
        if (ev) {
            char id[8] = "", fire[16];
            CHECK(sscanf(ev, "$var event 1 %7s", id) == 1);
            /* tick 500 -> 20833333 ps; the event fires there only. */
            snprintf(fire, sizeof(fire), "\n1%s\n", id);
            const char *at = strstr(vs, "\n#20833333\n");
            CHECK(at != NULL && strstr(at, fire) != NULL);
            CHECK(strstr(vs, fire) == strstr(at ? at : vs, fire));
            CHECK(strstr(strstr(vs, fire) + 1, fire) == NULL);
        }
        CHECK(sanity(vs) > 0);
        const char *gs = hdm_bench_buf_str(&pg);
        CHECK_STR(gs, "pl011.irq.INTR\npl011.irq.INTR_pulse\n");
        CHECK_EQ_U(every_var_placed(vs, gs),
                   7 + hdm_bench_device_pl011.nsignals + 2 + 1);
        CHECK_STR(place(gs, "pl011.irq.INTR_pulse").outer, "interrupt lines");
        hdm_bench_buf_free(&pv);
        hdm_bench_buf_free(&pg);
        hdm_bench_trace_free(&pt);
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
