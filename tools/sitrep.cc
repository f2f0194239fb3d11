// The sitrep command-line tool.
//
//   sitrep extract [INPUT...]           analyse articles, write JSON per article
//   sitrep evaluate segment FILE...     score tokenization and sentence splitting
//
// Exit status: 0 when every record was processed, 1 when at least one record
// or input failed (the others are still processed), 2 on a usage error.
#include <CLI/CLI.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sitrep/conllu.h"
#include "sitrep/evaluate.h"
#include "sitrep/json_output.h"
#include "sitrep/reader.h"
#include "sitrep/tagger.h"
#include "sitrep/text.h"

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
  bool rules_only = false;
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

  Tokenizer tokenizer;
  auto splitter_ptr = MakeSplitter(a.segmenter_model, a.rules_only);
  if (!splitter_ptr) return 1;
  const SentenceSplitter& splitter = *splitter_ptr;
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
      tokenizer.Tokenize(&doc);
      splitter.Split(&doc);
      buf.clear();
      AppendDocumentJson(doc, jo, &buf);
      buf.push_back('\n');
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
  bool permissive_only = true;
};

int RunTrainTagger(const TrainTaggerArgs& a) {
  std::vector<ConlluSentence> train;
  if (!LoadTreebanks(a.train, a.permissive_only, nullptr, &train)) return 1;
  TaggerTrainOptions o;
  o.epochs = a.epochs;
  std::string meta = ToJson(TrainingMeta(
      "tagger", a.train, a.permissive_only,
      {{"sentences", static_cast<int64_t>(train.size())}, {"epochs", a.epochs}}));
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
  extract->add_option("-f,--format", ea.format, "Output format")
      ->check(CLI::IsMember({"jsonl", "json"}))
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
  if (seg->parsed()) return RunEvaluateSegment(seg_files, by_genre, seg_model, seg_rules_only);
  if (etag->parsed()) return RunEvaluateTagger(tag_files, tag_model, "", false);
  if (ttag->parsed()) return RunTrainTagger(tta);
  if (tseg->parsed()) {
    ta.permissive_only = !all_genres;
    return RunTrainSegmenter(ta);
  }
  return 2;
}
