#include "sitrep/linker.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sitrep/text.h"

namespace sitrep {

namespace {

uint64_t Id(std::string_view s) { return NormId(NormalForm(s)); }

const std::unordered_set<uint64_t>& Set(std::initializer_list<std::string_view> words,
                                        std::unordered_set<uint64_t>* storage) {
  for (std::string_view w : words) storage->insert(Id(w));
  return *storage;
}

// Words naming a first-level division, written after ("Kursk region") or
// before ("the state of Georgia") its name.
const std::unordered_set<uint64_t>& AdminWords() {
  static std::unordered_set<uint64_t> s;
  static const auto& r = Set({"region", "oblast", "province", "state", "governorate", "county",
                              "district", "krai", "prefecture", "territory", "department",
                              "canton", "voivodeship", "emirate", "regions", "provinces", "area",
                              "areas"},
                             &s);
  return r;
}

// Head nouns of definite descriptions that refer to a person by role.
const std::unordered_set<uint64_t>& RoleHeads() {
  static std::unordered_set<uint64_t> s;
  static const auto& r = Set(
      {"minister", "president", "premier", "chancellor", "secretary", "spokesman", "spokeswoman",
       "spokesperson", "general", "commander", "governor", "mayor", "ambassador", "envoy",
       "expert", "analyst", "leader", "chief", "king", "queen", "prince", "senator", "lawmaker",
       "prosecutor", "judge", "researcher", "professor", "director", "chairman", "chairwoman"},
      &s);
  return r;
}

// Words of titles and roles that the recognizer sometimes leaves inside a
// person's name ("Kenyan President William Ruto", "Pensioner Giorgos P.").
const std::unordered_set<uint64_t>& TitleWords() {
  static std::unordered_set<uint64_t> s;
  static const auto& r = Set(
      {"president", "minister", "prime", "chancellor", "secretary", "general", "secretary-general",
       "king", "queen", "prince", "princess", "sheikh", "ayatollah", "caretaker", "former",
       "foreign", "defence", "defense", "interior", "finance", "deputy", "vice", "acting",
       "interim", "chief", "senator", "governor", "mayor", "pensioner", "farmer", "dr.", "mr.",
       "mrs.", "ms.", "gen.", "col.", "lt.", "sgt.", "capt.", "pope", "emir", "commander",
       "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "leader", "opposition",
       "president-elect", "premier", "justice", "judge", "rep.", "sen.", "gov.", "speaker",
       "lawmaker", "chairman", "chairwoman", "director", "general", "marshal", "admiral",
       "colonel", "lieutenant", "captain", "sergeant", "major", "-", "of", "state", "supreme",
       "crown", "grand", "mufti", "archbishop", "bishop", "cardinal", "rabbi", "imam", "cleric",
       "expert", "analyst", "professor", "officer", "official", "activist", "resident", "student",
       "worker", "teacher", "doctor", "nurse", "commissioner", "minister-president"},
      &s);
  return r;
}

enum Gender : char { kAny = 0, kMale = 'm', kFemale = 'f' };

// The gender a third-person singular pronoun requires, or -1 if the token
// (its Token::norm) is not one.
int PronounGender(uint64_t norm) {
  static const std::unordered_map<uint64_t, int> kPronouns = [] {
    std::unordered_map<uint64_t, int> m;
    for (const char* w : {"he", "him", "his", "himself"}) m[Id(w)] = kMale;
    for (const char* w : {"she", "her", "hers", "herself"}) m[Id(w)] = kFemale;
    return m;
  }();
  auto it = kPronouns.find(norm);
  return it == kPronouns.end() ? -1 : it->second;
}

bool IsUpperStart(std::string_view s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return true;  // non-ASCII initial letters of names: accept
}

std::string WithoutSpaces(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n') out.push_back(c);
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool ContainsWord(std::string_view hay, std::string_view word) {
  const std::string h = Lower(hay), w = Lower(word);
  for (size_t p = h.find(w); p != std::string::npos; p = h.find(w, p + 1)) {
    auto word_char = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '-'; };
    const bool left = p == 0 || !word_char(h[p - 1]);
    const size_t e = p + w.size();
    const bool right = e >= h.size() || !word_char(h[e]);
    if (left && right) return true;
  }
  return false;
}

// Per-document working state.
class Run {
 public:
  Run(const KnowledgeBase& kb, Document* doc) : kb_(kb), doc_(*doc) {
    int32_t day = 0;
    day_ = ParseIsoDay(doc_.meta().date, false, &day) ? day : kOpenEnd - 1;
    const size_t n = doc_.tokens().size();
    tagged_ = doc_.tags().size() == n;
    parsed_ = doc_.deps().size() == n;
    sentence_of_.assign(n, 0);
    for (size_t s = 0; s < doc_.sentences().size(); ++s)
      for (uint32_t t = doc_.sentences()[s].token_begin; t < doc_.sentences()[s].token_end; ++t)
        sentence_of_[t] = static_cast<uint32_t>(s);
    covered_.assign(n, 0);
  }

  void Go();

 private:
  struct Deferred {
    int32_t entity;  // -1: a name the recognizer missed
    uint32_t begin, end;  // mention span (may include a division word)
    std::vector<KbCandidate> cands;
    bool admin_word = false;
    bool capital_as_place = false;
  };

  std::string_view Tok(size_t i) const { return doc_.token_text(i); }
  uint64_t Norm(size_t i) const { return doc_.tokens()[i].norm; }
  uint32_t SentenceEnd(size_t t) const { return doc_.sentences()[sentence_of_[t]].token_end; }
  uint32_t SentenceBegin(size_t t) const { return doc_.sentences()[sentence_of_[t]].token_begin; }
  std::string_view SpanText(uint32_t b, uint32_t e) const {
    return std::string_view(doc_.text()).substr(doc_.tokens()[b].begin,
                                                doc_.tokens()[e - 1].end - doc_.tokens()[b].begin);
  }
  std::string_view DeprelOf(size_t t) const {
    if (!parsed_) return {};
    const auto& names = DeprelNames();
    const uint8_t d = doc_.deps()[t].deprel;
    return d < names.size() ? names[d] : std::string_view();
  }
  // The token of [b, e) whose head lies outside it (the span's head).
  uint32_t HeadOf(uint32_t b, uint32_t e) const {
    if (!parsed_) return e - 1;
    for (uint32_t t = b; t < e; ++t) {
      const int32_t h = doc_.deps()[t].head;
      if (h < 0 || static_cast<uint32_t>(h) < b || static_cast<uint32_t>(h) >= e) return t;
    }
    return e - 1;
  }
  // Acronyms match in their own case only ("US", not "us"); a short word
  // written in capitals matches only an acronym ("EU", not the town of Eu).
  bool CaseOk(const KbCandidate& c, uint32_t b, uint32_t e) const {
    if (c.exact_case) return WithoutSpaces(SpanText(b, e)) == WithoutSpaces(kb_.Phrase(c));
    if (e == b + 1) {
      const std::string_view w = Tok(b);
      int upper = 0, other = 0;
      for (char ch : w) (ch >= 'A' && ch <= 'Z') ? ++upper : ++other;
      if (upper >= 2 && other == 0 && w.size() <= 3) return false;
    }
    return true;
  }
  std::vector<KbCandidate> Candidates(uint32_t b, uint32_t e) const {
    std::vector<KbCandidate> out;
    for (const KbCandidate& c : kb_.Lookup(doc_, b, e))
      if (CaseOk(c, b, e)) out.push_back(c);
    return out;
  }

