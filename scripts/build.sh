#!/usr/bin/env bash
# Builds sitrep. Usage: scripts/build.sh [release|asan|fuzz]  (default release)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
jobs=$(nproc)
case "$kind" in
  release) cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
           cmake --build build -j"$jobs" ;;
  asan)    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSITREP_SANITIZE=ON -DSITREP_BENCH=OFF >/dev/null
           cmake --build build-asan -j"$jobs" ;;
  fuzz)    CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSITREP_FUZZ=ON \
             -DSITREP_TESTS=OFF -DSITREP_BENCH=OFF >/dev/null
           cmake --build build-fuzz -j"$jobs" ;;
  *) echo "usage: $0 [release|asan|fuzz]" >&2; exit 2 ;;
esac
