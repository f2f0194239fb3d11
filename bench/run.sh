#!/usr/bin/env bash
# Tokenization + sentence splitting throughput, single thread, on the real
# corpora in ../shared/corpora, with the npm peers (wink-nlp, compromise) on
# the same texts in the same run; then POS tagging (+ lemmas) on Reuters
# against wink-nlp, with UPOS F1 of both on EWT test scored the same way.
# Prints JSON lines and ratio tables.
# Usage: bash bench/run.sh [--repeat N]
# The tagger model is models/tagger.bin, or $SITREP_TAGGER.
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

# POS tagging: sitrep's tokenizer + splitter + tagger (with lemmas) against
# wink-nlp's readDoc with its sbd and pos pipes, on the same Reuters texts.
tagger=${SITREP_TAGGER:-models/tagger.bin}
if [ ! -f "$tagger" ]; then
  echo "no tagger model at $tagger (set SITREP_TAGGER): POS section skipped" >&2
  exit 0
fi
[ -x build/bench_analyze ] || bash scripts/build.sh release
f=../shared/corpora/reuters21578.jsonl
ewt=../shared/data/ud_english_ewt/en_ewt-ud-test.conllu
s=$(build/bench_analyze --tagger "$tagger" --corpus "$f" --repeat 2)  # ~10 s a pass
sa=$(build/bench_analyze --tagger "$tagger" --conllu "$ewt")
p=$(node bench/peers_pos.js --corpus "$f" --repeat 2)
pl=$(node bench/peers_pos.js --corpus "$f" --repeat 2 --lemma)
pa=$(node bench/peers_pos.js --conllu "$ewt")
printf '%s\n' "reuters21578 sitrep $s" "ewt-test sitrep $sa" "reuters21578 $p" "reuters21578 $pl" \
  "ewt-test $pa"
echo
echo "| corpus | engine | M tokens/s (tokenize + split + tag) | M tokens/s (tagger alone) | model load ms | models RSS MB | peak RSS MB | EWT test UPOS F1 | sitrep / peer tokens/s |"
echo "|---|---|---|---|---|---|---|---|---|"
python3 - "$s" "$sa" "$p" "$pl" "$pa" <<'PY'
import json, sys
s, sa, p, pl, pa = (json.loads(x) for x in sys.argv[1:])
print(f"| reuters21578 | sitrep (POS + lemma) | {s['analyze_tokens_per_s']/1e6:.2f} | {s['tag_tokens_per_s']/1e6:.2f} | "
      f"{s['tagger_load_ms']:.0f} | {s['models_rss_mb']:.0f} | {s['max_rss_mb']:.0f} | {sa['upos_f1']:.2f} | 1 |")
for q in (p, pl):
    print(f"| reuters21578 | wink-nlp ({q['stage'].replace('+', ' + ')}) | {q['tokens_per_s']/1e6:.2f} | | | | "
          f"{q['max_rss_mb']:.0f} | {pa['upos_f1']:.2f} | {s['analyze_tokens_per_s']/q['tokens_per_s']:.2f} |")
PY

# Tagger + parser: every analysis stage sitrep extract runs, per stage; the
# parser with the beam width of its model (the default) and greedy (--beam 1).
parser=${SITREP_PARSER:-models/parser.bin}
if [ -f "$parser" ]; then
  sp=$(build/bench_analyze --tagger "$tagger" --parser "$parser" --corpus "$f" --repeat 2)
  sp1=$(build/bench_analyze --tagger "$tagger" --parser "$parser" --beam 1 --corpus "$f" --repeat 2)
  echo "reuters21578 sitrep+parser $sp"
  echo "reuters21578 sitrep+parser(beam 1) $sp1"
  echo
  echo "| corpus | parser beam | M tokens/s tagger | M tokens/s parser | M tokens/s tokenize + split + tag + parse | load ms tagger + parser | models RSS MB | peak RSS MB |"
  echo "|---|---|---|---|---|---|---|---|"
  python3 - "$sp" "$sp1" <<'PY'
import json, sys
for arg, beam in zip(sys.argv[1:], ("model's", "1")):
    s = json.loads(arg)
    print(f"| reuters21578 | {beam} | {s['tag_tokens_per_s']/1e6:.2f} | {s['parse_tokens_per_s']/1e6:.3f} | "
          f"{s['analyze_tokens_per_s']/1e6:.3f} | {s['tagger_load_ms']:.0f} + {s['parser_load_ms']:.0f} | "
          f"{s['models_rss_mb']:.0f} | {s['max_rss_mb']:.0f} |")
PY
fi

