#!/usr/bin/env bash
# Ingest benchmark: throughput (MB/s, rows/s per table) and peak memory of
# `talentflow validate` on generated datasets of 1M and 5M users.
#
#   bench/ingest_bench.sh                 # 1M and 5M users
#   BENCH_USERS="1000000" bench/ingest_bench.sh
#   BENCH_DIR=/data/tf-bench bench/ingest_bench.sh   # where datasets go (large!)
#   BENCH_RUNS=5 bench/ingest_bench.sh    # runs per size (default 3): the
#                                         # median run's table, then the spread
#
# Data: `talentflow synth --users N --seed 1` when this build has the synth
# command, else bench/make_bench_data (a fixed-seed generator of rows with the
# Revelio layout and realistic sizes; see its header). Datasets are cached in
# BENCH_DIR and reused.
#
# Figures: wall-clock per table (parse = read, parse, merge; finish = dedup,
# sort, columns; positions_raw and positions finish beside the next table's
# parse), the process CPU seconds while each table was parsed, the whole
# load's wall and CPU, and peak RSS from /usr/bin/time -v. Then the floor
# under the positions figure (bench/ingest_floor): the SHA-256 of the file
# and the bare CSV parse, and what a 500 MB per CPU-second target leaves per
# row for everything else. Last, positions end to end: serial runs
# (TALENTFLOW_INGEST_TIMING=serial) measure its parse and finish together,
# the target's figure. On a shared
# machine wall time is inflated by other load; MB per CPU-second is the
# figure that depends on it least.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BENCH_BUILD:-$root/build-bench}"
bench_dir="${BENCH_DIR:-/tmp/talentflow-bench}"
users_list="${BENCH_USERS:-1000000 5000000}"
runs="${BENCH_RUNS:-3}"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTALENTFLOW_BUILD_TESTS=OFF -DTALENTFLOW_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" --target talentflow make_bench_data ingest_floor >/dev/null
tf="$build/src/cli/talentflow"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

