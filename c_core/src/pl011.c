/* SPDX-License-Identifier: MIT */
/*
 * hdm PL011 core. Citations: [TRM x.y] = ARM DDI 0183G sections; [MODEL] =
 * a choice where the TRM is silent, listed in docs/models/pl011.md
 * (Deviations). The digest ../shared/specs/pl011.md follows the same tags.
 *
 * Structure: every public entry point first runs the event loop up to its
 * tick (run_to), applies its change, then re-derives the outputs
 * (update_outputs) and reports a moved deadline. Internal events are:
 *   tx_next  frame start, UARTTXD/nSIROUT edge, frame end
 *   rx_next  receiver sample (one per bit, 3-sample majority)
 *   rt_at    receive timeout (512 Baud16 pulses after the last push)
 *   sir_low_until  end of a decoded IrDA bit on the receive side
 */
#include "hdm/pl011.h"
#include "hdm/pl011_regs.h"

#include "core_common.h"

#include <string.h>

enum { TX_IDLE = 0, TX_FRAME = 1, TX_BREAK = 2 };
enum { RX_IDLE = 0, RX_FRAME = 1, RX_WAIT_HIGH = 2 };

#define NEVER HDM_TICK_NEVER

/* Bits of the interrupt registers (IMSC/RIS/MIS/ICR share the layout). */
#define INT_RI  HDM_PL011_UARTRIS_RIRMIS_Msk
#define INT_CTS HDM_PL011_UARTRIS_CTSRMIS_Msk
#define INT_DCD HDM_PL011_UARTRIS_DCDRMIS_Msk
#define INT_DSR HDM_PL011_UARTRIS_DSRRMIS_Msk
#define INT_RX  HDM_PL011_UARTRIS_RXRIS_Msk
#define INT_TX  HDM_PL011_UARTRIS_TXRIS_Msk
#define INT_RT  HDM_PL011_UARTRIS_RTRIS_Msk
#define INT_FE  HDM_PL011_UARTRIS_FERIS_Msk
#define INT_PE  HDM_PL011_UARTRIS_PERIS_Msk
#define INT_BE  HDM_PL011_UARTRIS_BERIS_Msk
#define INT_OE  HDM_PL011_UARTRIS_OERIS_Msk
#define INT_MS  (INT_RI | INT_CTS | INT_DCD | INT_DSR)
#define INT_ERR (INT_FE | INT_PE | INT_BE | INT_OE)
#define INT_ALL HDM_PL011_UARTRIS_MASK

#define DR_FE HDM_PL011_UARTDR_FE_Msk
#define DR_PE HDM_PL011_UARTDR_PE_Msk
#define DR_BE HDM_PL011_UARTDR_BE_Msk
#define DR_OE HDM_PL011_UARTDR_OE_Msk

#define LCR_BRK  HDM_PL011_UARTLCR_H_BRK_Msk
#define LCR_PEN  HDM_PL011_UARTLCR_H_PEN_Msk
#define LCR_EPS  HDM_PL011_UARTLCR_H_EPS_Msk
#define LCR_STP2 HDM_PL011_UARTLCR_H_STP2_Msk
#define LCR_FEN  HDM_PL011_UARTLCR_H_FEN_Msk
#define LCR_SPS  HDM_PL011_UARTLCR_H_SPS_Msk

#define CR_UARTEN HDM_PL011_UARTCR_UARTEN_Msk
#define CR_SIREN  HDM_PL011_UARTCR_SIREN_Msk
#define CR_SIRLP  HDM_PL011_UARTCR_SIRLP_Msk
#define CR_LBE    HDM_PL011_UARTCR_LBE_Msk
#define CR_TXE    HDM_PL011_UARTCR_TXE_Msk
#define CR_RXE    HDM_PL011_UARTCR_RXE_Msk
#define CR_DTR    HDM_PL011_UARTCR_DTR_Msk
#define CR_RTS    HDM_PL011_UARTCR_RTS_Msk
#define CR_OUT1   HDM_PL011_UARTCR_OUT1_Msk
#define CR_OUT2   HDM_PL011_UARTCR_OUT2_Msk
#define CR_RTSEN  HDM_PL011_UARTCR_RTSEN_Msk
#define CR_CTSEN  HDM_PL011_UARTCR_CTSEN_Msk

#define TCR_ITEN     HDM_PL011_UARTTCR_ITEN_Msk
#define TCR_TESTFIFO HDM_PL011_UARTTCR_TESTFIFO_Msk
#define TCR_SIRTEST  HDM_PL011_UARTTCR_SIRTEST_Msk

#define BIT(n) (1u << (n))

/* Effective modem inputs, "asserted" sense, in RIS bit positions. */
#define MS_RI  INT_RI
#define MS_CTS INT_CTS
#define MS_DCD INT_DCD
#define MS_DSR INT_DSR

/* Ticks never wrap inside a core (docs/architecture.md), and NEVER is the
 * largest tick, so the plain minimum is the earliest event. */
static inline hdm_tick_t tmin(hdm_tick_t a, hdm_tick_t b)
{
    return a < b ? a : b;
}

static bool has_quirk(const hdm_pl011_t *dev, uint32_t q)
{
    return (dev->cfg.quirks & q) != 0;
}

static bool pin_in(const hdm_pl011_t *dev, unsigned pin)
{
    return (dev->s.in_pins & BIT(pin)) != 0;
}

/* ------------------------------------------------------------------ */
/* Baud16 generator [TRM 2.2.3, 2.4.3, 3.3.6]                          */
/* Pulse n is at t0 + floor(n * (64*IBRD + FBRD) / 64): the spacing    */
/* alternates between IBRD and IBRD+1 cycles and 64 pulses take exactly */
/* 64*IBRD+FBRD cycles [MODEL: fractional accumulator].                 */
/* ------------------------------------------------------------------ */

static bool gen_valid(const hdm_pl011_baudgen_t *g)
{
    return g->ibrd != 0;
}

static inline hdm_tick_t gen_pulse(const hdm_pl011_baudgen_t *g, uint64_t n)
{
    uint64_t p64 = ((uint64_t)g->ibrd << 6) + g->fbrd; /* < 2^22 */
    /* floor(n * p64 / 64), exact whenever the pulse tick fits in 64 bits */
    return g->t0 + (n >> 6) * p64 + (((n & 63u) * p64) >> 6);
}

/* Index of the first pulse at or after tick t. */
static uint64_t gen_index(const hdm_pl011_baudgen_t *g, hdm_tick_t t)
{
    if (t <= g->t0) {
        return 0;
    }
    uint64_t d = t - g->t0;
    uint64_t p64 = 64u * (uint64_t)g->ibrd + g->fbrd;
    uint64_t q = d / p64;
    if (q >= (UINT64_C(1) << 57)) {
        return q << 6; /* beyond HDM_TICK_MAX: unreachable, no search */
    }
    uint32_t r = (uint32_t)(d - q * p64); /* < p64 < 2^22 */
    uint64_t n = q * 64u + (uint32_t)(r * 64u) / (uint32_t)p64;
    while (gen_pulse(g, n) < t) {
        n++;
    }
    while (n > 0 && gen_pulse(g, n - 1) >= t) {
        n--;
    }
    return n;
}

/* Load the divisor registers into a generator view starting at t. */
static void gen_latch(const hdm_pl011_t *dev, hdm_pl011_baudgen_t *g,
                      hdm_tick_t t)
{
    uint32_t ibrd = dev->s.ibrd;
    uint32_t fbrd = dev->s.fbrd;
    /* [TRM 3.3.6] divisor 0 is invalid; with IBRD=0xFFFF FBRD must be 0. */
    if (ibrd == 0 || (ibrd == 0xFFFFu && fbrd != 0)) {
        ibrd = 0;
        fbrd = 0;
    }
    g->ibrd = ibrd;
    g->fbrd = fbrd;
    g->t0 = t;
}

/* ------------------------------------------------------------------ */
/* Frame format [TRM 2.4.5, 3.3.7 Tables 3-10, 3-11]                   */
/* ------------------------------------------------------------------ */

static unsigned lcr_wlen(unsigned lcr)
{
    return 5u + ((lcr & HDM_PL011_UARTLCR_H_WLEN_Msk) >>
                 HDM_PL011_UARTLCR_H_WLEN_Pos);
}

/* Bits up to and including the first stop bit. */
static unsigned lcr_bits_to_stop(unsigned lcr)
{
    return 1u + lcr_wlen(lcr) + ((lcr & LCR_PEN) ? 1u : 0u) + 1u;
}

static unsigned lcr_nbits(unsigned lcr)
{
    return lcr_bits_to_stop(lcr) + ((lcr & LCR_STP2) ? 1u : 0u);
}

/* Parity bit sent and expected for data d [TRM Table 3-11]. */
static unsigned lcr_parity(unsigned lcr, unsigned d)
{
    if (lcr & LCR_SPS) {
        return (lcr & LCR_EPS) ? 0u : 1u;
    }
    unsigned ones = 0;
    for (unsigned i = 0; i < lcr_wlen(lcr); i++) {
        ones ^= (d >> i) & 1u;
    }
    /* even parity: total number of ones even */
    return (lcr & LCR_EPS) ? ones : (ones ^ 1u);
}

/* ------------------------------------------------------------------ */
/* Gating, FIFO geometry and trigger levels                            */
/* ------------------------------------------------------------------ */

static bool uart_enabled(const hdm_pl011_t *dev)
{
    return (dev->s.cr & CR_UARTEN) ||
           has_quirk(dev, HDM_PL011_QUIRK_ALWAYS_ENABLED);
}

/* [TRM 3.3.8] TX needs UARTEN and TXE; RX needs UARTEN and RXE. */
static bool tx_enabled(const hdm_pl011_t *dev)
{
    if (has_quirk(dev, HDM_PL011_QUIRK_ALWAYS_ENABLED)) {
        return true;
    }
    return (dev->s.cr & CR_UARTEN) && (dev->s.cr & CR_TXE);
}

static bool rx_enabled(const hdm_pl011_t *dev)
{
    if (has_quirk(dev, HDM_PL011_QUIRK_ALWAYS_ENABLED)) {
        return true;
    }
    return (dev->s.cr & CR_UARTEN) && (dev->s.cr & CR_RXE);
}

/* [TRM 3.3.8 SIREN] no effect if UARTEN=0. */
static bool sir_active(const hdm_pl011_t *dev)
{
    return (dev->s.cr & CR_SIREN) && uart_enabled(dev);
}

static bool fifo_on(const hdm_pl011_t *dev)
{
    return (dev->s.lcr_h & LCR_FEN) != 0;
}

/* [TRM 2.4.3 Disabling the FIFOs] FEN=0: one-entry holding registers. */
static unsigned fifo_cap(const hdm_pl011_t *dev)
{
    return fifo_on(dev) ? dev->depth : 1u;
}

/* [TRM 3.3.9 Table 3-13]: 1/8, 1/4, 1/2, 3/4, 7/8; 5..7 as 7/8 [MODEL]. */
static unsigned ifls_entries(const hdm_pl011_t *dev, unsigned code)
{
    static const uint8_t eighths[8] = { 1, 2, 4, 6, 7, 7, 7, 7 };
    return (unsigned)dev->depth * eighths[code & 7u] / 8u;
}

/* RX level T_rx: interrupt when N_rx becomes >= T_rx. */
static unsigned rx_trigger(const hdm_pl011_t *dev)
{
    if (!fifo_on(dev) || has_quirk(dev, HDM_PL011_QUIRK_RX_TRIGGER_1)) {
        return 1;
    }
    return ifls_entries(dev, (dev->s.ifls & HDM_PL011_UARTIFLS_RXIFLSEL_Msk) >>
                                 HDM_PL011_UARTIFLS_RXIFLSEL_Pos);
}

/* RX watermark for RTS flow control [TRM 2.6.1]; FEN=0: 1 [MODEL]. */
static unsigned rx_watermark(const hdm_pl011_t *dev)
{
    if (!fifo_on(dev)) {
        return 1;
    }
    return ifls_entries(dev, (dev->s.ifls & HDM_PL011_UARTIFLS_RXIFLSEL_Msk) >>
                                 HDM_PL011_UARTIFLS_RXIFLSEL_Pos);
}

/* TX level T_tx: interrupt when N_tx becomes <= T_tx. */
static unsigned tx_trigger(const hdm_pl011_t *dev)
{
    return ifls_entries(dev, (dev->s.ifls & HDM_PL011_UARTIFLS_TXIFLSEL_Msk) >>
                                 HDM_PL011_UARTIFLS_TXIFLSEL_Pos);
}

