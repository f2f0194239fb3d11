// The sitrep command-line tool.
//
//   sitrep extract [INPUT...]           analyse articles, write JSON per article
//   sitrep evaluate segment FILE...     score tokenization and sentence splitting
//
// Exit status: 0 when every record was processed, 1 when at least one record
// or input failed (the others are still processed), 2 on a usage error.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sitrep/conllu.h"
#include "sitrep/evaluate.h"
#include "sitrep/json_output.h"
#include "sitrep/reader.h"
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

struct ExtractArgs {
  std::vector<std::string> inputs;
  std::string format = "jsonl";
  std::string input_format = "auto";
  std::string output = "-";
  uint64_t max_article_bytes = 16u << 20;
  bool no_text = false;
  bool no_tokens = false;
};

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
  SentenceSplitter splitter;
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

int RunEvaluateSegment(const std::vector<std::string>& files, bool by_genre) {
  Tokenizer tokenizer;
  SentenceSplitter splitter;
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

  CLI::App* evaluate = app.add_subcommand("evaluate", "Score sitrep against gold data");
  evaluate->require_subcommand(1);
  std::vector<std::string> seg_files;
  bool by_genre = false;
  CLI::App* seg = evaluate->add_subcommand(
      "segment", "Token and sentence F1 on CoNLL-U treebanks from raw text (CoNLL 2018 scoring)");
  seg->add_option("conllu", seg_files, "Gold CoNLL-U files")->required();
  seg->add_flag("--by-genre", by_genre, "Also score per GUM genre (document ids GUM_<genre>_...)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (extract->parsed()) return RunExtract(ea);
  if (seg->parsed()) return RunEvaluateSegment(seg_files, by_genre);
  return 2;
}
