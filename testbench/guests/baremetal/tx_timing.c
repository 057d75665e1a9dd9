/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal check of hdm's PL011 serial timing on QEMU -M virt in
 * hardware mode (-global pl011.timing=on, quirks off): program 115200 8N1
 * from UARTCLK 24 MHz, send 1000 characters through the FIFO, wait for
 * BUSY=0, and compare the elapsed generic-timer time (CNTVCT_EL0 /
 * CNTFRQ_EL0) with 1000 frame times. Exit status (semihosting SYS_EXIT):
 * 0 within 1%, 1 outside, 2 if the UART never filled its FIFO.
 *
 * Frame time: Baud16 = UARTCLK / (IBRD + FBRD/64), one bit = 16 Baud16
 * periods, 8N1 = 10 bits: 10 * 16 * (64 * IBRD + FBRD) / (64 * UARTCLK).
 */
#include <stdint.h>

#define UART_BASE 0x09000000UL
#define UARTCLK   24000000ULL
#define BAUD      115200ULL
#define NCHARS    1000U

#define DR    0x000
#define FR    0x018
#define IBRD  0x024
#define FBRD  0x028
#define LCR_H 0x02c
#define CR    0x030
#define IMSC  0x038
#define ICR   0x044

#define FR_BUSY     (1U << 3)
#define FR_TXFF     (1U << 5)
#define FR_TXFE     (1U << 7)
#define LCR_H_FEN   (1U << 4)
#define LCR_H_WLEN8 (3U << 5)
#define CR_UARTEN   (1U << 0)
#define CR_TXE      (1U << 8)

static inline void wr(unsigned long off, uint32_t v)
{
    *(volatile uint32_t *)(UART_BASE + off) = v;
}

static inline uint32_t rd(unsigned long off)
{
    return *(volatile uint32_t *)(UART_BASE + off);
}

static inline uint64_t cntvct(void)
{
    uint64_t v;

    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}

static inline uint64_t cntfrq(void)
{
    uint64_t v;

    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

static void putc_uart(char c)
{
    while (rd(FR) & FR_TXFF)
        ;
    wr(DR, (uint8_t)c);
}

static void puts_uart(const char *s)
{
    while (*s)
        putc_uart(*s++);
}

static void putu(uint64_t v)
{
    char b[21];
    int i = 20;

    b[i] = 0;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    puts_uart(&b[i]);
}

int main(void)
{
    /* divisor = UARTCLK / (16 * BAUD) = 13.0208: IBRD 13, FBRD
     * round(0.0208 * 64) = 1 */
    const uint32_t div64 = (uint32_t)((UARTCLK * 4 + BAUD / 2) / BAUD);
    const uint32_t ibrd = div64 / 64, fbrd = div64 % 64;
    uint64_t freq, t0, t1, ticks, ns, expect_ns, dev_ppm;
    unsigned int i, full = 0;

    wr(CR, 0);
    wr(IMSC, 0);
    wr(ICR, 0x7ff);
    wr(IBRD, ibrd);
    wr(FBRD, fbrd);
    wr(LCR_H, LCR_H_WLEN8 | LCR_H_FEN); /* latches the divisor */
    wr(CR, CR_UARTEN | CR_TXE);

    freq = cntfrq();
    t0 = cntvct();
    for (i = 0; i < NCHARS; i++) {
        char c = (i % 50 == 49) ? '\n' : (char)('A' + i % 26);

        if (rd(FR) & FR_TXFF)
            full++;
        putc_uart(c);
    }
    while (rd(FR) & FR_BUSY)
        ;
    t1 = cntvct();

    ticks = t1 - t0;
    ns = ticks * 1000000000ULL / freq;
    /* 1000 frames of 10 bits of 16 Baud16 periods of (64*IBRD+FBRD)/64
     * UARTCLK cycles */
    expect_ns = (uint64_t)NCHARS * 10 * 16 * (64 * ibrd + fbrd) *
                1000000000ULL / (64 * UARTCLK);
    dev_ppm = ns > expect_ns ? (ns - expect_ns) * 1000000 / expect_ns
                             : (expect_ns - ns) * 1000000 / expect_ns;

    puts_uart("hdm-baremetal: tx_timing: IBRD ");
    putu(ibrd);
    puts_uart(" FBRD ");
    putu(fbrd);
    puts_uart(", CNTFRQ ");
    putu(freq);
    puts_uart(" Hz, ");
    putu(NCHARS);
    puts_uart(" frames in ");
    putu(ticks);
    puts_uart(" ticks = ");
    putu(ns);
    puts_uart(" ns, expected ");
    putu(expect_ns);
    puts_uart(" ns, deviation ");
    putu(dev_ppm);
    puts_uart(" ppm, TXFF seen ");
    putu(full);
    puts_uart(" times\n");
    while (rd(FR) & FR_BUSY)
        ;
    if (!full) {
        puts_uart("hdm-baremetal: FAIL: the FIFO never filled\n");
        while (rd(FR) & FR_BUSY)
            ;
        return 2;
    }
    if (dev_ppm > 10000) {
        puts_uart("hdm-baremetal: FAIL: more than 1% off\n");
        while (rd(FR) & FR_BUSY)
            ;
        return 1;
    }
    puts_uart("hdm-baremetal: PASS\n");
    while (rd(FR) & FR_BUSY)
        ;
    return 0;
}
