#!/usr/bin/env bash
# run.sh [SECONDS] [TARGET...]: build the libFuzzer targets with clang in
# build-fuzz (CC=clang, -DFZ_FUZZ=ON) and run every target (or the ones named)
# for SECONDS each (default 60), one after another, starting from the seed
# corpus in tests/fuzz/corpus/<target>/. New inputs go to
# build-fuzz/fuzz-corpus/<target>/ (the committed corpus is never written);
# crash, leak and timeout inputs go to build-fuzz/fuzz-artifacts/<target>/.
# tests/fuzz/<target>.dict, when present, is passed as the libFuzzer dictionary.
# Prints one summary line per target (executions, coverage, features).
# Exits 1 if any target crashed, leaked, timed out or failed to start,
# 2 if the build failed.
#
# Environment: FZ_BUILD_FUZZ (build directory, default <source>/build-fuzz),
# FZ_FUZZ_JOBS (make -j, default 2), FZ_FUZZ_NICE (default 10),
# FZ_FUZZ_RSS_MB (libFuzzer -rss_limit_mb, default 2048).
set -u
secs=${1:-60}
shift || true
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FZ_BUILD_FUZZ:-$src/build-fuzz}
jobs=${FZ_FUZZ_JOBS:-2}
nicev=${FZ_FUZZ_NICE:-10}
rss=${FZ_FUZZ_RSS_MB:-2048}

case $secs in
    ''|*[!0-9]*) echo "usage: run.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

if ! command -v clang >/dev/null; then
    echo "run.sh: clang not found" >&2
    exit 2
fi
mkdir -p "$build"
if ! CC=clang flock "$build/.fuzz-build.lock" cmake -S "$src" -B "$build" -DFZ_FUZZ=ON \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.configure.log" 2>&1; then
    cat "$build.configure.log" >&2
    echo "run.sh: configure failed" >&2
    exit 2
fi
rm -f "$build.configure.log"

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for f in "$src"/tests/fuzz/fuzz_*.c; do
        t=$(basename "$f" .c)
        t=${t#fuzz_}
        [ "$t" = util ] && continue
        targets+=("$t")
    done
fi

names=()
for t in "${targets[@]}"; do names+=("fuzz_$t"); done
# flock: two run.sh at once (different targets) must not build together.
if ! flock "$build/.fuzz-build.lock" nice -n "$nicev" cmake --build "$build" -j"$jobs" \
        --target "${names[@]}" >"$build/fuzz-build.log" 2>&1; then
    tail -40 "$build/fuzz-build.log" >&2
    echo "run.sh: build failed (log: $build/fuzz-build.log)" >&2
    exit 2
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/fuzz_$t
    seed=$src/tests/fuzz/corpus/$t
    work=$build/fuzz-corpus/$t
    art=$build/fuzz-artifacts/$t
    log=$build/fuzz-logs/$t.log
    mkdir -p "$work" "$art" "$(dirname "$log")"
    if [ ! -x "$bin" ] || [ ! -d "$seed" ]; then
        echo "run.sh: $t: missing binary or seed corpus" >&2
        status=1
        continue
    fi
    dict=()
    [ -f "$src/tests/fuzz/$t.dict" ] && dict=(-dict="$src/tests/fuzz/$t.dict")
    nice -n "$nicev" "$bin" -max_total_time="$secs" -rss_limit_mb="$rss" -timeout=25 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$art/" "${dict[@]}" \
        "$work" "$seed" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    crashes=$(find "$art" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | wc -l)
    echo "fuzz_$t: ${secs}s execs=${execs:-?} cov=${cov:-?} ft=${ft:-?} rc=$rc artifacts=$crashes"
    if [ "$rc" -ne 0 ]; then
        grep -m3 -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" >&2
        echo "run.sh: fuzz_$t failed (log: $log)" >&2
        status=1
    fi
done
exit $status
