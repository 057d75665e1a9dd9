#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpus of fuzz_hpet (input format: fuzz_hpet.c header).

    python3 gen_corpus_hpet.py [OUTDIR]   (default: ./corpus_hpet next to this)
"""
import os
import sys

GCAP, GEN, STS, CNT = 0x000, 0x010, 0x020, 0x0F0


def CONF(n):
    return 0x100 + 0x20 * n


def COMP(n):
    return 0x108 + 0x20 * n


def FSBR(n):
    return 0x110 + 0x20 * n


# GEN_CONF and Tn_CONF bits
ENABLE, LEG_RT = 1, 2
LEVEL, INT_ENB, PERIODIC, VAL_SET, MODE32, FSB_EN = (
    0x2, 0x4, 0x8, 0x40, 0x100, 0x4000)


def ROUTE(r):
    return r << 9


# policies
WRAP_EVERY, WRAP_ONCE, WRAP_NONE = 0, 1, 2
ROUTE_KEEP, ROUTE_STORE, ROUTE_ZERO = 0, 1, 2

# route_cap patterns (decode_cfg): 0 QEMU 0x00FF0104, 1 all, 2 line 0,
# 3 lines 20..23, 4 lines 2 and 8, 5 line 31, 6 none, 7 raw
CAP64, CAPPER, CAPFSB = 1, 2, 4


def caps(size64=True, periodic=True, fsb=False, pattern=0, raw=None):
    b = (CAP64 if size64 else 0) | (CAPPER if periodic else 0) | (
        CAPFSB if fsb else 0)
    if raw is not None:
        return bytes([b | (7 << 3)]) + le(raw, 4)
    return bytes([b | (pattern << 3)])


def cfg(timers, c64=True, leg=True, twin=False, wrap=0, valset=0, cw=0,
        route=0, intenb=0, period=0, bad=0, lat=0, stale=False):
    """timers: list of caps() byte strings, or (n, caps()) for uniform."""
    uniform = isinstance(timers, tuple)
    n = timers[0] if uniform else len(timers)
    b0 = (n - 1) | (0x20 if c64 else 0) | (0x40 if leg else 0) | (
        0x80 if twin else 0)
    b1 = wrap | (valset << 2) | (cw << 3) | (route << 4) | (intenb << 6) | (
        0x80 if uniform else 0)
    body = timers[1] if uniform else b"".join(timers)
    b3 = bad | (lat << 5) | (0x80 if stale else 0)
    return bytes([b0, b1, period, b3]) + body


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


def _tbyte(dt):
    s, t = tsel(dt)
    return bytes([s]) + t


SIZES = {4: 0, 8: 1, 1: 10, 2: 11, 0: 12, 3: 13, 16: 14, 7: 15}


def offset(off):
    if off < 0x600:  # class 5
        return bytes([0xA0, (off >> 8) & 0xFF, off & 0xFF])
    return bytes([0xC0, off & 0xFF]) + le(off >> 8, 3)  # class 6


def write(off, val, size=8, debug=False, dt=0):
    szfl = SIZES[size] | (0x10 if debug else 0)
    return op(0, dt, offset(off) + bytes([szfl, 0]) + le(val, 8))


def read(off, size=8, debug=False, twice=False, dt=0):
    szfl = SIZES[size] | (0x10 if debug else 0) | (0x20 if twice else 0)
    return op(1, dt, offset(off) + bytes([szfl]))


def wreg(kind, which, val, width=0, debug=False, dt=0, rel=False):
    """Register-targeted, read-back-checked write: value class 0 (8 bytes)
    or, with rel, class 3 (the counter + 1 + val, val < 2^16)."""
    b0 = kind | (width << 2) | (0x10 if debug else 0) | (0x60 if rel else 0)
    return op(2, dt, bytes([b0, which]) + (le(val, 2) if rel else le(val, 8)))


def wgen(v, **k):
    return wreg(0, 1, v, **k)


def wsts(v, **k):
    return wreg(0, 2, v, **k)


def wcnt(v, **k):
    return wreg(0, 3, v, **k)


def wconf(n, v, **k):
    return wreg(1, n, v, **k)


def wcomp(n, v, **k):
    return wreg(2, n, v, **k)


def wfsb(n, v, **k):
    return wreg(3, n, v, **k)


def advance(dt):
    return op(3, dt, b"")


def tick(n=1):
    return bytes([((n - 1) << 4) | 4])


def reset(dt=0):
    return op(5, dt, b"")


def twin():
    return bytes([6])


def corrupt(kind, idx, x):
    return bytes([(kind << 4) | 7]) + le(idx, 2) + bytes([x])


def snap():
    return bytes([8])


M_PER, M_LEVEL, M_ENB, M_32, M_FSB, M_GEN, M_LEG, M_SPLIT = (
    1, 2, 4, 8, 16, 32, 64, 128)


def setup(n, mode, route=0, delta=0, period=0, dt=0):
    return op(9, dt, bytes([n, mode, route]) + le(delta, 3) + le(period, 3))


def gen(v, size4=False, dt=0):
    return bytes([((v | (4 if size4 else 0)) << 4) | 10]) + _tbyte(dt)


def runto(off=0):
    """Only while a timer is scheduled (else it reads one more byte)."""
    return bytes([((off + 8) << 4) | 11])


def ack(mask=0, dt=0):
    return bytes([12]) + _tbyte(dt) + bytes([mask])


def cntset(d, halt=True, wide=False, four=False):
    sel = (1 if halt else 0) | (2 if wide else 0) | (4 if four else 0)
    return bytes([(sel << 4) | 13, d])


def poll(reads):
    """reads: list of (dt 0..15, size8, high half, debug)."""
    body = bytes((dt << 4) | (1 if s8 else 0) | (2 if hi and not s8 else 0)
                 | (8 if dbg else 0) for dt, s8, hi, dbg in reads)
    return bytes([((len(reads) - 1) << 4) | 14]) + body


def refuse(kind, tclass, low=0):
    """kind 0 advance, 1 read, 2 write (|4: GEN_CONF), 3 reset; tclass 0
    past, 1 beyond HDM_TICK_MAX, 2 near NEVER, 3 2^63."""
    return bytes([(kind << 4) | 15, (tclass << 6) | low])


Q35 = [caps()] * 3  # QEMU q35 shape

SEEDS = {
    # periodic edge timer 0 on line 2, VAL_SET, ack-less; twin from the middle
    "periodic": cfg(Q35)
    + setup(0, M_PER | M_ENB | M_GEN, route=2, delta=99, period=999)
    + advance(50) + read(COMP(0)) + advance(2000) + runto(0) + runto(-1)
    + runto(1) + read(CNT, 4) + twin() + advance(10000) + tick(5)
    + wcomp(0, 4999) + advance(12000) + read(COMP(0), 4, twice=True)
    + gen(0) + advance(500) + gen(1) + advance(5000)
    + setup(1, M_PER | M_LEVEL | M_ENB, route=8, delta=10, period=100)
    + advance(1000) + ack() + advance(1000) + ack(0x02) + advance(1 << 20),
    # one-shot timers: level on line 8, edge on 16, re-armed; 32-bit halves
    "oneshot": cfg(Q35)
    + setup(1, M_LEVEL | M_ENB | M_GEN, route=8, delta=499)
    + setup(2, M_ENB | M_SPLIT, route=16, delta=0x1234)
    + advance(400) + read(STS) + advance(200) + read(STS) + ack()
    + wcomp(1, 0x2000) + advance(0x3000) + ack() + poll(
        [(1, True, False, False), (3, False, False, True),
         (2, False, True, False)])
    + wconf(2, LEVEL | INT_ENB | ROUTE(17)) + wcomp(2, 0x10000, width=1)
    + wcomp(2, 0, width=2) + advance(0x10000) + snap() + ack(0xFF)
    + advance(1 << 33),
    # 32-bit main counter: wrap events of one-shot timers (policy EVERY)
    "wrap32": cfg((3, caps(size64=False)), c64=False, wrap=WRAP_EVERY)
    + cntset(0x40) + setup(0, M_ENB, route=2, delta=0x100)
    + setup(1, M_LEVEL | M_ENB, route=8, delta=0x10) + advance(0x30)
    + advance(0x200) + ack() + advance(1 << 32) + read(CNT) + read(CNT + 4, 4)
    + wcnt(0xFFFFFFF0) + advance(0x20) + ack() + twin() + cntset(3, halt=False)
    + advance(10) + advance(1 << 33) + ack(),
    # 64-bit counter, 32-bit mode timers, ONCE wrap policy
    "wrap_once": cfg(Q35, wrap=WRAP_ONCE, twin=True)
    + cntset(0x20, wide=False) + setup(0, M_ENB | M_32, route=2, delta=0x1000)
    + setup(1, M_ENB | M_32 | M_LEVEL, route=8, delta=0x10) + advance(0x30)
    + ack() + advance(0x2000) + wconf(2, MODE32 | INT_ENB | ROUTE(2))
    + wcomp(2, 0x100, width=2) + wcomp(2, 0x100) + advance(1 << 32)
    + cntset(4, wide=True) + advance(8) + read(CNT) + advance(1 << 33),
    # no wrap events; periodic 32-bit mode; counter writes ignored while on
    "wrap_none": cfg(Q35, wrap=WRAP_NONE, cw=1)
    + cntset(0x80) + setup(0, M_ENB | M_32, route=2, delta=0x10)
    + setup(1, M_PER | M_ENB | M_32, route=8, delta=0x10, period=0x100)
    + advance(0x1000) + wcnt(5) + read(CNT) + gen(0) + wcnt(0xFFFFFF00)
    + gen(1) + advance(0x200) + advance(1 << 32),
    # LegacyReplacement: timer 0 -> line 0, timer 1 -> line 8 (routes moved)
    "legacy": cfg([caps(pattern=4), caps(pattern=4), caps(pattern=1)])
    + setup(0, M_PER | M_ENB, route=2, delta=9, period=99)
    + setup(1, M_LEVEL | M_ENB | M_GEN | M_LEG, route=2, delta=49)
    + setup(2, M_LEVEL | M_ENB, route=8, delta=49)
    + advance(60) + read(STS) + gen(1) + gen(3) + wconf(1, LEVEL | ROUTE(8))
    + wconf(1, LEVEL | INT_ENB | ROUTE(8)) + ack(0x04) + advance(300)
    + ack() + snap() + advance(1 << 16),
    # route policies: unsupported routes kept / stored / zeroed
    "routes": cfg((4, caps(pattern=4)), route=ROUTE_STORE)
    + wconf(0, LEVEL | INT_ENB | ROUTE(5)) + read(CONF(0))
    + setup(0, M_LEVEL | M_ENB | M_GEN, route=5, delta=20) + advance(30)
    + wconf(1, INT_ENB | ROUTE(31)) + corrupt(0, 0x20, 0x01),
    "routes_zero": cfg((2, caps(pattern=3)), route=ROUTE_ZERO)
    + wconf(0, LEVEL | INT_ENB | ROUTE(21)) + wconf(0, ROUTE(5))
    + setup(1, M_LEVEL | M_ENB | M_GEN, route=3, delta=20) + advance(30)
    + read(CONF(1)) + ack(),
    # FSB delivery: edge and level, FSB wins over LegacyReplacement
    "fsb": cfg([caps(fsb=True), caps(fsb=True), caps()], twin=True)
    + setup(0, M_PER | M_ENB | M_FSB | M_GEN, delta=10, period=200)
    + setup(1, M_LEVEL | M_ENB | M_FSB | M_LEG, delta=30)
    + gen(3) + advance(1000) + read(STS) + ack()
    + wfsb(0, 0xFEE01000_00004041, width=1) + wfsb(0, 0xFEE01000, width=2)
    + advance(500) + wconf(2, INT_ENB | FSB_EN | ROUTE(2)) + read(CONF(2))
    + wconf(0, PERIODIC | INT_ENB) + advance(500) + advance(1 << 24),
    # level status and W1C: masks, debug writes ignored, INTENB DROP
    "level_w1c": cfg((8, caps(pattern=1)))
    + b"".join(setup(i, M_LEVEL | M_ENB | M_PER, route=i, delta=5 + i,
                     period=40 + i) for i in range(8)) + gen(1)
    + advance(100) + read(STS) + wsts(0x0F, debug=True) + wsts(0x05)
    + wsts(0xFFFFFFFF, width=2) + ack(0x02) + wconf(3, LEVEL | ROUTE(3))
    + wconf(4, ROUTE(4)) + advance(100) + ack() + advance(100)
    + wsts(0xFF, width=1),
    # INTENB HOLD: clearing INT_ENB keeps the line until STS is cleared
    "hold": cfg((4, caps(pattern=1)), intenb=1)
    + setup(0, M_LEVEL | M_ENB | M_GEN, route=3, delta=9)
    + setup(1, M_LEVEL | M_ENB, route=3, delta=19) + advance(40)
    + wconf(0, LEVEL | ROUTE(3)) + wconf(1, LEVEL | ROUTE(3)) + snap()
    + corrupt(11, 1, 1) + ack(0x01) + gen(0) + gen(1)
    + wconf(1, LEVEL | INT_ENB | ROUTE(3)) + wconf(1, ROUTE(3)) + ack(),
    # VAL_SET: accumulator and period (BOTH) / accumulator only, halves
    "valset": cfg(Q35, valset=0)
    + wconf(0, PERIODIC | VAL_SET | INT_ENB | ROUTE(2)) + wcomp(0, 0x100)
    + gen(1) + advance(0x1000) + read(COMP(0))
    + wconf(0, PERIODIC | VAL_SET | INT_ENB | ROUTE(2))
    + wcomp(0, 0x1040, width=1) + advance(0x3000)
    + wconf(1, PERIODIC | VAL_SET | MODE32 | LEVEL | INT_ENB | ROUTE(8))
    + wcomp(1, 0x500, rel=True) + wcomp(1, 0x80) + advance(0x1000) + ack()
    + advance(0x100) + ack() + wcomp(1, 0x40, width=2) + read(COMP(1))
    + advance(0x1000),
    "valset_acc": cfg(Q35, valset=1)
    + setup(0, M_PER | M_ENB | M_GEN, route=2, delta=0x10, period=0x20)
    + advance(0x100) + wconf(0, PERIODIC | VAL_SET | INT_ENB | ROUTE(2))
    + wcomp(0, 0x200) + read(COMP(0)) + advance(0x400) + wcomp(0, 0x30)
    + advance(0x400),
    # bad accesses, debug, refused ticks, reset, snapshots, corruption
    "misc": cfg(Q35, bad=3)
    + read(0x008) + read(0x001, 1) + read(0x0F2, 2) + read(0x0F4, 8)
    + read(0x118) + read(CONF(3)) + read(0x3FC, 4) + read(0x400)
    + read(0x12345678) + write(GCAP, 0) + write(0x004, 1, 4)
    + write(CONF(3), 1) + write(0x011, 1, 1) + write(0x0F0, 1, 3)
    + write(GEN, 1, 16) + read(GEN, 7) + read(STS, 0) + read(STS + 4, 4)
    + setup(0, M_PER | M_ENB | M_GEN, route=2, delta=5, period=10)
    + refuse(0, 0, 5) + refuse(1, 1) + refuse(2, 2) + refuse(6, 3)
    + advance(100) + tick(8) + corrupt(0, 0x30, 0x01)
    + corrupt(1, 3, 0x10) + b"".join(corrupt(k, 7 * k, 0x11 * k)
                                      for k in range(2, 16))
    + snap() + refuse(3, 1) + reset(5) + read(COMP(0)) + advance(1 << 40)
    + bytes([0xF3, 0x90]),  # advance to just below HDM_TICK_MAX
    # 32 timers (window 0x500), one caps byte for all, random accesses
    "timers32": cfg((32, caps(fsb=True, pattern=1)), twin=True)
    + b"".join(setup(i, (M_PER if i % 2 else 0) | M_ENB | (
        M_LEVEL if i % 3 == 0 else 0) | (M_FSB if i % 7 == 0 else 0),
        route=i, delta=3 * i, period=17 + i) for i in range(0, 32, 3))
    + gen(1) + advance(500) + ack() + read(CONF(31)) + read(0x4F8)
    + read(0x500) + advance(5000) + corrupt(0, 0x100, 0x04) + ack()
    + corrupt(9, 0, 1),
    # quirk cmp_latency=2: a comparator 2 ticks ahead is missed, the old
    # one still matches in the window, VAL_SET + period and split halves
    # land together, 32MODE entered while parked, corrupt parked writes
    "latency": cfg(Q35, lat=2, twin=True)
    + setup(0, M_ENB | M_GEN, route=2, delta=1) + advance(10)
    + setup(1, M_ENB | M_32 | M_SPLIT, route=8, delta=9) + advance(1)
    + read(COMP(1)) + wconf(2, PERIODIC | VAL_SET | INT_ENB | ROUTE(16))
    + wcomp(2, 0x40, rel=True) + wcomp(2, 0x20) + read(COMP(2), twice=True)
    + advance(1) + wconf(2, PERIODIC | VAL_SET | INT_ENB | ROUTE(16))
    + wcomp(2, 0x1_0000_0100, width=3) + wconf(2, PERIODIC | INT_ENB | MODE32)
    + advance(3) + snap() + wcomp(0, 3, rel=True) + corrupt(13, 1, 1)
    + corrupt(13, 2, 2) + corrupt(14, 0, 2) + runto() + advance(0x1000)
    + gen(0) + wcomp(0, 0x55) + advance(1) + gen(1) + advance(0x100),
    # quirk stale_cmp_read (with cmp_latency=1): old value once, debug reads
    # do not consume it, halves, 32MODE truncates the stale value
    "stale": cfg(Q35, stale=True, lat=1)
    + wcomp(0, 0x1000) + read(COMP(0), debug=True) + read(COMP(0))
    + read(COMP(0)) + wcomp(0, 0x2_0000_2000, width=1)
    + wcomp(0, 0x3_0000_3000, width=2) + read(COMP(0) + 4, 4)
    + read(COMP(0), 4) + wcomp(1, 0x7_0000_0000) + wconf(1, MODE32)
    + read(COMP(1), twice=True) + setup(2, M_PER | M_ENB | M_GEN, route=2,
                                        delta=5, period=10)
    + read(COMP(2)) + advance(40) + read(COMP(2)) + snap()
    + wcomp(2, 0x99) + corrupt(13, 3, 3) + corrupt(14, 1, 1) + twin()
    + read(COMP(2)) + advance(100) + reset() + read(COMP(2)),
    # regression: a restore accepted a Tn_CONF route its route_cap does not
    # allow (ROUTE_KEEP): state byte 57 = T0_CONF bits 15:8, ^0x0A = route 5
    "regress-A-route-not-in-cap": cfg(Q35) + corrupt(0, 57, 0x0A)
    + setup(0, M_LEVEL | M_ENB | M_GEN, route=2, delta=3) + advance(10)
    + corrupt(0, 57, 0x0A),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus_hpet")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        assert len(data) < 1024, name
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)
        print(f"{name}.bin: {len(data)} bytes")


if __name__ == "__main__":
    main()
