#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the boot-test guests for the QEMU target from Debian's archive only:
# Debian 12 kernels (arm64, amd64) and a static-busybox initramfs per arch.
#
# Usage: qemu-guests.sh [--cache DIR]
#   --cache DIR  cache root (default ${HDM_CACHE:-/var/cache/hdm}/guests)
#
# Result (printed, and idempotent: a second run only prints):
#   <cache>/arm64/vmlinuz  <cache>/arm64/initrd.gz
#   <cache>/amd64/vmlinuz  <cache>/amd64/initrd.gz
# The initramfs /init mounts proc, sys and devtmpfs, prints
# "hdm-guest: up" and runs a shell on the console with the prompt "hdm# ".
# Also installs gcc-aarch64-linux-gnu (for qemu-baremetal.sh) if missing.
# Needs root the first time (dpkg --add-architecture arm64, apt-get update).
set -euo pipefail

CACHE="${HDM_CACHE:-/var/cache/hdm}/guests"
while [ $# -gt 0 ]; do
    case "$1" in
    --cache) CACHE="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "qemu-guests: unknown argument $1" >&2; exit 2 ;;
    esac
done

log() { echo "qemu-guests: $*" >&2; }
die() { log "error: $*"; exit 1; }

done_for() { [ -s "$CACHE/$1/vmlinuz" ] && [ -s "$CACHE/$1/initrd.gz" ]; }

# The bare-metal guests (testbench/guests/baremetal/, built by
# qemu-baremetal.sh) need Debian's aarch64 cross compiler.
need_cc() { ! command -v aarch64-linux-gnu-gcc >/dev/null; }
if need_cc; then
    [ "$(id -u)" -eq 0 ] || die "run as root to install gcc-aarch64-linux-gnu"
    log "installing gcc-aarch64-linux-gnu"
    apt-get install -y -q gcc-aarch64-linux-gnu >&2 ||
        { apt-get update -q >&2 && apt-get install -y -q gcc-aarch64-linux-gnu >&2; }
fi

if done_for arm64 && done_for amd64; then
    for a in arm64 amd64; do
        echo "$CACHE/$a/vmlinuz"
        echo "$CACHE/$a/initrd.gz"
    done
    exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run as root the first time"
for p in cpio gzip; do
    command -v "$p" >/dev/null || apt-get install -y -q "$p"
done
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "adding dpkg architecture arm64"
    dpkg --add-architecture arm64
    apt-get update -q
elif ! apt-cache show busybox-static:arm64 >/dev/null 2>&1; then
    apt-get update -q
fi

# The ABI the linux-image-<arch> metapackage points to, e.g. 6.1.0-41.
abi_of() { # $1: arch
    apt-cache depends "linux-image-$1:$1" 2>/dev/null |
        sed -n "s/.*Depends: linux-image-\(6\.[0-9.]*-[0-9]*\)-$1.*/\1/p" |
        head -n1
}

mkdir -p "$CACHE/deb"
chown _apt "$CACHE/deb" 2>/dev/null || true   # apt downloads as _apt
fetch() { # $1: package[:arch]; prints the .deb
    local name=${1%%:*} deb
    deb=$(ls "$CACHE"/deb/"${name}"_*"${2:-}"*.deb 2>/dev/null | head -n1 || true)
    if [ -z "$deb" ]; then
        (cd "$CACHE/deb" && apt-get download -q "$1") >&2
        deb=$(ls "$CACHE"/deb/"${name}"_*"${2:-}"*.deb | head -n1)
    fi
    echo "$deb"
}

build_arch() { # $1: arm64 | amd64
    local arch=$1 abi kdeb bdeb tmp root
    done_for "$arch" && return 0
    abi=$(abi_of "$arch")
    [ -n "$abi" ] || die "cannot find the kernel ABI for $arch"
    log "$arch: kernel linux-image-$abi-$arch"
    kdeb=$(fetch "linux-image-$abi-$arch:$arch" "_$arch")
    bdeb=$(fetch "busybox-static:$arch" "_$arch")
    tmp=$(mktemp -d)
    mkdir -p "$CACHE/$arch"
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp" ./boot
    cp "$tmp"/boot/vmlinuz-* "$CACHE/$arch/vmlinuz"

    root="$tmp/root"
    mkdir -p "$root"/{bin,dev,proc,sys,tmp}
    dpkg-deb -x "$bdeb" "$tmp/bb"
    cp "$tmp/bb/bin/busybox" "$root/bin/busybox"
    mknod -m 600 "$root/dev/console" c 5 1
    cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "hdm-guest: up"
export PS1='hdm# '
exec setsid cttyhack sh
EOF
    chmod 755 "$root/init"
    (cd "$root" && find . | cpio -o -H newc --quiet) | gzip -9 \
        >"$CACHE/$arch/initrd.gz.tmp"
    mv "$CACHE/$arch/initrd.gz.tmp" "$CACHE/$arch/initrd.gz"
    rm -rf "$tmp"
}

build_arch arm64
build_arch amd64
for a in arm64 amd64; do
    echo "$CACHE/$a/vmlinuz"
    echo "$CACHE/$a/initrd.gz"
done
