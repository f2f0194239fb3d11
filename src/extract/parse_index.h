// Internal helpers the extractors share (quotes.cc, events.cc): the
// children of each token in the dependency parse, and small string helpers
// for their lexicon files. Not part of the public API.
#ifndef SITREP_EXTRACT_PARSE_INDEX_H_
#define SITREP_EXTRACT_PARSE_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sitrep/document.h"

namespace sitrep {

// The dependents of every token, in token order, as one flat array.
// Build() reads Document::deps() (heads are document token indices; a head
// outside the document is ignored).
class ChildIndex {
 public:
  // REQUIRES: doc.deps().size() is 0 or doc.tokens().size().
  void Build(const Document& doc) {
    const uint32_t n = static_cast<uint32_t>(doc.tokens().size());
    const bool parsed = doc.deps().size() == n;
    begin_.assign(n + 1, 0);
    kids_.clear();
    if (!parsed) return;
    for (uint32_t t = 0; t < n; ++t) {
      const int h = doc.deps()[t].head;
      if (h >= 0 && static_cast<uint32_t>(h) < n) ++begin_[h + 1];
    }
    for (uint32_t t = 0; t < n; ++t) begin_[t + 1] += begin_[t];
    kids_.assign(begin_[n], 0);
    std::vector<uint32_t> fill(begin_.begin(), begin_.end() - 1);
    for (uint32_t t = 0; t < n; ++t) {
      const int h = doc.deps()[t].head;
      if (h >= 0 && static_cast<uint32_t>(h) < n) kids_[fill[h]++] = t;
    }
  }
  // Dependents of token i: [begin(i), end(i)). REQUIRES: i below the token count.
  const uint32_t* begin(uint32_t i) const { return kids_.data() + begin_[i]; }
  const uint32_t* end(uint32_t i) const { return kids_.data() + begin_[i + 1]; }

  // The first and last token of the subtree of `root`, leaving out every
  // dependent c of a node t (and c's subtree) for which skip(t, c) is true.
  template <typename Skip>
  std::pair<uint32_t, uint32_t> Span(uint32_t root, Skip skip) const {
    uint32_t lo = root, hi = root;
    std::vector<uint32_t> stack = {root};
    while (!stack.empty()) {
      const uint32_t t = stack.back();
      stack.pop_back();
      lo = t < lo ? t : lo;
      hi = t > hi ? t : hi;
      for (const uint32_t* c = begin(t); c != end(t); ++c)
        if (!skip(t, *c)) stack.push_back(*c);
    }
    return {lo, hi};
  }

 private:
  std::vector<uint32_t> begin_, kids_;
};

// ASCII lower case (lexicon words and lemmas are compared in it).
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The fields of `s` between separators `sep` (empty fields kept).
inline std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t p = 0;
  while (true) {
    const size_t t = s.find(sep, p);
    out.push_back(s.substr(p, t == std::string_view::npos ? std::string_view::npos : t - p));
    if (t == std::string_view::npos) break;
    p = t + 1;
  }
  return out;
}

}  // namespace sitrep

#endif  // SITREP_EXTRACT_PARSE_INDEX_H_
