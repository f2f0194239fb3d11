// Sentence and paragraph segmentation over tokens.
//
// Paragraphs end at blank lines. Inside a paragraph a sentence may end after
// a terminal token (. ! ? ... and runs of them, or an abbreviation that can
// end a sentence), extended over closing quotes and brackets that follow it
// without a space. Whether it does end depends on the next token: a lower-case
// word or a comma-like mark continues the sentence (`"Stop!" he said.`); after
// an abbreviation such as "U.S." only a typical sentence opener starts a new
// sentence. Short lines without final punctuation followed by a line that
// starts with a capital (headlines, datelines, bylines) end a sentence too.
#include <utf8proc.h>

#include <unordered_set>

#include "sitrep/text.h"
#include "text/abbreviations.h"
#include "text/boundary.h"

namespace sitrep {

namespace {

using text::AbbrevClass;
using text::ClassifyAbbreviation;

// Words that typically open a sentence; after an ambiguous abbreviation such
// as "U.S." or "Inc." a capitalized one of these signals a new sentence.
constexpr std::string_view kOpeners[] = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
    "those", "there", "here", "but", "and", "or", "so", "yet", "however", "in", "on", "at",
    "for", "by", "with", "from", "to", "as", "if", "when", "while", "after", "before", "since",
    "although", "though", "because", "despite", "during", "according", "meanwhile", "also",
    "still", "then", "now", "today", "yesterday", "his", "her", "its", "their", "our", "my",
    "your", "some", "many", "most", "all", "both", "each", "every", "no", "not", "what", "why",
    "how", "who", "where", "which", "such", "other", "another", "more", "officials", "its",
    "instead", "thus", "hence", "moreover", "furthermore", "nevertheless", "nonetheless",
    "earlier", "later", "last", "next", "one", "two", "three", "several", "only", "even"};

int32_t FirstCp(std::string_view s) {
  if (s.empty()) return -1;
  utf8proc_int32_t cp = -1;
  utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                   static_cast<utf8proc_ssize_t>(s.size()), &cp);
  return cp;
}

bool IsLower(int32_t cp) {
  if (cp < 0) return false;
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}
bool IsUpperOrDigit(int32_t cp) {
  if (cp < 0) return false;
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  auto c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_LO;
}

bool IsClosingBracket(std::string_view t) { return t == ")" || t == "]" || t == "}"; }
bool IsOpeningBracket(std::string_view t) { return t == "(" || t == "[" || t == "{"; }

}  // namespace

struct SentenceSplitter::Impl {
  std::unordered_set<uint64_t> openers;
  std::shared_ptr<const text::BoundaryModel> model;  // null: rules only
};

Result<std::unique_ptr<SentenceSplitter>> SentenceSplitter::Create(
    SentenceSplitterOptions options) {
  std::unique_ptr<SentenceSplitter> s(new SentenceSplitter(options));
  if (!options.model_path.empty()) {
    auto m = text::BoundaryModel::Load(options.model_path);
    if (!m.ok()) return m.status();
    s->impl_->model = std::move(m.value());
  }
  return s;
}

SentenceSplitter::SentenceSplitter(SentenceSplitterOptions options)
    : impl_(new Impl), options_(options) {
  for (std::string_view w : kOpeners) impl_->openers.insert(NormId(w));
}
SentenceSplitter::~SentenceSplitter() = default;

namespace {

struct ParagraphSplit {
  const Document& doc;
  const std::unordered_set<uint64_t>& openers;
  const SentenceSplitterOptions& options;

  std::string_view Text(size_t i) const { return doc.token_text(i); }
  const Token& Tok(size_t i) const { return doc.tokens()[i]; }

  bool IsTerminal(size_t i) const {
    const Token& t = Tok(i);
    std::string_view s = Text(i);
    if (t.kind == TokenKind::kPunct) {
      char c = s[0];
      return c == '.' || c == '!' || c == '?' || s == "\xE2\x80\xA6";
    }
    return t.kind == TokenKind::kAbbreviation;
  }

