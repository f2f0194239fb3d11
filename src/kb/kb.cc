#include "sitrep/kb.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "model/model_file.h"
#include "sitrep/text.h"
#include "sitrep/time_resolve.h"

namespace sitrep {

namespace {

constexpr const char* kKbKind = "kb";
constexpr uint32_t kKbVersion = 1;
constexpr int kNumBlocks = 13;
// Bits of the first-token filter: a phrase can start at a token only if the
// bit of its one-token key is set (256 KiB, so the scan stays in cache for
// the tokens that start nothing, which are most).
constexpr uint64_t kFilterBits = uint64_t{1} << 21;

constexpr uint64_t kPrefixBit = uint64_t{1} << 63;
constexpr uint64_t kStart = 0x243F6A8885A308D3ull;

inline uint64_t Extend(uint64_t key, uint64_t norm) {
  uint64_t h = (key ^ (norm * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h ? h : 1;  // 0 marks an empty slot
}

struct StrRef {
  uint32_t off = 0, len = 0;
};
struct CountryRec {
  StrRef id, name, iso2, cameo, capital;
  float lat = 0, lon = 0;
};
struct OrgRec {
  StrRef id, name, kind, cameo;
  int32_t country = kNoIndex, sector = kNoIndex;
};
struct SectorRec {
  StrRef id, name;
};
struct PersonRec {
  StrRef id, name;
  int32_t country = kNoIndex;
  uint32_t role_begin = 0, role_count = 0;
  uint8_t gender = 0, pad[3] = {0, 0, 0};
};
struct RoleRec {
  StrRef title;
  int32_t country = kNoIndex, org = kNoIndex, sector = kNoIndex;
  int32_t start = 0, end = kOpenEnd;
};
struct PlaceRec {
  StrRef id, name, admin1, feature;
  int32_t country = kNoIndex;
  uint32_t population = 0;
  float lat = 0, lon = 0;
  uint8_t cls = 0, pad[3] = {0, 0, 0};
};

constexpr std::string_view kKindNames[] = {"", "country", "org", "sector", "person", "place"};
constexpr std::string_view kHowNames[] = {"name",    "alias",   "demonym", "capital",
                                          "metonym", "surname", "term"};

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned DaysInMonth(int y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool Digits(std::string_view s, int* v) {
  if (s.empty()) return false;
  int x = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + (c - '0');
  }
  *v = x;
  return true;
}

}  // namespace

std::string_view KbKindName(KbKind kind) {
  auto i = static_cast<size_t>(kind);
  return i < std::size(kKindNames) ? kKindNames[i] : std::string_view();
}
std::string_view KbHowName(KbHow how) {
  auto i = static_cast<size_t>(how);
  return i < std::size(kHowNames) ? kHowNames[i] : std::string_view();
}

bool ParseIsoDay(std::string_view s, bool last, int32_t* day) {
  if (s.size() > 10 && (s[10] == 'T' || s[10] == ' ')) s = s.substr(0, 10);
  int y = 0, m = 1, d = 1;
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  if (!Digits(s.substr(0, 4), &y)) return false;
  if (s.size() >= 7 && (s[4] != '-' || !Digits(s.substr(5, 2), &m))) return false;
  if (m < 1 || m > 12) return false;
  if (s.size() == 10 && (s[7] != '-' || !Digits(s.substr(8, 2), &d))) return false;
  if (d < 1 || d > static_cast<int>(DaysInMonth(y, m))) return false;
  if (last && s.size() == 4) m = 12, d = 31;
  if (last && s.size() == 7) d = static_cast<int>(DaysInMonth(y, m));
  *day = DaysFromCivil(y, m, d);
  return true;
}

std::string FormatIsoDay(int32_t day) {
  char buf[11];
  FormatIsoDay(day, buf);
  return std::string(buf, 10);
}

// ---------------------------------------------------------------------------
// Loaded file.

struct KnowledgeBase::Impl {
  std::unique_ptr<model::ModelFile> file;
  std::string_view pool;
  std::span<const CountryRec> countries;
  std::span<const OrgRec> orgs;
  std::span<const SectorRec> sectors;
  std::span<const PersonRec> people;
  std::span<const RoleRec> roles;
  std::span<const PlaceRec> places;
  std::span<const uint32_t> id_index;  // per kind, record indices sorted by id
  std::span<const uint32_t> id_index_begin;  // 6 offsets into id_index (kinds 1..5)
  uint64_t mask = 0;
  const uint64_t* slots = nullptr;
  std::span<const KbCandidate> candidates;
  std::span<const uint64_t> filter;

  bool MayStart(uint64_t key1) const {
    const uint64_t bit = (key1 >> 7) & (kFilterBits - 1);
    return (filter[bit >> 6] >> (bit & 63)) & 1;
  }
  std::string_view S(StrRef r) const { return pool.substr(r.off, r.len); }
  uint64_t Get(uint64_t key) const {
    for (uint64_t i = key & mask;; i = (i + 1) & mask) {
      const uint64_t k = slots[2 * i];
      if (k == key) return slots[2 * i + 1];
      if (k == 0) return 0;
    }
  }
  std::span<const KbCandidate> Cands(uint64_t v) const {
    const uint32_t begin = static_cast<uint32_t>(v);
    const uint32_t count = static_cast<uint32_t>((v >> 32) & 0xFFFF);
    return candidates.subspan(begin, count);
  }
  std::string_view IdOf(KbKind kind, uint32_t i) const {
    switch (kind) {
      case KbKind::kCountry: return S(countries[i].id);
      case KbKind::kOrg: return S(orgs[i].id);
      case KbKind::kSector: return S(sectors[i].id);
      case KbKind::kPerson: return S(people[i].id);
      case KbKind::kPlace: return S(places[i].id);
      default: return {};
    }
  }
};

KnowledgeBase::KnowledgeBase() : impl_(new Impl) {}
KnowledgeBase::~KnowledgeBase() = default;

namespace {
template <typename T>
bool AsSpan(std::string_view block, std::span<const T>* out) {
  if (block.size() % sizeof(T) != 0) return false;
  *out = std::span<const T>(reinterpret_cast<const T*>(block.data()), block.size() / sizeof(T));
  return true;
}
}  // namespace

Result<std::unique_ptr<KnowledgeBase>> KnowledgeBase::Load(const std::string& path) {
  auto f = model::ModelFile::Open(path, kKbKind, kKbVersion);
  if (!f.ok()) return f.status();
  std::string_view blocks[kNumBlocks];
  Status s = model::SplitPayloadBlocks((*f)->payload(), blocks, kNumBlocks, "knowledge base");
  if (!s.ok()) return Status::Corruption(path + ": " + s.message());
  std::unique_ptr<KnowledgeBase> kb(new KnowledgeBase);
  Impl& m = *kb->impl_;
  m.pool = blocks[0];
  const std::string bad = path + ": knowledge base is damaged (";
  const std::string fix = "); rebuild it with `sitrep kb build`";
  if (!AsSpan(blocks[1], &m.countries) || !AsSpan(blocks[2], &m.orgs) ||
      !AsSpan(blocks[3], &m.sectors) || !AsSpan(blocks[4], &m.people) ||
      !AsSpan(blocks[5], &m.roles) || !AsSpan(blocks[6], &m.places) ||
      !AsSpan(blocks[7], &m.id_index) || !AsSpan(blocks[8], &m.id_index_begin) ||
      !AsSpan(blocks[11], &m.candidates) || !AsSpan(blocks[12], &m.filter) ||
      m.filter.size() != kFilterBits / 64)
    return Status::Corruption(bad + "block sizes" + fix);
  std::span<const uint64_t> table;
  if (!AsSpan(blocks[10], &table) || blocks[9].size() != 8)
    return Status::Corruption(bad + "phrase table" + fix);
  std::memcpy(&m.mask, blocks[9].data(), 8);
  if (((m.mask + 1) & m.mask) != 0 || table.size() != 2 * (m.mask + 1))
    return Status::Corruption(bad + "phrase table size" + fix);
  m.slots = table.data();
  // Every reference must stay inside its array, so that no lookup can read
  // past the file whatever its contents.
  auto ok_str = [&](StrRef r) { return uint64_t{r.off} + r.len <= m.pool.size(); };
  auto ok_idx = [](int32_t i, size_t n) { return i == kNoIndex || (i >= 0 && size_t(i) < n); };
  const size_t nc = m.countries.size(), no = m.orgs.size(), ns = m.sectors.size();
  for (const auto& c : m.countries)
    if (!ok_str(c.id) || !ok_str(c.name) || !ok_str(c.iso2) || !ok_str(c.cameo) ||
        !ok_str(c.capital))
      return Status::Corruption(bad + "countries" + fix);
  for (const auto& o : m.orgs)
    if (!ok_str(o.id) || !ok_str(o.name) || !ok_str(o.kind) || !ok_str(o.cameo) ||
        !ok_idx(o.country, nc) || !ok_idx(o.sector, ns))
      return Status::Corruption(bad + "organizations" + fix);
  for (const auto& x : m.sectors)
    if (!ok_str(x.id) || !ok_str(x.name)) return Status::Corruption(bad + "sectors" + fix);
  for (const auto& p : m.people)
    if (!ok_str(p.id) || !ok_str(p.name) || !ok_idx(p.country, nc) ||
        uint64_t{p.role_begin} + p.role_count > m.roles.size())
      return Status::Corruption(bad + "people" + fix);
  for (const auto& r : m.roles)
    if (!ok_str(r.title) || !ok_idx(r.country, nc) || !ok_idx(r.org, no) || !ok_idx(r.sector, ns))
      return Status::Corruption(bad + "roles" + fix);
  for (const auto& p : m.places)
    if (!ok_str(p.id) || !ok_str(p.name) || !ok_str(p.admin1) || !ok_str(p.feature) ||
        !ok_idx(p.country, nc))
      return Status::Corruption(bad + "places" + fix);
  const size_t sizes[6] = {0, nc, no, ns, m.people.size(), m.places.size()};
  if (m.id_index_begin.size() != 6 || m.id_index_begin[5] > m.id_index.size())
    return Status::Corruption(bad + "id index" + fix);
  for (int k = 1; k < 6; ++k) {
    const uint32_t b = m.id_index_begin[k - 1], e = k < 5 ? m.id_index_begin[k] : m.id_index.size();
    if (b > e || e - b != sizes[k]) return Status::Corruption(bad + "id index" + fix);
    for (uint32_t i = b; i < e; ++i)
      if (m.id_index[i] >= sizes[k]) return Status::Corruption(bad + "id index" + fix);
  }
  const size_t sizes_by_kind[6] = {0, nc, no, ns, m.people.size(), m.places.size()};
  for (const auto& c : m.candidates) {
    const auto k = static_cast<size_t>(c.kind);
    if (k == 0 || k > 5 || c.record >= sizes_by_kind[k] ||
        static_cast<size_t>(c.how) >= std::size(kHowNames) ||
        uint64_t{c.phrase_off} + c.phrase_len > m.pool.size())
      return Status::Corruption(bad + "candidates" + fix);
  }
  bool has_empty = false;
  for (uint64_t i = 0; i <= m.mask; ++i) {
    const uint64_t v = m.slots[2 * i + 1];
    if (m.slots[2 * i] == 0) {
      has_empty = true;
      continue;
    }
    if (uint64_t{static_cast<uint32_t>(v)} + ((v >> 32) & 0xFFFF) > m.candidates.size())
      return Status::Corruption(bad + "phrase table entries" + fix);
  }
  if (!has_empty) return Status::Corruption(bad + "phrase table full" + fix);
  m.file = std::move(f.value());
  return kb;
}

size_t KnowledgeBase::num_countries() const { return impl_->countries.size(); }
size_t KnowledgeBase::num_orgs() const { return impl_->orgs.size(); }
size_t KnowledgeBase::num_sectors() const { return impl_->sectors.size(); }
size_t KnowledgeBase::num_people() const { return impl_->people.size(); }
size_t KnowledgeBase::num_places() const { return impl_->places.size(); }

KnowledgeBase::Country KnowledgeBase::country(uint32_t i) const {
  const CountryRec& r = impl_->countries[i];
  const Impl& m = *impl_;
  return {m.S(r.id), m.S(r.name), m.S(r.iso2), m.S(r.cameo), m.S(r.capital), r.lat, r.lon};
}
KnowledgeBase::Org KnowledgeBase::org(uint32_t i) const {
  const OrgRec& r = impl_->orgs[i];
  const Impl& m = *impl_;
  return {m.S(r.id), m.S(r.name), m.S(r.kind), m.S(r.cameo), r.country, r.sector};
}
KnowledgeBase::Sector KnowledgeBase::sector(uint32_t i) const {
  const SectorRec& r = impl_->sectors[i];
  return {impl_->S(r.id), impl_->S(r.name)};
}
KnowledgeBase::Person KnowledgeBase::person(uint32_t i) const {
  const PersonRec& r = impl_->people[i];
  return {impl_->S(r.id), impl_->S(r.name), static_cast<char>(r.gender), r.country,
          r.role_begin, r.role_count};
}
KnowledgeBase::Role KnowledgeBase::role(uint32_t i) const {
  const RoleRec& r = impl_->roles[i];
  return {impl_->S(r.title), r.country, r.org, r.sector, r.start, r.end};
}
KnowledgeBase::Place KnowledgeBase::place(uint32_t i) const {
  const PlaceRec& r = impl_->places[i];
  const Impl& m = *impl_;
  return {m.S(r.id), m.S(r.name), m.S(r.admin1), m.S(r.feature), r.country,
          static_cast<char>(r.cls), r.population, r.lat, r.lon};
}

int32_t KnowledgeBase::Find(KbKind kind, std::string_view id) const {
  const auto k = static_cast<size_t>(kind);
  if (k < 1 || k > 5) return kNoIndex;
  const Impl& m = *impl_;
  const uint32_t b = m.id_index_begin[k - 1], e = k < 5 ? m.id_index_begin[k] : m.id_index.size();
  auto first = m.id_index.begin() + b, last = m.id_index.begin() + e;
  auto it = std::lower_bound(first, last, id, [&](uint32_t i, std::string_view x) {
    return m.IdOf(kind, i) < x;
  });
  return it != last && m.IdOf(kind, *it) == id ? static_cast<int32_t>(*it) : kNoIndex;
}

int32_t KnowledgeBase::RoleAt(uint32_t p, int32_t day) const {
  const PersonRec& r = impl_->people[p];
  int32_t best = kNoIndex;
  for (uint32_t i = r.role_begin; i < r.role_begin + r.role_count; ++i) {
    const RoleRec& x = impl_->roles[i];
    if (x.start <= day && day <= x.end && (best == kNoIndex || x.start > impl_->roles[best].start))
      best = static_cast<int32_t>(i);
  }
  return best;
}

KnowledgeBase::Match KnowledgeBase::Longest(const Document& doc, size_t begin, size_t end) const {
  Match best;
  uint64_t key = kStart;
  const size_t last = std::min(end, begin + kMaxPhraseTokens);
  for (size_t i = begin; i < last; ++i) {
    key = Extend(key, doc.tokens()[i].norm);
    if (i == begin && !impl_->MayStart(key)) return best;
    const uint64_t v = impl_->Get(key);
    if ((v >> 32) & 0xFFFF) best = {static_cast<uint32_t>(i + 1 - begin), impl_->Cands(v)};
    if (!(v & kPrefixBit)) break;
  }
  return best;
}

std::span<const KbCandidate> KnowledgeBase::Lookup(const Document& doc, size_t begin,
                                                   size_t end) const {
  if (end <= begin || end - begin > kMaxPhraseTokens) return {};
  uint64_t key = kStart;
  for (size_t i = begin; i < end; ++i) key = Extend(key, doc.tokens()[i].norm);
  return impl_->Cands(impl_->Get(key));
}

std::string_view KnowledgeBase::Phrase(const KbCandidate& c) const {
  return impl_->pool.substr(c.phrase_off, c.phrase_len);
}

// ---------------------------------------------------------------------------
// Build.

namespace {

struct Field {
  std::string name;
  std::vector<std::string> items;
};
struct SourceRecord {
  std::string file;
  size_t line = 0;
  std::string kind, id;
  std::vector<Field> fields;
  const std::vector<std::string>* Get(std::string_view name) const {
    for (const Field& f : fields)
      if (f.name == name) return &f.items;
    return nullptr;
  }
  std::string One(std::string_view name) const {
    const auto* v = Get(name);
    return v && !v->empty() ? (*v)[0] : std::string();
  }
  std::vector<std::string> All(std::string_view name) const {
    std::vector<std::string> out;
    for (const Field& f : fields)
      if (f.name == name) out.insert(out.end(), f.items.begin(), f.items.end());
    return out;
  }
  std::string Where() const { return file + ":" + std::to_string(line) + ": "; }
};

struct KindSpec {
  std::string_view kind;
  std::vector<std::string_view> required, optional;
};
const std::vector<KindSpec>& Specs() {
  static const std::vector<KindSpec> specs = {
      {"country", {"name", "iso2"}, {"cameo", "alias", "demonym", "capital", "metonym", "lat", "lon", "src"}},
      {"org", {"name", "kind"}, {"alias", "country", "cameo", "sector", "src"}},
      {"sector", {"name", "term"}, {"src"}},
      {"person", {"name"}, {"alias", "gender", "country", "src"}},
      {"role", {"title", "start"}, {"country", "org", "sector", "end", "src"}},
      {"place", {"name", "country", "class", "lat", "lon"}, {"alias", "admin1", "feature", "pop", "src"}},
  };
  return specs;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

Status ParseLine(std::string_view line, SourceRecord* r) {
  std::vector<std::string_view> cols;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i)
    if (i == line.size() || line[i] == '\t') {
      cols.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  if (cols.size() < 2) return Status::InvalidArgument(r->Where() + "expected KIND<TAB>ID<TAB>fields");
  r->kind = Trim(cols[0]);
  r->id = Trim(cols[1]);
  const KindSpec* spec = nullptr;
  for (const KindSpec& k : Specs())
    if (k.kind == r->kind) spec = &k;
  if (!spec) return Status::InvalidArgument(r->Where() + "unknown kind '" + r->kind + "'");
  if (r->id.empty()) return Status::InvalidArgument(r->Where() + "empty id");
  for (size_t c = 2; c < cols.size(); ++c) {
    std::string_view col = cols[c];
    if (Trim(col).empty()) continue;
    const size_t eq = col.find('=');
    if (eq == std::string_view::npos)
      return Status::InvalidArgument(r->Where() + "field without '=': '" + std::string(col) + "'");
    Field f;
    f.name = Trim(col.substr(0, eq));
    const bool known = std::find(spec->required.begin(), spec->required.end(), f.name) !=
                           spec->required.end() ||
                       std::find(spec->optional.begin(), spec->optional.end(), f.name) !=
                           spec->optional.end();
    if (!known)
      return Status::InvalidArgument(r->Where() + "unknown field '" + f.name + "' for " + r->kind);
    std::string_view v = col.substr(eq + 1);
    size_t s = 0;
    for (size_t i = 0; i <= v.size(); ++i)
      if (i == v.size() || v[i] == '|') {
        std::string item = Trim(v.substr(s, i - s));
        if (!item.empty()) f.items.push_back(std::move(item));
        s = i + 1;
      }
    r->fields.push_back(std::move(f));
  }
  for (std::string_view req : spec->required)
    if (r->One(req).empty())
      return Status::InvalidArgument(r->Where() + r->kind + " '" + r->id + "' lacks " +
                                     std::string(req));
  return Status::Ok();
}

bool ParseFloat(const std::string& s, double lo, double hi, float* out) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(v >= lo && v <= hi)) return false;
  *out = static_cast<float>(v);
  return true;
}

// Deduplicating string pool.
class Pool {
 public:
  StrRef Add(std::string_view s) {
    auto it = index_.find(std::string(s));
    if (it != index_.end()) return {it->second, static_cast<uint32_t>(s.size())};
    StrRef r{static_cast<uint32_t>(data_.size()), static_cast<uint32_t>(s.size())};
    data_.append(s);
    index_.emplace(std::string(s), r.off);
    return r;
  }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
  std::unordered_map<std::string, uint32_t> index_;
};

bool IsAcronym(std::string_view s) {
  int letters = 0;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') ++letters;
    else if (c != '.') return false;
  }
  return letters >= 1 && letters <= 4;
}

template <typename T>
std::string_view Bytes(const std::vector<T>& v) {
  return std::string_view(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

}  // namespace

Status BuildKnowledgeBase(const std::vector<std::string>& files, const std::string& out_path,
                          std::string* summary) {
  // Records by kind in first-definition order; a redefinition replaces in place.
  std::map<std::string, std::vector<SourceRecord>> by_kind;
  std::map<std::string, std::unordered_map<std::string, size_t>> where;
  std::vector<SourceRecord> roles;
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::IOError(path + ": cannot open");
    std::string line;
    size_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      size_t first = line.find_first_not_of(" \t\r");
      if (first == std::string::npos || line[first] == '#') continue;
      SourceRecord r;
      r.file = path;
      r.line = line_no;
      Status s = ParseLine(line, &r);
      if (!s.ok()) return s;
      if (r.kind == "role") {
        roles.push_back(std::move(r));
        continue;
      }
      auto& index = where[r.kind];
      auto& list = by_kind[r.kind];
      auto it = index.find(r.id);
      if (it != index.end()) {
        list[it->second] = std::move(r);
      } else {
        index.emplace(r.id, list.size());
        list.push_back(std::move(r));
      }
    }
  }

