#include <algorithm>
#include <set>
#include <utility>

#include "sitrep/evaluate.h"

namespace sitrep {

std::string GumGenre(const std::string& doc_id) {
  if (doc_id.rfind("GUM_", 0) != 0) return "";
  size_t e = doc_id.find('_', 4);
  return doc_id.substr(4, e == std::string::npos ? std::string::npos : e - 4);
}

namespace {

using SpanSet = std::set<std::pair<uint32_t, uint32_t>>;

void Score(const SpanSet& gold, const SpanSet& sys, SpanCounts* c) {
  c->gold += gold.size();
  c->system += sys.size();
  for (const auto& s : sys) c->matched += gold.count(s);
}

// Scores one treebank document, gold sentences [b, e).
SegmentationScores ScoreDocument(const std::vector<ConlluSentence>& gold, size_t b, size_t e,
                                 const Tokenizer& tokenizer, const SentenceSplitter& splitter) {
  std::string text;
  SpanSet gold_tokens, gold_words, gold_sents;
  for (size_t s = b; s < e; ++s) {
    const ConlluSentence& sent = gold[s];
    if (!text.empty() && sent.new_par) {
      while (!text.empty() && text.back() == ' ') text.pop_back();
      text += "\n\n";
    }
    uint32_t sent_begin = static_cast<uint32_t>(text.size());
    uint32_t last_end = sent_begin;
    for (const ConlluToken& tok : sent.tokens) {
      uint32_t tb = static_cast<uint32_t>(text.size());
      text += tok.form;
      uint32_t te = static_cast<uint32_t>(text.size());
      gold_tokens.insert({tb, te});
      // Words: offsets are known when the words spell the token.
      std::string joined;
      for (uint32_t w = tok.word_begin; w < tok.word_end; ++w) joined += sent.words[w].form;
      if (joined == tok.form) {
        uint32_t p = tb;
        for (uint32_t w = tok.word_begin; w < tok.word_end; ++w) {
          uint32_t l = static_cast<uint32_t>(sent.words[w].form.size());
          gold_words.insert({p, p + l});
          p += l;
        }
      } else {
        // Unalignable words (e.g. a lemma-like form): counted, never matched.
        for (uint32_t w = tok.word_begin; w < tok.word_end; ++w)
          gold_words.insert({tb, te + 1000000 + w});
      }
      last_end = te;
      if (tok.space_after) text += ' ';
    }
    gold_sents.insert({sent_begin, last_end});
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();

  Document doc(std::move(text), Metadata());
  tokenizer.Tokenize(&doc);
  splitter.Split(&doc);
  SpanSet sys_tokens, sys_words, sys_sents;
  const auto& toks = doc.tokens();
  std::pair<uint32_t, uint32_t> cur{0, 0};
  for (size_t i = 0; i < toks.size(); ++i) {
    sys_words.insert({toks[i].begin, toks[i].end});
    if (i > 0 && toks[i].has(kJoinedToPrev)) {
      cur.second = toks[i].end;
    } else {
      if (i > 0) sys_tokens.insert(cur);
      cur = {toks[i].begin, toks[i].end};
    }
  }
  if (!toks.empty()) sys_tokens.insert(cur);
  for (size_t s = 0; s < doc.sentences().size(); ++s) {
    ByteSpan sp = doc.sentence_span(s);
    sys_sents.insert({sp.begin, sp.end});
  }
  SegmentationScores r;
  Score(gold_tokens, sys_tokens, &r.tokens);
  Score(gold_words, sys_words, &r.words);
  Score(gold_sents, sys_sents, &r.sentences);
  return r;
}

}  // namespace

SegmentationReport EvaluateSegmentation(const std::vector<ConlluSentence>& gold,
                                        const Tokenizer& tokenizer,
                                        const SentenceSplitter& splitter,
                                        const GroupOf& group_of) {
  SegmentationReport report;
  size_t b = 0;
  while (b < gold.size()) {
    size_t e = b + 1;
    while (e < gold.size() && !gold[e].new_doc) ++e;
    SegmentationScores s = ScoreDocument(gold, b, e, tokenizer, splitter);
    report.total.Add(s);
    if (group_of) report.by_group[group_of(gold[b].doc_id)].Add(s);
    ++report.documents;
    b = e;
  }
  return report;
}

}  // namespace sitrep
