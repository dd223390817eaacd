#!/usr/bin/env bash
# Compares two talentflow builds' ingest in ABBA rounds (A, B, B, A), so that
# each build runs first and second equally often. On a shared or virtual
# machine the second of two back-to-back runs is often faster (by about 2.5%
# on the machine of docs/performance.md's seventh session), so pairs in a
# fixed order credit that to whichever build runs second.
#
#   bench/ingest_abba.sh A_BINARY B_BINARY [DATASET_DIR] [ROUNDS]
#
# DATASET_DIR defaults to `talentflow synth --users 1000000 --seed 1` (messy),
# made once with A and cached in $BENCH_DIR (default /tmp/talentflow-abba).
# ROUNDS defaults to 4 (8 runs per build). Runs are serial
# (TALENTFLOW_INGEST_TIMING=serial: each table finished before the next is
# parsed). Prints, per build, the positions table's CPU seconds end to end
# (parse and finish) and of its parse alone, and the whole load's CPU
# seconds: every end-to-end figure sorted, and the medians.
set -euo pipefail
a="${1:?usage: bench/ingest_abba.sh A_BINARY B_BINARY [DATASET_DIR] [ROUNDS]}"
b="${2:?usage: bench/ingest_abba.sh A_BINARY B_BINARY [DATASET_DIR] [ROUNDS]}"
work="${BENCH_DIR:-/tmp/talentflow-abba}"
data="${3:-$work/synth-1000000}"
rounds="${4:-4}"
for bin in "$a" "$b"; do [ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }; done
mkdir -p "$work"
if [ -z "${3:-}" ] && [ ! -f "$data/truth.json" ]; then
  "$a" synth --users 1000000 --seed 1 --out "$data" >/dev/null
fi
results="$work/results"
rm -f "$results.A" "$results.B"
run() {
  local bin=$1 tag=$2 log="$work/run.log"
  rm -rf "$work/out"
  TALENTFLOW_INGEST_TIMING=serial "$bin" validate "$data" --out "$work/out" --quiet 2>"$log"
  local pos parse total
  pos=$(sed -n 's/.*table=individual_positions .*table_cpu_s=\([0-9.]*\).*/\1/p' "$log")
  parse=$(sed -n 's/.*table=individual_positions .*parse_cpu_s=\([0-9.]*\).*/\1/p' "$log")
  total=$(sed -n 's/.*ingest-timing total.*cpu_s=\([0-9.]*\).*/\1/p' "$log")
  echo "$pos $total $parse" >>"$results.$tag"
}
for _ in $(seq "$rounds"); do
  run "$a" A
  run "$b" B
  run "$b" B
  run "$a" A
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
for tag in A B; do
  bin=$a
  [ "$tag" = B ] && bin=$b
  echo "$tag ($bin): positions end to end CPU-s median $(cut -d' ' -f1 "$results.$tag" | median)" \
    "[$(cut -d' ' -f1 "$results.$tag" | sort -n | tr '\n' ' ' | sed 's/ $//')]," \
    "its parse $(cut -d' ' -f3 "$results.$tag" | median)," \
    "whole load CPU-s median $(cut -d' ' -f2 "$results.$tag" | median)"
done