  Pool pool;
  std::vector<CountryRec> countries;
  std::vector<OrgRec> orgs;
  std::vector<SectorRec> sectors;
  std::vector<PersonRec> people;
  std::vector<RoleRec> role_recs;
  std::vector<PlaceRec> places;
  auto index_of = [&](const char* kind, const std::string& id) -> int32_t {
    auto& m = where[kind];
    auto it = m.find(id);
    return it == m.end() ? kNoIndex : static_cast<int32_t>(it->second);
  };
  auto ref = [&](const SourceRecord& r, const char* field, const char* kind, int32_t* out) -> Status {
    const std::string v = r.One(field);
    if (v.empty()) return Status::Ok();
    *out = index_of(kind, v);
    if (*out == kNoIndex)
      return Status::InvalidArgument(r.Where() + field + "=" + v + ": no " + kind + " has this id");
    return Status::Ok();
  };
  auto coords = [&](const SourceRecord& r, float* lat, float* lon, bool required) -> Status {
    const std::string a = r.One("lat"), b = r.One("lon");
    if (a.empty() && b.empty() && !required) return Status::Ok();
    if (!ParseFloat(a, -90, 90, lat) || !ParseFloat(b, -180, 180, lon))
      return Status::InvalidArgument(r.Where() + "lat/lon must be decimal degrees in range");
    return Status::Ok();
  };

