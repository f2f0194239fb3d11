#!/usr/bin/env bash
# `sitrep ingest` into the corpus database, on articles this script writes
# from templates: ingesting twice adds nothing, a new file appends, queries
# read it back, a changed article replaces its records, `sitrep reprocess`
# re-analyses articles of an older analysis version, bad records go to the error report without
# stopping the ingest, and a kill -9 at several points leaves a consistent
# database that a re-run completes to what an uninterrupted run stores.
set -euo pipefail
cd "$(dirname "$0")/../.."
sitrep=${SITREP:-build/sitrep}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
q() { sqlite3 "$1" "$2"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read())[sys.argv[1]])' "$1"; }

# gen FIRST COUNT [VARIANT] > file.jsonl: synthetic articles a<FIRST>.. of our own text.
gen() {
  python3 - "$@" <<'EOF'
import json, sys
first, count = int(sys.argv[1]), int(sys.argv[2])
variant = sys.argv[3] if len(sys.argv) > 3 else ""
countries = ["Estonia", "Latvia", "Finland", "Poland", "Germany", "France", "Kenya", "Chile", "Japan", "Canada"]
places = ["Tallinn", "Riga", "Helsinki", "Warsaw", "Berlin", "Paris", "Nairobi", "Santiago", "Tokyo", "Ottawa"]
people = ["Mara Ilves", "Tomas Berg", "Anna Kask", "Piotr Nowak", "Lena Vogel", "Jean Morel"]
for i in range(first, first + count):
    a, b = countries[i % 10], countries[(i * 3 + 1) % 10]
    if a == b: b = countries[(i + 5) % 10]
    p, who = places[(i * 7) % 10], people[i % len(people)]
    text = (f"{a} accused {b} of violating the border agreement near {p} on Monday. "
            f"\"We will not accept this provocation,\" said {who}, a spokesman for the {a} foreign ministry. "
            f"Officials from {a} and {b} are expected to meet in {p} next week to discuss trade, "
            f"according to a statement released on {i % 28 + 1} March.\n\n"
            f"The dispute began after {b} moved troops closer to the frontier in report number {i}.")
    if variant:
        text += f" {variant} {who} later said the talks had been cancelled."
    print(json.dumps({"id": f"a{i}", "date": "2025-03-%02d" % (i % 28 + 1),
                      "source": "synthetic", "title": f"Dispute {i}", "text": text}))
EOF
}

# counts DB: one line of row counts of every layer.
counts() {
  q "$1" "select (select count(*) from articles),(select count(*) from sentences),
    (select count(*) from entities),(select count(*) from actors),(select count(*) from mentions),
    (select count(*) from quotes),(select count(*) from events),(select count(*) from event_actors)"
}
# consistent DB: integrity, foreign keys, every article with its layers.
consistent() {
  [ "$(q "$1" 'pragma integrity_check')" = ok ] || fail "$1: integrity_check"
  [ -z "$(q "$1" 'pragma foreign_key_check')" ] || fail "$1: foreign_key_check"
  [ "$(q "$1" 'select count(*) from articles a where not exists (select 1 from sentences s where s.article = a.aid) or not exists (select 1 from mentions m where m.article = a.aid)')" = 0 ] ||
    fail "$1: an article without its layers"
  q "$1" "insert into articles_fts(articles_fts) values('integrity-check')" || fail "$1: articles_fts"
  q "$1" "insert into quotes_fts(quotes_fts) values('integrity-check')" || fail "$1: quotes_fts"
}

gen 0 30 > "$tmp/one.jsonl"
gen 30 20 > "$tmp/two.jsonl"
db="$tmp/news.db"

# First ingest: everything added, every layer written.
out=$("$sitrep" ingest "$tmp/one.jsonl" --db "$db" --threads 2)
[ "$(echo "$out" | field added)" = 30 ] || fail "first ingest: $out"
consistent "$db"
first=$(counts "$db")
[ "$(q "$db" 'select count(*) from quotes')" -ge 30 ] || fail "quotes missing: $first"
[ "$(q "$db" 'select count(*) from events')" -ge 30 ] || fail "events missing: $first"

