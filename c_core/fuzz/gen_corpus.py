#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpus of fuzz_pl011 (input format: fuzz_pl011.c header).

    python3 gen_corpus.py [OUTDIR]     (default: ./corpus next to this file)
"""
import os
import sys

# register offsets and their index in the harness's reg_table (op 2)
REG = {0x000: 0, 0x004: 1, 0x020: 2, 0x024: 3, 0x028: 4, 0x02C: 5,
       0x030: 6, 0x034: 7, 0x038: 8, 0x044: 9, 0x048: 10, 0x080: 11,
       0x084: 12, 0x088: 13, 0x08C: 14, 0x018: 15}
DR, RSR, ILPR, IBRD, FBRD, LCR_H, CR, IFLS, IMSC, ICR, DMACR = (
    0x000, 0x004, 0x020, 0x024, 0x028, 0x02C, 0x030, 0x034, 0x038, 0x044,
    0x048)
FR, RIS, MIS, TCR, ITIP, ITOP, TDR = 0x018, 0x03C, 0x040, 0x080, 0x084, 0x088, 0x08C
# inputs
RXD, SIRIN, NCTS, NDSR, NDCD, NRI, TXDMACLR, RXDMACLR = range(8)


def cfg(r1p4=False, quirks=0, edges=False, shadow=False):
    return bytes([(1 if r1p4 else 0) | (quirks << 1) | (0x10 if edges else 0)
                  | (0x20 if shadow else 0)])


def le(v, n):
    return bytes((v >> (8 * i)) & 0xFF for i in range(n))


def tsel(dt):
    """(time class, bytes) for a delta of dt ticks."""
    if dt == 0:
        return 0, b""
    if dt < 0x100:
        return 4, le(dt, 1)
    if dt < 0x10000:
        return 8, le(dt, 2)
    if dt < 1 << 24:
        return 10, le(dt, 3)
    if dt < 1 << 32:
        return 11, le(dt, 4)
    if dt == 1 << 40:
        return 13, b""
    return 12, le(dt, 5)


def op(code, dt, body):
    s, t = tsel(dt)
    return bytes([(s << 4) | code]) + body + t


def wreg(off, val, dt=0, size=4, debug=False):
    sz = {4: 0, 2: 2, 1: 3}[size]
    b = REG[off] | (sz << 4) | (0x40 if debug else 0)
    return op(2, dt, bytes([b]) + le(val, 2))


def offset(off):  # class 5: any offset in 0..0xFFF
    return bytes([0xA0, (off >> 8) & 0xF, off & 0xFF])


def write(off, val, size=4, debug=False, dt=0):
    szfl = size | 0x10 | (0x20 if debug else 0)
    return op(0, dt, offset(off) + bytes([szfl]) + le(val, 4))


def read(off, size=4, debug=False, twice=False, dt=0):
    szfl = size | 0x10 | (0x20 if debug else 0) | (0x80 if twice else 0)
    return op(1, dt, offset(off) + bytes([szfl]))


def advance(dt):
    return op(3, dt, b"")


def rx_frame(data, flags=0, dt=0):
    return op(4, dt, bytes([data, (flags >> 8) & 7]))


def set_input(pin, level, dt=0):
    return op(5, dt, bytes([pin & 7, level]))


def tick(n=1):
    return bytes([((n - 1) << 4) | 6])


def reset(dt=0):
    return op(7, dt, b"")


def shadow():
    return bytes([8])


def corrupt(idx, x, adopt=False, header=False):
    sel = (1 if adopt else 0) | (2 if header else 0)
    return bytes([(sel << 4) | 9]) + le(idx, 2) + bytes([x])


def self_restore():
    return bytes([10])


def _tbyte(dt):
    s, t = tsel(dt)
    return bytes([s]) + t


def burst(chars, dt=0):
    assert 1 <= len(chars) <= 16
    return bytes([((len(chars) - 1) << 4) | 11]) + _tbyte(dt) + bytes(chars)


def rx_wave(pattern, nbits, dt=0, jitter=128):
    return (bytes([((nbits - 1) << 4) | 12]) + _tbyte(dt) + le(pattern, 2) +
            bytes([jitter]))


def rx_char(c, bits=8, dt=0):
    """Start bit, data LSB first, one stop bit."""
    return rx_wave((c << 1) | (1 << (bits + 1)), bits + 2, dt)


def sir_wave(pattern, nbits, width, dt=0):
    return bytes([((nbits - 1) << 4) | 13]) + _tbyte(dt) + bytes([pattern, width])


def drain(n, dt=0):
    return bytes([((n - 1) << 4) | 14]) + _tbyte(dt)


def setup(ibrd, fbrd, lcr, cr, imsc, dt=0):
    return op(15, dt, bytes([(ibrd - 1) & 0x3F, fbrd, lcr]) + le(cr, 2) +
              le(imsc, 2))


UARTEN, SIREN, LBE, TXE, RXE, RTS, RTSEN, CTSEN = (
    0x001, 0x002, 0x080, 0x100, 0x200, 0x800, 0x4000, 0x8000)
FEN, WLEN8, BRK, PEN, EPS, STP2 = 0x10, 0x60, 0x01, 0x02, 0x04, 0x08
EN = UARTEN | TXE | RXE

SEEDS = {
    # 8N1 and 7E2 frames at baud timing, TX interrupt, FR polling
    "tx_baud": cfg(edges=True) + setup(1, 0, WLEN8 | FEN, EN, 0x020)
    + wreg(IFLS, 0x00) + burst(b"Hello, PL011!") + advance(100) + read(FR)
    + advance(300) + read(MIS) + shadow() + advance(1200) + read(FR)
    + write(ICR, 0x7FF) + wreg(LCR_H, 0x40 | PEN | EPS | STP2 | FEN)
    + burst(b"\x55\xaa\x00\xff") + advance(2000) + read(RIS) + read(FR),
    # received characters, RX trigger and the receive timeout (RTRIS)
    "rx_timeout": cfg() + setup(2, 0, WLEN8 | FEN, EN, 0x050)
    + rx_frame(0x41) + rx_frame(0x42, dt=100) + rx_frame(0x43, dt=100)
    + rx_frame(0x44, 0x100, dt=100) + read(MIS) + advance(1100)
    + read(MIS) + read(RIS) + drain(3) + read(MIS) + drain(2)
    + rx_char(0x55) + rx_char(0x0F, dt=40) + advance(200) + read(FR)
    + advance(1500) + read(MIS) + drain(2) + read(RSR),
    # internal loopback, frames looped into the receiver
    "loopback": cfg(r1p4=True) + setup(1, 8, WLEN8 | FEN, EN | LBE, 0x7FF)
    + burst(b"ABCD") + advance(200) + read(FR) + advance(800) + drain(4)
    + read(MIS) + shadow() + wreg(LCR_H, 0x20) + burst(b"xy")
    + advance(1000) + drain(2) + read(RIS),
    # break: BRK on TX (looped back), break characters on RX
    "break": cfg(edges=True) + setup(1, 0, WLEN8 | FEN, EN | LBE, 0x7FF)
    + burst(b"Z") + wreg(LCR_H, WLEN8 | FEN | BRK) + advance(500)
    + wreg(LCR_H, WLEN8 | FEN) + advance(300) + drain(3) + read(RSR)
    + write(RSR, 0) + wreg(CR, EN) + rx_frame(0, 0x400) + rx_wave(0, 16)
    + advance(400) + set_input(RXD, 1) + advance(400) + drain(2)
    + read(RIS) + write(ICR, 0x780),
    # RTS/CTS hardware flow control, modem status interrupts
    "flow": cfg() + setup(1, 0, WLEN8 | FEN, EN | RTSEN | CTSEN, 0x00F)
    + set_input(NCTS, 1) + burst(b"flow") + advance(1000) + read(FR)
    + read(MIS) + set_input(NCTS, 0, dt=10) + advance(1000) + read(FR)
    + wreg(IFLS, 0x00) + b"".join(rx_frame(i) for i in range(6))
    + read(ITOP) + drain(6) + set_input(NDSR, 0) + set_input(NDCD, 0)
    + set_input(NRI, 0) + read(MIS) + wreg(CR, EN | RTSEN | CTSEN | LBE)
    + burst(b"lb") + advance(1000) + drain(2) + write(ICR, 0xF),
    # IrDA SIR transmit and receive
    "sir": cfg(edges=True) + wreg(ILPR, 3)
    + setup(1, 0, WLEN8 | FEN, EN | SIREN, 0x7FF) + burst(b"\x5a")
    + advance(400) + wreg(CR, EN | SIREN | 0x004) + burst(b"\x81")
    + advance(400) + sir_wave(0x5A, 8, 48) + advance(400) + drain(1)
    + wreg(TCR, 0x4) + wreg(CR, EN | SIREN | LBE) + burst(b"\x33")
    + advance(600) + drain(2),
    # test registers, DMA requests, snapshots, reset, odd accesses
    "misc": cfg(quirks=0x2, shadow=True) + wreg(DMACR, 0x7)
    + setup(3, 5, WLEN8 | FEN, EN, 0x7FF) + wreg(TCR, 0x2) + write(TDR, 0x1AB)
    + write(TDR, 0x0CD) + read(TDR) + burst(b"dma") + read(TDR, twice=True)
    + wreg(TCR, 0x0) + set_input(RXDMACLR, 1) + set_input(TXDMACLR, 1)
    + advance(100) + corrupt(0x30, 0x01) + corrupt(3, 0x10, header=True)
    + self_restore() + wreg(TCR, 0x1) + wreg(ITOP, 0xFFFF) + read(ITOP)
    + read(ITIP) + wreg(ITIP, 0xC0) + wreg(TCR, 0x0) + read(0xFE0)
    + read(0xFE8, 1) + read(0x001, 1) + write(0x031, 0xFF, 1)
    + write(0x12345678, 1) + read(0x44) + write(FR, 1) + read(0x030, 3)
    + advance(1 << 40) + reset(5) + tick(3) + read(CR) + advance(1)
    + read(FR, dt=0) + bytes([0xE3, 0x10]),  # advance into the past
    # QEMU-compatible quirks: instant TX, always enabled
    "quirks": cfg(quirks=0x7) + wreg(LCR_H, WLEN8 | FEN) + wreg(IMSC, 0x7FF)
    + burst(b"instant") + wreg(CR, LBE) + burst(b"lb") + drain(3)
    + rx_frame(0x99, 0x200) + read(DR) + read(RSR) + corrupt(0x2A0, 0x40,
                                                             adopt=True)
    + advance(1 << 20),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        assert len(data) < 1024, name
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)
        print(f"{name}.bin: {len(data)} bytes")


if __name__ == "__main__":
    main()
