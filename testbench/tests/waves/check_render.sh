#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CTest unit/bench/waves/render: hdm-bench writes a VCD and its GTKWave save
# file for one shipped vector, render-waves.sh turns it into a PNG, and the
# PNG must be a real picture: the window size the save file asks for
# (1600 wide, at least 600 high) with more than 2 colours. Missing tools
# fail the test with the Debian package to install (never a silent pass).
#
# usage: check_render.sh HDM_BENCH VECTOR.vec OUTDIR
set -uo pipefail
bench=$1 vec=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
render=$here/../../scripts/render-waves.sh

fail() { echo "waves/render: FAIL: $*" >&2; exit 1; }

for t in gtkwave:gtkwave xvfb-run:xvfb Xvfb:xvfb xauth:xauth \
         /usr/bin/import:imagemagick /usr/bin/convert:imagemagick; do
    tool=${t%%:*} pkg=${t##*:}
    if ! command -v "$tool" >/dev/null 2>&1; then
        fail "$tool is missing: install the Debian package '$pkg'" \
             "(testbench/scripts/setup-debian.sh installs it)"
    fi
done

rm -rf "$out"
"$bench" run --target core --vcd "$out" "$vec" || fail "hdm-bench run failed"
name=$(basename "$vec" .vec)
dev=$(basename "$(dirname "$vec")")
vcd=$out/core/$dev/$name.vcd
gtkw=$out/core/$dev/$name.gtkw
png=$out/core/$dev/$name.png
[ -s "$vcd" ] || fail "no VCD $vcd"
[ -s "$gtkw" ] || fail "no GTKWave save file $gtkw"
grep -q '^\[size\] 1600 ' "$gtkw" || fail "$gtkw has no [size] 1600 line"

bash "$render" --timeout 60 "$vcd" || fail "render-waves.sh failed on $vcd"
[ -s "$png" ] || fail "no picture $png"
read -r w h k < <(/usr/bin/convert "$png" -format '%w %h %k\n' info:) ||
    fail "ImageMagick cannot read $png"
echo "waves/render: $png is ${w}x${h}, $k colours"
[ "$w" -eq 1600 ] || fail "picture width $w, expected 1600"
[ "$h" -ge 600 ] || fail "picture height $h, expected at least 600"
[ "$k" -gt 2 ] || fail "picture has $k colours: blank"
# Not all background: the wave area (black) and the signal pane (light)
# must both be there, i.e. the mean is neither black nor white.
mean=$(/usr/bin/convert "$png" -colorspace Gray -format '%[fx:int(100*mean)]' info:)
if [ "$mean" -le 5 ] || [ "$mean" -ge 95 ]; then
    fail "picture looks blank (mean grey $mean%)"
fi
echo "waves/render: ok"
