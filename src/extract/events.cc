#include "sitrep/events.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "extract/parse_index.h"
#include "sitrep/kb.h"

namespace sitrep {

namespace {

constexpr std::string_view kTypeNames[kNumEventTypes] = {
    "",         "AGREE",   "CONSULT", "SUPPORT",  "CONCEDE",  "COOPERATE",
    "AID",      "RETREAT", "REQUEST", "ACCUSE",   "REJECT",   "THREATEN",
    "PROTEST",  "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"};

bool IsLemmaWord(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w)
    if (!((c >= 'a' && c <= 'z') || c == '-' || c == '\'' || (c >= '0' && c <= '9') ||
          static_cast<unsigned char>(c) >= 0x80))
      return false;
  return true;
}

uint64_t PatternKey(uint64_t lemma, Upos pos) {
  return lemma ^ (0x9E3779B97F4A7C15ULL * (static_cast<uint64_t>(pos) + 1));
}

// Hostile types: intent to do them is a threat (CAMEO 13).
bool IsHostile(EventType t) {
  switch (t) {
    case EventType::kThreaten: case EventType::kProtest: case EventType::kSanction:
    case EventType::kMobilize: case EventType::kCoerce: case EventType::kAssault:
    case EventType::kAccuse: case EventType::kReject:
      return true;
    default:
      return false;
  }
}

// Types that are themselves statements: a speaker announcing one is not a
// statement of intent about another act.
bool IsVerbal(EventType t) {
  return t == EventType::kRequest || t == EventType::kAccuse || t == EventType::kReject ||
         t == EventType::kThreaten || t == EventType::kAgree || t == EventType::kSupport;
}

// CAMEO code of a threat to do an act of type t.
std::string_view ThreatCameo(EventType t) {
  switch (t) {
    case EventType::kAssault: return "138";
    case EventType::kCoerce: return "137";
    case EventType::kSanction: return "131";
    case EventType::kProtest: return "133";
    default: return "130";
  }
}

constexpr uint32_t kNone = UINT32_MAX;

// True when w is one of `words`.
bool OneOf(std::string_view w, std::initializer_list<std::string_view> words) {
  for (std::string_view x : words)
    if (w == x) return true;
  return false;
}

// Candidate base forms of an inflected word, most likely first: "shelled"
// -> shell, shelle, shel; "carries" -> carry, carrie; "talks" -> talk.
std::vector<std::string> Stems(const std::string& w) {
  std::vector<std::string> out;
  auto ends = [&](std::string_view suf) {
    return w.size() > suf.size() + 2 && w.compare(w.size() - suf.size(), suf.size(), suf) == 0;
  };
  auto cut = [&](size_t k) { return w.substr(0, w.size() - k); };
  if (ends("ied")) out.push_back(cut(3) + "y");
  if (ends("ies")) out.push_back(cut(3) + "y");
  if (ends("ed")) {
    const std::string base = cut(2);
    if (base.size() >= 2 && base[base.size() - 1] == base[base.size() - 2]) out.push_back(cut(2));
    out.push_back(base);
    out.push_back(cut(1));
    if (base.size() >= 2 && base[base.size() - 1] == base[base.size() - 2])
      out.push_back(base.substr(0, base.size() - 1));
  }
  if (ends("ing")) {
    const std::string base = cut(3);
    out.push_back(base);
    out.push_back(base + "e");
    if (base.size() >= 2 && base[base.size() - 1] == base[base.size() - 2])
      out.push_back(base.substr(0, base.size() - 1));
  }
  if (ends("es")) out.push_back(cut(2));
  if (ends("s") && !ends("ss")) out.push_back(cut(1));
  return out;
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  const auto i = static_cast<size_t>(type);
  return i < kNumEventTypes ? kTypeNames[i] : std::string_view();
}

EventType EventTypeFromName(std::string_view name) {
  for (int i = 1; i < kNumEventTypes; ++i)
    if (kTypeNames[i] == name) return static_cast<EventType>(i);
  return EventType::kNone;
}

std::string_view EventModalityName(EventModality m) {
  switch (m) {
    case EventModality::kAsserted: return "asserted";
    case EventModality::kPlanned: return "planned";
    case EventModality::kHypothetical: return "hypothetical";
  }
  return "asserted";
}

// ---------------------------------------------------------------------------
// Lexicon

Result<std::unique_ptr<EventLexicon>> EventLexicon::Load(const std::vector<std::string>& paths) {
  std::unique_ptr<EventLexicon> lex(new EventLexicon);
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound(path + ": cannot read the event lexicon");
    std::stringstream ss;
    ss << in.rdbuf();
    Status st = lex->AddText(ss.str(), path);
    if (!st.ok()) return st;
  }
  bool any = false;
  for (const EventPattern& p : lex->patterns_) any |= p.role == EventPattern::Role::kEvent;
  if (!any) return Status::InvalidArgument("event lexicon: no event entries in the given files");
  return lex;
}

Status EventLexicon::AddText(std::string_view text, std::string_view name) {
  static constexpr std::string_view kHeader = "word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget";
  size_t pos = 0;
  int line_no = 0;
  bool header = false;
  std::vector<EventPattern> added;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    auto where = [&](const std::string& why) {
      return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line_no) + ": " +
                                     why);
    };
    if (!header) {
      if (line != kHeader)
        return where("the first line must be the header 'word pos with type mode context "
                     "cameo target' (tab-separated)");
      header = true;
      continue;
    }
    std::vector<std::string_view> f = SplitOn(line, '\t');
    if (f.size() != 8)
      return where("expected 8 tab-separated columns, found " + std::to_string(f.size()));
    EventPattern p;
    p.word = AsciiLower(f[0]);
    if (!IsLemmaWord(p.word)) return where("word must be one lower-case lemma, not '" +
                                           std::string(f[0]) + "'");
    p.pos = UposFromName(f[1]);
    if (p.pos != Upos::kVERB && p.pos != Upos::kNOUN && p.pos != Upos::kADJ)
      return where("pos must be VERB, NOUN or ADJ, not '" + std::string(f[1]) + "'");
    p.with = std::string(f[2]);
    if (f[2] != "-") {
      for (std::string_view c : SplitOn(f[2], ';')) {
        const size_t eq = c.find('=');
        if (eq == std::string_view::npos || eq + 1 >= c.size())
          return where("constraint '" + std::string(c) + "' is not key=value");
        const std::string_view key = c.substr(0, eq);
        std::vector<uint64_t> values;
        for (std::string_view v : SplitOn(c.substr(eq + 1), '|')) {
          if (!IsLemmaWord(v)) return where("bad lemma '" + std::string(v) + "' in '" +
                                            std::string(c) + "'");
          values.push_back(NormId(v));
        }
        ++p.specificity;
        if (key == "prt" && values.size() == 1 && !p.prt) p.prt = values[0];
        else if (key == "prep" && values.size() == 1 && !p.prep) p.prep = values[0];
        else if (key == "obj" && p.obj.empty()) p.obj = std::move(values);
        else if (key == "mod" && p.mod.empty()) p.mod = std::move(values);
        else
          return where("unknown, repeated or multi-valued constraint '" + std::string(c) +
                       "' (prt=L, prep=L, obj=L|L, mod=L|L)");
      }
    }
    if (f[3] == "LIGHT") p.role = EventPattern::Role::kLight;
    else if (f[3] == "NEG") p.role = EventPattern::Role::kNeg;
    else if (f[3] == "INTENT") { p.role = EventPattern::Role::kIntent; p.type = EventType::kAgree; }
    else {
      p.type = EventTypeFromName(f[3]);
      if (p.type == EventType::kNone)
        return where("type must be a PLOVER event type, LIGHT, INTENT or NEG, not '" +
                     std::string(f[3]) + "'");
    }
    if (f[4].empty() || f[5].empty() || f[6].empty() || f[7].empty())
      return where("empty column (write '-' for none)");
    if (f[4] != "-") p.mode = std::string(f[4]);
    if (f[5] != "-") p.context = std::string(f[5]);
    if (f[6] != "-") {
      bool digits = f[6].size() >= 2 && f[6].size() <= 4;
      for (char c : f[6]) digits &= c >= '0' && c <= '9';
      if (!digits) return where("cameo must be 2 to 4 digits or '-', not '" + std::string(f[6]) + "'");
      p.cameo = std::string(f[6]);
    }
    if (f[7] != "-") {
      for (std::string_view t : SplitOn(f[7], '|')) {
        if (t == "obj") p.target.push_back(kTargetObj);
        else if (t == "iobj") p.target.push_back(kTargetIobj);
        else if (t == "subj") p.target.push_back(kTargetSubj);
        else if (IsLemmaWord(t)) p.target.push_back(NormId(t));
        else return where("target '" + std::string(t) + "' is not obj, iobj, subj or a preposition");
      }
    }
    for (const EventPattern& q : added)
      if (q.word == p.word && q.pos == p.pos && q.with == p.with)
        return where("duplicate entry '" + p.word + "' " + std::string(f[1]) + " " + p.with);
    added.push_back(std::move(p));
  }
  if (!header) return Status::InvalidArgument(std::string(name) + ": no header line");
  for (EventPattern& p : added) {
    const uint64_t key = PatternKey(NormId(p.word), p.pos);
    std::vector<int>& slot = index_[key];
    int replaced = -1;
    for (int i : slot)
      if (patterns_[i].with == p.with) replaced = i;
    if (replaced >= 0) {
      patterns_[replaced] = std::move(p);
    } else {
      slot.push_back(static_cast<int>(patterns_.size()));
      patterns_.push_back(std::move(p));
    }
    std::stable_sort(slot.begin(), slot.end(), [&](int a, int b) {
      return patterns_[a].specificity > patterns_[b].specificity;
    });
  }
  return Status::Ok();
}

const std::vector<int>& EventLexicon::Find(uint64_t lemma, Upos pos) const {
  static const std::vector<int> kEmpty;
  auto it = index_.find(PatternKey(lemma, pos));
  return it == index_.end() ? kEmpty : it->second;
}

Result<std::unique_ptr<EventCoder>> EventCoder::Load(const std::vector<std::string>& paths) {
  auto lex = EventLexicon::Load(paths);
  if (!lex.ok()) return lex.status();
  return std::make_unique<EventCoder>(std::move(lex.value()));
}