  uint32_t CountryActor(uint32_t i);
  uint32_t OrgActor(uint32_t i);
  uint32_t PersonActor(uint32_t i);
  uint32_t PlaceActor(uint32_t i);
  uint32_t DocActor(ActorKind kind, std::string_view name);
  uint32_t NewActor(const std::string& key, ActorKind kind, bool* created);
  // The actor of knowledge-base record `i` of `kind` (index in *idx): when
  // it is new, sets its known flag, id and name and returns it for the rest
  // of its fields; null when the document already has it.
  Actor* KnownActor(ActorKind kind, uint32_t i, std::string_view id, std::string_view name,
                    uint32_t* idx);
  void SetGeo(Actor* a, std::string_view name, std::string_view iso2, std::string_view admin1,
              std::string_view feature, char cls, std::string_view precision, float lat, float lon);

  void AddMention(uint32_t b, uint32_t e, uint32_t actor, int32_t entity, MentionHow how,
                  std::string_view sector = {});
  MentionHow HowOf(KbHow h) const {
    switch (h) {
      case KbHow::kName: return MentionHow::kName;
      case KbHow::kAlias: return MentionHow::kAlias;
      case KbHow::kDemonym: return MentionHow::kDemonym;
      case KbHow::kCapital: return MentionHow::kCapital;
      case KbHow::kMetonym: return MentionHow::kMetonym;
      case KbHow::kSurname: return MentionHow::kSurname;
      default: return MentionHow::kName;
    }
  }

  void LinkEntity(uint32_t ei);
  void LinkPlace(const Deferred& d);
  int32_t BestPerson(const std::vector<KbCandidate>& cands, bool surname_only) const;
  double PlaceScore(const KnowledgeBase::Place& p, const Deferred& d) const;
  bool PlaceSeen(uint32_t i) const;
  std::string_view SectorAfter(uint32_t e) const;
  bool ActorPosition(uint32_t b, uint32_t e) const;
  void ResolveSurnames();
  void LinkUnlabeled();
  void ResolvePronounsAndNominals();
  void ReadRoles();
  bool IsDemonym(uint32_t t) const {
    for (const KbCandidate& c : kb_.Lookup(doc_, t, t + 1))
      if (c.kind == KbKind::kCountry && c.how == KbHow::kDemonym) return true;
    return false;
  }
  void NoteCountry(int32_t country) {
    if (country != kNoIndex) ++country_count_[country];
  }

