#!/usr/bin/env bash
# Instruction counts of the ingest's parse path (callgrind), the figure the
# sixth session's changes were measured by: unlike time on a shared or
# virtual machine it does not drift, so a change of 1% shows.
#
#   bench/ingest_instructions.sh [BUILD_DIR] [USERS]     # default build, 100000
#
# Data: `talentflow synth --users USERS --seed 1`, then only its users and
# positions tables (education cut to one row), cached in $BENCH_DIR (default
# /tmp/talentflow-instr). One `validate` with one thread under callgrind.
# Prints the total, the part outside OpenSSL (valgrind does not run SHA-NI,
# so OpenSSL takes a software path whose count says nothing about the real
# run), and the functions that cost most. Compare two builds by running
# this for each. Needs valgrind (on every machine of this kind).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
users="${2:-100000}"
tf="$build/src/cli/talentflow"
[ -x "$tf" ] || { echo "no $tf: build first (cmake --build $build)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
work="${BENCH_DIR:-/tmp/talentflow-instr}"
full="$work/synth-$users"
data="$work/users-positions-$users"
if [ ! -f "$data/.complete" ]; then
  rm -rf "$full" "$data"
  "$tf" synth --users "$users" --seed 1 --out "$full" >/dev/null
  mkdir -p "$data"
  cp "$full/individual_user.csv" "$full/individual_positions.csv" "$data/"
  head -n 2 "$full/individual_user_education.csv" >"$data/individual_user_education.csv"
  rm -rf "$full"
  touch "$data/.complete"
fi
out="$work/callgrind.out"
rm -rf "$work/validate"
valgrind --tool=callgrind --callgrind-out-file="$out" \
  "$tf" validate "$data" --out "$work/validate" --quiet --threads 1 2>"$work/valgrind.log"
total=$(grep -m1 '^summary:' "$out" | awk '{print $2}')
ssl=$(callgrind_annotate "$out" 2>/dev/null | awk '/libcrypto/ {gsub(",", "", $1); s += $1} END {print s + 0}')
echo "users $users, one thread: $total instructions in all, $((total - ssl)) outside OpenSSL"
echo "-- the functions that cost most (self, outside OpenSSL):"
callgrind_annotate "$out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | grep -v -e libcrypto -e 'PROGRAM TOTALS' |
  head -n 12 | sed -E 's/\(anonymous namespace\):://g; s/\(([^()]|\([^()]*\))*\)( \[.*\])?$//' | cut -c1-140
