#!/usr/bin/env bash
# Builds the libFuzzer targets (src/**/*_fuzzer.cc) with clang, ASan and
# UBSan, and runs each one over a seed corpus made from the repository's own
# fixtures (tests/, data/).
#
#   scripts/fuzz.sh                  every fuzzer for FUZZ_SECONDS (default 60) each
#   scripts/fuzz.sh --smoke          every fuzzer over its seeds plus FUZZ_RUNS (default
#                                    3000) mutations: cheap enough for CI
#   scripts/fuzz.sh [--smoke] csv_reader ingest   only the named fuzzers
#   scripts/fuzz.sh --build-only     configure and build, run nothing
#
# Environment: FUZZ_BUILD (build folder, default build-fuzz), FUZZ_SECONDS,
# FUZZ_RUNS, FUZZ_JOBS (fuzzers run at once, default nproc), FUZZ_WORK
# (scratch folder for corpora, logs and crash files; default
# $FUZZ_BUILD/fuzz-work), FUZZ_CXXFLAGS (optimisation and debug flags, default
# "-O2 -g"), FUZZ_EXTRA_TARGETS (test binaries to build in the same folder,
# with the same instrumentation, before the fuzzers run: scripts/test.sh's
# ASan/UBSan pass). Corpora persist in $FUZZ_WORK/corpus/NAME between runs, so
# a long campaign continues where the last one stopped.
#
# Exits non-zero when any fuzzer crashes, trips a sanitizer, times out or runs
# out of memory, and prints the reproducer; replay it with
#   $FUZZ_BUILD/fuzz/NAME_fuzzer <reproducer>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

smoke=0
build_only=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    --build-only) build_only=1 ;;
    -h | --help)
      sed -n '2,23p' "$0"
      exit 0
      ;;
    -*)
      echo "fuzz.sh: unknown option $arg" >&2
      exit 2
      ;;
    *) targets+=("$arg") ;;
  esac
done

build="${FUZZ_BUILD:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
runs="${FUZZ_RUNS:-3000}"
jobs="${FUZZ_JOBS:-$(nproc)}"
work="${FUZZ_WORK:-$build/fuzz-work}"

read -r -a extra_targets <<<"${FUZZ_EXTRA_TARGETS:-}"
with_tests=OFF
[ "${#extra_targets[@]}" -eq 0 ] || with_tests=ON
# RelWithDebInfo without its -DNDEBUG: the assertions stay on.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="${FUZZ_CXXFLAGS:--O2 -g}" -DTALENTFLOW_BUILD_FUZZERS=ON \
  -DTALENTFLOW_BUILD_TESTS="$with_tests" -DTALENTFLOW_BUILD_BENCHMARKS=OFF >/dev/null
all_targets=()
while IFS= read -r name; do all_targets+=("$name"); done < <(
  find "$root/src" -name '*_fuzzer.cc' -printf '%f\n' | sed 's/_fuzzer\.cc$//' | sort)
[ "${#targets[@]}" -gt 0 ] || targets=("${all_targets[@]}")
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/%/_fuzzer}" "${extra_targets[@]}"
[ "$build_only" = 0 ] || exit 0

