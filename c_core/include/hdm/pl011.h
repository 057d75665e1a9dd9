/* SPDX-License-Identifier: MIT */
/*
 * hdm PL011: Arm PrimeCell UART (PL011), revision r1p5 (ARM DDI 0183G),
 * with an r1p4 (16-deep FIFO) profile.
 *
 *                 +-----------------------------+
 *   APB bus  ---->| read/write(offset, size)    |----> UARTINTR, UARTRXINTR,
 *                 |                             |      UARTTXINTR, UARTRTINTR,
 *   RXD / SIRIN ->| RX: 16x sampler  | RX FIFO  |      UARTMSINTR, UARTEINTR
 *   rx_frame()  ->|                  | 32 x 12  |----> UARTTXD / nSIROUT
 *   nCTS nDSR   ->| modem, loopback  | TX FIFO  |----> tx_frame() records
 *   nDCD nRI    ->|                  | 32 x 8   |----> nRTS nDTR nOut1 nOut2
 *   DMACLR x2   ->| DMA request logic           |----> TX/RX DMA SREQ/BREQ
 *                 +-----------------------------+
 *
 * A tick is one UARTCLK period; PCLK is taken equal to UARTCLK (TRM 2.2.10
 * synchronisers are not modelled cycle by cycle, see docs/models/pl011.md).
 * Time is pushed by the host: every call carries an absolute tick; the core
 * first processes its internal events up to that tick, then applies the
 * call. Serial timing comes from the Baud16 generator (TRM 2.4.3, 3.3.6):
 * IBRD/FBRD latched by a UARTLCR_H write, frames of 7..12 bits, 16 Baud16
 * pulses per bit. advance_to() costs O(events), never O(ticks).
 *
 * Host interface: hdm_host_t (common.h). irq() carries enum hdm_pl011_irq,
 * pin() carries enum hdm_pl011_output, tx_frame() an hdm_pl011_frame_t.
 * Deviations from the TRM and from upstream QEMU: docs/models/pl011.md.
 */
#ifndef HDM_PL011_H
#define HDM_PL011_H

#include "hdm/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of the register block (TRM 3.2: PADDR[11:2]). */
#define HDM_PL011_MMIO_SIZE 0x1000u

/** Deepest FIFO of any profile (r1p5). */
#define HDM_PL011_FIFO_MAX 32u

/** Revision profiles (TRM 1.2, Table 3-21). */
typedef enum hdm_pl011_revision {
    HDM_PL011_R1P5 = 0, /**< 32-deep FIFOs, UARTPeriphID2 = 0x34 (default) */
    HDM_PL011_R1P4 = 1, /**< 16-deep FIFOs, UARTPeriphID2 = 0x24 */
} hdm_pl011_revision_t;

/**
 * Compatibility quirks: departures from the TRM that some guests or hosts
 * expect from upstream QEMU. All off by default (hardware behaviour).
 */
enum hdm_pl011_quirk {
    /** UARTEN, TXE and RXE are ignored: TX and RX always run (QEMU). */
    HDM_PL011_QUIRK_ALWAYS_ENABLED = 1u << 0,
    /** RX interrupt and RX DMA burst trigger at one character (QEMU). */
    HDM_PL011_QUIRK_RX_TRIGGER_1 = 1u << 1,
    /**
     * No serial timing on TX: a DR write emits the frame at once, the
     * FIFO never fills, BUSY never sets, TXRIS is set by every DR write
     * (QEMU's behaviour with no baud timing).
     */
    HDM_PL011_QUIRK_INSTANT_TX = 1u << 2,
    /**
     * The transmitter sends 8 data bits, DR[7:0], whatever UARTLCR_H.WLEN
     * says (QEMU's pl011.c ignores WLEN on TX: Linux earlycon on a
     * -kernel boot writes bytes to a UART left at its reset LCR_H, whose
     * WLEN is 5 bits). Parity and stop bits follow LCR_H as usual; the
     * receiver keeps using WLEN.
     */
    HDM_PL011_QUIRK_TX_8BIT = 1u << 3,
};

#define HDM_PL011_QUIRK_ALL                                                    \
    (HDM_PL011_QUIRK_ALWAYS_ENABLED | HDM_PL011_QUIRK_RX_TRIGGER_1 |           \
     HDM_PL011_QUIRK_INSTANT_TX | HDM_PL011_QUIRK_TX_8BIT)

