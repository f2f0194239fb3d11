// Throughput of the analysis pipeline, single thread, per stage.
//
//   bench_analyze --tagger models/tagger.bin --corpus FILE.jsonl [--limit N]
//                 [--parser models/parser.bin [--beam N]] [--repeat N]
//                 [--segmenter models/segmenter.bin | --rules-only]
//   bench_analyze --tagger models/tagger.bin --conllu FILE.conllu
//   ... --ner models/ner.bin --kb models/kb.bin   (adds the knowledge-base
//       scan and the linker: "kb_scan" is the longest-match automaton alone
//       over every token, "link" the linker with its own scan inside)
//   ... --quotes data/quotes/cues.tsv   (adds quotation extraction after the
//       linker, "quotes"; needs --parser for indirect quotations)
//   ... --events data/events/lexicon.tsv   (adds numeric entities and time
//       resolution, "numeric_times", and event coding after quotations,
//       "events": with --parser --ner --kb --quotes, the whole pipeline of
//       `sitrep extract`; also reports sentences/s and articles/s)
//
// Streams the corpus (JSONL or article text, as `sitrep extract` reads it)
// through Tokenizer + SentenceSplitter + Tagger (+ Parser with --parser) with
// one Document reused for every article, as a streaming pipeline does. Each
// stage is timed on its own calls only; "analyze" is the sum of the analysis
// stages (tokenize, split, tag, parse), and "wall" adds reading and JSON
// parsing. With --repeat N the corpus
// is streamed N times and each stage's best pass is reported. Prints one JSON
// line: documents, tokens, sentences, seconds and tokens/s per stage, model
// load time (ms), resident memory before and after loading the models (their
// delta is what the models cost: mmapped pages touched at load count as
// resident), peak RSS, and hashes of every token's UPOS, XPOS and lemma
// (output_hash) and head and relation (parse_hash) from the first pass, which
// must not change when only speed is being worked on.
//
// --conllu scores UPOS F1 from raw text the way bench/peers_pos.js scores
// wink-nlp: every sentence's "# text" line is analysed on its own; a token
// matches a gold word when their spans in that text and their UPOS are equal;
// F1 = 2 * matched / (gold words + tokens). (`sitrep evaluate tagger` scores
// whole rebuilt documents instead, sentence splitting included.)
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "sitrep/conllu.h"
#include "sitrep/gazetteer.h"
#include "sitrep/kb.h"
#include "sitrep/linker.h"
#include "sitrep/events.h"
#include "sitrep/numeric_entities.h"
#include "sitrep/quotes.h"
#include "sitrep/time_resolve.h"
#include "sitrep/ner.h"
#include "sitrep/parser.h"
#include "sitrep/reader.h"
#include "sitrep/tagger.h"
#include "sitrep/text.h"

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Current resident set size in MB (peak RSS cannot show what one step added).
double CurrentRssMb() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long pages = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &pages, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1e6 : 0;
}

double PeakRssMb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss * 1024 / 1e6;  // ru_maxrss is in KiB on Linux
}

// Seconds spent in each stage during one pass over the corpus.
struct Pass {
  double read = 0, tokenize = 0, split = 0, tag = 0, parse = 0, ner = 0, kb_scan = 0, link = 0,
         quotes = 0, numeric_times = 0, events = 0;
  double analyze() const {
    return tokenize + split + tag + parse + ner + link + quotes + numeric_times + events;
  }
  double wall() const { return read + analyze(); }
};

// Order-dependent hash of the tagger's output for one document.
uint64_t HashTags(const sitrep::Document& d, uint64_t h) {
  for (size_t i = 0; i < d.tags().size(); ++i) {
    const sitrep::TokenTag& t = d.tags()[i];
    uint64_t v = sitrep::NormId(d.lemma(i)) ^ (uint64_t{static_cast<uint8_t>(t.upos)} << 56) ^
                 (uint64_t{t.xpos} << 48);
    h = (h ^ v) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
  }
  return h;
}

// Order-dependent hash of the parser's output for one document.
uint64_t HashDeps(const sitrep::Document& d, uint64_t h) {
  for (const sitrep::Dependency& dep : d.deps()) {
    uint64_t v = static_cast<uint64_t>(static_cast<uint32_t>(dep.head)) << 8 | dep.deprel;
    h = (h ^ v) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
  }
  return h;
}

int Fail(const sitrep::Status& st) {
  std::fprintf(stderr, "bench_analyze: %s\n", st.ToString().c_str());
  return 1;
}