/* ------------------------------------------------------------------ */
/* Modem signals [TRM 2.5, 3.3.3, 3.3.8, 4.5.2]                        */
/* ------------------------------------------------------------------ */

/* RTS as the UART drives it (asserted sense), incl. RTS flow control. */
static bool rts_asserted(const hdm_pl011_t *dev)
{
    if (dev->s.cr & CR_RTSEN) {
        /* [TRM 2.6.1] asserted while the RX FIFO is below the watermark */
        return dev->s.rx_count < rx_watermark(dev);
    }
    return (dev->s.cr & CR_RTS) != 0;
}

/* Effective modem inputs after loopback muxing [TRM 3.3.8 LBE, 4.5.2]. */
static unsigned modem_inputs(const hdm_pl011_t *dev)
{
    unsigned ms = 0;
    if (dev->s.cr & CR_LBE) {
        if (rts_asserted(dev)) {
            ms |= MS_CTS;
        }
        if (dev->s.cr & CR_DTR) {
            ms |= MS_DSR;
        }
        if (dev->s.cr & CR_OUT1) {
            ms |= MS_DCD;
        }
        if (dev->s.cr & CR_OUT2) {
            ms |= MS_RI;
        }
        return ms;
    }
    if (!pin_in(dev, HDM_PL011_IN_NCTS)) {
        ms |= MS_CTS;
    }
    if (!pin_in(dev, HDM_PL011_IN_NDSR)) {
        ms |= MS_DSR;
    }
    if (!pin_in(dev, HDM_PL011_IN_NDCD)) {
        ms |= MS_DCD;
    }
    if (!pin_in(dev, HDM_PL011_IN_NRI)) {
        ms |= MS_RI;
    }
    return ms;
}

/* [TRM 2.6.2] CTS flow control; modem inputs ignored in SIR mode. */
static bool cts_allows_tx(const hdm_pl011_t *dev)
{
    if (!(dev->s.cr & CR_CTSEN) || sir_active(dev)) {
        return true;
    }
    return (modem_inputs(dev) & MS_CTS) != 0;
}

/* ------------------------------------------------------------------ */
/* Transmit line                                                       */
/* ------------------------------------------------------------------ */

static hdm_tick_t tx_cell_start(const hdm_pl011_t *dev, unsigned k)
{
    return gen_pulse(&dev->s.gen_tx, dev->s.tx_n0 + 16u * k);
}

/* Bit cell containing tick t of the current frame. */
static unsigned tx_cell_at(const hdm_pl011_t *dev, hdm_tick_t t)
{
    uint64_t m = gen_index(&dev->s.gen_tx, t + 1) - 1; /* last pulse <= t */
    uint64_t k = (m - dev->s.tx_n0) / 16u;
    return k >= dev->s.tx_nbits ? dev->s.tx_nbits - 1u : (unsigned)k;
}

/* Width of an IrDA pulse in ticks [TRM 2.4.4, 3.3.4, 3.3.8 SIRLP]. */
static hdm_tick_t sir_pulse_width(const hdm_pl011_t *dev, unsigned k)
{
    hdm_tick_t cell = tx_cell_start(dev, k + 1) - tx_cell_start(dev, k);
    hdm_tick_t w;
    if (dev->s.cr & CR_SIRLP) {
        /* 3 IrLPBaud16 periods, IrLPBaud16 = UARTCLK / ILPDVSR */
        w = 3u * (hdm_tick_t)dev->s.ilpr;
    } else {
        /* 3 Baud16 periods: 3/16 of the bit */
        uint64_t n = dev->s.tx_n0 + 16u * k;
        w = gen_pulse(&dev->s.gen_tx, n + 3) - gen_pulse(&dev->s.gen_tx, n);
    }
    return w >= cell ? cell - 1 : w;
}

/* Bit stream level (UARTTXD when not in SIR mode) at tick t. */
static bool tx_nrz_at(const hdm_pl011_t *dev, hdm_tick_t t)
{
    const hdm_pl011_state_t *s = &dev->s;
    if (s->tx_state == TX_BREAK) {
        return false;
    }
    if (s->tx_state != TX_FRAME || t < s->tx_start || t >= s->tx_end) {
        return true;
    }
    return (s->tx_shift >> tx_cell_at(dev, t)) & 1u;
}

/* nSIROUT at tick t: HIGH pulse at the start of every 0 bit [MODEL]. */
static bool tx_sir_at(const hdm_pl011_t *dev, hdm_tick_t t)
{
    const hdm_pl011_state_t *s = &dev->s;
    if (s->tx_state != TX_FRAME || t < s->tx_start || t >= s->tx_end ||
        !(s->tx_data_sir)) {
        return false;
    }
    if (s->cr & CR_SIRLP && s->ilpr == 0) {
        return false; /* [TRM 3.3.4] ILPDVSR=0: no IrLPBaud16 pulses */
    }
    unsigned k = tx_cell_at(dev, t);
    if ((s->tx_shift >> k) & 1u) {
        return false;
    }
    return t < tx_cell_start(dev, k) + sir_pulse_width(dev, k);
}

/* Next tick > t at which UARTTXD (or nSIROUT) changes in this frame,
 * scanning from the cell of the last edge; records the edge's cell. */
static hdm_tick_t tx_next_edge(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    if (!s->tx_data_sir) {
        /* NRZ: cells whose level differs from the previous cell's */
        unsigned diff = (s->tx_shift ^ ((unsigned)s->tx_shift << 1)) &
                        ((1u << s->tx_nbits) - 1u) & ~((2u << s->tx_bit) - 1u);
        for (unsigned k = s->tx_bit + 1u; diff; k++) {
            if (diff & (1u << k)) {
                diff &= ~(1u << k);
                hdm_tick_t c = tx_cell_start(dev, k);
                if (c > t) {
                    s->tx_bit = (uint8_t)k;
                    return c;
                }
            }
        }
        return NEVER;
    }
    for (unsigned k = s->tx_bit; k < s->tx_nbits; k++) {
        hdm_tick_t c = tx_cell_start(dev, k);
        bool zero = !((s->tx_shift >> k) & 1u);
        {
            if (!zero || ((s->cr & CR_SIRLP) && s->ilpr == 0)) {
                continue;
            }
            if (c > t) {
                s->tx_bit = (uint8_t)k;
                return c;
            }
            hdm_tick_t f = c + sir_pulse_width(dev, k);
            if (f > t) {
                s->tx_bit = (uint8_t)k;
                return f;
            }
        }
    }
    return NEVER;
}

static bool tx_wants_edges(const hdm_pl011_t *dev)
{
    return dev->cfg.tx_pin_edges || (dev->s.cr & CR_LBE);
}

/* ------------------------------------------------------------------ */
/* Output derivation and reporting                                     */
/* ------------------------------------------------------------------ */

static unsigned mis(const hdm_pl011_t *dev)
{
    return dev->s.ris & dev->s.imsc;
}

/* Six interrupt lines from MIS [TRM 2.8], or from UARTITOP with ITEN. */
static unsigned irq_levels(const hdm_pl011_t *dev)
{
    const hdm_pl011_state_t *s = &dev->s;
    unsigned l = 0;
    if (s->tcr & TCR_ITEN) {
        if (s->itop & HDM_PL011_UARTITOP_INTR_Msk) {
            l |= BIT(HDM_PL011_IRQ_INTR);
        }
        if (s->itop & HDM_PL011_UARTITOP_RXINTR_Msk) {
            l |= BIT(HDM_PL011_IRQ_RXINTR);
        }
        if (s->itop & HDM_PL011_UARTITOP_TXINTR_Msk) {
            l |= BIT(HDM_PL011_IRQ_TXINTR);
        }
        if (s->itop & HDM_PL011_UARTITOP_RTINTR_Msk) {
            l |= BIT(HDM_PL011_IRQ_RTINTR);
        }
        if (s->itop & HDM_PL011_UARTITOP_MSINTR_Msk) {
            l |= BIT(HDM_PL011_IRQ_MSINTR);
        }
        if (s->itop & HDM_PL011_UARTITOP_EINTR_Msk) {
            l |= BIT(HDM_PL011_IRQ_EINTR);
        }
        return l;
    }
    unsigned m = mis(dev);
    if (m & INT_RX) {
        l |= BIT(HDM_PL011_IRQ_RXINTR);
    }
    if (m & INT_TX) {
        l |= BIT(HDM_PL011_IRQ_TXINTR);
    }
    if (m & INT_RT) {
        l |= BIT(HDM_PL011_IRQ_RTINTR);
    }
    if (m & INT_MS) {
        l |= BIT(HDM_PL011_IRQ_MSINTR);
    }
    if (m & INT_ERR) {
        l |= BIT(HDM_PL011_IRQ_EINTR);
    }
    if (m) {
        l |= BIT(HDM_PL011_IRQ_INTR);
    }
    return l;
}

static bool dmaclr(const hdm_pl011_t *dev, unsigned pin, unsigned itip_bit)
{
    return pin_in(dev, pin) ||
           ((dev->s.tcr & TCR_ITEN) && (dev->s.itip & itip_bit));
}

/* Slow output pins: modem outputs and DMA requests [TRM 2.5, 2.7]. */
static unsigned slow_pin_levels(const hdm_pl011_t *dev)
{
    const hdm_pl011_state_t *s = &dev->s;
    unsigned p = 0;
    if (s->tcr & TCR_ITEN) {
        static const struct {
            uint8_t pin;
            uint16_t bit;
        } map[] = {
            { HDM_PL011_OUT_NRTS, HDM_PL011_UARTITOP_NUARTRTS_Msk },
            { HDM_PL011_OUT_NDTR, HDM_PL011_UARTITOP_NUARTDTR_Msk },
            { HDM_PL011_OUT_NOUT1, HDM_PL011_UARTITOP_NUARTOUT1_Msk },
            { HDM_PL011_OUT_NOUT2, HDM_PL011_UARTITOP_NUARTOUT2_Msk },
            { HDM_PL011_OUT_TXDMASREQ, HDM_PL011_UARTITOP_TXDMASREQ_Msk },
            { HDM_PL011_OUT_TXDMABREQ, HDM_PL011_UARTITOP_TXDMABREQ_Msk },
            { HDM_PL011_OUT_RXDMASREQ, HDM_PL011_UARTITOP_RXDMASREQ_Msk },
            { HDM_PL011_OUT_RXDMABREQ, HDM_PL011_UARTITOP_RXDMABREQ_Msk },
        };
        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
            if (s->itop & map[i].bit) {
                p |= BIT(map[i].pin);
            }
        }
        return p;
    }
    /* Outputs are the complements of the CR bits [TRM 3.3.8]. */
    if (!rts_asserted(dev)) {
        p |= BIT(HDM_PL011_OUT_NRTS);
    }
    if (!(s->cr & CR_DTR)) {
        p |= BIT(HDM_PL011_OUT_NDTR);
    }
    if (!(s->cr & CR_OUT1)) {
        p |= BIT(HDM_PL011_OUT_NOUT1);
    }
    if (!(s->cr & CR_OUT2)) {
        p |= BIT(HDM_PL011_OUT_NOUT2);
    }
    /* DMA requests [TRM 2.7, 3.3.14]: off while disabled; FEN=0 single only */
    if (uart_enabled(dev)) {
        bool fen = fifo_on(dev);
        if ((s->dmacr & HDM_PL011_UARTDMACR_TXDMAE_Msk) &&
            !dmaclr(dev, HDM_PL011_IN_TXDMACLR,
                    HDM_PL011_UARTITIP_TXDMACLR_Msk)) {
            if (s->tx_count < fifo_cap(dev)) {
                p |= BIT(HDM_PL011_OUT_TXDMASREQ);
            }
            if (fen && s->tx_count <= tx_trigger(dev)) {
                p |= BIT(HDM_PL011_OUT_TXDMABREQ);
            }
        }
        bool blocked = (s->dmacr & HDM_PL011_UARTDMACR_DMAONERR_Msk) &&
                       (mis(dev) & INT_ERR);
        if ((s->dmacr & HDM_PL011_UARTDMACR_RXDMAE_Msk) && !blocked &&
            !dmaclr(dev, HDM_PL011_IN_RXDMACLR,
                    HDM_PL011_UARTITIP_RXDMACLR_Msk)) {
            if (s->rx_count >= 1) {
                p |= BIT(HDM_PL011_OUT_RXDMASREQ);
            }
            if (fen && s->rx_count >= rx_trigger(dev)) {
                p |= BIT(HDM_PL011_OUT_RXDMABREQ);
            }
        }
    }
    return p;
}

