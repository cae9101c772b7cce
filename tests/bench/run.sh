#!/usr/bin/env bash
# Benchmark: generates sample corpora of the given sizes, runs 'fzstat extract'
# and 'fzstat report' on each with -j1 and -jN, and prints a table with the
# median wall time of three runs, throughput, peak RSS, figures found and a
# checksum of the outputs (so a faster run that finds different figures shows).
# Not part of the test suite.
#
#   tests/bench/run.sh [-b BUILD_DIR] [SIZE...]      (default sizes: 100 10000)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build
if [ "${1:-}" = -b ]; then build=$2; shift 2; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 10000)
fz=$build/fzstat
gen=$build/fzgen
[ -x "$fz" ] && [ -x "$gen" ] || { echo "build first: cmake --build $build" >&2; exit 2; }
ncpu=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median of three runs of a command; prints "seconds peak_rss_kib cpu_seconds"
# (cpu = user + system: steadier than wall time on a busy machine)
measure() {
  local out=() i
  for i in 1 2 3; do
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || {
      rc=$?; [ $rc -le 1 ] || { cat "$tmp/err" >&2; exit 1; }; }
    out+=("$(tail -n 1 "$tmp/time")") # after "Command exited with non-zero status"
  done
  printf '%s\n' "${out[@]}" | sort -n | sed -n 2p | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}

empty=$tmp/empty.txt
printf '' >"$empty"
printf 'startup (lexicon + gazetteer load, empty input): '
measure "$fz" extract -q -j1 -o "$tmp/e.csv" "$empty" | awk '{printf "%.3f s (cpu %.2f s), %.1f MiB\n", $1, $3, $2/1024}'

printf '\n%-6s %-6s %-16s %-3s %8s %8s %8s %8s %8s %-12s\n' docs MB job j seconds cpu_s MB/s 'RSS MiB' figures checksum
for n in "${sizes[@]}"; do
  corpus=$tmp/corpus$n
  "$gen" --count "$n" --out "$corpus" --truth "$tmp/truth$n" --gazetteer datasets/gazetteer.csv >/dev/null 2>&1
  bytes=$(du -sb "$corpus" | cut -f1)
  mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')
  for enc in utf8 gb18030; do
    src=$corpus
    if [ $enc = gb18030 ]; then
      src=$tmp/gb$n
      mkdir -p "$src"
      for f in "$corpus"/*; do iconv -f UTF-8 -t GB18030 "$f" >"$src/$(basename "$f")" 2>/dev/null || cp "$f" "$src/"; done
    fi
    for j in 1 "$ncpu"; do
      r=$(measure "$fz" extract -q -j"$j" -o "$tmp/obs.csv" "$src")
      figs=$(($(wc -l <"$tmp/obs.csv") - 1))
      # the checksum leaves out the file column (the two encodings live in two directories)
      sum=$(cut -d, -f1,3- "$tmp/obs.csv" | sha256sum | cut -c1-12)
      set -- $r
      printf '%-6s %-6s %-16s %-3s %8.3f %8.2f %8.1f %8.1f %8s %-12s\n' "$n" "$mb" "extract/$enc" "$j" "$1" "$3" \
        "$(awk -v b="$bytes" -v s="$1" 'BEGIN{print (s>0? b/1048576/s : 0)}')" "$(awk -v k="$2" 'BEGIN{print k/1024}')" "$figs" "$sum"
    done
  done
  for j in 1 "$ncpu"; do
    r=$(SOURCE_DATE_EPOCH=0 measure "$fz" report -q -j"$j" -o "$tmp/rep" "$corpus")
    sum=$(cat "$tmp/rep/report.pdf" "$tmp/rep/long.csv" 2>/dev/null | sha256sum | cut -c1-12)
    figs=$(($(wc -l <"$tmp/rep/observations.csv" 2>/dev/null || echo 1) - 1))
    set -- $r
    printf '%-6s %-6s %-16s %-3s %8.3f %8.2f %8.1f %8.1f %8s %-12s\n' "$n" "$mb" report "$j" "$1" "$3" \
      "$(awk -v b="$bytes" -v s="$1" 'BEGIN{print (s>0? b/1048576/s : 0)}')" "$(awk -v k="$2" 'BEGIN{print k/1024}')" "$figs" "$sum"
  done
done

# PDF (text layer), scanned PDF (OCR) and DOCX pages per second, on the
# fixtures test_formats typesets from the seeds.
cmake --build "$build" --target bench_formats test_formats >/dev/null
fx=$tmp/fixtures
mkdir -p "$fx"
root=$(pwd)
(cd "$fx" && FZ_SHARED="$root/../shared" FZ_SOURCE="$root" "$root/$build/tests/test_formats" >/dev/null 2>&1 || true)
echo
"$build/bench_formats" -n 3 "$fx"/fixtures/formats/000_typeset.pdf "$fx"/fixtures/formats/002_typeset.pdf \
  "$fx"/fixtures/formats/003_seed.docx "$fx"/fixtures/formats/003_scanned.pdf
