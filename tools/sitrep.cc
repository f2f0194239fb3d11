// The sitrep command-line tool.
//
//   sitrep extract [INPUT...]           analyse articles, write JSON per article
//   sitrep ingest INPUT... --db FILE    analyse articles into the corpus database
//   sitrep reprocess --db FILE          re-analyse articles after a model upgrade
//   sitrep actor NAME --db FILE         one actor's profile
//   sitrep export --db FILE             every stored event, PLOVER JSONL or CSV
//   sitrep query KIND --db FILE         events, quotes, articles, actors, places
//   sitrep evaluate segment FILE...     score tokenization and sentence splitting
//
// Exit status: 0 when every record was processed, 1 when at least one record
// or input failed (the others are still processed), 2 on a usage error.
#include <CLI/CLI.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sitrep/conllu.h"
#include "sitrep/evaluate.h"
#include "sitrep/json_output.h"
#include "sitrep/reader.h"
#include "sitrep/augment.h"
#include "sitrep/gazetteer.h"
#include "sitrep/kb.h"
#include "sitrep/ner.h"
#include "sitrep/parser.h"
#include "sitrep/pipeline.h"
#include "sitrep/store.h"
#include "sitrep/tagger.h"
#include "sitrep/text.h"
#include "sitrep/word_clusters.h"
#include "ingest.h"
#include "query.h"

namespace {

using namespace sitrep;

// "file:line (id X)" naming a record in messages.
std::string Where(const Document& doc) {
  std::string w = doc.origin().file;
  if (doc.origin().line) w += ":" + std::to_string(doc.origin().line);
  if (!doc.meta().id.empty()) w += " (article " + doc.meta().id + ")";
  return w;
}

// The models directory: $SITREP_MODELS, else models/ next to or above the
// executable's directory (build/sitrep finds ./models of the source tree).
std::string ModelsDir() {
  if (const char* env = std::getenv("SITREP_MODELS")) return env;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const auto& dir : {exe.parent_path() / "models", exe.parent_path().parent_path() / "models",
                            exe.parent_path().parent_path() / "share" / "sitrep" / "models"})
      if (std::filesystem::exists(dir / "segmenter.bin", ec)) return dir.string();
  }
  return "models";
}

// Builds the sentence splitter: with models/segmenter.bin unless `rules_only`.
std::unique_ptr<SentenceSplitter> MakeSplitter(const std::string& model, bool rules_only) {
  SentenceSplitterOptions o;
  if (!rules_only) o.model_path = model.empty() ? ModelsDir() + "/segmenter.bin" : model;
  auto s = SentenceSplitter::Create(o);
  if (!s.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", s.status().ToString().c_str());
    return nullptr;
  }
  return std::move(s.value());
}

struct ExtractArgs {
  std::vector<std::string> inputs;
  std::string format = "jsonl";
  std::string input_format = "auto";
  std::string output = "-";
  uint64_t max_article_bytes = 16u << 20;
  bool no_text = false;
  bool no_tokens = false;
  std::string segmenter_model;  // empty: <models>/segmenter.bin
  std::string tagger_model;     // empty: <models>/tagger.bin
  std::string parser_model;     // empty: <models>/parser.bin
  bool rules_only = false;
  bool no_syntax = false;
  std::string ner_model;        // empty: <models>/ner.bin
  std::string kb_model;         // empty: <models>/kb.bin
  std::string quote_cues;       // empty: data/quotes/cues.tsv beside <models>
  bool no_quotes = false;
  std::vector<std::string> event_lexicons;  // user lexicons, after the shipped one
  bool no_events = false;
  bool no_link = false;
  std::string gazetteer_model;  // empty: <models>/gazetteer.bin
  int beam = 0;  // parser beam width; 0: the model's own
};

struct TrainSegmenterArgs {
  std::vector<std::string> train;
  std::vector<std::string> dev;
  std::string out = "models/segmenter.bin";
  int epochs = 8;
  int bits = 17;
  bool permissive_only = true;
};

// Reads treebanks, keeping only documents usable for a shipped model.
bool LoadTreebanks(const std::vector<std::string>& files, bool permissive_only,
                   std::vector<TreebankDocument>* docs, std::vector<ConlluSentence>* sentences) {
  for (const std::string& f : files) {
    auto gold = ReadConlluFile(f);
    if (!gold.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", gold.status().ToString().c_str());
      return false;
    }
    std::vector<ConlluSentence> kept;
    for (ConlluSentence& s : *gold) {
      std::string genre = GumGenre(s.doc_id);
      if (permissive_only && !genre.empty() && !IsPermissiveGumGenre(genre)) continue;
      kept.push_back(std::move(s));
    }
    if (docs)
      for (TreebankDocument& d : RebuildTreebankText(kept)) docs->push_back(std::move(d));
    if (sentences)
      for (ConlluSentence& s : kept) sentences->push_back(std::move(s));
  }
  return true;
}

// Model metadata: a JSON object with the model kind, the training files
// (base names), the GUM genre policy and the given numeric settings.
rapidjson::Document TrainingMeta(const char* kind, const std::vector<std::string>& files,
                                 bool permissive_only,
                                 const std::vector<std::pair<const char*, int64_t>>& numbers) {
  rapidjson::Document m(rapidjson::kObjectType);
  auto& al = m.GetAllocator();
  m.AddMember("kind", rapidjson::Value(kind, al), al);
  rapidjson::Value train(rapidjson::kArrayType);
  for (const std::string& f : files)
    train.PushBack(rapidjson::Value(std::filesystem::path(f).filename().string().c_str(), al), al);
  m.AddMember("train", train, al);
  m.AddMember("gum_genres", rapidjson::Value(permissive_only ? "permissive" : "all", al), al);
  for (const auto& [name, v] : numbers)
    m.AddMember(rapidjson::StringRef(name), rapidjson::Value(v), al);
  return m;
}

std::string ToJson(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

int RunTrainSegmenter(const TrainSegmenterArgs& a) {
  std::vector<TreebankDocument> train;
  if (!LoadTreebanks(a.train, a.permissive_only, &train, nullptr)) return 1;
  Tokenizer tokenizer;
  SegmenterTrainOptions o;
  o.epochs = a.epochs;
  o.hash_bits = a.bits;
  rapidjson::Document meta = TrainingMeta(
      "segmenter", a.train, a.permissive_only,
      {{"documents", static_cast<int64_t>(train.size())},
       {"epochs", a.epochs},
       {"hash_bits", a.bits}});
  Status st = TrainSegmenter(train, tokenizer, o, a.out, ToJson(meta));
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", st.ToString().c_str());
    return 1;
  }
  // Score on the dev sets and record the scores in the model's metadata.
  auto& al = meta.GetAllocator();
  rapidjson::Value dev_scores(rapidjson::kArrayType);
  for (const std::string& f : a.dev) {
    std::vector<ConlluSentence> dev;
    if (!LoadTreebanks({f}, false, nullptr, &dev)) return 1;
    auto with = MakeSplitter(a.out, false);
    SentenceSplitter rules;
    if (!with) return 1;
    SegmentationReport rm = EvaluateSegmentation(dev, tokenizer, *with);
    SegmentationReport rr = EvaluateSegmentation(dev, tokenizer, rules);
    std::string name = std::filesystem::path(f).filename().string();
    std::printf("%s: sentence F1 %.2f with the model, %.2f rules only\n", name.c_str(),
                rm.total.sentences.f1(), rr.total.sentences.f1());
    rapidjson::Value d(rapidjson::kObjectType);
    d.AddMember("file", rapidjson::Value(name.c_str(), al), al);
    d.AddMember("sentence_f1", rm.total.sentences.f1(), al);
    d.AddMember("rules_f1", rr.total.sentences.f1(), al);
    dev_scores.PushBack(d, al);
  }
  meta.AddMember("dev", dev_scores, al);
  // Training is deterministic: the same run again, now with the scores.
  st = TrainSegmenter(train, tokenizer, o, a.out, ToJson(meta));
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s\n", a.out.c_str());
  return 0;
}