/** Device configuration, fixed between init() and the next init(). */
typedef struct hdm_pl011_config {
    hdm_pl011_revision_t revision;
    /** OR of enum hdm_pl011_quirk. */
    uint32_t quirks;
    /**
     * Report every UARTTXD / nSIROUT bit edge through host->pin(). Off: only
     * whole frames (tx_frame) and the slow pins are reported, and an idle
     * or frame-level host pays no per-bit cost.
     */
    bool tx_pin_edges;
    /**
     * UARTPeriphID0..3 as one little-endian word (byte n = PeriphIDn), or
     * 0 for the profile's own ID (0x00341011 r1p5, 0x00241011 r1p4).
     * Derivatives with their own ID: e.g. the Luminary (Stellaris) UART
     * of QEMU's lm3s boards, 0x01180011. The PrimeCell IDs stay
     * 0xB105F00D.
     */
    uint32_t periph_id;
} hdm_pl011_config_t;

/** Interrupt outputs (host->irq line ids; QEMU sysbus IRQ order). */
enum hdm_pl011_irq {
    HDM_PL011_IRQ_INTR = 0,   /**< UARTINTR, OR of the five below */
    HDM_PL011_IRQ_RXINTR = 1, /**< UARTRXINTR */
    HDM_PL011_IRQ_TXINTR = 2, /**< UARTTXINTR */
    HDM_PL011_IRQ_RTINTR = 3, /**< UARTRTINTR */
    HDM_PL011_IRQ_MSINTR = 4, /**< UARTMSINTR */
    HDM_PL011_IRQ_EINTR = 5,  /**< UARTEINTR */
    HDM_PL011_IRQ_COUNT = 6,
};

/** Output pins (host->pin ids). Levels are electrical (n... active LOW). */
enum hdm_pl011_output {
    HDM_PL011_OUT_TXD = 0,     /**< UARTTXD, bit edges only with tx_pin_edges */
    HDM_PL011_OUT_NSIROUT = 1, /**< nSIROUT (IrDA), edges with tx_pin_edges */
    HDM_PL011_OUT_NRTS = 2,
    HDM_PL011_OUT_NDTR = 3,
    HDM_PL011_OUT_NOUT1 = 4,
    HDM_PL011_OUT_NOUT2 = 5,
    HDM_PL011_OUT_TXDMASREQ = 6,
    HDM_PL011_OUT_TXDMABREQ = 7,
    HDM_PL011_OUT_RXDMASREQ = 8,
    HDM_PL011_OUT_RXDMABREQ = 9,
    HDM_PL011_OUT_COUNT = 10,
};

/** Input pins for hdm_pl011_set_input(). */
enum hdm_pl011_input {
    HDM_PL011_IN_RXD = 0,   /**< UARTRXD, idle HIGH, sampled at 16x */
    HDM_PL011_IN_SIRIN = 1, /**< SIRIN, idle HIGH, LOW pulse = 0 bit */
    HDM_PL011_IN_NCTS = 2,
    HDM_PL011_IN_NDSR = 3,
    HDM_PL011_IN_NDCD = 4,
    HDM_PL011_IN_NRI = 5,
    HDM_PL011_IN_TXDMACLR = 6, /**< active HIGH */
    HDM_PL011_IN_RXDMACLR = 7, /**< active HIGH */
    HDM_PL011_IN_COUNT = 8,
};

/** Error flags of a received character, at their UARTDR bit positions. */
enum hdm_pl011_rx_flag {
    HDM_PL011_RX_FE = 1u << 8,  /**< framing error */
    HDM_PL011_RX_PE = 1u << 9,  /**< parity error */
    HDM_PL011_RX_BE = 1u << 10, /**< break */
};

/** Flags of a transmitted frame record. */
enum hdm_pl011_frame_flag {
    HDM_PL011_FRAME_PARITY = 1u << 0, /**< a parity bit was sent */
    HDM_PL011_FRAME_STOP2 = 1u << 1,  /**< two stop bits */
    HDM_PL011_FRAME_BREAK = 1u << 2,  /**< a break condition, not a char */
    HDM_PL011_FRAME_SIR = 1u << 3,    /**< sent on nSIROUT (SIREN=1) */
};

