#!/usr/bin/env bash
# Speed baseline: the core classification in pandas (what an analyst would
# otherwise run; classify_pandas.py, the same steps as classify.sql), beside
# talentflow's whole `flows` pipeline, on the same synthetic dataset as
# run_duckdb.sh. pandas comes from Debian (python3-pandas, for the system
# /usr/bin/python3); it is a benchmark-only dependency, installed here.
# Usage: bench/baseline/run_pandas.sh USERS [WORK_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if ! /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
    python3-pandas >/dev/null
fi
make_dataset
echo "== pandas $(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)') classification (classes and same-company only)"
/usr/bin/time -f "pandas wall %e s, peak RSS %M KB" \
  /usr/bin/python3 "$here/classify_pandas.py" "$data" 2019-12 2023-06 2023-10 "Hong Kong"
run_talentflow
