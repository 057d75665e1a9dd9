#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Check hdm's VMState on a QEMU from qemu-build.sh: boot a guest from
# qemu-guests.sh, migrate it to a file in the middle of its life, load the
# file into a second QEMU and check that the guest goes on working; then
# load the same file into a QEMU whose device configuration differs and
# check that the load is refused by the core (hdm_*_restore) with an error.
#
# Usage: qemu-migrate.sh virt|pc|q35 [--bin DIR] [--guests DIR]
#   virt     PL011: the shell answers typed commands after the load;
#            refused with -global pl011.revision=r1p4
#   pc, q35  HPET (clocksource=hpet nolapic_timer, so HPET timer 0 is the
#            only clock event device): IRQ 0 keeps counting after the load;
#            refused with -global hpet.timers=4
# Every QEMU runs under a timeout and is killed on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MACHINE="${1:-}"
[ -n "$MACHINE" ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
BIN=""
GUESTS="${HDM_CACHE:-/var/cache/hdm}/guests"
while [ $# -gt 0 ]; do
    case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --guests) GUESTS="$2"; shift 2 ;;
    *) echo "qemu-migrate: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$BIN" ]; then
    BIN=$(dirname "$("$HERE/qemu-build.sh" | head -n1)")
fi

case "$MACHINE" in
virt)
    QEMU="$BIN/qemu-system-aarch64"
    ARGS=(-M virt -cpu cortex-a57 -m 512
          -kernel "$GUESTS/arm64/vmlinuz" -initrd "$GUESTS/arm64/initrd.gz"
          -append "console=ttyAMA0 panic=-1")
    BAD=(-global pl011.revision=r1p4) ;;
pc|q35)
    QEMU="$BIN/qemu-system-x86_64"
    ARGS=(-M "$MACHINE" -m 512 -nic none
          -kernel "$GUESTS/amd64/vmlinuz" -initrd "$GUESTS/amd64/initrd.gz"
          -append "console=ttyS0 clocksource=hpet nolapic_timer panic=-1")
    BAD=(-global hpet.timers=4) ;;
*) echo "qemu-migrate: unknown machine $MACHINE" >&2; exit 2 ;;
esac

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
/usr/bin/python3 - "$HERE" "$MACHINE" "$WORK" "$QEMU" "${ARGS[@]}" -- \
    "${BAD[@]}" <<'PYEOF'
import importlib.util
import os
import re
import subprocess
import sys
import time

here, machine, work, qemu = sys.argv[1:5]
rest = sys.argv[5:]
sep = rest.index("--")
args, bad = rest[:sep], rest[sep + 1:]
image = os.path.join(work, "state.bin")
failures = []


def check(name, ok, detail=""):
    print("qemu-migrate: %s %s%s" % ("PASS" if ok else "FAIL", name,
                                     (": " + detail) if detail else ""),
          flush=True)
    if not ok:
        failures.append(name)


# the console/monitor driver of the real-guest checks
_spec = importlib.util.spec_from_file_location(
    "qemu_guest_checks", os.path.join(here, "qemu-guest-checks.py"))
checks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checks)


def Guest(name, extra):
    g = checks.Guest(work, name, qemu, args + extra, limit=150)
    print("qemu-migrate: " + " ".join(g.cmd), flush=True)
    return g


def irq0(g):
    out = g.type("grep ' 0:' /proc/interrupts")
    m = re.search(r"^\s*0:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else -1


guests = []
try:
    a = Guest("a", [])
    guests.append(a)
    check("source boots to the shell",
          a.wait_for(r"^hdm# ", 0, 120) is not None)
    time.sleep(0.5)
    out = a.type("echo before-$((20+1))")
    check("source runs a command", "before-21" in out)
    if machine != "virt":
        n0 = irq0(a)
        a.type("sleep 1")
        n1 = irq0(a)
        check("source: HPET IRQ 0 counting", n1 > n0 > 0,
              "%d -> %d" % (n0, n1))
    a.hmp("stop")
    a.hmp("migrate \"exec:cat > %s\"" % image)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        info = a.hmp("info migrate")
        if re.search(r"status: (completed|failed)", info):
            break
        time.sleep(0.2)
    check("migration to file completed", "completed" in info,
          "%d bytes" % (os.path.getsize(image)
                        if os.path.exists(image) else 0))
    a.hmp("quit")
    a.close()

    b = Guest("b", ["-incoming", "exec:cat %s" % image])
    guests.append(b)
    st = ""
    end = time.monotonic() + 60
    while time.monotonic() < end:
        st = b.hmp("info status")
        if "paused (postmigrate)" in st or "paused (prelaunch)" in st \
                or "running" in st or "paused" in st and "inmigrate" not in st:
            break
        time.sleep(0.2)
    b.hmp("cont")
    time.sleep(0.3)
    out = b.type("echo after-$((40+2))")
    check("destination runs a typed command", "after-42" in out,
          out.strip().splitlines()[-1] if out.strip() else "no output")
    if machine != "virt":
        n0 = irq0(b)
        b.type("sleep 1")
        n1 = irq0(b)
        check("destination: HPET IRQ 0 counting", n1 > n0 > 0,
              "%d -> %d" % (n0, n1))
        out = b.type("cat /sys/devices/system/clocksource/clocksource0/"
                     "current_clocksource")
        check("destination clocksource", "hpet" in out)
    b.hmp("quit")
    b.close()

    c = Guest("c", bad + ["-incoming", "exec:cat %s" % image])
    guests.append(c)
    try:
        c.proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    log = c.text()
    refused = re.search(r"^.*(refused by the hdm core|load of migration "
                        r"failed).*$", log, re.M)
    check("mismatching device refuses the state",
          c.proc.returncode not in (None, 0) and refused is not None,
          " | ".join(l.strip() for l in log.splitlines()
                     if "hdm" in l or "failed" in l)[:300])
finally:
    for g in guests:
        g.close()
print("qemu-migrate: %s: %d failure(s)" % (machine, len(failures)),
      flush=True)
sys.exit(1 if failures else 0)
PYEOF