  // Last token of the sentence if one ends at terminal token i (inside the
  // paragraph [b, e)), else -1.
  long EndAfterTerminal(size_t i, size_t e) const {
    size_t j = i;
    // Closing quotes and brackets glued to the terminal belong to its sentence.
    while (j + 1 < e && !Tok(j).has(kSpaceAfter)) {
      const Token& n = Tok(j + 1);
      std::string_view nt = Text(j + 1);
      bool closing = (n.kind == TokenKind::kQuote && !n.has(kQuoteOpen)) || IsClosingBracket(nt);
      if (!closing) break;
      ++j;
    }
    // A citation after the sentence's end belongs to it: "... research. [1 - 3]"
    if (j + 1 < e && Text(j + 1) == "[") {
      size_t k = j + 2;
      while (k < e && k < j + 8 &&
             (Tok(k).kind == TokenKind::kNumber || Text(k) == "," || Text(k) == "-" ||
              Text(k) == "\xE2\x80\x93"))
        ++k;
      if (k < e && k > j + 2 && Text(k) == "]") j = k;
    }
    if (j + 1 >= e) return static_cast<long>(j);
    const Token& next = Tok(j + 1);
    std::string_view nt = Text(j + 1);
    int32_t cp = FirstCp(nt);
    const Token& t = Tok(i);
    std::string_view tt = Text(i);
    if (IsLower(cp)) {
      // `"Stop!" he said.` and "em ... no ..." continue; "fine. i said" (informal
      // text without capitals) does not.
      if (j > i || t.kind == TokenKind::kAbbreviation) return -1;
      if (tt.size() >= 2 && tt[0] == '.' && tt[1] == '.') return -1;
      if (tt == "\xE2\x80\xA6") return -1;
      // A period after a one-letter word is more likely an unknown abbreviation.
      if (i > 0 && tt == "." && Text(i - 1).size() == 1) return -1;
      return static_cast<long>(j);
    }
    if (next.kind == TokenKind::kPunct && !IsOpeningBracket(nt) && nt[0] != '-' &&
        static_cast<unsigned char>(nt[0]) < 0x80)
      return -1;  // , ; : ) and the like continue the sentence
    if (t.kind == TokenKind::kAbbreviation) {
      bool next_digit = cp >= '0' && cp <= '9';
      AbbrevClass ac = ClassifyAbbreviation(Text(i), next_digit);
      if (ac == AbbrevClass::kTitle || ac == AbbrevClass::kNumbering ||
          ac == AbbrevClass::kInitial)
        return -1;
      if (next.kind == TokenKind::kQuote && next.has(kQuoteOpen)) return static_cast<long>(j);
      if (openers.count(next.norm) && IsUpperOrDigit(cp)) return static_cast<long>(j);
      return -1;
    }
    // A list marker "1." or "a." opening the paragraph or line is not a sentence.
    if (i > 0 && Text(i) == "." && !Tok(i - 1).has(kSpaceAfter) &&
        Tok(i - 1).kind == TokenKind::kNumber && Text(i - 1).size() <= 2) {
      bool line_start = (i - 1 == 0) || Tok(i - 2).has(kNewlineAfter);
      if (line_start) return -1;
    }
    return static_cast<long>(j);
  }

  // True when a single line break after token i ends a heading-like line.
  bool HeadingBreak(size_t line_begin, size_t i, size_t e) const {
    if (!options.break_at_heading_lines || i + 1 >= e) return false;
    if (i + 1 - line_begin > 14) return false;
    std::string_view t = Text(i);
    const Token& tok = Tok(i);
    if (tok.kind == TokenKind::kPunct && (t == "," || t == ";" || t == ":" || t == "-" ||
                                          t == "--" || t[0] == '('))
      return false;
    int32_t cp = FirstCp(Text(i + 1));
    const Token& next = Tok(i + 1);
    return IsUpperOrDigit(cp) || (next.kind == TokenKind::kQuote && next.has(kQuoteOpen)) ||
           next.kind == TokenKind::kSymbol;
  }
};

}  // namespace