/* UARTTXD and nSIROUT levels: exact at tick t if @a exact, else as last
 * walked by the TX events (exact whenever edges are walked). */
static unsigned line_pin_levels(const hdm_pl011_t *dev, hdm_tick_t t,
                                bool exact)
{
    const hdm_pl011_state_t *s = &dev->s;
    unsigned p = 0;
    if (s->tcr & TCR_ITEN) {
        if (s->itop & HDM_PL011_UARTITOP_UARTTXD_Msk) {
            p |= BIT(HDM_PL011_OUT_TXD);
        }
        if (s->itop & HDM_PL011_UARTITOP_NSIROUT_Msk) {
            p |= BIT(HDM_PL011_OUT_NSIROUT);
        }
        return p;
    }
    bool nrz = exact ? tx_nrz_at(dev, t) : s->tx_line;
    bool sir = exact ? tx_sir_at(dev, t) : s->tx_sir_hi;
    /* [TRM 3.3.8 SIREN] UARTTXD held HIGH in SIR mode */
    if (s->tx_data_sir || sir_active(dev) || nrz) {
        p |= BIT(HDM_PL011_OUT_TXD);
    }
    if (sir) {
        p |= BIT(HDM_PL011_OUT_NSIROUT);
    }
    return p;
}

static void rx_input_update(hdm_pl011_t *dev, hdm_tick_t t);
static void tx_reschedule(hdm_pl011_t *dev, hdm_tick_t t);

/*
 * Everything the outputs (lines, pins, modem status) are a function of.
 * Outputs are re-derived only when this changed, so that an access or event
 * that touches none of it (most DR writes, FIFO pops with no DMA or flow
 * control) costs no output work.
 */
typedef struct out_key {
    uint16_t regs[14]; /* ilpr .. in_pins, contiguous in the state */
    uint16_t counts;
    uint8_t tx_line, tx_sir_hi, tx_data_sir, pad;
} out_key_t;

static out_key_t out_key(const hdm_pl011_t *dev)
{
    const hdm_pl011_state_t *s = &dev->s;
    out_key_t k;
    memcpy(k.regs, &s->ilpr, sizeof(k.regs));
    /* the serial data inputs feed the receiver, no output directly */
    k.regs[13] &= (uint16_t) ~(BIT(HDM_PL011_IN_RXD) | BIT(HDM_PL011_IN_SIRIN));
    k.counts = 0;
    if (s->dmacr & HDM_PL011_UARTDMACR_TXDMAE_Msk) {
        k.counts |= s->tx_count;
    }
    if (s->dmacr & HDM_PL011_UARTDMACR_RXDMAE_Msk || s->cr & CR_RTSEN) {
        /* DMA, RTS (and the looped-back CTS) follow the RX level */
        k.counts |= (uint16_t)(s->rx_count << 8);
    }
    k.tx_line = s->tx_line;
    k.tx_sir_hi = s->tx_sir_hi;
    k.tx_data_sir = s->tx_data_sir;
    k.pad = 0;
    return k;
}

static bool out_key_eq(out_key_t x, out_key_t y)
{
    return memcmp(&x, &y, sizeof(x)) == 0;
}

/*
 * The part of out_key() that internal events, FIFO pushes and pops can
 * change: RIS, the walked line levels and, only where DMA or RTS flow
 * control follow them, the FIFO levels. Configuration registers and modem
 * inputs change only through writes and set_input(), which use out_key().
 */
static inline uint64_t light_key(const hdm_pl011_state_t *s)
{
    uint64_t k = s->ris | (uint64_t)s->tx_line << 16 |
                 (uint64_t)s->tx_sir_hi << 17 | (uint64_t)s->tx_data_sir << 18 |
                 (uint64_t)s->tx_state << 20;
    if ((s->dmacr &
         (HDM_PL011_UARTDMACR_TXDMAE_Msk | HDM_PL011_UARTDMACR_RXDMAE_Msk)) ||
        (s->cr & CR_RTSEN)) {
        k |= (uint64_t)s->tx_count << 24 | (uint64_t)s->rx_count << 32;
    }
    return k;
}

/* Re-derive every output and report each change with tick t. */
static void update_outputs(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;

    /* Modem status interrupts on any change of an effective input
     * [TRM 2.8.1]; no effect in SIR mode [TRM 3.3.8]. The RTS loopback path
     * depends on the RX FIFO level, so this runs after every change. */
    unsigned ms = modem_inputs(dev);
    if (ms != s->ms_seen) {
        unsigned changed = ms ^ s->ms_seen;
        if (!sir_active(dev)) {
            s->ris |= (uint16_t)changed;
        }
        s->ms_seen = (uint16_t)ms;
        if (changed & MS_CTS) {
            tx_reschedule(dev, t); /* [TRM 2.6.2] CTS checked per char */
        }
    }

    unsigned lines = irq_levels(dev);
    unsigned dl = lines ^ s->irq_lines;
    s->irq_lines = (uint16_t)lines;
    for (unsigned i = 0; dl && i < HDM_PL011_IRQ_COUNT; i++) {
        if ((dl & BIT(i)) && dev->host.irq) {
            dev->host.irq(dev->host.opaque, i, (lines >> i) & 1u, t);
        }
    }

    unsigned pins = slow_pin_levels(dev) | line_pin_levels(dev, t, false);
    unsigned dp = pins ^ s->out_pins;
    s->out_pins = (uint16_t)pins;
    for (unsigned i = 0; dp && i < HDM_PL011_OUT_COUNT; i++) {
        if (!(dp & BIT(i)) || !dev->host.pin) {
            continue;
        }
        bool line_pin = i == HDM_PL011_OUT_TXD || i == HDM_PL011_OUT_NSIROUT;
        if (line_pin && !dev->cfg.tx_pin_edges) {
            continue;
        }
        dev->host.pin(dev->host.opaque, i, (pins >> i) & 1u, t);
    }

    /* Loopback: the transmit stream is the receiver's input. */
    if (s->cr & CR_LBE) {
        rx_input_update(dev, t);
    }
}

/* ------------------------------------------------------------------ */
/* Receive FIFO, errors, timeout [TRM 2.4.3, 2.8.2, 2.8.4, 2.8.5]     */
/* ------------------------------------------------------------------ */

static void rt_arm(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    s->rt_ref = t;
    /* [TRM Table 3-15 footnote] RTRIS can only set while RTIM=1. */
    if (!(s->imsc & INT_RT) || s->rx_count == 0 || !gen_valid(&s->gen_rx)) {
        s->rt_at = NEVER;
        return;
    }
    /* 32 bit periods = 512 Baud16 pulses after t [TRM 2.8.4] */
    s->rt_at = gen_pulse(&s->gen_rx, gen_index(&s->gen_rx, t + 1) + 511u);
}

static void rx_push(hdm_pl011_t *dev, hdm_tick_t t, unsigned word)
{
    hdm_pl011_state_t *s = &dev->s;
    if (s->rx_count >= fifo_cap(dev)) {
        /* [TRM 2.4.3 Overrun bit] character lost, OE set at once; the next
         * character that fits carries the overrun indication. */
        s->rsr |= HDM_PL011_UARTRSR_OE_Msk;
        s->ris |= INT_OE;
        s->overrun = 1;
        return;
    }
    if (s->overrun) {
        word |= DR_OE;
        s->overrun = 0;
    }
    unsigned idx = (s->rx_head + s->rx_count) & (dev->depth - 1u);
    s->rx_fifo[idx] = (uint16_t)(word & HDM_PL011_UARTDR_MASK);
    s->rx_count++;
    if (word & DR_FE) {
        s->ris |= INT_FE;
    }
    if (word & DR_PE) {
        s->ris |= INT_PE;
    }
    if (word & DR_BE) {
        s->ris |= INT_BE;
    }
    /* [TRM 2.8.2] RXRIS sets on the transition to the trigger level */
    if (s->rx_count == rx_trigger(dev)) {
        s->ris |= INT_RX;
    }
    rt_arm(dev, t);
}

static void rx_after_pop(hdm_pl011_t *dev)
{
    hdm_pl011_state_t *s = &dev->s;
    /* [TRM 2.8.2] RXRIS clears when reads take the level below T */
    if (s->rx_count < rx_trigger(dev)) {
        s->ris &= (uint16_t)~INT_RX;
    }
    /* [TRM 2.8.4] RTRIS clears when the FIFO empties */
    if (s->rx_count == 0) {
        s->ris &= (uint16_t)~INT_RT;
        s->rt_at = NEVER;
    }
}

static unsigned rx_pop(hdm_pl011_t *dev)
{
    hdm_pl011_state_t *s = &dev->s;
    unsigned w = s->rx_fifo[s->rx_head];
    s->rx_head = (uint8_t)((s->rx_head + 1u) & (dev->depth - 1u));
    s->rx_count--;
    rx_after_pop(dev);
    return w;
}

static void flush_fifos(hdm_pl011_t *dev)
{
    hdm_pl011_state_t *s = &dev->s;
    s->tx_head = s->tx_count = 0;
    s->rx_head = s->rx_count = 0;
    rx_after_pop(dev);
}

/* ------------------------------------------------------------------ */
/* Receiver: 16x sampler on the input line [TRM 2.4.3]                 */
/* ------------------------------------------------------------------ */

/* Levels of the receiver input strictly before each of three ascending
 * ticks, in one walk of the history; returns the number of HIGH ones. */
static unsigned rx_votes(const hdm_pl011_t *dev, hdm_tick_t t0, hdm_tick_t t1,
                         hdm_tick_t t2)
{
    const hdm_pl011_state_t *s = &dev->s;
    unsigned i = s->hist_head;
    if (s->hist_count == 0 ||
        s->hist_t[(i + HDM_PL011_HIST - 1u) % HDM_PL011_HIST] < t0) {
        return 3u * s->line; /* no transition near the samples */
    }
    hdm_tick_t ts[3] = { t2, t1, t0 };
    unsigned votes = 0, j = 0;
    bool lvl = s->line; /* level after the newest transition */
    for (unsigned n = 0; n < s->hist_count && j < 3; n++) {
        i = (i + HDM_PL011_HIST - 1u) % HDM_PL011_HIST;
        /* samples after this transition see the level it set */
        while (j < 3 && ts[j] > s->hist_t[i]) {
            votes += s->hist_lvl[i];
            j++;
        }
        lvl = !s->hist_lvl[i]; /* before it (transitions alternate) */
    }
    for (; j < 3; j++) {
        votes += lvl;
    }
    return votes;
}

static uint64_t rx_center(const hdm_pl011_t *dev, unsigned k)
{
    /* detection pulse + 7 = bit centre (Baud16 ticks 7, 8, 9 of the bit) */
    return dev->s.rx_n0 + 7u + 16u * k;
}

static void rx_schedule_sample(hdm_pl011_t *dev)
{
    hdm_pl011_state_t *s = &dev->s;
    s->rx_next = gen_pulse(&s->gen_rx, rx_center(dev, s->rx_bit) + 1u);
}

/* A LOW on the line starts the receive counter [TRM 2.4.3]. */
static void rx_detect_start(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    if (!rx_enabled(dev) || !gen_valid(&s->gen_rx)) {
        return;
    }
    s->rx_state = RX_FRAME;
    s->rx_lcr = (uint8_t)s->lcr_h;
    s->rx_bit = 0;
    s->rx_shift = 0;
    s->rx_n0 = gen_index(&s->gen_rx, t + 1); /* first pulse after the edge */
    rx_schedule_sample(dev);
}

static bool rx_line_input(const hdm_pl011_t *dev, hdm_tick_t t)
{
    const hdm_pl011_state_t *s = &dev->s;
    if (sir_active(dev)) {
        return !(s->sir_low_until != NEVER && t < s->sir_low_until);
    }
    (void)t;
    if (s->cr & CR_LBE) {
        return s->tx_line; /* walked: loopback implies the edge walk */
    }
    return pin_in(dev, HDM_PL011_IN_RXD);
}

