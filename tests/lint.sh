#!/usr/bin/env bash
# lint.sh: cppcheck on fzstat's own C code (src/ stats/ plots/ datasets/gen;
# not tests/, not system headers). Exits 1 on any finding, 2 if cppcheck is
# missing, 0 when clean. Checks: cppcheck's default errors plus warning,
# performance and portability (style is left to code review and -Wall).
# A false positive is suppressed inline, on the line before, with a comment
# saying why:
#     /* expand() calls this only with a figure: q is never NULL */
#     // cppcheck-suppress ctunullpointer
# Usage: tests/lint.sh [FILE-OR-DIR...]   (default: the directories above)
# Env: CPPCHECK (default cppcheck), CPPCHECK_JOBS (default 2).
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
cppcheck=${CPPCHECK:-cppcheck}
if ! command -v "$cppcheck" >/dev/null; then
    echo "lint: cppcheck not found" >&2
    exit 2
fi
cd "$src" || exit 2
if [ $# -gt 0 ]; then
    paths=("$@")
else
    paths=()
    for d in src stats plots datasets/gen; do [ -d "$d" ] && paths+=("$d"); done
fi
incs=()
for d in src/* stats plots; do [ -d "$d" ] && incs+=(-I "$d"); done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# -D_GNU_SOURCE as CMake compiles; one configuration (no #ifdef explosion).
"$cppcheck" --quiet --enable=warning,performance,portability --inline-suppr --std=c11 \
    -D_GNU_SOURCE -j "${CPPCHECK_JOBS:-2}" "${incs[@]}" \
    --suppress=missingIncludeSystem --suppress=missingInclude --suppress=unmatchedSuppression \
    --template='{file}:{line}: {severity}: {message} [{id}]' \
    "${paths[@]}" 2>"$out"
rc=$?
n=$(grep -c ': \(error\|warning\|style\|performance\|portability\): ' "$out")
cat "$out"
if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then
    echo "lint: cppcheck failed (exit $rc)" >&2
    exit 2
fi
if [ "$n" -gt 0 ]; then
    echo "lint: $n finding(s)" >&2
    exit 1
fi
echo "lint: clean (${paths[*]})"
exit 0
