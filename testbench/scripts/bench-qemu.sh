#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-qemu: hdm's QEMU (qemu-build.sh) against Debian's packaged QEMU
# (bookworm-backports) on the same Linux guests (qemu-guests.sh), TCG only.
# Every figure is a ratio against a baseline measured in the same run.
#
# Usage: bench-qemu.sh [--bin DIR] [--upstream DIR] [--guests DIR]
#                      [--idle S] [--reads N] [--only LIST] [--keep DIR]
#   --bin DIR       hdm's QEMU binaries (default: qemu-build.sh's build)
#   --upstream DIR  the reference QEMU (default /usr/bin, Debian's package:
#                   apt-get install -t bookworm-backports qemu-system-x86
#                   qemu-system-arm)
#   --guests DIR    qemu-guests.sh's cache (default ${HDM_CACHE:-/var/cache/hdm}/guests)
#   --idle S        seconds of idle guest to measure (default 30)
#   --reads N       HPET main-counter reads per guest run (default 500000)
#   --only LIST     comma list of: idle (with hpet-read), uart (default both)
#   --keep DIR      keep the console logs and the x86 initramfs in DIR
# Workloads:
#   idle      -M q35, clocksource=hpet, hdm and upstream; baseline the same
#             guest on hdm's QEMU with -M q35,hpet=off (clocksource tsc);
#             all with tsc=reliable (the same clocksource watchdog load):
#             CPU time of every QEMU thread (/proc/<pid>/task/*/schedstat,
#             ns) over S s of idling at the shell prompt, in
#             HDM_BENCH_QEMU_IDLE_ROUNDS windows (default 3), each with
#             freshly booted guests (own APIC timer calibration), medians
#   hpet-read a static program in the initramfs reads the HPET main counter
#             (mmap of /dev/mem at 0xfed00000, offset 0xf0) N times: guest
#             ns per read, hdm against upstream
#   uart      -M virt: the guest writes bytes to /dev/ttyAMA0 at 115200 8N1,
#             timed in the guest (ktime from /proc/timer_list, drained with stty); rate from
#             the difference of a small and a large write; hdm timing off
#             and upstream, and hdm timing on (hardware mode)
# The guests compared run at the same time (the three x86 guests, then the
# two arm64 timing-off guests), so that the idle window and each round see
# the same machine load; the read and UART figures are the median of
# interleaved rounds (HDM_BENCH_QEMU_ROUNDS, default 5; UART max(3, N-2)),
# alternating the order, each ratio taken within its round.
# Every QEMU runs in its own process group under a deadline and is killed
# at the end. Needs gcc (static glibc) and cpio on the host.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=""
UPSTREAM=/usr/bin
GUESTS="${HDM_CACHE:-/var/cache/hdm}/guests"
IDLE=30
READS=500000
ONLY=idle,uart
KEEP=""
while [ $# -gt 0 ]; do
    case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --upstream) UPSTREAM="$2"; shift 2 ;;
    --guests) GUESTS="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --reads) READS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    -h|--help) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-qemu: unknown argument $1" >&2; exit 2 ;;
    esac
done
die() { echo "bench-qemu: error: $*" >&2; exit 1; }

if [ -z "$BIN" ]; then
    BIN=$(dirname "$("$HERE/qemu-build.sh" | head -n1)")
fi
for b in qemu-system-aarch64 qemu-system-x86_64; do
    [ -x "$BIN/$b" ] || die "no $BIN/$b (run qemu-build.sh)"
    [ -x "$UPSTREAM/$b" ] || die "no $UPSTREAM/$b (apt-get install -y -t" \
        "bookworm-backports qemu-system-x86 qemu-system-arm)"
done
for f in amd64/vmlinuz amd64/initrd.gz arm64/vmlinuz arm64/initrd.gz; do
    [ -s "$GUESTS/$f" ] || die "no $GUESTS/$f (run qemu-guests.sh)"
