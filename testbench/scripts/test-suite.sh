#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: every CTest label in the default build, the whole
# suite again under ASan+UBSan, the libFuzzer harnesses (bounded runs) and
# the formatting check. Exits non-zero on the first failing stage.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

bash testbench/scripts/setup-debian.sh

stage() { printf '\n=== %s ===\n' "$*"; }

stage "format check (clang-format)"
bash testbench/scripts/check-format.sh

stage "default build: all labels"
cmake --preset default >/dev/null
cmake --build --preset default
ctest --preset default

stage "asan preset (ASan + UBSan): all labels"
cmake --preset asan >/dev/null
cmake --build --preset asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset asan

stage "fuzz preset (clang libFuzzer): label fuzz"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz -L fuzz

stage "done"
