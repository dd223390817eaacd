# Shared by run_duckdb.sh and run_pandas.sh (sourced, not run): the paths,
# the clean synthetic dataset both baselines classify, and talentflow's
# whole `flows` pipeline on it. Arguments: USERS [WORK_DIR].
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
users="${1:-1000000}"
work="${2:-/tmp/talentflow_baseline}"
tf="$root/build/src/cli/talentflow"
[ -x "$tf" ] || { echo "build talentflow first (scripts/demo.sh or cmake --build build)" >&2; exit 2; }
data="$work/dataset_$users"

# Generates the dataset once (clean: --mess-rate 0).
make_dataset() {
  if [ ! -f "$data/truth.json" ]; then
    "$tf" synth --users "$users" --seed 1 --mess-rate 0 --out "$data"
  fi
}

run_talentflow() {
  echo "== talentflow flows (ingest, every table, results.json)"
  /usr/bin/time -f "talentflow wall %e s, peak RSS %M KB" \
    "$tf" flows "$data" --place "Hong Kong" --before 2019-12 --after 2023-06 --cutoff 2023-10 \
    --out "$work/run_$users"
}