  const KnowledgeBase& kb_;
  Document& doc_;
  int32_t day_;
  bool tagged_ = false, parsed_ = false;
  std::vector<uint32_t> sentence_of_;
  std::vector<uint8_t> covered_;  // token lies in a mention
  std::unordered_map<std::string, uint32_t> actor_by_key_;
  std::vector<int32_t> actor_kb_;  // knowledge-base record of each actor, or -1
  std::unordered_map<int32_t, int> country_count_;
  std::unordered_set<std::string> admin_mentioned_;  // lower-cased division names
  std::vector<Deferred> deferred_;
  std::vector<uint32_t> pending_surnames_;  // entity indices
  // Titles the linker split off a person entity: entity -> tokens [first, second).
  std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>> title_override_;
};

uint32_t Run::NewActor(const std::string& key, ActorKind kind, bool* created) {
  auto it = actor_by_key_.find(key);
  if (it != actor_by_key_.end()) {
    *created = false;
    return it->second;
  }
  *created = true;
  const auto idx = static_cast<uint32_t>(doc_.actors().size());
  Actor a;
  a.kind = kind;
  doc_.actors().push_back(a);
  actor_kb_.push_back(kNoIndex);
  actor_by_key_.emplace(key, idx);
  return idx;
}

void Run::SetGeo(Actor* a, std::string_view name, std::string_view iso2, std::string_view admin1,
                 std::string_view feature, char cls, std::string_view precision, float lat,
                 float lon) {
  a->flags |= kActorHasGeo;
  a->geo_name = doc_.AddToPool(name);
  a->geo_country = doc_.AddToPool(iso2);
  a->geo_admin1 = doc_.AddToPool(admin1);
  a->geo_feature = doc_.AddToPool(feature);
  a->geo_class = cls;
  a->geo_precision = doc_.AddToPool(precision);
  a->lat = lat;
  a->lon = lon;
}

Actor* Run::KnownActor(ActorKind kind, uint32_t i, std::string_view id, std::string_view name,
                       uint32_t* idx) {
  bool created;
  *idx = NewActor(std::string(ActorKindName(kind)) + ":" + std::to_string(i), kind, &created);
  if (!created) return nullptr;
  Actor& a = doc_.actors()[*idx];
  a.flags |= kActorKnown;
  a.id = doc_.AddToPool(id);
  a.name = doc_.AddToPool(name);
  actor_kb_[*idx] = static_cast<int32_t>(i);
  return &a;
}

uint32_t Run::CountryActor(uint32_t i) {
  const auto c = kb_.country(i);
  uint32_t idx;
  if (Actor* a = KnownActor(ActorKind::kCountry, i, c.id, c.name, &idx)) {
    a->country = a->id;
    a->cameo = doc_.AddToPool(c.cameo);
    SetGeo(a, c.name, c.iso2, "", "", 'A', "country", c.lat, c.lon);
  }
  return idx;
}

uint32_t Run::OrgActor(uint32_t i) {
  const auto o = kb_.org(i);
  uint32_t idx;
  if (Actor* a = KnownActor(ActorKind::kOrg, i, o.id, o.name, &idx)) {
    if (o.country != kNoIndex) a->country = doc_.AddToPool(kb_.country(o.country).id);
    if (o.sector != kNoIndex) a->sector = doc_.AddToPool(kb_.sector(o.sector).id);
    a->cameo = doc_.AddToPool(o.cameo);
    a->org_kind = doc_.AddToPool(o.kind);
  }
  return idx;
}

uint32_t Run::PersonActor(uint32_t i) {
  const auto p = kb_.person(i);
  uint32_t idx;
  if (Actor* a = KnownActor(ActorKind::kPerson, i, p.id, p.name, &idx)) {
    a->gender = p.gender;
    if (p.country != kNoIndex) a->country = doc_.AddToPool(kb_.country(p.country).id);
    const int32_t r = kb_.RoleAt(i, day_);
    if (r != kNoIndex) {
      const auto role = kb_.role(r);
      a->kb_role = doc_.AddToPool(role.title);
      std::string where;
      if (role.country != kNoIndex) where = kb_.country(role.country).id;
      else if (role.org != kNoIndex) where = kb_.org(role.org).id;
      a->kb_role_country = doc_.AddToPool(where);
      a->kb_role_start = doc_.AddToPool(FormatIsoDay(role.start));
      if (role.end != kOpenEnd) a->kb_role_end = doc_.AddToPool(FormatIsoDay(role.end));
      if (role.sector != kNoIndex) a->sector = doc_.AddToPool(kb_.sector(role.sector).id);
      if (role.country != kNoIndex && a->country.empty())
        a->country = doc_.AddToPool(kb_.country(role.country).id);
    }
  }
  return idx;
}

uint32_t Run::PlaceActor(uint32_t i) {
  const auto p = kb_.place(i);
  uint32_t idx;
  if (Actor* a = KnownActor(ActorKind::kPlace, i, p.id, p.name, &idx)) {
    std::string_view iso2;
    if (p.country != kNoIndex) {
      a->country = doc_.AddToPool(kb_.country(p.country).id);
      iso2 = kb_.country(p.country).iso2;
    }
    const std::string_view precision =
        p.cls == 'A' ? "admin1" : (p.cls == 'P' || p.cls == 'S') ? "place" : "region";
    SetGeo(a, p.name, iso2, p.admin1, p.feature, p.cls, precision, p.lat, p.lon);
  }
  return idx;
}

// A guess at the gender of a first name the knowledge base does not know:
// many languages end women's names in -a (Iryna, Maria, Olena, Linda), with
// common men's exceptions.
char GuessGender(std::string_view name) {
  const size_t sp = name.find(' ');
  if (sp == std::string_view::npos || sp < 3) return 0;
  const std::string first = Lower(name.substr(0, sp));
  static const std::unordered_set<std::string> kMen = {
      "nikita", "ilya", "luca", "joshua", "andrea", "mustafa", "musa", "isa", "yahya",
      "attila", "kosta", "sasha", "misha", "jonah", "elijah", "ezra", "noah", "akira",
      "hamza", "osama", "usama", "taha", "idda", "dima", "kuba", "jura", "bora", "oluwa"};
  if (first.back() == 'a' && !kMen.count(first)) return 'f';
  return 0;
}

uint32_t Run::DocActor(ActorKind kind, std::string_view name) {
  bool created;
  const std::string key =
      "doc:" + std::string(ActorKindName(kind)) + ":" + NormalForm(WithoutSpaces(name));
  const uint32_t idx = NewActor(key, kind, &created);
  if (created) {
    Actor& a = doc_.actors()[idx];
    a.id = doc_.AddToPool("doc:" + std::to_string(idx));
    a.name = doc_.AddToPool(name);
    if (kind == ActorKind::kPerson) a.gender = GuessGender(name);
  }
  return idx;
}

void Run::AddMention(uint32_t b, uint32_t e, uint32_t actor, int32_t entity, MentionHow how,
                     std::string_view sector) {
  for (uint32_t t = b; t < e; ++t)
    if (covered_[t]) return;  // never overlap an earlier mention
  for (uint32_t t = b; t < e; ++t) covered_[t] = 1;
  Mention m;
  m.token_begin = b;
  m.token_end = e;
  m.actor = actor;
  m.entity = entity;
  m.how = how;
  if (!sector.empty()) m.sector = doc_.AddToPool(sector);
  doc_.mentions().push_back(m);
}

// The sector code of a sector term right after tokens ending at `e` in the
// same sentence ("Russian [military command]", "Ukraine's [troops]").
std::string_view Run::SectorAfter(uint32_t e) const {
  const uint32_t end = SentenceEnd(e == 0 ? 0 : e - 1);
  uint32_t t = e;
  if (t < end && Tok(t) == "'s") ++t;
  if (t >= end) return {};
  const auto m = kb_.Longest(doc_, t, end);
  for (const KbCandidate& c : m.candidates)
    if (c.kind == KbKind::kSector) return kb_.sector(c.record).id;
  return {};
}

// Whether a capital's name at [b, e) stands for its government (a subject,
// agent, possessor or the object of a verb that does not take a place:
// "Washington imposed", "Moscow's demands", "thanked London") rather than
// for the city ("met in Washington", "a storm hit Paris, Texas").
bool Run::ActorPosition(uint32_t b, uint32_t e) const {
  const uint32_t se = SentenceEnd(b), sb = SentenceBegin(b);
  if (e < se && Tok(e) == "'s") return true;
  if (e + 1 < se && Tok(e) == ",") {
    const auto m = kb_.Longest(doc_, e + 1, se);
    for (const KbCandidate& c : m.candidates)
      if (c.kind == KbKind::kPlace || c.kind == KbKind::kCountry) return false;  // "Paris, Texas"
  }
  // A dateline: "KYIV, March 3 (Wire) --".
  if (b == sb && (sb == 0 || doc_.tokens()[sb - 1].has(kBlankLineAfter)) && e < se &&
      (Tok(e) == "," || Tok(e) == "(" || Tok(e) == "--" || Tok(e) == "—" || Tok(e) == "-"))
    return false;
  if (b > sb) {
    const std::string prev = Lower(Tok(b - 1));
    static const std::unordered_set<std::string> kPlacePreps = {
        "in", "to", "at", "near", "into", "across", "outside", "inside", "toward",
        "towards", "around", "via", "through", "over", "of"};
    static const std::unordered_set<std::string> kActorPreps = {"with", "against", "on", "by",
                                                                "between", "and"};
    if (kPlacePreps.count(prev)) return false;
    if (kActorPreps.count(prev)) return true;  // "ties with Washington", "sanctions on Moscow"
    if (prev == "from") {  // "a rebuke from Beijing", but "returned from Beijing"
      if (!parsed_ || !tagged_ || doc_.deps()[HeadOf(b, e)].head < 0) return false;
      const auto gov = static_cast<uint32_t>(doc_.deps()[HeadOf(b, e)].head);
      return doc_.tags()[gov].upos == Upos::kNOUN;
    }
  }
  if (parsed_) {
    uint32_t h = HeadOf(b, e);
    std::string_view rel = DeprelOf(h);
    // A conjunct takes its first conjunct's role ("Seoul and Tokyo seek").
    for (int hop = 0; hop < 4 && rel == "conj" && doc_.deps()[h].head >= 0; ++hop) {
      h = static_cast<uint32_t>(doc_.deps()[h].head);
      rel = DeprelOf(h);
    }
    if (rel == "nmod:poss" || rel == "obl:agent") return true;
    if (rel == "nsubj" || rel == "nsubj:pass") {
      // The subject of an act ("Athens rejected"), not of a description
      // ("Athens is a city", "London lies on the Thames").
      const int32_t gov = doc_.deps()[h].head;
      if (gov < 0 || !tagged_) return true;
      const auto g = static_cast<uint32_t>(gov);
      if (doc_.tags()[g].upos != Upos::kVERB) return false;
      static const std::unordered_set<std::string> kStative = {
          "be", "lie", "sit", "remain", "become", "have", "host", "stand", "boast", "offer",
          "attract", "border", "stretch", "lay"};
      return !kStative.count(std::string(doc_.lemma(g)));
    }
    if (rel == "obj" || rel == "iobj") {
      const int32_t verb = doc_.deps()[h].head;
      if (verb < 0 || !tagged_) return false;
      static const std::unordered_set<std::string> kPlaceVerbs = {
          "visit", "hit", "strike", "attack", "shell", "bomb", "reach", "enter", "leave",
          "capture", "seize", "target", "flee", "tour", "take", "retake", "encircle", "besiege",
          "liberate", "occupy", "control", "surround", "rock", "shake", "raid", "storm", "host"};
      return !kPlaceVerbs.count(std::string(doc_.lemma(static_cast<uint32_t>(verb))));
    }
    return false;
  }
  // Without a parse: a name opening its sentence, or followed by a verb.
  if (e < se && tagged_) {
    const Upos u = doc_.tags()[e].upos;
    if (u == Upos::kVERB || u == Upos::kAUX) return true;
  }
  return b == sb || (b == sb + 1 && Lower(Tok(b - 1)) == "the");
}

int32_t Run::BestPerson(const std::vector<KbCandidate>& cands, bool surname_only) const {
  int32_t best = kNoIndex;
  int best_score = -1;
  int in_office = 0;
  for (const KbCandidate& c : cands) {
    if (c.kind != KbKind::kPerson) continue;
    if (!surname_only && c.how == KbHow::kSurname) continue;
    const bool active = kb_.RoleAt(c.record, day_) != kNoIndex;
    in_office += active;
    const auto p = kb_.person(c.record);
    int score = (active ? 4 : 0) + (p.role_count > 0 ? 1 : 0);
    auto it = p.country == kNoIndex ? country_count_.end() : country_count_.find(p.country);
    if (it != country_count_.end()) score += 2;
    if (score > best_score) best_score = score, best = static_cast<int32_t>(c.record);
  }
  // A surname alone names a knowledge-base person only when exactly one
  // person of that surname is in office at the article date, or when only
  // one person of the knowledge base has it and the document mentions that
  // person's country.
  if (surname_only) {
    if (in_office == 1) return kb_.RoleAt(best, day_) != kNoIndex ? best : kNoIndex;
    size_t people = 0;
    for (const KbCandidate& c : cands) people += c.kind == KbKind::kPerson;
    if (in_office != 0 || people != 1) return kNoIndex;
    const auto p = kb_.person(best);
    bool country = p.country != kNoIndex && country_count_.count(p.country);
    for (uint32_t r = p.role_begin; r < p.role_begin + p.role_count && !country; ++r)
      country = kb_.role(r).country != kNoIndex && country_count_.count(kb_.role(r).country);
    return country ? best : kNoIndex;
  }
  return best;
}

double Run::PlaceScore(const KnowledgeBase::Place& p, const Deferred& d) const {
  double pop = p.population;
  if (p.cls == 'A') pop = std::max(pop, 2e6);
  if (p.cls == 'L' || p.cls == 'H' || p.cls == 'T') pop = std::max(pop, 1e6);
  double s = std::log10(pop + 10);
  if (p.feature == "PPLC") s += 1.0;
  else if (p.feature == "PPLA") s += 0.5;
  if (d.admin_word) s += p.cls == 'A' ? 4 : -2;
  auto it = p.country == kNoIndex ? country_count_.end() : country_count_.find(p.country);
  if (it != country_count_.end()) s += it->second >= 3 ? 3 : 2;
  // Inside a division the document names; not for the division's namesake
  // seat ("Kursk" after "Kursk region" stays the region).
  const std::string admin1 = Lower(p.admin1);
  if (!admin1.empty() && admin_mentioned_.count(admin1) &&
      admin1.rfind(Lower(p.name) + " ", 0) != 0)
    s += 3;
  return s;
}

// Whether place record `i` already names an actor of the document.
bool Run::PlaceSeen(uint32_t i) const {
  return actor_by_key_.count("place:" + std::to_string(i)) != 0;
}

void Run::LinkPlace(const Deferred& d) {
  // A qualifier after a comma ("Paris, Texas", "LEBANON, Pa.", "Kharkiv,
  // Ukraine"): the divisions and countries it may name.
  std::vector<std::string> qual_admin1;
  std::vector<int32_t> qual_country;
  if (d.end + 1 < SentenceEnd(d.begin) && Tok(d.end) == ",") {
    const auto m = kb_.Longest(doc_, d.end + 1, SentenceEnd(d.begin));
    for (const KbCandidate& c : m.candidates) {
      if (c.kind == KbKind::kPlace && kb_.place(c.record).cls == 'A')
        qual_admin1.push_back(Lower(kb_.place(c.record).name));
      if (c.kind == KbKind::kCountry && (c.how == KbHow::kName || c.how == KbHow::kAlias))
        qual_country.push_back(static_cast<int32_t>(c.record));
    }
  }
  // A place before the comma qualified by this one ("Atlanta, Georgia").
  std::string qualified_admin1;
  if (d.begin >= 2 && Tok(d.begin - 1) == ",") {
    for (auto it = doc_.mentions().rbegin(); it != doc_.mentions().rend(); ++it)
      if (it->token_end == d.begin - 1) {
        const Actor& a = doc_.actors()[it->actor];
        if (a.kind == ActorKind::kPlace) qualified_admin1 = Lower(doc_.pool(a.geo_admin1));
        break;
      }
  }
  double best = -1e9;
  const KbCandidate* pick = nullptr;
  for (const KbCandidate& c : d.cands) {
    double s;
    if (c.kind == KbKind::kCountry) {
      if (c.how != KbHow::kName && c.how != KbHow::kAlias) continue;
      s = 9.0 + (country_count_.count(static_cast<int32_t>(c.record)) ? 2 : 0);
      if (d.admin_word) s -= 3;
      if (!qualified_admin1.empty()) s -= 3;
      if (!qual_admin1.empty() || !qual_country.empty()) s -= 10;  // "LEBANON, Pa."
    } else if (c.kind == KbKind::kPlace) {
      const auto p = kb_.place(c.record);
      s = PlaceScore(p, d);
      if (c.how == KbHow::kAlias && p.cls == 'A' && !d.admin_word) s -= 1;
      if (PlaceSeen(c.record)) s += 1;  // one sense per document, weakly
      if (d.capital_as_place && p.feature == "PPLC") s += 2;
      // A written qualifier decides.
      if (std::find(qual_admin1.begin(), qual_admin1.end(), Lower(p.admin1)) != qual_admin1.end())
        s += 20;
      else if (std::find(qual_country.begin(), qual_country.end(), p.country) != qual_country.end())
        s += 20;
      if (!qualified_admin1.empty() && p.cls == 'A' && Lower(p.name) == qualified_admin1) s += 20;
    } else {
      continue;
    }
    if (s > best) best = s, pick = &c;
  }
  if (!pick) {
    AddMention(d.begin, d.end, DocActor(ActorKind::kPlace, SpanText(d.begin, d.end)),
               d.entity, MentionHow::kName);
    return;
  }
  uint32_t actor;
  if (pick->kind == KbKind::kCountry) {
    actor = CountryActor(pick->record);
    NoteCountry(static_cast<int32_t>(pick->record));
  } else {
    actor = PlaceActor(pick->record);
    const auto p = kb_.place(pick->record);
    NoteCountry(p.country);
    if (p.cls == 'A') admin_mentioned_.insert(Lower(p.name));
  }
  AddMention(d.begin, d.end, actor, d.entity, HowOf(pick->how));
}

void Run::LinkEntity(uint32_t ei) {
  const Entity& e = doc_.entities()[ei];
  const EntityType type = e.type;
  if (type != EntityType::kPerson && type != EntityType::kOrg && type != EntityType::kGpe &&
      type != EntityType::kLoc && type != EntityType::kNorp && type != EntityType::kFac)
    return;
  uint32_t b = e.token_begin, end = e.token_end;
  // A name continued by a hyphen the recognizer cut: "Moon Jae[-in]".
  if (type == EntityType::kPerson)
    while (end + 1 < SentenceEnd(b) && Tok(end) == "-" &&
           !doc_.tokens()[end - 1].has(kSpaceAfter) && !doc_.tokens()[end].has(kSpaceAfter) &&
           !covered_[end + 1] && (ei + 1 >= doc_.entities().size() ||
                                  doc_.entities()[ei + 1].token_begin > end + 1))
      end += 2;
  const std::string_view text = SpanText(b, end);
  // Lower-case words the recognizer took in ("eastern Congo").
  if (type != EntityType::kPerson)
    while (b + 1 < end && !IsUpperStart(Tok(b)) && Tok(b) != "the") ++b;
  // A dateline ("BRUSSELS, April 4 --") names a place whatever its type.
  if (b == SentenceBegin(b) && (b == 0 || doc_.tokens()[b - 1].has(kBlankLineAfter)) &&
      end < SentenceEnd(b) && Tok(end) == ",") {
    auto c = Candidates(b, end);
    bool place = false;
    for (const KbCandidate& x : c) place |= x.kind == KbKind::kPlace;
    if (place) {
      Deferred d;
      d.entity = static_cast<int32_t>(ei);
      d.begin = b;
      d.end = end;
      d.cands = std::move(c);
      deferred_.push_back(std::move(d));
      return;
    }
  }
  // "Seattle, Washington" taken as one name: the place and its qualifier.
  if (type == EntityType::kGpe || type == EntityType::kLoc) {
    for (uint32_t c = b + 1; c + 1 < end; ++c)
      if (Tok(c) == ",") {
        for (const auto& [x, y] : {std::pair{b, c}, std::pair{c + 1, end}}) {
          Deferred d;
          d.entity = static_cast<int32_t>(ei);
          d.begin = x;
          d.end = y;
          d.cands = Candidates(x, y);
          deferred_.push_back(std::move(d));
        }
        return;
      }
  }
  std::vector<KbCandidate> cands = Candidates(b, end);
  bool admin_word = false;
  // "Kursk region" tagged as one mention, or "Kursk" followed by "region".
  // Places keep the division word in their mention; countries do not
  // ("Ukrainian territory" names Ukraine by "Ukrainian").
  uint32_t mention_end = end;
  if ((type == EntityType::kGpe || type == EntityType::kLoc) && cands.empty() && end - b >= 2 &&
      AdminWords().count(Norm(end - 1))) {
    auto shorter = Candidates(b, end - 1);
    if (!shorter.empty()) cands = std::move(shorter), admin_word = true, --end;
  }
  if ((type == EntityType::kGpe || type == EntityType::kLoc) && end < SentenceEnd(b) &&
      AdminWords().count(Norm(end))) {
    admin_word = true;
    mention_end = std::max(mention_end, end + 1);
  }
  if ((type == EntityType::kGpe || type == EntityType::kLoc) && b >= 2 &&
      Lower(Tok(b - 1)) == "of" && AdminWords().count(Norm(b - 2)))
    admin_word = true;  // "the state of Georgia"

  // No candidate for the whole span: a demonym or country name opening a
  // phrase the recognizer took as one name ("Ukrainian territory").
  if (cands.empty() && type != EntityType::kPerson) {
    const auto m = kb_.Longest(doc_, b, end);
    if (m.length && m.length < end - b) {
      for (const KbCandidate& c : m.candidates)
        if (c.kind == KbKind::kCountry && CaseOk(c, b, b + m.length) &&
            (c.how == KbHow::kDemonym || c.how == KbHow::kName || c.how == KbHow::kAlias)) {
          bool rest_lower = true;
          for (uint32_t t = b + m.length; t < end; ++t) rest_lower &= !IsUpperStart(Tok(t));
          if (!rest_lower) break;
          const uint32_t a = CountryActor(c.record);
          NoteCountry(static_cast<int32_t>(c.record));
          AddMention(b, b + m.length, a, static_cast<int32_t>(ei), HowOf(c.how),
                     SectorAfter(b + m.length));
          return;
        }
    }
  }

  switch (type) {
    case EntityType::kPerson: {
      // A title the recognizer left inside the name: the longest known
      // name that ends the span, else the span without its title words.
      if (BestPerson(cands, false) == kNoIndex && end - b >= 2) {
        for (uint32_t k = b + 1; k + 1 <= end; ++k) {
          auto tail = Candidates(k, end);
          if (BestPerson(tail, false) != kNoIndex) {
            title_override_[ei] = {b, k};
            b = k;
            cands = std::move(tail);
            break;
          }
        }
        if (b == e.token_begin) {
          uint32_t k = b;
          while (k + 1 < end && (TitleWords().count(Norm(k)) || !IsUpperStart(Tok(k)) ||
                                 IsDemonym(k)))
            ++k;
          if (k > b) {
            title_override_[ei] = {b, k};
            b = k;
            cands = Candidates(b, end);
          }
        }
      }
      if (b > e.token_begin)  // "Kenyan President ...": the country of the title
        for (uint32_t k = e.token_begin; k < b; ++k)
          for (const KbCandidate& c : kb_.Lookup(doc_, k, k + 1))
            if (c.kind == KbKind::kCountry && c.how == KbHow::kDemonym) {
              NoteCountry(static_cast<int32_t>(c.record));
              AddMention(k, k + 1, CountryActor(c.record), -1, MentionHow::kDemonym);
              break;
            }
      const std::string_view name_text = SpanText(b, end);
      const int32_t p = BestPerson(cands, false);
      if (p != kNoIndex) {
        AddMention(b, end, PersonActor(p), static_cast<int32_t>(ei), MentionHow::kName);
        return;
      }
      // A country or place the recognizer called a person ("Ukraine
      // said", "Ankara warned", "in El Geneina"), unless a person of the
      // document bears the name.
      bool person_word = false;
      for (const Mention& m : doc_.mentions())
        if (doc_.actors()[m.actor].kind == ActorKind::kPerson)
          for (uint32_t t = m.token_begin; t < m.token_end; ++t)
            for (uint32_t k = b; k < end; ++k) person_word |= Norm(t) == Norm(k);
      if (!person_word) {
        for (const KbCandidate& c : cands)
          if (c.kind == KbKind::kCountry && (c.how != KbHow::kCapital || ActorPosition(b, end))) {
            NoteCountry(static_cast<int32_t>(c.record));
            AddMention(b, end, CountryActor(c.record), static_cast<int32_t>(ei), HowOf(c.how),
                       c.how == KbHow::kCapital || c.how == KbHow::kMetonym ? "GOV" : "");
            return;
          }
        // A sizeable place, one after a locative preposition, or one in a
        // country the document mentions; never a first name cut from its
        // surname ("Linda" of "Linda Crane" is no town).
        bool place = false;
        const std::string prev = b > SentenceBegin(b) ? Lower(Tok(b - 1)) : "";
        const bool locative = prev == "in" || prev == "at" || prev == "near" || prev == "from";
        const bool name_follows = end < SentenceEnd(b) && IsUpperStart(Tok(end)) &&
                                  doc_.tokens()[end].kind == TokenKind::kWord;
        for (const KbCandidate& c : cands)
          if (c.kind == KbKind::kPlace && !name_follows) {
            const auto pl = kb_.place(c.record);
            place |= locative || pl.population >= 50000 || pl.cls != 'P' ||
                     (pl.country != kNoIndex && country_count_.count(pl.country));
          }
        if (place) {
          Deferred d;
          d.entity = static_cast<int32_t>(ei);
          d.begin = b;
          d.end = end;
          d.cands = std::move(cands);
          deferred_.push_back(std::move(d));
          return;
        }
      }
      if (end - b == 1) {
        pending_surnames_.push_back(ei);
        return;
      }
      AddMention(b, end, DocActor(ActorKind::kPerson, name_text), static_cast<int32_t>(ei),
                 MentionHow::kName);
      return;
    }
    case EntityType::kNorp: {
      for (const KbCandidate& c : cands)
        if (c.kind == KbKind::kCountry) {
          NoteCountry(static_cast<int32_t>(c.record));
          AddMention(b, end, CountryActor(c.record), static_cast<int32_t>(ei), HowOf(c.how),
                     SectorAfter(end));
          return;
        }
      for (const KbCandidate& c : cands)
        if (c.kind == KbKind::kOrg) {
          AddMention(b, end, OrgActor(c.record), static_cast<int32_t>(ei), HowOf(c.how));
          return;
        }
      AddMention(b, end, DocActor(ActorKind::kGroup, text), static_cast<int32_t>(ei),
                 MentionHow::kName);
      return;
    }
    case EntityType::kOrg: {
      const KbCandidate* org = nullptr;
      for (const KbCandidate& c : cands)
        if (c.kind == KbKind::kOrg) {
          // Several organizations of one name: the one of a country the
          // document mentions.
          const auto o = kb_.org(c.record);
          if (!org || (o.country != kNoIndex && country_count_.count(o.country))) org = &c;
        }
      if (org) {
        const auto o = kb_.org(org->record);
        NoteCountry(o.country);
        AddMention(b, end, OrgActor(org->record), static_cast<int32_t>(ei), HowOf(org->how));
        return;
      }
      for (const KbCandidate& c : cands)
        if (c.kind == KbKind::kCountry) {
          NoteCountry(static_cast<int32_t>(c.record));
          AddMention(b, end, CountryActor(c.record), static_cast<int32_t>(ei), HowOf(c.how),
                     c.how == KbHow::kMetonym || c.how == KbHow::kCapital ? "GOV" : SectorAfter(end));
          return;
        }
      // A region the recognizer called an organization ("West Darfur").
      for (const KbCandidate& c : cands)
        if (c.kind == KbKind::kPlace && kb_.place(c.record).cls != 'P') {
          Deferred d;
          d.entity = static_cast<int32_t>(ei);
          d.begin = b;
          d.end = end;
          d.cands = std::move(cands);
          deferred_.push_back(std::move(d));
          return;
        }
      AddMention(b, end, DocActor(ActorKind::kOrg, text), static_cast<int32_t>(ei),
                 MentionHow::kName);
      return;
    }
    default: {  // GPE, LOC, FAC
      bool has_place = false;
      for (const KbCandidate& c : cands) has_place |= c.kind == KbKind::kPlace;
      for (const KbCandidate& c : cands) {
        if (c.kind != KbKind::kCountry) continue;
        // "the Kremlin" always stands for the government; a capital only
        // where it acts, and a capital that is no usual metonym only when
        // its country is already in the document (Victoria, Seychelles).
        const bool govt =
            (c.how == KbHow::kMetonym && (!has_place || ActorPosition(b, end))) ||
            (c.how == KbHow::kCapital && ActorPosition(b, end) &&
             country_count_.count(static_cast<int32_t>(c.record)));
        if (govt) {
          NoteCountry(static_cast<int32_t>(c.record));
          AddMention(b, end, CountryActor(c.record), static_cast<int32_t>(ei), HowOf(c.how), "GOV");
          return;
        }
        if (c.how == KbHow::kDemonym) {
          NoteCountry(static_cast<int32_t>(c.record));
          AddMention(b, end, CountryActor(c.record), static_cast<int32_t>(ei), HowOf(c.how),
                     SectorAfter(end));
          return;
        }
        if (!has_place && (c.how == KbHow::kName || c.how == KbHow::kAlias)) {
          NoteCountry(static_cast<int32_t>(c.record));
          AddMention(b, end, CountryActor(c.record), static_cast<int32_t>(ei), HowOf(c.how),
                     SectorAfter(end));
          return;
        }
      }
      bool has_country = false;
      for (const KbCandidate& c : cands) has_country |= c.kind == KbKind::kCountry;
      for (const KbCandidate& c : cands)
        if (c.kind == KbKind::kOrg && (type == EntityType::kFac || (!has_place && !has_country))) {
          AddMention(b, end, OrgActor(c.record), static_cast<int32_t>(ei), HowOf(c.how));
          return;
        }
      Deferred d;
      d.entity = static_cast<int32_t>(ei);
      d.begin = b;
      d.end = mention_end;
      d.cands = std::move(cands);
      d.admin_word = admin_word;
      for (const KbCandidate& c : d.cands)
        d.capital_as_place |= c.kind == KbKind::kCountry &&
                              (c.how == KbHow::kCapital || c.how == KbHow::kMetonym);
      deferred_.push_back(std::move(d));
      return;
    }
  }
}

void Run::ResolveSurnames() {
  for (uint32_t ei : pending_surnames_) {
    const Entity& e = doc_.entities()[ei];
    const uint64_t norm = Norm(e.token_begin);
    // A person of the document with this word in its name: the nearest
    // mention before, else the first after.
    int32_t best = -1;
    uint32_t best_dist = UINT32_MAX;
    for (const Mention& m : doc_.mentions()) {
      const Actor& a = doc_.actors()[m.actor];
      if (a.kind != ActorKind::kPerson || m.how == MentionHow::kPronoun) continue;
      if (m.token_end - m.token_begin < 2) continue;
      bool match = false;
      for (uint32_t t = m.token_begin; t < m.token_end; ++t) match |= Norm(t) == norm;
      if (!match) continue;
      const uint32_t dist = m.token_begin < e.token_begin
                                ? e.token_begin - m.token_begin
                                : (1u << 30) + (m.token_begin - e.token_begin);
      if (dist < best_dist) best_dist = dist, best = static_cast<int32_t>(m.actor);
    }
    if (best < 0) {
      const int32_t p = BestPerson(Candidates(e.token_begin, e.token_end), true);
      if (p != kNoIndex) best = static_cast<int32_t>(PersonActor(p));
    }
    const uint32_t actor = best >= 0 ? static_cast<uint32_t>(best)
                                     : DocActor(ActorKind::kPerson, Tok(e.token_begin));
    AddMention(e.token_begin, e.token_end, actor, static_cast<int32_t>(ei), MentionHow::kSurname);
  }
}

// Names the recognizer missed: metonyms ("the Kremlin"), country names and
// demonyms, full names of known people, acronyms of organizations.
void Run::LinkUnlabeled() {
  std::vector<uint8_t> in_entity(doc_.tokens().size(), 0);
  for (const Entity& en : doc_.entities())
    for (uint32_t k = en.token_begin; k < en.token_end; ++k) in_entity[k] = 1;
  for (const Sentence& s : doc_.sentences()) {
    for (uint32_t t = s.token_begin; t < s.token_end;) {
      const auto m = kb_.Longest(doc_, t, s.token_end);
      if (!m.length) {
        ++t;
        continue;
      }
      const uint32_t e = t + m.length;
      bool free = true;
      for (uint32_t k = t; k < e; ++k) free &= !covered_[k];
      bool entity_overlap = false;
      for (uint32_t k = t; k < e; ++k) entity_overlap |= in_entity[k] != 0;
      if (free && !entity_overlap && IsUpperStart(Tok(t))) {
        bool placed = false, has_place = false;
        for (const KbCandidate& c : m.candidates) has_place |= c.kind == KbKind::kPlace;
        for (const KbCandidate& c : m.candidates) {
          if (!CaseOk(c, t, e)) continue;
          if (c.kind == KbKind::kCountry && c.how == KbHow::kMetonym && has_place &&
              !ActorPosition(t, e))
            continue;  // "OSLO, March 12 --", "in Moscow": the city
          if (c.kind == KbKind::kCountry &&
              (c.how == KbHow::kMetonym || c.how == KbHow::kName || c.how == KbHow::kAlias ||
               c.how == KbHow::kDemonym)) {
            NoteCountry(static_cast<int32_t>(c.record));
            AddMention(t, e, CountryActor(c.record), -1, HowOf(c.how),
                       c.how == KbHow::kMetonym ? "GOV" : SectorAfter(e));
            break;
          }
          if (c.kind == KbKind::kPlace && !placed) {
            // A sizeable place after a locative preposition, or a dateline.
            const auto p = kb_.place(c.record);
            const std::string prev = t > s.token_begin ? Lower(Tok(t - 1)) : "";
            const bool dateline = t == 0 && e < s.token_end && Tok(e) == ",";
            const bool locative = prev == "in" || prev == "near" || prev == "at" ||
                                  prev == "from" || prev == "to" || prev == "outside";
            // A division qualifying the name before it ("Racine, Wis.").
            const bool qualifier = prev == "," && t >= s.token_begin + 2 && p.cls == 'A' &&
                                   (in_entity[t - 2] || covered_[t - 2]);
            if (dateline || qualifier || (locative && (p.population >= 20000 || p.cls != 'P'))) {
              Deferred d;
              d.entity = -1;
              d.begin = t;
              d.end = e;
              d.cands.assign(m.candidates.begin(), m.candidates.end());
              deferred_.push_back(std::move(d));
              for (uint32_t k = t; k < e; ++k) in_entity[k] = 1;
              placed = true;
            }
            continue;
          }
          if (c.kind == KbKind::kPerson && c.how != KbHow::kSurname && m.length >= 2) {
            AddMention(t, e, PersonActor(c.record), -1, MentionHow::kName);
            break;
          }
          bool all_caps = m.length == 1 && Tok(t).size() >= 3;
          for (char ch : Tok(t)) all_caps &= !(ch >= 'a' && ch <= 'z');
          // A one-word name written exactly as the KB has it, inside a
          // sentence ("Mossad", "Houthis").
          const bool exact_word = m.length == 1 && t > s.token_begin &&
                                  Tok(t).size() >= 4 && Tok(t) == kb_.Phrase(c);
          if (c.kind == KbKind::kOrg && (c.exact_case || m.length >= 2 || all_caps || exact_word)) {
            AddMention(t, e, OrgActor(c.record), -1, HowOf(c.how));
            break;
          }
        }
      }
      t = e;
    }
  }
}

void Run::ResolvePronounsAndNominals() {
  struct Ref {
    uint32_t token, sentence, actor;
    bool subject;
  };
  // Person references in text order, resolved pronouns added as they come.
  std::vector<Mention> names;
  for (const Mention& m : doc_.mentions())
    if (doc_.actors()[m.actor].kind == ActorKind::kPerson) names.push_back(m);
  std::sort(names.begin(), names.end(),
            [](const Mention& a, const Mention& b) { return a.token_begin < b.token_begin; });
  std::vector<Ref> history;
  std::vector<size_t> mention_at(doc_.tokens().size(), 0);  // valid where covered_
  for (size_t i = 0; i < doc_.mentions().size(); ++i)
    for (uint32_t k = doc_.mentions()[i].token_begin; k < doc_.mentions()[i].token_end; ++k)
      mention_at[k] = i;
  std::vector<char> gender(doc_.actors().size());
  for (size_t i = 0; i < doc_.actors().size(); ++i) gender[i] = doc_.actors()[i].gender;
  size_t next_name = 0;
  const size_t n = doc_.tokens().size();
  auto is_subject = [&](uint32_t b, uint32_t e) {
    const std::string_view rel = DeprelOf(HeadOf(b, e));
    return rel == "nsubj" || rel == "nsubj:pass";
  };
  auto role_of = [&](uint32_t actor) {
    const Actor& a = doc_.actors()[actor];
    return std::string(doc_.pool(a.text_role)) + " " + std::string(doc_.pool(a.kb_role));
  };
  for (uint32_t t = 0; t < n; ++t) {
    while (next_name < names.size() && names[next_name].token_begin <= t) {
      const Mention& m = names[next_name++];
      history.push_back({m.token_begin, sentence_of_[m.token_begin], m.actor,
                         is_subject(m.token_begin, m.token_end)});
    }
    if (covered_[t]) continue;
    const uint32_t s = sentence_of_[t];
    static const uint64_t kThe = Id("the");
    const int g = PronounGender(Norm(t));
    if (g >= 0) {
      if (tagged_ && doc_.tags()[t].upos != Upos::kPRON && doc_.tags()[t].upos != Upos::kDET)
        continue;
      int32_t pick = -1;
      // The same sentence: its subject, else the nearest; then the nearest
      // earlier sentence with a compatible person: its subject, else its first.
      for (uint32_t back = 0; back <= 3 && pick < 0 && back <= s; ++back) {
        const uint32_t target = s - back;
        int32_t first = -1, subj = -1, last = -1;
        for (const Ref& r : history) {
          if (r.sentence != target || r.token >= t) continue;
          if (gender[r.actor] != 0 && gender[r.actor] != g) continue;
          if (first < 0) first = static_cast<int32_t>(r.actor);
          last = static_cast<int32_t>(r.actor);
          if (r.subject) subj = static_cast<int32_t>(r.actor);
        }
        if (back == 0) pick = subj >= 0 ? subj : last;
        else pick = subj >= 0 ? subj : first;
      }
      if (pick >= 0) {
        if (gender[pick] == 0) gender[pick] = static_cast<char>(g);
        AddMention(t, t + 1, static_cast<uint32_t>(pick), -1, MentionHow::kPronoun);
        history.push_back({t, s, static_cast<uint32_t>(pick), is_subject(t, t + 1)});
      }
      continue;
    }
    // "the minister", "the Ukrainian president", "the IAEA chief": a role
    // noun after "the", not followed by a name; a country or organization
    // written inside it restricts the person to its office holders.
    if (Norm(t) == kThe && t + 1 < SentenceEnd(t)) {
      uint32_t h = t + 1;
      const uint32_t end = std::min<uint32_t>(SentenceEnd(t), t + 5);
      while (h < end && !RoleHeads().count(Norm(h))) ++h;
      if (h >= end || covered_[h]) continue;
      if (h + 1 < SentenceEnd(t) && (IsUpperStart(Tok(h + 1)) || Lower(Tok(h + 1)) == "of"))
        continue;  // a title before a name, or "the minister of X"
      bool clean = true;
      std::string_view owner;  // id of a country or organization inside
      std::vector<size_t> inner;
      for (uint32_t k = t + 1; k < h && clean; ++k) {
        if (Tok(k) == ",") clean = false;
        if (!covered_[k]) continue;
        const size_t mi = mention_at[k];
        const Mention& m = doc_.mentions()[mi];
        const ActorKind kind = doc_.actors()[m.actor].kind;
        if (kind != ActorKind::kCountry && kind != ActorKind::kOrg) clean = false;
        else if (inner.empty() || inner.back() != mi) {
          inner.push_back(mi);
          owner = doc_.pool(doc_.actors()[m.actor].id);
        }
      }
      if (!clean) continue;
      const std::string head(Tok(h));
      int32_t pick = -1;
      bool former = false;
      for (uint32_t k = t + 1; k < h; ++k) former |= Lower(Tok(k)) == "former";
      // Whether the person ever held an office of `owner` (for "the former
      // NATO chief").
      auto held = [&](uint32_t actor) {
        if (actor_kb_[actor] == kNoIndex) return false;
        const auto p = kb_.person(static_cast<uint32_t>(actor_kb_[actor]));
        for (uint32_t r = p.role_begin; r < p.role_begin + p.role_count; ++r) {
          const auto role = kb_.role(r);
          if ((role.org != kNoIndex && kb_.org(role.org).id == owner) ||
              (role.country != kNoIndex && kb_.country(role.country).id == owner))
            return true;
        }
        return false;
      };
      for (auto it = history.rbegin(); it != history.rend() && pick < 0; ++it) {
        const Actor& a = doc_.actors()[it->actor];
        const bool head_ok = ContainsWord(role_of(it->actor), head);
        if (owner.empty() ? head_ok
                          : (former ? held(it->actor)
                                    : doc_.pool(a.kb_role_country) == owner ||
                                          (doc_.pool(a.country) == owner && head_ok)))
          pick = static_cast<int32_t>(it->actor);
      }
      if (pick >= 0) {
        for (size_t mi : inner) {
          Mention& m = doc_.mentions()[mi];
          for (uint32_t k = m.token_begin; k < m.token_end; ++k) covered_[k] = 0;
          m.token_end = m.token_begin;  // dropped below
        }
        AddMention(t, h + 1, static_cast<uint32_t>(pick), -1, MentionHow::kNominal);
        history.push_back({t, s, static_cast<uint32_t>(pick), is_subject(t, h + 1)});
      }
    }
  }
  auto& ms = doc_.mentions();
  ms.erase(std::remove_if(ms.begin(), ms.end(),
                          [](const Mention& m) { return m.token_end == m.token_begin; }),
           ms.end());
}

// Roles the text writes: the title before a name, an apposition after it,
// a parenthesized organization after it.
void Run::ReadRoles() {
  for (const Mention& m : doc_.mentions()) {
    Actor& a = doc_.actors()[m.actor];
    if (a.kind != ActorKind::kPerson || m.entity < 0) continue;
    const Entity& e = doc_.entities()[m.entity];
    if (a.text_role.empty() && e.title_end > e.title_begin)
      a.text_role = doc_.AddToPool(SpanText(e.title_begin, e.title_end));
    auto split = title_override_.find(static_cast<uint32_t>(m.entity));
    if (split != title_override_.end()) {
      const auto [tb, te] = split->second;
      const std::string_view written = SpanText(tb, te);
      if (a.text_role.empty()) a.text_role = doc_.AddToPool(written);
    }
    if (a.text_role.empty() && parsed_) {
      const uint32_t head = HeadOf(e.token_begin, e.token_end);
      const uint32_t se = SentenceEnd(head);
      for (uint32_t t = e.token_end; t < se && t < e.token_end + 12; ++t) {
        if (doc_.deps()[t].head < 0 || static_cast<uint32_t>(doc_.deps()[t].head) != head ||
            DeprelOf(t) != "appos")
          continue;
        uint32_t lo = t, hi = t + 1;  // the apposition's subtree
        for (uint32_t k = e.token_end; k < se && k < t + 10; ++k) {
          uint32_t x = k;
          for (int hop = 0; hop < 10; ++hop) {
            if (x == t) {
              lo = std::min(lo, k), hi = std::max(hi, k + 1);
              break;
            }
            if (doc_.deps()[x].head < 0) break;
            x = static_cast<uint32_t>(doc_.deps()[x].head);
          }
        }
        while (lo < hi && (Tok(lo) == "," || Tok(lo) == "a" || Tok(lo) == "an")) ++lo;
        while (hi > lo && Tok(hi - 1) == ",") --hi;
        if (hi > lo) a.text_role = doc_.AddToPool(SpanText(lo, hi));
        break;
      }
    }
    if (a.affiliation.empty() && e.token_end + 2 < SentenceEnd(e.token_begin) &&
        Tok(e.token_end) == "(") {
      for (const Mention& o : doc_.mentions())
        if (o.token_begin == e.token_end + 1 && doc_.actors()[o.actor].kind == ActorKind::kOrg) {
          a.affiliation = doc_.actors()[o.actor].name;
          break;
        }
    }
  }
  // The text's role against the knowledge base's at the article date.
  for (size_t i = 0; i < doc_.actors().size(); ++i) {
    Actor& a = doc_.actors()[i];
    if (a.kind != ActorKind::kPerson || !(a.flags & kActorKnown) || a.text_role.empty()) continue;
    const std::string text_role = Lower(doc_.pool(a.text_role));
    const bool former = ContainsWord(text_role, "former") || text_role.find("ex-") == 0;
    const auto p = kb_.person(static_cast<uint32_t>(actor_kb_[i]));
    // Whether the text's role names the office `title`: some (`all` false)
    // or every (`all` true) word of four letters or more of the title
    // ("Minister of Defence" -> minister, defence) appears in it.
    auto names_office = [&](std::string_view title, bool all) {
      std::string word;
      bool any = false;
      for (size_t k = 0; k <= title.size(); ++k) {
        const char c = k < title.size() ? title[k] : ' ';
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '-') {
          word.push_back(c);
          continue;
        }
        if (word.size() >= 4 && word != "first") {
          const bool in = ContainsWord(text_role, word);
          if (in && !all) return true;
          if (!in && all) return false;
          any |= in;
        }
        word.clear();
      }
      return all && any;
    };
    const std::string_view kb_role = doc_.pool(a.kb_role);
    if (former && !kb_role.empty() && names_office(kb_role, true)) {
      a.flags |= kActorRoleConflict;
      a.note = doc_.AddToPool("the text says \"" + std::string(doc_.pool(a.text_role)) +
                              "\"; the knowledge base has " + std::string(kb_role) + " (" +
                              std::string(doc_.pool(a.kb_role_country)) + ") since " +
                              std::string(doc_.pool(a.kb_role_start)) + " at the article date");
      continue;
    }
    if (!former && kb_role.empty()) {
      for (uint32_t r = p.role_begin; r < p.role_begin + p.role_count; ++r)
        if (names_office(kb_.role(r).title, false)) {
          const auto role = kb_.role(r);
          a.flags |= kActorRoleConflict;
          a.note = doc_.AddToPool(
              "the text says \"" + std::string(doc_.pool(a.text_role)) +
              "\"; in the knowledge base that office runs " + FormatIsoDay(role.start) + " to " +
              (role.end == kOpenEnd ? std::string("now") : FormatIsoDay(role.end)) +
              ", not at the article date");
          break;
        }
    }
  }
}

void Run::Go() {
  const auto& entities = doc_.entities();
  // Countries and unambiguous names first, so places can be ranked by the
  // countries the document mentions.
  for (uint32_t i = 0; i < entities.size(); ++i) LinkEntity(i);
  LinkUnlabeled();
  for (const Deferred& d : deferred_) LinkPlace(d);
  ResolveSurnames();
  std::sort(doc_.mentions().begin(), doc_.mentions().end(),
            [](const Mention& a, const Mention& b) { return a.token_begin < b.token_begin; });
  ReadRoles();
  ResolvePronounsAndNominals();
  std::sort(doc_.mentions().begin(), doc_.mentions().end(),
            [](const Mention& a, const Mention& b) { return a.token_begin < b.token_begin; });
}

}  // namespace

void Linker::Link(Document* doc) const {
  doc->actors().clear();
  doc->mentions().clear();
  doc->actor_pool().clear();
  if (doc->tokens().empty()) return;
  Run run(*kb_, doc);
  run.Go();
}

}  // namespace sitrep
