#include "sitrep/gazetteer.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "model/model_file.h"
#include "sitrep/text.h"

namespace sitrep {

namespace {

constexpr const char* kGazetteerKind = "gazetteer";
constexpr uint32_t kGazetteerVersion = 1;

constexpr std::string_view kCategoryNames[kNumGazetteerCategories] = {
    "COUNTRY", "ADMIN", "CITY", "NORP", "PERSON", "FIRST", "LAST", "ORG"};

// The value bit telling that a longer phrase starts with this one.
constexpr uint64_t kPrefixBit = uint64_t{1} << 16;

// Key of a token sequence: a chain of its normalized-form ids.
inline uint64_t Extend(uint64_t key, uint64_t norm) {
  uint64_t h = (key ^ (norm * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h ? h : 1;  // 0 marks an empty slot
}
constexpr uint64_t kStart = 0x6A09E667F3BCC909ull;

}  // namespace

std::string_view GazetteerCategoryName(int bit) {
  return bit >= 0 && bit < kNumGazetteerCategories ? kCategoryNames[bit] : std::string_view();
}

// Payload: u64 mask, then mask + 1 slots of {u64 key, u64 value}; value's
// low 16 bits are the categories of the phrase with that key, kPrefixBit
// tells that a longer phrase continues it.
struct Gazetteer::Impl {
  std::unique_ptr<model::ModelFile> file;
  uint64_t mask = 0;
  const uint64_t* slots = nullptr;

  // The value stored for `key`, or 0.
  uint64_t Get(uint64_t key) const {
    for (uint64_t i = key & mask;; i = (i + 1) & mask) {
      const uint64_t k = slots[2 * i];
      if (k == key) return slots[2 * i + 1];
      if (k == 0) return 0;
    }
  }
};

Gazetteer::Gazetteer() : impl_(new Impl) {}
Gazetteer::~Gazetteer() = default;

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(const std::string& path) {
  auto f = model::ModelFile::Open(path, kGazetteerKind, kGazetteerVersion);
  if (!f.ok()) return f.status();
  std::string_view p = (*f)->payload();
  std::unique_ptr<Gazetteer> g(new Gazetteer);
  if (p.size() < 8) return Status::Corruption(path + ": gazetteer payload too short");
  std::memcpy(&g->impl_->mask, p.data(), 8);
  const uint64_t mask = g->impl_->mask;
  if (((mask + 1) & mask) != 0 || mask > (uint64_t{1} << 40) || 8 + (mask + 1) * 16 != p.size())
    return Status::Corruption(path + ": gazetteer table size does not match its payload");
  g->impl_->slots = reinterpret_cast<const uint64_t*>(p.data() + 8);
  bool has_empty = false;
  for (uint64_t i = 0; i <= mask && !has_empty; ++i) has_empty = g->impl_->slots[2 * i] == 0;
  if (!has_empty) return Status::Corruption(path + ": gazetteer table has no empty slot");
  g->impl_->file = std::move(f.value());
  return g;
}

Gazetteer::Match Gazetteer::Longest(const Document& doc, size_t begin, size_t end) const {
  Match best;
  uint64_t key = kStart;
  const size_t last = std::min(end, begin + kMaxPhraseTokens);
  for (size_t i = begin; i < last; ++i) {
    key = Extend(key, doc.tokens()[i].norm);
    const uint64_t v = impl_->Get(key);
    if (v & 0xFFFF) best = {static_cast<uint32_t>(i + 1 - begin), static_cast<uint16_t>(v & 0xFFFF)};
    if (!(v & kPrefixBit)) break;
  }
  return best;
}

uint16_t Gazetteer::Lookup(const Document& doc, size_t begin, size_t end) const {
  if (end <= begin || end - begin > kMaxPhraseTokens) return 0;
  uint64_t key = kStart;
  for (size_t i = begin; i < end; ++i) key = Extend(key, doc.tokens()[i].norm);
  return static_cast<uint16_t>(impl_->Get(key) & 0xFFFF);
}

Status BuildGazetteer(std::string_view tsv, const std::string& out_path,
                      const std::string& meta_json) {
  Tokenizer tokenizer;
  std::unordered_map<uint64_t, uint64_t> values;
  size_t line_no = 0;
  while (!tsv.empty()) {
    size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view() : tsv.substr(nl + 1);
    ++line_no;
    if (line.empty()) continue;
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos)
      return Status::InvalidArgument("line " + std::to_string(line_no) + ": no tab");
    std::string_view cat = line.substr(0, tab);
    int bit = -1;
    for (int b = 0; b < kNumGazetteerCategories; ++b)
      if (kCategoryNames[b] == cat) bit = b;
    if (bit < 0)
      return Status::InvalidArgument("line " + std::to_string(line_no) + ": unknown category '" +
                                     std::string(cat) + "'");
    Document doc(std::string(line.substr(tab + 1)), Metadata());
    tokenizer.Tokenize(&doc);
    const size_t n = doc.tokens().size();
    if (n == 0 || n > Gazetteer::kMaxPhraseTokens) continue;
    uint64_t key = kStart;
    for (size_t i = 0; i < n; ++i) {
      key = Extend(key, doc.tokens()[i].norm);
      if (i + 1 < n) values[key] |= kPrefixBit;
    }
    values[key] |= uint64_t{1} << bit;
  }
  uint64_t size = 16;
  while (size < 2 * values.size()) size *= 2;
  std::vector<uint64_t> table(1 + 2 * size, 0);
  table[0] = size - 1;
  // Insert in key order, so the file depends only on the phrases.
  std::vector<std::pair<uint64_t, uint64_t>> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [key, value] : sorted) {
    uint64_t i = key & (size - 1);
    while (table[1 + 2 * i] != 0) i = (i + 1) & (size - 1);
    table[1 + 2 * i] = key;
    table[2 + 2 * i] = value;
  }
  std::string payload(reinterpret_cast<const char*>(table.data()), table.size() * 8);
  return model::WriteModelFile(out_path, kGazetteerKind, kGazetteerVersion, meta_json, payload);
}

}  // namespace sitrep
