#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS (default 30) each, starting from
# the seeds in fuzz/seeds/. Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
scripts/build.sh fuzz
for t in tokenizer text_reader jsonl_reader conllu; do
  corpus=$(mktemp -d)
  cp fuzz/seeds/$t/* "$corpus"/
  echo "fuzz: $t for ${secs}s"
  build-fuzz/fuzz_$t -max_total_time="$secs" -max_len=8192 -print_final_stats=0 \
    -artifact_prefix=build-fuzz/ "$corpus" 2>&1 | grep -E '^(#[0-9]+.*DONE|==[0-9]+==ERROR|SUMMARY)' || true
  rm -rf "$corpus"
done
