#!/usr/bin/env bash
# End-to-end benchmark of `talentflow flows` on synthetic datasets.
#
#   bench/flows_bench.sh [BUILD_DIR] [USERS...]
#
# For each size (default 1000000 5000000): generates the dataset once with
# `talentflow synth --seed 1` under $BENCH_DIR (default /tmp/talentflow_bench),
# then times `talentflow flows` with /usr/bin/time -v (wall time, peak RSS),
# prints the engine's own phase timings (--timings: load = ingest, engine =
# classification + aggregation + publication, write), and checks that a rerun
# is byte-identical. Note the machine load: other processes skew wall times.
set -euo pipefail
BUILD_DIR=${1:-build}
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000000 5000000)
BIN="$BUILD_DIR/src/cli/talentflow"
BENCH_DIR=${BENCH_DIR:-/tmp/talentflow_bench}
mkdir -p "$BENCH_DIR"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for users in "${SIZES[@]}"; do
  data="$BENCH_DIR/synth_$users"
  if [ ! -f "$data/truth.json" ]; then
    "$BIN" synth --users "$users" --seed 1 --out "$data" >/dev/null
  fi
  out="$BENCH_DIR/flows_$users"
  rm -rf "$out"
  /usr/bin/time -v "$BIN" flows "$data" --place "Hong Kong" --before 2019-12 --after 2023-06 \
      --out "$out" --timings 2> "$BENCH_DIR/time_$users.txt" >/dev/null
  wall=$(grep "Elapsed (wall clock)" "$BENCH_DIR/time_$users.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$BENCH_DIR/time_$users.txt" | awk '{print $NF}')
  cpu=$(grep "Percent of CPU" "$BENCH_DIR/time_$users.txt" | awk '{print $NF}')
  phases=$(grep "^timings:" "$BENCH_DIR/time_$users.txt" | sed 's/^timings: //')
  first=$(sha256sum "$out/results.json" | cut -d' ' -f1)
  "$BIN" flows "$data" --place "Hong Kong" --before 2019-12 --after 2023-06 --out "$out" --quiet
  second=$(sha256sum "$out/results.json" | cut -d' ' -f1)
  same=$([ "$first" = "$second" ] && echo yes || echo NO)
  echo "users=$users wall=$wall peak_rss_kb=$rss cpu=$cpu phases=[$phases] rerun_identical=$same load_after=$(cut -d' ' -f1 /proc/loadavg)"
done
