#!/usr/bin/env bash
# The project's test command: installs dependencies, builds, runs every test.
#   scripts/test.sh            Release build, all tests (what CI runs)
#   TALENTFLOW_SANITIZE=0 ...  skip the AddressSanitizer/UBSan pass
# Tests run in a non-UTC time zone on purpose: dates are the core of this
# project and nothing may depend on the machine's zone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"

jobs="$(nproc)"
export TZ="${TZ_TEST:-Asia/Hong_Kong}"

echo "== Release build and tests (TZ=$TZ)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTALENTFLOW_BUILD_TESTS=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${TALENTFLOW_SANITIZE:-1}" = "1" ]; then
  echo "== ASan/UBSan build and tests (TZ=America/Sao_Paulo)"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTALENTFLOW_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS="-O1" -DTALENTFLOW_BUILD_TESTS=ON >/dev/null
  cmake --build build-asan -j "$jobs"
  TZ=America/Sao_Paulo ASAN_OPTIONS=detect_leaks=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE slow
fi
