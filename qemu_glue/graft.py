#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Edit a QEMU 10.0.x tree's build files so that hdm provides pl011 and hpet.

Usage: graft.py DIR

DIR holds pristine copies of hw/char/{Kconfig,meson.build,trace-events}
and hw/timer/{Kconfig,meson.build,trace-events}; they are edited in place.
The edits follow the way QEMU 10.0 swaps in its Rust devices
(X_PL011_RUST, X_HPET_RUST): the PL011 and HPET symbols stop selecting
PL011_C / HPET_C (and the Rust symbols) and select HDM_PL011 / HDM_HPET
instead, whose meson stanzas build qemu_glue's files against the hdm
subproject. Exits 1 with a message if the tree does not look as expected.
"""

import os
import re
import sys


def fail(msg):
    sys.stderr.write("graft.py: %s\n" % msg)
    sys.exit(1)


def edit(path, fn):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new = fn(text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def kconfig(symbol, hdm_symbol, what):
    """Make `config SYMBOL` select only HDM_SYMBOL."""

    def fn(text):
        block = re.compile(r"^config %s\n((?:[ \t]+.*\n|\n(?=[ \t]))*)" %
                           symbol, re.M)
        m = block.search(text)
        if not m:
            fail("no 'config %s' block" % symbol)
        body = [line for line in m.group(1).splitlines(True)
                if not re.match(r"\s*select\s", line)
                and not re.match(r"\s*#.*(Rust|C implementation)", line)]
        body.append("    # hdm: %s is hdm's core (qemu_glue/)\n" % what)
        body.append("    select %s\n" % hdm_symbol)
        new_block = "config %s\n%s\nconfig %s\n    bool\n" % (
            symbol, "".join(body), hdm_symbol)
        return text[:m.start()] + new_block + text[m.end():]

    return fn


def meson(upstream_line, cfg, glue_file):
    def fn(text):
        if upstream_line not in text:
            fail("no line %r" % upstream_line)
        text = text.replace(
            upstream_line,
            "# hdm replaces %s (see qemu_glue/)\n"
            "hdm_core = subproject('hdm').get_variable('hdm_core_dep')\n"
            "system_ss.add(when: '%s', if_true: [files('%s'), hdm_core])"
            % (upstream_line.split("'")[-2], cfg, glue_file))
        return text

    return fn


def trace(lines):
    def fn(text):
        if not text.endswith("\n"):
            text += "\n"
        return text + "\n" + lines

    return fn


PL011_TRACE = """\
# hdm_pl011.c
hdm_pl011_read(uint32_t addr, uint32_t value, unsigned size, const char *status) "addr 0x%03x value 0x%08x size %u %s"
hdm_pl011_write(uint32_t addr, uint32_t value, unsigned size, const char *status) "addr 0x%03x value 0x%08x size %u %s"
hdm_pl011_irq(unsigned line, int level) "line %u level %d"
hdm_pl011_rx(unsigned space, int count) "space %u count %d"
hdm_pl011_clock(uint32_t hz) "UARTCLK %" PRIu32 " Hz"
hdm_pl011_tx_hold(int hold, uint32_t pending) "hold %d pending %" PRIu32
hdm_pl011_tx_wait(uint32_t pending) "chardev full, pending %" PRIu32
hdm_pl011_tx_error(int err, uint32_t dropped) "chardev write failed, errno %d, %" PRIu32 " bytes dropped"
"""

HPET_TRACE = """\
# hdm_hpet.c
hdm_hpet_read(uint32_t addr, uint64_t value, unsigned size, const char *status) "addr 0x%03x value 0x%" PRIx64 " size %u %s"
hdm_hpet_write(uint32_t addr, uint64_t value, unsigned size, const char *status) "addr 0x%03x value 0x%" PRIx64 " size %u %s"
hdm_hpet_irq(unsigned line, int level) "line %u level %d"
hdm_hpet_msi(uint64_t addr, uint32_t data) "addr 0x%" PRIx64 " data 0x%08" PRIx32
hdm_hpet_legacy(int on) "LegacyReplacement %d"
"""


def main():
    if len(sys.argv) != 2:
        fail("usage: graft.py DIR")
    d = sys.argv[1]
    edit(os.path.join(d, "hw/char/Kconfig"),
         kconfig("PL011", "HDM_PL011", "the PL011"))
    edit(os.path.join(d, "hw/timer/Kconfig"),
         kconfig("HPET", "HDM_HPET", "the HPET"))
    edit(os.path.join(d, "hw/char/meson.build"),
         meson("system_ss.add(when: 'CONFIG_PL011_C', "
               "if_true: files('pl011.c'))", "CONFIG_HDM_PL011",
               "hdm_pl011.c"))
    edit(os.path.join(d, "hw/timer/meson.build"),
         meson("system_ss.add(when: 'CONFIG_HPET_C', "
               "if_true: files('hpet.c'))", "CONFIG_HDM_HPET",
               "hdm_hpet.c"))
    edit(os.path.join(d, "hw/char/trace-events"), trace(PL011_TRACE))
    edit(os.path.join(d, "hw/timer/trace-events"), trace(HPET_TRACE))


if __name__ == "__main__":
    main()