int RunExtract(const ExtractArgs& a) {
  FILE* out = stdout;
  if (a.output != "-") {
    out = std::fopen(a.output.c_str(), "wb");
    if (!out) {
      std::fprintf(stderr, "sitrep: error: %s: cannot open for writing: %s\n", a.output.c_str(),
                   std::strerror(errno));
      return 1;
    }
  }
  ReaderOptions ro;
  ro.max_article_bytes = a.max_article_bytes;
  ro.format = a.input_format == "jsonl" ? InputFormat::kJsonl
              : a.input_format == "text" ? InputFormat::kText
                                         : InputFormat::kAuto;
  JsonOptions jo;
  jo.pretty = a.format == "json";
  jo.include_text = !a.no_text;
  jo.include_tokens = !a.no_tokens;

  PipelineOptions po;
  po.models_dir = ModelsDir();
  po.segmenter_model = a.segmenter_model;
  po.tagger_model = a.tagger_model;
  po.parser_model = a.parser_model;
  po.rules_only_segmenter = a.rules_only;
  po.tag = po.parse = po.ner = po.numeric = !a.no_syntax;
  po.ner_model = a.ner_model;
  po.kb_model = a.kb_model;
  po.link = !a.no_syntax && !a.no_link;
  po.quotes = !a.no_quotes;
  po.quote_cues = a.quote_cues;
  po.events = !a.no_syntax && !a.no_events;
  if (!a.event_lexicons.empty()) {
    po.event_lexicons.push_back(po.models_dir + "/../data/events/lexicon.tsv");
    po.event_lexicons.insert(po.event_lexicons.end(), a.event_lexicons.begin(),
                             a.event_lexicons.end());
  }
  po.gazetteer_model = a.gazetteer_model;
  po.parser_beam = a.beam;
  auto pipeline = Pipeline::Create(po);
  if (!pipeline.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", pipeline.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string> inputs = a.inputs;
  if (inputs.empty()) inputs.push_back("-");

  uint64_t ok = 0, failed = 0, warned = 0;
  Document doc;
  std::string buf;
  for (const std::string& in : inputs) {
    auto reader = OpenReader(in, ro);
    if (!reader.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", reader.status().ToString().c_str());
      ++failed;
      continue;
    }
    Status st;
    while ((*reader)->Next(&doc, &st)) {
      if (!st.ok()) {
        std::fprintf(stderr, "sitrep: error: %s: %s\n", Where(doc).c_str(), st.ToString().c_str());
        ++failed;
        continue;
      }
      for (const Diagnostic& d : doc.diagnostics()) {
        std::fprintf(stderr, "sitrep: warning: %s: %s\n", Where(doc).c_str(), d.message.c_str());
        ++warned;
      }
      (*pipeline)->Annotate(&doc);
      buf.clear();
      if (a.format == "conllu") {
        AppendDocumentConllu(doc, &buf);
      } else if (a.format == "plover") {
        AppendPloverEvents(doc, &buf);
      } else {
        AppendDocumentJson(doc, jo, &buf);
        buf.push_back('\n');
      }
      if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) {
        std::fprintf(stderr, "sitrep: error: %s: write failed: %s\n", a.output.c_str(),
                     std::strerror(errno));
        return 1;
      }
      ++ok;
    }
  }
  if (std::fflush(out) != 0 || (out != stdout && std::fclose(out) != 0)) {
    std::fprintf(stderr, "sitrep: error: %s: write failed: %s\n", a.output.c_str(),
                 std::strerror(errno));
    return 1;
  }
  if (failed || warned)
    std::fprintf(stderr, "sitrep: %llu articles written, %llu failed, %llu warnings\n",
                 static_cast<unsigned long long>(ok), static_cast<unsigned long long>(failed),
                 static_cast<unsigned long long>(warned));
  return failed ? 1 : 0;
}

// Rebuilds the event clusters of `db` (Store::ClusterEvents). The summary,
// {"candidates": N, "clusters": M}, goes to `summary` (none when null).
// Returns the exit status.
int RunCluster(const std::string& db, const ClusterOptions& options, FILE* summary) {
  StoreOptions so;
  so.must_exist = true;
  auto store = Store::Open(db, so);
  if (!store.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", store.status().ToString().c_str());
    return 1;
  }
  auto stats = (*store)->ClusterEvents(options);
  if (!stats.ok()) {
    std::fprintf(stderr, "sitrep: error: %s: %s\n", db.c_str(), stats.status().ToString().c_str());
    return 1;
  }
  if (summary)
    std::fprintf(summary, "{\"candidates\": %lld, \"clusters\": %lld}\n",
                 static_cast<long long>(stats->candidates), static_cast<long long>(stats->clusters));
  return 0;
}

struct IngestCliArgs {
  sitrep_cli::IngestArgs ingest;
  bool no_cluster = false;                  // skip clustering events at the end
  ClusterOptions cluster;
  std::string kb_model;                     // empty: <models>/kb.bin
  std::string quote_cues;                   // empty: data/quotes/cues.tsv beside <models>
  std::vector<std::string> event_lexicons;  // user lexicons, after the shipped one
};

