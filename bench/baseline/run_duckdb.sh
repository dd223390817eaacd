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
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  (cd "$here" && [ -f package.json ] || echo '{"private":true,"type":"module"}' > package.json
   cd "$here" && npm install --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >/dev/null)
fi
make_dataset
du -sh "$data"
sync
echo "== DuckDB classification (classes and same-company only)"
/usr/bin/time -f "duckdb wall %e s, peak RSS %M KB" \
  node "$here/run_duckdb.mjs" "$data" 2019-12 2023-06 2023-10 "Hong Kong"
run_talentflow