// UPOS F1 over the sentences of a CoNLL-U file, each analysed from its
// "# text" line alone (see the file comment).
int ScoreConllu(const std::string& path, const sitrep::Tokenizer& tokenizer,
                const sitrep::SentenceSplitter& splitter, const sitrep::Tagger& tagger) {
  using namespace sitrep;
  auto gold = ReadConlluFile(path);
  if (!gold.ok()) return Fail(gold.status());
  size_t gold_words = 0, tokens = 0, matched = 0;
  Document d;
  std::map<std::pair<size_t, size_t>, std::string_view> upos_at;
  for (const ConlluSentence& s : *gold) {
    if (s.text.empty()) continue;
    // Gold word spans: surface tokens are found left to right in the text; a
    // multi-word token's words only when their forms spell it.
    upos_at.clear();
    size_t pos = 0;
    for (const ConlluToken& t : s.tokens) {
      const size_t at = s.text.find(t.form, pos);
      std::string joined;
      for (uint32_t w = t.word_begin; w < t.word_end; ++w) joined += s.words[w].form;
      size_t p = at;
      for (uint32_t w = t.word_begin; w < t.word_end; ++w) {
        ++gold_words;
        if (at == std::string::npos || joined != t.form) continue;
        upos_at[{p, p + s.words[w].form.size()}] = s.words[w].upos;
        p += s.words[w].form.size();
      }
      if (at != std::string::npos) pos = at + t.form.size();
    }
    d.Reset(s.text);
    tokenizer.Tokenize(&d);
    splitter.Split(&d);
    tagger.Tag(&d);
    tokens += d.tokens().size();
    for (size_t i = 0; i < d.tokens().size(); ++i) {
      auto it = upos_at.find({d.tokens()[i].begin, d.tokens()[i].end});
      matched += it != upos_at.end() && it->second == UposName(d.tags()[i].upos);
    }
  }
  std::printf(
      "{\"conllu\":\"%s\",\"gold_words\":%zu,\"system_tokens\":%zu,\"matched\":%zu,"
      "\"upos_f1\":%.2f}\n",
      path.c_str(), gold_words, tokens, matched,
      gold_words + tokens ? 200.0 * matched / (gold_words + tokens) : 0.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sitrep;
  std::string tagger_path, parser_path, corpus, conllu, ner_path, kb_path, quotes_path, events_path,
      gazetteer_path = "models/gazetteer.bin";
  long limit = -1;
  int repeat = 1;
  int beam = 0;  // parser beam width; 0: the model's
  SentenceSplitterOptions so;
  so.model_path = "models/segmenter.bin";
  for (int i = 1; i < argc; ++i) {
    auto arg = [&](const char* name) { return std::strcmp(argv[i], name) == 0 && i + 1 < argc; };
    if (arg("--tagger")) {
      tagger_path = argv[++i];
    } else if (arg("--parser")) {
      parser_path = argv[++i];
    } else if (arg("--ner")) {
      ner_path = argv[++i];
    } else if (arg("--kb")) {
      kb_path = argv[++i];
    } else if (arg("--quotes")) {
      quotes_path = argv[++i];
    } else if (arg("--events")) {
      events_path = argv[++i];
    } else if (arg("--gazetteer")) {
      gazetteer_path = argv[++i];
    } else if (arg("--corpus")) {
      corpus = argv[++i];
    } else if (arg("--conllu")) {
      conllu = argv[++i];
    } else if (arg("--limit")) {
      limit = std::atol(argv[++i]);
    } else if (arg("--repeat")) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg("--beam")) {
      beam = std::atoi(argv[++i]);
    } else if (arg("--segmenter")) {
      so.model_path = argv[++i];
    } else if (std::strcmp(argv[i], "--rules-only") == 0) {
      so.model_path.clear();
    } else {
      tagger_path.clear();
      break;
    }
  }
  if (tagger_path.empty() || (corpus.empty() && conllu.empty())) {
    std::fprintf(stderr,
                 "usage: bench_analyze --tagger PATH --corpus PATH [--parser PATH [--beam N]]\n"
                 "                     [--ner PATH [--gazetteer PATH]] [--limit N]\n"
                 "                     [--repeat N] [--segmenter PATH | --rules-only]\n"
                 "       bench_analyze --tagger PATH --conllu PATH\n");
    return 2;
  }

  Tokenizer tokenizer;
  auto splitter = SentenceSplitter::Create(so);
  if (!splitter.ok()) return Fail(splitter.status());

  // Models: load time and the resident memory they add.
  const double rss_before_models = CurrentRssMb();
  auto t0 = Clock::now();
  auto tagger = Tagger::Load(tagger_path);
  const double tagger_load_ms = Since(t0) * 1e3;
  if (!tagger.ok()) return Fail(tagger.status());
  std::unique_ptr<Parser> parser;
  double parser_load_ms = 0;
  if (!parser_path.empty()) {
    t0 = Clock::now();
    auto p = Parser::Load(parser_path);
    parser_load_ms = Since(t0) * 1e3;
    if (!p.ok()) return Fail(p.status());
    parser = std::move(p.value());
  }
  std::unique_ptr<Gazetteer> gazetteer;
  std::unique_ptr<EntityRecognizer> ner;
  double ner_load_ms = 0;
  if (!ner_path.empty()) {
    t0 = Clock::now();
    auto g = Gazetteer::Load(gazetteer_path);
    if (!g.ok()) return Fail(g.status());
    gazetteer = std::move(g.value());
    auto n = EntityRecognizer::Load(ner_path, gazetteer.get());
    ner_load_ms = Since(t0) * 1e3;
    if (!n.ok()) return Fail(n.status());
    ner = std::move(n.value());
  }
  std::unique_ptr<KnowledgeBase> kb;
  std::unique_ptr<Linker> linker;
  double kb_load_ms = 0;
  if (!kb_path.empty()) {
    t0 = Clock::now();
    auto k = KnowledgeBase::Load(kb_path);
    kb_load_ms = Since(t0) * 1e3;
    if (!k.ok()) return Fail(k.status());
    kb = std::move(k.value());
    linker = std::make_unique<Linker>(kb.get());
  }
  const double rss_after_models = CurrentRssMb();
  size_t kb_matches = 0;
  std::unique_ptr<QuoteExtractor> quoter;
  if (!quotes_path.empty()) {
    auto q = QuoteExtractor::Load(quotes_path);
    if (!q.ok()) {
      std::fprintf(stderr, "%s\n", q.status().ToString().c_str());
      return 1;
    }
    quoter = std::move(q.value());
  }
  size_t quotes_found = 0;
  std::unique_ptr<EventCoder> coder;
  NumericEntityFinder numeric;
  TimeResolver times;
  if (!events_path.empty()) {
    auto c = EventCoder::Load({events_path});
    if (!c.ok()) return Fail(c.status());
    coder = std::move(c.value());
  }
  size_t events_found = 0;
  if (!conllu.empty()) {
    int rc = ScoreConllu(conllu, tokenizer, **splitter, **tagger);
    if (rc != 0 || corpus.empty()) return rc;
  }

  Pass best;
  size_t docs = 0, bad = 0, tokens = 0, sentences = 0;
  uint64_t output_hash = 0, parse_hash = 0;
  Document d;
  for (int rep = 0; rep < repeat; ++rep) {
    auto r = OpenReader(corpus);
    if (!r.ok()) return Fail(r.status());
    Pass p;
    docs = bad = tokens = sentences = 0;
    Status st;
    while (limit < 0 || docs < static_cast<size_t>(limit)) {
      t0 = Clock::now();
      bool more = (*r)->Next(&d, &st);
      p.read += Since(t0);
      if (!more) break;
      if (!st.ok()) {
        ++bad;
        continue;
      }
      ++docs;
      t0 = Clock::now();
      tokenizer.Tokenize(&d);
      auto t1 = Clock::now();
      (*splitter)->Split(&d);
      auto t2 = Clock::now();
      (*tagger)->Tag(&d);
      auto t3 = Clock::now();
      if (parser) parser->Parse(&d, beam);
      auto t4 = Clock::now();
      if (ner) ner->Recognize(&d);
      auto t5 = Clock::now();
      if (kb) {
        for (const Sentence& sent : d.sentences())
          for (uint32_t t = sent.token_begin; t < sent.token_end;) {
            const auto m = kb->Longest(d, t, sent.token_end);
            kb_matches += m.length != 0;
            t += m.length ? m.length : 1;
          }
      }
      auto t6 = Clock::now();
      if (linker) linker->Link(&d);
      auto t7 = Clock::now();
      if (coder) {  // numeric entities and times come before quotations in the pipeline
        const auto tn = Clock::now();
        numeric.Find(&d);
        times.Resolve(&d);
        p.numeric_times += Since(tn);
      }
      if (quoter) {
        const auto tq = Clock::now();
        quoter->Extract(&d);
        p.quotes += Since(tq);
        if (rep == 0) quotes_found += d.quotes().size();
      }
      if (coder) {
        const auto te = Clock::now();
        coder->Code(&d, kb.get());
        p.events += Since(te);
        if (rep == 0) events_found += d.events().size();
      }
      p.kb_scan += std::chrono::duration<double>(t6 - t5).count();
      p.link += std::chrono::duration<double>(t7 - t6).count();
      p.ner += std::chrono::duration<double>(t5 - t4).count();
      p.tokenize += std::chrono::duration<double>(t1 - t0).count();
      p.split += std::chrono::duration<double>(t2 - t1).count();
      p.tag += std::chrono::duration<double>(t3 - t2).count();
      p.parse += std::chrono::duration<double>(t4 - t3).count();
      tokens += d.tokens().size();
      sentences += d.sentences().size();
      if (rep == 0) {
        output_hash = HashTags(d, output_hash);
        if (parser) parse_hash = HashDeps(d, parse_hash);
      }
    }
    if (rep == 0) {
      best = p;
    } else {
      best.read = std::min(best.read, p.read);
      best.tokenize = std::min(best.tokenize, p.tokenize);
      best.split = std::min(best.split, p.split);
      best.tag = std::min(best.tag, p.tag);
      best.parse = std::min(best.parse, p.parse);
      best.ner = std::min(best.ner, p.ner);
      best.kb_scan = std::min(best.kb_scan, p.kb_scan);
      best.link = std::min(best.link, p.link);
      best.quotes = std::min(best.quotes, p.quotes);
      best.numeric_times = std::min(best.numeric_times, p.numeric_times);
      best.events = std::min(best.events, p.events);
    }
  }

  auto rate = [&](double s) { return s > 0 ? tokens / s : 0.0; };
  std::printf(
      "{\"corpus\":\"%s\",\"documents\":%zu,\"bad_records\":%zu,\"tokens\":%zu,\"sentences\":%zu,"
      "\"read_s\":%.4f,\"tokenize_s\":%.4f,\"split_s\":%.4f,\"tag_s\":%.4f,"
      "\"tag_tokens_per_s\":%.0f,",
      corpus.c_str(), docs, bad, tokens, sentences, best.read, best.tokenize, best.split,
      best.tag, rate(best.tag));
  if (parser)
    std::printf("\"parse_s\":%.4f,\"parse_tokens_per_s\":%.0f,\"parser_load_ms\":%.1f,",
                best.parse, rate(best.parse), parser_load_ms);
  if (ner) {
    size_t entities = d.entities().size();
    std::printf("\"ner_s\":%.4f,\"ner_tokens_per_s\":%.0f,\"ner_load_ms\":%.1f,"
                "\"entities_last_doc\":%zu,",
                best.ner, rate(best.ner), ner_load_ms, entities);
  }
  if (kb) {
    const double before_link = best.analyze() - best.link;
    std::printf("\"kb_scan_s\":%.4f,\"kb_scan_tokens_per_s\":%.0f,\"kb_matches\":%zu,"
                "\"link_s\":%.4f,\"link_tokens_per_s\":%.0f,\"link_share_pct\":%.2f,"
                "\"kb_load_ms\":%.1f,",
                best.kb_scan, rate(best.kb_scan), kb_matches / repeat, best.link, rate(best.link),
                before_link > 0 ? 100.0 * best.link / before_link : 0.0, kb_load_ms);
  }
  if (quoter) {
    const double before = best.analyze() - best.quotes;
    std::printf("\"quotes_s\":%.4f,\"quotes_tokens_per_s\":%.0f,\"quotes_found\":%zu,"
                "\"quotes_share_pct\":%.2f,",
                best.quotes, rate(best.quotes), quotes_found,
                before > 0 ? 100.0 * best.quotes / before : 0.0);
  }
  if (coder) {
    const double before = best.analyze() - best.events;
    const double a = best.analyze();
    std::printf("\"numeric_times_s\":%.4f,\"events_s\":%.4f,\"events_tokens_per_s\":%.0f,"
                "\"events_found\":%zu,\"events_share_pct\":%.2f,"
                "\"analyze_sentences_per_s\":%.0f,\"analyze_articles_per_s\":%.1f,",
                best.numeric_times, best.events, rate(best.events), events_found,
                before > 0 ? 100.0 * best.events / before : 0.0, a > 0 ? sentences / a : 0.0,
                a > 0 ? docs / a : 0.0);
  }
  std::printf(
      "\"analyze_s\":%.4f,\"analyze_tokens_per_s\":%.0f,\"wall_s\":%.4f,"
      "\"wall_tokens_per_s\":%.0f,\"tagger_load_ms\":%.1f,\"rss_before_models_mb\":%.1f,"
      "\"models_rss_mb\":%.1f,\"max_rss_mb\":%.1f,\"output_hash\":\"%016llx\"",
      best.analyze(), rate(best.analyze()), best.wall(), rate(best.wall()), tagger_load_ms,
      rss_before_models, rss_after_models - rss_before_models, PeakRssMb(),
      static_cast<unsigned long long>(output_hash));
  if (parser) std::printf(",\"parse_hash\":\"%016llx\"", static_cast<unsigned long long>(parse_hash));
  std::printf("}\n");
  return 0;
}