/** One transmitted frame (host->tx_frame), reported when it ends. */
typedef struct hdm_pl011_frame {
    uint8_t data;       /**< character (low @c bits bits significant) */
    uint8_t bits;       /**< data bits, 5..8 */
    uint8_t parity_bit; /**< value of the parity bit if FRAME_PARITY */
    uint8_t flags;      /**< enum hdm_pl011_frame_flag */
    hdm_tick_t start;   /**< tick of the start bit's falling edge */
    hdm_tick_t end;     /**< tick the last stop bit ended (break: released) */
} hdm_pl011_frame_t;

/** Baud16 generator view: pulse n at t0 + n*ibrd + (acc0 + n*fbrd)/64. */
typedef struct hdm_pl011_baudgen {
    uint32_t ibrd; /**< 0: no Baud16 pulses (divisor not valid) */
    uint32_t fbrd;
    hdm_tick_t t0;
} hdm_pl011_baudgen_t;

/** Ring of recent receive-line transitions (for 3-sample majority). */
#define HDM_PL011_HIST 8u

/**
 * Complete mutable state as plain data (no pointers). This is what a
 * snapshot carries; hdm_pl011_restore() validates every field.
 */
typedef struct hdm_pl011_state {
    hdm_tick_t now;
    /* Registers (programmer's view). */
    uint16_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr, rsr;
    uint16_t tcr, itip, itop;
    /* Inputs (bit i = level of enum hdm_pl011_input i) and outputs. */
    uint16_t in_pins;
    uint16_t ms_seen;  /**< effective modem inputs last seen (CTS,DSR,DCD,RI) */
    uint16_t out_pins; /**< bit i = level of enum hdm_pl011_output i */
    uint16_t irq_lines; /**< bit i = level of enum hdm_pl011_irq i */
    /* Transmit side. */
    uint8_t tx_fifo[HDM_PL011_FIFO_MAX];
    uint8_t tx_head, tx_count;
    uint8_t tx_state;        /**< 0 idle, 1 frame, 2 break */
    uint8_t tx_nbits;        /**< bits in the current frame incl. start/stop */
    uint8_t tx_bit;          /**< bit cell of the next line edge (edge walk) */
    uint8_t tx_data_sir;     /**< the current frame goes out on nSIROUT */
    uint8_t tx_line;         /**< bit stream level as last walked (1 = mark) */
    uint8_t tx_sir_hi;       /**< nSIROUT level as last walked */
    uint8_t tx_latch;        /**< divisor latch pending for TX */
    uint8_t tx_hold;         /**< host flow control (set_tx_hold), 0/1 */
    uint16_t tx_shift;       /**< frame bits, bit 0 = start bit */
    uint8_t tx_data, tx_lcr; /**< character and LCR_H of the current frame */
    uint64_t tx_n0;          /**< pulse index (gen_tx) of the frame start */
    hdm_tick_t tx_start, tx_end;
    hdm_tick_t tx_next;  /**< next TX event (start, edge or end) */
    hdm_tick_t tx_ready; /**< earliest start tick for the next frame */
    uint64_t tx_next_n;  /**< pulse index (gen_tx) of a scheduled start */
    hdm_pl011_baudgen_t gen_tx, gen_rx;
    /* Receive side. */
    uint16_t rx_fifo[HDM_PL011_FIFO_MAX];
    uint8_t rx_head, rx_count;
    uint8_t rx_state;   /**< 0 idle, 1 in frame, 2 wait for line HIGH */
    uint8_t rx_bit;     /**< index of the next bit to sample */
    uint8_t rx_latch;   /**< divisor latch pending for RX */
    uint8_t rx_lcr;     /**< LCR_H latched at the start bit */
    uint8_t overrun;    /**< overrun state waiting for the next char */
    uint8_t line;       /**< current level of the receiver's input line */
    uint16_t rx_shift;  /**< sampled bits, bit 0 = start bit */
    uint64_t rx_n0;     /**< pulse index (gen_rx) of the start detection */
    hdm_tick_t rx_next; /**< next RX sample event */
    hdm_tick_t rt_ref;  /**< tick the receive-timeout count started */
    hdm_tick_t rt_at;   /**< tick RTRIS will set, or NEVER */
    hdm_tick_t hist_t[HDM_PL011_HIST];
    uint8_t hist_lvl[HDM_PL011_HIST];
    uint8_t hist_head, hist_count;
    uint8_t sir_in_low;       /**< SIRIN pulse in progress */
    hdm_tick_t sir_fall;      /**< SIRIN falling edge of the pulse */
    hdm_tick_t sir_low_until; /**< decoded RX line LOW until this tick */
    hdm_tick_t deadline;      /**< last value reported through host->deadline */
} hdm_pl011_state_t;

