#!/usr/bin/env bash
# hardening_csv.sh: broken CSV inputs (hardening work owns this script).
#   fzstat stats OBS.csv, --population, --weights: broken quoting, wrong
#     column count, non-numeric values, duplicate keys, unknown indicator ids;
#     each is one line naming the file and the problem (and the line), the
#     other rows are used (their figures are in long.csv); exit 1 when rows
#     of the observations were skipped, 0 when only warnings; 3 when a table
#     lacks a required column.
#   fzstat extract --lexicon: an empty keyword, a duplicate id, an unknown
#     measure word or kind, a missing column, an unterminated quote: the
#     lexicon is unusable, one line naming file and line, exit 3.
#   fzstat extract --gazetteer: a malformed row, a duplicate code, a bad
#     parent, a wrong header, a missing file: exit 3, one line naming the file.
# Env: FZSTAT, FZ_SHARED, FZ_SOURCE.
set -u
FZSTAT=${FZSTAT:?FZSTAT not set}
FZ_SHARED=${FZ_SHARED:-$(dirname "$0")/../../../shared}
FZ_SOURCE=${FZ_SOURCE:-$(dirname "$0")/../..}
SEED=$(ls "$FZ_SHARED"/seeds/000_*.txt | head -1)
LEX=$FZ_SOURCE/datasets/lexicon.csv
GAZ=$FZ_SOURCE/datasets/gazetteer.csv
T=$(mktemp -d "${TMPDIR:-/tmp}/fz_csv.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
expect_rc() { # CASE WANT
    if [ "$rc" -eq "$2" ]; then ok "$1: exit $rc"; else bad "$1: exit $rc, want $2"; cat "$ERR"; fi
}
# expect_line CASE FILE PROBLEM [LINE]: exactly one stderr line quotes FILE
# and says PROBLEM (and ends with "(line LINE)" when given).
expect_line() {
    local pat n
    pat=$3
    n=$(grep -F -- "'$2'" "$ERR" | grep -F -- "$pat" | { if [ $# -ge 4 ]; then grep -F -- "(line $4)"; else cat; fi; } | wc -l)
    if [ "$n" -eq 1 ]; then
        ok "$1: $(grep -F -- "'$2'" "$ERR" | grep -F -- "$pat" | head -1)"
    else
        bad "$1: want one line quoting '$2' with '$3'${4:+ at line $4}, got $n"
        cat "$ERR"
    fi
}

# ---- observations -------------------------------------------------------------
"$FZSTAT" extract -q "$FZ_SHARED/seeds" -o "$T/obs.csv"
nobs=$(($(wc -l <"$T/obs.csv") - 1))
good=$(sed -n 2p "$T/obs.csv")
cp "$T/obs.csv" "$T/bad.csv"
printf '%s\n' "${good%%,*},x.txt,\"broken" >>"$T/bad.csv"                       # line nobs+2
printf '1,x.txt,441882,a,b\n' >>"$T/bad.csv"                                     # nobs+3
awk -F, -v OFS=, 'NR == 2 { $13 = "abc"; print }' "$T/obs.csv" >>"$T/bad.csv"    # nobs+4
awk -F, -v OFS=, 'NR == 2 { $12 = "no_such_indicator"; print }' "$T/obs.csv" >>"$T/bad.csv"
cd "$T" || exit 1
ERR=$T/obs.err
"$FZSTAT" stats bad.csv -o "$T/st" 2>"$ERR"
rc=$?
expect_rc "obs csv" 1
expect_line "obs broken quote" bad.csv "unterminated quote" $((nobs + 2))
expect_line "obs column count" bad.csv "5 fields, the header has 21" $((nobs + 3))
expect_line "obs non-numeric" bad.csv "value 'abc' is not a number" $((nobs + 4))
expect_line "obs unknown indicator" bad.csv "unknown indicator 'no_such_indicator'"
if awk -F, '$1 == "441882102" && $7 == "penalty_cases" && $9 == "8"' "$T/st/long.csv" | grep -q .; then
    ok "obs: the good rows are in long.csv"
else
    bad "obs: 441882102 penalty_cases 8 missing from long.csv"
fi
# Two primary figures of one indicator in one report: kept first, conflict listed.
awk -F, -v OFS=, 'NR == 2 { $13 = $13 + 1; print }' "$T/obs.csv" >"$T/dup_rows"
cat "$T/obs.csv" "$T/dup_rows" >"$T/dup.csv"
ERR=$T/dup.err
"$FZSTAT" stats dup.csv -o "$T/st_dup" 2>"$ERR"
rc=$?
expect_rc "obs duplicate key" 0
if grep -q differing_primary "$T/st_dup/conflicts.csv"; then
    ok "obs duplicate key: listed in conflicts.csv as differing_primary"
else
    bad "obs duplicate key: not in conflicts.csv"
fi
# No indicator column: the file is unusable.
cut -d, -f1-11,13- "$T/obs.csv" >"$T/nocol.csv"
ERR=$T/nocol.err
"$FZSTAT" stats nocol.csv -o "$T/st_nocol" 2>"$ERR"
rc=$?
expect_rc "obs missing column" 3
expect_line "obs missing column" nocol.csv "indicator"

# ---- population and weights ------------------------------------------------------
{
    echo "region_code,year,population"
    echo "441882102,2022,30000"  # line 2
    echo "441882102,2022,31000"  # line 3: repeats line 2
    echo "441882102,2021,abc"    # line 4: not a number
    echo "441882102,\"2020,5"    # line 5: broken quote
    echo "120116100"             # line 6: one field
} >"$T/pop.csv"
{
    echo "indicator,weight,direction,dimension"
    echo "penalty_cases,1,1,a"         # line 2
    echo "penalty_cases,2,1,a"         # line 3: twice
    echo "complaints,heavy,1,b"        # line 4: not a number
    echo "no_such_indicator,1,1,c"     # line 5: unknown
    echo "mediators,1,\"1,d"           # line 6: broken quote
} >"$T/w.csv"
ERR=$T/popw.err
"$FZSTAT" stats obs.csv -o "$T/st_pop" --population pop.csv --weights w.csv 2>"$ERR"
rc=$?
expect_rc "population and weights" 1
expect_line "population broken quote" pop.csv "unterminated quote" 5
expect_line "population column count" pop.csv "1 fields, the header has 3" 6
expect_line "population non-numeric" pop "population row 3 ignored: needs a numeric code" 4
expect_line "population duplicate key" pop "repeats the region and year of row 1" 3
expect_line "weights broken quote" w.csv "unterminated quote" 6
expect_line "weights duplicate key" w "'penalty_cases' listed twice" 3
expect_line "weights non-numeric" w "weights row 3 ignored: needs an indicator, a positive weight" 4
expect_line "weights unknown indicator" w "unknown indicator 'no_such_indicator'" 5
if awk -F, '$1 == "441882102" && $7 == "penalty_cases" && $24 != ""' "$T/st_pop/long.csv" | grep -q .; then
    ok "population: per10k computed from the first good row"
else
    bad "population: no per10k for 441882102"
fi
per=$(awk -F, '$1 == "441882102" && $7 == "penalty_cases" { print $22 }' "$T/st_pop/long.csv")
if [ "$per" = "30000" ]; then ok "population duplicate key: the first row (30000) is used"; else
    bad "population duplicate key: population '$per', want 30000"; fi
printf 'region,year,people\n441882102,2022,1\n' >"$T/popcol.csv"
ERR=$T/popcol.err
"$FZSTAT" stats obs.csv -o "$T/st_popcol" --population popcol.csv 2>"$ERR"
rc=$?
expect_rc "population missing column" 3
if grep -q "needs columns region_code, year, population" "$ERR"; then ok "population missing column: said"; else
    bad "population missing column: no message"; cat "$ERR"; fi

# ---- lexicon ------------------------------------------------------------------------
# lexcase NAME SED PROBLEM LINE: the bundled lexicon with one edit is refused.
lexcase() {
    sed "$2" "$LEX" >"$T/lex_$1.csv"
    if cmp -s "$LEX" "$T/lex_$1.csv"; then
        bad "lexicon $1: the edit did not apply"
        return
    fi
    ERR=$T/lex_$1.err
    "$FZSTAT" extract -q --lexicon "lex_$1.csv" "$SEED" -o "$T/lex_$1.out" 2>"$ERR"
    rc=$?
    expect_rc "lexicon $1" 3
    if [ -n "${4:-}" ]; then
        expect_line "lexicon $1" "lex_$1.csv" "$3" "$4"
    else
        expect_line "lexicon $1" "lex_$1.csv" "$3"
    fi
    if [ -e "$T/lex_$1.out" ]; then bad "lexicon $1: wrote output"; fi
}
lexcase empty_keyword 's/^\(penalty_cases,[^,]*,count,[^,]*,[^,]*,\)[^|,]*|/\1|/' "empty keyword" 2
lexcase duplicate_id 's/^complaints,/penalty_cases,/' "duplicate id 'penalty_cases'" 3
lexcase unknown_unit 's/^\(penalty_cases,[^,]*,count,[^,]*,\)件|/\1斤|/' "unknown measure word '斤'" 2
lexcase unknown_kind 's/^\(penalty_cases,[^,]*,\)count,/\1amount,/' "unknown kind 'amount'" 2
lexcase quote 's/^\(penalty_cases,[^,]*,count,[^,]*,[^,]*,\)/\1"/' "unterminated quote"
lexcase missing_column '1s/,kind,/,type,/' "missing column 'kind'" 1

# ---- gazetteer -------------------------------------------------------------------------
{
    head -1 "$GAZ"
    grep -E '^(44|4418|441882|441882102),' "$GAZ"
} >"$T/gz.csv"
# gazcase NAME ROW PROBLEM: gz.csv plus one bad row is refused.
gazcase() {
    { cat "$T/gz.csv"; printf '%s\n' "$2"; } >"$T/gz_$1.csv"
    ERR=$T/gz_$1.err
    "$FZSTAT" extract -q --gazetteer "gz_$1.csv" "$SEED" -o "$T/gz_$1.out" 2>"$ERR"
    rc=$?
    expect_rc "gazetteer $1" 3
    expect_line "gazetteer $1" "gz_$1.csv" "$3"
}
gazcase bad_code '44188x,坏码,county,4418' "malformed row"
gazcase duplicate '441882,重复,county,4418' "duplicate code 441882"
gazcase quote '441883,"引号,county,4418' "malformed row"
gazcase columns '4418821,短,township' "malformed row"
gazcase parent '441883,新县,county,9999' "bad parent '9999'"
ERR=$T/gz_missing.err
"$FZSTAT" extract -q --gazetteer no_such_gazetteer.csv "$SEED" -o "$T/gz_missing.out" 2>"$ERR"
rc=$?
expect_rc "gazetteer missing" 3
expect_line "gazetteer missing" no_such_gazetteer.csv "No such file or directory"
# The small gazetteer itself works: the seed resolves to 大路边镇.
"$FZSTAT" extract -q --gazetteer gz.csv "$SEED" -o "$T/gz_ok.csv" 2>"$T/gz_ok.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q ',441882102,大路边镇,' "$T/gz_ok.csv"; then
    ok "gazetteer: a four-row gazetteer resolves the seed"
else
    bad "gazetteer: four-row gazetteer, exit $rc"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
