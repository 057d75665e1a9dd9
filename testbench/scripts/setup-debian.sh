#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install every Debian package hdm needs (Debian 12 "bookworm"), as root.
# Idempotent: packages already installed are left alone, and the package
# lists are refreshed only when something is missing.
set -euo pipefail

# Build and test toolchain for the C cores, bench and generators.
PKGS=(git cmake ninja-build gcc g++ make python3 clang libclang-rt-14-dev
      clang-format pkg-config
      # SystemC 2.3.4 (C++17, pkg-config only) for systemc_wrap/ and its bench
      libsystemc-dev
      # waveform pictures: GTKWave driven headless under Xvfb, ImageMagick
      gtkwave xvfb xauth imagemagick fonts-dejavu-core)

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-debian: all ${#PKGS[@]} packages present"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "setup-debian: missing packages: ${missing[*]}" >&2
    echo "setup-debian: run as root (or with sudo) to install them" >&2
    exit 1
fi

echo "setup-debian: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