/** A PL011 instance. Caller-owned; treat the members as private. */
typedef struct hdm_pl011 {
    hdm_pl011_config_t cfg;
    hdm_host_t host;
    uint8_t depth; /**< FIFO depth of the profile (a power of two) */
    hdm_pl011_state_t s;
} hdm_pl011_t;

#define HDM_PL011_SNAPSHOT_MAGIC   0x48504C31u /* "HPL1" */
#define HDM_PL011_SNAPSHOT_VERSION 3u

/** Versioned plain-data snapshot (see docs/models/pl011.md, Snapshots). */
typedef struct hdm_pl011_snapshot {
    uint32_t magic;
    uint32_t version;
    uint32_t size; /**< sizeof(hdm_pl011_snapshot_t) of the writer */
    uint32_t revision;
    uint32_t quirks;
    uint32_t tx_pin_edges;
    uint32_t periph_id; /**< configured PeriphID word (0: profile) */
    uint32_t pad;
    hdm_pl011_state_t state;
} hdm_pl011_snapshot_t;

/**
 * Initialise @a dev with @a cfg and @a host (copied; @a host may be NULL),
 * then reset it at tick 0.
 * @return HDM_OK, or HDM_E_INVAL for a NULL @a dev/@a cfg, an unknown
 *         revision or unknown quirk bits (the device is then unusable).
 * Invokes no callback.
 */
int hdm_pl011_init(hdm_pl011_t *dev, const hdm_pl011_config_t *cfg,
                   const hdm_host_t *host);

/** Default configuration: r1p5, no quirks, frame-level TX reporting. */
void hdm_pl011_config_default(hdm_pl011_config_t *cfg);

/**
 * Hardware reset (PRESETn + nUARTRST) at tick @a now: registers to their
 * TRM 3.1 reset values, FIFOs empty, lines low, UARTTXD HIGH. Input pin
 * levels are kept (they are driven from outside). May invoke irq()/pin()
 * for outputs that change and deadline().
 */
void hdm_pl011_reset(hdm_pl011_t *dev, hdm_tick_t now);

/**
 * Process every internal event up to and including @a now.
 * @return HDM_OK, HDM_E_PAST if @a now is before the current tick, or
 *         HDM_E_INVAL if @a now is after HDM_TICK_MAX (nothing changed).
 * Every other call taking a tick refuses the same two cases the same way.
 * May invoke every callback. Cost: O(events in the interval).
 */
int hdm_pl011_advance_to(hdm_pl011_t *dev, hdm_tick_t now);

/** Advance by exactly one tick (lock-step benches). */
int hdm_pl011_tick(hdm_pl011_t *dev);

/** Current tick of the device. */
hdm_tick_t hdm_pl011_now(const hdm_pl011_t *dev);

/** Tick of the next internal event, or HDM_TICK_NEVER. Always >= now. */
hdm_tick_t hdm_pl011_next_event(const hdm_pl011_t *dev);

/**
 * Bus read at @a offset (0..0xFFF) of @a size bytes (1, 2 or 4) at tick
 * @a now (advances first). Sub-word reads return the byte lanes of the
 * register word; the register's read side effects happen whatever the lane
 * (docs/models/pl011.md, Access sizes).
 * @param flags HDM_ACCESS_DEBUG for a side-effect-free read.
 * @return HDM_OK, HDM_E_UNMAPPED (reads 0), HDM_E_WRITE_ONLY (reads 0),
 *         HDM_E_BAD_SIZE / HDM_E_BAD_ALIGN (no effect, reads 0),
 *         HDM_E_PAST (no effect, reads 0).
 * Safe as a debug access with HDM_ACCESS_DEBUG.
 */