# Idempotent: the same input again adds nothing.
out=$("$sitrep" ingest "$tmp/one.jsonl" --db "$db" --threads 2)
[ "$(echo "$out" | field added)" = 0 ] && [ "$(echo "$out" | field unchanged)" = 30 ] ||
  fail "second ingest: $out"
[ "$(counts "$db")" = "$first" ] || fail "counts changed: $first -> $(counts "$db")"

# Incremental: a new file appends.
out=$("$sitrep" ingest "$tmp/one.jsonl" "$tmp/two.jsonl" --db "$db" --threads 1 --quiet)
[ "$(echo "$out" | field added)" = 20 ] && [ "$(echo "$out" | field unchanged)" = 30 ] ||
  fail "incremental ingest: $out"
[ "$(q "$db" 'select count(*) from articles')" = 50 ] || fail "not 50 articles"

# Queries over what was stored, in each output format.
[ "$("$sitrep" query articles --db "$db" -n 0 -f csv | wc -l)" = 51 ] || fail "query articles csv"
n=$("$sitrep" query quotes --db "$db" --speaker "Mara Ilves" -n 0 -f jsonl | wc -l)
[ "$n" -ge 1 ] || fail "query quotes by speaker"
"$sitrep" query events --db "$db" --type accuse --country EST -f json |
  python3 -c 'import json,sys; r=json.load(sys.stdin); assert r and all(e["type"]=="ACCUSE" for e in r), r' ||
  fail "query events json"
"$sitrep" query events --db "$db" -f table -n 3 | grep -q "^article  *event  *date" || fail "query table"
"$sitrep" actor "Mara Ilves" --db "$db" | grep -q "^Mara Ilves, person" || fail "actor profile"
[ "$("$sitrep" actor EST --db "$db" -f json | field articles)" -ge 10 ] || fail "actor profile json"

# export: the PLOVER records `extract --format plover` writes (coordinates
# rounded), and one CSV row per event.
"$sitrep" export --db "$db" -f plover -o "$tmp/export.jsonl"
"$sitrep" extract "$tmp/one.jsonl" "$tmp/two.jsonl" --format plover > "$tmp/extract.jsonl"
python3 - "$tmp/extract.jsonl" "$tmp/export.jsonl" <<'EOF' || fail "export plover differs from extract"
import json, sys
def load(path):
    out = {}
    for line in open(path):
        r = json.loads(line)
        for k in ("lat", "lon"):
            if k in r.get("event_loc", {}): r["event_loc"][k] = round(r["event_loc"][k], 4)
        out[r["id"]] = r
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
sys.exit(0 if a == b and a else 1)
EOF
[ "$("$sitrep" export --db "$db" -f csv | wc -l)" = "$(( $(q "$db" 'select count(*) from events') + 1 ))" ] ||
  fail "export csv rows"

# A changed article (same id, new content) replaces its old records.
gen 3 1 "Meanwhile," > "$tmp/changed.jsonl"
out=$("$sitrep" ingest "$tmp/changed.jsonl" --db "$db")
[ "$(echo "$out" | field replaced)" = 1 ] || fail "changed article: $out"
[ "$(q "$db" 'select count(*) from articles')" = 50 ] || fail "replacement added an article"
[ "$(q "$db" "select count(*) from articles where id = 'a3' and text like '%cancelled%'")" = 1 ] ||
  fail "a3 not replaced"
[ "$(q "$db" "select count(*) from articles_fts where articles_fts match 'cancelled'")" = 1 ] ||
  fail "full-text index not updated"
consistent "$db"

# sitrep reprocess re-analyses what older models analysed, and only that.
before=$(counts "$db")
q "$db" "update articles set analysis_version = 'sitrep-0.0.1+old' where id in ('a1', 'a2', 'a7')"
out=$("$sitrep" reprocess --db "$db")
[ "$(echo "$out" | field replaced)" = 3 ] || fail "reprocess: $out"
[ "$(q "$db" "select count(*) from articles where analysis_version like '%old'")" = 0 ] ||
  fail "reprocess left old versions"
[ "$(counts "$db")" = "$before" ] || fail "reprocess changed counts: $before -> $(counts "$db")"
consistent "$db"
out=$("$sitrep" reprocess --db "$db")
[ "$(echo "$out" | field read)" = 0 ] || fail "second reprocess: $out"

