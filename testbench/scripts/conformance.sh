#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: a full conformance run of every shipped vector on every
# target built so far, printing a vector x target table and writing
# build/default/report/conformance.md plus one VCD (and its GTKWave save
# file) per vector and target under build/default/vcd/. The report's
# Waveforms section shows a GTKWave picture of every failing cell and of
# the showcase vectors below, rendered headless by render-waves.sh.
# Exit status: hdm-bench's (1 if a vector failed), or 1 if a picture could
# not be rendered.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

# Showcase vectors, one picture each on every target:
#   a PL011 frame at a real baud rate (115200 at 24 MHz, IBRD=13 FBRD=1),
#   a PL011 receive timeout (RTINTR 32 bit periods after the last character),
#   an HPET periodic timer (HZ=1000 at 100 MHz: one interrupt every ms).
showcase=pl011/baud_115200_at_24mhz
showcase+=,pl011/rx_timeout_after_32_bit_periods
showcase+=,hpet/periodic_1khz_100mhz

for v in ${showcase//,/ }; do
    [ -f "vectors/$v.vec" ] || { echo "conformance: no showcase vector vectors/$v.vec" >&2; exit 1; }
done

bash testbench/scripts/setup-debian.sh
# The QEMU column: hdm's glue in a QEMU from qemu-build.sh (a cache hit
# takes a second), compiled into hdm-bench as the "qemu" target.
# A cache hit takes a second; a glue or core change rebuilds incrementally.
# The first call builds (its log, on stdout, goes to our stderr); the
# second is a cache hit that prints only the binaries. (Reading the first
# call's output with head would take a build-log line for the binary and
# kill the build with SIGPIPE: a cold run failed that way.)
bash testbench/scripts/qemu-build.sh >&2
qemu_bin=$(bash testbench/scripts/qemu-build.sh 2>/dev/null |
           grep '/qemu-system-aarch64$' || true)
if [ ! -x "$qemu_bin" ]; then
    echo "$(basename "$0"): qemu-build.sh printed no qemu-system-aarch64" >&2
    exit 1
fi
cmake --preset default -DHDM_QEMU_DIR="$(dirname "$qemu_bin")" >/dev/null
cmake --build --preset default

out=build/default
pictures=$out/report/pictures.txt
rm -f "$pictures"
# Pictures of an earlier run must not pass for this run's.
[ ! -d "$out/vcd" ] || find "$out/vcd" -name '*.png' -type f -delete
status=0
"$out/testbench/hdm-bench" run --target all \
    --vcd "$out/vcd" \
    --report "$out/report/conformance.md" \
    --showcase "$showcase" --pictures "$pictures" "$@" || status=$?

if [ ! -f "$pictures" ]; then
    echo "conformance: hdm-bench wrote no picture list ($pictures)" >&2
    exit $((status ? status : 1))
fi
if ! bash testbench/scripts/render-waves.sh --list "$pictures"; then
    echo "conformance: rendering the waveform pictures failed" >&2
    [ "$status" -ne 0 ] || status=1
fi
echo "conformance: report $out/report/conformance.md"
exit "$status"