int hdm_pl011_read(hdm_pl011_t *dev, hdm_tick_t now, uint32_t offset,
                   unsigned size, uint32_t *value, unsigned flags);

/**
 * Bus write; sub-word writes merge their byte lanes into the register image
 * and then act as a full write.
 * @return HDM_OK, HDM_E_UNMAPPED, HDM_E_READ_ONLY (ignored),
 *         HDM_E_BAD_SIZE, HDM_E_BAD_ALIGN, HDM_E_PAST (no effect).
 */
int hdm_pl011_write(hdm_pl011_t *dev, hdm_tick_t now, uint32_t offset,
                    unsigned size, uint32_t value, unsigned flags);

/**
 * A whole character completes reception at @a now (stop-bit sample), as
 * if it had arrived on UARTRXD: @a flags is an OR of enum hdm_pl011_rx_flag.
 * Goes through FIFO, overrun, error and interrupt logic.
 * @return HDM_OK (stored, or lost to an overrun as the hardware would),
 *         HDM_E_IGNORED (receiver disabled or in SIR mode),
 *         HDM_E_INVAL (unknown flag bits), HDM_E_PAST.
 */
int hdm_pl011_rx_frame(hdm_pl011_t *dev, hdm_tick_t now, uint8_t data,
                       unsigned flags);

/**
 * Drive input pin @a pin (enum hdm_pl011_input) to @a level from tick
 * @a now on. Samples taken at ticks after @a now see the new level.
 * @return HDM_OK, HDM_E_INVAL (unknown pin), HDM_E_PAST.
 */
int hdm_pl011_set_input(hdm_pl011_t *dev, hdm_tick_t now, unsigned pin,
                        bool level);

/**
 * Host flow control of the transmitter (no TRM signal): from tick @a now on,
 * while @a hold is true, no new frame starts; a frame in progress completes.
 * It models a host that cannot take more output (a full chardev, a slow
 * wire): characters wait in the TX FIFO, and UARTFR (TXFF, TXFE, BUSY),
 * TXRIS and the TX DMA requests follow its level as with nCTS under CTSEn,
 * but whatever UARTCR says. Under HDM_PL011_QUIRK_INSTANT_TX, DR writes
 * queue in the FIFO while held (a write to a full FIFO is lost, as on
 * hardware) and the whole FIFO leaves at @a now on release, setting TXRIS.
 * The hold is the host's: reset() keeps it, snapshots carry it.
 * @return HDM_OK, HDM_E_PAST.
 */
int hdm_pl011_set_tx_hold(hdm_pl011_t *dev, hdm_tick_t now, bool hold);

/** True while the host holds the transmitter (hdm_pl011_set_tx_hold()). */
bool hdm_pl011_tx_held(const hdm_pl011_t *dev);

/** Characters the RX FIFO (or holding register) can take before overrun. */
unsigned hdm_pl011_rx_space(const hdm_pl011_t *dev);

/** Current FIFO fill levels (entries), for traces and hosts. */
void hdm_pl011_fifo_levels(const hdm_pl011_t *dev, unsigned *tx, unsigned *rx);

/** Current level of interrupt output @a line (false if unknown). */
bool hdm_pl011_irq_level(const hdm_pl011_t *dev, unsigned line);

/** Current level of output pin @a pin (false if unknown). */
bool hdm_pl011_output_level(const hdm_pl011_t *dev, unsigned pin);

/** Capture the complete device state into @a snap. No callbacks. */
void hdm_pl011_save(const hdm_pl011_t *dev, hdm_pl011_snapshot_t *snap);

/**
 * Validate @a snap and, only if it is consistent, load it.
 * @return HDM_OK; HDM_E_VERSION (magic, version, size or configuration
 *         differ); HDM_E_CORRUPT (a field out of range). On error the
 *         device is unchanged. On success invokes irq()/pin() for outputs
 *         that differ from what the host last saw, and deadline().
 */
int hdm_pl011_restore(hdm_pl011_t *dev, const hdm_pl011_snapshot_t *snap);

#ifdef __cplusplus
}
#endif

#endif /* HDM_PL011_H */