// `sitrep ingest`: the full analysis, stored. The analysis version recorded
// per article is the sitrep version and a fingerprint of every model and
// lexicon file the pipeline reads, so a model upgrade changes it (and a
// re-ingest then replaces the articles analysed with the old models).
int RunIngestCommand(const IngestCliArgs& a) {
  PipelineOptions po;
  po.models_dir = ModelsDir();
  po.kb_model = a.kb_model;
  po.quote_cues = a.quote_cues;
  const std::string lexicon = po.models_dir + "/../data/events/lexicon.tsv";
  if (!a.event_lexicons.empty()) {
    po.event_lexicons.push_back(lexicon);
    po.event_lexicons.insert(po.event_lexicons.end(), a.event_lexicons.begin(),
                             a.event_lexicons.end());
  }
  auto pipeline = Pipeline::Create(po);
  if (!pipeline.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", pipeline.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string> files;
  for (const char* m : {"segmenter", "tagger", "parser", "ner", "gazetteer"})
    files.push_back(po.models_dir + "/" + m + ".bin");
  files.push_back(a.kb_model.empty() ? po.models_dir + "/kb.bin" : a.kb_model);
  files.push_back(a.quote_cues.empty() ? po.models_dir + "/../data/quotes/cues.tsv" : a.quote_cues);
  if (po.event_lexicons.empty()) files.push_back(lexicon);
  files.insert(files.end(), po.event_lexicons.begin(), po.event_lexicons.end());
  auto fp = FingerprintFiles(files);
  if (!fp.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", fp.status().ToString().c_str());
    return 1;
  }
  const int rc = sitrep_cli::RunIngest(**pipeline, "sitrep-0.1.0+" + *fp, a.ingest);
  // Clusters are rebuilt whenever the database exists, also after bad
  // records (they never leave a half-written article); the summary goes to
  // stderr, stdout holding the ingest's one JSON line.
  if (a.no_cluster || !std::filesystem::exists(a.ingest.db)) return rc;
  const int crc = RunCluster(a.ingest.db, a.cluster, a.ingest.quiet ? nullptr : stderr);
  return rc != 0 ? rc : crc;
}

void PrintScores(const std::string& name, const SegmentationScores& s) {
  std::printf("%-14s %8llu %7.2f %7.2f %7.2f   %7.2f %7.2f %7.2f   %6llu %7.2f %7.2f %7.2f\n",
              name.c_str(), static_cast<unsigned long long>(s.tokens.gold), s.tokens.precision(),
              s.tokens.recall(), s.tokens.f1(), s.words.precision(), s.words.recall(), s.words.f1(),
              static_cast<unsigned long long>(s.sentences.gold), s.sentences.precision(),
              s.sentences.recall(), s.sentences.f1());
}

struct TrainTaggerArgs {
  std::vector<std::string> train;
  std::vector<std::string> dev;
  std::string out = "models/tagger.bin";
  int epochs = 10;
  float min_weight = TaggerTrainOptions().min_weight;
  bool permissive_only = true;
};

int RunTrainTagger(const TrainTaggerArgs& a) {
  std::vector<ConlluSentence> train;
  if (!LoadTreebanks(a.train, a.permissive_only, nullptr, &train)) return 1;
  TaggerTrainOptions o;
  o.epochs = a.epochs;
  o.min_weight = a.min_weight;
  rapidjson::Document m = TrainingMeta(
      "tagger", a.train, a.permissive_only,
      {{"sentences", static_cast<int64_t>(train.size())}, {"epochs", a.epochs}});
  m.AddMember("min_weight", static_cast<double>(a.min_weight), m.GetAllocator());
  std::string meta = ToJson(m);
  Status st = TrainTagger(train, o, a.out, meta);
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s\n", a.out.c_str());
  for (const std::string& f : a.dev) {
    std::vector<ConlluSentence> dev;
    if (!LoadTreebanks({f}, false, nullptr, &dev)) return 1;
    auto tagger = Tagger::Load(a.out);
    if (!tagger.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", tagger.status().ToString().c_str());
      return 1;
    }
    TaggerScores s = EvaluateTaggerGoldTokens(dev, **tagger);
    std::printf("%s (gold tokens): UPOS %.2f XPOS %.2f lemma %.2f\n",
                std::filesystem::path(f).filename().string().c_str(), s.upos.precision(),
                s.xpos.precision(), s.lemma.precision());
  }
  return 0;
}

int RunEvaluateTagger(const std::vector<std::string>& files, const std::string& model_path,
                      const std::string& segmenter, bool rules_only) {
  auto tagger = Tagger::Load(model_path.empty() ? ModelsDir() + "/tagger.bin" : model_path);
  if (!tagger.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", tagger.status().ToString().c_str());
    return 1;
  }
  Tokenizer tokenizer;
  auto splitter = MakeSplitter(segmenter, rules_only);
  if (!splitter) return 1;
  for (const std::string& f : files) {
    auto gold = ReadConlluFile(f);
    if (!gold.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", gold.status().ToString().c_str());
      return 1;
    }
    TaggerScores g = EvaluateTaggerGoldTokens(*gold, **tagger);
    TaggerScores r = EvaluateTaggerRaw(*gold, tokenizer, *splitter, **tagger);
    std::printf("%s\n", f.c_str());
    std::printf("  gold tokens: UPOS %.2f  XPOS %.2f  lemma %.2f  (accuracy, %llu words)\n",
                g.upos.precision(), g.xpos.precision(), g.lemma.precision(),
                static_cast<unsigned long long>(g.upos.gold));
    std::printf("  raw text:    UPOS %.2f  XPOS %.2f  lemma %.2f  (F1 over aligned words)\n",
                r.upos.f1(), r.xpos.f1(), r.lemma.f1());
  }
  return 0;
}

struct TrainParserArgs {
  std::vector<std::string> train;
  std::vector<std::string> dev;
  std::string out = "models/parser.bin";
  std::string tagger;  // tags for training come from this model; gold tags when empty
  int jackknife = 0;   // > 1: tags from taggers trained on the other folds
  int tagger_epochs = 8;
  int epochs = 15;
  float min_weight = ParserTrainOptions().min_weight;
  double explore = ParserTrainOptions().explore;
  int beam = ParserTrainOptions().beam;
  double augment_reporting = 0;  // AugmentOptions::reporting_rate
  double augment_time = 0;       // AugmentOptions::time_rate
  double augment_according = 0;  // AugmentOptions::according_rate
  bool permissive_only = true;
};

int RunTrainParser(const TrainParserArgs& a) {
  std::vector<ConlluSentence> train;
  if (!LoadTreebanks(a.train, a.permissive_only, nullptr, &train)) return 1;
  size_t augmented = 0;
  if (a.augment_reporting > 0 || a.augment_time > 0 || a.augment_according > 0) {
    AugmentOptions ao;
    ao.according_rate = a.augment_according;
    ao.reporting_rate = a.augment_reporting;
    ao.time_rate = a.augment_time;
    std::vector<ConlluSentence> extra = AugmentTreebank(train, ao);
    augmented = extra.size();
    for (ConlluSentence& s : extra) train.push_back(std::move(s));
    std::fprintf(stderr, "augmented the treebank with %zu sentences\n", augmented);
  }
  std::unique_ptr<Tagger> tagger;
  if (!a.tagger.empty()) {
    auto t = Tagger::Load(a.tagger);
    if (!t.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", t.status().ToString().c_str());
      return 1;
    }
    tagger = std::move(t.value());
  }
  // Training tags: jackknifed (each fold tagged by a tagger trained on the
  // others, so their errors look like those on new text), from a tagger, or
  // gold.
  std::vector<std::vector<TokenTag>> tags;
  if (a.jackknife > 1) {
    tags.resize(train.size());
    for (int fold = 0; fold < a.jackknife; ++fold) {
      std::vector<ConlluSentence> rest;
      std::vector<size_t> held;
      for (size_t i = 0; i < train.size(); ++i) {
        if (static_cast<int>(i % a.jackknife) == fold) held.push_back(i);
        else rest.push_back(train[i]);
      }
      std::string path = a.out + ".fold" + std::to_string(fold) + ".tmp";
      TaggerTrainOptions to;
      to.epochs = a.tagger_epochs;
      Status st = TrainTagger(rest, to, path, "{}");
      auto fold_tagger = st.ok() ? Tagger::Load(path) : Result<std::unique_ptr<Tagger>>(st);
      std::filesystem::remove(path);
      if (!fold_tagger.ok()) {
        std::fprintf(stderr, "sitrep: error: %s\n", fold_tagger.status().ToString().c_str());
        return 1;
      }
      std::vector<ConlluSentence> held_sents;
      for (size_t i : held) held_sents.push_back(train[i]);
      auto held_tags = TagSentences(held_sents, **fold_tagger);
      for (size_t k = 0; k < held.size(); ++k) tags[held[k]] = std::move(held_tags[k]);
      std::fprintf(stderr, "jackknife fold %d/%d tagged\n", fold + 1, a.jackknife);
    }
  } else if (tagger) {
    tags = TagSentences(train, *tagger);
  }
  ParserTrainOptions o;
  o.epochs = a.epochs;
  o.min_weight = a.min_weight;
  o.explore = a.explore;
  o.beam = a.beam;
  rapidjson::Document m = TrainingMeta(
      "parser", a.train, a.permissive_only,
      {{"sentences", static_cast<int64_t>(train.size())},
       {"epochs", a.epochs},
       {"jackknife_folds", a.jackknife},
       {"beam", a.beam},
       {"augmented_sentences", static_cast<int64_t>(augmented)}});
  std::string tag_source =
      a.jackknife > 1 ? "jackknifed tagger"
      : a.tagger.empty() ? "gold" : std::filesystem::path(a.tagger).filename().string();
  m.AddMember("tags", rapidjson::Value(tag_source.c_str(), m.GetAllocator()), m.GetAllocator());
  m.AddMember("min_weight", static_cast<double>(a.min_weight), m.GetAllocator());
  std::string meta = ToJson(m);
  Status st = TrainParser(train, tags, o, a.out, meta);
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s\n", a.out.c_str());
  if (a.dev.empty() || !tagger) return 0;
  auto parser = Parser::Load(a.out);
  if (!parser.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", parser.status().ToString().c_str());
    return 1;
  }
  for (const std::string& f : a.dev) {
    std::vector<ConlluSentence> dev;
    if (!LoadTreebanks({f}, false, nullptr, &dev)) return 1;
    ParserScores s = EvaluateParserGoldTokens(dev, *tagger, **parser);
    std::printf("%s (gold tokens): UAS %.2f LAS %.2f\n",
                std::filesystem::path(f).filename().string().c_str(), s.uas.precision(),
                s.las.precision());
  }
  return 0;
}

// Reads NER corpora; GUM documents of non-permissive genres are dropped
// when `permissive_only`.
bool LoadNerCorpora(const std::vector<std::string>& files, bool permissive_only,
                    std::vector<NerSentence>* out) {
  for (const std::string& f : files) {
    auto data = ReadNerFile(f);
    if (!data.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", data.status().ToString().c_str());
      return false;
    }
    for (NerSentence& s : *data) {
      std::string genre = GumGenre(s.doc_id);
      if (permissive_only && !genre.empty() && !IsPermissiveGumGenre(genre)) continue;
      out->push_back(std::move(s));
    }
  }
  return true;
}

void PrintNerScores(const std::string& name, const NerScores& s) {
  std::printf("%s: F1 %.2f (P %.2f R %.2f, %llu gold)", name.c_str(), s.all.f1(),
              s.all.precision(), s.all.recall(), static_cast<unsigned long long>(s.all.gold));
  for (const auto& [type, c] : s.by_type) std::printf("  %s %.2f", type.c_str(), c.f1());
  std::printf("\n");
}

struct TrainNerArgs {
  std::vector<std::string> train;
  std::vector<std::string> dev;
  std::string out = "models/ner.bin";
  std::string tagger;  // empty: <models>/tagger.bin; "none": no POS
  std::string gazetteer;  // empty: <models>/gazetteer.bin; "none": no gazetteer features
  std::string clusters;   // empty: no word-class features
  int epochs = NerTrainOptions().epochs;
  float min_weight = NerTrainOptions().min_weight;
  uint64_t seed = NerTrainOptions().seed;
};

Result<std::unique_ptr<Tagger>> LoadTaggerOrNone(const std::string& path) {
  if (path == "none") return std::unique_ptr<Tagger>();
  return Tagger::Load(path.empty() ? ModelsDir() + "/tagger.bin" : path);
}

Result<std::unique_ptr<Gazetteer>> LoadGazetteerOrNone(const std::string& path) {
  if (path == "none") return std::unique_ptr<Gazetteer>();
  return Gazetteer::Load(path.empty() ? ModelsDir() + "/gazetteer.bin" : path);
}

int RunTrainNer(const TrainNerArgs& a) {
  std::vector<NerSentence> train;
  if (!LoadNerCorpora(a.train, true, &train)) return 1;
  auto tagger = LoadTaggerOrNone(a.tagger);
  if (!tagger.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", tagger.status().ToString().c_str());
    return 1;
  }
  auto gazetteer = LoadGazetteerOrNone(a.gazetteer);
  if (!gazetteer.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", gazetteer.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<WordClusters> clusters;
  if (!a.clusters.empty()) {
    auto c = WordClusters::Load(a.clusters);
    if (!c.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", c.status().ToString().c_str());
      return 1;
    }
    clusters = std::move(c.value());
  }
  NerTrainOptions o;
  o.epochs = a.epochs;
  o.min_weight = a.min_weight;
  o.clusters = clusters.get();
  o.seed = a.seed;
  rapidjson::Document m = TrainingMeta("ner", a.train, true,
                                       {{"sentences", static_cast<int64_t>(train.size())},
                                        {"epochs", a.epochs}});
  m.AddMember("min_weight", static_cast<double>(a.min_weight), m.GetAllocator());
  m.AddMember("pos", *tagger != nullptr, m.GetAllocator());
  m.AddMember("gazetteer", *gazetteer != nullptr, m.GetAllocator());
  if (clusters) {
    char sum[17];
    std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(clusters->Checksum()));
    rapidjson::Value c(rapidjson::kObjectType);
    auto& al = m.GetAllocator();
    c.AddMember("file", rapidjson::Value(std::filesystem::path(a.clusters).filename().string().c_str(), al), al);
    c.AddMember("xxh3", rapidjson::Value(sum, al), al);
    c.AddMember("words", static_cast<uint64_t>(clusters->num_words()), al);
    m.AddMember("clusters", c, al);
  }
  Status st = TrainNer(train, tagger->get(), gazetteer->get(), o, a.out, ToJson(m));
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s\n", a.out.c_str());
  if (a.dev.empty()) return 0;
  auto ner = EntityRecognizer::Load(a.out, gazetteer->get());
  if (!ner.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", ner.status().ToString().c_str());
    return 1;
  }
  for (const std::string& f : a.dev) {
    std::vector<NerSentence> dev;
    if (!LoadNerCorpora({f}, false, &dev)) return 1;
    PrintNerScores(std::filesystem::path(f).filename().string(),
                   EvaluateNer(dev, tagger->get(), **ner));
  }
  return 0;
}

struct TrainClustersArgs {
  std::vector<std::string> corpus;  // articles (JSONL, text, directories)
  std::vector<std::string> words;   // words of NER corpora / treebanks
  std::vector<std::string> show;    // words whose classmates to print
  std::string out = "models/clusters.bin";
  WordClusterOptions o;
};

// Learns word classes from articles (tokenized and split by sitrep) and the
// words of treebanks (GUM restricted to its permissive genres).
int RunTrainClusters(TrainClustersArgs a) {
  WordClusterCorpus corpus;
  std::unordered_map<uint64_t, std::string> spelling;  // for --show
  const bool show = !a.show.empty();
  std::vector<uint64_t> norms;
  Tokenizer tokenizer;
  SentenceSplitter splitter;
  size_t articles = 0, bad = 0;
  for (const std::string& path : a.corpus) {
    auto reader = OpenReader(path);
    if (!reader.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", reader.status().ToString().c_str());
      return 1;
    }
    Document doc;
    Status st;
    while ((*reader)->Next(&doc, &st)) {
      if (!st.ok()) {
        ++bad;
        continue;
      }
      ++articles;
      tokenizer.Tokenize(&doc);
      splitter.Split(&doc);
      for (const Sentence& s : doc.sentences()) {
        norms.clear();
        for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
          norms.push_back(doc.tokens()[i].norm);
          if (show) spelling.emplace(doc.tokens()[i].norm, NormalForm(doc.token_text(i)));
        }
        corpus.AddSentence(norms.data(), norms.size());
      }
    }
  }
  std::vector<NerSentence> sents;
  if (!LoadNerCorpora(a.words, true, &sents)) return 1;
  for (const NerSentence& s : sents) {
    norms.clear();
    for (const std::string& w : s.words) {
      norms.push_back(NormId(NormalForm(w)));
      if (show) spelling.emplace(norms.back(), NormalForm(w));
    }
    corpus.AddSentence(norms.data(), norms.size());
  }
  rapidjson::Document m(rapidjson::kObjectType);
  auto& al = m.GetAllocator();
  m.AddMember("kind", "clusters", al);
  rapidjson::Value files(rapidjson::kArrayType);
  for (const auto* list : {&a.corpus, &a.words})
    for (const std::string& f : *list)
      files.PushBack(rapidjson::Value(std::filesystem::path(f).filename().string().c_str(), al), al);
  m.AddMember("text", files, al);
  m.AddMember("gum_genres", "permissive", al);
  m.AddMember("tokens", static_cast<uint64_t>(corpus.num_tokens()), al);
  m.AddMember("min_count", a.o.min_count, al);
  m.AddMember("context_words", a.o.context_words, al);
  m.AddMember("dims", a.o.dims, al);
  rapidjson::Value levels(rapidjson::kArrayType);
  for (uint32_t k : a.o.levels) levels.PushBack(k, al);
  m.AddMember("levels", levels, al);
  m.AddMember("iterations", a.o.iterations, al);
  m.AddMember("seed", a.o.seed, al);
  std::printf("%zu articles (%zu bad records skipped), %zu treebank sentences: %zu tokens\n",
              articles, bad, sents.size(), corpus.num_tokens());
  WordClusterStats stats;
  Status st = TrainWordClusters(corpus, a.o, a.out, ToJson(m), &stats);
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s: %zu of %zu distinct words in classes, %.1f s\n", a.out.c_str(),
              stats.clustered_words, stats.vocabulary, stats.seconds);
  if (!show) return 0;
  auto wc = WordClusters::Load(a.out);
  if (!wc.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", wc.status().ToString().c_str());
    return 1;
  }
  // Each --show word's classmates at every level but the coarsest (up to 30).
  for (const std::string& w : a.show) {
    const uint64_t c = (*wc)->Lookup(NormId(NormalForm(w)));
    for (int l = 1; l < (*wc)->num_levels(); ++l) {
      std::printf("%s level %d class %u:", w.c_str(), l, WordClusters::Level(c, l));
      int shown = 0;
      if (c != 0)
        for (const auto& [norm, text] : spelling)
          if (shown < 30 && WordClusters::Level((*wc)->Lookup(norm), l) == WordClusters::Level(c, l)) {
            std::printf(" %s", text.c_str());
            ++shown;
          }
      std::printf("\n");
    }
  }
  return 0;
}

