#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build and run a bare-metal aarch64 guest (testbench/guests/baremetal/) on
# a QEMU from qemu-build.sh, -M virt with hdm's PL011 in hardware mode
# (timing on, quirks off) and -semihosting for the exit status.
#
# Usage: qemu-baremetal.sh tx_timing [--bin DIR]
#   tx_timing  programs 115200 8N1 (UARTCLK 24 MHz), sends 1000 characters
#              through the FIFO, checks with the generic timer that they
#              took 1000 frame times within 1%; the host also checks that
#              the 1000 characters arrived unchanged
# Needs aarch64-linux-gnu-gcc (qemu-guests.sh installs it). QEMU runs under
# timeout in its own process group and is killed on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../guests/baremetal" && pwd)
PROG="${1:-}"
[ -n "$PROG" ] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
BIN=""
while [ $# -gt 0 ]; do
    case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --guests) shift 2 ;;   # accepted for symmetry with the other scripts
    *) echo "qemu-baremetal: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -f "$SRC/$PROG.c" ] || { echo "qemu-baremetal: no $SRC/$PROG.c" >&2; exit 2; }
if [ -z "$BIN" ]; then
    BIN=$(dirname "$("$HERE/qemu-build.sh" | head -n1)")
fi
CC=aarch64-linux-gnu-gcc
command -v "$CC" >/dev/null ||
    { echo "qemu-baremetal: FAIL: $CC not found (run qemu-guests.sh as root)" >&2; exit 1; }

WORK=$(mktemp -d)
QPID=""
cleanup() {
    if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
        kill -KILL -- "-$QPID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

"$CC" -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -static -fno-pie \
    -no-pie -mgeneral-regs-only -mstrict-align -T "$SRC/link.ld" \
    -o "$WORK/$PROG.elf" "$SRC/start.S" "$SRC/$PROG.c"

t0=$(date +%s.%N)
set +e
setsid timeout -s KILL 60 "$BIN/qemu-system-aarch64" -M virt -cpu cortex-a57 \
    -m 64 -display none -no-reboot -semihosting -serial "file:$WORK/serial" \
    -icount shift=4,sleep=off \
    -global pl011.timing=on -global pl011.always-enabled=off \
    -global pl011.rx-trigger-1=off -global pl011.tx-8bit=off \
    -kernel "$WORK/$PROG.elf" </dev/null >"$WORK/qemu.log" 2>&1 &
QPID=$!
wait "$QPID"
rc=$?
set -e
QPID=""
t1=$(date +%s.%N)
echo "qemu-baremetal: $PROG: QEMU exit $rc after $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
sed 's/^/qemu-baremetal: qemu: /' "$WORK/qemu.log"
grep -a '^hdm-baremetal' "$WORK/serial" || true
fail=0
case "$PROG" in
tx_timing)
    want=$(/usr/bin/python3 -c '
import sys
sys.stdout.write("".join("\n" if i % 50 == 49 else chr(65 + i % 26) for i in range(1000)))')
    got=$(head -c 1000 "$WORK/serial")
    if [ "$got" != "$want" ]; then
        echo "qemu-baremetal: FAIL: the first 1000 characters on the serial differ from the sent ones"
        cmp <(printf %s "$got") <(printf %s "$want") || true
        fail=1
    else
        echo "qemu-baremetal: PASS 1000 characters received unchanged"
    fi ;;
esac
if [ "$rc" -eq 137 ]; then
    echo "qemu-baremetal: FAIL: $PROG did not exit within 60 s (killed)"
    exit 1
elif [ "$rc" -ne 0 ]; then
    echo "qemu-baremetal: FAIL: $PROG exit status $rc"
    exit 1
fi
[ "$fail" -eq 0 ] || exit 1
echo "qemu-baremetal: PASS $PROG"