// ---------------------------------------------------------------------------
// Coding: per-call state.

namespace {

struct Rels {
  uint8_t nsubj, nsubj_pass, csubj, obj, iobj, obl, obl_agent, obl_tmod, obl_npmod, nmod, nmod_poss,
      nmod_tmod, case_, fixed, mark, aux, aux_pass, advmod, amod, compound, compound_prt, conj, cc,
      xcomp, ccomp, advcl, acl, relcl, appos, punct, det, parataxis, dep, cop, nummod, flat;
};
const Rels& R() {
  static const Rels r = {
      DeprelFromName("nsubj"),      DeprelFromName("nsubj:pass"), DeprelFromName("csubj"),
      DeprelFromName("obj"),        DeprelFromName("iobj"),       DeprelFromName("obl"),
      DeprelFromName("obl:agent"),  DeprelFromName("obl:tmod"),   DeprelFromName("obl:npmod"),
      DeprelFromName("nmod"),       DeprelFromName("nmod:poss"),  DeprelFromName("nmod:tmod"),
      DeprelFromName("case"),       DeprelFromName("fixed"),      DeprelFromName("mark"),
      DeprelFromName("aux"),        DeprelFromName("aux:pass"),   DeprelFromName("advmod"),
      DeprelFromName("amod"),       DeprelFromName("compound"),   DeprelFromName("compound:prt"),
      DeprelFromName("conj"),       DeprelFromName("cc"),         DeprelFromName("xcomp"),
      DeprelFromName("ccomp"),      DeprelFromName("advcl"),      DeprelFromName("acl"),
      DeprelFromName("acl:relcl"),  DeprelFromName("appos"),      DeprelFromName("punct"),
      DeprelFromName("det"),        DeprelFromName("parataxis"),  DeprelFromName("dep"),
      DeprelFromName("cop"),        DeprelFromName("nummod"),     DeprelFromName("flat")};
  return r;
}

struct Words {
  uint64_t not_, never, nt, no, would, could, might, may, should, can, must, will, shall, ll, wo,
      if_, unless, whether, before, until, by, between, and_, who, which, that, it, they, we, i,
      he, she, them, us, our, their, its, potential, possible, proposed, hypothetical, planned,
      upcoming, future, scheduled, expected, prospective, going;
};
const Words& W() {
  static const Words w = {
      NormId("not"),       NormId("never"),   NormId("n't"),       NormId("no"),
      NormId("would"),     NormId("could"),   NormId("might"),     NormId("may"),
      NormId("should"),    NormId("can"),     NormId("must"),      NormId("will"),
      NormId("shall"),     NormId("'ll"),     NormId("wo"),        NormId("if"),
      NormId("unless"),    NormId("whether"), NormId("before"),    NormId("until"),
      NormId("by"),        NormId("between"), NormId("and"),       NormId("who"),
      NormId("which"),     NormId("that"),    NormId("it"),        NormId("they"),
      NormId("we"),        NormId("i"),       NormId("he"),        NormId("she"),
      NormId("them"),      NormId("us"),      NormId("our"),       NormId("their"),
      NormId("its"),       NormId("potential"), NormId("possible"), NormId("proposed"),
      NormId("hypothetical"), NormId("planned"), NormId("upcoming"), NormId("future"),
      NormId("scheduled"), NormId("expected"), NormId("prospective"), NormId("going")};
  return w;
}

// Verbs whose complement is only planned: "plans to meet", "is expected to visit".
// Not "try" or "attempt": an attempt is an act.
bool IsPlanVerb(std::string_view lemma) {
  return OneOf(lemma, {"plan", "intend", "expect", "aim", "prepare", "schedule", "hope", "want",
                       "seek", "propose", "consider", "mull", "set", "due", "poise", "wish"});
}

// Nouns naming a part of what follows "of": "part of the aid".
bool IsPartitive(std::string_view lemma) {
  return OneOf(lemma, {"part", "some", "most", "all", "portion", "half", "rest", "much", "bulk",
                       "share", "parts", "remainder", "one"});
}

// Locative prepositions of an event's place.
bool IsPlacePrep(std::string_view lemma) {
  return OneOf(lemma, {"in", "at", "near", "inside", "within", "across", "outside", "around",
                       "throughout", "on", "off", "along"});
}

// Nouns naming a territory: an attack on "Ukrainian territory" happens there.
bool IsTerritoryNoun(std::string_view lemma) {
  return OneOf(lemma, {"territory", "soil", "region", "area", "city", "town", "village", "border",
                       "land", "province", "capital", "infrastructure", "position", "positions",
                       "airspace"});
}

// Titles whose holder acts for the government.
bool IsGovernmentTitle(std::string_view lower) {
  return OneOf(lower, {"president", "minister", "premier", "chancellor", "secretary", "king",
                       "queen", "emir", "sultan", "prime", "spokesman", "spokeswoman",
                       "spokesperson", "ambassador", "envoy", "governor", "mayor", "foreign",
                       "defence", "defense", "vice", "head", "leader", "official"});
}

}  // namespace

class EventCoding {
 public:
  EventCoding(const EventLexicon& lex, const KnowledgeBase* kb, Document* doc)
      : lex_(lex), kb_(kb), doc_(*doc), toks_(doc->tokens()) {}
  void Run();

 private:
  // A trigger candidate: token tok matched lexicon pattern pat.
  struct Cand {
    int pat = -1;
    uint32_t extra = kNone;  // particle, object or modifier named by a constraint
    uint32_t light = kNone;  // the support verb governing this noun
    uint32_t container = kNone;  // the object noun this one compounds ("mediation effort")
    bool negated_by_head = false;
  };
  // An argument before it is stored.
  struct Arg {
    uint32_t b = 0, e = 0;
    int32_t actor = -1;
    int32_t mention = -1;
    std::string code, sector;
  };
  struct Ev {
    EventType type = EventType::kNone;
    EventModality modality = EventModality::kAsserted;
    bool negated = false, conditional = false;
    uint32_t sentence = 0, tb = 0, te = 0;
    uint32_t anchor = 0;    // the token whose clause holds the event
    uint32_t trigger = 0;   // the trigger word
    std::vector<Arg> src, tgt;
    int32_t location = -1, time = -1, quote = -1, parent = -1;
    uint32_t cond_clause = kNone;  // head of an "if"/"unless" clause on the event
    std::string mode, context, cameo;
    float confidence = 0;
    bool derived = false;     // a statement made by Statements()
    bool obligation = false;  // "must", "should", "have to": someone demands it
    bool governed = false;    // the complement of a demand, threat or refusal
  };

  // Parse helpers.
  bool Syntax() const {
    return doc_.tags().size() == toks_.size() && doc_.deps().size() == toks_.size();
  }
  Upos Pos(uint32_t i) const { return doc_.tags()[i].upos; }
  int Head(uint32_t i) const { return doc_.deps()[i].head; }
  uint8_t Rel(uint32_t i) const { return doc_.deps()[i].deprel; }
  uint64_t Lemma(uint32_t i) const { return lemma_[i]; }
  std::string LemmaStr(uint32_t i) const { return AsciiLower(doc_.lemma(i)); }
  const uint32_t* KidsBegin(uint32_t i) const { return kids_.begin(i); }
  const uint32_t* KidsEnd(uint32_t i) const { return kids_.end(i); }
  int Child(uint32_t i, uint8_t rel) const {
    for (const uint32_t* c = KidsBegin(i); c != KidsEnd(i); ++c)
      if (Rel(*c) == rel) return static_cast<int>(*c);
    return -1;
  }
  bool IsObl(uint8_t rel) const {
    const Rels& r = R();
    return rel == r.obl || rel == r.nmod || rel == r.obl_agent || rel == r.advcl ||
           rel == r.obl_npmod;
  }
  // The preposition (case or mark child) introducing x, or 0.
  uint64_t PrepOf(uint32_t x) const {
    for (const uint32_t* c = KidsBegin(x); c != KidsEnd(x); ++c)
      if ((Rel(*c) == R().case_ || Rel(*c) == R().mark) && *c < x) return Lemma(*c);
    return 0;
  }
  // A child of x introduced by preposition p (obl, nmod), or -1.
  int PrepChild(uint32_t x, uint64_t p) const {
    for (const uint32_t* c = KidsBegin(x); c != KidsEnd(x); ++c)
      if (IsObl(Rel(*c)) && PrepOf(*c) == p) return static_cast<int>(*c);
    return -1;
  }
  // True when x has a negating dependent ("not", "never", "n't", "no").
  bool Negated(uint32_t x) const;
  // True when token i satisfies p's constraints; *extra is the particle,
  // object or modifier a constraint named (part of the trigger), else kNone.
  bool Matches(uint32_t i, const EventPattern& p, uint32_t* extra) const;
  // The subject of the clause headed by v: its nsubj (a relative pronoun's
  // antecedent), the agent of a passive, else the subject of the clause a
  // subjectless clause or a noun's verb depends on (object control: "urged
  // X to stop" gives X); -1 if none.
  int SubjectOf(uint32_t v) const;
  // The passive agent of v ("by X"), or -1.
  int AgentOf(uint32_t v) const;
  // Appends to *out the actor arguments headed by `head` and the actors
  // coordinated with it; phrases with no actor, sector or name are left out.
  void AddArgs(uint32_t head, std::vector<Arg>* out, const Ev& ev) const;
  // True when h is a dateline place ("DUSHANBE, June 18 (Wire) —").
  bool IsDateline(uint32_t h) const;
  // True when h lies in a DATE or TIME entity.
  bool IsTemporal(uint32_t h) const { return temporal_[h] != 0; }
  // Gives an unresolved pronoun argument at h the actor it stands for.
  void ResolvePronoun(uint32_t h, const Ev& ev, Arg* a) const;
  // The argument headed by `head`: its phrase, actor and codes.
  Arg MakeArg(uint32_t head) const;
  // Sets *a to quotation q's speaker; false when q < 0 or has none.
  bool SpeakerArg(int q, Arg* a) const;
  // Adds the actor(s) of the phrase headed by t to ev->tgt, or those inside
  // it when it names a thing; false when none.
  bool AddTargetPhrase(uint32_t t, Ev* ev) const;
  // Fills ev->tgt from the slots p lists (or the default ones) on the
  // trigger, its container noun, support verb and constrained object.
  void FindTargets(uint32_t trig, const Cand& c, const EventPattern& p, Ev* ev) const;
  // Sets ev->location, ev->time, ev->modality / negated / conditional.
  void FindPlace(Ev* ev) const;
  void FindTime(Ev* ev) const;
  void FindModality(Ev* ev) const;
  // In (0, 0.95]: coded actors, a verb trigger and a specific entry raise
  // it; depth below the sentence root lowers it.
  float Confidence(const Ev& ev, const EventPattern* p) const;
  void Prepare();
  void FindCandidates();
  void Build();
  static Ev StatementAbout(const Ev& e);
  void Statements();
  void Obligations();
  void Parents();
  void Store();

