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

if [ "${TALENTFLOW_SANITIZE:-1}" = "1" ]; then
  # The parsers and engines, where memory errors would hide, run again under
  # AddressSanitizer and UBSan in another zone. The report's browser test and
  # the large synthetic round trips stay in the Release pass to keep CI short.
  asan_tests=(common_test io_test ingest_test panel_test flows_test flows_cases_test stats_test
              rules_test text_test)
  echo "== ASan/UBSan build and tests (TZ=America/Sao_Paulo): ${asan_tests[*]}"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTALENTFLOW_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS="-O1" -DTALENTFLOW_BUILD_TESTS=ON >/dev/null
  cmake --build build-asan -j "$jobs" --target "${asan_tests[@]}"
  failed=0
  for test in "${asan_tests[@]}"; do
    binary="$(find build-asan -name "$test" -type f -perm -u+x | head -n 1)"
    if ! TZ=America/Sao_Paulo ASAN_OPTIONS=detect_leaks=1 "$binary" --gtest_brief=1; then
      echo "ASan/UBSan: $test FAILED"
      failed=1
    fi
  done
  [ "$failed" -eq 0 ] || exit 1
fi

if [ "${TALENTFLOW_TSAN:-1}" = "1" ]; then
  # The parallel parts (chunked CSV parsing, table finishes beside the next
  # table's parse, the flows engine's and the pool's worker threads) under
  # ThreadSanitizer: a data race fails the pass even when the run was lucky.
  tsan_tests=(io_test ingest_test flows_test rules_test)
  echo "== ThreadSanitizer build and tests: ${tsan_tests[*]}"
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS="-O1 -g -fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
    -DTALENTFLOW_BUILD_TESTS=ON >/dev/null
  cmake --build build-tsan -j "$jobs" --target "${tsan_tests[@]}"
  failed=0
  for test in "${tsan_tests[@]}"; do
    binary="$(find build-tsan -name "$test" -type f -perm -u+x | head -n 1)"
    if ! TSAN_OPTIONS="halt_on_error=1" "$binary" --gtest_brief=1; then
      echo "ThreadSanitizer: $test FAILED"
      failed=1
    fi
  done
  [ "$failed" -eq 0 ] || exit 1
fi

if [ "${TALENTFLOW_FUZZ:-1}" = "1" ]; then
  # Every parser's libFuzzer target (clang, ASan, UBSan) over its seeds from
  # the repository's fixtures plus a few thousand fixed-seed mutations: the
  # regressions of the fuzz campaigns (scripts/fuzz.sh runs the long ones).
  echo "== Fuzz targets, smoke pass"
  FUZZ_BUILD="$root/build-fuzz" scripts/fuzz.sh --smoke
fi

# The Release pass runs last so that ctest's summary closes the output.
echo "== Release build and tests (TZ=$TZ)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTALENTFLOW_BUILD_TESTS=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