  // Phrase -> candidates.
  Tokenizer tokenizer;
  Document scratch;
  std::unordered_map<uint64_t, std::vector<KbCandidate>> phrases;
  std::unordered_map<uint64_t, bool> prefixes;
  std::vector<uint64_t> filter(kFilterBits / 64, 0);
  auto add_phrase = [&](std::string_view text, KbKind kind, uint32_t record, KbHow how) {
    scratch.Reset(std::string(text));
    tokenizer.Tokenize(&scratch);
    const size_t n = scratch.tokens().size();
    if (n == 0 || n > KnowledgeBase::kMaxPhraseTokens) return;
    uint64_t key = kStart;
    for (size_t i = 0; i < n; ++i) {
      key = Extend(key, scratch.tokens()[i].norm);
      if (i == 0) {
        const uint64_t bit = (key >> 7) & (kFilterBits - 1);
        filter[bit >> 6] |= uint64_t{1} << (bit & 63);
      }
      if (i + 1 < n) prefixes[key] = true;
    }
    auto& list = phrases[key];
    // One candidate per record: the strongest way the phrase names it, and
    // a metonym over a capital (the linker reads both as the government).
    for (KbCandidate& c : list)
      if (c.kind == kind && c.record == record) {
        if (how < c.how && !(c.how == KbHow::kMetonym && how == KbHow::kCapital)) c.how = how;
        if (how == KbHow::kMetonym && c.how == KbHow::kCapital) c.how = how;
        return;
      }
    KbCandidate c;
    c.record = record;
    c.kind = kind;
    c.how = how;
    c.exact_case = IsAcronym(text) ? 1 : 0;
    const StrRef p = pool.Add(text);
    c.phrase_off = p.off;
    c.phrase_len = p.len;
    list.push_back(c);
  };

