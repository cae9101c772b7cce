#!/usr/bin/env bash
# report_sample.sh: 'fzstat report' end to end. On the bundled sample (no
# PATH): every table and report.pdf land in output/, the PDF has its pages,
# bookmarks (named destinations), embedded fonts and searchable Chinese
# region names, and two runs (different thread counts) give identical bytes.
# On the five seeds: SOURCE_DATE_EPOCH sets the PDF dates, --title the
# title; a write that fails midway or an output under a plain file leaves
# the previous report in place.
set -u
fz=${FZSTAT:?}
shared=${FZ_SHARED:?}
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { fail=$((fail+1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$tmp" || exit 1
"$fz" report -q -j 4 >out 2>err; st=$?
if [ $st -le 1 ]; then ok; else no "report on the sample: exit $st"; sed 's/^/  /' err | head; fi
for f in report.pdf observations.csv documents.csv long.csv wide.csv summary.csv trends.csv \
         correlations.csv composite.csv rollups.csv conflicts.csv coverage.csv; do
  [ -s "output/$f" ] && ok || no "output/$f missing"
done
pages=$(pdfinfo output/report.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "${pages:-0}" -ge 20 ] && ok || no "report has ${pages:-no} pages"
pdfinfo output/report.pdf | grep -q '^Page size: *595.28 x 841.89' && ok || no "pages are not A4"
pdfinfo output/report.pdf | grep -q '^Creator: *fzstat' && ok || no "creator metadata"
pdfinfo output/report.pdf | grep -q '^CreationDate:.*2024' && ok || no "default creation date is not fixed at 2024-01-01"
# every font embedded (the emb column is yes on every row)
pdffonts output/report.pdf >fonts
[ "$(tail -n +3 fonts | wc -l)" -ge 1 ] && ok || no "no fonts listed"
tail -n +3 fonts | awk '{ if ($(NF-4) != "yes") bad=1 } END { exit bad }' && ok || no "a font is not embedded"
grep -q 'CJK' fonts && ok || no "no CJK font in the PDF"
# the CJK faces are subset: with cairo 1.16 some glyph orders (an L before
# an F) make the CFF subsetter embed every subroutine of the regular face,
# about 0.9 MB more (the sample's PDF: 1.1 MB subset, 2.0 MB not)
size=$(stat -c %s output/report.pdf)
[ "$size" -lt 1500000 ] && ok || no "report.pdf is $size bytes: a font not subset?"
# named destinations for the contents links and bookmarks
dests=$(pdfinfo -dests output/report.pdf | grep -c 'sec[0-9]')
[ "$dests" -ge 30 ] && ok || no "only $dests named destinations"
# searchable: region names from the long table are in the text
pdftotext output/report.pdf text.txt
region=$(awk -F, 'NR==2 {print $2}' output/long.csv)
[ -n "$region" ] && grep -q "$region" text.txt && ok || no "region '$region' not found in the PDF text"
for w in 目录 概览 分指标结果 覆盖矩阵 数据质量 方法说明 示例数据 "synthetic sample" 行政处罚案件; do
  grep -q "$w" text.txt && ok || no "'$w' not in the PDF text"
done
# deterministic: another run, one thread, another directory
"$fz" report -q -j 1 -o again >/dev/null 2>&1
cmp -s output/report.pdf again/report.pdf && ok || no "two runs give different PDFs"
cmp -s output/long.csv again/long.csv && ok || no "two runs give different long.csv"

# seeds: metadata, title, failure handling
mkdir seeds && cp "$shared"/seeds/*.txt seeds/
SOURCE_DATE_EPOCH=1600000000 "$fz" report -q seeds -o s --title '种子报告' >/dev/null 2>err; st=$?
[ $st -le 1 ] && ok || { no "report on the seeds: exit $st"; head err; }
pdfinfo s/report.pdf | grep -q '^CreationDate:.*2020' && ok || no "SOURCE_DATE_EPOCH not used"
pdfinfo s/report.pdf | grep -q '^Title: *种子报告' && ok || no "--title not in the metadata"
pdftotext s/report.pdf - | grep -q '示例数据' && no "seeds report marked as the synthetic sample" || ok
cp s/report.pdf before.pdf
FZSTAT_TEST_FAIL_AFTER=20000 "$fz" report -q seeds -o s >/dev/null 2>err; st=$?
[ $st -eq 3 ] && ok || no "failing write: exit $st, want 3"
cmp -s before.pdf s/report.pdf && ok || no "a failed write damaged the previous report"
ls -a s | grep -q '^\.report\.pdf\.' && no "temporary file left behind" || ok
: >plain
"$fz" report -q seeds -o plain/out >/dev/null 2>err; st=$?
[ $st -eq 3 ] && ok || no "output under a plain file: exit $st, want 3"
"$fz" report --top 0 >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "--top 0 is not a usage error"
"$fz" report --base-year 12 >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "--base-year 12 is not a usage error"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
