// Pipeline: the analysis stages in order, loaded once and shared.
//
// A Pipeline owns one instance of each stage (tokenizer, sentence splitter,
// tagger, parser), loads their models at construction and is immutable after
// it, so one Pipeline serves any number of threads, each with its own
// Document. Stage order and the Document fields each reads and writes:
//
//   tokenizer  text                    -> tokens
//   splitter   tokens                  -> sentences, paragraphs
//   tagger     tokens, sentences       -> tags, lemma_pool
//   parser     tokens, sentences, tags -> deps
//   ner        tokens, sentences, tags -> entities (names, with the gazetteer)
//   numeric    tokens, sentences, tags, entities -> entities (dates, times,
//              money, percents, quantities, cardinals, ordinals; values)
//   linker     tokens, sentences, tags, deps, entities, meta.date (with the
//              knowledge base) -> actors, mentions, actor_pool
//   times      tokens, tags, deps, entities, meta.date -> times (DATE and TIME
//              entities resolved against the article date)
//   quotes     tokens, sentences, paragraphs, tags, deps, mentions, actors
//              (with the cue lexicon) -> quotes
//   events     tokens, sentences, tags, deps, mentions, actors, times, quotes
//              (with the event lexicon) -> events, event_args
#ifndef SITREP_PIPELINE_H_
#define SITREP_PIPELINE_H_

#include <memory>
#include <string>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/events.h"
#include "sitrep/gazetteer.h"
#include "sitrep/kb.h"
#include "sitrep/linker.h"
#include "sitrep/ner.h"
#include "sitrep/numeric_entities.h"
#include "sitrep/parser.h"
#include "sitrep/quotes.h"
#include "sitrep/status.h"
#include "sitrep/tagger.h"
#include "sitrep/text.h"
#include "sitrep/time_resolve.h"

namespace sitrep {

struct PipelineOptions {
  // Directory holding segmenter.bin, tagger.bin, parser.bin, ner.bin,
  // gazetteer.bin and kb.bin.
  std::string models_dir = "models";
  // Overrides for single model files (empty: <models_dir>/<name>.bin).
  std::string segmenter_model, tagger_model, parser_model, ner_model, gazetteer_model, kb_model;
  bool rules_only_segmenter = false;  // split sentences without the boundary model
  bool tag = true;                    // run the tagger (and lemmatizer)
  bool parse = true;                  // run the parser; requires tag
  int parser_beam = 0;                // parser beam width (0: the model's own)
  bool ner = true;                    // find named entities; requires tag
  bool numeric = true;                // find numeric and temporal entities
  bool link = true;                   // link entities to actors and places; requires ner
  bool resolve_times = true;          // resolve dates and times against the article date
  bool quotes = true;                 // find quotations and their speakers
  // The quotation cue lexicon (empty: data/quotes/cues.tsv beside models_dir,
  // i.e. <models_dir>/../data/quotes/cues.tsv).
  std::string quote_cues;
  bool events = true;  // code events; requires tag and parse
  // Event lexicon files, in override order (empty: data/events/lexicon.tsv
  // beside models_dir). Users add their own after the shipped one.
  std::vector<std::string> event_lexicons;
};

class Pipeline {
 public:
  // Loads every model the options ask for; fails with the first model that
  // is missing, damaged or of another version.
  static Result<std::unique_ptr<Pipeline>> Create(const PipelineOptions& options);

  // Runs every stage on doc->text(), replacing earlier annotations.
  void Annotate(Document* doc) const;

  const Tokenizer& tokenizer() const { return tokenizer_; }
  const SentenceSplitter& splitter() const { return *splitter_; }
  const Tagger* tagger() const { return tagger_.get(); }  // null when not loaded
  const Parser* parser() const { return parser_.get(); }  // null when not loaded
  const EntityRecognizer* ner() const { return ner_.get(); }  // null when not loaded
  const Gazetteer* gazetteer() const { return gazetteer_.get(); }
  const KnowledgeBase* kb() const { return kb_.get(); }  // null when not loaded
  const QuoteExtractor* quotes() const { return quotes_.get(); }  // null when not loaded
  const EventCoder* events() const { return events_.get(); }      // null when not loaded

 private:
  Pipeline() = default;
  Tokenizer tokenizer_;
  std::unique_ptr<SentenceSplitter> splitter_;
  std::unique_ptr<Tagger> tagger_;
  std::unique_ptr<Parser> parser_;
  std::unique_ptr<Gazetteer> gazetteer_;
  std::unique_ptr<EntityRecognizer> ner_;  // after gazetteer_: it points to it
  std::unique_ptr<NumericEntityFinder> numeric_;
  std::unique_ptr<KnowledgeBase> kb_;
  std::unique_ptr<Linker> linker_;  // after kb_: it points to it
  std::unique_ptr<TimeResolver> times_;
  std::unique_ptr<QuoteExtractor> quotes_;
  std::unique_ptr<EventCoder> events_;
  int parser_beam_ = 0;
};

}  // namespace sitrep

#endif  // SITREP_PIPELINE_H_