  const EventLexicon& lex_;
  const KnowledgeBase* kb_;
  Document& doc_;
  const std::vector<Token>& toks_;
  ChildIndex kids_;
  std::vector<uint32_t> sent_of_;
  std::vector<uint64_t> lemma_;
  std::vector<int32_t> mention_at_, time_at_, quote_at_;
  std::vector<uint8_t> in_attribution_;  // token in a quotation's speaker
  std::vector<uint8_t> temporal_;        // token in a DATE or TIME entity
  std::vector<Cand> cands_;  // per token
  std::vector<Ev> evs_;
};

void EventCoding::Prepare() {
  const uint32_t n = static_cast<uint32_t>(toks_.size());
  sent_of_.assign(n, 0);
  for (uint32_t s = 0; s < doc_.sentences().size(); ++s)
    for (uint32_t t = doc_.sentences()[s].token_begin; t < doc_.sentences()[s].token_end && t < n; ++t)
      sent_of_[t] = s;
  kids_.Build(doc_);
  lemma_.assign(n, 0);
  for (uint32_t t = 0; t < n; ++t) lemma_[t] = NormId(LemmaStr(t));
  mention_at_.assign(n, -1);
  for (size_t m = 0; m < doc_.mentions().size(); ++m) {
    const Mention& men = doc_.mentions()[m];
    if (men.actor >= doc_.actors().size()) continue;
    for (uint32_t t = men.token_begin; t < men.token_end && t < n; ++t)
      mention_at_[t] = static_cast<int32_t>(m);
  }
  time_at_.assign(n, -1);
  for (size_t i = 0; i < doc_.times().size(); ++i) {
    const ResolvedTime& rt = doc_.times()[i];
    if (rt.entity >= doc_.entities().size()) continue;
    const Entity& e = doc_.entities()[rt.entity];
    for (uint32_t t = e.token_begin; t < e.token_end && t < n; ++t)
      time_at_[t] = static_cast<int32_t>(i);
  }
  // The innermost quotation whose content holds each token.
  quote_at_.assign(n, -1);
  std::vector<uint32_t> width(n, UINT32_MAX);
  for (size_t q = 0; q < doc_.quotes().size(); ++q) {
    const Quote& x = doc_.quotes()[q];
    const uint32_t w = (x.content_end - x.content_begin) + (x.content2_end - x.content2_begin);
    auto mark = [&](uint32_t b, uint32_t e) {
      for (uint32_t t = b; t < e && t < n; ++t)
        if (w < width[t]) { width[t] = w; quote_at_[t] = static_cast<int32_t>(q); }
    };
    mark(x.content_begin, x.content_end);
    mark(x.content2_begin, x.content2_end);
  }
  temporal_.assign(n, 0);
  for (const Entity& e : doc_.entities())
    if (e.type == EntityType::kDate || e.type == EntityType::kTime)
      for (uint32_t t = e.token_begin; t < e.token_end && t < n; ++t) temporal_[t] = 1;
  in_attribution_.assign(n, 0);
  for (const Quote& x : doc_.quotes()) {
    for (uint32_t t = x.speaker_begin; t < x.speaker_end && t < n; ++t) in_attribution_[t] = 1;
  }
}

bool EventCoding::Negated(uint32_t x) const {
  const Words& w = W();
  for (const uint32_t* c = KidsBegin(x); c != KidsEnd(x); ++c) {
    const uint8_t rel = Rel(*c);
    const uint64_t l = Lemma(*c), norm = toks_[*c].norm;
    if ((rel == R().advmod || rel == R().aux || rel == R().dep) &&
        (l == w.not_ || l == w.never || norm == w.nt || norm == w.not_))
      return true;
    if (rel == R().det && l == w.no) return true;
  }
  return false;
}

bool EventCoding::Matches(uint32_t i, const EventPattern& p, uint32_t* extra) const {
  const Rels& r = R();
  *extra = kNone;
  if (p.prt) {
    bool ok = false;
    for (const uint32_t* c = KidsBegin(i); c != KidsEnd(i) && !ok; ++c)
      if (Lemma(*c) == p.prt && *c > i &&
          (Rel(*c) == r.compound_prt || Rel(*c) == r.advmod || Rel(*c) == r.obl ||
           *c <= i + 3)) {
        ok = true;
        *extra = *c;
      }
    // A particle the parser left unattached right after the verb.
    if (!ok && i + 1 < toks_.size() && Lemma(i + 1) == p.prt &&
        (Pos(i + 1) == Upos::kADP || Pos(i + 1) == Upos::kADV || Pos(i + 1) == Upos::kPART)) {
      ok = true;
      *extra = i + 1;
    }
    if (!ok) return false;
  }
  if (!p.obj.empty()) {
    bool ok = false;
    // The object or a compound of it is named: "the [aid] program".
    auto named = [&](uint32_t x) {
      if (std::find(p.obj.begin(), p.obj.end(), Lemma(x)) != p.obj.end()) return true;
      for (const uint32_t* k = KidsBegin(x); k != KidsEnd(x); ++k)
        if (Rel(*k) == r.compound && std::find(p.obj.begin(), p.obj.end(), Lemma(*k)) != p.obj.end())
          return true;
      return false;
    };
    for (const uint32_t* c = KidsBegin(i); c != KidsEnd(i) && !ok; ++c) {
      if (Rel(*c) != r.obj && Rel(*c) != r.nsubj_pass) continue;
      if (named(*c)) {
        ok = true;
        *extra = *c;
      } else if (IsPartitive(LemmaStr(*c))) {
        // "suspended part of a military aid program": the whole named after "of".
        for (const uint32_t* k = KidsBegin(*c); k != KidsEnd(*c) && !ok; ++k)
          if (Rel(*k) == r.nmod && named(*k)) {
            ok = true;
            *extra = *k;
          }
      }
    }
    if (!ok) return false;
  }
  if (p.prep) {
    bool ok = false;
    for (const uint32_t* c = KidsBegin(i); c != KidsEnd(i) && !ok; ++c) {
      const uint8_t rel = Rel(*c);
      if ((rel == r.compound_prt || rel == r.case_ || rel == r.mark) && Lemma(*c) == p.prep)
        ok = true;
      else if ((IsObl(rel) || rel == r.xcomp) && PrepOf(*c) == p.prep)
        ok = true;
    }
    if (!ok) return false;
  }
  if (!p.mod.empty()) {
    bool ok = false;
    for (const uint32_t* c = KidsBegin(i); c != KidsEnd(i) && !ok; ++c)
      if ((Rel(*c) == r.compound || Rel(*c) == r.amod || Rel(*c) == r.nmod) &&
          std::find(p.mod.begin(), p.mod.end(), Lemma(*c)) != p.mod.end()) {
        ok = true;
        if (*extra == kNone) *extra = *c;
      }
    if (!ok) return false;
  }
  return true;
}

void EventCoding::FindCandidates() {
  const uint32_t n = static_cast<uint32_t>(toks_.size());
  cands_.assign(n, Cand());
  for (uint32_t i = 0; i < n; ++i) {
    const Upos pos = Pos(i);
    if (pos != Upos::kVERB && pos != Upos::kNOUN && pos != Upos::kADJ) continue;
    const std::vector<int>* pats = &lex_.Find(Lemma(i), pos);
    // A lemma the lexicon lacks may be a lemmatizer slip ("shelled" ->
    // "shel"): try the stems of the word as written.
    if (pats->empty() && pos == Upos::kVERB)
      for (const std::string& stem : Stems(AsciiLower(doc_.token_text(i)))) {
        pats = &lex_.Find(NormId(stem), pos);
        if (!pats->empty()) break;
      }
    for (int p : *pats) {
      uint32_t extra = kNone;
      if (Matches(i, lex_.patterns()[p], &extra)) {
        cands_[i].pat = p;
        cands_[i].extra = extra;
        break;
      }
    }
  }
  // A noun a verb's constraint names is part of that verb's trigger
  // ("reach [an agreement]", "impose [sanctions]"), not an event of its own.
  for (uint32_t i = 0; i < n; ++i) {
    if (cands_[i].pat < 0 || cands_[i].extra == kNone) continue;
    const EventPattern& p = lex_.patterns()[cands_[i].pat];
    if (p.role == EventPattern::Role::kEvent && !p.obj.empty() && cands_[i].extra != i &&
        cands_[cands_[i].extra].pat >= 0 &&
        lex_.patterns()[cands_[cands_[i].extra].pat].role == EventPattern::Role::kEvent)
      cands_[cands_[i].extra].pat = -1;
  }
  const Rels& r = R();
  // A lexicon verb the parser made an auxiliary of the next verb ("The
  // Palestinians [reject] proposed changes"): that verb's clause is its own.
  for (uint32_t i = 0; i < n; ++i) {
    if (cands_[i].pat < 0 || Pos(i) != Upos::kVERB) continue;
    if ((Rel(i) != r.aux && Rel(i) != r.aux_pass) || Head(i) < 0 || KidsBegin(i) != KidsEnd(i))
      continue;
    const uint32_t h = static_cast<uint32_t>(Head(i));
    if (h <= i || Pos(h) != Upos::kVERB) continue;
    if (lex_.patterns()[cands_[i].pat].role != EventPattern::Role::kEvent) continue;
    cands_[i].light = h;
    cands_[h].pat = -1;
  }
  // Support verbs lend their clause to the event noun they govern; negating
  // verbs negate their complement.
  for (uint32_t i = 0; i < n; ++i) {
    if (cands_[i].pat < 0) continue;
    const EventPattern& p = lex_.patterns()[cands_[i].pat];
    if (p.role == EventPattern::Role::kLight) {
      for (const uint32_t* c = KidsBegin(i); c != KidsEnd(i); ++c) {
        const uint8_t rel = Rel(*c);
        const bool arg = rel == r.obj || rel == r.nsubj_pass ||
                         (p.prep && IsObl(rel) && PrepOf(*c) == p.prep) || rel == r.xcomp;
        if (!arg) continue;
        uint32_t noun = *c;
        if (cands_[noun].pat < 0) {
          // "launched a [mediation] effort": the event noun compounding the object.
          for (const uint32_t* k = KidsBegin(*c); k != KidsEnd(*c); ++k)
            if (Rel(*k) == r.compound && cands_[*k].pat >= 0) {
              noun = *k;
              cands_[noun].container = *c;
            }
          if (noun == *c) continue;
        }
        const EventPattern& q = lex_.patterns()[cands_[noun].pat];
        if (q.role == EventPattern::Role::kEvent && cands_[noun].light == kNone) cands_[noun].light = i;
      }
    } else if (p.role == EventPattern::Role::kNeg) {
      const int x = Child(i, r.xcomp) >= 0 ? Child(i, r.xcomp) : Child(i, r.ccomp);
      if (x >= 0) cands_[x].negated_by_head = true;
    }
  }
}

