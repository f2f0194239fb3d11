#!/usr/bin/env bash
# Sets up, builds and runs every test: unit tests, golden end-to-end files and
# CLI bad-input checks (release build, then again under ASan+UBSan), and each
# libFuzzer target briefly. Usage: bash scripts/test.sh   (FUZZ_SECONDS=N to change)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

echo "== release build and tests"
bash scripts/build.sh release
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== ASan+UBSan build and tests"
bash scripts/build.sh asan
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== eval script tests and the event lexicon check"
python3 -m unittest discover -s eval/tests
python3 scripts/check_event_lexicon.py data/events/lexicon.tsv

echo "== fuzz targets, ${FUZZ_SECONDS:-20}s each"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"

if [ -d ../shared/data/ud_english_ewt ]; then
  echo "== segmentation scores (see eval/RESULTS.md)"
  build/sitrep evaluate segment ../shared/data/ud_english_ewt/en_ewt-ud-test.conllu \
    ../shared/data/ud_english_gum/en_gum-ud-test.conllu | grep -E 'conllu|all'
  echo "== tagger and parser scores (see eval/RESULTS.md)"
  build/sitrep evaluate parser ../shared/data/ud_english_ewt/en_ewt-ud-test.conllu \
    ../shared/data/ud_english_gum/en_gum-ud-test.conllu
  echo "== named-entity scores (see eval/RESULTS.md)"
  build/sitrep evaluate ner ../shared/data/uner_english_ewt/en_ewt-ud-test.iob2 \
    ../shared/data/ud_english_gum/en_gum-ud-test.conllu
fi
echo "== linking, coreference and geocoding (see eval/RESULTS.md)"
python3 eval/linking_eval.py | tail -3
if [ -d ../shared/data/ud_english_gum ]; then python3 eval/geocode_eval.py | tail -1; fi
if [ -f ../shared/eval/events/plover_gsr_dev.json ]; then
  echo "== events on the PLOVER gold dev half (see eval/RESULTS.md)"
  python3 eval/events_eval.py | sed -n '/^| measure/,/^$/p'
fi
echo "== all tests passed"
