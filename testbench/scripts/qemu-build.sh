#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build QEMU 10.0.x with hdm's PL011 and HPET as QEMU's own `pl011` and
# `hpet` types (qemu_glue/), for qemu-system-aarch64 and qemu-system-x86_64.
#
# Usage: qemu-build.sh [--qemu-src DIR] [--cache DIR] [--jobs N]
#                      [--prepare-only] [--force] [--graft-only DIR]
#   --qemu-src DIR   graft into a copy of your own QEMU 10.0.x tree instead
#                    of Debian trixie's source package
#   --cache DIR      cache root (default ${HDM_CACHE:-/var/cache/hdm}/qemu)
#   --jobs N         ninja parallelism (default 2)
#   --prepare-only   install packages and fetch/extract the source, no build
#   --force          re-graft and run ninja even if the cache key matches
#   --graft-only DIR graft hdm into the QEMU tree DIR in place and stop (no
#                    apt, no copy, no build; qemu-patches.sh uses this)
#
# Runs as root on Debian 12 (apt sources and packages); with everything
# installed and a matching cache key it needs no root and takes seconds.
# The build is keyed by a hash of (QEMU version, qemu_glue/, c_core sources,
# register models, this script): a warm run only prints the binaries. On a
# key change the grafted tree is updated in place (unchanged files keep their
# mtime), so ninja rebuilds only what changed. The binaries are printed and
# written one per line to <cache>/<tree>/build/hdm-binaries.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"

CACHE="${HDM_CACHE:-/var/cache/hdm}/qemu"
QEMU_SRC=""
JOBS=2
PREPARE_ONLY=0
FORCE=0
GRAFT_ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
    --qemu-src) QEMU_SRC=$(cd "$2" && pwd); shift 2 ;;
    --cache) CACHE="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --prepare-only) PREPARE_ONLY=1; shift ;;
    --force) FORCE=1; shift ;;
    --graft-only) GRAFT_ONLY=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '2,24p' "$SELF" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "qemu-build: unknown argument $1" >&2; exit 2 ;;
    esac
done

log() { echo "qemu-build: $*" >&2; }
die() { log "error: $*"; exit 1; }

PY=/usr/bin/python3
TARGETS="aarch64-softmmu,x86_64-softmmu"
BINARIES=(qemu-system-aarch64 qemu-system-x86_64)

# Packages: build deps, meson >= 1.5 from backports, firmware for pc/q35.
PKGS=(dpkg-dev ninja-build pkg-config libglib2.0-dev libfdt-dev
      libpixman-1-dev zlib1g-dev python3-venv flex bison gcc make
      seabios ipxe-qemu)
BPO_PKGS=(meson)

# Files whose contents define the build (the cache key).
key_files() {
    (
        cd "$REPO"
        find qemu_glue c_core/include c_core/src -type f | LC_ALL=C sort
        echo models/pl011.svd
        echo models/hpet.svd
        echo models/svdgen.py
    )
}

compute_key() { # $1: QEMU version string
    {
        echo "qemu $1"
        echo "targets $TARGETS"
        (cd "$REPO" && key_files | xargs sha256sum)
        sha256sum <"$SELF"
    } | sha256sum | cut -c1-16
}

# --- apt sources and packages --------------------------------------------
pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

apt_mirror() {
    # The mirror the system already uses for bookworm.
    local m
    m=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources |
        grep -v security | head -n1 | awk '{print $2}')
    if [ -z "$m" ]; then
        m=$(grep -hs '^deb ' /etc/apt/sources.list | grep -v security |
            head -n1 | awk '{print $2}')
    fi
    echo "${m:-http://deb.debian.org/debian}"
}

