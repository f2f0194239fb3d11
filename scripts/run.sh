#!/usr/bin/env bash
# Sets up, builds and runs sitrep on real input: our example articles in
# examples/ (and the seed article when ../shared is present). Writes one JSON
# object per article to out/examples.jsonl and prints a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
mkdir -p out
inputs=(examples/)
[ -f ../shared/seed/000_0d1d3b4136f24779.txt ] && inputs+=(../shared/seed/000_0d1d3b4136f24779.txt)
build/sitrep extract "${inputs[@]}" -o out/examples.jsonl
python3 - out/examples.jsonl <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    toks = sum(len(s.get("tokens", [])) for s in d["sentences"])
    ents = d.get("entities", [])
    print(f'{d["id"]:<28} {d.get("date", "-"):<10} {len(d["paragraphs"]):>3} paragraphs '
          f'{len(d["sentences"]):>3} sentences {toks:>5} tokens {len(ents):>4} entities')
print(f"written: {sys.argv[1]}")
# The entities of the last article (the seed when present), first mention of each.
seen = set()
print("\nentities of the last article:")
for e in ents:
    key = (e["type"], e["text"])
    if key in seen:
        continue
    seen.add(key)
    title = f'  (title: {e["title"]["text"]})' if "title" in e else ""
    value = f'  = {e["value"]}' if e.get("value") else ""
    print(f'  {e["type"]:<9} {e["text"]}{title}{value}')
# Its actors (linked to the knowledge base or document-level) and quotations.
print("\nactors of the last article:")
for a in d.get("actors", []):
    role = a.get("role", {})
    extra = []
    if role.get("text"): extra.append(f'text role "{role["text"]}"')
    if role.get("kb"): extra.append(f'KB: {role["kb"]} ({role.get("of", "")}) since {role["since"]}')
    if role.get("conflict"): extra.append("ROLE CONFLICT")
    if "geo" in a and a["kind"] == "place":
        g = a["geo"]
        extra.append(f'{g.get("country", "")} {g["lat"]:.2f},{g["lon"]:.2f} {g.get("precision", "")}')
    print(f'  {a["kind"]:<8} {a["id"]:<16} {a.get("name", ""):<24} {len(a["mentions"]):>2} mentions  '
          + "; ".join(extra))
text = d.get("text", "")
print("\nquotations of the last article:")
for q in d.get("quotes", []):
    sp = q.get("speaker", {})
    who = d["actors"][sp["actor"]]["name"] if "actor" in sp else sp.get("text", "?")
    content = q["content"][0]["text"]
    print(f'  {q["kind"]:<8} {who:<16} {q.get("cue", {}).get("text", ""):<13} "{content[:60]}..."')
print("\nevents of the last article (PLOVER type, source -> target, place, date, modality):")
def actors(args):
    return ", ".join(a["text"] + (f' [{a["code"]}{" " + a["sector"] if a.get("sector") else ""}]'
                                  if a.get("code") else "") for a in args) or "-"
for e in d.get("events", []):
    if e.get("parent") is not None:
        continue  # complements and acts inside a statement: see the JSON
    mod = e["modality"] + (", negated" if e["negated"] else "")
    where = e.get("location", {}).get("text", "-")
    when = e.get("date", "-") + (".." + e["enddate"] if e.get("enddate") else "")
    print(f'  {e["type"]:<9} {actors(e["source"])} -> {actors(e["target"])}; at {where}; {when}; '
          f'{mod}; "{e["trigger"]["text"]}"')
PY
# One analysed sentence as CoNLL-U (ID FORM LEMMA UPOS XPOS _ HEAD DEPREL).
first=${inputs[-1]}
echo
echo "first sentence of $first, tagged and parsed:"
build/sitrep extract -f conllu "$first" | awk '/^# text/ {n++} n == 1' | awk 'NF == 0 {exit} {print}' | cut -f1-5,7,8
