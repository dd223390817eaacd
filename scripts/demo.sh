#!/usr/bin/env bash
# Quick start: installs dependencies, builds a Release binary, generates a
# synthetic Revelio-layout dataset, validates it and runs every analysis on
# it, then writes the report. Usage: scripts/demo.sh [USERS] [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
users="${1:-200000}"
out="${2:-$root/demo}"

"$root/scripts/setup.sh"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target talentflow
tf="$root/build/src/cli/talentflow"

echo "== talentflow synth: $users synthetic users"
"$tf" synth --users "$users" --seed 1 --out "$out/dataset"
echo "== talentflow validate"
"$tf" validate "$out/dataset" --out "$out/validate"
echo "== talentflow flows: Hong Kong, 2019-12 -> 2023-06"
"$tf" flows "$out/dataset" --place "Hong Kong" --before 2019-12 --after 2023-06 --out "$out/run"
echo "== talentflow schemes pool: who among them would qualify for each scheme"
"$tf" schemes pool "$out/dataset" --place "Hong Kong" --before 2019-12 --after 2023-06 \
  --schemes hk/ttps,hk/qmas,hk/iang,sg/one_pass,uk/hpi --out "$out/run"
echo "== talentflow opinion analyze: the bundled demo corpus of posts"
"$tf" opinion analyze data/opinion/demo_posts.jsonl --sample 1 --seed 1 \
  --seeds data/opinion/demo_seeds.toml --viewpoints data/opinion/demo_viewpoints.toml \
  --out "$out/run"
echo "== talentflow report"
"$tf" report "$out/run" --lang both