static void rx_input_update(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    bool lvl = rx_line_input(dev, t);
    if (lvl == (bool)s->line) {
        return;
    }
    s->hist_t[s->hist_head] = t;
    s->hist_lvl[s->hist_head] = lvl;
    s->hist_head = (uint8_t)((s->hist_head + 1u) % HDM_PL011_HIST);
    if (s->hist_count < HDM_PL011_HIST) {
        s->hist_count++;
    }
    s->line = lvl;
    if (!lvl && s->rx_state == RX_IDLE) {
        rx_detect_start(dev, t);
    } else if (lvl && s->rx_state == RX_WAIT_HIGH) {
        s->rx_state = RX_IDLE;
    }
}

static void rx_frame_done(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    unsigned lcr = s->rx_lcr;
    unsigned wlen = lcr_wlen(lcr);
    unsigned stop_k = lcr_bits_to_stop(lcr) - 1u;
    unsigned data = (s->rx_shift >> 1) & ((1u << wlen) - 1u);
    unsigned word = data;
    bool stop = (s->rx_shift >> stop_k) & 1u;
    if (!stop) {
        word |= DR_FE;
    }
    if (lcr & LCR_PEN) {
        unsigned pbit = (s->rx_shift >> (wlen + 1u)) & 1u;
        if (pbit != lcr_parity(lcr, data)) {
            word |= DR_PE;
        }
    }
    /* [TRM 2.4.3 Error bits, Table 3-2] break: the line stayed LOW for the
     * whole frame; one 0 character with BE (and FE) is loaded and the
     * receiver waits for the line to go HIGH again. */
    bool brk = (s->rx_shift & ((1u << (stop_k + 1u)) - 1u)) == 0;
    if (brk) {
        word = DR_BE | DR_FE | (word & DR_PE);
    }
    rx_push(dev, t, word);
    s->rx_next = NEVER;
    if (s->rx_latch) {
        s->rx_latch = 0;
        gen_latch(dev, &s->gen_rx, t);
        if (s->rt_at != NEVER) {
            rt_arm(dev, s->rt_ref); /* count on at the new rate */
        }
    }
    if (brk && !s->line) {
        s->rx_state = RX_WAIT_HIGH;
    } else {
        s->rx_state = RX_IDLE;
        if (!s->line) {
            rx_detect_start(dev, t);
        }
    }
}

static void rx_event(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    uint64_t c = rx_center(dev, s->rx_bit);
    /* the event itself is at the third sample, pulse c + 1 */
    unsigned votes = rx_votes(dev, gen_pulse(&s->gen_rx, c - 1u),
                              gen_pulse(&s->gen_rx, c), t);
    bool bit = votes >= 2;
    if (s->rx_bit == 0 && bit) {
        /* false start bit [TRM 2.4.3] */
        s->rx_state = RX_IDLE;
        s->rx_next = NEVER;
        if (!s->line) {
            rx_detect_start(dev, t);
        }
        return;
    }
    if (bit) {
        s->rx_shift |= (uint16_t)(1u << s->rx_bit);
    }
    if (s->rx_bit + 1u >= lcr_bits_to_stop(s->rx_lcr)) {
        rx_frame_done(dev, t);
        return;
    }
    s->rx_bit++;
    rx_schedule_sample(dev);
}

/* IrDA receive decoder: a LOW pulse on SIRIN is a 0 bit cell [TRM 2.4.4]. */
static void sir_in_update(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    bool in;
    if ((s->cr & CR_LBE) && (s->tcr & TCR_SIRTEST)) {
        in = !s->tx_sir_hi; /* nSIROUT inverted into SIRIN */
    } else {
        in = pin_in(dev, HDM_PL011_IN_SIRIN);
    }
    bool low = !in;
    if (low == (bool)s->sir_in_low) {
        return;
    }
    s->sir_in_low = low;
    if (!low || !sir_active(dev) || !gen_valid(&s->gen_rx)) {
        return;
    }
    /* half duplex unless SIRTEST [TRM 2.4.4] */
    if (s->tx_state == TX_FRAME && !(s->tcr & TCR_SIRTEST)) {
        return;
    }
    s->sir_fall = t;
    hdm_tick_t end = gen_pulse(&s->gen_rx, gen_index(&s->gen_rx, t) + 16u);
    if (s->sir_low_until == NEVER || end > s->sir_low_until) {
        s->sir_low_until = end;
    }
    rx_input_update(dev, t);
}

/* ------------------------------------------------------------------ */
/* Transmitter [TRM 2.4.3, 3.3.1, 3.3.7, 3.3.8]                        */
/* ------------------------------------------------------------------ */

/* Line bits of a frame, bit 0 first on the wire: start 0, data LSB
 * first, parity, stop 1s [TRM 2.4.5, Table 3-11]. */
static unsigned frame_bits(unsigned lcr, unsigned d)
{
    unsigned bits = d << 1;
    unsigned k = 1u + lcr_wlen(lcr);
    if (lcr & LCR_PEN) {
        bits |= lcr_parity(lcr, d) << k;
        k++;
    }
    bits |= 1u << k;
    if (lcr & LCR_STP2) {
        bits |= 1u << (k + 1u);
    }
    return bits;
}

static bool tx_can_start(const hdm_pl011_t *dev)
{
    const hdm_pl011_state_t *s = &dev->s;
    return s->tx_count > 0 && !s->tx_hold && tx_enabled(dev) &&
           gen_valid(&s->gen_tx) && !(s->lcr_h & LCR_BRK) &&
           cts_allows_tx(dev) && !has_quirk(dev, HDM_PL011_QUIRK_INSTANT_TX);
}

/* Idle transmitter: schedule the next start bit, on the first Baud16 pulse
 * at least 2 cycles after the transmitter became ready [MODEL]. */
static void tx_reschedule(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    if (s->tx_state != TX_IDLE) {
        return;
    }
    if (!tx_can_start(dev)) {
        s->tx_ready = NEVER;
        s->tx_next = NEVER;
        return;
    }
    if (s->tx_ready == NEVER) {
        s->tx_ready = t + 2u;
    } else if (s->tx_next != NEVER) {
        return; /* already scheduled on the current generator view */
    }
    s->tx_next_n = gen_index(&s->gen_tx, s->tx_ready);
    s->tx_next = gen_pulse(&s->gen_tx, s->tx_next_n);
}

/* The generator view changed: recompute a scheduled start. */
static void tx_regen(hdm_pl011_t *dev, hdm_tick_t t)
{
    if (dev->s.tx_state == TX_IDLE) {
        dev->s.tx_next = NEVER;
        tx_reschedule(dev, t);
    }
}

static void tx_schedule_in_frame(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    s->tx_next = s->tx_end;
    if (tx_wants_edges(dev)) {
        s->tx_next = tmin(tx_next_edge(dev, t), s->tx_end);
    }
}

/* Frame format the transmitter uses [TRM 3.3.7]: UARTLCR_H, with 8 data bits
 * under HDM_PL011_QUIRK_TX_8BIT (QEMU ignores WLEN on TX). */
static unsigned tx_format(const hdm_pl011_t *dev)
{
    unsigned lcr = dev->s.lcr_h;
    if (has_quirk(dev, HDM_PL011_QUIRK_TX_8BIT)) {
        lcr |= HDM_PL011_UARTLCR_H_WLEN_Msk;
    }
    return lcr;
}

static void tx_start_frame(hdm_pl011_t *dev, hdm_tick_t t, uint64_t n0)
{
    hdm_pl011_state_t *s = &dev->s;
    unsigned lcr = tx_format(dev);
    unsigned wlen = lcr_wlen(lcr);
    /* [TRM 3.3.1] pop the next character into the shift register */
    unsigned d = s->tx_fifo[s->tx_head] & ((1u << wlen) - 1u);
    s->tx_head = (uint8_t)((s->tx_head + 1u) & (dev->depth - 1u));
    s->tx_count--;
    /* [TRM 2.8.3] TXRIS on the transition through the level; FEN=0 when the
     * holding register empties. */
    if (fifo_on(dev) ? s->tx_count == tx_trigger(dev) : s->tx_count == 0) {
        s->ris |= INT_TX;
    }
    s->tx_shift = (uint16_t)frame_bits(lcr, d);
    s->tx_data = (uint8_t)d;
    s->tx_lcr = (uint8_t)lcr;
    s->tx_nbits = (uint8_t)lcr_nbits(lcr);
    s->tx_data_sir = sir_active(dev);
    s->tx_n0 = n0;
    s->tx_bit = 0;
    s->tx_line = s->tx_data_sir ? 1u : 0u; /* start bit */
    s->tx_sir_hi = s->tx_data_sir && !((s->cr & CR_SIRLP) && s->ilpr == 0);
    s->tx_start = t;
    s->tx_end = tx_cell_start(dev, s->tx_nbits);
    s->tx_state = TX_FRAME;
    s->tx_ready = NEVER;
    tx_schedule_in_frame(dev, t);
}

static void tx_report_frame(hdm_pl011_t *dev, const hdm_pl011_frame_t *f)
{
    if (dev->host.tx_frame) {
        dev->host.tx_frame(dev->host.opaque, f);
    }
}

static void tx_end_frame(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    hdm_pl011_frame_t f;
    memset(&f, 0, sizeof(f));
    f.data = s->tx_data;
    f.bits = (uint8_t)lcr_wlen(s->tx_lcr);
    if (s->tx_lcr & LCR_PEN) {
        f.flags |= HDM_PL011_FRAME_PARITY;
        f.parity_bit = (uint8_t)((s->tx_shift >> (f.bits + 1u)) & 1u);
    }
    if (s->tx_lcr & LCR_STP2) {
        f.flags |= HDM_PL011_FRAME_STOP2;
    }
    if (s->tx_data_sir) {
        f.flags |= HDM_PL011_FRAME_SIR;
    }
    f.start = s->tx_start;
    f.end = t;
    uint64_t n_end = s->tx_n0 + 16u * s->tx_nbits;
    s->tx_state = TX_IDLE;
    s->tx_data_sir = 0;
    s->tx_line = 1;
    s->tx_sir_hi = 0;
    s->tx_next = NEVER;
    /* [TRM 3.3.6] a new divisor takes effect between characters */
    if (s->tx_latch) {
        s->tx_latch = 0;
        gen_latch(dev, &s->gen_tx, t);
        n_end = 0; /* the new view's pulse 0 is at t */
    }
    tx_report_frame(dev, &f);
    if (s->lcr_h & LCR_BRK) {
        /* [TRM 3.3.7 BRK] after the current character, TXD held LOW */
        s->tx_state = TX_BREAK;
        s->tx_start = t;
        s->tx_line = 0;
        return;
    }
    if (tx_can_start(dev)) {
        /* back to back: the next start bit begins at the stop bit's end */
        tx_start_frame(dev, t, n_end);
    }
}

/* A walked UARTTXD/nSIROUT edge inside a frame: only the line pins (and
 * the looped-back receiver input) can change. */
static void tx_edge(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    unsigned k = s->tx_bit;
    if (s->tx_data_sir) {
        s->tx_sir_hi = t == tx_cell_start(dev, k);
    } else {
        s->tx_line = (s->tx_shift >> k) & 1u;
    }
    tx_schedule_in_frame(dev, t);
    const unsigned line_mask =
        BIT(HDM_PL011_OUT_TXD) | BIT(HDM_PL011_OUT_NSIROUT);
    unsigned pins = (s->out_pins & ~line_mask) | line_pin_levels(dev, t, false);
    unsigned dp = pins ^ s->out_pins;
    s->out_pins = (uint16_t)pins;
    if (dp && dev->cfg.tx_pin_edges && dev->host.pin) {
        for (unsigned i = HDM_PL011_OUT_TXD; i <= HDM_PL011_OUT_NSIROUT; i++) {
            if (dp & BIT(i)) {
                dev->host.pin(dev->host.opaque, i, (pins >> i) & 1u, t);
            }
        }
    }
    if (s->cr & CR_LBE) {
        rx_input_update(dev, t);
        sir_in_update(dev, t);
    }
}

static void tx_event(hdm_pl011_t *dev, hdm_tick_t t)
{
    hdm_pl011_state_t *s = &dev->s;
    if (s->tx_state == TX_IDLE) {
        if (tx_can_start(dev)) {
            tx_start_frame(dev, t, s->tx_next_n);
        } else {
            s->tx_next = NEVER;
            s->tx_ready = NEVER;
        }
    } else if (s->tx_state == TX_FRAME) {
        if (t >= s->tx_end) {
            tx_end_frame(dev, t);
        } else {
            tx_edge(dev, t); /* process_events normally calls it directly */
        }
    } else {
        s->tx_next = NEVER;
    }
}