# Events across articles: ingest (and reprocess) cluster them at the end;
# `sitrep cluster` rebuilds the clusters; export -f gdelt writes one row each.
nclusters=$(q "$db" 'select count(*) from event_clusters')
[ "$nclusters" -gt 0 ] || fail "ingest left no event clusters"
[ "$(q "$db" 'select count(*) from event_mentions')" = \
  "$(q "$db" "select count(*) from events where negated = 0 and conditional = 0 and modality = 'asserted' and source_code is not null and date is not null")" ] ||
  fail "not every candidate event is in a cluster"
out=$("$sitrep" cluster --db "$db" --window-days 0)
[ "$(echo "$out" | field clusters)" = "$(q "$db" 'select count(*) from event_clusters')" ] ||
  fail "cluster: $out"
[ "$(q "$db" 'select count(*) from event_clusters')" -ge "$nclusters" ] || fail "a narrower window merged clusters"
"$sitrep" export --db "$db" -f gdelt -o "$tmp/gdelt.tsv"
head -n 1 "$tmp/gdelt.tsv" | grep -q "^GLOBALEVENTID	SQLDATE	Actor1Code" || fail "gdelt header: $(head -n 1 "$tmp/gdelt.tsv")"
[ "$(wc -l < "$tmp/gdelt.tsv")" = $(( $(q "$db" 'select count(*) from event_clusters') + 1 )) ] ||
  fail "gdelt: not one line per cluster"
"$sitrep" ingest "$tmp/one.jsonl" --db "$tmp/nocluster.db" --no-cluster > /dev/null
[ "$(q "$tmp/nocluster.db" 'select count(*) from event_clusters')" = 0 ] || fail "--no-cluster clustered"

# Bad records go to the error report and do not stop the ingest.
{ gen 50 1; echo '{"id": "broken", "text": '; echo '{"id": "empty", "text": ""}'; gen 51 1; } > "$tmp/bad.jsonl"
set +e
out=$("$sitrep" ingest "$tmp/bad.jsonl" --db "$db" --errors "$tmp/errors.txt")
rc=$?
set -e
[ "$rc" = 1 ] || fail "bad records: exit status $rc"
[ "$(echo "$out" | field failed)" = 2 ] && [ "$(echo "$out" | field added)" = 2 ] ||
  fail "bad records: $out"
grep -q "bad.jsonl:2" "$tmp/errors.txt" || fail "error report lacks file:line: $(cat "$tmp/errors.txt")"
grep -q "bad.jsonl:3 (empty)" "$tmp/errors.txt" || fail "error report lacks id: $(cat "$tmp/errors.txt")"

# kill -9 at several points (early, in the middle, near the end), then a
# re-run: each time the same articles and rows as an uninterrupted run.
gen 0 400 > "$tmp/many.jsonl"
"$sitrep" ingest "$tmp/many.jsonl" --db "$tmp/whole.db" --threads 2 > /dev/null
killed_at=""
for at in 1 60 300; do
  db="$tmp/killed$at.db"
  "$sitrep" ingest "$tmp/many.jsonl" --db "$db" --threads 2 --batch 20 > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    n=$(q "$db" 'select count(*) from articles' 2>/dev/null || echo 0)
    [ "${n:-0}" -ge "$at" ] && break
    sleep 0.02
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  n=$(q "$db" 'select count(*) from articles')
  consistent "$db"
  out=$("$sitrep" ingest "$tmp/many.jsonl" --db "$db" --threads 2)
  [ "$(echo "$out" | field unchanged)" = "$n" ] || fail "re-run after kill at $at: $n stored, $out"
  consistent "$db"
  [ "$(counts "$db")" = "$(counts "$tmp/whole.db")" ] ||
    fail "killed at $at + resumed $(counts "$db") != whole $(counts "$tmp/whole.db")"
  [ "$(q "$db" 'select group_concat(id || content_hash) from (select * from articles order by id)')" = \
    "$(q "$tmp/whole.db" 'select group_concat(id || content_hash) from (select * from articles order by id)')" ] ||
    fail "killed at $at + resumed: articles differ from the uninterrupted run"
  killed_at="$killed_at $n"
done
echo "ok   ingest (killed after$killed_at of 400 articles, each resumed to the uninterrupted result)"