done
command -v cpio >/dev/null || die "cpio missing (apt-get install cpio)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hdm-bench-qemu-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The HPET reader, static, appended to the x86 initramfs as a second
# cpio archive (the kernel unpacks concatenated archives in order).
cat >"$WORK/hpetread.c" <<'EOF'
/* Read the HPET main counter N times through /dev/mem; print guest ns. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    int fd = open("/dev/mem", O_RDONLY | O_SYNC);
    if (fd < 0) {
        perror("hpetread: /dev/mem");
        return 1;
    }
    volatile uint64_t *regs = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
                                   0xfed00000);
    if (regs == MAP_FAILED) {
        perror("hpetread: mmap 0xfed00000");
        return 1;
    }
    uint64_t cap = regs[0], c0 = regs[0xf0 / 8], c1 = c0, sum = 0;
    uint64_t t0 = now_ns();
    for (long i = 0; i < n; i++) {
        c1 = regs[0xf0 / 8];
        sum += c1;
    }
    uint64_t t1 = now_ns();
    printf("HDMHPET n=%ld ns=%llu cap=0x%016llx counter_delta=%llu sum=%llu\n",
           n, (unsigned long long)(t1 - t0), (unsigned long long)cap,
           (unsigned long long)(c1 - c0), (unsigned long long)(sum & 0xff));
    return 0;
}
EOF
gcc -O2 -static -o "$WORK/hpetread" "$WORK/hpetread.c" ||
    die "gcc -static failed (libc6-dev provides libc.a)"
mkdir -p "$WORK/extra/bin"
cp "$WORK/hpetread" "$WORK/extra/bin/hpetread"
(cd "$WORK/extra" && find . | cpio -o -H newc --quiet) | gzip -9 >"$WORK/extra.gz"
cat "$GUESTS/amd64/initrd.gz" "$WORK/extra.gz" >"$WORK/initrd-x86.gz"
if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP" && cp "$WORK/initrd-x86.gz" "$KEEP/"
fi

/usr/bin/python3 - "$BIN" "$UPSTREAM" "$GUESTS" "$WORK" "$IDLE" \
    "$READS" "$ONLY" "$KEEP" <<'PYEOF'
import datetime
import os
import platform
import re
import select
import shutil
import signal
import subprocess
import sys
import time

BIN, UP, GUESTS, WORK, IDLE, READS, ONLY, KEEP = sys.argv[1:]
IDLE = float(IDLE)
READS = int(READS)
ONLY = ONLY.split(",")


def log(msg):
    print("bench-qemu: " + msg, flush=True)


def version(qemu):
    out = subprocess.run([qemu, "--version"], capture_output=True,
                         text=True, timeout=30).stdout
    return out.splitlines()[0].replace("QEMU emulator version ", "")


class Guest:
    """One QEMU with its console on stdio, in its own process group."""

    def __init__(self, name, cmd, deadline):
        self.name = name
        self.cmd = cmd
        log("%s: %s" % (name, " ".join(cmd)))
        self.t0 = time.monotonic()
        self.deadline = self.t0 + deadline
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0,
                                     start_new_session=True)
        self.fd = self.proc.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.text = ""        # console text, with runs of 'x' squeezed
        self.total = 0        # bytes received from the console
        self.log = []

    def pump(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return True
        if not data:
            return False
        self.total += len(data)
        s = data.decode("latin-1").replace("\r", "")
        s = re.sub("x{64,}", "x", s)
        self.text += s
        if len(self.text) > 1 << 20:
            self.log.append(self.text[:-65536])
            self.text = self.text[-65536:]
        return True

    def wait_for(self, pattern, start, timeout):
        end = min(time.monotonic() + timeout, self.deadline)
        rx = re.compile(pattern, re.M)
        while True:
            m = rx.search(self.text, start)
            if m:
                return m
            if time.monotonic() > end:
                raise RuntimeError("%s: timeout waiting for %r" %
                                   (self.name, pattern))
            if not self.pump(0.05) and self.proc.poll() is not None:
                raise RuntimeError("%s: QEMU exited (%s) waiting for %r" %
                                   (self.name, self.proc.returncode,
                                    pattern))

    def prompt(self):
        m = self.wait_for(r"^hdm# ", 0, 240)
        self.boot_s = time.monotonic() - self.t0
        log("%s: prompt after %.1f s" % (self.name, self.boot_s))
        time.sleep(0.5)
        self.drain(0.2)

    def drain(self, s):
        end = time.monotonic() + s
        while time.monotonic() < end:
            self.pump(0.02)

    def run(self, command, timeout=120):
        """Type a command, return its output up to the next prompt."""
        start = len(self.text)
        os.write(self.proc.stdin.fileno(), (command + "\n").encode())
        m = self.wait_for(r"^hdm# ", start + len(command) + 1, timeout)
        out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", self.text[start:m.start()])
        # drop the echoed command line
        return out.split("\n", 1)[1] if "\n" in out else ""

    def cpu_s(self):
        # ns on CPU of every thread (schedstat), not utime+stime's 10 ms
        # clock ticks; QEMU's threads live as long as the guest here
        total = 0
        tasks = "/proc/%d/task" % self.proc.pid
        for t in os.listdir(tasks):
            try:
                with open("%s/%s/schedstat" % (tasks, t)) as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        return total / 1e9

    def close(self):
        try:
            if self.proc.poll() is None:
                try:
                    os.write(self.proc.stdin.fileno(), b"poweroff -f\n")
                except OSError:
                    pass
                end = time.monotonic() + 10
                while time.monotonic() < end and self.proc.poll() is None:
                    self.pump(0.05)
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            if KEEP:
                os.makedirs(KEEP, exist_ok=True)
                with open(os.path.join(KEEP, self.name + ".log"), "w") as f:
                    f.write("".join(self.log) + self.text)


results = []   # (section, label, value, unit, ratio text, goal, met)
X86 = ["-m", "512", "-nographic", "-no-reboot", "-nic", "none",
       "-kernel", GUESTS + "/amd64/vmlinuz",
       "-initrd", WORK + "/initrd-x86.gz"]
ARM = ["-M", "virt", "-cpu", "cortex-a57", "-m", "512", "-nographic",
       "-no-reboot", "-kernel", GUESTS + "/arm64/vmlinuz",
       "-initrd", GUESTS + "/arm64/initrd.gz",
       "-append", "console=ttyAMA0 panic=-1"]


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def idle_all(guests, s):
    """Let every guest idle for s seconds, reading all consoles."""
    end = time.monotonic() + s
    while time.monotonic() < end:
        for g in guests:
            g.pump(0.01)


def x86_guest(name, qemu, machine, clocksource):
    return Guest(name, [qemu, "-M", machine] + X86 +
                 ["-append", "console=ttyS0 clocksource=%s tsc=reliable "
                  "apic=verbose panic=-1" %
                  clocksource], 240 + IDLE + 600)


def x86_info(g):
    cs = g.run("cat /sys/devices/system/clocksource/clocksource0/"
               "current_clocksource").strip().split("\n")[-1].strip()
    ce = g.run("grep 'Clock Event Device' /proc/timer_list | sort -u")
    ce = ",".join(sorted(set(re.findall(r"Device: (\S+)", ce))))
    return cs, ce


def hpet_read(g, n):
    txt = g.run("hpetread %d" % n, timeout=300)
    m = re.search(r"HDMHPET n=(\d+) ns=(\d+) cap=(\S+) "
                  r"counter_delta=(\d+)", txt)
    if not m:
        raise RuntimeError("%s: hpetread: %s" % (g.name, txt.strip()))
    # guest ns per read, the HPET's own count of the loop (10 ns ticks)
    return (int(m.group(2)) / int(m.group(1)),
            int(m.group(4)) * 10.0 / int(m.group(1)), m.group(3))


NOW = "$(awk '/^now at/{print $3; exit}' /proc/timer_list)"
UART_CMD = ("stty -F /dev/ttyAMA0 115200; t0=" + NOW + "; "
            "dd if=/dev/zero bs=1024 count=%d 2>/dev/null | tr '\\0' x "
            ">/dev/ttyAMA0; stty -F /dev/ttyAMA0 115200; "
            "t1=" + NOW + "; echo; echo HDMUART %d $((t1-t0))")


def arm_guest(name, qemu, extra):
    g = Guest(name, [qemu] + ARM + extra, 240 + 900)
    return g


def arm_ready(g):
    g.run("stty -F /dev/ttyAMA0 115200")
    # guest ns from ktime (busybox's date has no %N)
    t = g.run("echo " + NOW).strip().split("\n")[-1].strip()
    if not re.match(r"^\d{6,}$", t):
        raise RuntimeError("%s: no 'now at' in /proc/timer_list: %r"
                           % (g.name, t))


def uart_rate(g, small, big):
    """Bytes/s from the difference of a small and a large write."""
    res = {}
    for kib in (small, big):
        before = g.total
        txt = g.run(UART_CMD % (kib, kib), timeout=600)
        m = re.search(r"HDMUART (\d+) (\d+)", txt)
        if not m:
            raise RuntimeError("%s: no result: %r" % (g.name, txt[-200:]))
        got = g.total - before
        if got < kib * 1024:
            raise RuntimeError("%s: %d bytes on the console, wrote %d" %
                               (g.name, got, kib * 1024))
        res[kib] = int(m.group(2)) / 1e9
    return (big - small) * 1024 / (res[big] - res[small]), res


hdm_x86, up_x86 = BIN + "/qemu-system-x86_64", UP + "/qemu-system-x86_64"
hdm_arm, up_arm = BIN + "/qemu-system-aarch64", UP + "/qemu-system-aarch64"
vers = {"hdm": version(hdm_x86), "upstream": version(up_x86)}
start = datetime.datetime.now(datetime.timezone.utc)
ok = True
ROUNDS = int(os.environ.get("HDM_BENCH_QEMU_ROUNDS", "5"))
IDLE_ROUNDS = int(os.environ.get("HDM_BENCH_QEMU_IDLE_ROUNDS", "3"))

if "idle" in ONLY:
    # IDLE_ROUNDS windows of IDLE s, each with three freshly booted guests
    # running at once (the same machine load for all three): every boot
    # calibrates its local APIC timer anew, and a calibration a little off
    # makes the guest's timers fire early and wake it twice, so one boot
    # is not representative. Medians over the boots, each ratio taken
    # within its window. The HPET reads run on the last set of guests.
    cpus = {"x86-hdm-nohpet": [], "x86-hdm-hpet": [],
            "x86-upstream-hpet": []}
    for r in range(IDLE_ROUNDS):
        gs = [x86_guest("x86-hdm-nohpet", hdm_x86, "q35,hpet=off", "tsc"),
              x86_guest("x86-hdm-hpet", hdm_x86, "q35", "hpet"),
              x86_guest("x86-upstream-hpet", up_x86, "q35", "hpet")]
        last = r == IDLE_ROUNDS - 1
        try:
            info = {}
            for g in gs:
                g.prompt()
            for g in gs:
                info[g.name] = x86_info(g)
            loc = {g.name: g.run("grep -E '^ *LOC:' /proc/interrupts; "
                                 "dmesg | grep 'calibration result'")
                   for g in gs}
            idle_all(gs, 2.0)
            c0 = {g.name: g.cpu_s() for g in gs}
            idle_all(gs, IDLE)
            for g in gs:
                cpus[g.name].append(g.cpu_s() - c0[g.name])
            for g in gs:
                l0 = re.search(r"LOC:\s+(\d+)", loc[g.name])
                l1 = re.search(r"LOC:\s+(\d+)", g.run(
                    "grep -E '^ *LOC:' /proc/interrupts"))
                cal = re.search(r"calibration result: (\d+)", loc[g.name])
                log("window %d: %s: %.3f s CPU over %.0f s; clocksource %s, "
                    "clock event devices %s; local timer interrupts +%s; "
                    "APIC timer calibration %s" %
                    (r + 1, g.name, cpus[g.name][-1], IDLE, info[g.name][0],
                     info[g.name][1],
                     int(l1.group(1)) - int(l0.group(1)) if l0 and l1
                     else "?", cal.group(1) if cal else "?"))
            for g in gs[1:]:
                if info[g.name][0] != "hpet":
                    log("warning: %s: clocksource %s, not hpet" %
                        (g.name, info[g.name][0]))
                    ok = False
            if not last:
                continue
            # HPET reads: interleaved rounds, order alternating
            per = {"x86-hdm-hpet": [], "x86-upstream-hpet": []}
            ratios = []
            for rr in range(ROUNDS):
                order = gs[1:] if rr % 2 == 0 else gs[:0:-1]
                got = {}
                for g in order:
                    got[g.name] = hpet_read(g, READS)
                    per[g.name].append(got[g.name][0])
                ratios.append(got["x86-hdm-hpet"][0] /
                              got["x86-upstream-hpet"][0])
                log("read round %d: hdm %.0f ns (HPET count %.0f), upstream "
                    "%.0f ns (HPET count %.0f), ratio %.3f; GCAP_ID %s / %s"
                    % (rr + 1, got["x86-hdm-hpet"][0],
                       got["x86-hdm-hpet"][1], got["x86-upstream-hpet"][0],
                       got["x86-upstream-hpet"][1], ratios[-1],
                       got["x86-hdm-hpet"][2], got["x86-upstream-hpet"][2]))
        finally:
            for g in gs:
                g.close()
    cpu = {k: median(v) for k, v in cpus.items()}
    base = cpus["x86-hdm-nohpet"]
    idle_ratio = {k: median([x / b if b > 0 else float("inf")
                             for x, b in zip(v, base)])
                  for k, v in cpus.items()}
    b = cpu["x86-hdm-nohpet"]
    results.append(("idle", "q35,hpet=off on hdm, clocksource %s" %
                    info["x86-hdm-nohpet"][0], b, "s CPU / %.0f s" % IDLE,
                    "1.00x (baseline)", "-", "-"))
    for lbl, k in (("q35 + HPET, hdm", "x86-hdm-hpet"),
                   ("q35 + HPET, upstream", "x86-upstream-hpet")):
        ratio = idle_ratio[k]
        hdm_row = k == "x86-hdm-hpet"
        rs = [x / y if y > 0 else float("inf")
              for x, y in zip(cpus[k], cpus["x86-hdm-nohpet"])]
        results.append(("idle", lbl, cpu[k], "s CPU / %.0f s" % IDLE,
                        "%.2fx no-HPET (boots %.2f-%.2f)" %
                        (ratio, min(rs), max(rs)),
                        "<= 1.2x" if hdm_row else "-",
                        ("yes" if ratio <= 1.2 else "NO") if hdm_row
                        else "-"))
    ratio = median(ratios)
    results.append(("read", "HPET MAIN_CNT read, upstream",
                    median(per["x86-upstream-hpet"]), "guest ns/read",
                    "1.00x (baseline)", "-", "-"))
    results.append(("read", "HPET MAIN_CNT read, hdm",
                    median(per["x86-hdm-hpet"]), "guest ns/read",
                    "%.2fx upstream (rounds %.2f-%.2f)" %
                    (ratio, min(ratios), max(ratios)), "<= 1.0x",
                    "yes" if ratio <= 1.0 else "NO"))

if "uart" in ONLY:
    small, big = 256, 2048
    gs = [arm_guest("arm-upstream", up_arm, []),
          arm_guest("arm-hdm-timing-off", hdm_arm, [])]
    try:
        for g in gs:
            g.prompt()
            arm_ready(g)
        rates = {g.name: [] for g in gs}
        ratios = []
        for r in range(max(3, ROUNDS - 2)):
            order = gs if r % 2 == 0 else gs[::-1]
            got = {}
            for g in order:
                got[g.name], raw = uart_rate(g, small, big)
                rates[g.name].append(got[g.name])
            ratios.append(got["arm-hdm-timing-off"] / got["arm-upstream"])
            log("uart round %d: hdm %.0f B/s, upstream %.0f B/s, ratio "
                "%.3f" % (r + 1, got["arm-hdm-timing-off"],
                          got["arm-upstream"], ratios[-1]))
    finally:
        for g in gs:
            g.close()
    timed = arm_guest("arm-hdm-timing-on", hdm_arm,
                      ["-global", "pl011.timing=on",
                       "-global", "pl011.always-enabled=off",
                       "-global", "pl011.rx-trigger-1=off",
                       "-global", "pl011.tx-8bit=off"])
    try:
        timed.prompt()
        arm_ready(timed)
        trate, traw = uart_rate(timed, 16, 64)
        log("timing on: %.1f B/s; 16 KiB in %.3f s, 64 KiB in %.3f s "
            "(line time %.3f / %.3f s at 11525 chars/s)" %
            (trate, traw[16], traw[64], 16384 / 11525.0, 65536 / 11525.0))
    finally:
        timed.close()
    results.append(("uart", "PL011 TX, upstream",
                    median(rates["arm-upstream"]), "bytes/s",
                    "1.00x (baseline)", "-", "-"))
    ratio = median(ratios)
    results.append(("uart", "PL011 TX, hdm timing off",
                    median(rates["arm-hdm-timing-off"]), "bytes/s",
                    "%.2fx upstream (rounds %.2f-%.2f)" %
                    (ratio, min(ratios), max(ratios)), ">= 1.0x",
                    "yes" if ratio >= 1.0 else "NO"))
    ratio = trate / 11520.0
    results.append(("uart", "PL011 TX, hdm timing on, 115200 8N1",
                    trate, "bytes/s", "%.3fx line rate 11520" % ratio,
                    "1.0x +- 3%", "yes" if abs(ratio - 1) <= 0.03 else "NO"))

print()
print("command: testbench/scripts/bench-qemu.sh (cmake --build <dir> "
      "--target bench-qemu)")
print("date: %s" % start.strftime("%Y-%m-%d %H:%M UTC"))
print("host: %s, %d CPUs, %s" % (platform.machine(), os.cpu_count(),
                                 platform.release()))
print("hdm QEMU: %s (%s)" % (vers["hdm"], BIN))
print("upstream QEMU: %s (%s)" % (vers["upstream"], UP))
print("accel: TCG; guests: %s" % GUESTS)
print()
print("| metric | value | unit | ratio | goal | met |")
print("|---|---|---|---|---|---|")
for sec, lbl, val, unit, ratio, goal, met in results:
    v = ("%.3f" % val) if val < 10 else ("%.2f" % val) if val < 1000 \
        else ("%.0f" % val)
    print("| %s | %s | %s | %s | %s | %s |" % (lbl, v, unit, ratio, goal,
                                               met))
sys.exit(0 if ok else 1)
PYEOF
