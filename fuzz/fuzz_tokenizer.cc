// Fuzzes the tokenizer and sentence splitter on arbitrary bytes (repaired to
// valid UTF-8 first, as every reader does) and checks their invariants:
// tokens are non-empty, in order, non-overlapping and inside the text;
// sentences tile the tokens; paragraphs tile the sentences.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sitrep/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sitrep::Tokenizer* tok = new sitrep::Tokenizer();
  static const sitrep::SentenceSplitter* split = new sitrep::SentenceSplitter();
  std::string text(reinterpret_cast<const char*>(data), size);
  sitrep::RepairUtf8(&text, nullptr);
  if (!sitrep::IsValidUtf8(text)) std::abort();
  sitrep::Document doc(std::move(text), sitrep::Metadata());
  tok->Tokenize(&doc);
  split->Split(&doc);
  const auto& t = doc.tokens();
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].begin >= t[i].end || t[i].end > doc.text().size()) std::abort();
    if (i > 0 && t[i - 1].end > t[i].begin) std::abort();
  }
  uint32_t next = 0;
  for (const auto& s : doc.sentences()) {
    if (s.token_begin != next || s.token_end <= s.token_begin) std::abort();
    next = s.token_end;
  }
  if (next != t.size()) std::abort();
  uint32_t sent = 0;
  for (const auto& p : doc.paragraphs()) {
    if (p.sentence_begin != sent || p.sentence_end < p.sentence_begin) std::abort();
    sent = p.sentence_end;
  }
  if (sent != doc.sentences().size()) std::abort();
  return 0;
}
