#include "text/boundary.h"

#include "model/perceptron.h"

#include <utf8proc.h>

#include <cstring>

namespace sitrep::text {

namespace {

bool IsUpperCp(int32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  auto c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int32_t FirstCp(std::string_view s) {
  utf8proc_int32_t cp = -1;
  utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                   static_cast<utf8proc_ssize_t>(s.size()), &cp);
  return cp;
}

uint8_t ClassOf(const Token& t, std::string_view s) {
  switch (t.kind) {
    case TokenKind::kQuote:
      return t.has(kQuoteOpen) ? kOpenQuote : t.has(kQuoteClose) ? kCloseQuote : kQuoteMark;
    case TokenKind::kUrl:
    case TokenKind::kEmail:
      return kUrlEmail;
    case TokenKind::kEmoticon:
      return kEmoticon;
    case TokenKind::kSymbol:
      return kSymbol;
    case TokenKind::kAbbreviation:
      return kAbbrev;
    case TokenKind::kNumber: {
      if (s.find(':') != std::string_view::npos) return kTime;
      if (s.find('/') != std::string_view::npos || s.find('-') != std::string_view::npos)
        return kDate;
      for (char c : s)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return kMixedAlnum;
      return kNumber;
    }
    case TokenKind::kPunct: {
      char c = s[0];
      if (c == '.') return s.size() > 1 && s[1] == '.' ? kEllipsis : kPeriod;
      if (c == '!' || c == '?') return kExclQuest;
      if (c == ',') return kComma;
      if (c == ':') return kColon;
      if (c == ';') return kSemicolon;
      if (c == '-' || s == "\xE2\x80\x94" || s == "\xE2\x80\x93") return kDash;
      if (c == '(' || c == '[' || c == '{') return kOpenBracket;
      if (c == ')' || c == ']' || c == '}') return kCloseBracket;
      if (s == "\xE2\x80\xA6") return kEllipsis;
      return kOtherPunct;
    }
    case TokenKind::kWord: {
      unsigned char c0 = static_cast<unsigned char>(s[0]);
      if (c0 < 0x80) {
        if (!(c0 >= 'A' && c0 <= 'Z')) return kLower;
        if (s.size() == 1) return c0 == 'I' ? kPronounI : kSingleCap;
        return (s[1] >= 'A' && s[1] <= 'Z') ? kAllCaps : kCapitalized;
      }
      int32_t cp = FirstCp(s);
      if (!IsUpperCp(cp)) return cp < 0x80 ? kLower : kOtherWord;
      if (s.size() == 1) return s[0] == 'I' ? kPronounI : kSingleCap;
      if (s.size() > 1 && s[1] >= 'A' && s[1] <= 'Z') return kAllCaps;
      return kCapitalized;
    }
  }
  return kOtherWord;
}

using model::FeatureHash;

}  // namespace

uint64_t LengthFeature(size_t since_start, uint64_t next_class, bool rule_end) {
  uint64_t len = since_start < 3 ? since_start : since_start < 6 ? 3 : since_start < 12 ? 4
               : since_start < 25 ? 5 : 6;
  return FeatureHash(10, len, next_class, rule_end ? 1 : 0);
}

void TokenClasses(const Document& doc, size_t b, size_t e, std::vector<uint8_t>* cls) {
  cls->resize(e - b);
  const auto& toks = doc.tokens();
  for (size_t i = b; i < e; ++i) (*cls)[i - b] = ClassOf(toks[i], doc.token_text(i));
}

bool IsCandidate(const uint8_t* cls, size_t k, size_t n, bool rule_end) {
  if (rule_end) return true;
  if (k + 1 >= n) return false;
  switch (cls[k]) {
    case kPeriod: case kExclQuest: case kEllipsis: case kColon: case kSemicolon: case kDash:
    case kCloseQuote: case kQuoteMark: case kCloseBracket: case kAbbrev: case kEmoticon:
      return true;
    default:
      break;
  }
  switch (cls[k + 1]) {
    case kLower: case kComma: case kPeriod: case kCloseQuote: case kCloseBracket: case kColon:
    case kSemicolon: case kExclQuest:
      return false;
    default:
      return true;
  }
}

void BoundaryFeatures(const Document& doc, size_t b, const uint8_t* cls, size_t k, size_t n,
                      bool rule_end, size_t since_start, uint64_t* out) {
  const auto& toks = doc.tokens();
  uint64_t cp = k > 0 ? cls[k - 1] : kPad;
  uint64_t ci = cls[k];
  uint64_t cn = k + 1 < n ? cls[k + 1] : kPad;
  uint64_t cnn = k + 2 < n ? cls[k + 2] : kPad;
  uint64_t ni = toks[b + k].norm;
  uint64_t nn = k + 1 < n ? toks[b + k + 1].norm : 0;
  uint64_t r = rule_end ? 1 : 0;
  uint64_t nl = toks[b + k].has(kNewlineAfter) ? 1 : 0;

  out[0] = FeatureHash(0, 1);
  out[1] = FeatureHash(1, r, ci, cn);
  out[2] = FeatureHash(2, ci, cn);
  out[3] = FeatureHash(3, cp, ci, cn);
  out[4] = FeatureHash(4, ci, cn, cnn);
  out[5] = FeatureHash(5, ni);
  out[6] = FeatureHash(6, nn);
  out[7] = FeatureHash(7, ni, cn);
  out[8] = FeatureHash(8, ci, nn);
  out[9] = FeatureHash(9, nl, ci, cn);
  out[10] = LengthFeature(since_start, cn, r);
  out[11] = FeatureHash(11, r, ni);
  out[12] = FeatureHash(12, ni, nn);
  out[13] = FeatureHash(13, k > 0 ? toks[b + k - 1].norm : 0, ci, cn);
  out[14] = FeatureHash(14, r, cn, cnn);
  out[15] = FeatureHash(15, toks[b + k].shape, k + 1 < n ? toks[b + k + 1].shape : 0, r);
  size_t left = n - k - 1;
  out[16] = FeatureHash(16, left < 3 ? left : left < 6 ? 3 : left < 12 ? 4 : left < 25 ? 5 : 6, ci, r);
}

bool LooksInformal(const Document& doc) {
  // Edited text (news, reports) starts its sentences with capitals and ends
  // its paragraphs with punctuation; the rules handle it best. Mail, chat and
  // forum text does not, and the model helps there.
  const auto& sents = doc.sentences();
  if (sents.empty()) return false;
  size_t lower = 0;
  for (const Sentence& s : sents) {
    std::string_view t = doc.token_text(s.token_begin);
    unsigned char c = static_cast<unsigned char>(t[0]);
    if (c >= 'a' && c <= 'z') ++lower;
  }
  size_t unpunctuated = 0;
  for (const Paragraph& p : doc.paragraphs()) {
    std::string_view t = doc.token_text(p.token_end - 1);
    char c = t.back();
    if (c != '.' && c != '!' && c != '?' && c != '"' && c != ')' && c != ':' &&
        static_cast<unsigned char>(c) < 0x80)
      ++unpunctuated;
  }
  return lower * 20 >= sents.size() || unpunctuated * 5 >= doc.paragraphs().size();
}

Result<std::shared_ptr<const BoundaryModel>> BoundaryModel::Load(const std::string& path) {
  auto f = model::ModelFile::Open(path, kBoundaryModelKind, kBoundaryModelVersion);
  if (!f.ok()) return f.status();
  std::string_view p = (*f)->payload();
  uint32_t bits = 0;
  if (p.size() < 8) return Status::Corruption(path + ": segmenter payload too short");
  std::memcpy(&bits, p.data(), 4);
  if (bits < 8 || bits > 26 || p.size() != 8 + (size_t{4} << bits))
    return Status::Corruption(path + ": segmenter payload size does not match its header");
  auto m = std::shared_ptr<BoundaryModel>(
      new BoundaryModel(reinterpret_cast<const float*>(p.data() + 8), static_cast<int>(bits)));
  m->file_ = std::move(f.value());
  return std::shared_ptr<const BoundaryModel>(std::move(m));
}

}  // namespace sitrep::text
