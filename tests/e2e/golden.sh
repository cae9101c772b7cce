#!/usr/bin/env bash
# Byte-for-byte comparison with the reviewed golden tables (see tests/golden/run.sh).
set -u
src=${FZ_SOURCE:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$src/tests/golden/run.sh" "${FZSTAT:?}" "${FZ_SHARED:?}" "$tmp" || { echo "FAIL: golden run"; exit 1; }
pass=0 fail=0
for f in "$src"/tests/golden/expected/*.csv; do
  n=$(basename "$f")
  if cmp -s "$f" "$tmp/$n"; then pass=$((pass+1)); else
    fail=$((fail+1)); echo "FAIL: $n differs from the golden file:"; diff "$f" "$tmp/$n" | head -10; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
