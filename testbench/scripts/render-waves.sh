#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Render a PNG waveform picture next to each given VCD (X.vcd -> X.png)
# with GTKWave, headless: its save file X.gtkw (written by hdm-bench next to
# every VCD) sets the signals, groups, formats and window size; the Tcl
# script testbench/scripts/gtkwave-shot.tcl zooms to fit and screenshots
# the window with ImageMagick's import under xvfb-run. Each picture must be
# a real image (the size the save file asks for, more than 2 colours).
#
# usage: render-waves.sh [--list FILE] [--timeout SECONDS] [X.vcd ...]
#   --list FILE      also render every VCD path listed in FILE (one a line;
#                    hdm-bench run --pictures FILE writes it)
#   --timeout SEC    limit per picture (default 60)
# Exit status: 0 every picture rendered, 1 a picture failed, 2 usage or a
# missing tool (the message names the Debian package).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tcl=$here/gtkwave-shot.tcl
import=/usr/bin/import   # /usr/local/bin/convert may be another program
convert=/usr/bin/convert
limit=60
vcds=()

die() { echo "render-waves: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
    --list)
        [ $# -ge 2 ] || die "--list needs a FILE"
        [ -r "$2" ] || die "cannot read list $2"
        while IFS= read -r line || [ -n "$line" ]; do
            [ -n "$line" ] && vcds+=("$line")
        done <"$2"
        shift 2 ;;
    --timeout)
        if [ $# -lt 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
            die "--timeout needs seconds"
        fi
        limit=$2; shift 2 ;;
    -h|--help)
        sed -n '3,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --) shift; vcds+=("$@"); break ;;
    -*) die "unknown option $1" ;;
    *) vcds+=("$1"); shift ;;
    esac
done

# Tools, each with the Debian package that provides it.
need() {
    if [ "${1#/}" != "$1" ]; then
        [ -x "$1" ] || die "$1 not found: install the Debian package '$2' (testbench/scripts/setup-debian.sh)"
    else
        command -v "$1" >/dev/null 2>&1 ||
            die "$1 not found: install the Debian package '$2' (testbench/scripts/setup-debian.sh)"
    fi
}
need gtkwave gtkwave
need xvfb-run xvfb
need Xvfb xvfb
need xauth xauth
need "$import" imagemagick
need "$convert" imagemagick
need timeout coreutils
[ -r "$tcl" ] || die "missing $tcl"

if [ ${#vcds[@]} -eq 0 ]; then
    echo "render-waves: nothing to render"
    exit 0
fi

# GTK quiet and without desktop services.
export NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory GDK_BACKEND=x11

# One private X authority file: it names the Xvfb this script started
# (xvfb-run signals its server on exit without waiting for it).
work=$(mktemp -d "${TMPDIR:-/tmp}/render-waves.XXXXXX") || die "mktemp failed"
auth=$work/Xauthority
ours() { pgrep -f -- "-auth $auth" 2>/dev/null; }
reap() {
    local _ pids
    for _ in $(seq 50); do
        pids=$(ours) || return 0
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
}
cleanup() { reap; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=0
render() {
    local vcd=$1 base gtkw png tmp log w h info
    base=${vcd%.vcd}
    gtkw=$base.gtkw
    png=$base.png
    if [ ! -r "$vcd" ]; then
        echo "render-waves: FAIL $vcd: no such VCD" >&2; return 1
    fi
    if [ ! -r "$gtkw" ]; then
        echo "render-waves: FAIL $vcd: no save file $gtkw" >&2; return 1
    fi
    read -r w h < <(awk '$1 == "[size]" { print $2, $3; exit }' "$gtkw")
    [[ ${w:-} =~ ^[0-9]+$ && ${h:-} =~ ^[0-9]+$ ]] || { w=1600; h=600; }
    tmp=$base.tmp$$.png
    log=$base.render.log
    rm -f "$png" "$tmp"
    local _ rc=1
    for _ in 1 2; do   # xvfb-run -a can race another X server for a number
        HDM_WAVES_PNG=$tmp HDM_WAVES_IMPORT=$import \
            timeout -k 5 "$limit" xvfb-run -a -e "$log.xvfb" -f "$auth" \
            -s "-screen 0 ${w}x${h}x24 -nolisten tcp" \
            gtkwave -S "$tcl" "$vcd" "$gtkw" >"$log" 2>&1 </dev/null
        rc=$?
        reap
        [ $rc -eq 0 ] && [ -s "$tmp" ] && break
        [ $rc -eq 124 ] && break   # timed out: do not wait twice
    done
    if [ $rc -ne 0 ] || [ ! -s "$tmp" ]; then
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
            echo "render-waves: FAIL $vcd: gtkwave timed out after ${limit}s" >&2
        else
            echo "render-waves: FAIL $vcd: gtkwave exit status $rc, no picture" >&2
        fi
        sed 's/^/  | /' "$log" "$log.xvfb" 2>/dev/null | tail -n 15 >&2
        rm -f "$tmp"; return 1
    fi
    info=$("$convert" "$tmp" -format '%w %h %k' info: 2>&1) || {
        echo "render-waves: FAIL $vcd: unreadable picture: $info" >&2
        rm -f "$tmp"; return 1
    }
    local pw ph colours
    read -r pw ph colours <<<"$info"
    if [ "$pw" != "$w" ] || [ "$ph" != "$h" ]; then
        echo "render-waves: FAIL $vcd: picture is ${pw}x${ph}, expected ${w}x${h}" >&2
        rm -f "$tmp"; return 1
    fi
    if [ "${colours:-0}" -le 2 ]; then
        echo "render-waves: FAIL $vcd: blank picture ($colours colours)" >&2
        rm -f "$tmp"; return 1
    fi
    if ! grep -q '^hdm-waves: [1-9][0-9]* signals' "$log"; then
        echo "render-waves: FAIL $vcd: GTKWave showed no signals" >&2
        rm -f "$tmp"; return 1
    fi
    mv -f "$tmp" "$png"
    rm -f "$log" "$log.xvfb"
    echo "render-waves: $png (${pw}x${ph}, $colours colours)"
}

for v in "${vcds[@]}"; do
    render "$v" || failed=$((failed + 1))
done
if [ $failed -ne 0 ]; then
    echo "render-waves: $failed of ${#vcds[@]} pictures failed" >&2
    exit 1
fi
echo "render-waves: ${#vcds[@]} pictures rendered"
