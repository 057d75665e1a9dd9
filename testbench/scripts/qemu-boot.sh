#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot a guest from qemu-guests.sh on a QEMU from qemu-build.sh and check
# that hdm's devices carry it.
#
# Usage: qemu-boot.sh virt|pc|q35 [--bin DIR] [--guests DIR] [--log FILE]
#                     [-- EXTRA QEMU ARGS]
#   virt  qemu-system-aarch64 -M virt, console on the PL011 with earlycon:
#         checks "ttyAMA0 at MMIO 0x9000000 ... is a PL011 rev3", the shell
#         prompt, and that a typed command runs
#   pc, q35  qemu-system-x86_64 with clocksource=hpet: checks that
#         current_clocksource reads hpet, that the timer_list shows the hpet
#         clock event device, and that the HPET interrupt count grows
#   --bin DIR     directory of the QEMU binaries (default: the build that
#                 qemu-build.sh's stamp file names)
#   --guests DIR  qemu-guests.sh's cache (default ${HDM_CACHE:-/var/cache/hdm}/guests)
#   --log FILE    also write the whole console log to FILE
# Every QEMU runs under a timeout and is killed on exit. Exit status 0 if
# every check passed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MACHINE="${1:-}"
[ -n "$MACHINE" ] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
BIN=""
GUESTS="${HDM_CACHE:-/var/cache/hdm}/guests"
LOG=""
while [ $# -gt 0 ]; do
    case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --guests) GUESTS="$2"; shift 2 ;;
    --log) LOG="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "qemu-boot: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$BIN" ]; then
    BIN=$(dirname "$("$HERE/qemu-build.sh" | head -n1)")
fi

case "$MACHINE" in
virt)
    QEMU="$BIN/qemu-system-aarch64"
    ARGS=(-M virt -cpu cortex-a57 -m 512 -nographic -no-reboot
          -kernel "$GUESTS/arm64/vmlinuz" -initrd "$GUESTS/arm64/initrd.gz"
          -append "console=ttyAMA0 earlycon=pl011,0x9000000 panic=-1") ;;
pc|q35)
    QEMU="$BIN/qemu-system-x86_64"
    ARGS=(-M "$MACHINE" -m 512 -nographic -no-reboot -nic none
          -kernel "$GUESTS/amd64/vmlinuz" -initrd "$GUESTS/amd64/initrd.gz"
          -append "console=ttyS0 clocksource=hpet panic=-1") ;;
*) echo "qemu-boot: unknown machine $MACHINE" >&2; exit 2 ;;
esac

exec /usr/bin/python3 - "$MACHINE" "$LOG" timeout 150 "$QEMU" "${ARGS[@]}" \
    "$@" <<'PYEOF'
import os
import re
import signal
import subprocess
import sys
import threading
import time

machine, logfile, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
print("qemu-boot: " + " ".join(cmd), flush=True)
t0 = time.monotonic()
proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, bufsize=0,
                        start_new_session=True)
buf = bytearray()
lock = threading.Lock()


def reader():
    while True:
        b = proc.stdout.read(1)
        if not b:
            break
        with lock:
            buf.extend(b)


threading.Thread(target=reader, daemon=True).start()
failures = []


def text():
    with lock:
        return buf.decode("utf-8", "replace").replace("\r", "")


def wait_for(pattern, start, timeout):
    end = time.monotonic() + timeout
    rx = re.compile(pattern, re.M)
    while time.monotonic() < end:
        m = rx.search(text(), start)
        if m:
            return m
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    return None


def check(name, ok, detail=""):
    print("qemu-boot: %s %s%s" % ("PASS" if ok else "FAIL", name,
                                  (": " + detail) if detail else ""),
          flush=True)
    if not ok:
        failures.append(name)


def run(command, timeout=20):
    """Type a command, return its output (up to the next prompt)."""
    start = len(text())
    proc.stdin.write((command + "\n").encode())
    proc.stdin.flush()
    m = wait_for(r"^hdm# ", start + len(command) + 1, timeout)
    out = text()[start:m.start() if m else None]
    lines = out.split("\n")
    if lines and lines[0].strip().endswith(command):
        lines = lines[1:]
    return "\n".join(lines).strip()


try:
    m = wait_for(r"^hdm# ", 0, 120)
    check("shell prompt", m is not None,
          "after %.1f s" % (time.monotonic() - t0) if m else "")
    boot = text()
    if machine == "virt":
        append = [cmd[i + 1] for i, a in enumerate(cmd[:-1])
                  if a == "-append"][-1]
        if "earlycon=" in append:
            earlycon = re.search(r"^.*earlycon: pl11 at MMIO.*$", boot,
                                 re.M)
            check("earlycon", earlycon is not None,
                  earlycon.group(0).strip() if earlycon else "")
        line = re.search(r"^.*ttyAMA0 at MMIO 0x9000000.*$", boot, re.M)
        check("ttyAMA0 is a PL011 rev3",
              line is not None and "is a PL011 rev3" in line.group(0),
              line.group(0).strip() if line else "no ttyAMA0 line")
        if m:
            time.sleep(0.5)
            out = run("echo hdm-typed-$((6*7))")
            check("typed command runs", "hdm-typed-42" in out, out)
            out = run("cat /proc/tty/driver/ttyAMA")
            print(out, flush=True)
            out = run("grep -i pl011 /proc/interrupts")
            check("PL011 interrupts", "pl011" in out.lower(), out)
    else:
        if m:
            out = run("cat /sys/devices/system/clocksource/clocksource0/"
                      "current_clocksource")
            check("current_clocksource is hpet", out.strip() == "hpet", out)
            out = run("grep 'Clock Event Device' /proc/timer_list | sort -u")
            check("hpet clock event device", "hpet" in out, out)
            # IRQ 0 is HPET timer 0 in LegacyReplacement (I/O APIC pin 2)
            first = run("grep ' 0:' /proc/interrupts")
            run("sleep 1")
            second = run("grep ' 0:' /proc/interrupts")
            print("qemu-boot: /proc/interrupts: " + first.strip(), flush=True)
            print("qemu-boot: 1 s later:        " + second.strip(),
                  flush=True)

            def count(line):
                mm = re.search(r"^\s*0:\s+([\d\s]+?)\s+IO-APIC\s+2-edge",
                               line, re.M)
                return sum(int(x) for x in mm.group(1).split()) if mm else -1
            c0, c1 = count(first), count(second)
            append = [cmd[i + 1] for i, a in enumerate(cmd[:-1])
                      if a == "-append"][-1]
            if "nolapic_timer" in append:
                # the HPET stays the only clock event device: IRQ 0 ticks
                check("HPET interrupts counting", c0 > 0 and c1 > c0,
                      "%d -> %d in 1 s" % (c0, c1))
            else:
                # the local APIC timers take over after boot
                check("HPET delivered interrupts on IO-APIC pin 2", c0 > 0,
                      "%d -> %d in 1 s" % (c0, c1))
    if m:
        proc.stdin.write(b"poweroff -f\n")
        proc.stdin.flush()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
finally:
    if proc.poll() is None:
        # timeout(1) and QEMU share this process group
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    if logfile:
        with open(logfile, "w") as f:
            f.write(text())
print("qemu-boot: %s exit %s after %.1f s, %d failure(s)" %
      (machine, proc.returncode, time.monotonic() - t0, len(failures)),
      flush=True)
sys.exit(1 if failures else 0)
PYEOF
