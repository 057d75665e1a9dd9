#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The QEMU graft as a patch series: copy a pristine QEMU 10.0.x tree, make a
# git repository of it (one initial commit), graft hdm into it with the same
# code as qemu-build.sh (qemu-build.sh --graft-only, i.e. its graft() and
# qemu_glue/graft.py), commit the result as three logical commits and write
# them with `git format-patch` (plus a cover letter).
#
# Usage: qemu-patches.sh [--qemu-src DIR] [--out DIR] [--repo DIR]
#                        [--author 'Name <email>'] [--checkpatch]
#                        [--verify TREE]
#   --qemu-src DIR  pristine QEMU 10.0.x tree (default: the source of
#                   --verify's tree, else the newest
#                   ${HDM_CACHE:-/var/cache/hdm}/qemu/pristine-*)
#   --out DIR       patch directory, emptied first (default build/qemu-patches)
#   --repo DIR      keep the git repository there (default: a temporary one)
#   --author A      author and Signed-off-by of the commits (default
#                   $HDM_PATCH_AUTHOR, else a placeholder to replace)
#   --checkpatch    run the tree's scripts/checkpatch.pl on each patch; the
#                   glue patches (hw/char, hw/timer) must pass, the import
#                   of the hdm core (subprojects/hdm) is only reported
#   --verify TREE   then `git am` the series onto a fresh copy of the
#                   pristine tree and check that it equals TREE, a tree
#                   grafted by qemu-build.sh (e.g. $HDM_QEMU_DIR/..): the
#                   applied tree equals the generating repository's, every
#                   touched file equals TREE's, TREE has no other hdm file
# Exit status 0 if everything asked for passed; 77 if the pristine tree is
# not there (CTest SKIP).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"

SRC=""
OUT="$REPO/build/qemu-patches"
KEEP_REPO=""
AUTHOR="${HDM_PATCH_AUTHOR:-Your Name <your.name@example.org>}"
CHECKPATCH=0
VERIFY=""
while [ $# -gt 0 ]; do
    case "$1" in
    --qemu-src) SRC=$(cd "$2" && pwd); shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --repo) KEEP_REPO="$2"; shift 2 ;;
    --author) AUTHOR="$2"; shift 2 ;;
    --checkpatch) CHECKPATCH=1; shift ;;
    --verify) VERIFY=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '2,27p' "$SELF" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "qemu-patches: unknown argument $1" >&2; exit 2 ;;
    esac
done
log() { echo "qemu-patches: $*" >&2; }
die() { log "error: $*"; exit 1; }
skip() { log "SKIP: $*"; exit 77; }

case "$AUTHOR" in
*" <"*@*">") ;;
*) die "--author must look like 'Name <email>'" ;;
esac

# The pristine tree: given, the source qemu-build.sh recorded for the
# verified tree, its sibling pristine-<version>, or the newest one.
CACHE="${HDM_CACHE:-/var/cache/hdm}/qemu"
if [ -z "$SRC" ] && [ -n "$VERIFY" ]; then
    if [ -s "$VERIFY/.hdm-copied" ]; then
        SRC=$(cat "$VERIFY/.hdm-copied")
    else
        case "$(basename "$VERIFY")" in
        tree-user-*) skip "$VERIFY was grafted from a tree it does not name; pass --qemu-src" ;;
        tree-*) SRC="$(dirname "$VERIFY")/pristine-$(basename "$VERIFY" | sed 's/^tree-//')" ;;
        esac
    fi
fi
if [ -z "$SRC" ]; then
    SRC=$(ls -d "$CACHE"/pristine-* 2>/dev/null | sort -V | tail -n1 || true)
fi
[ -n "$SRC" ] && [ -f "$SRC/VERSION" ] ||
    skip "no pristine QEMU tree (${SRC:-none}); run qemu-build.sh or pass --qemu-src"
VERSION=$(cat "$SRC/VERSION")
case "$VERSION" in
10.0.*) ;;
*) log "warning: $SRC is QEMU $VERSION, the glue targets 10.0.x" ;;
esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hdm-qemu-patches-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
if [ -n "$KEEP_REPO" ]; then
    rm -rf "$KEEP_REPO"
    mkdir -p "$KEEP_REPO"
    GREPO=$(cd "$KEEP_REPO" && pwd)
else
    GREPO="$WORK/qemu"
fi

# Reproducible commits: fixed identity, dates from hdm's last commit.
name=${AUTHOR%% <*}
email=${AUTHOR##*<}
email=${email%>}
export GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email"
export GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email"
stamp=$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || echo 0)
export GIT_AUTHOR_DATE="$stamp +0000" GIT_COMMITTER_DATE="$stamp +0000"
HDM_REV=$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)
g() { git -C "$1" -c core.autocrlf=false -c core.safecrlf=false \
          -c commit.gpgsign=false -c init.defaultBranch=master -c gc.auto=0 \
          -c maintenance.auto=false "${@:2}"; }

