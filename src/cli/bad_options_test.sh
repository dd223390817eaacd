#!/usr/bin/env bash
# Option values out of range end with exit code 2 and a message naming the
# option and the value, before any input is read; none may crash (before
# these checks, `flows --threads 100000` aborted when thread creation failed,
# and `flows --ranking NOPE` ran with every degree unranked).
#
#   bad_options_test.sh TALENTFLOW_BINARY   (run from the source tree)
set -uo pipefail
tf="$1"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
failures=0

# expect EXIT_CODE MESSAGE_PART ARGS...
expect() {
  local code="$1" message="$2" rc
  shift 2
  "$tf" "$@" >"$out/stdout" 2>"$out/stderr"
  rc=$?
  if [ "$rc" != "$code" ] || { [ -n "$message" ] && ! grep -qF -- "$message" "$out/stderr"; }; then
    echo "FAIL: talentflow $*"
    echo "  expected exit $code and a message with: $message"
    echo "  got exit $rc, stderr: $(head -c 400 "$out/stderr")"
    failures=$((failures + 1))
  fi
}

dataset=tests/flows/cases/duplicates
snapshots=(--place "Hong Kong" --before 2019-12 --after 2023-06 --cutoff 2023-09)
expect 2 "--threads: Value 100000 not in range 0 to 256" \
  validate "$dataset" --threads 100000 --out "$out/v"
expect 2 "--threads: Value -1 not in range 0 to 256" \
  flows "$dataset" "${snapshots[@]}" --threads -1 --out "$out/f"
expect 2 "--threads: Value 300 not in range 0 to 256" \
  synth --users 1000 --seed 1 --threads 300 --out "$out/s"
expect 2 "--threads: Value 999 not in range 0 to 256" \
  schemes pool "$dataset" --place "Hong Kong" --before 2019-12 --after 2023-06 \
  --threads 999 --out "$out/p"
expect 2 "--threads: Value 0 not in range 1 to 64" \
  opinion cv data/opinion/demo_posts.jsonl --label-field viewpoint --threads 0 --out "$out/c"
expect 2 '--ranking "NOPE": not in' \
  flows "$dataset" "${snapshots[@]}" --ranking NOPE --out "$out/f"
expect 2 "(it has ARWU, QS, THE)" \
  flows "$dataset" "${snapshots[@]}" --ranking NOPE --out "$out/f"
expect 2 "hash bits 99: expected 8-26" \
  opinion train data/opinion/demo_posts.jsonl --label-field viewpoint --hash-bits 99 \
  --out "$out/m.json"
expect 2 "character n-grams 1-9: expected 1 <= shortest <= longest <= 8" \
  opinion cv data/opinion/demo_posts.jsonl --label-field viewpoint --char-max 9 --out "$out/c"
expect 2 "--max-doc-share nan: expected a share in (0, 1]" \
  opinion analyze data/opinion/demo_posts.jsonl --max-doc-share nan --out "$out/a"
expect 2 "--topics -3: expected 1-1000" \
  opinion analyze data/opinion/demo_posts.jsonl --topics -3 --out "$out/a"

# And the same commands with good values still work.
expect 0 "" flows "$dataset" "${snapshots[@]}" --ranking QS --threads 2 --quiet --out "$out/f"

if [ "$failures" -gt 0 ]; then
  echo "$failures failed"
  exit 1
fi
echo "all option checks passed"
