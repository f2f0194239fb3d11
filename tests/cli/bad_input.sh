#!/usr/bin/env bash
# Bad input never stops `sitrep extract`: each bad record gets one clear error
# line naming file:line (and article id), every good record is still written,
# and the exit status is 1.
set -u
sitrep=${SITREP:-build/sitrep}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

printf 'date 2025-01-01 Good one.\n--\ndate 2025-01-02 Bad \xff byte.\n--\ndate 2025-01-03\n--\n' > "$tmp/a.txt"
printf 'date 2025-01-04 NUL \0 inside.\n--\ndate 2025-01-05 Good two.\n' > "$tmp/nul.txt"
printf '{"id":"j1","text":"Good three."}\n{"id":"j2","text":\n{"id":"j3","text":"Good four."}\n' > "$tmp/b.jsonl"
# A 100 MB article (over the default 16 MiB limit), then a good one.
{ printf 'date 2025-01-06 '; head -c 100000000 /dev/zero | tr '\0' 'a'; printf '\n--\nGood five.\n'; } > "$tmp/big.txt"
: > "$tmp/empty.txt"

"$sitrep" extract "$tmp/a.txt" "$tmp/nul.txt" "$tmp/b.jsonl" "$tmp/big.txt" "$tmp/empty.txt" \
  "$tmp/missing.txt" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ $rc = 1 ] || fail "exit status $rc, want 1"
n=$(wc -l < "$tmp/out")
[ "$n" = 6 ] || fail "$n articles written, want 6 (4 good + repaired UTF-8 + ...)"
for want in "Good one." "Good two." "Good three." "Good four." "Good five."; do
  grep -q "\"text\":\"$want\"" "$tmp/out" || fail "missing good article '$want'"
done
grep -q "a.txt:3 (article a#2): invalid UTF-8 replaced by U+FFFD at byte 4" "$tmp/err" || fail "no UTF-8 warning"
grep -q "a.txt:5 (article a#3): invalid input: empty article" "$tmp/err" || fail "no empty-article error"
grep -q "nul.txt:1 (article nul): invalid input: NUL byte at offset 4" "$tmp/err" || fail "no NUL error"
grep -q "b.jsonl:2 (article b:2): invalid input: broken JSON" "$tmp/err" || fail "no broken-JSON error"
grep -q "big.txt:1 (article big): too large: article exceeds the limit of 16777216 bytes" "$tmp/err" || fail "no size error"
grep -q "missing.txt: no such file" "$tmp/err" || fail "no missing-file error"
errs=$(grep -c '^sitrep: error:' "$tmp/err")
[ "$errs" = 5 ] || { cat "$tmp/err"; fail "$errs error lines, want 5"; }
# Every message is one line.
awk 'length($0) > 300 { exit 1 }' "$tmp/err" || fail "an error line is longer than 300 characters"

# stdin, with format sniffing, and gzip/zstd on stdin.
printf '{"id":"s","text":"From stdin."}\n' | "$sitrep" extract | grep -q '"id":"s"' || fail "stdin JSONL"
printf 'date 2025-02-02 Plain stdin.\n' | gzip | "$sitrep" extract - | grep -q '"date":"2025-02-02"' || fail "gzip stdin"
printf 'Zstd stdin.\n' | zstd -q | "$sitrep" extract | grep -q 'Zstd stdin.' || fail "zstd stdin"
echo "ok: bad input handled"