  for (const SourceRecord& r : by_kind["country"]) {
    CountryRec c;
    c.id = pool.Add(r.id);
    c.name = pool.Add(r.One("name"));
    c.iso2 = pool.Add(r.One("iso2"));
    c.cameo = pool.Add(r.One("cameo").empty() ? r.id : r.One("cameo"));
    c.capital = pool.Add(r.One("capital"));
    if (Status s = coords(r, &c.lat, &c.lon, false); !s.ok()) return s;
    const auto i = static_cast<uint32_t>(countries.size());
    add_phrase(r.One("name"), KbKind::kCountry, i, KbHow::kName);
    for (const auto& a : r.All("alias")) add_phrase(a, KbKind::kCountry, i, KbHow::kAlias);
    for (const auto& a : r.All("demonym")) add_phrase(a, KbKind::kCountry, i, KbHow::kDemonym);
    for (const auto& a : r.All("capital")) add_phrase(a, KbKind::kCountry, i, KbHow::kCapital);
    for (const auto& a : r.All("metonym")) add_phrase(a, KbKind::kCountry, i, KbHow::kMetonym);
    countries.push_back(c);
  }
  for (const SourceRecord& r : by_kind["sector"]) {
    const auto i = static_cast<uint32_t>(sectors.size());
    sectors.push_back({pool.Add(r.id), pool.Add(r.One("name"))});
    for (const auto& t : r.All("term")) add_phrase(t, KbKind::kSector, i, KbHow::kTerm);
  }
  for (const SourceRecord& r : by_kind["org"]) {
    OrgRec o;
    o.id = pool.Add(r.id);
    o.name = pool.Add(r.One("name"));
    o.kind = pool.Add(r.One("kind"));
    o.cameo = pool.Add(r.One("cameo"));
    static const std::vector<std::string_view> kOrgKinds = {
        "igo", "ngo", "party", "armed", "gov", "mil", "company", "media", "other"};
    if (std::find(kOrgKinds.begin(), kOrgKinds.end(), r.One("kind")) == kOrgKinds.end())
      return Status::InvalidArgument(r.Where() + "kind=" + r.One("kind") +
                                     ": expected igo, ngo, party, armed, gov, mil, company, media or other");
    if (Status s = ref(r, "country", "country", &o.country); !s.ok()) return s;
    if (Status s = ref(r, "sector", "sector", &o.sector); !s.ok()) return s;
    const auto i = static_cast<uint32_t>(orgs.size());
    add_phrase(r.One("name"), KbKind::kOrg, i, KbHow::kName);
    add_phrase(r.id, KbKind::kOrg, i, KbHow::kAlias);
    for (const auto& a : r.All("alias")) add_phrase(a, KbKind::kOrg, i, KbHow::kAlias);
    orgs.push_back(o);
  }
  // Roles grouped by person, in file order.
  std::unordered_map<std::string, std::vector<const SourceRecord*>> roles_of;
  for (const SourceRecord& r : roles) {
    if (index_of("person", r.id) == kNoIndex)
      return Status::InvalidArgument(r.Where() + "role of '" + r.id + "': no person has this id");
    roles_of[r.id].push_back(&r);
  }
  for (const SourceRecord& r : by_kind["person"]) {
    PersonRec p;
    p.id = pool.Add(r.id);
    p.name = pool.Add(r.One("name"));
    const std::string g = r.One("gender");
    if (!g.empty() && g != "m" && g != "f")
      return Status::InvalidArgument(r.Where() + "gender must be m or f");
    p.gender = g.empty() ? 0 : static_cast<uint8_t>(g[0]);
    if (Status s = ref(r, "country", "country", &p.country); !s.ok()) return s;
    p.role_begin = static_cast<uint32_t>(role_recs.size());
    for (const SourceRecord* q : roles_of[r.id]) {
      RoleRec x;
      x.title = pool.Add(q->One("title"));
      if (Status s = ref(*q, "country", "country", &x.country); !s.ok()) return s;
      if (Status s = ref(*q, "org", "org", &x.org); !s.ok()) return s;
      if (Status s = ref(*q, "sector", "sector", &x.sector); !s.ok()) return s;
      if (!ParseIsoDay(q->One("start"), false, &x.start))
        return Status::InvalidArgument(q->Where() + "start=" + q->One("start") +
                                       ": expected YYYY-MM-DD, YYYY-MM or YYYY");
      const std::string end = q->One("end");
      if (!end.empty() && !ParseIsoDay(end, true, &x.end))
        return Status::InvalidArgument(q->Where() + "end=" + end +
                                       ": expected YYYY-MM-DD, YYYY-MM or YYYY");
      if (x.end < x.start) return Status::InvalidArgument(q->Where() + "end is before start");
      role_recs.push_back(x);
    }
    p.role_count = static_cast<uint32_t>(role_recs.size()) - p.role_begin;
    const auto i = static_cast<uint32_t>(people.size());
    std::vector<std::string> names = {r.One("name")};
    for (const auto& a : r.All("alias")) names.push_back(a);
    for (size_t k = 0; k < names.size(); ++k) {
      add_phrase(names[k], KbKind::kPerson, i, k == 0 ? KbHow::kName : KbHow::kAlias);
      // The surname: the last word, skipping generational suffixes.
      std::vector<std::string_view> words;
      std::string_view n = names[k];
      for (size_t s = 0, e; s < n.size(); s = e + 1) {
        e = n.find(' ', s);
        if (e == std::string_view::npos) e = n.size();
        if (e > s) words.push_back(n.substr(s, e - s));
      }
      while (words.size() > 1 && (words.back() == "Jr." || words.back() == "Jr" ||
                                  words.back() == "Sr." || words.back() == "II" ||
                                  words.back() == "III"))
        words.pop_back();
      if (words.size() >= 2) add_phrase(words.back(), KbKind::kPerson, i, KbHow::kSurname);
    }
    people.push_back(p);
  }
  for (const SourceRecord& r : by_kind["place"]) {
    PlaceRec p;
    p.id = pool.Add(r.id);
    p.name = pool.Add(r.One("name"));
    p.admin1 = pool.Add(r.One("admin1"));
    p.feature = pool.Add(r.One("feature"));
    // Places across borders name several countries; the first is recorded.
    if (Status s = ref(r, "country", "country", &p.country); !s.ok()) return s;
    const std::string cls = r.One("class");
    if (cls.size() != 1 || std::string_view("APLHTS").find(cls[0]) == std::string_view::npos)
      return Status::InvalidArgument(r.Where() + "class must be one of A P L H T S");
    p.cls = static_cast<uint8_t>(cls[0]);
    const std::string pop = r.One("pop");
    if (!pop.empty()) {
      int v = 0;
      if (!Digits(pop, &v)) return Status::InvalidArgument(r.Where() + "pop must be a whole number");
      p.population = static_cast<uint32_t>(v);
    }
    if (Status s = coords(r, &p.lat, &p.lon, true); !s.ok()) return s;
    const auto i = static_cast<uint32_t>(places.size());
    add_phrase(r.One("name"), KbKind::kPlace, i, KbHow::kName);
    for (const auto& a : r.All("alias")) add_phrase(a, KbKind::kPlace, i, KbHow::kAlias);
    places.push_back(p);
  }