# Seeds: each file copied into the corpus under a name of its content's hash,
# so re-running the script does not duplicate them.
seed() {  # seed CORPUS_DIR < content
  local dir="$1" tmp
  tmp="$(mktemp "$dir/.seed.XXXXXX")"
  cat >"$tmp"
  mv "$tmp" "$dir/seed-$(sha1sum "$tmp" | cut -c1-16)"
}
seed_files() {  # seed_files CORPUS_DIR FILE... : each file, at most 64 lines
  local dir="$1" file
  shift
  for file in "$@"; do head -n 64 "$file" | seed "$dir"; done
}
rs=$'\x1e'  # the separator of the multi-file fuzzers
make_seeds() {  # make_seeds NAME CORPUS_DIR
  local name="$1" dir="$2" file case_dir
  case "$name" in
    csv_reader)
      for file in tests/ingest/reasons/*.csv tests/opinion/*.csv tests/flows/cases/*/*.csv \
        data/official/*.csv data/gazetteer/places.csv; do
        for chunk in '\x07' '\x1f' '\xff'; do
          { printf "$chunk"; head -n 40 "$file"; } | seed "$dir"
        done
      done
      ;;
    ingest | flows | pool)
      # flows and pool read the options byte differently. flows: 0x05 is the
      # persistent definition with K = 1 and k = 1, 0x18 the endpoint one
      # from 2021-03 with k = 2. pool: 0x01 the rules of 2023-06-01, 0x16
      # those of 2024-11-01 with an allowed nationality assumed.
      local flags='\x05'
      [ "$name" = flows ] && flags='\x05 \x18'
      [ "$name" = pool ] && flags='\x01 \x16'
      for case_dir in tests/ingest/reasons tests/flows/cases/*; do
        for flag in $flags; do
          {
            printf "$flag"
            for table in individual_user individual_positions individual_user_education \
              company_mapping individual_positions_raw; do
              [ "$table" = individual_user ] || printf '%s' "$rs"
              if [ -f "$case_dir/$table.csv" ]; then head -n 40 "$case_dir/$table.csv"; fi
            done
          } | seed "$dir"
        done
      done
      { printf '\x00'; zcat tests/ingest/formats/individual_user.csv.gz; printf '%s' "$rs"
        cat tests/ingest/formats/individual_positions/part-0001.csv; printf '%s' "$rs"
        cat tests/ingest/formats/individual_user_education.csv; } | seed "$dir"
      ;;
    numbers)
      for v in 0 -17 +5 90000.5 1.5 1e3 -0 .5 5. 123456789012345678 9223372036854775808 \
        1.7976931348623157e308 0x1F nan inf 1e-400 +-1; do printf '%s' "$v" | seed "$dir"; done
      ;;
    degree)
      for v in "B.Sc." "PhD" " M.Sc. " "Master’s" "High School" "MBA" "" "x"; do
        printf '%s' "$v" | seed "$dir"
      done
      ;;
    month)
      for v in 2019-12 2019-12-31 " 2023-06-15 " 2019-13 0000-01 9999-12-31 2019-02-30; do
        printf '%s' "$v" | seed "$dir"
      done
      ;;
    date)
      for v in 2024-11-01 2024-02-29 2023-02-29 0000-02-29 9999-12-31 2024-04-31; do
        printf '%s' "$v" | seed "$dir"
      done
      ;;
    utf8)
      seed_files "$dir" data/gazetteer/places.csv tests/opinion/bad_posts.csv
      printf 'ok\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe9\xa6\x99' | seed "$dir"
      ;;
    scheme) seed_files "$dir" data/schemes/*/*.toml tests/rules/fixtures/failing/t/*.toml ;;
    person)
      for file in tests/rules/people/*.json; do seed "$dir" <"$file"; done
      seed_files "$dir" data/schemes/hk/ttps.tests.toml
      ;;
    csv_lite | csv_file)
      seed_files "$dir" data/titles/title_patterns.csv data/official/*.csv \
        data/gazetteer/places.csv data/rankings/aliases.csv
      printf 'name\na\n""\n\nb\n' | seed "$dir"  # a quoted empty field is a row, a blank line is not
      ;;
    title_rules)
      { head -n 64 data/titles/title_patterns.csv; printf '%s' "$rs"
        printf 'Non-Executive Director\nCo-Founder & CEO\nintern\n董事\n'; } | seed "$dir"
      ;;
    gazetteer) seed_files "$dir" data/gazetteer/places.csv ;;
    university_ranks)
      { head -n 64 data/rankings/university_ranks.csv; printf '%s' "$rs"
        head -n 64 data/rankings/aliases.csv; } | seed "$dir"
      seed_files "$dir" data/rankings/university_ranks.csv
      ;;
    posts)
      { printf '\x00'; cat tests/opinion/bad_posts.jsonl; } | seed "$dir"
      { printf '\x01'; cat tests/opinion/bad_posts.csv; } | seed "$dir"
      { printf '\x05'; cat tests/opinion/bad_posts.csv; } | seed "$dir"
      { printf '\x02'; tr ',' '\t' <tests/opinion/bad_posts.csv; } | seed "$dir"
      ;;
    tokenizer)
      head -n 40 data/opinion/demo_posts.jsonl | while IFS= read -r line; do
        printf '%s' "$line" | seed "$dir"
      done
      printf '#高才通#申請 @HK_Gov https://www.gov.hk/ttps 3.5-4 😀👍🏽 ＃人才＃' | seed "$dir"
      ;;
    viewpoint_model)
      printf '%s' '{"format": "talentflow-viewpoint-model", "version": 1, "label_field": "stance",
"classes": ["AGAINST", "FAVOR", "NONE"], "features": {"hash_bits": 8, "char_ngrams": [1, 3],
"word_ngrams": [1, 2], "topic_features": true, "hash": "fnv1a64"}, "training": {"examples": 6,
"learner": "ovr-l2-svm-dual-cd", "c": 0.5, "max_epochs": 60, "tolerance": 0.05, "seed": 1},
"weights": {"AGAINST": {"bias": -0.25, "buckets": [[3,0.5],[200,-1.5]]},
"FAVOR": {"bias": 0.25, "buckets": [[255,2]]}, "NONE": {"bias": 0, "buckets": []}}}' | seed "$dir"
      ;;
    disclosure)
      # 25 = 3 + 12 + 10 (k = 10); a 2 x 2 table with its margins; 35 = a +
      # b + 3 and 32 = a + b (the difference of two totals); zeros published.
      printf '\x0a\x00\x03\x19\x03\x0c\x0a\x00\x81\x01\x01\x02\x01\x03\x00' | seed "$dir"
      printf '\x0a\x00\x07\x03\x14\x0f\x1e\x17\x2d\x12\x32%b%b%b%b' \
        '\x04\x81\x00\x01\x01\x00' '\x05\x81\x02\x01\x03\x00' \
        '\x06\x81\x00\x01\x02\x00' '\x07\x81\x01\x01\x03\x00' | seed "$dir"
      printf '\x0a\x00\x04\x23\x20\x0c\x14\x03%b%b' \
        '\x00\x81\x02\x01\x03\x01\x04\x00' '\x01\x81\x02\x01\x03\x00' | seed "$dir"
      printf '\x0a\x01\x03\x32\x03\x2f\x00\x00\x81\x01\x01\x02\x01\x03\x00' | seed "$dir"
      ;;
    official)
      {
        local first=1
        for file in data/official/*.csv; do
          [ "$first" = 1 ] || printf '%s' "$rs"
          first=0
          printf '%s\n' "$(basename "$file")"
          head -n 30 "$file"
        done
      } | seed "$dir"
      ;;
  esac
  return 0
}

mkdir -p "$work/corpus" "$work/logs" "$work/crashes"
failed=()
run_one() {  # run_one NAME: returns non-zero on a finding
  local name="$1" corpus="$work/corpus/$1" log="$work/logs/$1.log"
  local max_len=4096
  case "$name" in
    ingest | flows | pool | official | scheme | university_ranks | gazetteer) max_len=16384 ;;
    numbers | degree | month | date) max_len=128 ;;
  esac
  mkdir -p "$corpus" "$work/crashes/$name"
  make_seeds "$name" "$corpus"
  local limit=(-max_total_time="$seconds")
  # A fixed seed in smoke mode, so that CI's pass is the same run every time.
  [ "$smoke" = 1 ] && limit=(-runs="$runs" -seed=1)
  # -timeout: a single input taking this long is reported as a hang.
  if ! ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" UBSAN_OPTIONS="print_stacktrace=1" \
    "$build/fuzz/${name}_fuzzer" "${limit[@]}" -max_len="$max_len" -rss_limit_mb=4096 -timeout=25 \
    -print_final_stats=1 -artifact_prefix="$work/crashes/$name/" "$corpus" >"$log" 2>&1; then
    return 1
  fi
}

start=$SECONDS
pids=()
names=()
report() {  # report INDEX STATUS
  local name="${names[$1]}" log="$work/logs/${names[$1]}.log"
  local execs cov ft
  execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || true)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)"
  ft="$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)"
  if [ "$2" -eq 0 ]; then
    printf '%-18s ok      %9s runs  cov %6s  ft %6s\n' "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}"
  else
    printf '%-18s FAILED  (log %s)\n' "$name" "$log"
    grep -m 1 -E 'ERROR: |runtime error|deadly signal|Test unit written to' "$log" || true
    grep -o "Test unit written to .*" "$log" | sed 's/^Test unit written to /  reproducer: /' || true
    echo "  replay: $build/fuzz/${name}_fuzzer <reproducer>"
    failed+=("$name")
  fi
}
wait_one() {
  local status=0
  wait "${pids[0]}" || status=$?
  report 0 "$status"
  pids=("${pids[@]:1}")
  names=("${names[@]:1}")
}
for name in "${targets[@]}"; do
  [ "${#pids[@]}" -lt "$jobs" ] || wait_one
  run_one "$name" &
  pids+=($!)
  names+=("$name")
done
while [ "${#pids[@]}" -gt 0 ]; do wait_one; done

echo "fuzz.sh: ${#targets[@]} fuzzers in $((SECONDS - start)) s; corpora and logs in $work"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