int RunEvaluateNer(const std::vector<std::string>& files, const std::string& tagger_path,
                   const std::string& model_path, bool show_errors) {
  auto tagger = LoadTaggerOrNone(tagger_path);
  if (!tagger.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", tagger.status().ToString().c_str());
    return 1;
  }
  // The gazetteer is optional here: a model that needs it says so.
  auto gazetteer = Gazetteer::Load(ModelsDir() + "/gazetteer.bin");
  auto ner = EntityRecognizer::Load(model_path.empty() ? ModelsDir() + "/ner.bin" : model_path,
                                    gazetteer.ok() ? gazetteer->get() : nullptr);
  if (!ner.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", ner.status().ToString().c_str());
    return 1;
  }
  for (const std::string& f : files) {
    std::vector<NerSentence> gold;
    if (!LoadNerCorpora({f}, false, &gold)) return 1;
    std::string errors;
    NerScores scores = EvaluateNer(gold, tagger->get(), **ner, show_errors ? &errors : nullptr);
    std::fputs(errors.c_str(), stdout);
    PrintNerScores(f, scores);
  }
  return 0;
}

int RunBuildGazetteer(const std::string& tsv_path, const std::string& out) {
  std::ifstream in(tsv_path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "sitrep: error: cannot read %s\n", tsv_path.c_str());
    return 1;
  }
  std::string tsv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t lines = static_cast<size_t>(std::count(tsv.begin(), tsv.end(), '\n'));
  rapidjson::Document m(rapidjson::kObjectType);
  m.AddMember("kind", "gazetteer", m.GetAllocator());
  m.AddMember("phrases", static_cast<uint64_t>(lines), m.GetAllocator());
  m.AddMember("sources", "scripts/gazetteer_sources.py over ../shared/data/reference: GeoNames "
              "(CC BY 4.0), mledoze countries (ODbL), CIA Factbook (CC0), US congress "
              "legislators (CC0), PETRARCH-2 actor dictionaries (MIT)", m.GetAllocator());
  Status st = BuildGazetteer(tsv, out, ToJson(m));
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s: %s\n", tsv_path.c_str(), st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s (%zu phrases)\n", out.c_str(), lines);
  return 0;
}

