#!/usr/bin/env bash
# Benchmark of `talentflow opinion analyze` end to end: generates N posts
# (default 300,000) of both communities with `opinion generate`, then runs
# analyze on a seeded 10% sample with seeded topics and seed-phrase
# viewpoints, and prints the wall-clock time and peak memory of each step.
#   bench/opinion_bench.sh [N] [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-300000}"
build="${2:-$root/build}"
bin="$build/src/cli/talentflow"
[ -x "$bin" ] || { echo "build first: cmake --build $build --target talentflow" >&2; exit 2; }
work="$(mktemp -d /tmp/tf_opinion_bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
data="$root/data/opinion"
echo "== generate $n posts"
/usr/bin/time -f "generate: %e s wall, %M KiB peak" \
  "$bin" opinion generate --posts "$n" --seed 1 --out "$work/posts.jsonl"
ls -l "$work/posts.jsonl" | awk '{printf "posts file: %.1f MB\n", $5 / 1e6}'
echo "== analyze (10% sample, 8 topics, 2 threads)"
/usr/bin/time -f "analyze: %e s wall, %U s user, %M KiB peak" \
  "$bin" opinion analyze "$work/posts.jsonl" --sample 0.1 --seed 1 --stratify community \
  --topics 8 --seeds "$data/demo_seeds.toml" --viewpoints "$data/demo_viewpoints.toml" \
  --k 10 --threads 2 --out "$work/out"
head -5 "$work/out/tables/top_topics.csv"