setup_apt() {
    local changed=0 mirror f
    mirror=$(apt_mirror)
    f=/etc/apt/sources.list.d/hdm-trixie-src.sources
    if ! grep -rqs 'trixie' /etc/apt/sources.list.d/*.sources ||
       ! grep -rqs 'deb-src' /etc/apt/sources.list.d/*.sources; then
        [ "$(id -u)" -eq 0 ] || die "run as root to add $f"
        cat >"$f" <<EOF
Types: deb-src
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        log "added $f"
        changed=1
    fi
    f=/etc/apt/sources.list.d/hdm-bookworm-backports.sources
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list.d/ \
            /etc/apt/sources.list; then
        [ "$(id -u)" -eq 0 ] || die "run as root to add $f"
        cat >"$f" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        log "added $f"
        changed=1
    fi

    local missing=() p
    for p in "${PKGS[@]}"; do
        pkg_installed "$p" || missing+=("$p")
    done
    local meson_ok=0
    if pkg_installed meson && dpkg --compare-versions \
            "$(dpkg-query -W -f='${Version}' meson)" ge 1.5; then
        meson_ok=1
    fi
    if [ "$changed" -eq 1 ] || [ ${#missing[@]} -gt 0 ] ||
       [ "$meson_ok" -eq 0 ] || [ ! -d "$CACHE/dl" ]; then
        [ "$(id -u)" -eq 0 ] || die "run as root to install packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    if [ "$meson_ok" -eq 0 ]; then
        log "installing meson from bookworm-backports"
        apt-get install -y -q --no-install-recommends -t bookworm-backports \
            "${BPO_PKGS[@]}"
    fi
}

# --- QEMU source ---------------------------------------------------------
# Prints the extracted pristine tree of Debian's trixie QEMU.
fetch_debian_source() {
    mkdir -p "$CACHE/dl"
    # apt downloads as _apt when it can write there (else it warns)
    chown _apt "$CACHE/dl" 2>/dev/null || true
    local dsc
    dsc=$(ls "$CACHE"/dl/qemu_10.0.*.dsc 2>/dev/null | sort -V | tail -n1 || true)
    if [ -z "$dsc" ]; then
        log "downloading Debian's qemu/trixie source package"
        (cd "$CACHE/dl" && apt-get source -q --download-only qemu/trixie) >&2
        dsc=$(ls "$CACHE"/dl/qemu_10.0.*.dsc 2>/dev/null | sort -V | tail -n1 || true)
        [ -n "$dsc" ] || die "no qemu_10.0.*.dsc after apt-get source"
    fi
    local ver dir
    ver=$(basename "$dsc" .dsc)
    ver=${ver#qemu_}
    dir="$CACHE/pristine-$ver"
    if [ ! -f "$dir/.hdm-extracted" ]; then
        log "extracting $dsc"
        rm -rf "$dir"
        dpkg-source -q -x "$dsc" "$dir" >&2
        touch "$dir/.hdm-extracted"
    fi
    echo "$dir"
}

qemu_version_of() { # $1: tree
    [ -f "$1/VERSION" ] || die "$1 is not a QEMU tree (no VERSION)"
    cat "$1/VERSION"
}

# --- graft ---------------------------------------------------------------
EDITED="hw/char/Kconfig hw/char/meson.build hw/char/trace-events
        hw/timer/Kconfig hw/timer/meson.build hw/timer/trace-events"

# Copy $1 to $2 unless $2 already has the same contents (keeps mtimes).
put() {
    if ! cmp -s "$1" "$2"; then
        mkdir -p "$(dirname "$2")"
        cp "$1" "$2"
        log "  updated ${2#"$TREE"/}"
    fi
}

graft() {
    local f
    log "grafting hdm into $TREE"
    # Glue files mirror QEMU's layout under qemu_glue/ (hw/, include/,
    # subprojects/hdm/meson.build).
    (cd "$REPO/qemu_glue" && find hw include subprojects -type f 2>/dev/null) |
        while read -r f; do
            put "$REPO/qemu_glue/$f" "$TREE/$f"
        done
    # The cores and their register models as the meson subproject
    # subprojects/hdm (its meson.build comes from qemu_glue/).
    (cd "$REPO" && find c_core/include c_core/src -type f) |
        while read -r f; do
            put "$REPO/$f" "$TREE/subprojects/hdm/$f"
        done
    for f in models/pl011.svd models/hpet.svd models/svdgen.py; do
        put "$REPO/$f" "$TREE/subprojects/hdm/$f"
    done
    # The public headers also go to QEMU's include/hdm/: boards that embed
    # PL011State (musca, bcm2835, xlnx-versal) see hdm_pl011_t.
    (cd "$REPO/c_core/include" && find hdm -type f) |
        while read -r f; do
            put "$REPO/c_core/include/$f" "$TREE/include/$f"
        done
    # Kconfig and meson edits in hw/char and hw/timer, always applied to
    # the pristine files so that re-grafting is idempotent.
    local tmp
    tmp=$(mktemp -d)
    for f in $EDITED; do
        [ -f "$TREE/$f.hdm-orig" ] || cp "$TREE/$f" "$TREE/$f.hdm-orig"
        mkdir -p "$tmp/$(dirname "$f")"
        cp "$TREE/$f.hdm-orig" "$tmp/$f"
    done
    "$PY" "$REPO/qemu_glue/graft.py" "$tmp" ||
        die "qemu_glue/graft.py could not edit this QEMU tree"
    for f in $EDITED; do
        put "$tmp/$f" "$TREE/$f"
    done
    rm -rf "$tmp"
}

# Copy a source tree (pristine or the user's) into the work tree once.
make_tree() { # $1: source tree
    if [ ! -f "$TREE/.hdm-copied" ]; then
        log "copying $1 to $TREE"
        rm -rf "$TREE"
        mkdir -p "$TREE"
        (cd "$1" && tar --exclude=./build --exclude=./.git -cf - .) |
            (cd "$TREE" && tar -xf -)
        echo "$1" >"$TREE/.hdm-copied"   # the source tree, for qemu-patches.sh
    fi
}

# QEMU's x86 option ROMs (linuxboot_dma.bin for -kernel, kvmvapic.bin, ...)
# are not in Debian's source tarball as binaries, and configure finds no
# 32-bit-capable compiler without gcc-multilib (which would remove the
# cross compilers). They are freestanding: build them with the host gcc.
build_optionroms() {
    local d="$BUILD/hdm-optionrom"
    mkdir -p "$d"
    cp "$TREE/pc-bios/optionrom/Makefile" "$d/Makefile"
    printf 'TOPSRC_DIR=%s\nCC=gcc\nCCAS=gcc\nOBJCOPY=objcopy\nPYTHON=%s\nEXTRA_CFLAGS=\n' \
        "$TREE" "$PY" >"$d/config.mak"
    make -s -C "$d" >/dev/null 2>&1 || make -C "$d" >&2 ||
        die "building the x86 option ROMs failed"
}

link_firmware() {
    local d="$BUILD/qemu-bundle/usr/local/share/qemu" f
    mkdir -p "$d"
    for f in /usr/share/seabios/* /usr/lib/ipxe/qemu/*.rom \
             "$BUILD"/hdm-optionrom/*.bin; do
        [ -e "$f" ] || continue
        [ -e "$d/$(basename "$f")" ] || ln -s "$f" "$d/$(basename "$f")"
    done
}

print_binaries() {
    local b
    : >"$BUILD/hdm-binaries.tmp"
    for b in "${BINARIES[@]}"; do
        [ -x "$BUILD/$b" ] || die "$BUILD/$b missing"
        echo "$BUILD/$b" >>"$BUILD/hdm-binaries.tmp"
    done
    mv "$BUILD/hdm-binaries.tmp" "$BUILD/hdm-binaries"
    cat "$BUILD/hdm-binaries"
}

# --- main ----------------------------------------------------------------
if [ -n "$GRAFT_ONLY" ]; then
    TREE="$GRAFT_ONLY"
    qemu_version_of "$TREE" >/dev/null
    graft
    exit 0
fi
mkdir -p "$CACHE"
if [ -n "$QEMU_SRC" ]; then
    SRC_VERSION=$(qemu_version_of "$QEMU_SRC")
    TREE="$CACHE/tree-user-$(echo "$QEMU_SRC" | sha256sum | cut -c1-12)"
else
    # Warm path: find the tree of the last Debian build without apt.
    TREE=""
    dsc=$(ls "$CACHE"/dl/qemu_10.0.*.dsc 2>/dev/null | sort -V | tail -n1 || true)
    if [ -n "$dsc" ]; then
        v=$(basename "$dsc" .dsc)
        TREE="$CACHE/tree-${v#qemu_}"
    fi
fi
BUILD="$TREE/build"

if [ -n "$TREE" ] && [ -f "$TREE/.hdm-copied" ] && [ "$FORCE" -eq 0 ] &&
   [ "$PREPARE_ONLY" -eq 0 ] && [ -f "$BUILD/hdm-key" ]; then
    KEY=$(compute_key "$(qemu_version_of "$TREE")")
    if [ "$(cat "$BUILD/hdm-key")" = "$KEY" ] &&
       [ -x "$BUILD/${BINARIES[0]}" ] && [ -x "$BUILD/${BINARIES[1]}" ]; then
        log "cache hit (key $KEY)"
        link_firmware
        print_binaries
        exit 0
    fi
fi

setup_apt
if [ -n "$QEMU_SRC" ]; then
    case "$SRC_VERSION" in
    10.0.*) ;;
    *) log "warning: $QEMU_SRC is QEMU $SRC_VERSION, the glue targets 10.0.x" ;;
    esac
    SRC="$QEMU_SRC"
else
    SRC=$(fetch_debian_source)
    TREE="$CACHE/tree-${SRC##*/pristine-}"
    BUILD="$TREE/build"
fi
log "QEMU source: $SRC ($(qemu_version_of "$SRC"))"
[ "$PREPARE_ONLY" -eq 1 ] && exit 0

make_tree "$SRC"
KEY=$(compute_key "$(qemu_version_of "$TREE")")
graft
rm -f "$BUILD/hdm-key"

if [ ! -f "$BUILD/build.ninja" ]; then
    log "configuring"
    mkdir -p "$BUILD"
    (cd "$BUILD" && ../configure --python="$PY" --target-list="$TARGETS" \
        --without-default-features --enable-fdt=system --disable-docs \
        --disable-werror --disable-install-blobs --disable-download) >&2
fi
log "building ${BINARIES[*]} with -j$JOBS"
start=$(date +%s)
ninja -C "$BUILD" -j"$JOBS" "${BINARIES[@]}" >&2
build_optionroms
log "built in $(( $(date +%s) - start )) s (key $KEY)"
link_firmware
echo "$KEY" >"$BUILD/hdm-key"
print_binaries
