#!/usr/bin/env bash
# Every C++ file of the tree laid out as .clang-format says (issue 15): a file
# that drifts fails here rather than in a later clean-up.
# Usage: tests/clang_format_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"
command -v clang-format >/dev/null || { echo "FAIL: clang-format missing: apt-get install clang-format (make deps does)"; exit 1; }
# The files git tracks; outside a git checkout, every one but build trees'.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    list() { git ls-files -z -- '*.cpp' '*.h'; }
else
    list() { find . -path './build*' -prune -o \( -name '*.cpp' -o -name '*.h' \) -print0; }
fi
count="$(list | tr -cd '\0' | wc -c)"
((count > 0)) || { echo "FAIL: no C++ files found under $PWD"; exit 1; }
if ! list | xargs -0 -n 50 clang-format --dry-run --Werror; then
    echo "FAIL: the files named above are not laid out as .clang-format says: run clang-format -i on them"
    exit 1
fi
echo "$count C++ files laid out as .clang-format says ($(clang-format --version))"
