#!/usr/bin/env bash
# A user extends the knowledge base with a file of their own, rebuilds it
# without recompiling sitrep, and `sitrep extract --kb` links to the new
# record; a malformed user file fails with file:line and builds nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
sitrep=${SITREP:-build/sitrep}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' '# source: our test' \
  "$(printf 'person\tmaret_lepp\tname=Maret Lepp\tgender=f\tcountry=EST')" \
  "$(printf 'role\tmaret_lepp\ttitle=Mayor of Tartu\tcountry=EST\tsector=GOV\tstart=2024-01-01')" \
  > "$tmp/mine.kb"
SITREP="$sitrep" bash scripts/build_kb.sh "$tmp/mine.kb" -o "$tmp/kb.bin" > /dev/null
printf ' date 2025-02-01 Tartu Mayor Maret Lepp opened the bridge on Friday. Lepp said she was proud.\n--\n' > "$tmp/a.txt"
out=$("$sitrep" extract --no-tokens --kb "$tmp/kb.bin" "$tmp/a.txt")
echo "$out" | grep -q '"id":"maret_lepp","kind":"person","name":"Maret Lepp","known":true' ||
  { echo "FAIL: user person not linked"; echo "$out" | head -c 3000; exit 1; }
echo "$out" | grep -q '"kb":"Mayor of Tartu"' || { echo "FAIL: user role missing"; exit 1; }
printf 'person\tx\tname=X\nrole\tx\ttitle=Mayor\tstart=2024-13-01\n' > "$tmp/bad.kb"
if err=$(SITREP="$sitrep" bash scripts/build_kb.sh "$tmp/bad.kb" -o "$tmp/bad.bin" 2>&1); then
  echo "FAIL: malformed user file accepted"; exit 1
fi
echo "$err" | grep -q "bad.kb:2: start=2024-13-01" || { echo "FAIL: error lacks file:line: $err"; exit 1; }
[ ! -e "$tmp/bad.bin" ] || { echo "FAIL: wrote a file on error"; exit 1; }
echo "ok   user knowledge base"
