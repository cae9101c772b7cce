#!/usr/bin/env bash
# bad_input.sh: 'fzstat extract' on bad report files (hardening work owns
# this script). Each case puts one bad input next to a good report (seed 000,
# whose 行政处罚案件8宗 must still come out) and checks the exit status, the
# one stderr line naming the file and the problem, and that the good file's
# figures are still in the output. Cases: empty file, PNG and ELF named .txt,
# NUL bytes, invalid and truncated UTF-8, truncated GB18030, UTF-16 without
# BOM, a 10 MB line, deeply nested and unclosed HTML, 100,000 small files
# (on tmpfs; 20,000 when only a disk is available), a FIFO and an unreadable
# file, a dangling symlink, symlink loops, a missing path, /dev/zero,
# binary data on stdin.
# The 200 MB file is hardening_bigfile.sh.
# Env: FZSTAT (binary), FZ_SHARED (seeds).
set -u
FZSTAT=${FZSTAT:?FZSTAT not set}
FZ_SHARED=${FZ_SHARED:-$(dirname "$0")/../../../shared}
SEED=$(ls "$FZ_SHARED"/seeds/000_*.txt | head -1)
[ -f "$SEED" ] || { echo "bad_input: no seed 000 under $FZ_SHARED/seeds"; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/fz_bad.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# run NAME ARGS...: runs fzstat extract ARGS -o $T/NAME.csv; sets rc, ERR, OUT.
run() {
    local name=$1
    shift
    OUT=$T/$name.csv
    ERR=$T/$name.err
    "$FZSTAT" extract "$@" -o "$OUT" --docs "$T/$name.docs.csv" -j2 2>"$ERR"
    rc=$?
}
expect_rc() { # CASE WANT
    if [ "$rc" -eq "$2" ]; then ok "$1: exit $rc"; else bad "$1: exit $rc, want $2"; cat "$ERR"; fi
}
# expect_line CASE FILE PROBLEM: exactly one stderr line names FILE and PROBLEM.
expect_line() {
    local n
    n=$(grep -F -- "'$2'" "$ERR" | grep -c -F -- "$3")
    if [ "$n" -eq 1 ]; then
        ok "$1: one line: $(grep -F -- "'$2'" "$ERR" | grep -F -- "$3")"
    else
        bad "$1: want one line naming '$2' and '$3', got $n"
        cat "$ERR"
    fi
}
# expect_fig CASE FILE INDICATOR VALUE: that figure of FILE is in the output.
expect_fig() {
    if awk -F, -v f="$2" -v i="$3" -v v="$4" '$2 == f && $12 == i && $13 == v { found = 1 }
            END { exit !found }' "$OUT"; then
        ok "$1: $3 = $4 from $2"
    else
        bad "$1: no $3 = $4 from $2 in the output"
    fi
}
# case_dir NAME: a fresh directory holding good.txt (the seed).
case_dir() {
    D=$T/$1
    mkdir -p "$D"
    cp "$SEED" "$D/good.txt"
}

# ---- files that are skipped ------------------------------------------------
case_dir empty
: >"$D/empty.txt"
run empty "$D"
expect_rc empty 1
expect_line empty "$D/empty.txt" "empty file"
expect_fig empty "$D/good.txt" penalty_cases 8

case_dir png
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\020\0\0\0\020\010\006\0\0\0\037\363\377a' >"$D/image.txt"
head -c 4000 /dev/urandom >>"$D/image.txt"
run png "$D"
expect_rc png 1
expect_line png "$D/image.txt" "binary file"
expect_fig png "$D/good.txt" penalty_cases 8

case_dir elf
head -c 100000 "$FZSTAT" >"$D/program.txt"
run elf "$D"
expect_rc elf 1
expect_line elf "$D/program.txt" "binary file"
expect_fig elf "$D/good.txt" penalty_cases 8

# ---- files that are repaired and read ----------------------------------------
case_dir nul
printf '全年办理行政处罚案件11宗。\0\0\0受理投诉件23件。\n' >"$D/nul.txt"
run nul "$D"
expect_rc nul 0
expect_line nul "$D/nul.txt" "3 NUL bytes removed"
expect_fig nul "$D/nul.txt" penalty_cases 11
expect_fig nul "$D/nul.txt" complaints 23
expect_fig nul "$D/good.txt" penalty_cases 8

case_dir utf8
printf '全年办理行政处罚案件12宗\377\376\300\257。受理投诉件24件。\n' >"$D/invalid.txt"
printf '全年办理行政处罚案件13宗。\n受理投诉件25件\xe4\xb8' >"$D/truncated.txt"
run utf8 "$D"
expect_rc utf8 0
expect_line utf8 "$D/invalid.txt" "invalid byte sequence"
expect_line utf8 "$D/truncated.txt" "1 invalid byte sequence replaced"
expect_fig utf8 "$D/invalid.txt" penalty_cases 12
expect_fig utf8 "$D/invalid.txt" complaints 24
expect_fig utf8 "$D/truncated.txt" penalty_cases 13
expect_fig utf8 "$D/good.txt" penalty_cases 8

case_dir gb
{ iconv -f UTF-8 -t GB18030 "$SEED"; printf '\260'; } >"$D/gb_truncated.txt"
run gb "$D"
expect_rc gb 0
expect_line gb "$D/gb_truncated.txt" "1 invalid byte sequence replaced"
expect_fig gb "$D/gb_truncated.txt" penalty_cases 8
if grep -q "gb_truncated.txt,text,GB18030," "$T/gb.docs.csv"; then
    ok "gb: decoded as GB18030"
else
    bad "gb: not decoded as GB18030"
fi

case_dir utf16
iconv -f UTF-8 -t UTF-16LE "$SEED" >"$D/utf16.txt"
run utf16 "$D"
expect_rc utf16 0
if grep -q "utf16.txt,text,UTF-16LE," "$T/utf16.docs.csv"; then
    ok "utf16: detected UTF-16LE without BOM"
else
    bad "utf16: not detected as UTF-16LE"
fi
a=$(awk -F, '$2 ~ /good.txt$/ { print $12 "," $13 "," $15 }' "$OUT" | sort | md5sum)
b=$(awk -F, '$2 ~ /utf16.txt$/ { print $12 "," $13 "," $15 }' "$OUT" | sort | md5sum)
if [ "$a" = "$b" ] && [ "$(awk -F, '$2 ~ /utf16.txt$/' "$OUT" | wc -l)" -gt 5 ]; then
    ok "utf16: same figures as the UTF-8 original"
else
    bad "utf16: figures differ from the UTF-8 original"
fi

# ---- large and malformed structure ---------------------------------------------
case_dir longline
{ head -c 10485760 /dev/zero | tr '\0' 'a'; printf '。全年办理行政处罚案件14宗'; } >"$D/long.txt"
start=$(date +%s)
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$T/rss" "$FZSTAT" extract "$D" -o "$T/longline.csv" \
        --docs "$T/longline.docs.csv" 2>"$T/longline.err"
    rc=$?
else
    run longline "$D"
fi
OUT=$T/longline.csv
ERR=$T/longline.err
secs=$(($(date +%s) - start))
expect_rc longline 0
expect_fig longline "$D/long.txt" penalty_cases 14
expect_fig longline "$D/good.txt" penalty_cases 8
if [ "$secs" -le 60 ]; then ok "longline: ${secs}s"; else bad "longline: took ${secs}s"; fi
if [ -s "$T/rss" ] && ! grep -q -a -m1 '__asan_init' "$FZSTAT"; then # sanitizers inflate RSS
    rss=$(tail -1 "$T/rss")
    if [ "$rss" -lt 250000 ]; then ok "longline: peak RSS ${rss} KB"; else bad "longline: peak RSS ${rss} KB"; fi
fi

case_dir html
{
    printf '<html><body>'
    for _ in $(seq 1 200); do printf '<div><div><div><div><div><span><b><i><div><div>'; done
    printf '<p>全年办理行政处罚案件15宗。</p>'
} >"$D/nested.html"
{
    printf '<html><head><title>报告</title></head><body><p>全年办理行政处罚案件16宗。<table><tr><td>'
    printf '<!-- never closed <script>var s = "<p>'
    head -c 200000 /dev/zero | tr '\0' 'x'
} >"$D/unclosed.html"
{
    printf '<html><body><p>全年办理行政处罚案件17宗。<script>var s = "<p>'
    head -c 200000 /dev/zero | tr '\0' 'y'
} >"$D/script.html"
run html "$D"
expect_rc html 0
expect_fig html "$D/nested.html" penalty_cases 15
expect_fig html "$D/unclosed.html" penalty_cases 16
expect_fig html "$D/script.html" penalty_cases 17
expect_fig html "$D/good.txt" penalty_cases 8
if grep -q "script.html" "$OUT" && grep -F "script.html" "$OUT" | grep -q yyyyyyyy; then
    bad "html: text of an unclosed <script> leaked into the output"
else
    ok "html: unclosed <script> content dropped"
fi

# ---- many files ---------------------------------------------------------------
# tmpfs keeps 100,000 creates fast; on a disk they take minutes, so 20,000.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    M=$(mktemp -d /dev/shm/fz_many.XXXXXX)
    nfiles=100000
else
    M=$T/many
    mkdir -p "$M"
    nfiles=20000
fi
trap 'rm -rf "$T" "$M"' EXIT
cp "$SEED" "$M/000000good.txt"
seq 1 "$nfiles" | awk '{ printf "全年办理行政处罚案件%d宗。\n", $1 }' |
    split -l 1 -a 6 -d --additional-suffix=.txt - "$M/f"
start=$(date +%s)
run many "$M"
secs=$(($(date +%s) - start))
expect_rc many 0
rows=$(awk -F, '$2 ~ /\/f[0-9]+\.txt$/ && $12 == "penalty_cases"' "$OUT" | wc -l)
if [ "$rows" -eq "$nfiles" ]; then ok "many: $rows of $nfiles files gave their figure"; else
    bad "many: $rows of $nfiles files gave their figure"; fi
expect_fig many "$M/000000good.txt" penalty_cases 8
echo "     many: $nfiles files in ${secs}s"
rm -rf "$M"

# ---- files that cannot be read -----------------------------------------------------
case_dir special
mkfifo "$D/pipe.txt"
mkdir "$D/dir.txt" # a directory named like a report is searched, not read
printf '全年办理行政处罚案件18宗。\n' >"$D/dir.txt/inner.txt"
ln -s "$D/missing.txt" "$D/dangling.txt"
ln -s "$D/loop.txt" "$D/loop.txt"
mkdir "$D/sub"
ln -s .. "$D/sub/up"
run special "$D"
expect_rc special 1
expect_line special "$D/pipe.txt" "not a regular file"
expect_line special "$D/dangling.txt" "dangling symbolic link"
expect_line special "$D/loop.txt" "symbolic link loop"
expect_line special "$D/sub/up" "symbolic link loop"
expect_fig special "$D/dir.txt/inner.txt" penalty_cases 18
expect_fig special "$D/good.txt" penalty_cases 8

case_dir missing
run missing "$D/good.txt" "$D/no_such_report.txt"
expect_rc missing 1
expect_line missing "$D/no_such_report.txt" "No such file or directory"
expect_fig missing "$D/good.txt" penalty_cases 8

# An endless device named on the command line stops at the size limit.
case_dir devzero
run devzero "$D/good.txt" /dev/zero
expect_rc devzero 1
expect_line devzero /dev/zero "file too large"
expect_fig devzero "$D/good.txt" penalty_cases 8

# Binary data on stdin.
case_dir stdin
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\020' |
    "$FZSTAT" extract - "$D/good.txt" -o "$T/stdin.csv" 2>"$T/stdin.err"
rc=$?
OUT=$T/stdin.csv
ERR=$T/stdin.err
expect_rc stdin 1
expect_line stdin - "binary file"
expect_fig stdin "$D/good.txt" penalty_cases 8

# An unreadable file: root reads anything, so drop to nobody when we are root.
case_dir perm
printf '全年办理行政处罚案件19宗。\n' >"$D/secret.txt"
chmod 000 "$D/secret.txt"
chmod 755 "$T" "$D"
chmod 644 "$D/good.txt"
# nobody must be able to run fzstat and read its data (a checkout under a
# private directory, such as mktemp -d, cannot be reached)
as_nobody_ok() {
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$FZSTAT" extract -q "$D/good.txt" \
        -o /dev/null >/dev/null 2>&1
}
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 &&
    ! as_nobody_ok; then
    echo "     perm: skipped (user nobody cannot run $FZSTAT or read its data here)"
    perm_ran=0
elif [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    W=$T/perm_out
    mkdir "$W"
    chmod 777 "$W"
    OUT=$W/perm.csv
    ERR=$T/perm.err
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$FZSTAT" extract "$D" -o "$OUT" 2>"$ERR"
    rc=$?
    perm_ran=1
elif [ "$(id -u)" -ne 0 ]; then
    run perm "$D"
    perm_ran=1
else
    echo "     perm: skipped (root without setpriv: permissions stop nothing)"
    perm_ran=0
fi
if [ "$perm_ran" = 1 ]; then
    expect_rc perm 1
    expect_line perm "$D/secret.txt" "Permission denied"
    expect_fig perm "$D/good.txt" penalty_cases 8
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