  // Id index per kind (kinds 1..5), sorted by id.
  std::vector<uint32_t> id_index, id_begin;
  auto index_kind = [&](size_t n, auto id_of) {
    id_begin.push_back(static_cast<uint32_t>(id_index.size()));
    std::vector<uint32_t> ix(n);
    for (uint32_t i = 0; i < n; ++i) ix[i] = i;
    std::sort(ix.begin(), ix.end(), [&](uint32_t a, uint32_t b) { return id_of(a) < id_of(b); });
    id_index.insert(id_index.end(), ix.begin(), ix.end());
  };
  auto S = [&](StrRef r) { return std::string_view(pool.data()).substr(r.off, r.len); };
  index_kind(countries.size(), [&](uint32_t i) { return S(countries[i].id); });
  index_kind(orgs.size(), [&](uint32_t i) { return S(orgs[i].id); });
  index_kind(sectors.size(), [&](uint32_t i) { return S(sectors[i].id); });
  index_kind(people.size(), [&](uint32_t i) { return S(people[i].id); });
  index_kind(places.size(), [&](uint32_t i) { return S(places[i].id); });
  id_begin.push_back(static_cast<uint32_t>(id_index.size()));

  // Phrase table, inserted in key order so the file depends only on the sources.
  std::vector<uint64_t> keys;
  for (const auto& [k, v] : phrases) keys.push_back(k);
  for (const auto& [k, v] : prefixes)
    if (!phrases.count(k)) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  uint64_t size = 16;
  while (size < 2 * keys.size()) size *= 2;
  std::vector<uint64_t> table(2 * size, 0);
  std::vector<KbCandidate> cands;
  for (uint64_t key : keys) {
    uint64_t value = prefixes.count(key) ? kPrefixBit : 0;
    auto it = phrases.find(key);
    if (it != phrases.end()) {
      auto list = it->second;
      std::sort(list.begin(), list.end(), [](const KbCandidate& a, const KbCandidate& b) {
        return std::tie(a.kind, a.record, a.how) < std::tie(b.kind, b.record, b.how);
      });
      if (list.size() > 0xFFFF) list.resize(0xFFFF);
      value |= static_cast<uint64_t>(cands.size()) | (static_cast<uint64_t>(list.size()) << 32);
      cands.insert(cands.end(), list.begin(), list.end());
    }
    uint64_t i = key & (size - 1);
    while (table[2 * i] != 0) i = (i + 1) & (size - 1);
    table[2 * i] = key;
    table[2 * i + 1] = value;
  }
  const uint64_t mask = size - 1;

