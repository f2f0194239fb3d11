#!/usr/bin/env bash
# Events from the CLI: `--format plover` writes one PLOVER record per event;
# a user's own lexicon given with --event-lexicon replaces a shipped entry
# without recompiling; a malformed user lexicon fails with file:line and the
# reason, before any article is read.
set -euo pipefail
cd "$(dirname "$0")/../.."
sitrep=${SITREP:-build/sitrep}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf ' date 2025-05-02 Chad accused Sudan of shelling the border town of Adre on Thursday.\n--\n' > "$tmp/a.txt"
out=$("$sitrep" extract --format plover "$tmp/a.txt")
echo "$out" | grep -q '"event_type":"ACCUSE"' || { echo "FAIL: no ACCUSE record"; echo "$out"; exit 1; }
echo "$out" | grep -q '"actor":\[{"actorText":"Chad","code":"TCD"' || { echo "FAIL: actor"; echo "$out"; exit 1; }
echo "$out" | grep -q '"recipient":\[{"actorText":"Sudan","code":"SDN"' || { echo "FAIL: recipient"; echo "$out"; exit 1; }
[ "$(echo "$out" | wc -l)" -ge 1 ] && echo "$out" | python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]'
# A user entry with the same word, pos and constraints replaces the shipped one.
printf 'word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\naccuse\tVERB\t-\tREJECT\t-\t-\t120\tobj\n' > "$tmp/mine.tsv"
out=$("$sitrep" extract --format plover --event-lexicon "$tmp/mine.tsv" "$tmp/a.txt")
echo "$out" | grep -q '"event_type":"REJECT"' || { echo "FAIL: user entry not used"; echo "$out"; exit 1; }
printf 'word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\naccuse\tVERB\t-\tBLAME\t-\t-\t120\tobj\n' > "$tmp/bad.tsv"
if err=$("$sitrep" extract --event-lexicon "$tmp/bad.tsv" "$tmp/a.txt" 2>&1 >/dev/null); then
  echo "FAIL: malformed user lexicon accepted"; exit 1
fi
echo "$err" | grep -q "bad.tsv:2: type must be a PLOVER event type" || { echo "FAIL: error lacks file:line: $err"; exit 1; }
echo "ok   events: plover format and user lexicon"
