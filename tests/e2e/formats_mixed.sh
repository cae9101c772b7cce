#!/usr/bin/env bash
# A folder that mixes .txt, .html, .pdf and .docx (and an old .doc): the
# figures of a seed are the same whatever format it arrives in, PDF rows say
# their page, and the .doc is one skipped line (exit 1) while the rest is read.
# The PDF and DOCX are the ones test_formats typesets from the seeds.
set -u
fz=${FZSTAT:?}
shared=${FZ_SHARED:?}
fx=${FZ_BUILD:?}/tests/fixtures/formats
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; fi; }
for f in 000_typeset.pdf 003_seed.docx; do
  [ -s "$fx/$f" ] || { echo "FAIL: fixture $fx/$f missing (test_formats makes it)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
d=$tmp/in
mkdir -p "$d"
cp "$shared/seeds/000_18829aa4f02e89c0.txt" "$d/a.txt"
cp "$fx/000_typeset.pdf" "$d/b.pdf"
cp "$shared/seeds/003_2ae3d34c1a1508fa.txt" "$d/c.txt"
cp "$fx/003_seed.docx" "$d/d.docx"
{ printf '<html><head><title>报告</title></head><body>\n'
  sed 's|.*|<p>&</p>|' "$shared/seeds/003_2ae3d34c1a1508fa.txt"
  printf '</body></html>\n'; } >"$d/e.html"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old word file' >"$d/f.doc"

"$fz" extract -q -j2 -o "$tmp/obs.csv" "$d" 2>"$tmp/err"
rc=$?
ok "exit 1: the .doc is skipped" "[ $rc -eq 1 ]"
ok "one line names the .doc and says how to convert it" \
   "[ \$(grep -c 'f.doc' '$tmp/err') -eq 1 ] && grep -q 'libreoffice' '$tmp/err'"
figs() { awk -F, -v f="$1" 'NR>1 { n=split($2,p,"/"); if (p[n]==f) print $12, $13, $16, $17 }' "$tmp/obs.csv" | sort; }
ok "the text seed has figures" "[ \$(figs a.txt | wc -l) -ge 10 ]"
ok "PDF gives the same figures as the text" "[ \"\$(figs a.txt)\" = \"\$(figs b.pdf)\" ]"
ok "DOCX gives the figures of its seed" "[ -n \"\$(figs d.docx)\" ] && [ \"\$(figs c.txt)\" = \"\$(figs d.docx)\" ]"
ok "HTML gives the figures of its seed" "[ -n \"\$(figs e.html)\" ] && [ \"\$(figs c.txt)\" = \"\$(figs e.html)\" ]"
ok "every PDF row has a page" \
   "awk -F, 'NR>1 && \$2 ~ /b.pdf\$/ && \$18 == \"\" { bad=1 } END { exit bad }' '$tmp/obs.csv'"
ok "text rows have no page" \
   "awk -F, 'NR>1 && \$2 ~ /a.txt\$/ && \$18 != \"\" { bad=1 } END { exit bad }' '$tmp/obs.csv'"

# poppler, tesseract, libzip and libxml2 are opened on the first PDF, scan
# or .docx, not at startup
# (LD_DEBUG=libs lists every library the loader maps)
mkdir -p "$tmp/plain"
cp "$d/a.txt" "$d/e.html" "$tmp/plain/"
LD_DEBUG=libs "$fz" extract -q -j1 -o "$tmp/plain.csv" "$tmp/plain" 2>"$tmp/ld_plain"
rc=$?
ok "text and HTML alone: exit 0" "[ $rc -eq 0 ]"
ok "the loader reports its work (LD_DEBUG honoured)" "grep -q 'calling init' '$tmp/ld_plain'"
ok "text and HTML load neither poppler nor tesseract" \
   "! grep -qE 'libpoppler|libtesseract|liblept' '$tmp/ld_plain'"
ok "text and HTML load neither libzip nor libxml2" \
   "! grep -qE 'libzip|libxml2' '$tmp/ld_plain'"
ok "their figures are those of the mixed run" \
   "[ \"\$(figs a.txt)\" = \"\$(awk -F, 'NR>1 { n=split(\$2,p,\"/\"); if (p[n]==\"a.txt\") print \$12, \$13, \$16, \$17 }' '$tmp/plain.csv' | sort)\" ]"
LD_DEBUG=libs "$fz" extract -q -j1 -o "$tmp/pdf.csv" "$d/b.pdf" 2>"$tmp/ld_pdf"
rc=$?
ok "a PDF alone: exit 0" "[ $rc -eq 0 ]"
ok "a PDF loads poppler-glib" "grep -q 'libpoppler-glib' '$tmp/ld_pdf'"
ok "a PDF with a text layer does not load tesseract" "! grep -q 'libtesseract' '$tmp/ld_pdf'"
LD_DEBUG=libs "$fz" extract -q -j1 -o "$tmp/docx.csv" "$d/d.docx" 2>"$tmp/ld_docx"
rc=$?
ok "a DOCX alone: exit 0, its figures" \
   "[ $rc -eq 0 ] && [ \$(awk 'END { print NR }' '$tmp/docx.csv') -gt 1 ]"
ok "a DOCX loads libzip and libxml2, not poppler" \
   "grep -q 'libzip' '$tmp/ld_docx' && grep -q 'libxml2' '$tmp/ld_docx' && ! grep -q 'libpoppler' '$tmp/ld_docx'"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
