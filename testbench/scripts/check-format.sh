#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails if any tracked C/C++ source differs from clang-format's output.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
files=$(git ls-files '*.c' '*.h' '*.cpp' '*.hpp' 2>/dev/null |
        grep -v '^qemu_glue/' || true)
[ -n "$files" ] || { echo "check-format: no sources"; exit 0; }
bad=0
for f in $files; do
    if ! clang-format --dry-run --Werror "$f" 2>/dev/null; then
        echo "check-format: $f is not clang-formatted" >&2
        bad=1
    fi
done
[ $bad -eq 0 ] && echo "check-format: $(echo "$files" | wc -w) files clean"
exit $bad