# A copy of a source tree as a git repository with one commit of
# everything in it (ignored files too: it is the tree, not a checkout).
make_repo() { # $1: source tree, $2: repository dir
    mkdir -p "$2"
    (cd "$1" && tar --exclude=./build --exclude=./.git \
        --exclude=./.hdm-extracted --exclude=./.hdm-copied -cf - .) |
        (cd "$2" && tar -xf -)
    g "$2" init -q
    # qemu-build.sh keeps the pristine build files next to the edited ones
    printf '*.hdm-orig\n' >>"$2/.git/info/exclude"
    g "$2" add -f -A .
    g "$2" commit -q -m "QEMU $VERSION (pristine, $(basename "$1"))"
}

start=$(date +%s)
log "QEMU $VERSION from $SRC -> $GREPO"
make_repo "$SRC" "$GREPO"
BASE=$(g "$GREPO" rev-parse HEAD)
log "grafting with qemu-build.sh --graft-only"
bash "$REPO/testbench/scripts/qemu-build.sh" --graft-only "$GREPO" 2>"$WORK/graft.log" ||
    { cat "$WORK/graft.log" >&2; die "graft failed"; }

SOB="Signed-off-by: $AUTHOR"

commit() { # $1: message file, rest: paths
    local msg=$1
    shift
    g "$GREPO" add -A -- "$@"
    if g "$GREPO" diff --cached --quiet; then
        die "nothing to commit for $*"
    fi
    g "$GREPO" commit -q -F "$msg"
}

cat >"$WORK/msg1" <<EOF
subprojects/hdm: add the hdm PL011 and HPET device model cores

hdm's device cores are plain C11 libraries without QEMU dependencies:
an Arm PL011 UART (r1p4/r1p5, FIFOs, optional serial timing from
UARTCLK, IBRD/FBRD) and an IA-PC HPET (up to 32 timers, legacy
replacement routing, FSB messages, snapshot/restore). They keep their
state in plain structs, report interrupts and frames through callbacks
with exact device-clock ticks, and ask the host for one deadline.

Import them as the meson subproject subprojects/hdm (a static library
hdm_core_dep; the register headers are generated at build time from the
SVD models by svdgen.py), and install their public headers into
include/hdm/ so that boards embedding a device state can see them.
Nothing uses the subproject yet.

The cores are MIT licensed (SPDX identifiers in every file) and follow
hdm's coding style, not QEMU's.

Generated by hdm testbench/scripts/qemu-patches.sh from hdm $HDM_REV.

$SOB
EOF
cat >"$WORK/msg2" <<EOF
hw/char/pl011: provide the pl011 device with hdm's PL011 core

Build hw/char/hdm_pl011.c instead of hw/char/pl011.c for CONFIG_PL011,
the way CONFIG_X_PL011_RUST swaps in the Rust device: config PL011
selects HDM_PL011 instead of PL011_C. The new file registers the same
QOM types (pl011, pl011_luminary) with the same MMIO region, sysbus
IRQs, clock input and properties, so boards need no change; the device
behaviour (registers, FIFOs, interrupts, optional serial timing) comes
from the hdm core. include/hw/char/pl011.h keeps PL011State (embedded
by several boards), now holding the core.

New properties: revision, timing, always-enabled, rx-trigger-1,
instant-tx, tx-8bit, periph-id; read-only x-hdm-* hooks for hdm's test
bench. The VMState section is hdm_pl011, carrying the core's checked
snapshot: a stream from or to a stock QEMU fails with an unknown
section rather than being misread.

Generated by hdm testbench/scripts/qemu-patches.sh from hdm $HDM_REV.

$SOB
EOF
cat >"$WORK/msg3" <<EOF
hw/timer/hpet: provide the hpet device with hdm's HPET core

Build hw/timer/hdm_hpet.c instead of hw/timer/hpet.c for CONFIG_HPET,
the way CONFIG_X_HPET_RUST swaps in the Rust device: config HPET
selects HDM_HPET instead of HPET_C. The new file registers the hpet
QOM type with upstream's interface (MMIO, 32 sysbus IRQs, the 8254 and
RTC inputs, the 8254 enable output, hpet_fw_cfg for fw_cfg and ACPI)
and upstream's capability defaults (GCAP_ID 0x8086a201, 10 ns period),
so pc and q35 need no change; the device behaviour comes from the hdm
core.

New properties select the core's capability, policy and quirk switches;
read-only x-hdm-* hooks serve hdm's test bench. The VMState section is
hdm_hpet, carrying the core's checked snapshot.

Generated by hdm testbench/scripts/qemu-patches.sh from hdm $HDM_REV.

$SOB
EOF
commit "$WORK/msg1" subprojects/hdm include/hdm
commit "$WORK/msg2" hw/char include/hw/char
commit "$WORK/msg3" hw/timer
left=$(g "$GREPO" status --porcelain)
[ -z "$left" ] || die "the graft changed files outside the three commits:
$left"

