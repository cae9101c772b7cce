#!/usr/bin/env bash
# Golden outputs: runs fzstat on the five seeds and on the bundled sample and
# writes the tables that tests/e2e/golden.sh compares byte for byte with
# tests/golden/expected/. Goldens change only by running this script with
# --update and reviewing the diff.
#   tests/golden/run.sh FZSTAT SHARED_DIR OUT_DIR      (used by the test)
#   tests/golden/run.sh --update [FZSTAT]              (rewrites expected/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ "${1:-}" = --update ]; then
  fz=$(realpath "${2:-$root/build/fzstat}")
  exec "$0" "$fz" "$root/../shared" "$here/expected"
fi
fz=$(realpath "$1"); shared=$(realpath "$2"); out=$3
mkdir -p "$out"
out=$(realpath "$out")
# relative input paths, so the file column does not depend on the checkout
(cd "$shared" && "$fz" extract -q -j2 -o "$out/seeds_observations.csv" --docs "$out/seeds_docs.csv" seeds)
(cd "$root/datasets" && "$fz" extract -q -j2 -o "$out/sample_observations.csv" sample)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$fz" stats -q "$out/sample_observations.csv" -o "$tmp"
cp "$tmp/wide.csv" "$out/sample_wide.csv"
cp "$tmp/summary.csv" "$out/sample_summary.csv"
rm "$out/sample_observations.csv" # large; the accuracy test covers it
