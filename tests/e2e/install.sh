#!/usr/bin/env bash
# 'cmake --install' puts the binary and its data files in place, and the
# installed binary finds its data without help; FZSTAT_DATA overrides.
set -u
build=${FZ_BUILD:?}
shared=${FZ_SHARED:?}
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null 2>"$tmp/err"
ok "install succeeds" "[ -x '$tmp/prefix/bin/fzstat' ]"
for f in lexicon.csv gazetteer.csv; do
  ok "installs $f" "[ -s '$tmp/prefix/share/fzstat/$f' ]"
done
# copy the seeds away from the source tree so nothing is found by accident
cp "$shared/seeds/000_18829aa4f02e89c0.txt" "$tmp/r.txt"
(cd "$tmp" && env -u FZSTAT_DATA ./prefix/bin/fzstat extract -q -o obs.csv r.txt) 2>"$tmp/err"
ok "installed binary runs with its own data" "grep -q '行政处罚案件8宗' '$tmp/obs.csv'"
mkdir "$tmp/empty"
FZSTAT_DATA="$tmp/empty" "$tmp/prefix/bin/fzstat" extract -q -o "$tmp/o2.csv" "$tmp/r.txt" 2>"$tmp/err"
rc=$?
ok "FZSTAT_DATA without data is fatal (3)" "[ $rc -eq 3 ]"
ok "message says which data file" "grep -q 'lexicon.csv' '$tmp/err'"
ok "message mentions FZSTAT_DATA" "grep -q 'FZSTAT_DATA' '$tmp/err'"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