int EventCoding::AgentOf(uint32_t v) const {
  const int agent = Child(v, R().obl_agent);
  if (agent >= 0) return agent;
  return PrepChild(v, W().by);
}

int EventCoding::SubjectOf(uint32_t v) const {
  const Rels& r = R();
  const Words& w = W();
  for (int guard = 0; guard < 5; ++guard) {
    const int s = Child(v, r.nsubj);
    if (s >= 0) {
      // "X, who attacked ...": the relative pronoun stands for its antecedent.
      const uint64_t l = Lemma(s);
      if ((l == w.who || l == w.which || l == w.that) && Rel(v) == r.relcl && Head(v) >= 0)
        return Head(v);
      return s;
    }
    if (Child(v, r.nsubj_pass) >= 0) return AgentOf(v);
    const int h = Head(v);
    if (h < 0) return -1;
    const uint8_t rel = Rel(v);
    // "urged both sides to stop": the object of the governing verb acts.
    if (rel == r.xcomp) {
      const int o = Child(static_cast<uint32_t>(h), r.obj);
      if (o >= 0 && static_cast<uint32_t>(o) < v) return o;
    }
    // Subjectless clauses take the subject of the clause they hang from;
    // a noun's clause is the verb it is an argument of.
    if (rel == r.xcomp || rel == r.conj || rel == r.advcl || rel == r.acl ||
        ((rel == r.obl || rel == r.nmod || rel == r.obj) && Pos(v) != Upos::kNOUN &&
         Pos(v) != Upos::kPROPN) ||
        ((rel == r.obj || rel == r.obl || rel == r.nmod) &&
         (Pos(static_cast<uint32_t>(h)) == Upos::kVERB || Pos(static_cast<uint32_t>(h)) == Upos::kNOUN))) {
      v = static_cast<uint32_t>(h);
      continue;
    }
    return -1;
  }
  return -1;
}

bool EventCoding::SpeakerArg(int q, Arg* a) const {
  if (q < 0) return false;
  const Quote& x = doc_.quotes()[q];
  if (x.speaker_end <= x.speaker_begin) return false;
  // The speaker's head: the token of the span the others hang from.
  uint32_t h = x.speaker_end - 1;
  for (uint32_t t = x.speaker_begin; t < x.speaker_end; ++t) {
    const int hd = Head(t);
    if (hd < static_cast<int>(x.speaker_begin) || hd >= static_cast<int>(x.speaker_end)) { h = t; break; }
  }
  // The quotation's own speaker actor first: "U.S. expert Andreas Kaju" is
  // Kaju, not the U.S.
  if (x.speaker_actor >= 0)
    for (uint32_t t = x.speaker_begin; t < x.speaker_end; ++t)
      if (mention_at_[t] >= 0 &&
          doc_.mentions()[mention_at_[t]].actor == static_cast<uint32_t>(x.speaker_actor)) {
        h = doc_.mentions()[mention_at_[t]].token_end - 1;
        break;
      }
  *a = MakeArg(h);
  a->b = x.speaker_begin;
  a->e = x.speaker_end;
  if (x.speaker_actor >= 0 && a->actor < 0) a->actor = x.speaker_actor;
  return true;
}

EventCoding::Arg EventCoding::MakeArg(uint32_t h) const {
  const Rels& r = R();
  Arg a;
  // The phrase: the head with its modifiers, without clauses, appositions
  // and coordinated phrases.
  auto [lo, hi] = kids_.Span(h, [&](uint32_t t, uint32_t c) {
    const uint8_t rel = Rel(c);
    return rel == r.relcl || rel == r.acl || rel == r.appos || rel == r.punct ||
           rel == r.conj || rel == r.cc || rel == r.advcl || rel == r.parataxis ||
           rel == r.dep || rel == r.nmod_tmod || rel == r.obl_tmod || time_at_[c] >= 0 ||
           (t == h && rel == r.case_);
  });
  if (hi - lo > 12) {  // a long phrase: its head's own words
    lo = h;
    hi = h;
    const int m = mention_at_[h];
    if (m >= 0) {
      lo = doc_.mentions()[m].token_begin;
      hi = doc_.mentions()[m].token_end - 1;
    }
  }
  a.b = lo;
  a.e = hi + 1;
  // The actor: the head's mention, else a person, country or organization
  // named inside the phrase ("Security forces in Guinea", "Turkish police").
  int m = mention_at_[h];
  // The sector a term heading the phrase names ("riot police", "rebels",
  // "opposition groups").
  std::string head_sector;
  auto term_sector = [&](uint32_t b, uint32_t e) {
    for (const KbCandidate& c : kb_->Lookup(doc_, b, e))
      if (c.kind == KbKind::kSector && c.how == KbHow::kTerm) {
        head_sector = std::string(kb_->sector(c.record).id);
        return;
      }
  };
  if (kb_ != nullptr) {
    if (h >= 1 && h - 1 >= lo) term_sector(h - 1, h + 1);
    if (head_sector.empty()) term_sector(h, h + 1);
    for (const uint32_t* c = KidsBegin(h); c != KidsEnd(h) && head_sector.empty(); ++c)
      if (Rel(*c) == r.compound && *c < h) term_sector(*c, *c + 1);
  }
  if (m < 0) {
    // A place after a locative preposition names who a group is ("forces
    // in Guinea"), not whose a thing is ("talks in Moscow").
    std::vector<std::pair<uint32_t, uint32_t>> skip;
    if (head_sector.empty())
      for (const uint32_t* c = KidsBegin(h); c != KidsEnd(h); ++c) {
        if (Rel(*c) != r.nmod) continue;
        const uint64_t prep = PrepOf(*c);
        if (prep == 0) continue;
        uint32_t cb = *c, ce = *c;
        for (const uint32_t* k = KidsBegin(*c); k != KidsEnd(*c); ++k) {
          if (Rel(*k) == r.case_ && IsPlacePrep(LemmaStr(*k))) cb = std::min(cb, *k);
        }
        if (cb == *c) continue;
        std::vector<uint32_t> st = {*c};
        while (!st.empty()) {
          const uint32_t t = st.back();
          st.pop_back();
          ce = std::max(ce, t);
          for (const uint32_t* k = KidsBegin(t); k != KidsEnd(t); ++k) st.push_back(*k);
        }
        skip.push_back({cb, ce});
      }
    for (uint32_t t = lo; t <= hi; ++t) {
      const int k = mention_at_[t];
      if (k < 0) continue;
      bool skipped = false;
      for (const auto& [b, e] : skip) skipped |= t >= b && t <= e;
      if (skipped) continue;
      const Actor& act = doc_.actors()[doc_.mentions()[k].actor];
      if (act.kind == ActorKind::kPlace && m >= 0) continue;
      if (m < 0 || doc_.actors()[doc_.mentions()[m].actor].kind == ActorKind::kPlace) m = k;
    }
  }
  if (m >= 0) {
    const Mention& men = doc_.mentions()[m];
    const Actor& act = doc_.actors()[men.actor];
    a.mention = m;
    a.actor = static_cast<int32_t>(men.actor);
    std::string_view code = !act.cameo.empty() ? doc_.pool(act.cameo) : doc_.pool(act.country);
    if (act.kind == ActorKind::kPerson && code.empty()) code = doc_.pool(act.kb_role_country);
    if (code.empty()) {
      // "Russian President Boris Yeltsin", "the Nigerian Union of Teachers",
      // "Sidhoum, Algeria's leading activist": the country named in the
      // phrase or its apposition.
      uint32_t alo = lo, ahi = hi;
      const int ap = Child(h, r.appos);
      if (ap >= 0 && act.kind == ActorKind::kPerson) {
        alo = std::min(alo, static_cast<uint32_t>(ap));
        ahi = std::max(ahi, std::min<uint32_t>(static_cast<uint32_t>(ap) + 4,
                                               doc_.sentences()[sent_of_[h]].token_end - 1));
      }
      for (uint32_t t = alo; t <= ahi && code.empty(); ++t) {
        const int k = mention_at_[t];
        if (k >= 0 && k != m &&
            doc_.actors()[doc_.mentions()[k].actor].kind == ActorKind::kCountry)
          code = doc_.pool(doc_.actors()[doc_.mentions()[k].actor].country);
      }
    }
    a.code = std::string(code);
    std::string_view sector = !men.sector.empty() ? doc_.pool(men.sector) : doc_.pool(act.sector);
    if (sector.empty() && (men.how == MentionHow::kCapital || men.how == MentionHow::kMetonym))
      sector = "GOV";
    a.sector = std::string(sector);
    if (a.sector.empty() && act.kind == ActorKind::kPerson) {
      if (!act.kb_role.empty()) a.sector = "GOV";
      for (uint32_t t = lo; t <= hi && a.sector.empty(); ++t)
        if (t < men.token_begin && IsGovernmentTitle(AsciiLower(doc_.token_text(t)))) a.sector = "GOV";
    }
  }
  // A sector term as the head ("police", "rebels"): its sector code.
  if (a.sector.empty()) a.sector = head_sector;
  return a;
}

