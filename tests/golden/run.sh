#!/usr/bin/env bash
# Golden end-to-end test: `sitrep extract` on each fixture article must
# produce exactly the committed expected output.
#   SITREP=build/sitrep tests/golden/run.sh tests/golden          # check
#   UPDATE=1 SITREP=build/sitrep tests/golden/run.sh tests/golden # regenerate
set -u
dir=${1:-$(dirname "$0")}
sitrep=${SITREP:-build/sitrep}
fail=0
for f in "$dir"/fixtures/*.txt "$dir"/fixtures/*.jsonl; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  want="$dir/expected/${name%.*}.jsonl"
  got=$("$sitrep" extract "$f" 2>&1)
  if [ "${UPDATE:-0}" = 1 ]; then
    mkdir -p "$dir/expected"
    printf '%s\n' "$got" > "$want"
    echo "updated $want"
    continue
  fi
  if [ ! -f "$want" ]; then
    echo "FAIL $name: no expected output $want"; fail=1; continue
  fi
  if ! diff -u "$want" <(printf '%s\n' "$got") > /tmp/sitrep_golden_diff.$$; then
    echo "FAIL $name: output differs from $want"
    head -c 4000 /tmp/sitrep_golden_diff.$$
    fail=1
  else
    echo "ok   $name"
  fi
  rm -f /tmp/sitrep_golden_diff.$$
done
exit $fail
