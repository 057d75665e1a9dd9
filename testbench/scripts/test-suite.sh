#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: every CTest label in the default build (with the
# QEMU target: labels qemu, cosim and boot), the whole suite again under
# ASan+UBSan (without QEMU), the libFuzzer harnesses (bounded runs) and the
# formatting check. Exits non-zero on the first failing stage.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

bash testbench/scripts/setup-debian.sh

stage() { printf '\n=== %s ===\n' "$*"; }

stage "format check (clang-format)"
bash testbench/scripts/check-format.sh

stage "QEMU with hdm's glue and the boot-test guests"
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
qemu_dir=$(dirname "$qemu_bin")
bash testbench/scripts/qemu-guests.sh

stage "default build: all labels"
cmake --preset default -DHDM_QEMU_DIR="$qemu_dir" >/dev/null
cmake --build --preset default
ctest --preset default

stage "asan preset (ASan + UBSan): all labels"
# No QEMU target here (HDM_QEMU_DIR empty): the qemu, cosim/core-qemu and
# boot tests would sanitize only the bench's qtest client while doubling
# the suite's time; the default build runs them.
cmake --preset asan -DHDM_QEMU_DIR= >/dev/null
cmake --build --preset asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset asan

stage "fuzz preset (clang libFuzzer): label fuzz"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz -L fuzz

stage "done"