bool EventCoding::IsDateline(uint32_t h) const {
  // "DUSHANBE, June 18 (Wire) —": an upper-case place opening a paragraph,
  // followed shortly by a dash.
  const std::string_view w = doc_.token_text(h);
  if (w.size() < 3) return false;
  for (char c : w)
    if (c >= 'a' && c <= 'z') return false;
  uint32_t par_begin = 0;
  for (const Paragraph& p : doc_.paragraphs())
    if (p.token_begin <= h && h < p.token_end) par_begin = p.token_begin;
  const bool line_start =
      h == par_begin ||
      (h > 0 && doc_.text().substr(toks_[h - 1].end, toks_[h].begin - toks_[h - 1].end)
                        .find('\n') != std::string::npos);
  if (!line_start) return false;
  for (uint32_t t = h + 1; t < toks_.size() && t <= h + 10; ++t) {
    const std::string_view x = doc_.token_text(t);
    if (x == "\u2014" || x == "--" || x == "\u2013" || x == "-") return true;
  }
  return false;
}

void EventCoding::ResolvePronoun(uint32_t h, const Ev& ev, Arg* a) const {
  const Words& w = W();
  const uint64_t l = Lemma(h), norm = toks_[h].norm;
  auto is = [&](uint64_t x) { return l == x || norm == x; };
  // First person in a quotation: its speaker.
  if (is(w.we) || is(w.i) || is(w.us) || is(w.our) || is(NormId("me")) || is(NormId("my"))) {
    SpeakerArg(ev.quote, a);
    return;
  }
  if (!(is(w.it) || is(w.its) || is(w.they) || is(w.their) || is(w.them))) return;
  // "Ukraine is confident that it will ...", "during its offensive, Russia
  // ...": the subject of an enclosing clause that names a group.
  int x = Head(h);
  for (int guard = 0; guard < 5 && x >= 0; ++guard) {
    const int s = Child(static_cast<uint32_t>(x), R().nsubj);
    if (s >= 0 && static_cast<uint32_t>(s) != h && mention_at_[s] < 0 && Pos(s) == Upos::kPROPN) {
      // An organization the linker does not know: "The International
      // Labor Office reiterated its demand".
      const uint32_t b = a->b, e = a->e;
      *a = MakeArg(static_cast<uint32_t>(s));
      a->b = b;
      a->e = e;
      return;
    }
    if (s >= 0 && static_cast<uint32_t>(s) != h && mention_at_[s] >= 0) {
      const Actor& act = doc_.actors()[doc_.mentions()[mention_at_[s]].actor];
      if (act.kind != ActorKind::kPerson && act.kind != ActorKind::kPlace) {
        const uint32_t b = a->b, e = a->e;
        *a = MakeArg(static_cast<uint32_t>(s));
        a->b = b;  // the span stays the pronoun as written
        a->e = e;
        return;
      }
    }
    x = Head(static_cast<uint32_t>(x));
  }
  // "Syria says it is willing ...": a speaker that is a country or group.
  Arg sp;
  if (SpeakerArg(ev.quote, &sp) && sp.actor >= 0 &&
      doc_.actors()[sp.actor].kind != ActorKind::kPerson)
    *a = sp;
}

void EventCoding::AddArgs(uint32_t head, std::vector<Arg>* out, const Ev& ev) const {
  const Rels& r = R();
  std::vector<uint32_t> heads = {head};
  for (const uint32_t* c = KidsBegin(head); c != KidsEnd(head); ++c)
    if (Rel(*c) == r.conj && (Pos(*c) == Upos::kNOUN || Pos(*c) == Upos::kPROPN ||
                              Pos(*c) == Upos::kPRON))
      heads.push_back(*c);
  // "representatives from the United States and Ukraine": the actors
  // coordinated inside a generic head's modifier.
  if (heads.size() == 1 && mention_at_[head] < 0 && Pos(head) == Upos::kNOUN) {
    for (const uint32_t* c = KidsBegin(head); c != KidsEnd(head); ++c) {
      if (Rel(*c) != r.nmod || mention_at_[*c] < 0) continue;
      for (const uint32_t* k = KidsBegin(*c); k != KidsEnd(*c); ++k)
        if (Rel(*k) == r.conj && mention_at_[*k] >= 0) heads.push_back(*k);
      break;
    }
  }
  for (uint32_t h : heads) {
    // A date is no actor ("Tuesday's attack"), nor is a dateline; a date the
    // parse made the head of a name ("The Security Council today") gives
    // way to the name.
    if (IsTemporal(h)) {
      int name = -1;
      for (const uint32_t* c = KidsBegin(h); c != KidsEnd(h) && name < 0; ++c)
        if ((Rel(*c) == r.compound || Rel(*c) == r.nmod) && !IsTemporal(*c) &&
            (Pos(*c) == Upos::kPROPN || Pos(*c) == Upos::kNOUN))
          name = static_cast<int>(*c);
      if (name < 0) continue;
      h = static_cast<uint32_t>(name);
    }
    if (h == ev.trigger || h == ev.anchor || IsDateline(h)) continue;
    Arg a = MakeArg(h);
    if (h != head && mention_at_[h] >= 0 && heads.size() > 1 && mention_at_[head] < 0 &&
        Rel(h) == r.conj && Head(h) != static_cast<int>(head)) {
      // The coordinated actor of a modifier: only its own words.
      const Mention& m = doc_.mentions()[mention_at_[h]];
      a.b = m.token_begin;
      a.e = m.token_end;
    }
    if (a.actor < 0 && Pos(h) == Upos::kPRON) ResolvePronoun(h, ev, &a);
    // Only actors: a phrase with no linked actor, sector or name is not one
    // ("its European Community partners" names one the knowledge base lacks).
    bool named = Pos(h) == Upos::kPROPN;
    for (const uint32_t* c = KidsBegin(h); c != KidsEnd(h) && !named; ++c)
      named = Rel(*c) == r.compound && Pos(*c) == Upos::kPROPN;
    if (a.actor < 0 && a.sector.empty() && !named) continue;
    out->push_back(std::move(a));
  }
}

bool EventCoding::AddTargetPhrase(uint32_t t, Ev* ev) const {
  const Rels& r = R();
  // Whom a quotation is attributed to is not what the event is aimed at.
  if (in_attribution_[t]) return false;
  const size_t before = ev->tgt.size();
  AddArgs(t, &ev->tgt, *ev);
  if (ev->tgt.size() > before) return true;
  // A thing, not an actor: the actor it belongs to or is aimed at ("impose
  // sanctions on Iran", "rejected calls by Belarus's rulers", "protest
  // against Sweden's decision", "a curfew in Algiers").
  for (const uint32_t* k = KidsBegin(t); k != KidsEnd(t); ++k) {
    const uint8_t rel = Rel(*k);
    if (rel != r.nmod && rel != r.nmod_poss && rel != r.amod && rel != r.compound) continue;
    AddArgs(*k, &ev->tgt, *ev);
    while (ev->tgt.size() > before && ev->tgt.back().actor < 0) ev->tgt.pop_back();
    if (ev->tgt.size() > before) return true;
  }
  return false;
}

void EventCoding::FindTargets(uint32_t trig, const Cand& c, const EventPattern& p, Ev* ev) const {
  const Rels& r = R();
  static const std::vector<uint64_t> kDefault = {kTargetObj, NormId("to"), NormId("on"),
                                                 NormId("against"), NormId("with"), kTargetIobj};
  const std::vector<uint64_t>& order = p.target.empty() ? kDefault : p.target;
  // Nodes whose dependents may hold the target: the trigger, and for a noun
  // under a support verb the verb as well.
  std::vector<uint32_t> holders = {trig};
  if (c.container != kNone) holders.push_back(c.container);
  if (c.light != kNone) holders.push_back(c.light);
  // "reach an agreement with X": the constraint's object noun.
  if (c.extra != kNone && Pos(c.extra) == Upos::kNOUN && !p.obj.empty()) holders.push_back(c.extra);
  for (uint64_t want : order) {
    for (uint32_t x : holders) {
      int t = -1;
      if (want == kTargetSubj) continue;  // handled by the caller
      if (want == kTargetObj) {
        if (Pos(x) == Upos::kNOUN) continue;
        t = Child(x, r.obj);
        if (t >= 0 && cands_[t].light == x) t = -1;  // "launch [an attack]"
      } else if (want == kTargetIobj) {
        t = Child(x, r.iobj);
      } else {
        t = PrepChild(x, want);
      }
      if (t < 0 || static_cast<uint32_t>(t) == trig) continue;
      if (Pos(t) == Upos::kVERB) continue;
      if (AddTargetPhrase(static_cast<uint32_t>(t), ev)) return;
    }
  }
}