/* ------------------------------------------------------------------ */
/* Event loop                                                          */
/* ------------------------------------------------------------------ */

static inline hdm_tick_t next_event(const hdm_pl011_state_t *s)
{
    return tmin(tmin(s->tx_next, s->rx_next), tmin(s->rt_at, s->sir_low_until));
}

static void report_next(hdm_pl011_t *dev, hdm_tick_t n);

/* Run every event up to now, then report the next one. */
static void process_events(hdm_pl011_t *dev, hdm_tick_t now)
{
    hdm_pl011_state_t *s = &dev->s;
    hdm_tick_t t;
    for (;;) {
        t = next_event(s);
        if (t == NEVER || t > now) {
            break;
        }
        s->now = t;
        if (t == s->tx_next && s->tx_state == TX_FRAME && t < s->tx_end) {
            tx_edge(dev, t); /* most frequent event at pin level */
            continue;
        }
        if (t == s->rx_next && t != s->tx_next &&
            s->rx_bit + 1u < lcr_bits_to_stop(s->rx_lcr)) {
            rx_event(dev, t); /* a sample that loads nothing */
            continue;
        }
        uint64_t key = light_key(s);
        if (t == s->tx_next) {
            tx_event(dev, t);
        } else if (t == s->sir_low_until) {
            s->sir_low_until = NEVER;
            rx_input_update(dev, t);
        } else if (t == s->rx_next) {
            rx_event(dev, t);
        } else {
            s->rt_at = NEVER;
            s->ris |= INT_RT; /* [TRM 2.8.4] */
        }
        if (key != light_key(s)) {
            update_outputs(dev, t);
        }
        if (s->tx_data_sir || sir_active(dev)) {
            sir_in_update(dev, t);
        }
    }
    s->now = now;
    report_next(dev, t);
}

static void report_next(hdm_pl011_t *dev, hdm_tick_t n)
{
    hdm_core_report_deadline(&dev->host, &dev->s.deadline, n);
}

static inline void report_deadline(hdm_pl011_t *dev)
{
    report_next(dev, next_event(&dev->s));
}

/* Common prologue: refuse the past, process events up to now. */
static int run_to(hdm_pl011_t *dev, hdm_tick_t now)
{
    int st = hdm_core_tick_check(now, dev->s.now);
    if (st != HDM_OK) {
        return st;
    }
    if (now < dev->s.deadline) {
        /* fast path: dev->s.deadline == next_event() after every call */
        dev->s.now = now;
        return HDM_OK;
    }
    process_events(dev, now); /* reports the new deadline */
    return HDM_OK;
}

/* Common epilogue: outputs (if anything they depend on changed), the
 * IrDA input edge detector, the deadline. */
static void finish(hdm_pl011_t *dev, hdm_tick_t now, out_key_t key)
{
    if (!out_key_eq(key, out_key(dev))) {
        update_outputs(dev, now);
    }
    sir_in_update(dev, now);
    report_deadline(dev);
}

static void finish_all(hdm_pl011_t *dev, hdm_tick_t now)
{
    update_outputs(dev, now);
    sir_in_update(dev, now);
    report_deadline(dev);
}

/* ------------------------------------------------------------------ */
/* Lifecycle                                                           */
/* ------------------------------------------------------------------ */

void hdm_pl011_config_default(hdm_pl011_config_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->revision = HDM_PL011_R1P5;
}

static void reset_state(hdm_pl011_t *dev, hdm_tick_t now)
{
    hdm_pl011_state_t *s = &dev->s;
    uint16_t in_pins = s->in_pins;
    uint8_t tx_hold = s->tx_hold;
    uint16_t irq_lines = s->irq_lines;
    uint16_t out_pins = s->out_pins;
    hdm_tick_t deadline = s->deadline;
    memset(s, 0, sizeof(*s));
    s->now = now;
    s->in_pins = in_pins;
    s->tx_hold = tx_hold;
    s->irq_lines = irq_lines;
    s->out_pins = out_pins;
    s->deadline = deadline;
    /* [TRM 3.1] reset values */
    s->cr = HDM_PL011_UARTCR_RESET;
    s->ifls = HDM_PL011_UARTIFLS_RESET;
    s->tx_line = 1; /* [TRM Table A-3] UARTTXD resets HIGH */
    s->tx_next = s->rx_next = s->rt_at = NEVER;
    s->tx_ready = s->sir_low_until = NEVER;
    s->rt_ref = now;
    s->line = rx_line_input(dev, now);
    s->sir_in_low = !pin_in(dev, HDM_PL011_IN_SIRIN);
    s->ms_seen = (uint16_t)modem_inputs(dev);
}

int hdm_pl011_init(hdm_pl011_t *dev, const hdm_pl011_config_t *cfg,
                   const hdm_host_t *host)
{
    if (dev == NULL || cfg == NULL ||
        (cfg->revision != HDM_PL011_R1P5 && cfg->revision != HDM_PL011_R1P4) ||
        (cfg->quirks & ~(uint32_t)HDM_PL011_QUIRK_ALL)) {
        return HDM_E_INVAL;
    }
    memset(dev, 0, sizeof(*dev));
    dev->cfg = *cfg;
    dev->cfg.tx_pin_edges = cfg->tx_pin_edges ? true : false;
    if (host) {
        dev->host = *host;
    }
    dev->depth = cfg->revision == HDM_PL011_R1P5 ? 32u : 16u;
    /* inputs idle: UARTRXD, SIRIN and the active-LOW modem inputs HIGH */
    dev->s.in_pins = BIT(HDM_PL011_IN_RXD) | BIT(HDM_PL011_IN_SIRIN) |
                     BIT(HDM_PL011_IN_NCTS) | BIT(HDM_PL011_IN_NDSR) |
                     BIT(HDM_PL011_IN_NDCD) | BIT(HDM_PL011_IN_NRI);
    reset_state(dev, 0);
    dev->s.irq_lines = (uint16_t)irq_levels(dev);
    dev->s.out_pins =
        (uint16_t)(slow_pin_levels(dev) | line_pin_levels(dev, 0, true));
    dev->s.deadline = NEVER;
    return HDM_OK;
}

void hdm_pl011_reset(hdm_pl011_t *dev, hdm_tick_t now)
{
    if (now < dev->s.now || now > HDM_TICK_MAX) {
        now = dev->s.now;
    }
    reset_state(dev, now);
    finish_all(dev, now);
}

int hdm_pl011_advance_to(hdm_pl011_t *dev, hdm_tick_t now)
{
    return run_to(dev, now);
}

int hdm_pl011_tick(hdm_pl011_t *dev)
{
    return hdm_pl011_advance_to(dev, dev->s.now + 1u);
}

hdm_tick_t hdm_pl011_now(const hdm_pl011_t *dev)
{
    return dev->s.now;
}

hdm_tick_t hdm_pl011_next_event(const hdm_pl011_t *dev)
{
    return next_event(&dev->s);
}

/* ------------------------------------------------------------------ */
/* Register access [TRM 3.2, 3.3]                                      */
/* ------------------------------------------------------------------ */

static uint32_t periph_id(const hdm_pl011_t *dev, unsigned n)
{
    static const uint8_t id[4] = { HDM_PL011_UARTPERIPHID0_RESET,
                                   HDM_PL011_UARTPERIPHID1_RESET,
                                   HDM_PL011_UARTPERIPHID2_RESET,
                                   HDM_PL011_UARTPERIPHID3_RESET };
    if (dev->cfg.periph_id != 0) {
        /* a derivative's own ID (config) [TRM 3.3.15]: byte n = PeriphIDn */
        return (dev->cfg.periph_id >> (8u * n)) & 0xFFu;
    }
    if (n == 2) {
        /* revision field matches the modelled FIFO depth [TRM Table 3-21] */
        return dev->cfg.revision == HDM_PL011_R1P5 ? 0x34u : 0x24u;
    }
    return id[n];
}

/* FR[8], FR[2:0] from the effective modem inputs in RIS bit order
 * (RI, CTS, DCD, DSR) [TRM 3.3.3]. */
static const uint16_t fr_modem[16] = {
#define FRM(ms)                                                                \
    (uint16_t)((((ms)&MS_RI) ? HDM_PL011_UARTFR_RI_Msk : 0u) |                 \
               (((ms)&MS_CTS) ? HDM_PL011_UARTFR_CTS_Msk : 0u) |               \
               (((ms)&MS_DCD) ? HDM_PL011_UARTFR_DCD_Msk : 0u) |               \
               (((ms)&MS_DSR) ? HDM_PL011_UARTFR_DSR_Msk : 0u))
    FRM(0), FRM(1), FRM(2),  FRM(3),  FRM(4),  FRM(5),  FRM(6),  FRM(7),
    FRM(8), FRM(9), FRM(10), FRM(11), FRM(12), FRM(13), FRM(14), FRM(15),
#undef FRM
};

static uint32_t read_fr(const hdm_pl011_t *dev)
{
    const hdm_pl011_state_t *s = &dev->s;
    /* ms_seen == modem_inputs() after every call */
    uint32_t fr = fr_modem[s->ms_seen & 0xFu];
    unsigned cap = fifo_cap(dev);
    if (s->rx_count == 0) {
        fr |= HDM_PL011_UARTFR_RXFE_Msk;
    } else if (s->rx_count >= cap) {
        fr |= HDM_PL011_UARTFR_RXFF_Msk;
    }
    if (has_quirk(dev, HDM_PL011_QUIRK_INSTANT_TX) && s->tx_count == 0) {
        /* never BUSY, never full (unless held by the host, below) */
        return fr | HDM_PL011_UARTFR_TXFE_Msk;
    }
    if (s->tx_count == 0) {
        fr |= HDM_PL011_UARTFR_TXFE_Msk;
    } else {
        /* [TRM 3.3.3] BUSY from the first DR write until the last stop bit */
        fr |= HDM_PL011_UARTFR_BUSY_Msk;
        if (s->tx_count >= cap) {
            fr |= HDM_PL011_UARTFR_TXFF_Msk;
        }
    }
    if (s->tx_state == TX_FRAME) {
        fr |= HDM_PL011_UARTFR_BUSY_Msk;
    }
    return fr;
}

static uint32_t read_itip(const hdm_pl011_t *dev)
{
    static const struct {
        uint8_t pin;
        uint8_t bit;
    } map[] = {
        { HDM_PL011_IN_RXD, HDM_PL011_UARTITIP_UARTRXD_Pos },
        { HDM_PL011_IN_SIRIN, HDM_PL011_UARTITIP_SIRIN_Pos },
        { HDM_PL011_IN_NDSR, HDM_PL011_UARTITIP_NUARTDSR_Pos },
        { HDM_PL011_IN_NCTS, HDM_PL011_UARTITIP_NUARTCTS_Pos },
        { HDM_PL011_IN_NDCD, HDM_PL011_UARTITIP_NUARTDCD_Pos },
        { HDM_PL011_IN_NRI, HDM_PL011_UARTITIP_NUARTRI_Pos },
        { HDM_PL011_IN_RXDMACLR, HDM_PL011_UARTITIP_RXDMACLR_Pos },
        { HDM_PL011_IN_TXDMACLR, HDM_PL011_UARTITIP_TXDMACLR_Pos },
    };
    uint32_t v = 0;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (pin_in(dev, map[i].pin)) {
            v |= BIT(map[i].bit);
        }
    }
    if (dev->s.tcr & TCR_ITEN) {
        v |= dev->s.itip & (HDM_PL011_UARTITIP_RXDMACLR_Msk |
                            HDM_PL011_UARTITIP_TXDMACLR_Msk);
    }
    return v;
}

