#!/usr/bin/env bash
# Accuracy on the labelled sample corpus: extracts datasets/sample and compares
# with datasets/sample_truth (figures: indicator, value, qualifier, primary;
# documents: region code, level, report year). Prints precision and recall and
# fails below the floors. The sample is generated independently of the
# extraction rules, so this measures more than the seeds do.
set -u
fz=${FZSTAT:?}
src=${FZ_SOURCE:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$fz" extract -q -j2 -o "$tmp/obs.csv" --docs "$tmp/docs.csv" "$src/datasets/sample" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: extract exit $rc"; cat "$tmp/err"; exit 1; }

# RFC 4180 CSV to tab-separated fields (quotes removed, CR dropped), so the
# comparisons below can use awk -F'\t' even when a title contains commas.
csv2tsv() {
  awk '{ sub(/\r$/, ""); line = $0
         while (gsub(/"/, "\"", line) % 2 == 1 && (getline nxt) > 0) { sub(/\r$/, "", nxt); line = line " " nxt }
         out = ""; q = 0
         for (i = 1; i <= length(line); i++) { c = substr(line, i, 1)
           if (c == "\"") { if (q && substr(line, i + 1, 1) == "\"") { out = out c; i++ } else q = !q }
           else if (c == "," && !q) out = out "\t"
           else out = out c }
         print out }' "$1"
}
for f in obs docs; do csv2tsv "$tmp/$f.csv" >"$tmp/$f.tsv"; done
awk -F'\t' 'NR>1 { n=split($2,p,"/"); printf "%s|%s|%g|%s\n", p[n], $12, $13, $16 }' "$tmp/obs.tsv" | sort >"$tmp/got"
awk -F, 'NR>1 { printf "%s|%s|%g|%s\n", $1, $2, $3, $5 }' "$src/datasets/sample_truth/mentions.csv" | sort >"$tmp/want"
awk -F'\t' 'NR>1 && $17==1 { n=split($2,p,"/"); printf "%s|%s|%g\n", p[n], $12, $13 }' "$tmp/obs.tsv" | sort >"$tmp/gotp"
awk -F, 'NR>1 && $6==1 { printf "%s|%s|%g\n", $1, $2, $3 }' "$src/datasets/sample_truth/mentions.csv" | sort >"$tmp/wantp"
awk -F'\t' 'NR>1 { n=split($2,p,"/"); printf "%s|%s|%s|%s\n", p[n], $11, $17, $23 }' "$tmp/docs.tsv" | sort >"$tmp/gotd"
awk -F, 'NR>1 { printf "%s|%s|%s|%s\n", $1, $7, $8, $9 }' "$src/datasets/sample_truth/docs.csv" | sort >"$tmp/wantd"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b ? a/b : 1 }'; }
tp=$(comm -12 "$tmp/got" "$tmp/want" | wc -l)
ng=$(wc -l <"$tmp/got"); nw=$(wc -l <"$tmp/want")
tpp=$(comm -12 "$tmp/gotp" "$tmp/wantp" | wc -l)
np=$(wc -l <"$tmp/wantp")
tpd=$(comm -12 "$tmp/gotd" "$tmp/wantd" | wc -l)
nd=$(wc -l <"$tmp/wantd")
prec=$(ratio "$tp" "$ng"); rec=$(ratio "$tp" "$nw"); prim=$(ratio "$tpp" "$np"); docs=$(ratio "$tpd" "$nd")
echo "figures: $tp of $nw found, $ng extracted: precision $prec, recall $rec"
echo "primary figures: $tpp of $np"
echo "documents with the right region code, level and year: $tpd of $nd"
echo "-- first differences (< missed, > extra):"
diff "$tmp/want" "$tmp/got" | grep '^[<>]' | head -15
diff "$tmp/wantd" "$tmp/gotd" | grep '^[<>]' | head -6

fail=0 pass=0
floor() { if awk -v v="$2" -v f="$3" 'BEGIN { exit !(v >= f) }'; then pass=$((pass+1)); else
  fail=$((fail+1)); echo "FAIL: $1 $2 < $3"; fi; }
floor precision "$prec" 0.97
floor recall "$rec" 0.95
floor primary "$prim" 0.90
floor documents "$docs" 0.95
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
