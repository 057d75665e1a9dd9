#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: a full conformance run of every shipped vector on every
# target built so far, printing a vector x target table and writing
# build/default/report/conformance.md plus one VCD per vector and target
# under build/default/vcd/.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

bash testbench/scripts/setup-debian.sh
cmake --preset default >/dev/null
cmake --build --preset default
exec build/default/testbench/hdm-bench run --target all \
    --vcd build/default/vcd \
    --report build/default/report/conformance.md "$@"
