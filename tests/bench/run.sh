#!/usr/bin/env bash
# Benchmark: generates sample corpora of the given sizes, runs 'fzstat extract'
# and 'fzstat report' on each with -j1 and -jN, and prints a table with the
# median wall time of the runs, CPU time, throughput, peak RSS, figures found
# and a checksum of the outputs (so a faster run that finds different figures
# shows). The -j1 and -jN checksums of each job must agree: the script says so.
# Not part of the test suite; run it on an idle machine.
#
#   tests/bench/run.sh [-b BUILD_DIR] [-k CACHE_DIR] [-r RUNS] [SIZE...]
#     default sizes: 100 10000 (the issue's set is 100 10000 100000)
#     -k: keep generated corpora in CACHE_DIR and reuse them (fzgen output is
#         deterministic, so a cached corpus is the same corpus)
#     -r: runs per measurement (default 3; the median is printed)
# Corpora up to 10,000 reports are also converted to GB18030 and measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build
cache=
runs=3
while [ $# -gt 0 ]; do
  case $1 in
    -b) build=$2; shift 2 ;;
    -k) cache=$2; shift 2 ;;
    -r) runs=$2; shift 2 ;;
    *) break ;;
  esac
done
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 10000)
fz=$build/fzstat
gen=$build/fzgen
[ -x "$fz" ] && [ -x "$gen" ] || { echo "build first: cmake --build $build" >&2; exit 2; }
ncpu=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
store=${cache:-$tmp}
mkdir -p "$store"

# median of $runs runs of a command; prints "seconds peak_rss_kib cpu_seconds"
# (cpu = user + system: steadier than wall time on a busy machine)
measure() {
  local out=() i
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || {
      rc=$?; [ $rc -le 1 ] || { cat "$tmp/err" >&2; exit 1; }; }
    out+=("$(tail -n 1 "$tmp/time")") # after "Command exited with non-zero status"
  done
  printf '%s\n' "${out[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}

# the -jN checksum must equal the -j1 one: outputs do not depend on threads
mismatch=0
same() {
  if [ -n "$1" ] && [ "$1" != "$2" ]; then
    echo "!! -j$ncpu output differs from -j1 ($2 vs $1)" >&2
    mismatch=1
  fi
}

empty=$tmp/empty.txt
printf '' >"$empty"
printf 'startup (lexicon + gazetteer load, empty input): '
measure "$fz" extract -q -j1 -o "$tmp/e.csv" "$empty" | awk '{printf "%.3f s (cpu %.2f s), %.1f MiB\n", $1, $3, $2/1024}'

printf '\n%-6s %-6s %-16s %-3s %8s %8s %8s %8s %8s %-12s\n' docs MB job j seconds cpu_s MB/s 'RSS MiB' figures checksum
for n in "${sizes[@]}"; do
  corpus=$store/corpus$n
  if [ ! -f "$store/done$n" ]; then
    rm -rf "$corpus" "$store/truth$n" "$store/gb$n"
    "$gen" --count "$n" --out "$corpus" --truth "$store/truth$n" --gazetteer datasets/gazetteer.csv >/dev/null 2>&1
    : >"$store/done$n"
  fi
  bytes=$(du -sb "$corpus" | cut -f1)
  mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')
  encs=(utf8)
  [ "$n" -gt 10000 ] || encs+=(gb18030)
  for enc in "${encs[@]}"; do
    src=$corpus
    if [ $enc = gb18030 ]; then
      src=$store/gb$n
      if [ ! -f "$store/gbdone$n" ]; then
        mkdir -p "$src"
        for f in "$corpus"/*; do iconv -f UTF-8 -t GB18030 "$f" >"$src/$(basename "$f")" 2>/dev/null || cp "$f" "$src/"; done
        : >"$store/gbdone$n"
      fi
    fi
    first=
    for j in 1 "$ncpu"; do
      r=$(measure "$fz" extract -q -j"$j" -o "$tmp/obs.csv" "$src")
      figs=$(($(wc -l <"$tmp/obs.csv") - 1))
      # the checksum leaves out the file column (the two encodings live in two directories)
      sum=$(cut -d, -f1,3- "$tmp/obs.csv" | sha256sum | cut -c1-12)
      same "$first" "$sum"
      first=$sum
      set -- $r
      printf '%-6s %-6s %-16s %-3s %8.3f %8.2f %8.1f %8.1f %8s %-12s\n' "$n" "$mb" "extract/$enc" "$j" "$1" "$3" \
        "$(awk -v b="$bytes" -v s="$1" 'BEGIN{print (s>0? b/1048576/s : 0)}')" "$(awk -v k="$2" 'BEGIN{print k/1024}')" "$figs" "$sum"
    done
  done
  first=
  for j in 1 "$ncpu"; do
    r=$(SOURCE_DATE_EPOCH=0 measure "$fz" report -q -j"$j" -o "$tmp/rep" "$corpus")
    sum=$(cat "$tmp/rep/report.pdf" "$tmp/rep/long.csv" 2>/dev/null | sha256sum | cut -c1-12)
    figs=$(($(wc -l <"$tmp/rep/observations.csv" 2>/dev/null || echo 1) - 1))
    same "$first" "$sum"
    first=$sum
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

if [ $mismatch -eq 0 ]; then
  echo "checksums: -j1 and -j$ncpu outputs are byte-identical for every job"
else
  echo "checksums: -j1 and -j$ncpu outputs DIFFER (see above)"
  exit 1
fi
