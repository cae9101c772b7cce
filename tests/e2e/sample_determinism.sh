#!/bin/bash
# sample_determinism.sh: the committed sample corpus is exactly what fzgen makes.
#
# Regenerates datasets/sample and datasets/sample_truth with the built
# generator ($FZ_BUILD/fzgen) into a temporary directory and compares them
# byte for byte with the committed files; then checks that every report says
# in its first line that it is synthetic and that docs.csv lists every file.
# If the build tree has no fzgen yet, it is compiled here from datasets/gen.
set -euo pipefail

src=${FZ_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen=${FZ_BUILD:-}/fzgen
if [ -z "${FZ_BUILD:-}" ] || [ ! -x "$gen" ]; then
    echo "sample_determinism: no fzgen in the build tree, compiling it from datasets/gen" >&2
    gen=$tmp/fzgen
    ${CC:-cc} -std=c17 -O2 -D_GNU_SOURCE -I"$src/src/core" \
        -DFZ_SOURCE_DATA_DIR="\"$src/datasets\"" -DFZ_INSTALL_DATA_DIR="\"/usr/share/fzstat\"" \
        -DFZ_VERSION="\"0\"" "$src"/datasets/gen/*.c "$src"/src/core/*.c \
        $(pkg-config --cflags --libs icu-uc icu-i18n) -lm -lpthread -o "$gen"
fi

# the options the committed sample was made with (datasets/gen/README.md)
"$gen" --count 300 --seed 2024 --gazetteer "$src/datasets/gazetteer.csv" \
    --out "$tmp/sample" --truth "$tmp/sample_truth" 2>"$tmp/log" || {
    cat "$tmp/log" >&2
    echo "FAIL: fzgen exited with an error" >&2
    exit 1
}

fail=0
if ! diff -r -q "$src/datasets/sample" "$tmp/sample"; then
    echo "FAIL: datasets/sample differs from a fresh fzgen run" >&2
    fail=1
fi
if ! diff -r -q "$src/datasets/sample_truth" "$tmp/sample_truth"; then
    echo "FAIL: datasets/sample_truth differs from a fresh fzgen run" >&2
    fail=1
fi

# a second run into another directory gives the same bytes (no clock, no rand)
"$gen" --count 40 --seed 7 --gazetteer "$src/datasets/gazetteer.csv" \
    --out "$tmp/a" --truth "$tmp/a" 2>/dev/null
"$gen" --count 40 --seed 7 --gazetteer "$src/datasets/gazetteer.csv" \
    --out "$tmp/b" --truth "$tmp/b" 2>/dev/null
if ! diff -r -q "$tmp/a" "$tmp/b"; then
    echo "FAIL: two runs with the same seed differ" >&2
    fail=1
fi
"$gen" --count 40 --seed 8 --gazetteer "$src/datasets/gazetteer.csv" \
    --out "$tmp/c" --truth "$tmp/c" 2>/dev/null
if cmp -s "$tmp/a/mentions.csv" "$tmp/c/mentions.csv"; then
    echo "FAIL: a different seed gives the same figures" >&2
    fail=1
fi

# the command line: help on stdout with 0, misuse is exit 2
"$gen" --help | grep -q -- '--gazetteer' || { echo "FAIL: --help lacks --gazetteer" >&2; fail=1; }
for bad in "--count 0" "--count x" "--count 1000001" "--seed -1" "--bogus" "--out"; do
    rc=0
    # shellcheck disable=SC2086
    "$gen" $bad >/dev/null 2>&1 || rc=$?
    if [ "$rc" != 2 ]; then
        echo "FAIL: fzgen $bad exited $rc, not 2" >&2
        fail=1
    fi
done

# every report says it is synthetic in its first line, whatever its encoding
n=0
for f in "$src"/datasets/sample/*; do
    n=$((n + 1))
    ok=0
    for enc in UTF-8 GB18030 BIG5; do
        line=$(head -n 1 "$f" | iconv -f "$enc" -t UTF-8 2>/dev/null) || true
        if [[ $line == *【示例数据】* || $line == *【示例數據】* ]]; then
            ok=1
            break
        fi
    done
    if [ $ok = 0 ]; then
        echo "FAIL: $(basename "$f"): first line does not say it is sample data" >&2
        fail=1
    fi
    if ! grep -q "^$(basename "$f")," "$src/datasets/sample_truth/docs.csv"; then
        echo "FAIL: $(basename "$f") is not in docs.csv" >&2
        fail=1
    fi
done
rows=$(($(wc -l <"$src/datasets/sample_truth/docs.csv") - 1))
if [ "$n" != 300 ] || [ "$rows" != 300 ]; then
    echo "FAIL: expected 300 reports and 300 docs.csv rows, found $n and $rows" >&2
    fail=1
fi
[ $fail = 0 ] && echo "sample_determinism: $n reports reproduced byte for byte"
exit $fail
