#!/usr/bin/env bash
# Retrains every shipped model from the treebanks in ../shared/data, with the
# settings recorded in models/README.md. Deterministic: the same data and
# build give byte-identical models. Usage: bash scripts/train_models.sh
# (or `cmake --build build --target models`).
set -euo pipefail
cd "$(dirname "$0")/.."
sitrep=${SITREP:-build/sitrep}
[ -x "$sitrep" ] || { bash scripts/build.sh release; sitrep=build/sitrep; }
D=${SITREP_DATA:-../shared/data}

# Sentence-boundary model. Hyperparameters (epochs, bits) were chosen on the
# dev sets with a train-only model (first command); the shipped model is then
# retrained on train + dev (second command), GUM restricted to its permissive
# genres (the default).
"$sitrep" train segmenter \
  --train "$D/ud_english_ewt/en_ewt-ud-train.conllu" --train "$D/ud_english_gum/en_gum-ud-train.conllu" \
  --dev "$D/ud_english_ewt/en_ewt-ud-dev.conllu" --dev "$D/ud_english_gum/en_gum-ud-dev.conllu" \
  --epochs 8 --bits 18 -o models/segmenter.train-only.bin
rm -f models/segmenter.train-only.bin
"$sitrep" train segmenter \
  --train "$D/ud_english_ewt/en_ewt-ud-train.conllu" --train "$D/ud_english_gum/en_gum-ud-train.conllu" \
  --train "$D/ud_english_ewt/en_ewt-ud-dev.conllu" --train "$D/ud_english_gum/en_gum-ud-dev.conllu" \
  --epochs 8 --bits 18 -o models/segmenter.bin

# POS tagger and lemmatizer: EWT train + GUM train (permissive genres).
"$sitrep" train tagger \
  --train "$D/ud_english_ewt/en_ewt-ud-train.conllu" --train "$D/ud_english_gum/en_gum-ud-train.conllu" \
  --dev "$D/ud_english_ewt/en_ewt-ud-dev.conllu" --dev "$D/ud_english_gum/en_gum-ud-dev.conllu" \
  --epochs 8 -o models/tagger.bin

# Dependency parser: the same data, trained on tags from 5 jackknifed taggers
# (each trained on the other four fifths) so its input tags carry the errors
# tags on new text carry; beam search of width 8, trained globally (~25 min).
# The treebank is augmented with sentences built from its own trees in
# constructions news is full of and the treebanks rarely show: a final
# reporting clause ("..., security expert Rainer Saks said.") and a fronted
# bare time phrase ("Next week, ...") and a fronted source ("According to
# U.S. expert Andreas Kaju, ...").
"$sitrep" train parser \
  --train "$D/ud_english_ewt/en_ewt-ud-train.conllu" --train "$D/ud_english_gum/en_gum-ud-train.conllu" \
  --dev "$D/ud_english_ewt/en_ewt-ud-dev.conllu" --dev "$D/ud_english_gum/en_gum-ud-dev.conllu" \
  --jackknife 5 --tagger-epochs 8 --tagger models/tagger.bin --beam 8 --epochs 20 --min-weight 1 \
  --augment-reporting 0.06 --augment-time 0.02 --augment-according 0.02 \
  -o models/parser.bin

# Gazetteer: names of countries, divisions, cities, nationalities, office
# holders and organizations, extracted from the reference facts in
# ../shared/data/reference (see the script for sources and licenses).
python3 scripts/gazetteer_sources.py "$D/reference" > models/gazetteer.tsv.tmp
"$sitrep" build gazetteer models/gazetteer.tsv.tmp -o models/gazetteer.bin
rm -f models/gazetteer.tsv.tmp

# Named entities: UNER English-EWT train, GUM train (permissive genres;
# named mentions of people, places, organizations), WikiGold, BTC, WNUT-17;
# POS from the tagger above, gazetteer features.
"$sitrep" train ner \
  --train "$D/uner_english_ewt/en_ewt-ud-train.2022-12-02-prerelease-DO-NOT-USE.iob2" \
  --train "$D/ud_english_gum/en_gum-ud-train.conllu" \
  --train "$D/wikigold/CONLL-format/data/wikigold.conll.txt" \
  $(for f in "$D"/btc/CONLL-format/data/*.conll; do printf -- '--train %s ' "$f"; done) \
  --train "$D/wnut17/CONLL-format/data/train/wnut17train.conll" \
  --dev "$D/uner_english_ewt/en_ewt-ud-dev.iob2" --dev "$D/ud_english_gum/en_gum-ud-dev.conllu" \
  --tagger models/tagger.bin --gazetteer models/gazetteer.bin --epochs 10 -o models/ner.bin
