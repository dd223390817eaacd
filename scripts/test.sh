#!/usr/bin/env bash
# The project's test command: installs dependencies, builds, runs every test.
#   scripts/test.sh            Release build, all tests (what CI runs)
#   TALENTFLOW_SANITIZE=0 ...  skip the AddressSanitizer/UBSan pass
#   TALENTFLOW_TSAN=0 ...      skip the ThreadSanitizer pass
#   TALENTFLOW_FUZZ=0 ...      skip the fuzz targets' smoke pass
# Tests run in a non-UTC time zone on purpose: dates are the core of this
# project and nothing may depend on the machine's zone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"

jobs="$(nproc)"
export TZ="${TZ_TEST:-Asia/Hong_Kong}"

# run_tests BUILD_DIR LABEL [GTEST_ARG...] -- TEST...: runs the named test
# binaries of BUILD_DIR, $jobs at a time, with the caller's environment; a
# failing binary's whole output is printed, and any failure fails the pass.
run_tests() {
  local build="$1" label="$2" args=() test binary
  shift 2
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  mkdir -p "$build/test-logs"
  for test in "$@"; do
    binary="$(find "$build/src" -name "$test" -type f -perm -u+x | head -n 1)"
    [ -n "$binary" ] || { echo "$label: no binary $test in $build" >&2; return 1; }
    printf '%s\0' "$binary"
  done | TEST_ARGS="${args[*]}" LABEL="$label" LOGS="$build/test-logs" xargs -0 -P "$jobs" -I{} \
    bash -c 'name="$(basename "$1")"; log="$LOGS/$name.log"; start=$SECONDS
      # shellcheck disable=SC2086
      if "$1" --gtest_brief=1 $TEST_ARGS >"$log" 2>&1; then
        echo "$LABEL: $name passed in $((SECONDS - start)) s"
      else
        cat "$log"; echo "$LABEL: $name FAILED"; exit 1
      fi' _ {}
}

sanitize="${TALENTFLOW_SANITIZE:-1}"
fuzz="${TALENTFLOW_FUZZ:-1}"
if [ "$sanitize" = "1" ] || [ "$fuzz" = "1" ]; then
  # One clang build with AddressSanitizer, UBSan and libFuzzer's coverage
  # instrumentation serves two passes: the parsers and engines' tests, where
  # memory errors would hide, run again under the sanitizers in another zone;
  # then every parser's fuzz target runs over its seeds from the repository's
  # fixtures plus a few thousand fixed-seed mutations (the regressions of the
  # fuzz campaigns; scripts/fuzz.sh runs the long ones). clang builds this
  # about three times faster than gcc with the same sanitizers, and the
  # libraries are compiled once for both passes. The report's browser test
  # and the large synthetic round trips stay in the Release pass.
  # Longest first, so that the two at a time finish together.
  asan_tests=(ingest_test text_test rules_test flows_cases_test stats_test io_test flows_test
              panel_test common_test)
  extra=""
  [ "$sanitize" = "1" ] && extra="${asan_tests[*]}"
  echo "== ASan/UBSan clang build (tests: ${extra:-none}; fuzz targets)"
  export FUZZ_BUILD="$root/build-san" FUZZ_CXXFLAGS="-O1 -gline-tables-only"
  FUZZ_EXTRA_TARGETS="$extra" scripts/fuzz.sh --build-only
  if [ "$sanitize" = "1" ]; then
    echo "== ASan/UBSan tests (TZ=America/Sao_Paulo): ${asan_tests[*]}"
    TZ=America/Sao_Paulo ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      run_tests build-san ASan/UBSan -- "${asan_tests[@]}"
  fi
  if [ "$fuzz" = "1" ]; then
    echo "== Fuzz targets, smoke pass"
    FUZZ_EXTRA_TARGETS="$extra" scripts/fuzz.sh --smoke
  fi
fi

if [ "${TALENTFLOW_TSAN:-1}" = "1" ]; then
  # The parallel parts (chunked CSV parsing, table finishes beside the next
  # table's parse, the flows engine's and the pool's worker threads) under
  # ThreadSanitizer: a data race fails the pass even when the run was lucky.
  tsan_tests=(io_test flows_test rules_pool_test ingest_test)
  echo "== ThreadSanitizer build and tests: ${tsan_tests[*]}"
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS="-O1 -g1 -fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
    -DTALENTFLOW_BUILD_TESTS=ON >/dev/null
  cmake --build build-tsan -j "$jobs" --target "${tsan_tests[@]}"
  # The parser's single-threaded equivalence checks are left to the other
  # passes: under ThreadSanitizer they would take most of its time.
  TSAN_OPTIONS="halt_on_error=1" run_tests build-tsan ThreadSanitizer \
    --gtest_filter=-CsvReaderTest.FastPathGivesExactlyWhatTheGeneralParserGives:CsvReaderTest.CommonRecordsGiveExactlyWhatTheGeneralParserGives \
    -- "${tsan_tests[@]}"
fi

# The Release pass runs last so that ctest's summary closes the output.
echo "== Release build and tests (TZ=$TZ)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTALENTFLOW_BUILD_TESTS=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
