/* SPDX-License-Identifier: MIT */
/*
 * PL011 bench descriptor: signal names of docs/vectors.md mapped to the
 * enums of hdm/pl011.h (header only; nothing here links the core), config
 * keys, frame and receive flags. Input idle levels: UARTRXD, SIRIN and the
 * active-LOW modem inputs idle HIGH, the DMA clear lines LOW (TRM 2.5, 2.7).
 */
#include "hdm_bench/device.h"
#include "hdm/pl011.h"

/* clang-format off */
#define IRQ(n, id) { n, HDM_BENCH_SIG_IRQ, id, "irq", 0, false }
#define OUT(n, id, sc, cap) { n, HDM_BENCH_SIG_OUTPUT, id, sc, cap, false }
#define IN(n, id, sc, cap, idle) { n, HDM_BENCH_SIG_INPUT, id, sc, cap, idle }
/* clang-format on */

static const hdm_bench_signal_desc_t pl011_signals[] = {
    IRQ("INTR", HDM_PL011_IRQ_INTR),
    IRQ("RXINTR", HDM_PL011_IRQ_RXINTR),
    IRQ("TXINTR", HDM_PL011_IRQ_TXINTR),
    IRQ("RTINTR", HDM_PL011_IRQ_RTINTR),
    IRQ("MSINTR", HDM_PL011_IRQ_MSINTR),
    IRQ("EINTR", HDM_PL011_IRQ_EINTR),
    OUT("TXD", HDM_PL011_OUT_TXD, "serial", HDM_BENCH_CAP_PIN_TX),
    OUT("NSIROUT", HDM_PL011_OUT_NSIROUT, "serial", HDM_BENCH_CAP_PIN_TX),
    OUT("NRTS", HDM_PL011_OUT_NRTS, "serial", HDM_BENCH_CAP_MODEM),
    OUT("NDTR", HDM_PL011_OUT_NDTR, "serial", HDM_BENCH_CAP_MODEM),
    OUT("NOUT1", HDM_PL011_OUT_NOUT1, "serial", HDM_BENCH_CAP_MODEM),
    OUT("NOUT2", HDM_PL011_OUT_NOUT2, "serial", HDM_BENCH_CAP_MODEM),
    OUT("TXDMASREQ", HDM_PL011_OUT_TXDMASREQ, "dma", HDM_BENCH_CAP_DMA),
    OUT("TXDMABREQ", HDM_PL011_OUT_TXDMABREQ, "dma", HDM_BENCH_CAP_DMA),
    OUT("RXDMASREQ", HDM_PL011_OUT_RXDMASREQ, "dma", HDM_BENCH_CAP_DMA),
    OUT("RXDMABREQ", HDM_PL011_OUT_RXDMABREQ, "dma", HDM_BENCH_CAP_DMA),
    IN("RXD", HDM_PL011_IN_RXD, "serial", HDM_BENCH_CAP_PIN_RX, true),
    IN("SIRIN", HDM_PL011_IN_SIRIN, "serial", HDM_BENCH_CAP_PIN_RX, true),
    IN("NCTS", HDM_PL011_IN_NCTS, "serial", HDM_BENCH_CAP_MODEM, true),
    IN("NDSR", HDM_PL011_IN_NDSR, "serial", HDM_BENCH_CAP_MODEM, true),
    IN("NDCD", HDM_PL011_IN_NDCD, "serial", HDM_BENCH_CAP_MODEM, true),
    IN("NRI", HDM_PL011_IN_NRI, "serial", HDM_BENCH_CAP_MODEM, true),
    IN("TXDMACLR", HDM_PL011_IN_TXDMACLR, "dma", HDM_BENCH_CAP_DMA, false),
    IN("RXDMACLR", HDM_PL011_IN_RXDMACLR, "dma", HDM_BENCH_CAP_DMA, false),
};

static const char *const pl011_revisions[] = { "r1p5", "r1p4", NULL };
static const char *const pl011_quirks[] = {
    "always-enabled", "rx-trigger-1", "instant-tx", "tx-8bit", NULL,
};

enum { PL011_CFG_REVISION, PL011_CFG_QUIRKS, PL011_CFG_CLOCK, PL011_CFG_ID };

static const hdm_bench_config_desc_t pl011_config[] = {
    [PL011_CFG_REVISION] = { "revision", HDM_BENCH_CFG_ENUM, pl011_revisions, 0,
                             0, 0 },
    [PL011_CFG_QUIRKS] = { "quirks", HDM_BENCH_CFG_FLAGS, pl011_quirks, 0, 0,
                           0 },
    [PL011_CFG_CLOCK] = { "clock", HDM_BENCH_CFG_UINT, NULL, 1,
                          UINT64_C(1000000000000), 24000000 },
    [PL011_CFG_ID] = { "periph_id", HDM_BENCH_CFG_UINT, NULL, 0, 0xFFFFFFFFu,
                       0 },
};

/* Bit i of an expect-frame flags= value; order of hdm_pl011_frame_flag. */
static const char *const pl011_frame_flags[] = {
    "parity", "stop2", "break", "sir", NULL,
};

/* Bit i of an rx operation's flags; order of hdm_pl011_rx_flag. */
static const char *const pl011_rx_flags[] = { "fe", "pe", "be", NULL };

static void pl011_timebase(const uint64_t *config, hdm_bench_timebase_t *tb)
{
    tb->clock_hz = config[PL011_CFG_CLOCK];
    tb->ps_num = UINT64_C(1000000000000);
    tb->ps_den = config[PL011_CFG_CLOCK];
}

const hdm_bench_device_t hdm_bench_device_pl011 = {
    .name = "pl011",
    .mmio_size = HDM_PL011_MMIO_SIZE,
    .max_access_size = 4,
    .signals = pl011_signals,
    .nsignals = sizeof(pl011_signals) / sizeof(pl011_signals[0]),
    .config = pl011_config,
    .nconfig = sizeof(pl011_config) / sizeof(pl011_config[0]),
    .frame_max_bits = 8,
    .frame_flags = pl011_frame_flags,
    .rx_flags = pl011_rx_flags,
    .serial_rx_pin = "RXD",
    .timebase = pl011_timebase,
};