static uint32_t read_itop(const hdm_pl011_t *dev)
{
    static const struct {
        uint8_t out;
        uint8_t bit;
    } pins[] = {
        { HDM_PL011_OUT_TXD, HDM_PL011_UARTITOP_UARTTXD_Pos },
        { HDM_PL011_OUT_NSIROUT, HDM_PL011_UARTITOP_NSIROUT_Pos },
        { HDM_PL011_OUT_NDTR, HDM_PL011_UARTITOP_NUARTDTR_Pos },
        { HDM_PL011_OUT_NRTS, HDM_PL011_UARTITOP_NUARTRTS_Pos },
        { HDM_PL011_OUT_NOUT1, HDM_PL011_UARTITOP_NUARTOUT1_Pos },
        { HDM_PL011_OUT_NOUT2, HDM_PL011_UARTITOP_NUARTOUT2_Pos },
        { HDM_PL011_OUT_RXDMABREQ, HDM_PL011_UARTITOP_RXDMABREQ_Pos },
        { HDM_PL011_OUT_RXDMASREQ, HDM_PL011_UARTITOP_RXDMASREQ_Pos },
        { HDM_PL011_OUT_TXDMABREQ, HDM_PL011_UARTITOP_TXDMABREQ_Pos },
        { HDM_PL011_OUT_TXDMASREQ, HDM_PL011_UARTITOP_TXDMASREQ_Pos },
    }, irqs[] = {
        { HDM_PL011_IRQ_INTR, HDM_PL011_UARTITOP_INTR_Pos },
        { HDM_PL011_IRQ_EINTR, HDM_PL011_UARTITOP_EINTR_Pos },
        { HDM_PL011_IRQ_RTINTR, HDM_PL011_UARTITOP_RTINTR_Pos },
        { HDM_PL011_IRQ_TXINTR, HDM_PL011_UARTITOP_TXINTR_Pos },
        { HDM_PL011_IRQ_RXINTR, HDM_PL011_UARTITOP_RXINTR_Pos },
        { HDM_PL011_IRQ_MSINTR, HDM_PL011_UARTITOP_MSINTR_Pos },
    };
    unsigned outs = slow_pin_levels(dev) |
                    line_pin_levels(dev, dev->s.now, !tx_wants_edges(dev));
    unsigned lines = irq_levels(dev);
    uint32_t v = 0;
    for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++) {
        if (outs & BIT(pins[i].out)) {
            v |= BIT(pins[i].bit);
        }
    }
    for (size_t i = 0; i < sizeof(irqs) / sizeof(irqs[0]); i++) {
        if (lines & BIT(irqs[i].out)) {
            v |= BIT(irqs[i].bit);
        }
    }
    return v;
}

enum reg_kind { REG_NONE = 0, REG_RW, REG_RO, REG_WO };

/* Kind of each word of 0x000..0x08C [TRM Table 3-1, Table 4-1]. */
static const uint8_t reg_kinds[0x90 / 4] = {
    [HDM_PL011_UARTDR_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTRSR_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTFR_OFFSET / 4] = REG_RO,
    [HDM_PL011_UARTILPR_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTIBRD_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTFBRD_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTLCR_H_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTCR_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTIFLS_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTIMSC_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTRIS_OFFSET / 4] = REG_RO,
    [HDM_PL011_UARTMIS_OFFSET / 4] = REG_RO,
    [HDM_PL011_UARTICR_OFFSET / 4] = REG_WO,
    [HDM_PL011_UARTDMACR_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTTCR_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTITIP_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTITOP_OFFSET / 4] = REG_RW,
    [HDM_PL011_UARTTDR_OFFSET / 4] = REG_RW,
};

static enum reg_kind reg_kind(uint32_t off)
{
    if (off / 4u < sizeof(reg_kinds)) {
        return (enum reg_kind)reg_kinds[off / 4u];
    }
    if (off >= HDM_PL011_UARTPERIPHID0_OFFSET &&
        off <= HDM_PL011_UARTPCELLID3_OFFSET) {
        return REG_RO;
    }
    return REG_NONE;
}

/* Register value as read, with the read's side effects unless debug. */
static uint32_t reg_read(hdm_pl011_t *dev, uint32_t off, bool debug)
{
    hdm_pl011_state_t *s = &dev->s;
    switch (off) {
    case HDM_PL011_UARTDR_OFFSET: {
        if (s->rx_count == 0) {
            return 0; /* [MODEL] empty FIFO reads 0, no state change */
        }
        if (debug) {
            return s->rx_fifo[s->rx_head];
        }
        unsigned w = rx_pop(dev);
        /* [TRM 3.3.2] BE/PE/FE of the character read; sticky [MODEL] */
        s->rsr |=
            (uint16_t)((w >> HDM_PL011_UARTDR_FE_Pos) &
                       (HDM_PL011_UARTRSR_FE_Msk | HDM_PL011_UARTRSR_PE_Msk |
                        HDM_PL011_UARTRSR_BE_Msk));
        return w;
    }
    case HDM_PL011_UARTRSR_OFFSET:
        return s->rsr;
    case HDM_PL011_UARTFR_OFFSET:
        return read_fr(dev);
    case HDM_PL011_UARTILPR_OFFSET:
        return s->ilpr;
    case HDM_PL011_UARTIBRD_OFFSET:
        return s->ibrd;
    case HDM_PL011_UARTFBRD_OFFSET:
        return s->fbrd;
    case HDM_PL011_UARTLCR_H_OFFSET:
        return s->lcr_h;
    case HDM_PL011_UARTCR_OFFSET:
        return s->cr;
    case HDM_PL011_UARTIFLS_OFFSET:
        return s->ifls;
    case HDM_PL011_UARTIMSC_OFFSET:
        return s->imsc;
    case HDM_PL011_UARTRIS_OFFSET:
        return s->ris;
    case HDM_PL011_UARTMIS_OFFSET:
        return mis(dev);
    case HDM_PL011_UARTDMACR_OFFSET:
        return s->dmacr;
    case HDM_PL011_UARTTCR_OFFSET:
        return s->tcr;
    case HDM_PL011_UARTITIP_OFFSET:
        return read_itip(dev);
    case HDM_PL011_UARTITOP_OFFSET:
        return read_itop(dev);
    case HDM_PL011_UARTTDR_OFFSET:
        /* [TRM Ch. 4 Table 4-1, TESTFIFO] TDR reads the TX FIFO */
        if (!(s->tcr & TCR_TESTFIFO) || s->tx_count == 0) {
            return 0;
        }
        if (debug) {
            return s->tx_fifo[s->tx_head];
        } else {
            unsigned v = s->tx_fifo[s->tx_head];
            s->tx_head = (uint8_t)((s->tx_head + 1u) & (dev->depth - 1u));
            s->tx_count--;
            tx_reschedule(dev, s->now);
            return v;
        }
    default:
        if (off >= HDM_PL011_UARTPERIPHID0_OFFSET &&
            off <= HDM_PL011_UARTPERIPHID3_OFFSET) {
            return periph_id(dev, (off - HDM_PL011_UARTPERIPHID0_OFFSET) / 4u);
        }
        if (off == HDM_PL011_UARTPCELLID0_OFFSET) {
            return HDM_PL011_UARTPCELLID0_RESET;
        }
        if (off == HDM_PL011_UARTPCELLID1_OFFSET) {
            return HDM_PL011_UARTPCELLID1_RESET;
        }
        if (off == HDM_PL011_UARTPCELLID2_OFFSET) {
            return HDM_PL011_UARTPCELLID2_RESET;
        }
        if (off == HDM_PL011_UARTPCELLID3_OFFSET) {
            return HDM_PL011_UARTPCELLID3_RESET;
        }
        return 0;
    }
}

/* Instant TX: character @a c leaves at @a now (frame start = end). */
static void tx_instant_frame(hdm_pl011_t *dev, hdm_tick_t now, uint8_t c)
{
    hdm_pl011_frame_t f;
    memset(&f, 0, sizeof(f));
    f.bits = (uint8_t)lcr_wlen(tx_format(dev));
    f.data = (uint8_t)(c & ((1u << f.bits) - 1u));
    f.start = f.end = now;
    tx_report_frame(dev, &f);
    if ((dev->s.cr & CR_LBE) && rx_enabled(dev)) {
        rx_push(dev, now, f.data);
    }
}

/* Instant TX after a host hold: the queued characters leave at once. */
static void tx_instant_drain(hdm_pl011_t *dev, hdm_tick_t now)
{
    hdm_pl011_state_t *s = &dev->s;
    if (s->tx_count == 0) {
        return;
    }
    while (s->tx_count > 0) {
        uint8_t c = s->tx_fifo[s->tx_head];
        s->tx_head = (uint8_t)((s->tx_head + 1u) & (dev->depth - 1u));
        s->tx_count--;
        tx_instant_frame(dev, now, c);
    }
    s->ris |= INT_TX;
}

static void tx_write_dr(hdm_pl011_t *dev, hdm_tick_t now, unsigned v)
{
    hdm_pl011_state_t *s = &dev->s;
    uint8_t c = (uint8_t)(v & HDM_PL011_UARTDR_DATA_Msk);
    if (has_quirk(dev, HDM_PL011_QUIRK_INSTANT_TX) &&
        !(s->tx_hold && tx_enabled(dev))) {
        /* QEMU-style: the frame leaves at once, TXRIS set by every write */
        s->ris |= INT_TX;
        if (tx_enabled(dev)) {
            tx_instant_frame(dev, now, c);
        }
        return;
    }
    /* Timed, or instant TX held by the host: the character is queued */
    if (s->tx_count >= fifo_cap(dev)) {
        return; /* [MODEL] write to a full FIFO is lost, no status */
    }
    s->tx_fifo[(s->tx_head + s->tx_count) & (dev->depth - 1u)] = c;
    s->tx_count++;
    /* [TRM 2.8.3] cleared by writes that take the level above T;
     * FEN=0: by the write to the holding register */
    if (!fifo_on(dev) || s->tx_count > tx_trigger(dev)) {
        s->ris &= (uint16_t)~INT_TX;
    }
    if (s->tx_next == NEVER) {
        /* a character can only enable a start; one already scheduled on
         * this view stays valid */
        tx_reschedule(dev, now);
    }
}

static void write_lcr_h(hdm_pl011_t *dev, hdm_tick_t now, unsigned v)
{
    hdm_pl011_state_t *s = &dev->s;
    unsigned old = s->lcr_h;
    s->lcr_h = (uint16_t)(v & HDM_PL011_UARTLCR_H_MASK);
    /* [TRM 3.3.7, 3.3.8 note] FEN change flushes the FIFOs; both
     * directions and both edges [MODEL] */
    if ((old ^ s->lcr_h) & LCR_FEN) {
        flush_fifos(dev);
    }
    /* [TRM 3.3.7] the LCR_H write strobes IBRD/FBRD into the generator;
     * a character in progress completes with the old divisor */
    if (s->tx_state == TX_FRAME) {
        s->tx_latch = 1;
    } else {
        s->tx_latch = 0;
        gen_latch(dev, &s->gen_tx, now);
    }
    if (s->rx_state == RX_FRAME) {
        s->rx_latch = 1;
    } else {
        s->rx_latch = 0;
        gen_latch(dev, &s->gen_rx, now);
        if (s->rt_at != NEVER) {
            rt_arm(dev, s->rt_ref);
        }
    }
    if ((old & LCR_BRK) && !(s->lcr_h & LCR_BRK) && s->tx_state == TX_BREAK) {
        hdm_pl011_frame_t f;
        memset(&f, 0, sizeof(f));
        f.flags = HDM_PL011_FRAME_BREAK;
        f.start = s->tx_start;
        f.end = now;
        s->tx_state = TX_IDLE;
        s->tx_line = 1;
        tx_report_frame(dev, &f);
    }
    if ((s->lcr_h & LCR_BRK) && s->tx_state == TX_IDLE) {
        s->tx_state = TX_BREAK;
        s->tx_start = now;
        s->tx_line = 0;
        s->tx_next = NEVER;
        s->tx_ready = NEVER;
    }
    tx_regen(dev, now); /* the generator view may have been re-latched */
}

static void write_cr(hdm_pl011_t *dev, hdm_tick_t now, unsigned v)
{
    hdm_pl011_state_t *s = &dev->s;
    unsigned old = s->cr;
    s->cr = (uint16_t)(v & HDM_PL011_UARTCR_MASK);
    if (((old ^ s->cr) & CR_LBE) && s->tx_state == TX_FRAME) {
        /* the edge walk starts or stops: resynchronise it to the line */
        s->tx_line = s->tx_data_sir ? 1u : tx_nrz_at(dev, now);
        s->tx_sir_hi = tx_sir_at(dev, now);
        s->tx_bit = (uint8_t)tx_cell_at(dev, now);
        tx_schedule_in_frame(dev, now);
    }
    if ((old ^ s->cr) & (CR_LBE | CR_SIREN | CR_UARTEN)) {
        rx_input_update(dev, now);
    }
    tx_reschedule(dev, now);
}

