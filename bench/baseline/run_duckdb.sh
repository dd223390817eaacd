#!/usr/bin/env bash
# Speed baseline: the core classification in DuckDB SQL (what an analyst would
# otherwise run), beside talentflow's whole `flows` pipeline, on the same
# synthetic dataset. DuckDB comes from npm (@duckdb/node-api, libduckdb
# inside) into bench/baseline/node_modules; it is a benchmark-only dependency.
# Usage: bench/baseline/run_duckdb.sh USERS [WORK_DIR]
# The dataset is generated with --mess-rate 0: DuckDB's read_csv with
# ignore_errors drops whole blocks around an invalid UTF-8 row, so on messy
# data it would classify a different (smaller) population.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
users="${1:-1000000}"
work="${2:-/tmp/talentflow_baseline}"
tf="$root/build/src/cli/talentflow"
[ -x "$tf" ] || { echo "build talentflow first (scripts/demo.sh or cmake --build build)" >&2; exit 2; }
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  (cd "$here" && [ -f package.json ] || echo '{"private":true,"type":"module"}' > package.json
   cd "$here" && npm install --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >/dev/null)
fi
data="$work/dataset_$users"
if [ ! -f "$data/truth.json" ]; then
  "$tf" synth --users "$users" --seed 1 --mess-rate 0 --out "$data"
fi
du -sh "$data"
sync
echo "== DuckDB classification (classes and same-company only)"
/usr/bin/time -f "duckdb wall %e s, peak RSS %M KB" \
  node "$here/run_duckdb.mjs" "$data" 2019-12 2023-06 2023-10 "Hong Kong"
echo "== talentflow flows (ingest, every table, results.json)"
/usr/bin/time -f "talentflow wall %e s, peak RSS %M KB" \
  "$tf" flows "$data" --place "Hong Kong" --before 2019-12 --after 2023-06 --cutoff 2023-10 \
  --out "$work/run_$users"
