#!/usr/bin/env bash
# output_faults.sh: faults while fzstat writes its outputs (hardening work
# owns this script). Every output goes through fz_outfile (temp file + fsync
# + rename), so:
#   - kill -9 at several points of 'fzstat report' leaves every previous
#     output byte-identical (the rerun is on the same inputs and the outputs
#     are reproducible, so a file renamed into place before the kill has the
#     same checksum too, and a torn file under a final name would not);
#   - a full disk (FZSTAT_TEST_FAIL_AFTER=<bytes>, the seam in outfile.c,
#     and /dev/full as -o) is one "cannot write '<file>': No space left on
#     device" line, exit status 3, the old file intact and no temp file left;
#   - an output path under a plain file (root ignores permissions, so a
#     file where a directory must be is the portable "unwritable") is exit 3
#     with one line naming the path;
#   - -o naming a directory is exit 3, "Is a directory", no temp file left;
#   - -o /dev/null and -o /dev/stdout write in place (the device node is not
#     replaced by a regular file).
# Env: FZSTAT, FZ_SHARED, FZ_SOURCE (datasets/sample, when present, is the
# larger corpus for the kill test; else the seeds repeated).
set -u
FZSTAT=${FZSTAT:?FZSTAT not set}
FZ_SHARED=${FZ_SHARED:-$(dirname "$0")/../../../shared}
FZ_SOURCE=${FZ_SOURCE:-$(dirname "$0")/../..}
T=$(mktemp -d "${TMPDIR:-/tmp}/fz_outfault.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
sums() { (cd "$1" && find . -maxdepth 1 -type f ! -name '.*' -print0 | sort -z | xargs -0 md5sum); }
temps() { find "$1" -maxdepth 1 -name '.*.??????' -type f | wc -l; }

# ---- corpus: the whole sample (300 documents), else the seeds under 12 names ----
C=$T/corpus
mkdir -p "$C"
if [ -d "$FZ_SOURCE/datasets/sample" ] && [ "$(ls "$FZ_SOURCE/datasets/sample" | wc -l)" -ge 60 ]; then
    cp "$FZ_SOURCE"/datasets/sample/* "$C/"
else
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
        for s in "$FZ_SHARED"/seeds/*.txt; do cp "$s" "$C/${i}_$(basename "$s")"; done
    done
fi

# ---- kill -9 during 'fzstat report' -----------------------------------------------
O=$T/report
start=$(date +%s%N)
"$FZSTAT" report -q -j2 "$C" -o "$O" 2>"$T/report.err"
rc=$?
dur_ms=$((($(date +%s%N) - start) / 1000000))
if [ "$rc" -le 1 ] && [ -s "$O/report.pdf" ] && [ -s "$O/observations.csv" ]; then
    ok "report: first run exit $rc in ${dur_ms} ms"
else
    bad "report: first run exit $rc"
    cat "$T/report.err"
fi
sums "$O" >"$T/before.md5"
nfiles=$(wc -l <"$T/before.md5")
# Kill points spread over the run (5% .. 95% of the first run's duration).
for pct in 5 15 25 35 45 55 65 75 85 95; do
    ms=$((dur_ms * pct / 100))
    "$FZSTAT" report -q -j2 "$C" -o "$O" 2>/dev/null &
    pid=$!
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    sums "$O" >"$T/after.md5"
    if cmp -s "$T/before.md5" "$T/after.md5"; then
        ok "kill -9 at ${pct}% (${ms} ms): all $nfiles outputs unchanged"
    else
        bad "kill -9 at ${pct}% (${ms} ms): outputs changed"
        diff "$T/before.md5" "$T/after.md5"
    fi
done
# Temp files of killed runs may stay (nothing runs after SIGKILL), but only
# under hidden names: no partial file under a final name (checked above).
find "$O" -maxdepth 1 -name '.*' -type f -delete

# ---- full disk through the seam: each output in turn fails ------------------------
SEED=$(ls "$FZ_SHARED"/seeds/000_*.txt | head -1)
E=$T/extract
mkdir -p "$E"
"$FZSTAT" extract -q "$SEED" -o "$E/obs.csv" --docs "$E/docs.csv"
cp "$E/obs.csv" "$T/obs.orig"
cp "$E/docs.csv" "$T/docs.orig"
other=$(ls "$FZ_SHARED"/seeds/001_*.txt | head -1)
FZSTAT_TEST_FAIL_AFTER=100 "$FZSTAT" extract -q "$other" -o "$E/obs.csv" --docs "$E/docs.csv" \
    2>"$T/full.err"
rc=$?
if [ "$rc" -eq 3 ]; then ok "full disk (seam): exit 3"; else bad "full disk (seam): exit $rc, want 3"; fi
n=$(grep -c "cannot write '$E/.*': No space left on device" "$T/full.err")
if [ "$n" -ge 1 ] && [ "$(wc -l <"$T/full.err")" -eq "$n" ]; then
    ok "full disk (seam): $(head -1 "$T/full.err")"
else
    bad "full disk (seam): want only 'cannot write ...: No space left on device' lines"
    cat "$T/full.err"
fi
if cmp -s "$E/obs.csv" "$T/obs.orig" && cmp -s "$E/docs.csv" "$T/docs.orig"; then
    ok "full disk (seam): previous outputs intact"
else
    bad "full disk (seam): previous outputs changed"
fi
if [ "$(temps "$E")" -eq 0 ]; then ok "full disk (seam): no temp file left"; else
    bad "full disk (seam): temp files left: $(ls -A "$E")"; fi

# A budget larger than the first file: the failure hits a later output.
for budget in 3000 200000 1500000; do
    FZSTAT_TEST_FAIL_AFTER=$budget "$FZSTAT" report -q -j2 "$C" -o "$O" 2>"$T/full_r.err"
    rc=$?
    if [ "$rc" -eq 3 ] && grep -q "cannot write '$O/.*': No space left on device" "$T/full_r.err"; then
        ok "report, disk full after $budget bytes: exit 3, $(grep -m1 'cannot write' "$T/full_r.err")"
    else
        bad "report, disk full after $budget bytes: exit $rc"
        cat "$T/full_r.err"
    fi
    sums "$O" >"$T/after.md5"
    if cmp -s "$T/before.md5" "$T/after.md5" && [ "$(temps "$O")" -eq 0 ]; then
        ok "report, disk full after $budget bytes: outputs unchanged, no temp file"
    else
        bad "report, disk full after $budget bytes: outputs changed or temp files left"
        diff "$T/before.md5" "$T/after.md5"
        ls -A "$O"
    fi
done

# ---- /dev/full, /dev/null, /dev/stdout ---------------------------------------------
if [ -c /dev/full ]; then
    "$FZSTAT" extract -q "$SEED" -o /dev/full 2>"$T/devfull.err"
    rc=$?
    if [ "$rc" -eq 3 ] && grep -q "cannot write '/dev/full': No space left on device" "$T/devfull.err"; then
        ok "-o /dev/full: exit 3, $(cat "$T/devfull.err")"
    else
        bad "-o /dev/full: exit $rc"
        cat "$T/devfull.err"
    fi
    if [ -c /dev/full ]; then ok "/dev/full is still a device"; else bad "/dev/full was replaced"; fi
fi
if [ -c /dev/null ] && [ -w /dev/null ]; then
    "$FZSTAT" extract -q "$SEED" -o /dev/null
    rc=$?
    if [ "$rc" -eq 0 ] && [ -c /dev/null ]; then ok "-o /dev/null: exit 0, still a device"; else
        bad "-o /dev/null: exit $rc, device $( [ -c /dev/null ] && echo kept || echo REPLACED)"; fi
fi
rows=$("$FZSTAT" extract -q "$SEED" -o /dev/stdout | grep -c penalty_cases)
if [ "$rows" -ge 1 ] && { [ -L /dev/stdout ] || [ -c /dev/stdout ]; }; then
    ok "-o /dev/stdout: rows on the pipe, /dev/stdout not replaced"
else
    bad "-o /dev/stdout: $rows rows, /dev/stdout is now $(ls -l /dev/stdout)"
fi

# ---- output under a plain file ------------------------------------------------------
: >"$T/plain"
"$FZSTAT" extract -q "$SEED" -o "$T/plain/obs.csv" 2>"$T/plain1.err"
rc=$?
if [ "$rc" -eq 3 ] && [ "$(grep -c "cannot write '$T/plain/obs.csv'" "$T/plain1.err")" -eq 1 ]; then
    ok "extract -o under a file: exit 3, $(cat "$T/plain1.err")"
else
    bad "extract -o under a file: exit $rc"
    cat "$T/plain1.err"
fi
"$FZSTAT" report -q "$SEED" -o "$T/plain/out" 2>"$T/plain2.err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q "'$T/plain" "$T/plain2.err"; then
    ok "report -o under a file: exit 3, $(head -1 "$T/plain2.err")"
else
    bad "report -o under a file: exit $rc"
    cat "$T/plain2.err"
fi
"$FZSTAT" extract -q "$SEED" -o "$E/obs.csv" --docs "$T/plain/docs.csv" 2>"$T/plain3.err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q "cannot write '$T/plain/docs.csv'" "$T/plain3.err" &&
    cmp -s "$E/obs.csv" "$T/obs.orig"; then
    ok "--docs under a file: exit 3; obs.csv written whole"
else
    bad "--docs under a file: exit $rc"
    cat "$T/plain3.err"
fi
mkdir -p "$T/adir"
"$FZSTAT" extract -q "$SEED" -o "$T/adir" 2>"$T/adir.err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q "cannot write '$T/adir': Is a directory" "$T/adir.err" &&
    [ -z "$(ls -A "$T/adir")" ] && [ "$(find "$T" -maxdepth 1 -name '.adir*' | wc -l)" -eq 0 ]; then
    ok "-o a directory: exit 3, $(cat "$T/adir.err"), nothing left"
else
    bad "-o a directory: exit $rc"
    cat "$T/adir.err"
fi
if [ "$(find "$T" -maxdepth 1 -name '.plain*' | wc -l)" -eq 0 ] && [ ! -s "$T/plain" ]; then
    ok "under a file: nothing half-written"
else
    bad "under a file: something was written"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