for users in $users_list; do
  data="$bench_dir/users-$users"
  if [ ! -f "$data/.complete" ]; then
    rm -rf "$data"
    if "$tf" --help 2>/dev/null | grep -qE "^ +synth( |$)"; then
      "$tf" synth --users "$users" --seed 1 --out "$data" >/dev/null
      generator="talentflow synth --users $users --seed 1"
    else
      "$build/bench/make_bench_data" "$users" "$data"
      generator="bench/make_bench_data $users"
    fi
    echo "$generator" > "$data/.complete"
  fi
  csv_bytes=$(find "$data/" -name '*.csv' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  out="$bench_dir/out-$users"
  # BENCH_RUNS runs; the table below is the run with the median whole-load
  # CPU, and the spread over all runs follows it (on a shared or virtual
  # machine one run can be 25% off the next). One line per run: positions MB
  # per parse-cpu-s, whole-load cpu s, peak RSS MB, log file.
  summary="$bench_dir/runs-$users.txt"
  : > "$summary"
  for run in $(seq "$runs"); do
    rm -rf "$out"
    log="$bench_dir/log-$users-$run.txt"
    TALENTFLOW_INGEST_TIMING=1 /usr/bin/time -v "$tf" validate "$data" --out "$out" --quiet 2>"$log"
    awk -v f="$log" '/table=individual_positions / {for (i = 2; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}}
         /^ingest-timing total/ {for (i = 3; i <= NF; i++) {split($i, kv, "="); t[kv[1]] = kv[2]}}
         /Maximum resident set size/ {split($0, a, ": "); r = a[2]}
         END {printf "%.1f %.2f %.0f %s\n", v["bytes"] / 1e6 / v["parse_cpu_s"], t["cpu_s"], r / 1024, f}' \
      "$log" >> "$summary"
  done
  # min / median / max of column $1 of the summary
  spread() { sort -n -k"$1,$1" "$summary" | awk -v k="$1" '{v[NR] = $k} END {printf "%s / %s / %s", v[1], v[int((NR + 1) / 2)], v[NR]}'; }
  log=$(sort -n -k2,2 "$summary" | awk '{f[NR] = $4} END {print f[int((NR + 1) / 2)]}')
  echo
  echo "== $users users (data: $(cat "$data/.complete"); uncompressed CSV $(awk -v b="$csv_bytes" 'BEGIN {printf "%.1f MB", b/1e6}'))"
  printf '%-28s %9s %10s %8s %9s %12s %12s %11s %14s\n' table MB rows parse_s finish_s \
    parse_cpu_s "parse MB/s" "parse rows/s" "MB/parse-cpu-s"
  awk '/^ingest-timing table=/ {
    delete v
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    p = v["parse_s"] > 0 ? v["parse_s"] : 1e-9; c = v["parse_cpu_s"] > 0 ? v["parse_cpu_s"] : 1e-9
    printf "%-28s %9.1f %10d %8.2f %9.2f %12.2f %12.1f %12.0f %14.1f\n", v["table"], v["bytes"]/1e6,
      v["rows"], v["parse_s"], v["finish_s"], v["parse_cpu_s"], v["bytes"]/1e6/p, v["rows"]/p,
      v["bytes"]/1e6/c
  }
  /^ingest-timing total/ {
    for (i = 3; i <= NF; i++) { split($i, kv, "="); t[kv[1]] = kv[2] }
    printf "ingest: wall %.2f s, cpu %.2f s: %.0f MB/s, %.0f MB per cpu-second\n", t["wall_s"],
      t["cpu_s"], total_mb / t["wall_s"], total_mb / t["cpu_s"]
  }' total_mb="$(awk -v b="$csv_bytes" 'BEGIN {print b/1e6}')" "$log"
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  user=$(awk -F': ' '/User time/ {print $2}' "$log")
  sys=$(awk -F': ' '/System time/ {print $2}' "$log")
  awk -v r="$rss_kb" -v b="$csv_bytes" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
    printf "total: wall %s, cpu %.1f s (user %.1f + sys %.1f); peak RSS %.0f MB = %.2fx the uncompressed CSV\n",
      w, u + s, u, s, r/1024, r*1024/b }'
  # The floor under the positions figure: its SHA-256 and the bare parse.
  positions="$data/individual_positions.csv"
  if [ -f "$positions" ]; then
    echo "-- floor for individual_positions (bench/ingest_floor: what no ingest avoids)"
    "$build/bench/ingest_floor" "$positions" --target 500 | sed 1d
  fi
  if [ "$runs" -gt 1 ]; then
    echo "over $runs runs (min / median / max): positions MB per parse-cpu-s $(spread 1);" \
      "whole load cpu s $(spread 2); peak RSS MB $(spread 3)"
  fi
  # The target's figure: positions end to end. In the runs above a table's
  # finish runs beside the next table's parse, so no process CPU figure is
  # one table's alone. TALENTFLOW_INGEST_TIMING=serial finishes each table
  # before the next is parsed (same result, longer wall): table_cpu_s is
  # then the process CPU of the positions parse and finish together.
  serial_runs="$bench_dir/serial-$users.txt"
  : > "$serial_runs"
  for run in $(seq "$runs"); do
    rm -rf "$out"
    log="$bench_dir/serial-log-$users-$run.txt"
    TALENTFLOW_INGEST_TIMING=serial "$tf" validate "$data" --out "$out" --quiet 2>"$log"
    awk '/table=individual_positions / {for (i = 2; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}}
         END {printf "%.1f %.3f\n", v["bytes"] / 1e6 / v["table_cpu_s"], v["table_cpu_s"]}' \
      "$log" >> "$serial_runs"
  done
  sort -n -k1,1 "$serial_runs" | awk -v n="$runs" '{m[NR] = $1; c[NR] = $2} END {
    printf "positions end to end (parse and finish, serial runs): %s MB per cpu-second, %s cpu-s (median of %d; min %s, max %s MB per cpu-s)\n",
      m[int((NR + 1) / 2)], c[int((NR + 1) / 2)], n, m[1], m[NR] }'
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