void SentenceSplitter::Review(const Document& doc, size_t b, size_t e, size_t first_sentence,
                              std::vector<Sentence>* sentences, std::vector<uint8_t>* ends,
                              std::vector<uint8_t>* cls) const {
  const size_t n = e - b;
  ends->assign(n, 0);
  for (size_t s = first_sentence; s < sentences->size(); ++s)
    (*ends)[(*sentences)[s].token_end - 1 - b] = 1;
  text::TokenClasses(doc, b, e, cls);
  sentences->resize(first_sentence);
  uint64_t feats[text::kBoundaryFeatureCount];
  size_t start = 0;
  for (size_t k = 0; k + 1 < n; ++k) {
    bool rule = (*ends)[k] != 0;
    if (!text::IsCandidate(cls->data(), k, n, rule)) continue;
    text::BoundaryFeatures(doc, b, cls->data(), k, n, rule, k - start + 1, feats);
    if (impl_->model->Score(feats) > 0) {
      sentences->push_back({static_cast<uint32_t>(b + start), static_cast<uint32_t>(b + k + 1)});
      start = k + 1;
    }
  }
  sentences->push_back({static_cast<uint32_t>(b + start), static_cast<uint32_t>(e)});
}

void SentenceSplitter::Split(Document* doc) const {
  std::vector<Sentence>& sentences = doc->sentences();
  std::vector<Paragraph>& paragraphs = doc->paragraphs();
  sentences.clear();
  paragraphs.clear();
  const std::vector<Token>& tokens = doc->tokens();
  if (tokens.empty()) return;
  ParagraphSplit ps{*doc, impl_->openers, options_};
  std::vector<uint8_t> ends, cls;  // scratch for Review
  size_t b = 0;
  const size_t n = tokens.size();
  for (size_t k = 0; k < n; ++k) {
    if (!(tokens[k].flags & kBlankLineAfter) && k + 1 < n) continue;
    const size_t e = k + 1;
    Paragraph para;
    para.token_begin = static_cast<uint32_t>(b);
    para.token_end = static_cast<uint32_t>(e);
    para.span = {tokens[b].begin, tokens[e - 1].end};
    para.sentence_begin = static_cast<uint32_t>(sentences.size());
    size_t s = b;          // first token of the current sentence
    size_t line_begin = b; // first token of the current line
    // A line that starts a sentence may be a heading (see HeadingBreak).
    bool line_starts_sentence = true;
    for (size_t i = b; i < e; ++i) {
      long end = -1;
      if (ps.IsTerminal(i)) {
        end = ps.EndAfterTerminal(i, e);
      } else if (tokens[i].flags & kNewlineAfter && line_starts_sentence &&
                 ps.HeadingBreak(line_begin, i, e)) {
        end = static_cast<long>(i);
      }
      if (end >= 0) {
        sentences.push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(end + 1)});
        s = static_cast<size_t>(end) + 1;
        i = static_cast<size_t>(end);
      }
      if (tokens[i].flags & kNewlineAfter) {
        line_begin = i + 1;
        line_starts_sentence = s == i + 1;
      }
    }
    if (s < e) sentences.push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(e)});
    para.sentence_end = static_cast<uint32_t>(sentences.size());
    paragraphs.push_back(para);
    b = e;
  }
  if (!impl_->model || !text::LooksInformal(*doc)) return;
  // The model reviews every paragraph's sentences; paragraphs are rebuilt in
  // place from the first one on.
  std::vector<Sentence> rule_sentences;
  rule_sentences.swap(sentences);
  for (Paragraph& p : paragraphs) {
    size_t first = sentences.size();
    sentences.insert(sentences.end(), rule_sentences.begin() + p.sentence_begin,
                     rule_sentences.begin() + p.sentence_end);
    Review(*doc, p.token_begin, p.token_end, first, &sentences, &ends, &cls);
    p.sentence_begin = static_cast<uint32_t>(first);
    p.sentence_end = static_cast<uint32_t>(sentences.size());
  }
}


}  // namespace sitrep