# Named entities: NER alone and the whole pipeline so far (tokenize, split,
# tag, parse, NER) on the first 2,000 Reuters articles, against compromise
# (people, places, organizations) on the same texts; entity F1 of both on
# UNER English-EWT test.
ner=${SITREP_NER:-models/ner.bin}
if [ -f "$ner" ] && [ -f "$parser" ]; then
  uner=../shared/data/uner_english_ewt/en_ewt-ud-test.iob2
  sn=$(build/bench_analyze --tagger "$tagger" --ner "$ner" --corpus "$f" --limit 2000 --repeat 2)
  snp=$(build/bench_analyze --tagger "$tagger" --parser "$parser" --ner "$ner" --corpus "$f" --limit 2000)
  sf=$(build/sitrep evaluate ner "$uner" | grep -oE 'F1 [0-9.]+' | head -1 | cut -d' ' -f2)
  pn=$(node bench/peers_ner.js --corpus "$f" --limit 2000)
  pf=$(node bench/peers_ner.js --iob2 "$uner")
  printf '%s\n' "reuters2000 sitrep+ner $sn" "reuters2000 sitrep+parser+ner $snp" "reuters2000 $pn" "uner-test $pf"
  echo
  echo "| corpus | engine | M tokens/s NER alone | M tokens/s tokenize + split + tag + NER | M tokens/s with the parser too | NER load ms | UNER test F1 | sitrep / peer tokens/s (with parser) |"
  echo "|---|---|---|---|---|---|---|---|"
  python3 - "$sn" "$snp" "$sf" "$pn" "$pf" <<'PY'
import json, sys
sn, snp = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sf, pn, pf = float(sys.argv[3]), json.loads(sys.argv[4]), json.loads(sys.argv[5])
print(f"| reuters (2,000) | sitrep | {sn['ner_tokens_per_s']/1e6:.3f} | {sn['analyze_tokens_per_s']/1e6:.3f} | "
      f"{snp['analyze_tokens_per_s']/1e6:.4f} | {sn['ner_load_ms']:.0f} | {sf:.2f} | 1 |")
print(f"| reuters (2,000) | compromise | | {pn['tokens_per_s']/1e6:.4f} | | | {pf['f1']:.2f} | "
      f"{snp['analyze_tokens_per_s']/pn['tokens_per_s']:.1f}x |")
PY
fi

# Knowledge base (issue 5): the longest-match scan alone, warm (bench_kb), and
# the scan and the linker inside the pipeline (bench_analyze --kb: tokenize,
# split, tag, parse, NER, link), first 2,000 Reuters articles.
if [ -f models/kb.bin ] && [ -f "$ner" ]; then
  kb=$(build/bench_kb --kb models/kb.bin --corpus "$f" --limit 5000 --repeat 5)
  kp=$(build/bench_analyze --tagger "$tagger" --parser "$parser" --ner "$ner" --kb models/kb.bin \
       --corpus "$f" --limit 2000)
  printf '%s\n' "reuters5000 kb-scan $kb" "reuters2000 pipeline+link $kp"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  python3 - "$kb" "$kp" <<'PY'
import json, sys
kb, kp = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"| KB scan alone, warm (M tokens/s) | {kb['scan_tokens_per_s']/1e6:.1f} |")
print(f"| KB scan between the other stages (M tokens/s) | {kp['kb_scan_tokens_per_s']/1e6:.1f} |")
print(f"| linker, incl. its scan, coreference, geocoding (M tokens/s) | {kp['link_tokens_per_s']/1e6:.2f} |")
print(f"| linker time / rest of the pipeline | {kp['link_share_pct']:.1f}% |")
print(f"| knowledge base load (ms) | {kp['kb_load_ms']:.0f} |")
PY
fi

# The whole pipeline with events (issue 7): tokenize, split, tag, parse, NER,
# link, numeric entities and times, quotations, events; single thread, first
# 2,000 Reuters articles, with the model's beam and greedy (--beam 1).
if [ -f models/kb.bin ] && [ -f "$ner" ] && [ -f data/events/lexicon.tsv ]; then
  ev=$(build/bench_analyze --tagger "$tagger" --parser "$parser" --ner "$ner" --kb models/kb.bin \
       --quotes data/quotes/cues.tsv --events data/events/lexicon.tsv --corpus "$f" --limit 2000)
  ev1=$(build/bench_analyze --tagger "$tagger" --parser "$parser" --beam 1 --ner "$ner" \
        --kb models/kb.bin --quotes data/quotes/cues.tsv --events data/events/lexicon.tsv \
        --corpus "$f" --limit 2000)
  printf '%s\n' "reuters2000 full-pipeline $ev" "reuters2000 full-pipeline-beam1 $ev1"
  echo
  echo "| parser | tokens/s | sentences/s | articles/s | events coded | event coder (M tokens/s) | coder share | peak RSS (MB) |"
  echo "|---|---|---|---|---|---|---|---|"
  python3 - "$ev" "$ev1" <<'PY'
import json, sys
for name, raw in (("model beam", sys.argv[1]), ("greedy (beam 1)", sys.argv[2])):
    e = json.loads(raw)
    print(f"| {name} | {e['analyze_tokens_per_s']:,.0f} | {e['analyze_sentences_per_s']:,.0f} | "
          f"{e['analyze_articles_per_s']:.1f} | {e['events_found']:,} | "
          f"{e['events_tokens_per_s']/1e6:.2f} | {e['events_share_pct']:.2f}% | {e['max_rss_mb']:.0f} |")
PY
fi
