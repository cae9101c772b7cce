#!/usr/bin/env bash
# report_plot.sh: 'fzstat plot' draws every chart kind from the tables that
# 'fzstat report' writes (long, composite, wide + correlations), to PNG, SVG
# and PDF; misuse is a usage error (2), an impossible chart a fatal one (3).
set -u
fz=${FZSTAT:?}
shared=${FZ_SHARED:?}
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { fail=$((fail+1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

mkdir seeds && cp "$shared"/seeds/*.txt seeds/
"$fz" report -q seeds -o t >/dev/null 2>err || { [ $? -le 1 ] || { no "report on the seeds"; cat err; }; }
ind=$(awk -F, 'NR==2 {print $7}' t/long.csv)
[ -n "$ind" ] && ok || no "no indicator in long.csv"
nyears=$(awk -F, -v i="$ind" '$7 == i {print $6}' t/long.csv | sort -u | wc -l)
for k in bar grouped lines heatmap dist slope; do
  "$fz" plot t/long.csv --chart "$k" --indicator "$ind" -o "c_$k.png" 2>err; st=$?
  if [ "$k" = slope ] && [ "$nyears" -lt 2 ]; then
    [ $st -eq 3 ] && grep -q 'two years' err && ok || no "slope on one year: exit $st"
    continue
  fi
  [ $st -eq 0 ] && ok || { no "plot $k: exit $st"; head -3 err; }
  head -c 4 "c_$k.png" | od -c | grep -q 'P   N   G' && ok || no "c_$k.png is not a PNG"
done
"$fz" plot t/long.csv --chart bar --indicator "$ind" -o c.svg && grep -q '<svg' c.svg && ok || no "svg output"
"$fz" plot t/long.csv --chart bar --indicator "$ind" -o c.pdf && pdfinfo c.pdf | grep -q 'Pages: *1' && ok || no "pdf output"
pdffonts c.pdf | grep -q CJK && ok || no "chart PDF lacks the CJK font"
"$fz" plot t/long.csv --chart bar --indicator "$ind" -o c2.pdf
cmp -s c.pdf c2.pdf && ok || no "two chart PDFs differ"
pdftotext c.pdf - | grep -q "来源" && ok || no "no source line under the chart"
"$fz" plot t/long.csv --chart bar --indicator "$ind" --value rank -o r.png && ok || no "--value rank"
# one region per indicator and year in the seeds: z-scores are all NA, nothing to draw
"$fz" plot t/long.csv --chart bar --indicator "$ind" --value zscore -o z.png 2>/dev/null
[ $? -eq 3 ] && [ ! -e z.png ] && ok || no "an all-NA value column drew a chart"

# errors
"$fz" plot t/long.csv --chart pie -o x.png 2>/dev/null; [ $? -eq 2 ] && ok || no "unknown kind is not a usage error"
"$fz" plot t/long.csv --chart bar 2>/dev/null; [ $? -eq 2 ] && ok || no "missing -o is not a usage error"
"$fz" plot t/long.csv --chart bar -o x.png 2>err; [ $? -eq 3 ] && grep -q -- '--indicator' err && ok || no "several indicators without --indicator"
"$fz" plot t/long.csv --chart bar --indicator no_such -o x.png 2>/dev/null; [ $? -eq 3 ] && ok || no "unknown indicator"
"$fz" plot t/long.csv --chart bar --indicator "$ind" -o x.gif 2>/dev/null; [ $? -eq 3 ] && ok || no ".gif output"
[ ! -e x.png ] && [ ! -e x.gif ] && ok || no "a failed plot left a file"
"$fz" plot t/wide.csv --chart scatter -o s.png 2>/dev/null; [ $? -eq 2 ] && ok || no "scatter without --x/--y"
"$fz" plot no_such.csv --chart bar -o x.png 2>/dev/null; [ $? -eq 3 ] && ok || no "missing table"

# no CJK font: a clear message, no output, for plot and report alike
cat >fonts.conf <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/nonexistent</dir><cachedir>fc-cache</cachedir></fontconfig>
XML
FONTCONFIG_FILE=$PWD/fonts.conf "$fz" plot t/long.csv --chart bar --indicator "$ind" -o nf.png 2>err
[ $? -eq 3 ] && grep -q 'no font covers Chinese' err && [ ! -e nf.png ] && ok || no "plot without a CJK font"
FONTCONFIG_FILE=$PWD/fonts.conf "$fz" report -q seeds -o nf 2>err
[ $? -eq 3 ] && grep -q 'no font covers Chinese' err && [ ! -e nf/report.pdf ] && ok || no "report without a CJK font"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