int RunKbBuild(const std::vector<std::string>& files, const std::string& out) {
  std::string summary;
  Status st = BuildKnowledgeBase(files, out, &summary);
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", st.message().c_str());
    return 1;
  }
  std::printf("wrote %s %s\n", out.c_str(), summary.c_str());
  return 0;
}

// Prints what the knowledge base knows under a name: one line per record.
int RunKbLookup(const std::string& kb_path, const std::string& name, const std::string& date) {
  auto kb = KnowledgeBase::Load(kb_path.empty() ? ModelsDir() + "/kb.bin" : kb_path);
  if (!kb.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", kb.status().ToString().c_str());
    return 1;
  }
  int32_t day = kOpenEnd - 1;
  if (!date.empty() && !ParseIsoDay(date, false, &day)) {
    std::fprintf(stderr, "sitrep: error: --date %s: expected YYYY-MM-DD\n", date.c_str());
    return 2;
  }
  Document doc(name, Metadata());
  Tokenizer().Tokenize(&doc);
  const auto cands = (*kb)->Lookup(doc, 0, doc.tokens().size());
  if (cands.empty()) {
    std::printf("no record is named \"%s\"\n", name.c_str());
    return 1;
  }
  for (const KbCandidate& c : cands) {
    std::string line = std::string(KbKindName(c.kind)) + "\t";
    switch (c.kind) {
      case KbKind::kCountry: {
        auto x = (*kb)->country(c.record);
        line += std::string(x.id) + "\t" + std::string(x.name);
        break;
      }
      case KbKind::kOrg: {
        auto x = (*kb)->org(c.record);
        line += std::string(x.id) + "\t" + std::string(x.name) + " (" + std::string(x.kind) + ")";
        break;
      }
      case KbKind::kSector: {
        auto x = (*kb)->sector(c.record);
        line += std::string(x.id) + "\t" + std::string(x.name);
        break;
      }
      case KbKind::kPerson: {
        auto x = (*kb)->person(c.record);
        line += std::string(x.id) + "\t" + std::string(x.name);
        const int32_t r = (*kb)->RoleAt(c.record, day);
        if (r != kNoIndex) {
          auto role = (*kb)->role(r);
          line += " -- " + std::string(role.title) + " since " + FormatIsoDay(role.start);
        }
        break;
      }
      case KbKind::kPlace: {
        auto x = (*kb)->place(c.record);
        char buf[96];
        std::snprintf(buf, sizeof buf, " (%c %s, pop %u, %.4f %.4f)", x.cls ? x.cls : '?',
                      std::string(x.feature).c_str(), x.population, x.lat, x.lon);
        line += std::string(x.id) + "\t" + std::string(x.name) + ", " + std::string(x.admin1) +
                (x.country != kNoIndex ? ", " + std::string((*kb)->country(x.country).id) : "") +
                buf;
        break;
      }
      default: break;
    }
    std::printf("%s\t[%s]\n", line.c_str(), std::string(KbHowName(c.how)).c_str());
  }
  return 0;
}

