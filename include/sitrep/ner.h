// Named-entity recognizer: people, organizations and places.
//
// A greedy left-to-right averaged perceptron over hashed features labels
// each token with a BILOU tag of a coarse type (PER, ORG, LOC): the word,
// its affixes, shape and POS, a window of neighbours, the tags already
// chosen, what the same word was labelled earlier in the document, a role
// noun before it, and gazetteer matches. Common words written in lower case
// (seen in training, never inside a name; the set ships in the model) are O
// outside a mention by construction: neither scored nor trained on. After
// decoding, the gazetteer refines places (GPE/LOC) and nationalities (NORP),
// names label their other occurrences in the document, and titles before
// people are kept as spans. The model lives in one file (kind "ner"),
// loaded by mmap; an EntityRecognizer is immutable and shared by all threads.
//
// Corpora for training and evaluation come in three formats, read into
// NerSentence: CoNLL columns (word first, IOB1 or IOB2 tag last; WikiGold,
// BTC, WNUT-17), UNER's IOB2 files (ID, word, tag) and CoNLL-U with GUM's
// `Entity=` mentions in MISC (named mentions of people, places and
// organizations: see ReadNerFile).
#ifndef SITREP_NER_H_
#define SITREP_NER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/evaluate.h"
#include "sitrep/gazetteer.h"
#include "sitrep/status.h"
#include "sitrep/tagger.h"
#include "sitrep/word_clusters.h"

namespace sitrep {

class EntityRecognizer {
 public:
  ~EntityRecognizer();
  EntityRecognizer(const EntityRecognizer&) = delete;
  EntityRecognizer& operator=(const EntityRecognizer&) = delete;

  // Loads a NER model file (models/ner.bin). A model trained with gazetteer
  // features needs the gazetteer it was trained with, which must outlive the
  // recognizer; one trained without ignores it.
  static Result<std::unique_ptr<EntityRecognizer>> Load(const std::string& path,
                                                        const Gazetteer* gazetteer = nullptr);

  // Replaces doc->entities() (and clears entity_values()) with the PERSON,
  // ORG, GPE, LOC and NORP mentions found, sorted and non-overlapping, each
  // within one sentence, people with their title spans. Without a
  // gazetteer every place is LOC and no NORP is found.
  // REQUIRES: doc->tokens() and doc->sentences() are set. Uses doc->tags()
  // when set (the model is trained with them; without, accuracy drops).
  void Recognize(Document* doc) const;

 private:
  EntityRecognizer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A gold entity: words [begin, end) of a NerSentence.
struct NerSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  EntityType type = EntityType::kNone;  // kPerson, kOrg or kLoc
};

struct NerSentence {
  std::string doc_id;  // sentences of one document share it; "" if unknown
  std::vector<std::string> words;
  std::vector<NerSpan> spans;  // sorted, non-overlapping
  // Named mentions of other types (MISC, OTH, products, ...): words
  // [first, second). Not entities here, but their words are names.
  std::vector<std::pair<uint32_t, uint32_t>> other_mentions;
};

// Reads an NER corpus. The format follows from the name and content: ".conllu"
// is CoNLL-U with GUM entities (a mention of type person, place or
// organization counts when its syntactic head is a proper noun; its span is
// the run of proper nouns around the head, joined by "of", "and", "&", "de",
// "the" and hyphens, so determiners, titles and modifiers stay outside, as
// in CoNLL); ".iob2" is UNER (tab-separated ID, word, tag); anything else is
// CoNLL columns separated by spaces or tabs, word first and tag last, with
// "-DOCSTART-" lines as document breaks. Tags map onto PER, ORG, LOC by
// name (PER/person, ORG/organization/corporation, LOC/location/place/geo-loc);
// other types (MISC, OTH, product, ...) are not entities. Fails with
// InvalidArgument naming the line on malformed input.
Result<std::vector<NerSentence>> ReadNerFile(const std::string& path);
// The same, on text already in memory; `name` decides the format as the path does.
Status ParseNer(std::string_view data, const std::string& name, std::vector<NerSentence>* out);

struct NerTrainOptions {
  int epochs = 10;
  float min_weight = 1.0f;  // averaged weights below this magnitude are pruned
  uint64_t seed = 20250309;  // document order shuffling
  // Word classes for features (`sitrep train clusters`); the model keeps a
  // copy of them, so it needs no other file. Not owned; nullptr: none.
  const WordClusters* clusters = nullptr;
};

// Trains on `train` (tagged by `tagger` when given, else without POS; with
// gazetteer features when `gazetteer` is given) and writes the model to
// `out_path` with `meta_json` as its metadata. Deterministic for given data.
Status TrainNer(const std::vector<NerSentence>& train, const Tagger* tagger,
                const Gazetteer* gazetteer, const NerTrainOptions& options, const std::string& out_path,
                const std::string& meta_json);

// Entity-level scores (exact span and type, as conlleval) with gold tokens,
// over the coarse types PER, ORG, LOC (GPE, LOC and FAC predictions count as
// LOC; NORP and numeric types are ignored).
struct NerScores {
  SpanCounts all;
  std::map<std::string, SpanCounts> by_type;
};
// When `errors` is given, each sentence whose mentions differ is appended
// to it with the gold and the system mentions.
NerScores EvaluateNer(const std::vector<NerSentence>& gold, const Tagger* tagger,
                      const EntityRecognizer& ner, std::string* errors = nullptr);

}  // namespace sitrep

#endif  // SITREP_NER_H_