void EventCoding::FindPlace(Ev* ev) const {
  const Rels& r = R();
  auto place_mention = [&](uint32_t x) -> int {
    const int m = mention_at_[x];
    if (m < 0) return -1;
    const ActorKind k = doc_.actors()[doc_.mentions()[m].actor].kind;
    return k == ActorKind::kPlace || k == ActorKind::kCountry ? m : -1;
  };
  auto is_arg = [&](int m) {
    for (const auto* v : {&ev->src, &ev->tgt})
      for (const Arg& a : *v)
        if (a.mention == m) return true;
    return false;
  };
  std::vector<uint32_t> holders = {ev->trigger};
  if (ev->anchor != ev->trigger) holders.push_back(ev->anchor);
  // Then the object's own place: "attacked positions near Kharkiv".
  for (size_t k = 0, n = holders.size(); k < n; ++k) {
    const int o = Child(holders[k], r.obj);
    if (o >= 0) holders.push_back(static_cast<uint32_t>(o));
  }
  for (uint32_t x : holders) {
    for (const uint32_t* c = KidsBegin(x); c != KidsEnd(x); ++c) {
      if (!IsObl(Rel(*c)) || Rel(*c) == r.advcl) continue;
      int prep = -1;  // the preposition introducing the phrase
      for (const uint32_t* k = KidsBegin(*c); k != KidsEnd(*c) && prep < 0; ++k)
        if (Rel(*k) == r.case_ && *k < *c) prep = static_cast<int>(*k);
      if (prep < 0 || !IsPlacePrep(LemmaStr(static_cast<uint32_t>(prep)))) continue;
      // The phrase's head, or a place inside it ("within its own territory
      // in the Kursk region").
      std::vector<std::pair<uint32_t, int>> queue = {{*c, 0}};
      for (size_t qi = 0; qi < queue.size(); ++qi) {
        const auto [y, depth] = queue[qi];
        int m = place_mention(y);
        if (m < 0) {
          for (const uint32_t* k = KidsBegin(y); k != KidsEnd(y) && m < 0; ++k)
            if (Rel(*k) == r.compound || Rel(*k) == r.amod) m = place_mention(*k);
        }
        if (m >= 0 && !is_arg(m)) {
          ev->location = m;
          return;
        }
        if (depth < 2)
          for (const uint32_t* k = KidsBegin(y); k != KidsEnd(y); ++k)
            if (Rel(*k) == r.nmod) queue.push_back({*k, depth + 1});
      }
    }
  }
  // An attack on a territory happens there.
  if (ev->type == EventType::kAssault || ev->type == EventType::kCoerce) {
    for (const Arg& a : ev->tgt) {
      if (a.mention < 0) continue;
      const Actor& act = doc_.actors()[doc_.mentions()[a.mention].actor];
      bool territory = act.kind == ActorKind::kPlace;
      for (uint32_t t = a.b; t < a.e && !territory; ++t)
        territory = IsTerritoryNoun(LemmaStr(t));
      if (territory) {
        ev->location = a.mention;
        return;
      }
    }
  }
}

void EventCoding::FindTime(Ev* ev) const {
  const Rels& r = R();
  // Breadth-first through the event's own phrases, not into other clauses.
  std::vector<uint32_t> queue = {ev->anchor};
  if (ev->trigger != ev->anchor) queue.push_back(ev->trigger);
  for (size_t qi = 0; qi < queue.size() && qi < 64; ++qi) {
    const uint32_t x = queue[qi];
    if (time_at_[x] >= 0) {
      ev->time = time_at_[x];
      return;
    }
    for (const uint32_t* c = KidsBegin(x); c != KidsEnd(x); ++c) {
      const uint8_t rel = Rel(*c);
      if (rel == r.ccomp || rel == r.advcl || rel == r.relcl || rel == r.parataxis ||
          rel == r.csubj || rel == r.xcomp || rel == r.acl ||
          (rel == r.conj && Pos(*c) == Upos::kVERB) || rel == r.nsubj || rel == r.nsubj_pass)
        continue;
      queue.push_back(*c);
    }
  }
}

void EventCoding::FindModality(Ev* ev) const {
  const Rels& r = R();
  const Words& w = W();
  bool hypo = false, planned = false;
  ev->negated = Negated(ev->trigger) || (ev->anchor != ev->trigger && Negated(ev->anchor)) ||
                cands_[ev->trigger].negated_by_head;
  uint32_t x = ev->anchor;
  // A noun event outside a support verb: its own modifiers, then the clause
  // it is an argument of.
  if (Pos(x) == Upos::kNOUN) {
    for (const uint32_t* c = KidsBegin(x); c != KidsEnd(x); ++c) {
      if (Rel(*c) != r.amod && Rel(*c) != r.compound) continue;
      const uint64_t l = Lemma(*c);
      if (l == w.potential || l == w.possible || l == w.proposed || l == w.hypothetical ||
          l == w.prospective)
        hypo = true;
      if (l == w.planned || l == w.upcoming || l == w.future || l == w.scheduled || l == w.expected)
        planned = true;
    }
    // "before the negotiations": not yet held.
    for (const uint32_t* c = KidsBegin(x); c != KidsEnd(x); ++c)
      if (Rel(*c) == r.case_ && (Lemma(*c) == w.before || Lemma(*c) == w.until)) planned = true;
    // A condition right after a noun the parse does not connect to it:
    // "sanctions ... were waiting if they did not stop".
    const uint32_t se = doc_.sentences()[ev->sentence].token_end;
    for (uint32_t t = x + 1; t < se && t <= x + 12; ++t) {
      if (Rel(t) != r.mark || (Lemma(t) != w.if_ && Lemma(t) != w.unless) || Head(t) < 0) continue;
      const uint32_t clause = static_cast<uint32_t>(Head(t));
      bool inside = false;  // the noun inside the condition itself
      for (int y = static_cast<int>(x), g = 0; y >= 0 && g < 12; y = Head(y), ++g)
        inside |= static_cast<uint32_t>(y) == clause;
      if (!inside) {
        hypo = true;
        ev->conditional = true;
        ev->cond_clause = clause;
      }
      break;
    }
    for (int guard = 0; guard < 3 && Pos(x) == Upos::kNOUN; ++guard) {
      const int h = Head(x);
      if (h < 0) break;
      x = static_cast<uint32_t>(h);
    }
  }
  uint32_t prev = kNone;  // the clause just below x on the way up
  for (int guard = 0; guard < 6; ++guard) {
    for (const uint32_t* c = KidsBegin(x); c != KidsEnd(x); ++c) {
      const uint8_t rel = Rel(*c);
      const uint64_t l = Lemma(*c), norm = toks_[*c].norm;
      if (rel == r.aux) {
        if (l == w.would || l == w.could || l == w.might || l == w.may || l == w.should ||
            l == w.must || norm == w.would || norm == w.could || norm == w.might)
          hypo = true;
        if ((l == w.must || l == w.should) && x == ev->anchor) ev->obligation = true;
        if (l == w.will || l == w.shall || norm == w.ll || norm == w.wo) planned = true;
      } else if (rel == r.mark) {
        // The event is itself the condition ("if the violence continued"):
        // hypothetical, but no threat hangs on it.
        if (l == w.if_ || l == w.unless || l == w.whether) hypo = true;
        if (l == w.before || l == w.until) planned = true;
      } else if (rel == r.advcl && ev->cond_clause == kNone && *c != prev) {
        // "X will act if Y does": the condition hangs from the event's clause.
        for (const uint32_t* k = KidsBegin(*c); k != KidsEnd(*c); ++k)
          if (Rel(*k) == r.mark && (Lemma(*k) == w.if_ || Lemma(*k) == w.unless)) {
            ev->conditional = true;
            ev->cond_clause = *c;
          }
      }
    }
    const int h = Head(x);
    if (h < 0) break;
    const uint8_t rel = Rel(x);
    if (rel == r.xcomp && IsPlanVerb(LemmaStr(static_cast<uint32_t>(h)))) planned = true;
    // The complement of an intent or agreement is yet to happen ("willing to
    // withdraw", "agreed to open"); of a demand, threat or refusal, it may
    // never ("urged them to stop", "threatened to ban", "refused to leave").
    if ((rel == r.xcomp || rel == r.ccomp) && cands_[h].pat >= 0) {
      const EventPattern& hp = lex_.patterns()[cands_[h].pat];
      if (hp.role == EventPattern::Role::kIntent || hp.type == EventType::kAgree) planned = true;
      if (hp.role == EventPattern::Role::kEvent &&
          (hp.type == EventType::kRequest || hp.type == EventType::kThreaten ||
           hp.type == EventType::kReject)) {
        hypo = true;
        ev->governed = true;
      }
    }
    if (rel == r.xcomp && Lemma(static_cast<uint32_t>(h)) == w.going) planned = true;
    if (rel != r.xcomp && rel != r.advcl && rel != r.acl && rel != r.conj && rel != r.csubj &&
        rel != r.nsubj && rel != r.nsubj_pass && rel != r.obj && rel != r.obl)
      break;  // a finite complement ("said that ...") keeps its own modality
    prev = x;
    x = static_cast<uint32_t>(h);
  }
  // A resolved date after the article date.
  if (!planned && !hypo && ev->time >= 0 && !doc_.meta().date.empty()) {
    const ResolvedTime& rt = doc_.times()[ev->time];
    int32_t day = 0;
    if (ParseIsoDay(doc_.meta().date, false, &day) && rt.begin > day) planned = true;
  }
  ev->modality = hypo ? EventModality::kHypothetical
                      : planned ? EventModality::kPlanned : EventModality::kAsserted;
}

float EventCoding::Confidence(const Ev& ev, const EventPattern* p) const {
  float c = 0.4f;
  // The main clause's event over subordinate and coordinated ones.
  int depth = 0;
  for (int x = Head(ev.anchor); x >= 0 && depth < 8; x = Head(static_cast<uint32_t>(x))) ++depth;
  c -= 0.02f * static_cast<float>(std::min(depth, 5));
  auto coded = [](const std::vector<Arg>& v) {
    for (const Arg& a : v)
      if (a.actor >= 0 || !a.code.empty() || !a.sector.empty()) return true;
    return false;
  };
  if (coded(ev.src)) c += 0.2f;
  else if (!ev.src.empty()) c += 0.1f;
  if (coded(ev.tgt)) c += 0.15f;
  else if (!ev.tgt.empty()) c += 0.05f;
  if (Pos(ev.trigger) != Upos::kNOUN || ev.anchor != ev.trigger) c += 0.1f;
  if (p != nullptr && p->specificity > 0) c += 0.05f;
  return std::min(c, 0.95f);
}