int RunEvaluateParser(const std::vector<std::string>& files, const std::string& tagger_path,
                      const std::string& parser_path, int beam) {
  auto tagger = Tagger::Load(tagger_path.empty() ? ModelsDir() + "/tagger.bin" : tagger_path);
  if (!tagger.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", tagger.status().ToString().c_str());
    return 1;
  }
  auto parser = Parser::Load(parser_path.empty() ? ModelsDir() + "/parser.bin" : parser_path);
  if (!parser.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", parser.status().ToString().c_str());
    return 1;
  }
  Tokenizer tokenizer;
  auto splitter = MakeSplitter("", false);
  if (!splitter) return 1;
  for (const std::string& f : files) {
    auto gold = ReadConlluFile(f);
    if (!gold.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", gold.status().ToString().c_str());
      return 1;
    }
    ParserScores g = EvaluateParserGoldTokens(*gold, **tagger, **parser, beam);
    ParserScores r = EvaluateParserRaw(*gold, tokenizer, *splitter, **tagger, **parser, beam);
    std::printf("%s\n", f.c_str());
    std::printf("  gold tokens: UPOS %.2f  UAS %.2f  LAS %.2f  (accuracy, %llu words)\n",
                g.upos.precision(), g.uas.precision(), g.las.precision(),
                static_cast<unsigned long long>(g.uas.gold));
    std::printf("  raw text:    UPOS %.2f  UAS %.2f  LAS %.2f  (F1 over aligned words)\n",
                r.upos.f1(), r.uas.f1(), r.las.f1());
  }
  return 0;
}