static void write_imsc(hdm_pl011_t *dev, hdm_tick_t now, unsigned v)
{
    hdm_pl011_state_t *s = &dev->s;
    unsigned old = s->imsc;
    s->imsc = (uint16_t)(v & HDM_PL011_UARTIMSC_MASK);
    if ((old ^ s->imsc) & INT_RT) {
        /* the timeout counter only runs while RTIM=1 [TRM Table 3-15] */
        rt_arm(dev, now);
    }
}

static void reg_write(hdm_pl011_t *dev, hdm_tick_t now, uint32_t off,
                      uint32_t v, bool debug)
{
    hdm_pl011_state_t *s = &dev->s;
    switch (off) {
    case HDM_PL011_UARTDR_OFFSET:
        if (!debug) {
            tx_write_dr(dev, now, v);
        }
        break;
    case HDM_PL011_UARTECR_OFFSET:
        if (!debug) {
            s->rsr = 0; /* [TRM 3.3.2] any value clears OE, BE, PE, FE */
        }
        break;
    case HDM_PL011_UARTILPR_OFFSET:
        s->ilpr = (uint16_t)(v & HDM_PL011_UARTILPR_MASK);
        break;
    case HDM_PL011_UARTIBRD_OFFSET:
        s->ibrd = (uint16_t)(v & HDM_PL011_UARTIBRD_MASK);
        break;
    case HDM_PL011_UARTFBRD_OFFSET:
        s->fbrd = (uint16_t)(v & HDM_PL011_UARTFBRD_MASK);
        break;
    case HDM_PL011_UARTLCR_H_OFFSET:
        /* a debug write must not flush the FIFOs, start a break or latch
         * the divisor: ignored like the other side-effect registers */
        if (!debug) {
            write_lcr_h(dev, now, v);
        }
        break;
    case HDM_PL011_UARTCR_OFFSET:
        write_cr(dev, now, v);
        break;
    case HDM_PL011_UARTIFLS_OFFSET:
        /* [MODEL] a new level never sets an interrupt by itself */
        s->ifls = (uint16_t)(v & HDM_PL011_UARTIFLS_MASK);
        break;
    case HDM_PL011_UARTIMSC_OFFSET:
        write_imsc(dev, now, v);
        break;
    case HDM_PL011_UARTICR_OFFSET:
        if (!debug) {
            s->ris &=
                (uint16_t) ~(v & HDM_PL011_UARTICR_MASK); /* [TRM 3.3.13] */
        }
        break;
    case HDM_PL011_UARTDMACR_OFFSET:
        s->dmacr = (uint16_t)(v & HDM_PL011_UARTDMACR_MASK);
        break;
    case HDM_PL011_UARTTCR_OFFSET:
        s->tcr = (uint16_t)(v & HDM_PL011_UARTTCR_MASK);
        break;
    case HDM_PL011_UARTITIP_OFFSET:
        s->itip = (uint16_t)(v & (HDM_PL011_UARTITIP_RXDMACLR_Msk |
                                  HDM_PL011_UARTITIP_TXDMACLR_Msk));
        break;
    case HDM_PL011_UARTITOP_OFFSET:
        s->itop = (uint16_t)(v & HDM_PL011_UARTITOP_MASK);
        break;
    case HDM_PL011_UARTTDR_OFFSET:
        /* [TRM Ch. 4 Table 4-1, TESTFIFO] TDR writes the RX FIFO */
        if (!debug && (s->tcr & TCR_TESTFIFO)) {
            rx_push(dev, now, v & HDM_PL011_UARTTDR_MASK);
        }
        break;
    default:
        break;
    }
}

static int check_access(uint32_t offset, unsigned size)
{
    if (size != 1 && size != 2 && size != 4) {
        return HDM_E_BAD_SIZE;
    }
    if (offset & (size - 1u)) {
        return HDM_E_BAD_ALIGN;
    }
    if (offset >= HDM_PL011_MMIO_SIZE) {
        return HDM_E_UNMAPPED;
    }
    return HDM_OK;
}

static void guest_error(hdm_pl011_t *dev, int st, uint32_t off, unsigned size,
                        bool w)
{
    hdm_core_guest_error(&dev->host, st, off, size, w);
}

static uint32_t size_mask(unsigned size)
{
    return size == 4 ? 0xFFFFFFFFu : ((1u << (8u * size)) - 1u);
}

int hdm_pl011_read(hdm_pl011_t *dev, hdm_tick_t now, uint32_t offset,
                   unsigned size, uint32_t *value, unsigned flags)
{
    uint32_t dummy;
    if (value == NULL) {
        value = &dummy;
    }
    *value = 0;
    int st = run_to(dev, now);
    if (st != HDM_OK) {
        return st;
    }
    if (flags == 0 && size == 4 && offset == HDM_PL011_UARTFR_OFFSET) {
        *value = read_fr(dev); /* hot path: polled by every driver */
        return HDM_OK;
    }
    if (flags == 0 && (size == 4 || size == 2) &&
        offset == HDM_PL011_UARTDR_OFFSET) {
        /* hot path: a DR read pops the RX FIFO; only RIS, and the RX level
         * where DMA or RTS follow it, can move the outputs */
        const hdm_pl011_state_t *s = &dev->s;
        uint16_t ris = s->ris;
        *value = reg_read(dev, HDM_PL011_UARTDR_OFFSET, false);
        if (s->ris != ris || (s->dmacr & HDM_PL011_UARTDMACR_RXDMAE_Msk) ||
            (s->cr & CR_RTSEN)) {
            update_outputs(dev, now);
        }
        report_deadline(dev);
        return HDM_OK;
    }
    st = check_access(offset, size);
    bool debug = (flags & HDM_ACCESS_DEBUG) != 0;
    uint32_t word = offset & ~3u;
    /* only DR and TDR reads change state (pop a FIFO) */
    bool effects =
        st == HDM_OK && !debug &&
        (word == HDM_PL011_UARTDR_OFFSET || word == HDM_PL011_UARTTDR_OFFSET);
    uint64_t key = effects ? light_key(&dev->s) : 0;
    if (st == HDM_OK) {
        enum reg_kind k = reg_kind(word);
        if (k == REG_NONE) {
            st = HDM_E_UNMAPPED;
        } else if (k == REG_WO) {
            st = HDM_E_WRITE_ONLY;
        } else {
            uint32_t v = reg_read(dev, word, debug);
            *value = (v >> (8u * (offset & 3u))) & size_mask(size);
        }
    }
    if (st != HDM_OK) {
        guest_error(dev, st, offset, size, false);
    }
    if (effects) {
        if (key != light_key(&dev->s)) {
            update_outputs(dev, now);
        }
        report_deadline(dev);
    }
    return st;
}

int hdm_pl011_write(hdm_pl011_t *dev, hdm_tick_t now, uint32_t offset,
                    unsigned size, uint32_t value, unsigned flags)
{
    int st = run_to(dev, now);
    if (st != HDM_OK) {
        return st;
    }
    hdm_pl011_state_t *s = &dev->s;
    if (offset == HDM_PL011_UARTDR_OFFSET && flags == 0 &&
        (size == 4 || size == 2 || size == 1)) {
        /* Hot path: a DR write changes only the TX FIFO, TXRIS and the TX
         * schedule, so the outputs need re-deriving only if TXRIS moved or
         * a TX DMA request may follow the FIFO level. */
        uint16_t ris = s->ris;
        tx_write_dr(dev, now, value);
        /* (instant TX in loopback also pushes into the RX FIFO) */
        if (s->ris != ris || (s->dmacr & HDM_PL011_UARTDMACR_TXDMAE_Msk) ||
            (has_quirk(dev, HDM_PL011_QUIRK_INSTANT_TX) &&
             ((s->cr & CR_RTSEN) ||
              (s->dmacr & HDM_PL011_UARTDMACR_RXDMAE_Msk)))) {
            update_outputs(dev, now);
        }
        report_deadline(dev);
        return HDM_OK;
    }
    st = check_access(offset, size);
    out_key_t key = out_key(dev);
    if (st == HDM_OK) {
        uint32_t word = offset & ~3u;
        enum reg_kind k = reg_kind(word);
        bool debug = (flags & HDM_ACCESS_DEBUG) != 0;
        if (k == REG_NONE) {
            st = HDM_E_UNMAPPED;
        } else if (k == REG_RO) {
            st = HDM_E_READ_ONLY;
        } else if (offset & 3u) {
            /* [MODEL] APB has no byte strobes and 16-bit PWDATA: a write that
             * does not drive byte lane 0 is refused */
            st = HDM_E_BAD_SIZE;
        } else {
            uint32_t v = value & size_mask(size);
            if (size < 4 && k == REG_RW && word != HDM_PL011_UARTDR_OFFSET &&
                word != HDM_PL011_UARTECR_OFFSET &&
                word != HDM_PL011_UARTTDR_OFFSET) {
                /* sub-word write: merge lanes into the register image */
                uint32_t img = reg_read(dev, word, true);
                v |= img & ~size_mask(size);
            }
            reg_write(dev, now, word, v, debug);
        }
    }
    if (st != HDM_OK) {
        guest_error(dev, st, offset, size, true);
    }
    finish(dev, now, key);
    return st;
}

/* ------------------------------------------------------------------ */
/* Inputs                                                              */
/* ------------------------------------------------------------------ */

int hdm_pl011_rx_frame(hdm_pl011_t *dev, hdm_tick_t now, uint8_t data,
                       unsigned flags)
{
    if (flags &
        ~(unsigned)(HDM_PL011_RX_FE | HDM_PL011_RX_PE | HDM_PL011_RX_BE)) {
        return HDM_E_INVAL;
    }
    int st = run_to(dev, now);
    if (st != HDM_OK) {
        return st;
    }
    uint64_t key = light_key(&dev->s);
    if (!rx_enabled(dev) || sir_active(dev)) {
        st = HDM_E_IGNORED; /* [TRM 3.3.8] line activity ignored */
    } else {
        unsigned wlen = lcr_wlen(dev->s.lcr_h);
        unsigned word = (data & ((1u << wlen) - 1u)) | flags;
        if (flags & HDM_PL011_RX_BE) {
            word = flags | DR_FE; /* break reads as a 0 character */
        }
        rx_push(dev, now, word);
    }
    if (key != light_key(&dev->s)) {
        update_outputs(dev, now);
    }
    report_deadline(dev);
    return st;
}

int hdm_pl011_set_input(hdm_pl011_t *dev, hdm_tick_t now, unsigned pin,
                        bool level)
{
    if (pin >= HDM_PL011_IN_COUNT) {
        return HDM_E_INVAL;
    }
    int st = run_to(dev, now);
    if (st != HDM_OK) {
        return st;
    }
    out_key_t key = out_key(dev);
    if (level) {
        dev->s.in_pins |= (uint16_t)BIT(pin);
    } else {
        dev->s.in_pins &= (uint16_t)~BIT(pin);
    }
    if (pin == HDM_PL011_IN_RXD || pin == HDM_PL011_IN_SIRIN) {
        /* feeds the receiver only: no output can change now */
        rx_input_update(dev, now);
        sir_in_update(dev, now);
        report_deadline(dev);
        return HDM_OK;
    }
    if (pin == HDM_PL011_IN_NCTS) {
        tx_reschedule(dev, now); /* [TRM 2.6.2] checked before each char */
    }
    finish(dev, now, key);
    return HDM_OK;
}

int hdm_pl011_set_tx_hold(hdm_pl011_t *dev, hdm_tick_t now, bool hold)
{
    int st = run_to(dev, now);
    if (st != HDM_OK) {
        return st;
    }
    if ((dev->s.tx_hold != 0) == hold) {
        return HDM_OK;
    }
    out_key_t key = out_key(dev);
    dev->s.tx_hold = hold ? 1u : 0u;
    if (!hold && has_quirk(dev, HDM_PL011_QUIRK_INSTANT_TX)) {
        tx_instant_drain(dev, now);
    }
    /* [MODEL] like nCTS: a start not yet begun waits, the next one is
     * scheduled from the release as for a DR write */
    tx_reschedule(dev, now);
    finish(dev, now, key);
    return HDM_OK;
}

bool hdm_pl011_tx_held(const hdm_pl011_t *dev)
{
    return dev->s.tx_hold != 0;
}

unsigned hdm_pl011_rx_space(const hdm_pl011_t *dev)
{
    unsigned cap = fifo_cap(dev);
    return dev->s.rx_count >= cap ? 0u : cap - dev->s.rx_count;
}

