#!/bin/bash
# stats_roundtrip.sh: 'fzstat stats' end to end on tests/fixtures/stats:
# exit statuses, byte-for-byte reproducible CSV and xlsx, BOM and GB18030
# output, a failed write keeping the old tables, and the tables opening in a
# spreadsheet: LibreOffice (headless) converts the xlsx (every sheet) and the
# CSV back to CSV and each cell must match what fzstat wrote. The LibreOffice
# part is skipped, with a message, when libreoffice is not installed.
set -u
FZSTAT=${FZSTAT:-fzstat}
SRC=${FZ_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}
FX=$SRC/tests/fixtures/stats
TMP=$(mktemp -d /tmp/fz_stats_e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

run() { # run EXPECTED_STATUS ARGS...: runs fzstat stats, checks its status
    local want=$1
    shift
    "$FZSTAT" stats "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok "stats $* -> $got"; else
        bad "stats $* -> $got, expected $want"; head -3 "$TMP/err"; fi
}

run 0 --help
grep -q -- '--population' "$TMP/out" || bad "--help lacks --population"
run 2
run 2 "$FX/obs.csv"
run 2 "$FX/obs.csv" -o "$TMP/x" --format ods
run 2 "$FX/obs.csv" -o "$TMP/x" --bogus
run 3 "$TMP/missing.csv" -o "$TMP/x"

opts=(--weights "$FX/weights.csv" --population "$FX/population.csv")
run 0 "$FX/obs.csv" -o "$TMP/a" "${opts[@]}"
run 0 "$FX/obs.csv" -o "$TMP/b" "${opts[@]}"
for t in long wide summary trends correlations composite rollups conflicts coverage; do
    [ -s "$TMP/a/$t.csv" ] || bad "no $t.csv"
done
if diff -r "$TMP/a" "$TMP/b" >/dev/null; then ok "CSV output reproducible"; else bad "CSV output differs between runs"; fi

run 0 "$FX/obs.csv" -o "$TMP/x1" --format xlsx "${opts[@]}"
run 0 "$FX/obs.csv" -o "$TMP/x2" --format xlsx "${opts[@]}"
if cmp -s "$TMP/x1/tables.xlsx" "$TMP/x2/tables.xlsx"; then ok "xlsx reproducible"; else bad "xlsx differs between runs"; fi

run 0 "$FX/obs.csv" -o "$TMP/bom" --excel "${opts[@]}"
[ "$(head -c 3 "$TMP/bom/long.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && ok "BOM" || bad "no BOM"
run 0 "$FX/obs.csv" -o "$TMP/gb" --encoding gb18030 "${opts[@]}"
if iconv -f GB18030 -t UTF-8 "$TMP/gb/long.csv" | cmp -s - "$TMP/a/long.csv"; then ok "GB18030"; else bad "GB18030 output does not convert back"; fi

# A write that fails midway keeps the previous tables.
cp -r "$TMP/a" "$TMP/keep"
FZSTAT_TEST_FAIL_AFTER=100 "$FZSTAT" stats "$FX/obs.csv" -o "$TMP/a" "${opts[@]}" 2>/dev/null
st=$?
[ "$st" -eq 3 ] && ok "failed write -> 3" || bad "failed write -> $st, expected 3"
diff -r "$TMP/a" "$TMP/keep" >/dev/null && ok "old tables survive a failed write" || bad "old tables damaged"
# An output directory under a plain file.
run 3 "$FX/obs.csv" -o "$SRC/tests/fixtures/stats/obs.csv/sub"

if ! command -v libreoffice >/dev/null 2>&1; then
    echo "skip: libreoffice not installed; spreadsheet round trip not checked"
    exit $fail
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "skip: python3 not installed; spreadsheet round trip not compared"
    exit $fail
fi
LO=(libreoffice -env:UserInstallation=file://$TMP/lo-profile --headless)
# 76 = UTF-8; the last token -1 writes every sheet (LibreOffice 7.2+).
FILTER='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
mkdir -p "$TMP/lo-x" "$TMP/lo-c"
timeout 300 "${LO[@]}" --convert-to "$FILTER" --outdir "$TMP/lo-x" "$TMP/x1/tables.xlsx" >/dev/null 2>&1
timeout 300 "${LO[@]}" --infilter='CSV:44,34,76,1' --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' \
    --outdir "$TMP/lo-c" "$TMP/a/long.csv" "$TMP/a/summary.csv" "$TMP/a/wide.csv" >/dev/null 2>&1

python3 - "$TMP" <<'PY' || fail=1
import csv, math, os, sys
tmp = sys.argv[1]
def rows(p):
    with open(p, newline='', encoding='utf-8-sig') as f:
        return list(csv.reader(f))
def num(s):
    try:
        v = float(s)
        return v if math.isfinite(v) else None
    except ValueError:
        return None
def same(a, b):
    if a == b:
        return True
    x, y = num(a), num(b)
    if x is not None and y is not None:  # CSV numbers are rounded to their decimals
        return abs(x - y) <= 1e-3 * max(1.0, abs(x))
    # the xlsx holds the text itself; the CSV guards formula-like text with '
    return a.startswith("'") and a[1:] == b
bad = 0
def compare(ours, theirs, what):
    global bad
    if not os.path.exists(theirs):
        print("FAIL: LibreOffice wrote no", theirs); bad += 1; return
    a, b = rows(ours), rows(theirs)
    if len(a) != len(b):
        print(f"FAIL: {what}: {len(a)} rows written, {len(b)} read back"); bad += 1; return
    for i, (ra, rb) in enumerate(zip(a, b)):
        rb = rb + [''] * (len(ra) - len(rb))  # trailing empty cells may be dropped
        for j, (ca, cb) in enumerate(zip(ra, rb)):
            if not same(ca, cb):
                print(f"FAIL: {what} row {i+1} col {a[0][j]}: wrote {ca!r}, read {cb!r}")
                bad += 1
                return
    print(f"ok: {what} round trip ({len(a)} rows)")
for t in ["long", "wide", "summary", "trends", "correlations", "composite", "rollups",
          "conflicts", "coverage"]:
    compare(f"{tmp}/a/{t}.csv", f"{tmp}/lo-x/tables-{t}.csv", f"xlsx sheet {t}")
for t in ["long", "summary", "wide"]:
    compare(f"{tmp}/a/{t}.csv", f"{tmp}/lo-c/{t}.csv", f"csv {t}")
sys.exit(1 if bad else 0)
PY
exit $fail
