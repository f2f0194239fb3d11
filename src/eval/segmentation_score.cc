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

// Scores one rebuilt treebank document.
SegmentationScores ScoreDocument(const TreebankDocument& td, const Tokenizer& tokenizer,
                                 const SentenceSplitter& splitter) {
  SpanSet gold_tokens(td.tokens.begin(), td.tokens.end());
  SpanSet gold_words(td.words.begin(), td.words.end());
  SpanSet gold_sents(td.sentences.begin(), td.sentences.end());
  Document doc(td.text, Metadata());
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
  // Unplaceable gold words (empty spans) count as gold but never match.
  return r;
}

}  // namespace

std::vector<TreebankDocument> RebuildTreebankText(const std::vector<ConlluSentence>& gold) {
  std::vector<TreebankDocument> docs;
  for (size_t s = 0; s < gold.size(); ++s) {
    const ConlluSentence& sent = gold[s];
    if (docs.empty() || sent.new_doc) {
      docs.emplace_back();
      docs.back().doc_id = sent.doc_id;
    }
    TreebankDocument& td = docs.back();
    std::string& text = td.text;
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
      td.tokens.push_back({tb, te});
      std::string joined;
      for (uint32_t w = tok.word_begin; w < tok.word_end; ++w) joined += sent.words[w].form;
      uint32_t p = tb;
      for (uint32_t w = tok.word_begin; w < tok.word_end; ++w) {
        td.word_refs.push_back(&sent.words[w]);
        if (joined == tok.form) {
          uint32_t l = static_cast<uint32_t>(sent.words[w].form.size());
          td.words.push_back({p, p + l});
          p += l;
        } else {
          td.words.push_back({te, te});
        }
      }
      last_end = te;
      if (tok.space_after) text += ' ';
    }
    td.sentences.push_back({sent_begin, last_end});
  }
  for (TreebankDocument& td : docs)
    while (!td.text.empty() && td.text.back() == ' ') td.text.pop_back();
  return docs;
}

bool IsPermissiveGumGenre(const std::string& genre) {
  static const char* kPermissive[] = {"academic", "bio",    "court",  "interview", "news",
                                      "speech",   "textbook", "voyage", "vlog", "conversation"};
  for (const char* g : kPermissive)
    if (genre == g) return true;
  return false;
}

SegmentationReport EvaluateSegmentation(const std::vector<ConlluSentence>& gold,
                                        const Tokenizer& tokenizer,
                                        const SentenceSplitter& splitter,
                                        const GroupOf& group_of) {
  SegmentationReport report;
  for (const TreebankDocument& td : RebuildTreebankText(gold)) {
    SegmentationScores s = ScoreDocument(td, tokenizer, splitter);
    report.total.Add(s);
    if (group_of) report.by_group[group_of(td.doc_id)].Add(s);
    ++report.documents;
  }
  return report;
}

}  // namespace sitrep