  std::string payload;
  model::AppendPayloadBlock(&payload, pool.data());
  model::AppendPayloadBlock(&payload, Bytes(countries));
  model::AppendPayloadBlock(&payload, Bytes(orgs));
  model::AppendPayloadBlock(&payload, Bytes(sectors));
  model::AppendPayloadBlock(&payload, Bytes(people));
  model::AppendPayloadBlock(&payload, Bytes(role_recs));
  model::AppendPayloadBlock(&payload, Bytes(places));
  model::AppendPayloadBlock(&payload, Bytes(id_index));
  model::AppendPayloadBlock(&payload, Bytes(id_begin));
  model::AppendPayloadBlock(&payload, std::string_view(reinterpret_cast<const char*>(&mask), 8));
  model::AppendPayloadBlock(&payload, Bytes(table));
  model::AppendPayloadBlock(&payload, Bytes(cands));
  model::AppendPayloadBlock(&payload, Bytes(filter));

  std::ostringstream meta;
  meta << "{\"countries\":" << countries.size() << ",\"orgs\":" << orgs.size()
       << ",\"sectors\":" << sectors.size() << ",\"people\":" << people.size()
       << ",\"roles\":" << role_recs.size() << ",\"places\":" << places.size()
       << ",\"phrases\":" << phrases.size() << "}";
  if (summary) *summary = meta.str();
  return model::WriteModelFile(out_path, kKbKind, kKbVersion, meta.str(), payload);
}

}  // namespace sitrep
