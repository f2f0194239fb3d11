#include "sitrep/pipeline.h"

namespace sitrep {

namespace {
std::string ModelPath(const std::string& override_path, const std::string& dir,
                      const char* name) {
  return override_path.empty() ? dir + "/" + name : override_path;
}
}  // namespace

Result<std::unique_ptr<Pipeline>> Pipeline::Create(const PipelineOptions& options) {
  std::unique_ptr<Pipeline> p(new Pipeline);
  SentenceSplitterOptions so;
  if (!options.rules_only_segmenter)
    so.model_path = ModelPath(options.segmenter_model, options.models_dir, "segmenter.bin");
  auto splitter = SentenceSplitter::Create(so);
  if (!splitter.ok()) return splitter.status();
  p->splitter_ = std::move(splitter.value());
  if (options.tag || options.parse || options.ner) {
    auto tagger = Tagger::Load(ModelPath(options.tagger_model, options.models_dir, "tagger.bin"));
    if (!tagger.ok()) return tagger.status();
    p->tagger_ = std::move(tagger.value());
  }
  if (options.parse) {
    auto parser = Parser::Load(ModelPath(options.parser_model, options.models_dir, "parser.bin"));
    if (!parser.ok()) return parser.status();
    p->parser_ = std::move(parser.value());
    p->parser_beam_ = options.parser_beam;
  }
  if (options.ner) {
    auto gazetteer =
        Gazetteer::Load(ModelPath(options.gazetteer_model, options.models_dir, "gazetteer.bin"));
    if (!gazetteer.ok()) return gazetteer.status();
    p->gazetteer_ = std::move(gazetteer.value());
    auto ner = EntityRecognizer::Load(ModelPath(options.ner_model, options.models_dir, "ner.bin"),
                                      p->gazetteer_.get());
    if (!ner.ok()) return ner.status();
    p->ner_ = std::move(ner.value());
  }
  if (options.numeric) p->numeric_ = std::make_unique<NumericEntityFinder>();
  if (options.link && options.ner) {
    auto kb = KnowledgeBase::Load(ModelPath(options.kb_model, options.models_dir, "kb.bin"));
    if (!kb.ok()) return kb.status();
    p->kb_ = std::move(kb.value());
    p->linker_ = std::make_unique<Linker>(p->kb_.get());
  }
  if (options.resolve_times) p->times_ = std::make_unique<TimeResolver>();
  if (options.quotes) {
    const std::string cues = options.quote_cues.empty()
                                 ? options.models_dir + "/../data/quotes/cues.tsv"
                                 : options.quote_cues;
    auto quotes = QuoteExtractor::Load(cues);
    if (!quotes.ok()) return quotes.status();
    p->quotes_ = std::move(quotes.value());
  }
  if (options.events && options.parse) {
    std::vector<std::string> lexicons = options.event_lexicons;
    if (lexicons.empty()) lexicons.push_back(options.models_dir + "/../data/events/lexicon.tsv");
    auto events = EventCoder::Load(lexicons);
    if (!events.ok()) return events.status();
    p->events_ = std::move(events.value());
  }
  return p;
}

void Pipeline::Annotate(Document* doc) const {
  tokenizer_.Tokenize(doc);
  splitter_->Split(doc);
  if (tagger_) tagger_->Tag(doc);
  if (parser_) parser_->Parse(doc, parser_beam_);
  if (ner_) ner_->Recognize(doc);
  if (numeric_) numeric_->Find(doc);
  if (linker_) linker_->Link(doc);
  if (times_) times_->Resolve(doc);
  else doc->times().clear();  // no stale resolutions from an earlier article
  if (quotes_) quotes_->Extract(doc);
  if (events_) events_->Code(doc, kb_.get());
}

}  // namespace sitrep