void hdm_pl011_fifo_levels(const hdm_pl011_t *dev, unsigned *tx, unsigned *rx)
{
    if (tx) {
        *tx = dev->s.tx_count;
    }
    if (rx) {
        *rx = dev->s.rx_count;
    }
}

bool hdm_pl011_irq_level(const hdm_pl011_t *dev, unsigned line)
{
    return line < HDM_PL011_IRQ_COUNT && ((dev->s.irq_lines >> line) & 1u);
}

bool hdm_pl011_output_level(const hdm_pl011_t *dev, unsigned pin)
{
    if (pin >= HDM_PL011_OUT_COUNT) {
        return false;
    }
    /* walked line levels are what the host was told; recompute only when
     * the edges are not walked */
    unsigned pins = slow_pin_levels(dev) |
                    line_pin_levels(dev, dev->s.now, !tx_wants_edges(dev));
    return (pins >> pin) & 1u;
}

/* ------------------------------------------------------------------ */
/* Snapshot                                                            */
/* ------------------------------------------------------------------ */

void hdm_pl011_save(const hdm_pl011_t *dev, hdm_pl011_snapshot_t *snap)
{
    memset(snap, 0, sizeof(*snap));
    snap->magic = HDM_PL011_SNAPSHOT_MAGIC;
    snap->version = HDM_PL011_SNAPSHOT_VERSION;
    snap->size = (uint32_t)sizeof(*snap);
    snap->revision = (uint32_t)dev->cfg.revision;
    snap->quirks = dev->cfg.quirks;
    snap->tx_pin_edges = dev->cfg.tx_pin_edges ? 1u : 0u;
    snap->periph_id = dev->cfg.periph_id;
    snap->state = dev->s;
}

/* After every call, every event due at or before now has run. */
static bool tick_ok(hdm_tick_t t, hdm_tick_t now)
{
    return t == NEVER || (t > now && t <= 2u * HDM_TICK_MAX);
}

static bool gen_ok(const hdm_pl011_baudgen_t *g, hdm_tick_t now)
{
    if (g->ibrd == 0) {
        return g->fbrd == 0;
    }
    return g->fbrd < 64u && g->ibrd <= 0xFFFFu && g->t0 <= now &&
           !(g->ibrd == 0xFFFFu && g->fbrd != 0);
}

static int validate(const hdm_pl011_t *dev, const hdm_pl011_state_t *n)
{
    unsigned depth = dev->depth;
    hdm_tick_t now = n->now;
    if (now > HDM_TICK_MAX) {
        return HDM_E_CORRUPT;
    }
    bool ok = !(n->ilpr & ~HDM_PL011_UARTILPR_MASK) &&
              !(n->fbrd & ~HDM_PL011_UARTFBRD_MASK) &&
              !(n->lcr_h & ~HDM_PL011_UARTLCR_H_MASK) &&
              !(n->cr & ~HDM_PL011_UARTCR_MASK) &&
              !(n->ifls & ~HDM_PL011_UARTIFLS_MASK) &&
              !(n->imsc & ~HDM_PL011_UARTIMSC_MASK) &&
              !(n->ris & ~HDM_PL011_UARTRIS_MASK) &&
              !(n->dmacr & ~HDM_PL011_UARTDMACR_MASK) &&
              !(n->rsr & ~HDM_PL011_UARTRSR_MASK) &&
              !(n->tcr & ~HDM_PL011_UARTTCR_MASK) &&
              !(n->itip & ~(HDM_PL011_UARTITIP_RXDMACLR_Msk |
                            HDM_PL011_UARTITIP_TXDMACLR_Msk)) &&
              !(n->itop & ~HDM_PL011_UARTITOP_MASK) &&
              !(n->in_pins & ~(BIT(HDM_PL011_IN_COUNT) - 1u)) &&
              !(n->ms_seen & ~INT_MS) &&
              !(n->out_pins & ~(BIT(HDM_PL011_OUT_COUNT) - 1u)) &&
              !(n->irq_lines & ~(BIT(HDM_PL011_IRQ_COUNT) - 1u));
    /* FEN=0 leaves one-entry holding registers (FEN changes flush) */
    unsigned cap = (n->lcr_h & LCR_FEN) ? depth : 1u;
    ok = ok && n->tx_count <= cap && n->tx_head < depth && n->rx_count <= cap &&
         n->rx_head < depth;
    /* instant TX queues only while the host holds it and never has a
     * frame in flight */
    ok = ok && n->tx_hold <= 1 &&
         (!has_quirk(dev, HDM_PL011_QUIRK_INSTANT_TX) ||
          ((n->tx_count == 0 || n->tx_hold) && n->tx_state != TX_FRAME));
    for (unsigned i = 0; ok && i < HDM_PL011_FIFO_MAX; i++) {
        ok = !(n->rx_fifo[i] & ~HDM_PL011_UARTDR_MASK);
    }
    ok = ok && n->tx_state <= TX_BREAK && n->rx_state <= RX_WAIT_HIGH &&
         n->tx_latch <= 1 && n->rx_latch <= 1 && n->overrun <= 1 &&
         n->line <= 1 && n->tx_line <= 1 && n->tx_sir_hi <= 1 &&
         n->tx_data_sir <= 1 && n->sir_in_low <= 1 &&
         n->hist_count <= HDM_PL011_HIST && n->hist_head < HDM_PL011_HIST &&
         !(n->lcr_h & ~0xFFu) && !(n->tx_lcr & ~0xFFu) && !(n->rx_lcr & ~0xFFu);
    for (unsigned i = 0; ok && i < HDM_PL011_HIST; i++) {
        ok = n->hist_lvl[i] <= 1 && (i >= n->hist_count || n->hist_t[i] <= now);
    }
    ok = ok && gen_ok(&n->gen_tx, now) && gen_ok(&n->gen_rx, now) &&
         tick_ok(n->tx_next, now) && tick_ok(n->rx_next, now) &&
         tick_ok(n->rt_at, now) && tick_ok(n->sir_low_until, now) &&
         (n->tx_ready == NEVER ||
          (n->tx_state == TX_IDLE && n->tx_ready <= now + 2u));
    if (ok && n->tx_state == TX_FRAME) {
        ok = gen_valid(&n->gen_tx) && n->tx_nbits == lcr_nbits(n->tx_lcr) &&
             n->tx_data < (1u << lcr_wlen(n->tx_lcr)) &&
             n->tx_shift == frame_bits(n->tx_lcr, n->tx_data) &&
             n->tx_start <= now && n->tx_end > now &&
             n->tx_end == gen_pulse(&n->gen_tx, n->tx_n0 + 16u * n->tx_nbits) &&
             n->tx_next != NEVER && n->tx_next <= n->tx_end;
    } else if (ok) {
        /* a break in progress started in the past */
        ok = n->tx_data_sir == 0 && n->tx_start <= now &&
             (n->tx_state == TX_IDLE || n->tx_next == NEVER);
        if (ok && n->tx_state == TX_IDLE && n->tx_next != NEVER) {
            /* a scheduled start is the pulse it names */
            ok = gen_valid(&n->gen_tx) && n->tx_count > 0 &&
                 n->tx_next == gen_pulse(&n->gen_tx, n->tx_next_n);
        }
    }
    if (ok && n->rx_state == RX_FRAME) {
        ok = gen_valid(&n->gen_rx) && n->rx_bit < lcr_bits_to_stop(n->rx_lcr) &&
             n->rx_next != NEVER &&
             !(n->rx_shift >> lcr_bits_to_stop(n->rx_lcr));
    } else if (ok) {
        ok = n->rx_next == NEVER;
    }
    if (ok && n->rt_at != NEVER) {
        ok = gen_valid(&n->gen_rx) && n->rx_count > 0;
    }
    return ok ? HDM_OK : HDM_E_CORRUPT;
}

/*
 * Values the core derives from others must match what it would derive,
 * or the restored device would act on a state it can never reach (e.g. a
 * receiver line level that contradicts its input, which turns into an
 * endless train of false start bits). Checked on a scratch copy.
 */
static int validate_derived(const hdm_pl011_t *dev, const hdm_pl011_state_t *n)
{
    hdm_pl011_t tmp = *dev;
    tmp.s = *n;
    bool ok = true;
    /* the receiver's line is its input as muxed now, and the newest
     * recorded transition set it */
    if (!(n->cr & CR_LBE) || sir_active(&tmp)) {
        ok = n->line == rx_line_input(&tmp, n->now);
    } else if (tmp.s.tx_state != TX_FRAME || tx_wants_edges(&tmp)) {
        ok = n->line == n->tx_line;
    }
    if (ok && n->hist_count > 0) {
        unsigned newest = (n->hist_head + HDM_PL011_HIST - 1u) % HDM_PL011_HIST;
        ok = n->hist_lvl[newest] == n->line;
    }
    /* the walked transmit levels are the frame's levels now */
    if (ok && n->tx_state != TX_FRAME) {
        ok = n->tx_line == (n->tx_state == TX_BREAK ? 0u : 1u) &&
             n->tx_sir_hi == 0;
    } else if (ok && n->tx_data_sir) {
        /* IrDA pulse ends were scheduled with the ILPR/SIRLP of their time,
         * so only the cell index can be checked */
        ok = n->tx_line == 1 && n->tx_bit < n->tx_nbits;
    } else if (ok && tx_wants_edges(&tmp)) {
        ok = n->tx_line == tx_nrz_at(&tmp, n->now) && n->tx_sir_hi == 0 &&
             n->tx_bit < n->tx_nbits;
        /* the pending edge is the first one after now */
        tmp.s.tx_bit = (uint8_t)tx_cell_at(&tmp, n->now);
        hdm_tick_t next = tmin(tx_next_edge(&tmp, n->now), n->tx_end);
        ok = ok && n->tx_next == next &&
             (next == n->tx_end || n->tx_bit == tmp.s.tx_bit);
    } else if (ok && n->tx_state == TX_FRAME) {
        ok = n->tx_next == n->tx_end; /* edges not walked */
    }
    /* a receiver sample is scheduled at the third vote of its bit, and the
     * previous one was taken already */
    if (ok && n->rx_state == RX_FRAME) {
        ok = n->rx_next ==
                 gen_pulse(&n->gen_rx, rx_center(&tmp, n->rx_bit) + 1u) &&
             (n->rx_bit == 0 ||
              gen_pulse(&n->gen_rx, rx_center(&tmp, n->rx_bit - 1u) + 1u) <=
                  n->now);
    }
    /* a scheduled start is the first pulse at or after the ready tick */
    if (ok && n->tx_state == TX_IDLE && n->tx_next != NEVER) {
        ok = n->tx_next_n == gen_index(&n->gen_tx, n->tx_ready);
    }
    /* the timeout is 512 pulses after its reference */
    if (ok && n->rt_at != NEVER) {
        ok =
            n->rt_ref <= n->now &&
            n->rt_at == gen_pulse(&n->gen_rx,
                                  gen_index(&n->gen_rx, n->rt_ref + 1u) + 511u);
    }
    /* effective modem inputs as last seen */
    if (ok) {
        ok = n->ms_seen == modem_inputs(&tmp);
    }
    return ok ? HDM_OK : HDM_E_CORRUPT;
}

int hdm_pl011_restore(hdm_pl011_t *dev, const hdm_pl011_snapshot_t *snap)
{
    if (snap == NULL || snap->magic != HDM_PL011_SNAPSHOT_MAGIC ||
        snap->version != HDM_PL011_SNAPSHOT_VERSION ||
        snap->size != sizeof(*snap) ||
        snap->revision != (uint32_t)dev->cfg.revision ||
        snap->quirks != dev->cfg.quirks ||
        snap->tx_pin_edges != (dev->cfg.tx_pin_edges ? 1u : 0u) ||
        snap->periph_id != dev->cfg.periph_id || snap->pad != 0) {
        return HDM_E_VERSION;
    }
    int st = validate(dev, &snap->state);
    if (st != HDM_OK) {
        return st;
    }
    st = validate_derived(dev, &snap->state);
    if (st != HDM_OK) {
        return st;
    }
    /* Outputs as the host last saw them, so changes are reported. */
    uint16_t lines = dev->s.irq_lines;
    uint16_t pins = dev->s.out_pins;
    hdm_tick_t deadline = dev->s.deadline;
    dev->s = snap->state;
    dev->s.irq_lines = lines;
    dev->s.out_pins = pins;
    dev->s.deadline = deadline;
    finish_all(dev, dev->s.now);
    return HDM_OK;
}
