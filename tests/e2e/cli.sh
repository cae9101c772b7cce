#!/usr/bin/env bash
# The command line as a newcomer meets it: help, version, usage errors and
# exit statuses, stdin input, and every subcommand's --help with an example.
set -u
fz=${FZSTAT:?}
shared=${FZ_SHARED:?}
pass=0 fail=0
t() { # t DESCRIPTION EXPECTED_STATUS COMMAND...
  local what=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" -eq "$want" ]; then pass=$((pass+1)); else
    fail=$((fail+1)); echo "FAIL: $what: exit $got, want $want"; sed 's/^/  /' "$tmp/err" | head -5; fi
}
has() { # has DESCRIPTION FILE PATTERN
  if grep -q -- "$3" "$2"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1: no '$3' in $2"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

t "no arguments is a usage error" 2 "$fz"
t "help" 0 "$fz" help
has "help lists report" "$tmp/out" "report"
t "--version" 0 "$fz" --version
has "version number" "$tmp/out" "^fzstat [0-9]"
t "unknown command" 2 "$fz" frobnicate
has "unknown command named" "$tmp/err" "unknown command 'frobnicate'"
for c in extract stats plot report indicators regions; do
  t "$c --help" 0 "$fz" "$c" --help
  has "$c usage" "$tmp/out" "usage: fzstat $c"
  has "$c example" "$tmp/out" "example"
  t "help $c" 0 "$fz" help "$c"
  t "$c bad option" 2 "$fz" "$c" --no-such-option
done

# every long option in the extract usage is accepted by the parser
for opt in $("$fz" extract --help | grep -o -- '--[a-z-]*' | sort -u); do
  case $opt in --help) continue ;; esac
  if "$fz" extract "$opt" 2>&1 | grep -q "unrecognized option"; then
    fail=$((fail+1)); echo "FAIL: extract --help lists $opt but the parser refuses it"
  else pass=$((pass+1)); fi
done

t "extract with no input" 2 "$fz" extract
t "extract bad -j" 2 "$fz" extract -j 0 "$shared/seeds"
t "extract seeds" 0 "$fz" extract -q -o "$tmp/obs.csv" --docs "$tmp/docs.csv" "$shared/seeds"
has "observation header" "$tmp/obs.csv" "^doc,file,region_code"
has "a seed figure with its phrase" "$tmp/obs.csv" "penalty_cases,8,,宗,exact,1"
has "docs table has the region" "$tmp/docs.csv" "441882102"
t "extract from stdin" 0 sh -c "\"$fz\" extract -q - <\"$shared/seeds/000_18829aa4f02e89c0.txt\""
has "stdin figure" "$tmp/out" "行政处罚案件8宗"
t "extract jsonl" 0 "$fz" extract -q --format jsonl -o "$tmp/obs.jsonl" "$shared/seeds"
has "jsonl object" "$tmp/obs.jsonl" '"indicator":"penalty_cases"'
t "missing input is skipped, exit 1" 1 "$fz" extract -q -o "$tmp/o2.csv" "$shared/seeds" "$tmp/nope.txt"
has "skipped file named" "$tmp/err" "nope.txt"
has "rest still processed" "$tmp/o2.csv" "行政处罚案件8宗"
t "-j1 and -j2 give the same bytes" 0 sh -c "\"$fz\" extract -q -j1 '$shared/seeds' >'$tmp/a' && \"$fz\" extract -q -j2 '$shared/seeds' >'$tmp/b' && cmp '$tmp/a' '$tmp/b'"
t "output under a plain file is fatal" 3 "$fz" extract -q -o "$tmp/obs.csv/x.csv" "$shared/seeds"
has "fatal names the path" "$tmp/err" "obs.csv/x.csv"

t "report with a missing population table is fatal" 3 "$fz" report -q -j2 -o "$tmp/rep" --population "$tmp/nopop.csv" "$shared/seeds"
has "the missing table is named" "$tmp/err" "cannot read '$tmp/nopop.csv'"
if [ "$(grep -c '^fzstat:' "$tmp/err")" -eq 1 ]; then pass=$((pass+1)); else
  fail=$((fail+1)); echo "FAIL: one message for a missing population table, got:"; sed 's/^/  /' "$tmp/err"; fi
[ ! -e "$tmp/rep/report.pdf" ] && pass=$((pass+1)) || { fail=$((fail+1)); echo "FAIL: a report was written without its population table"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