int RunEvaluateSegment(const std::vector<std::string>& files, bool by_genre,
                       const std::string& model, bool rules_only) {
  Tokenizer tokenizer;
  auto splitter_ptr = MakeSplitter(model, rules_only);
  if (!splitter_ptr) return 1;
  const SentenceSplitter& splitter = *splitter_ptr;
  int rc = 0;
  for (const std::string& f : files) {
    auto gold = ReadConlluFile(f);
    if (!gold.ok()) {
      std::fprintf(stderr, "sitrep: error: %s\n", gold.status().ToString().c_str());
      rc = 1;
      continue;
    }
    SegmentationReport r =
        EvaluateSegmentation(*gold, tokenizer, splitter, by_genre ? GroupOf(GumGenre) : nullptr);
    std::printf("%s (%llu documents)\n", f.c_str(), static_cast<unsigned long long>(r.documents));
    std::printf("%-14s %8s %7s %7s %7s   %7s %7s %7s   %6s %7s %7s %7s\n", "", "tokens", "P", "R",
                "F1", "wordsP", "R", "F1", "sents", "P", "R", "F1");
    if (by_genre)
      for (const auto& [g, s] : r.by_group) PrintScores(g.empty() ? "(none)" : g, s);
    PrintScores("all", r.total);
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sitrep: structured events, quotations and actors from news text"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sitrep 0.1.0");

  ExtractArgs ea;
  CLI::App* extract = app.add_subcommand(
      "extract", "Analyse articles and write one JSON object per article (JSONL)");
  extract->add_option("inputs", ea.inputs,
                      "Files or directories (.txt, .jsonl, optionally .gz/.zst); '-' or none for stdin");
  extract->add_option("-f,--format", ea.format,
                      "Output format: jsonl, json (indented), conllu (tokens, tags, trees) or "
                      "plover (one PLOVER-style JSON record per event)")
      ->check(CLI::IsMember({"jsonl", "json", "conllu", "plover"}))
      ->capture_default_str();
  extract->add_option("--input-format", ea.input_format, "Input format (auto: by extension or content)")
      ->check(CLI::IsMember({"auto", "text", "jsonl"}))
      ->capture_default_str();
  extract->add_option("-o,--output", ea.output, "Output file ('-' for stdout)")->capture_default_str();
  extract->add_option("--max-article-bytes", ea.max_article_bytes,
                      "Reject articles larger than this (bytes)")
      ->capture_default_str();
  extract->add_flag("--no-text", ea.no_text, "Leave the article text out of the output");
  extract->add_flag("--no-tokens", ea.no_tokens, "Leave tokens out of the output");
  extract->add_option("--segmenter", ea.segmenter_model,
                      "Sentence-boundary model (default: <models>/segmenter.bin)");
  extract->add_flag("--rules-only", ea.rules_only, "Split sentences by rules alone, without the model");
  extract->add_option("--tagger", ea.tagger_model, "Tagger model (default: <models>/tagger.bin)");
  extract->add_option("--parser", ea.parser_model, "Parser model (default: <models>/parser.bin)");
  extract->add_flag("--no-syntax", ea.no_syntax,
                    "Skip tagging, parsing and NER (tokens and sentences only)");
  extract->add_option("--ner", ea.ner_model, "NER model (default: <models>/ner.bin)");
  extract->add_option("--kb", ea.kb_model, "Knowledge base (default: <models>/kb.bin)");
  extract->add_flag("--no-link", ea.no_link,
                    "Skip entity linking, coreference and geocoding (no \"actors\")");
  extract->add_option("--quote-cues", ea.quote_cues,
                      "Quotation cue lexicon (default: data/quotes/cues.tsv beside <models>)");
  extract->add_flag("--no-quotes", ea.no_quotes, "Skip quotation extraction (no \"quotes\")");
  extract->add_option("--event-lexicon", ea.event_lexicons,
                      "Your own event lexicon file(s) (docs/event-lexicon.md), read after "
                      "data/events/lexicon.tsv; an entry replaces the shipped one with the same "
                      "word, pos and constraints")
      ->allow_extra_args(false);
  extract->add_flag("--no-events", ea.no_events, "Skip event coding (no \"events\")");
  extract->add_option("--gazetteer", ea.gazetteer_model,
                      "Gazetteer (default: <models>/gazetteer.bin)");
  extract->add_option("--beam", ea.beam, "Parser beam width (default: the width the model was trained with)");

  IngestCliArgs ia;
  CLI::App* ingest = app.add_subcommand(
      "ingest", "Analyse articles into the corpus database (SQLite), incrementally");
  ingest->add_option("inputs", ia.ingest.inputs,
                     "Files or directories (.txt, .jsonl, optionally .gz/.zst); '-' or none for stdin");
  ingest->add_option("--db", ia.ingest.db, "Database file (created if missing)")->required();
  ingest->add_option("-j,--threads", ia.ingest.threads, "Analysis threads (default: one per core)");
  ingest->add_option("--errors", ia.ingest.errors,
                     "Append bad records to this file as 'file:line (id): reason' (default: stderr)");
  ingest->add_flag("-q,--quiet", ia.ingest.quiet, "No progress line and no error lines on stderr");
  ingest->add_option("--batch", ia.ingest.batch_articles,
                     "Commit after this many articles (or one second)")->capture_default_str();
  ingest->add_option("--max-article-bytes", ia.ingest.max_article_bytes,
                     "Reject articles larger than this")->capture_default_str();
  ingest->add_option("--kb", ia.kb_model, "Knowledge base (default: <models>/kb.bin)");
  ingest->add_option("--quote-cues", ia.quote_cues,
                     "Quotation cue lexicon (default: data/quotes/cues.tsv)");
  ingest->add_option("--event-lexicon", ia.event_lexicons,
                     "Event lexicon files added after the shipped one (repeatable)");
  ingest->add_flag("--no-cluster", ia.no_cluster, "Do not rebuild the event clusters at the end");
  ingest->add_option("--window-days", ia.cluster.window_days,
                     "Clustering: days after a cluster's first report an event may join it")
      ->capture_default_str();
  ingest->add_flag("--include-planned", ia.cluster.include_planned,
                   "Clustering: also cluster planned events");

  IngestCliArgs ra;
  ra.ingest.reprocess = true;
  CLI::App* reprocess = app.add_subcommand(
      "reprocess", "Re-analyse the stored articles analysed with other models or lexicons");
  reprocess->add_option("--db", ra.ingest.db, "Database file (from sitrep ingest)")->required();
  reprocess->add_option("-j,--threads", ra.ingest.threads, "Analysis threads (default: one per core)");
  reprocess->add_option("--errors", ra.ingest.errors, "Append failures to this file");
  reprocess->add_flag("-q,--quiet", ra.ingest.quiet, "No progress line and no error lines on stderr");
  reprocess->add_option("--kb", ra.kb_model, "Knowledge base (default: <models>/kb.bin)");
  reprocess->add_option("--quote-cues", ra.quote_cues, "Quotation cue lexicon");
  reprocess->add_option("--event-lexicon", ra.event_lexicons,
                        "Event lexicon files added after the shipped one (repeatable)");
  reprocess->add_flag("--no-cluster", ra.no_cluster, "Do not rebuild the event clusters at the end");
  reprocess->add_option("--window-days", ra.cluster.window_days,
                        "Clustering: days after a cluster's first report an event may join it")
      ->capture_default_str();
  reprocess->add_flag("--include-planned", ra.cluster.include_planned,
                      "Clustering: also cluster planned events");

  std::string cluster_db;
  ClusterOptions cluster_options;
  CLI::App* cluster = app.add_subcommand(
      "cluster", "Group the stored events reported by several articles into event clusters");
  cluster->add_option("--db", cluster_db, "Database file (from sitrep ingest)")->required();
  cluster->add_option("--window-days", cluster_options.window_days,
                      "Days after a cluster's first report an event may join it")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cluster->add_flag("--include-planned", cluster_options.include_planned,
                    "Also cluster planned events (default: asserted only)");

  sitrep_cli::QueryArgs qa;
  CLI::App* query = app.add_subcommand("query", "Rows of the corpus database, filtered");
  query->add_option("kind", qa.kind, "events, quotes, articles, actors, places or clusters")->required();
  query->add_option("--db", qa.db, "Database file (from sitrep ingest)")->required();
  query->add_option("--type", qa.filter.type, "Event type (ACCUSE ...); actor kind for actors/places");
  query->add_option("--actor", qa.filter.actor, "Actor name (substring), id or code");
  query->add_option("--speaker", qa.filter.speaker, "Quotation speaker (substring)");
  query->add_option("--country", qa.filter.country, "Country code (ISO alpha-3), e.g. EST");
  query->add_option("--place", qa.filter.place, "Place name (substring)");
  query->add_option("--from", qa.filter.from, "First day, YYYY-MM-DD");
  query->add_option("--to", qa.filter.to, "Last day, YYYY-MM-DD");
  query->add_option("--text", qa.filter.text, "Full-text query (FTS5) over articles or quotations");
  query->add_option("-n,--limit", qa.filter.limit, "At most this many rows (0: all)")->capture_default_str();
  query->add_option("-f,--format", qa.format,
                    "table, json, jsonl or csv (default: table on a terminal, else jsonl)");

  sitrep_cli::ActorArgs aa;
  CLI::App* actor = app.add_subcommand("actor", "What the corpus database says about one actor");
  actor->add_option("name", aa.name, "Knowledge-base id (RUS, hanno_pevkur) or name")->required();
  actor->add_option("--db", aa.db, "Database file (from sitrep ingest)")->required();
  actor->add_option("-f,--format", aa.format, "text or json")->capture_default_str();
  actor->add_option("-n,--limit", aa.limit, "Entries per list")->capture_default_str();

  std::string export_db, export_format = "plover", export_output = "-";
  CLI::App* exp = app.add_subcommand("export", "Every stored event, as PLOVER JSONL or CSV, or every event cluster as GDELT");
  exp->add_option("--db", export_db, "Database file (from sitrep ingest)")->required();
  exp->add_option("-f,--format", export_format, "plover, csv or gdelt (event clusters, TSV)")->capture_default_str();
  exp->add_option("-o,--output", export_output, "Output file ('-' for stdout)")->capture_default_str();

  CLI::App* evaluate = app.add_subcommand("evaluate", "Score sitrep against gold data");
  evaluate->require_subcommand(1);
  std::vector<std::string> seg_files;
  bool by_genre = false;
  CLI::App* seg = evaluate->add_subcommand(
      "segment", "Token and sentence F1 on CoNLL-U treebanks from raw text (CoNLL 2018 scoring)");
  seg->add_option("conllu", seg_files, "Gold CoNLL-U files")->required();
  seg->add_flag("--by-genre", by_genre, "Also score per GUM genre (document ids GUM_<genre>_...)");
  std::string seg_model;
  bool seg_rules_only = false;
  seg->add_option("--segmenter", seg_model, "Sentence-boundary model (default: <models>/segmenter.bin)");
  seg->add_flag("--rules-only", seg_rules_only, "Score the rules alone, without the model");

  std::vector<std::string> tag_files;
  std::string tag_model;
  CLI::App* etag = evaluate->add_subcommand(
      "tagger", "UPOS/XPOS/lemma accuracy with gold tokens and F1 from raw text");
  etag->add_option("conllu", tag_files, "Gold CoNLL-U files")->required();
  etag->add_option("--model", tag_model, "Tagger model (default: <models>/tagger.bin)");

  std::vector<std::string> parse_files;
  std::string parse_tagger, parse_model;
  int parse_beam = 0;
  CLI::App* eparse = evaluate->add_subcommand(
      "parser", "UAS/LAS with gold tokens and F1 from raw text (CoNLL 2018 scoring)");
  eparse->add_option("conllu", parse_files, "Gold CoNLL-U files")->required();
  eparse->add_option("--tagger", parse_tagger, "Tagger model (default: <models>/tagger.bin)");
  eparse->add_option("--model", parse_model, "Parser model (default: <models>/parser.bin)");
  eparse->add_option("--beam", parse_beam, "Parser beam width (default: the model's)");

  std::vector<std::string> ner_files;
  std::string ner_tagger, ner_model;
  CLI::App* ener = evaluate->add_subcommand(
      "ner", "Entity F1 (exact span and type; PER, ORG, LOC) with gold tokens");
  ener->add_option("files", ner_files, "Gold NER files (.iob2, CoNLL columns, GUM .conllu)")
      ->required();
  ener->add_option("--tagger", ner_tagger, "Tagger model (default: <models>/tagger.bin; 'none')");
  ener->add_option("--model", ner_model, "NER model (default: <models>/ner.bin)");
  bool ner_errors = false;
  ener->add_flag("--errors", ner_errors, "Print every sentence whose mentions differ from gold");

  CLI::App* build = app.add_subcommand("build", "Compile sitrep's lexicons from facts");
  build->require_subcommand(1);
  std::string gaz_tsv, gaz_out = "models/gazetteer.bin";
  CLI::App* bgaz = build->add_subcommand(
      "gazetteer", "Compile a CATEGORY<TAB>phrase list (scripts/gazetteer_sources.py) into a gazetteer");
  bgaz->add_option("tsv", gaz_tsv, "Phrase list")->required();
  bgaz->add_option("-o,--out", gaz_out, "Gazetteer file to write")->capture_default_str();

  CLI::App* kb = app.add_subcommand("kb", "The knowledge base of actors, places and sector terms");
  kb->require_subcommand(1);
  std::vector<std::string> kb_files;
  std::string kb_out = "models/kb.bin";
  CLI::App* kbuild = kb->add_subcommand(
      "build", "Compile knowledge-base sources (docs/kb-format.md) into one file; later files "
               "override earlier ones (scripts/build_kb.sh passes the imported places, data/kb/*.kb "
               "and your own files)");
  kbuild->add_option("files", kb_files, ".kb source files, in override order")->required();
  kbuild->add_option("-o,--out", kb_out, "Knowledge-base file to write")->capture_default_str();

  std::string kb_lookup_name, kb_lookup_date, kb_lookup_model;
  CLI::App* klookup = kb->add_subcommand(
      "lookup", "Print the records the knowledge base has under a name (and roles at --date)");
  klookup->add_option("name", kb_lookup_name, "A name as written: \"Pevkur\", \"Kremlin\", \"Paris\"")
      ->required();
  klookup->add_option("--date", kb_lookup_date, "Show the roles held on this day (YYYY-MM-DD)");
  klookup->add_option("--kb", kb_lookup_model, "Knowledge base (default: <models>/kb.bin)");

  CLI::App* train = app.add_subcommand("train", "Train sitrep's models from treebanks");
  train->require_subcommand(1);
  TrainSegmenterArgs ta;
  CLI::App* tseg = train->add_subcommand("segmenter", "Train the sentence-boundary model");
  tseg->add_option("--train", ta.train, "Training CoNLL-U files")->required();
  tseg->add_option("--dev", ta.dev, "Development CoNLL-U files, scored after training");
  tseg->add_option("-o,--out", ta.out, "Model file to write")->capture_default_str();
  tseg->add_option("--epochs", ta.epochs, "Training epochs")->capture_default_str();
  tseg->add_option("--bits", ta.bits, "log2 of the number of weights")->capture_default_str();
  TrainTaggerArgs tta;
  CLI::App* ttag = train->add_subcommand("tagger", "Train the POS tagger and lemmatizer");
  ttag->add_option("--train", tta.train, "Training CoNLL-U files")->required();
  ttag->add_option("--dev", tta.dev, "Development CoNLL-U files, scored after training");
  ttag->add_option("-o,--out", tta.out, "Model file to write")->capture_default_str();
  ttag->add_option("--epochs", tta.epochs, "Training epochs")->capture_default_str();
  ttag->add_option("--min-weight", tta.min_weight,
                   "Prune averaged weights below this magnitude")->capture_default_str();
  TrainParserArgs tpa;
  CLI::App* tparse = train->add_subcommand("parser", "Train the dependency parser");
  tparse->add_option("--train", tpa.train, "Training CoNLL-U files")->required();
  tparse->add_option("--dev", tpa.dev, "Development CoNLL-U files, scored after training");
  tparse->add_option("--tagger", tpa.tagger,
                     "Tagger whose tags the parser trains on (default: the treebank's gold tags)");
  tparse->add_option("--jackknife", tpa.jackknife,
                     "Train on tags from K taggers, each trained on the other folds")
      ->capture_default_str();
  tparse->add_option("--tagger-epochs", tpa.tagger_epochs, "Epochs of the jackknife taggers")
      ->capture_default_str();
  tparse->add_option("-o,--out", tpa.out, "Model file to write")->capture_default_str();
  tparse->add_option("--epochs", tpa.epochs, "Training epochs")->capture_default_str();
  tparse->add_option("--beam", tpa.beam,
                     "Beam width: 1 trains a greedy parser, more a beam-search one")
      ->capture_default_str();
  tparse->add_option("--explore", tpa.explore,
                     "Probability of following a wrong prediction in training (dynamic oracle)")
      ->capture_default_str();
  tparse->add_option("--min-weight", tpa.min_weight,
                     "Prune averaged weights below this magnitude")->capture_default_str();
  tparse->add_option("--augment-reporting", tpa.augment_reporting,
                     "Share of training sentences also added with a final reporting clause "
                     "(\"S, NP said.\")")->capture_default_str();
  tparse->add_option("--augment-time", tpa.augment_time,
                     "Share also added with a fronted time phrase (\"Next week, S.\")")
      ->capture_default_str();
  tparse->add_option("--augment-according", tpa.augment_according,
                     "Share also added with a fronted source (\"According to NP, S.\")")
      ->capture_default_str();
  TrainNerArgs tna;
  CLI::App* tner = train->add_subcommand("ner", "Train the named-entity recognizer");
  tner->add_option("--train", tna.train, "Training NER files (.iob2, CoNLL columns, GUM .conllu)")
      ->required();
  tner->add_option("--dev", tna.dev, "Development NER files, scored after training");
  tner->add_option("--tagger", tna.tagger,
                   "Tagger for POS features (default: <models>/tagger.bin; 'none')");
  tner->add_option("--gazetteer", tna.gazetteer,
                   "Gazetteer for name-list features (default: <models>/gazetteer.bin; 'none')");
  tner->add_option("--seed", tna.seed, "Seed of the document order shuffling")
      ->capture_default_str();
  tner->add_option("--clusters", tna.clusters,
                   "Word classes for features (`sitrep train clusters`; copied into the model)");
  tner->add_option("-o,--out", tna.out, "Model file to write")->capture_default_str();
  TrainClustersArgs tca;
  CLI::App* tclu = train->add_subcommand(
      "clusters", "Learn word classes from unlabeled text (features for the NER)");
  tclu->add_option("--corpus", tca.corpus, "Articles: JSONL, article text, directories, .gz/.zst");
  tclu->add_option("--words", tca.words,
                   "NER corpora or treebanks whose words are added (.conllu, .iob2, CoNLL columns)");
  tclu->add_option("-o,--out", tca.out, "Model file to write")->capture_default_str();
  tclu->add_option("--min-count", tca.o.min_count, "Rarer words get no class")->capture_default_str();
  tclu->add_option("--contexts", tca.o.context_words,
                   "The most frequent words that serve as contexts")->capture_default_str();
  tclu->add_option("--dims", tca.o.dims, "SVD dimensions of the word vectors")->capture_default_str();
  tclu->add_option("--levels", tca.o.levels, "Classes per level, coarse to fine (1 to 4 levels)")
      ->delimiter(',')->capture_default_str();
  tclu->add_option("--iterations", tca.o.iterations, "k-means iterations per level")
      ->capture_default_str();
  tclu->add_option("--show", tca.show, "Print the classmates of these words");
  tner->add_option("--epochs", tna.epochs, "Training epochs")->capture_default_str();
  tner->add_option("--min-weight", tna.min_weight,
                   "Prune averaged weights below this magnitude")->capture_default_str();
  bool all_genres = false;
  tseg->add_flag("--all-gum-genres", all_genres,
                 "Also train on GUM's non-commercial (CC BY-NC-SA) genres; not for shipped models");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (extract->parsed()) return RunExtract(ea);
  if (ingest->parsed()) return RunIngestCommand(ia);
  if (reprocess->parsed()) return RunIngestCommand(ra);
  if (cluster->parsed()) return RunCluster(cluster_db, cluster_options, stdout);
  if (query->parsed()) return sitrep_cli::RunQueryCommand(qa);
  if (actor->parsed()) return sitrep_cli::RunActorCommand(aa);
  if (exp->parsed()) return sitrep_cli::RunExportCommand(export_db, export_format, export_output);
  if (seg->parsed()) return RunEvaluateSegment(seg_files, by_genre, seg_model, seg_rules_only);
  if (etag->parsed()) return RunEvaluateTagger(tag_files, tag_model, "", false);
  if (ttag->parsed()) return RunTrainTagger(tta);
  if (eparse->parsed()) return RunEvaluateParser(parse_files, parse_tagger, parse_model, parse_beam);
  if (tparse->parsed()) return RunTrainParser(tpa);
  if (ener->parsed()) return RunEvaluateNer(ner_files, ner_tagger, ner_model, ner_errors);
  if (tner->parsed()) return RunTrainNer(tna);
  if (tclu->parsed()) return RunTrainClusters(tca);
  if (bgaz->parsed()) return RunBuildGazetteer(gaz_tsv, gaz_out);
  if (kbuild->parsed()) return RunKbBuild(kb_files, kb_out);
  if (klookup->parsed()) return RunKbLookup(kb_lookup_model, kb_lookup_name, kb_lookup_date);
  if (tseg->parsed()) {
    ta.permissive_only = !all_genres;
    return RunTrainSegmenter(ta);
  }
  return 2;
}
