#!/usr/bin/env bash
# End-to-end benchmark of `talentflow schemes pool` on synthetic datasets.
#
#   bench/schemes_pool_bench.sh [BUILD_DIR] [USERS...]
#
# For each size (default 1000000): generates the dataset once with
# `talentflow synth --seed 1` under $BENCH_DIR (default /tmp/talentflow_bench),
# then times `schemes pool` (all classes, all schemes, 2 threads) with
# /usr/bin/time -v (wall, user CPU, peak RSS) and --timings (phase wall times
# and the pool workers' CPU). A second run on 1990-01-01, before any scheme
# existed, does the same classification and input building with constant
# verdicts: the difference of the two pool CPU figures is the evaluation
# proper. A third run with --threads 1 must give byte-identical outputs.
# Note the machine load printed: other processes skew wall times.
set -euo pipefail
BUILD_DIR=${1:-build}
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000000)
BIN="$BUILD_DIR/src/cli/talentflow"
BENCH_DIR=${BENCH_DIR:-/tmp/talentflow_bench}
mkdir -p "$BENCH_DIR"
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load: $(load)"
pool() {  # pool DATA OUT [extra options...]
  local data=$1 out=$2
  shift 2
  rm -rf "$out"
  "$BIN" schemes pool "$data" --place "Hong Kong" --before 2019-12 --after 2023-06 --class all \
      --out "$out" "$@" >/dev/null
}
pool_cpu() { sed -n 's/.*pool [0-9.]* s (\([0-9.]*\) CPU-s.*/\1/p' "$1"; }
for users in "${SIZES[@]}"; do
  data="$BENCH_DIR/synth_$users"
  if [ ! -f "$data/truth.json" ]; then
    "$BIN" synth --users "$users" --seed 1 --out "$data" >/dev/null
  fi
  out="$BENCH_DIR/pool_$users"
  times="$BENCH_DIR/pool_time_$users.txt"
  /usr/bin/time -v "$BIN" schemes pool "$data" --place "Hong Kong" --before 2019-12 \
      --after 2023-06 --class all --threads 2 --out "$out" --timings 2> "$times" >/dev/null
  wall=$(grep "Elapsed (wall clock)" "$times" | awk '{print $NF}')
  user=$(grep "User time" "$times" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$times" | awk '{print $NF}')
  phases=$(grep "^timings:" "$times" | sed 's/^timings: //')
  pool "$data" "$BENCH_DIR/pool_none_$users" --threads 2 --timings --date 1990-01-01 \
      2> "$BENCH_DIR/pool_none_time_$users.txt"
  persons=$(sed -n 's/.* \([0-9]*\) persons evaluated.*/\1/p' "$times")
  eval_us=$(awk -v all="$(pool_cpu "$times")" -v none="$(pool_cpu "$BENCH_DIR/pool_none_time_$users.txt")" \
      -v n="$persons" 'BEGIN { printf "%.2f", (all - none) * 1e6 / n }')
  pool "$data" "$BENCH_DIR/pool_1thread_$users" --threads 1
  same=$(diff -r "$out" "$BENCH_DIR/pool_1thread_$users" >/dev/null && echo yes || echo NO)
  echo "users=$users wall=$wall user_cpu_s=$user peak_rss_kb=$rss phases=[$phases]"
  echo "  evaluation only: $eval_us us CPU per person ($persons persons); --threads 1 identical: $same; load after: $(load)"
done