void EventCoding::Build() {
  const Rels& r = R();
  const uint32_t n = static_cast<uint32_t>(toks_.size());
  for (uint32_t i = 0; i < n; ++i) {
    const Cand& c = cands_[i];
    if (c.pat < 0) continue;
    const EventPattern& p = lex_.patterns()[c.pat];
    if (p.role == EventPattern::Role::kLight || p.role == EventPattern::Role::kNeg) continue;
    Ev ev;
    ev.type = p.type;
    ev.trigger = i;
    ev.anchor = c.light != kNone ? c.light : i;
    ev.sentence = sent_of_[i];
    ev.tb = i;
    ev.te = i + 1;
    if (c.extra != kNone && c.extra > i && c.extra <= i + 3) ev.te = c.extra + 1;
    if (c.extra != kNone && c.extra < i && c.extra + 2 >= i) ev.tb = c.extra;
    if (c.light != kNone && c.light < ev.tb && c.light + 6 >= i) ev.tb = c.light;
    ev.quote = quote_at_[i];
    // A quotation's speaker ("according to a press release by X") reports
    // events; it is none.
    if (in_attribution_[i]) continue;
    int intent_comp = -1;
    ev.mode = p.mode;
    ev.context = p.context;
    ev.cameo = p.cameo;
    // Intent: the complement decides AGREE or THREATEN, and is kept as a
    // planned child event.
    if (p.role == EventPattern::Role::kIntent) {
      int comp = Child(i, r.xcomp);
      if (comp < 0) comp = Child(i, r.ccomp);
      if (comp < 0) comp = Child(i, r.obj);
      if (comp < 0) continue;
      const Cand& cc = cands_[comp];
      EventType inner = EventType::kNone;
      if (cc.pat >= 0) {
        const EventPattern& q = lex_.patterns()[cc.pat];
        if (q.role == EventPattern::Role::kEvent) inner = q.type;
      } else {
        // "vowed to launch an attack": the support verb's event noun.
        for (const uint32_t* k = KidsBegin(comp); k != KidsEnd(comp); ++k)
          if (cands_[*k].light == static_cast<uint32_t>(comp))
            inner = lex_.patterns()[cands_[*k].pat].type;
      }
      if (IsHostile(inner)) {
        ev.type = EventType::kThreaten;
        ev.cameo = std::string(ThreatCameo(inner));
        ev.mode.clear();
      }
      ev.te = std::max<uint32_t>(ev.te, static_cast<uint32_t>(comp) + 1 <= i + 4
                                            ? static_cast<uint32_t>(comp) + 1 : ev.te);
      intent_comp = comp;
    }
    // Source.
    const uint32_t a = ev.anchor;
    if (Pos(a) == Upos::kNOUN) {
      int s = Child(a, r.nmod_poss);
      if (s < 0) s = AgentOf(a);
      if (s < 0)
        for (const uint32_t* k = KidsBegin(a); k != KidsEnd(a) && s < 0; ++k)
          if ((Rel(*k) == r.amod || Rel(*k) == r.compound) && mention_at_[*k] >= 0 &&
              doc_.actors()[doc_.mentions()[mention_at_[*k]].actor].kind != ActorKind::kPlace)
            s = static_cast<int>(*k);
      if (s >= 0) AddArgs(static_cast<uint32_t>(s), &ev.src, ev);
      // "returned to Geneva for talks", "wounded two soldiers in a bomb
      // attack": a noun hanging from a verb is its subject's doing.
      if (ev.src.empty() && Rel(a) == r.obl && Head(a) >= 0 &&
          Pos(static_cast<uint32_t>(Head(a))) == Upos::kVERB) {
        const int hs = SubjectOf(static_cast<uint32_t>(Head(a)));
        if (hs >= 0) AddArgs(static_cast<uint32_t>(hs), &ev.src, ev);
      }
      // "talks between A and B".
      int btw = PrepChild(a, W().between);
      if (btw < 0 && c.container != kNone) btw = PrepChild(c.container, W().between);
      if (btw >= 0) {
        std::vector<Arg> both;
        AddArgs(static_cast<uint32_t>(btw), &both, ev);
        if (both.size() >= 2 && ev.src.empty()) {
          ev.src.push_back(both[0]);
          ev.tgt.assign(both.begin() + 1, both.end());
        } else if (!both.empty()) {
          (ev.src.empty() ? ev.src : ev.tgt).push_back(both[0]);
        }
      }
    } else if (!p.target.empty() && p.target[0] == kTargetSubj) {
      // "Ukraine received aid from the US": the subject is the target and
      // the giver, if named, the source.
      const int t = SubjectOf(a);
      if (t >= 0) AddArgs(static_cast<uint32_t>(t), &ev.tgt, ev);
      int s = PrepChild(a, NormId("from"));
      if (s < 0 && c.extra != kNone) s = PrepChild(c.extra, NormId("from"));
      if (s >= 0) AddArgs(static_cast<uint32_t>(s), &ev.src, ev);
    } else {
      // "Vietnam is committed to ...": an intent's passive subject holds it.
      const bool passive =
          Child(a, r.nsubj_pass) >= 0 && p.role != EventPattern::Role::kIntent;
      const int s = passive ? AgentOf(a)
                  : p.role == EventPattern::Role::kIntent && Child(a, r.nsubj_pass) >= 0
                      ? Child(a, r.nsubj_pass) : SubjectOf(a);
      if (s >= 0) AddArgs(static_cast<uint32_t>(s), &ev.src, ev);
      if (passive) {
        const int t = Child(a, r.nsubj_pass);
        if (static_cast<uint32_t>(t) != c.extra) AddArgs(static_cast<uint32_t>(t), &ev.tgt, ev);
      }
    }
    if (ev.tgt.empty() && (p.target.empty() || p.target[0] != kTargetSubj))
      FindTargets(i, c, p, &ev);
    // A purpose clause or phrase names the target: "began a hunger strike to
    // protest against X", "opened fire to disperse X", "in protest of X".
    if (ev.tgt.empty()) {
      for (uint32_t holder : {a, i}) {
        for (const uint32_t* k = KidsBegin(holder); k != KidsEnd(holder) && ev.tgt.empty(); ++k) {
          const uint8_t rel = Rel(*k);
          if ((rel != r.advcl && rel != r.xcomp && rel != r.obl && rel != r.acl) || *k < holder)
            continue;
          const Cand& kc = cands_[*k];
          if (kc.pat < 0 || lex_.patterns()[kc.pat].role != EventPattern::Role::kEvent) continue;
          FindTargets(*k, kc, lex_.patterns()[kc.pat], &ev);
        }
        if (!ev.tgt.empty() || holder == i) break;
      }
    }
    // A protest is aimed at the actor its purpose or occasion names: "blocked
    // a road to show their disapproval of the United States' policies",
    // "rioted following a demonstration calling for Mubarak's removal".
    if (ev.tgt.empty() && ev.type == EventType::kProtest) {
      std::vector<std::pair<uint32_t, int>> queue;
      for (uint32_t holder : {a, i})
        for (const uint32_t* k = KidsBegin(holder); k != KidsEnd(holder); ++k)
          if ((Rel(*k) == r.advcl || Rel(*k) == r.xcomp || Rel(*k) == r.acl || Rel(*k) == r.obl) &&
              *k > holder)
            queue.push_back({*k, 0});
      for (size_t qi = 0; qi < queue.size() && ev.tgt.empty(); ++qi) {
        const auto [y, depth] = queue[qi];
        const int m = mention_at_[y];
        if (m >= 0 && !in_attribution_[y] &&
            doc_.actors()[doc_.mentions()[m].actor].kind != ActorKind::kPlace) {
          bool source = false;
          for (const Arg& s : ev.src) source |= s.actor == static_cast<int32_t>(doc_.mentions()[m].actor);
          if (!source) AddArgs(y, &ev.tgt, ev);
        }
        if (depth < 3)
          for (const uint32_t* k = KidsBegin(y); k != KidsEnd(y); ++k)
            if (Rel(*k) != r.punct && Rel(*k) != r.conj) queue.push_back({*k, depth + 1});
      }
    }
    // An intent is aimed where its complement is: "offered to hand over to
    // Britain", "willing to withdraw from Lebanon".
    if (ev.tgt.empty() && intent_comp >= 0) {
      const uint32_t k = static_cast<uint32_t>(intent_comp);
      const Cand& kc = cands_[k];
      static const EventPattern kNoPattern;
      const EventPattern& kp = kc.pat >= 0 && lex_.patterns()[kc.pat].role == EventPattern::Role::kEvent
                                   ? lex_.patterns()[kc.pat] : kNoPattern;
      FindTargets(k, kc, kp, &ev);
    }
    // A demand, rejection or accusation aimed through its complement:
    // "demanded that the US cancel ...", "urged Iran to stop".
    if (ev.tgt.empty() && Pos(a) != Upos::kNOUN && IsVerbal(ev.type)) {
      int comp = Child(a, r.ccomp);
      if (comp < 0) comp = Child(a, r.xcomp);
      if (comp >= 0 && static_cast<uint32_t>(comp) > a) {
        const int t = Child(static_cast<uint32_t>(comp), r.nsubj);
        if (t >= 0 && Pos(t) != Upos::kPRON) AddArgs(static_cast<uint32_t>(t), &ev.tgt, ev);
        const int o = Child(static_cast<uint32_t>(comp), r.obj);
        if (ev.tgt.empty() && o >= 0 && Pos(o) != Upos::kPRON)
          AddTargetPhrase(static_cast<uint32_t>(o), &ev);
      }
    }
    // PLOVER codes a visit with the visitor as actor and the host as
    // recipient: "Yeltsin hosted Hashimoto" is Hashimoto visiting Yeltsin.
    if (ev.type == EventType::kConsult && p.cameo == "043" && !ev.tgt.empty()) std::swap(ev.src, ev.tgt);
    // Dyadic types with two actors as the subject: "A and B met".
    if (ev.tgt.empty() && ev.src.size() >= 2 &&
        (ev.type == EventType::kConsult || ev.type == EventType::kAgree ||
         ev.type == EventType::kCooperate)) {
      ev.tgt.assign(ev.src.begin() + 1, ev.src.end());
      ev.src.resize(1);
    }
    FindTime(&ev);
    FindModality(&ev);
    // "will not accept", "failed to reach agreement": a refusal (CAMEO 12).
    if (ev.negated &&
        (ev.type == EventType::kAgree || ev.type == EventType::kSupport ||
         ev.type == EventType::kConcede)) {
      ev.type = EventType::kReject;
      ev.cameo = "120";
      ev.mode.clear();
      ev.negated = false;
    }
    FindPlace(&ev);
    ev.confidence = Confidence(ev, &p);
    // Without actors an event is kept only for Statements() to turn into
    // its speaker's threat; Store() drops it otherwise.
    if (ev.src.empty() && ev.tgt.empty() && ev.quote < 0) continue;
    evs_.push_back(std::move(ev));
    // The intent's complement, as a planned child event, is built when its
    // own trigger is reached; its parent is found in Parents().
  }
}

