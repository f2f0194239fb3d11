#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS (default 30) each, starting from
# the seeds in fuzz/seeds/. Fails if any target finds a crash.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
bash scripts/build.sh fuzz
for t in tokenizer text_reader jsonl_reader conllu model_file perceptron pipeline ner_corpus kb_source event_lexicon; do
  corpus=$(mktemp -d)
  cp fuzz/seeds/$t/* "$corpus"/
  log=$(mktemp)
  if build-fuzz/fuzz_$t -max_total_time="$secs" -max_len=8192 -rss_limit_mb=2048 \
       -artifact_prefix=build-fuzz/ "$corpus" > "$log" 2>&1; then
    echo "fuzz_$t: ok ($(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+') runs in ${secs}s)"
  else
    echo "fuzz_$t: FAILED"; tail -40 "$log"; rm -rf "$corpus" "$log"; exit 1
  fi
  rm -rf "$corpus" "$log"
done
