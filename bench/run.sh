#!/usr/bin/env bash
# Tokenization + sentence splitting throughput, single thread, on the real
# corpora in ../shared/corpora, with the npm peers (wink-nlp, compromise) on
# the same texts in the same run. Prints JSON lines and a ratio table.
# Usage: bash bench/run.sh [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=5
[ "${1:-}" = "--repeat" ] && repeat=${2:-5}
echo "| corpus | engine | MB/s | M tokens/s | sentences | peak RSS MB | sitrep faster by |"
echo "|---|---|---|---|---|---|---|"
[ -x build/bench_segment ] || bash scripts/build.sh release
[ -d bench/node_modules/wink-nlp ] || (cd bench && npm ci --no-audit --no-fund --loglevel=error)
for corpus in reuters21578 bbc_news; do
  f=../shared/corpora/$corpus.jsonl
  s=$(build/bench_segment "$f" --repeat "$repeat")
  p=$(node bench/peers_segment.js "$f" --repeat 3)
  echo "$corpus sitrep $s"
  echo "$p" | sed "s/^/$corpus /"
  python3 - "$corpus" "$s" "$p" <<'PY'
import json, sys
name, s, p = sys.argv[1], json.loads(sys.argv[2]), [json.loads(l) for l in sys.argv[3].splitlines()]
print(f"| {name} | sitrep | {s['mb_per_s']:.1f} | {s['tokens_per_s']/1e6:.2f} | {s['sentences']} | {s['max_rss_mb']:.0f} | 1 |")
for q in p:
    print(f"| {name} | {q['peer']} | {q['mb_per_s']:.1f} | {q['tokens_per_s']/1e6:.2f} | {q['sentences']} | "
          f"{q['max_rss_mb']:.0f} | {s['mb_per_s']/q['mb_per_s']:.0f}x |")
PY
done