g "$GREPO" config branch.master.description "hw: hdm's PL011 and HPET as QEMU's pl011 and hpet

This series makes QEMU $VERSION's pl011 (and pl011_luminary) and hpet
devices use hdm's device model cores (MIT licensed, plain C11),
without board changes: the cores come in as a meson subproject, and
hw/char and hw/timer build hdm's glue instead of pl011.c and hpet.c,
the way the X_PL011_RUST and X_HPET_RUST options swap in the Rust
devices.

Generated by hdm testbench/scripts/qemu-patches.sh from hdm $HDM_REV
against QEMU $VERSION ($(basename "$SRC"))."
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
g "$GREPO" format-patch -q --cover-letter --cover-from-description=auto \
    --no-signature -o "$OUT" "$BASE..HEAD" >/dev/null
# the series without its cover letter, in order
PATCHES=()
for p in "$OUT"/[0-9]*.patch; do
    echo "qemu-patches: $p" >&2
    case "${p##*/}" in 0000-*) ;; *) PATCHES+=("$p") ;; esac
done
[ ${#PATCHES[@]} -eq 3 ] || die "format-patch wrote ${#PATCHES[@]} patches, not 3"
log "series written to $OUT in $(( $(date +%s) - start )) s"

rc=0
if [ "$CHECKPATCH" -eq 1 ]; then
    : >"$OUT/checkpatch.txt"
    for p in "${PATCHES[@]}"; do
        strict=1
        grep -q '^+++ b/subprojects/hdm/' "$p" && strict=0
        set +e
        (cd "$GREPO" && ./scripts/checkpatch.pl "$p") >"$WORK/cp.txt" 2>&1
        prc=$?
        set -e
        summary=$(grep -E '^total: ' "$WORK/cp.txt" | tail -n1)
        { echo "== $(basename "$p") (exit $prc): $summary"
          cat "$WORK/cp.txt"; echo; } >>"$OUT/checkpatch.txt"
        if [ "$strict" -eq 1 ]; then
            if [ "$prc" -ne 0 ]; then
                log "FAIL checkpatch $(basename "$p"): $summary"
                cat "$WORK/cp.txt" >&2
                rc=1
            else
                log "PASS checkpatch $(basename "$p"): $summary"
            fi
        else
            log "checkpatch $(basename "$p") (core import, reported only," \
                "exit $prc): $summary"
        fi
    done
    log "checkpatch output: $OUT/checkpatch.txt"
fi

if [ -n "$VERIFY" ]; then
    AM="$WORK/am"
    log "verifying: git am onto a fresh copy of $SRC"
    make_repo "$SRC" "$AM"
    # every patch but the cover letter, in order
    g "$AM" am -q "${PATCHES[@]}" \
        >"$WORK/am.log" 2>&1 || { cat "$WORK/am.log" >&2; die "git am failed"; }
    n=$(g "$AM" rev-list --count "$(g "$AM" rev-list --max-parents=0 HEAD)..HEAD")
    [ "$n" -eq 3 ] || { cat "$WORK/am.log" >&2; die "git am applied $n of 3 patches"; }
    bad=0
    # 1. the round trip through format-patch and am is lossless
    if [ "$(g "$AM" rev-parse 'HEAD^{tree}')" != \
         "$(g "$GREPO" rev-parse 'HEAD^{tree}')" ]; then
        log "the applied tree differs from the grafted repository's"
        bad=1
    fi
    # 2. every file the series touches equals the grafted tree's
    ntouched=0
    while read -r f; do
        ntouched=$((ntouched + 1))
        if ! cmp -s "$AM/$f" "$VERIFY/$f"; then
            log "differs from $VERIFY: $f"
            bad=1
        fi
    done < <(g "$AM" diff --name-only "HEAD~3" HEAD)
    # 3. the grafted tree has no hdm file the series lacks
    for d in subprojects/hdm include/hdm; do
        (cd "$VERIFY" && find "$d" -type f | LC_ALL=C sort) >"$WORK/have"
        g "$AM" ls-files "$d" | LC_ALL=C sort >"$WORK/want"
        if ! cmp -s "$WORK/have" "$WORK/want"; then
            log "files under $d differ:"
            diff "$WORK/want" "$WORK/have" >&2 || true
            bad=1
        fi
    done
    for f in "$VERIFY"/hw/char/hdm_* "$VERIFY"/hw/timer/hdm_*; do
        [ -e "$AM/${f#"$VERIFY"/}" ] || { log "not in the series: $f"; bad=1; }
    done
    log "$ntouched touched files compared with $VERIFY"
    if [ "$bad" -ne 0 ]; then
        log "FAIL: the applied series differs from $VERIFY (if hdm's sources" \
            "changed since it was grafted, run qemu-build.sh)"
        rc=1
    else
        log "PASS: git am of the series reproduces $VERIFY"
    fi
fi
exit $rc