// A statement event about e, reported by e's quotation: same sentence,
// trigger, clause and context; type, actors and confidence left to the caller.
EventCoding::Ev EventCoding::StatementAbout(const Ev& e) {
  Ev d;
  d.context = e.context;
  d.sentence = e.sentence;
  d.tb = e.tb;
  d.te = e.te;
  d.trigger = e.trigger;
  d.anchor = e.anchor;
  d.quote = e.quote;
  d.derived = true;
  return d;
}

// A speaker announcing its own future or conditional act states an intent:
// AGREE for cooperation, THREATEN for a hostile act or one made conditional
// with "unless"; a hostile act a speaker makes conditional is a threat.
void EventCoding::Statements() {
  const size_t n = evs_.size();
  for (size_t i = 0; i < n; ++i) {
    Ev& e = evs_[i];
    // The act a demand, threat or refusal is about is that event's business.
    if (e.quote < 0 || e.negated || e.governed) continue;
    const Quote& q = doc_.quotes()[e.quote];
    const bool future = e.modality != EventModality::kAsserted;
    if (!future) continue;
    // The act must be the speaker's own, or a hostile act on condition.
    bool own = false;
    for (const Arg& a : e.src) {
      own |= a.actor >= 0 && a.actor == q.speaker_actor;
      own |= a.b >= q.speaker_begin && a.e <= q.speaker_end && q.speaker_end > q.speaker_begin;
    }
    const bool hostile = IsHostile(e.type);
    const bool clause = Pos(e.trigger) != Upos::kNOUN || e.anchor != e.trigger;
    // "Russia said Sudan must return the helicopter": a demand on Sudan.
    if (e.obligation && !own && clause && !e.src.empty()) {
      Ev d = StatementAbout(e);
      if (!SpeakerArg(e.quote, &d.src.emplace_back())) continue;
      d.type = EventType::kRequest;
      d.cameo = "100";
      d.tgt = e.src;
      d.confidence = std::min(0.95f, Confidence(d, nullptr) + 0.05f);
      e.parent = static_cast<int32_t>(evs_.size());
      e.confidence *= 0.9f;
      evs_.push_back(std::move(d));
      continue;
    }
    if (IsVerbal(e.type) && e.type != EventType::kSupport) continue;
    if (!(own && clause) && !(hostile && e.conditional)) continue;
    bool unless = false;
    if (e.cond_clause != kNone)
      for (const uint32_t* k = KidsBegin(e.cond_clause); k != KidsEnd(e.cond_clause); ++k)
        unless |= Rel(*k) == R().mark && Lemma(*k) == W().unless;
    Ev d = StatementAbout(e);
    d.conditional = e.conditional;
    d.type = hostile || unless ? EventType::kThreaten : EventType::kAgree;
    d.cameo = d.type == EventType::kThreaten ? std::string(ThreatCameo(e.type)) : "030";
    Arg sp;
    if (!SpeakerArg(e.quote, &sp)) continue;
    // "a spokesperson said Brussels would suspend aid if ...": Brussels
    // threatens; with no actor of its own, the speaker does.
    bool has_actor = false;
    for (const Arg& a : e.src) has_actor |= a.actor >= 0;
    if (has_actor && !own) d.src = e.src;
    else d.src.push_back(sp);
    d.tgt = e.tgt;
    // "... if the Russians did not stop": the one the condition is put to.
    if (d.tgt.empty() && e.cond_clause != kNone) {
      const int s = Child(e.cond_clause, R().nsubj);
      if (s >= 0) AddArgs(static_cast<uint32_t>(s), &d.tgt, d);
    }
    d.confidence = std::min(0.95f, std::max(e.confidence, Confidence(d, nullptr)) + 0.05f);
    e.parent = static_cast<int32_t>(evs_.size());
    e.confidence *= 0.9f;
    evs_.push_back(std::move(d));
  }
}

// "The Red Cross said US forces must ensure security": a clause of
// obligation on another actor, inside a quotation, with no event of its own,
// is a demand by the speaker.
void EventCoding::Obligations() {
  const Words& w = W();
  std::vector<uint8_t> anchored(toks_.size(), 0);
  for (const Ev& e : evs_) anchored[e.anchor] = anchored[e.trigger] = 1;
  for (uint32_t v = 0; v < toks_.size(); ++v) {
    if (Pos(v) != Upos::kVERB || anchored[v] || quote_at_[v] < 0 || in_attribution_[v]) continue;
    bool must = false;
    for (const uint32_t* c = KidsBegin(v); c != KidsEnd(v); ++c)
      must |= Rel(*c) == R().aux && (Lemma(*c) == w.must || Lemma(*c) == w.should);
    if (!must || Negated(v)) continue;
    const int s = Child(v, R().nsubj);
    if (s < 0) continue;
    Ev d;
    d.trigger = d.anchor = v;
    d.quote = quote_at_[v];
    AddArgs(static_cast<uint32_t>(s), &d.tgt, d);
    if (d.tgt.empty()) continue;
    if (!SpeakerArg(d.quote, &d.src.emplace_back())) continue;
    const Quote& q = doc_.quotes()[d.quote];
    bool own = false;
    for (const Arg& a : d.tgt) own |= a.actor >= 0 && a.actor == q.speaker_actor;
    if (own) continue;
    d.type = EventType::kRequest;
    d.cameo = "100";
    d.sentence = sent_of_[v];
    d.tb = v;
    d.te = v + 1;
    for (const uint32_t* c = KidsBegin(v); c != KidsEnd(v); ++c)
      if (Rel(*c) == R().aux && *c < v && *c + 3 >= v) d.tb = std::min(d.tb, *c);
    d.derived = true;
    d.confidence = Confidence(d, nullptr);
    evs_.push_back(std::move(d));
  }
}

// Each event's parent: the nearest event whose trigger or support verb
// dominates its trigger in the same sentence.
void EventCoding::Parents() {
  std::vector<int32_t> ev_at(toks_.size(), -1);
  for (size_t i = 0; i < evs_.size(); ++i) {
    const Ev& e = evs_[i];
    if (e.parent >= 0) continue;  // a derived event's child
    for (uint32_t t : {e.trigger, e.anchor}) {
      // Prefer a statement derived from this one over the event itself.
      if (ev_at[t] < 0 || evs_[ev_at[t]].confidence < e.confidence) ev_at[t] = static_cast<int32_t>(i);
    }
  }
  for (size_t i = 0; i < evs_.size(); ++i) {
    Ev& e = evs_[i];
    if (e.parent >= 0) continue;
    // A statement hangs where its quotation's cue does: "staged rallies
    // against X, saying he must resign".
    int x = Head(e.anchor);
    if (e.derived) {
      if (e.quote < 0) continue;
      const Quote& q = doc_.quotes()[e.quote];
      if (q.cue_end <= q.cue_begin) continue;
      x = Head(q.cue_begin);
    }
    for (int guard = 0; guard < 10 && x >= 0; ++guard) {
      const int j = ev_at[x];
      if (j >= 0 && static_cast<size_t>(j) != i && evs_[j].sentence == e.sentence &&
          evs_[j].parent != static_cast<int32_t>(i)) {
        e.parent = j;
        e.confidence = std::min(e.confidence, evs_[j].confidence * 0.95f);
        break;
      }
      x = Head(x);
    }
  }
}

void EventCoding::Store() {
  // Order by (sentence, trigger, derived first); remap parents.
  std::vector<size_t> order(evs_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Ev& x = evs_[a];
    const Ev& y = evs_[b];
    if (x.sentence != y.sentence) return x.sentence < y.sentence;
    if (x.tb != y.tb) return x.tb < y.tb;
    return x.parent < 0 && y.parent >= 0;
  });
  order.erase(std::remove_if(order.begin(), order.end(),
                             [&](size_t i) { return evs_[i].src.empty() && evs_[i].tgt.empty(); }),
              order.end());
  std::vector<int32_t> new_index(evs_.size(), -1);
  for (size_t k = 0; k < order.size(); ++k) new_index[order[k]] = static_cast<int32_t>(k);
  auto& events = doc_.events();
  auto& args = doc_.event_args();
  events.clear();
  args.clear();
  auto store_args = [&](const std::vector<Arg>& v, uint32_t* b, uint32_t* e) {
    *b = static_cast<uint32_t>(args.size());
    for (const Arg& a : v) {
      EventArg x;
      x.token_begin = a.b;
      x.token_end = a.e;
      x.actor = a.actor;
      if (!a.code.empty()) x.code = doc_.AddToPool(a.code);
      if (!a.sector.empty()) x.sector = doc_.AddToPool(a.sector);
      args.push_back(x);
    }
    *e = static_cast<uint32_t>(args.size());
  };
  for (size_t k = 0; k < order.size(); ++k) {
    const Ev& x = evs_[order[k]];
    Event e;
    e.type = x.type;
    e.modality = x.modality;
    e.negated = x.negated;
    e.conditional = x.conditional;
    e.sentence = x.sentence;
    e.trigger_begin = x.tb;
    e.trigger_end = x.te;
    store_args(x.src, &e.source_begin, &e.source_end);
    store_args(x.tgt, &e.target_begin, &e.target_end);
    e.location = x.location;
    e.time = x.time;
    e.quote = x.quote;
    e.parent = x.parent >= 0 ? new_index[x.parent] : -1;
    if (!x.mode.empty()) e.mode = doc_.AddToPool(x.mode);
    if (!x.context.empty()) e.context = doc_.AddToPool(x.context);
    if (!x.cameo.empty()) e.cameo = doc_.AddToPool(x.cameo);
    e.confidence = std::max(0.05f, std::min(x.confidence, 1.0f));
    events.push_back(e);
  }
}

void EventCoding::Run() {
  doc_.events().clear();
  doc_.event_args().clear();
  if (!Syntax() || toks_.empty()) return;
  Prepare();
  FindCandidates();
  Build();
  Statements();
  Obligations();
  Parents();
  Store();
}

void EventCoder::Code(Document* doc, const KnowledgeBase* kb) const {
  EventCoding(*lexicon_, kb, doc).Run();
}

}  // namespace sitrep
