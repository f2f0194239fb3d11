#include "sitrep/quotes.h"

#include "extract/parse_index.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sitrep {

std::string_view QuoteKindName(QuoteKind kind) {
  switch (kind) {
    case QuoteKind::kDirect: return "direct";
    case QuoteKind::kIndirect: return "indirect";
    case QuoteKind::kMixed: return "mixed";
  }
  return "direct";
}

std::string_view SpeakerTypeName(SpeakerType type) {
  switch (type) {
    case SpeakerType::kNone: return "none";
    case SpeakerType::kNamed: return "named";
    case SpeakerType::kPronoun: return "pronoun";
    case SpeakerType::kNominal: return "nominal";
    case SpeakerType::kAnonymous: return "anonymous";
    case SpeakerType::kOrganization: return "organization";
    case SpeakerType::kCountry: return "country";
  }
  return "none";
}

namespace {

// Dependency relation ids used below.
struct Rels {
  uint8_t cc, nsubj, nsubj_pass, csubj, ccomp, parataxis, mark, case_, fixed, obl, obl_agent, nmod,
      poss, appos, relcl, acl, conj, xcomp, punct, expl, obj, iobj, advcl, root, dep, compound_,
      flat;
};
const Rels& R() {
  static const Rels r = {
      DeprelFromName("cc"),     DeprelFromName("nsubj"),  DeprelFromName("nsubj:pass"), DeprelFromName("csubj"),
      DeprelFromName("ccomp"),  DeprelFromName("parataxis"),  DeprelFromName("mark"),
      DeprelFromName("case"),   DeprelFromName("fixed"),      DeprelFromName("obl"),
      DeprelFromName("obl:agent"), DeprelFromName("nmod"),    DeprelFromName("nmod:poss"),
      DeprelFromName("appos"),  DeprelFromName("acl:relcl"),  DeprelFromName("acl"),
      DeprelFromName("conj"),   DeprelFromName("xcomp"),      DeprelFromName("punct"),
      DeprelFromName("expl"),   DeprelFromName("obj"),        DeprelFromName("iobj"),
      DeprelFromName("advcl"),  DeprelFromName("root"),       DeprelFromName("dep"),
      DeprelFromName("compound"), DeprelFromName("flat")};
  return r;
}

// Norm ids of the few words the rules look at.
struct Words {
  uint64_t who, that, according, to, by, it, i, we, me, us, he, she, they, colon, comma, dash,
      period, excl, quest, semicolon, lparen, rparen;
};
const Words& W() {
  static const Words w = {NormId("who"), NormId("that"), NormId("according"), NormId("to"), NormId("by"),
                          NormId("it"),   NormId("i"),         NormId("we"), NormId("me"),
                          NormId("us"),   NormId("he"),        NormId("she"), NormId("they"),
                          NormId(":"),    NormId(","),         NormId("--"), NormId("."),
                          NormId("!"),    NormId("?"),         NormId(";"),  NormId("("),
                          NormId(")")};
  return w;
}

// Head lemmas of speakers who are not named: "officials said", "a source
// close to the talks said".
bool IsAnonymousHead(std::string_view lemma) {
  static const char* const kWords[] = {
      "official", "source", "spokesman", "spokeswoman", "spokesperson", "aide", "adviser",
      "advisor", "diplomat", "insider", "person", "people", "analyst", "observer", "witness",
      "resident", "expert", "critic", "staffer", "lawmaker", "member", "officer", "investigator",
      "authority", "someone", "somebody", "representative", "participant", "activist",
      "employee", "worker", "negotiator", "commander", "soldier", "leader", "executive"};
  for (const char* w : kWords)
    if (lemma == w) return true;
  return false;
}

// Head lemmas of speakers that are institutions: "the ministry said".
bool IsOrganizationHead(std::string_view lemma) {
  static const char* const kWords[] = {
      "ministry", "government", "department", "agency", "company", "campaign", "committee",
      "office", "police", "army", "military", "administration", "council", "party",
      "commission", "court", "parliament", "embassy", "organization", "organisation", "union",
      "firm", "bank", "network", "newspaper", "paper", "board", "team", "service", "coalition",
      "alliance", "kremlin", "pentagon", "cabinet", "presidency", "command", "group", "study",
      "report", "survey", "poll", "statement"};
  for (const char* w : kWords)
    if (lemma == w) return true;
  return false;
}

// Days and months, which the tagger often makes proper nouns; they say nothing.
bool IsCalendarWord(std::string_view lower) {
  static const char* const kWords[] = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
      "february", "march", "april", "may", "june", "july", "august", "september", "october",
      "november", "december", "today", "yesterday", "tomorrow", "tonight"};
  for (const char* w : kWords)
    if (lower == w) return true;
  return false;
}

// Words before a quoted span that make it a title, not speech.
bool IsTitleWord(std::string_view lower) {
  static const char* const kWords[] = {
      "titled", "entitled", "dubbed", "nicknamed", "named", "book", "film", "movie", "song",
      "album", "show", "series", "play", "novel", "article", "column", "headline", "slogan",
      "hashtag", "program", "programme", "documentary", "podcast", "poem", "operation",
      "exercise", "campaign", "magazine", "newspaper", "memoir", "essay", "report", "doctrine",
      "plan", "initiative", "called", "so-called", "known"};
  for (const char* w : kWords)
    if (lower == w) return true;
  return false;
}

bool IsDoubleMark(std::string_view t) {
  return t == "\"" || t == "\u201C" || t == "\u201D" || t == "\u201E" || t == "\u00AB" ||
         t == "\u00BB" || t == "''" || t == "``";
}

constexpr uint32_t kNone = UINT32_MAX;
// A quotation with no cue continues the speaker of a quotation this many
// paragraphs before it at most.
constexpr uint32_t kContinuePars = 2;

}  // namespace

// ---------------------------------------------------------------------------
// Lexicon

Result<std::unique_ptr<QuoteExtractor>> QuoteExtractor::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read the quotation cue lexicon");
  std::stringstream ss;
  ss << in.rdbuf();
  return FromText(ss.str(), path);
}

Result<std::unique_ptr<QuoteExtractor>> QuoteExtractor::FromText(std::string_view text,
                                                                 std::string_view name) {
  std::unique_ptr<QuoteExtractor> q(new QuoteExtractor);
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos
                                                                         : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    auto where = [&](const std::string& why) {
      return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line_no) + ": " +
                                     why);
    };
    std::vector<std::string_view> f = SplitOn(line, '\t');
    if (f.size() != 4)
      return where("expected 4 tab-separated columns (lemma, pos, kind, weight), found " +
                   std::to_string(f.size()));
    QuoteCue cue;
    cue.lemma = AsciiLower(f[0]);
    if (cue.lemma.empty() || cue.lemma.front() == ' ' || cue.lemma.back() == ' ')
      return where("empty lemma or stray space");
    cue.pos = UposFromName(f[1]);
    if (cue.pos != Upos::kVERB && cue.pos != Upos::kNOUN && cue.pos != Upos::kADP)
      return where("part of speech must be VERB, NOUN or ADP, not '" + std::string(f[1]) + "'");
    if (f[2] == "verb") cue.kind = QuoteCue::Kind::kVerb;
    else if (f[2] == "noun") cue.kind = QuoteCue::Kind::kNoun;
    else if (f[2] == "phrase") cue.kind = QuoteCue::Kind::kPhrase;
    else if (f[2] == "object") cue.kind = QuoteCue::Kind::kObject;
    else return where("kind must be verb, noun, phrase or object, not '" + std::string(f[2]) + "'");
    const bool multiword = cue.lemma.find(' ') != std::string::npos;
    if (multiword != (cue.kind == QuoteCue::Kind::kPhrase))
      return where("a phrase has several words and a verb or noun one");
    if (((cue.kind == QuoteCue::Kind::kVerb || cue.kind == QuoteCue::Kind::kObject) &&
         cue.pos != Upos::kVERB) ||
        (cue.kind == QuoteCue::Kind::kNoun && cue.pos != Upos::kNOUN))
      return where("kind and part of speech disagree");
    char* endp = nullptr;
    std::string w(f[3]);
    cue.weight = std::strtof(w.c_str(), &endp);
    if (w.empty() || endp != w.c_str() + w.size() || !(cue.weight > 0.0f && cue.weight <= 1.0f))
      return where("weight must be a number in (0, 1], not '" + w + "'");
    const int index = static_cast<int>(q->cues_.size());
    if (cue.kind == QuoteCue::Kind::kPhrase) {
      Phrase p;
      p.cue = index;
      size_t a = 0;
      while (a < cue.lemma.size()) {
        size_t b = cue.lemma.find(' ', a);
        if (b == std::string::npos) b = cue.lemma.size();
        if (b > a) p.words.push_back(NormId(std::string_view(cue.lemma).substr(a, b - a)));
        a = b + 1;
      }
      for (const Phrase& other : q->phrases_)
        if (other.words == p.words) return where("duplicate phrase '" + cue.lemma + "'");
      q->phrases_.push_back(std::move(p));
    } else {
      auto& map = cue.kind == QuoteCue::Kind::kNoun ? q->nouns_ : q->verbs_;
      if (!map.emplace(NormId(cue.lemma), index).second)
        return where("duplicate " + std::string(f[2]) + " '" + cue.lemma + "'");
    }
    q->cues_.push_back(std::move(cue));
  }
  if (q->cues_.empty()) return Status::InvalidArgument(std::string(name) + ": no cues");
  return q;
}

int QuoteExtractor::FindWordCue(std::string_view lemma, QuoteCue::Kind kind) const {
  const auto& map = kind == QuoteCue::Kind::kVerb ? verbs_ : nouns_;
  auto it = map.find(NormId(lemma));
  return it == map.end() ? -1 : it->second;
}

// ---------------------------------------------------------------------------
// Extraction: per-call state.

class QuoteExtraction {
 public:
  QuoteExtraction(const QuoteExtractor& x, Document* doc)
      : x_(x), doc_(*doc), toks_(doc->tokens()),
        syntax_(doc->tags().size() == doc->tokens().size() &&
                doc->deps().size() == doc->tokens().size()) {}

  void Run();

 private:
  // A span between quotation marks: marks at `open` and `close` (kNone when
  // closed by the end of a paragraph), content tokens [begin, end).
  struct QSpan {
    uint32_t open = 0, close = kNone, begin = 0, end = 0;
    int outer = -1;     // enclosing span
    bool used = false;  // part of a quotation already
    // Found no attribution next to it; what EmitUnattributed needs.
    bool pending = false, title_case = false, terminal_inside = false, lower_start = false;
    uint32_t words = 0;
  };

  void Prepare();
  void FindSpans();
  void AttributeDirect();
  void FindIndirect();
  void EmitUnattributed();
  // True when a reporting verb follows the span's closing mark closely.
  bool HasRightCue(const QSpan& s, uint32_t par_end) const;
  void Finish();

  // Helpers over tokens and the parse.
  const Token& T(uint32_t i) const { return toks_[i]; }
  uint64_t Norm(uint32_t i) const { return toks_[i].norm; }
  bool IsWord(uint32_t i) const {
    const TokenKind k = toks_[i].kind;
    return k == TokenKind::kWord || k == TokenKind::kNumber || k == TokenKind::kAbbreviation;
  }
  bool IsPunct(uint32_t i) const { return toks_[i].kind == TokenKind::kPunct; }
  bool IsTerminal(uint32_t i) const {
    const uint64_t n = Norm(i);
    return n == W().period || n == W().excl || n == W().quest;
  }
  Upos Pos(uint32_t i) const { return syntax_ ? doc_.tags()[i].upos : Upos::kNone; }
  int Head(uint32_t i) const { return syntax_ ? doc_.deps()[i].head : -1; }
  uint8_t Rel(uint32_t i) const { return syntax_ ? doc_.deps()[i].deprel : 0; }
  std::string LemmaLower(uint32_t i) const {
    return AsciiLower(syntax_ ? doc_.lemma(i) : doc_.token_text(i));
  }
  // Children of token i, in order.
  const uint32_t* ChildBegin(uint32_t i) const { return kids_.begin(i); }
  const uint32_t* ChildEnd(uint32_t i) const { return kids_.end(i); }
  int Child(uint32_t i, uint8_t rel) const {
    for (const uint32_t* c = ChildBegin(i); c != ChildEnd(i); ++c)
      if (Rel(*c) == rel) return static_cast<int>(*c);
    return -1;
  }
  // [first, last] tokens of the subtree of i, skipping children whose
  // relation is in `skip` (and their subtrees).
  std::pair<uint32_t, uint32_t> Subtree(uint32_t i, std::initializer_list<uint8_t> skip = {}) const;
  bool Dominates(uint32_t h, uint32_t x) const {
    for (size_t guard = 0; guard <= toks_.size(); ++guard) {
      if (x == h) return true;
      const int p = Head(x);
      if (p < 0) return false;
      x = static_cast<uint32_t>(p);
    }
    return false;
  }
  // The cue lexicon entry a verb or noun at i names, or -1.
  int WordCue(uint32_t i) const;
  // The phrase cue starting at i ("according to"): its index in cues, and
  // the number of tokens it covers in *len; -1 if none.
  int PhraseCue(uint32_t i, uint32_t* len) const;
  // The speaker head of cue verb c: its subject, the agent of a passive,
  // the subject of the verb it is coordinated with; -1 if none.
  int SpeakerOf(uint32_t c) const;
  // The head of the nearest noun phrase that can speak (a mention, a proper
  // noun, a third-person pronoun) to cue c within its sentence, outside
  // [b, e) and [b2, e2): first before c, then after it; -1 if none.
  int NearbySpeaker(uint32_t c, uint32_t b, uint32_t e, uint32_t b2, uint32_t e2) const;
  // Fills the speaker fields of q from speaker head h.
  void SetSpeaker(Quote* q, uint32_t h, bool in_quote_of_other) const;
  // Trims [*b, *e) of punctuation at both ends and a leading "that".
  void Trim(uint32_t* b, uint32_t* e) const;
  bool InsideAttributedDirect(uint32_t b, uint32_t e) const;

  const QuoteExtractor& x_;
  Document& doc_;
  const std::vector<Token>& toks_;
  const bool syntax_;
  std::vector<uint32_t> sent_of_, par_of_;
  ChildIndex kids_;
  std::vector<int32_t> mention_at_;  // token -> index into mentions(), or -1
  std::vector<uint8_t> cue_used_;
  std::vector<QSpan> spans_;
  std::vector<Quote> out_;
  std::vector<int> out_span_;  // for each out_ entry: its span (direct), or -1
};

std::pair<uint32_t, uint32_t> QuoteExtraction::Subtree(uint32_t i,
                                                       std::initializer_list<uint8_t> skip) const {
  return kids_.Span(i, [&](uint32_t t, uint32_t c) {
    if (t != i) return false;
    for (uint8_t r : skip)
      if (Rel(c) == r) return true;
    return false;
  });
}

int QuoteExtraction::WordCue(uint32_t i) const {
  if (!syntax_ || !IsWord(i)) return -1;
  const Upos p = Pos(i);
  if (p == Upos::kVERB) return x_.FindWordCue(LemmaLower(i), QuoteCue::Kind::kVerb);
  if (p == Upos::kNOUN) return x_.FindWordCue(LemmaLower(i), QuoteCue::Kind::kNoun);
  return -1;
}

int QuoteExtraction::PhraseCue(uint32_t i, uint32_t* len) const {
  for (const auto& p : x_.phrases_) {
    if (i + p.words.size() > toks_.size()) continue;
    bool ok = true;
    for (size_t k = 0; k < p.words.size() && ok; ++k) {
      const uint32_t t = i + static_cast<uint32_t>(k);
      // The first word of a verb phrase may be inflected ("pointed out").
      ok = Norm(t) == p.words[k] ||
           (k == 0 && syntax_ && NormId(LemmaLower(t)) == p.words[k]);
    }
    if (ok) {
      *len = static_cast<uint32_t>(p.words.size());
      return p.cue;
    }
  }
  return -1;
}

int QuoteExtraction::SpeakerOf(uint32_t c) const {
  if (!syntax_) return -1;
  const Rels& r = R();
  for (int guard = 0; guard < 4; ++guard) {
    int s = Child(c, r.nsubj);
    // "Podesta, who said ...": the relative pronoun stands for its antecedent.
    if (s >= 0 && (Norm(s) == W().who || Norm(s) == W().that) && Rel(c) == r.relcl &&
        Head(c) >= 0)
      return Head(c);
    if (s >= 0) return s;
    const int agent = Child(c, r.obl_agent);
    if (agent >= 0) return agent;
    // A passive with "by": "it was reported by X".
    for (const uint32_t* k = ChildBegin(c); k != ChildEnd(c); ++k)
      if (Rel(*k) == r.obl)
        for (const uint32_t* g = ChildBegin(*k); g != ChildEnd(*k); ++g)
          if (Rel(*g) == r.case_ && Norm(*g) == W().by) return static_cast<int>(*k);
    s = Child(c, r.nsubj_pass);
    if (s >= 0 && Norm(static_cast<uint32_t>(s)) != W().it && Pos(s) != Upos::kPRON) return s;
    // "He smiled and said ...", "X went on to say ...": the subject of the head.
    // "..., saying ...", "..., adding ...": a participle's subject is its head's.
    const uint8_t rel = Rel(c);
    const int h = Head(c);
    const bool participle = rel == r.advcl && Child(c, r.mark) < 0 &&
                            doc_.token_text(c).size() > 4 &&
                            doc_.token_text(c).substr(doc_.token_text(c).size() - 3) == "ing";
    if (h < 0 || (rel != r.conj && rel != r.xcomp && !participle)) return -1;
    c = static_cast<uint32_t>(h);
    // 'X said the levy had failed, adding ...' with the participle under
    // the reported clause: it is X who adds.
    if (participle && Rel(c) == r.ccomp && Head(c) >= 0 && WordCue(Head(c)) >= 0)
      c = static_cast<uint32_t>(Head(c));
  }
  return -1;
}

int QuoteExtraction::NearbySpeaker(uint32_t c, uint32_t b, uint32_t e, uint32_t b2,
                                   uint32_t e2) const {
  if (!syntax_ || doc_.sentences().empty()) return -1;
  const auto& sent = doc_.sentences()[sent_of_[c]];
  auto outside = [&](uint32_t t) { return !(b <= t && t < e) && !(b2 <= t && t < e2); };
  auto can_speak = [&](uint32_t t) {
    if (!outside(t) || T(t).kind != TokenKind::kWord || IsCalendarWord(AsciiLower(doc_.token_text(t))))
      return false;
    if (mention_at_[t] >= 0)
      return doc_.actors()[doc_.mentions()[mention_at_[t]].actor].kind != ActorKind::kPlace;
    if (Pos(t) == Upos::kPROPN) return true;
    const uint64_t n = Norm(t);
    return Pos(t) == Upos::kPRON && (n == W().he || n == W().she || n == W().they);
  };
  // The head of the noun phrase t is in ("critic of the mayor" -> "critic",
  // "Lepik, a critic" -> "Lepik").
  auto head_of = [&](uint32_t t) {
    for (int guard = 0; guard < 4; ++guard) {
      const int h = Head(t);
      if (h < 0 || !outside(static_cast<uint32_t>(h)) || sent_of_[h] != sent_of_[t]) break;
      const Upos hp = Pos(h);
      const uint8_t rel = Rel(t);
      if ((hp != Upos::kPROPN && hp != Upos::kNOUN) ||
          (rel != R().fixed && rel != R().compound_ && rel != R().flat && rel != R().appos &&
           rel != R().nmod && rel != R().poss))
        break;
      t = static_cast<uint32_t>(h);
    }
    return static_cast<int>(t);
  };
  for (uint32_t t = c; t-- > sent.token_begin;)
    if (can_speak(t)) return head_of(t);
  for (uint32_t t = c + 1; t < sent.token_end; ++t)
    if (can_speak(t)) return head_of(t);
  return -1;
}

void QuoteExtraction::SetSpeaker(Quote* q, uint32_t h, bool in_quote_of_other) const {
  const Rels& r = R();
  uint32_t b = h, e = h + 1;
  if (syntax_) {
    // The noun phrase without relative clauses, appositions set off by
    // commas ("Saks, who ...", "Saks, an expert,") and the case marker of
    // "according to X" or "by X"; "security expert Rainer Saks" keeps its
    // apposition.
    uint32_t lo = h, hi = h;
    const uint32_t e_limit = static_cast<uint32_t>(toks_.size());
    std::vector<uint32_t> stack = {h};
    while (!stack.empty()) {
      const uint32_t t = stack.back();
      stack.pop_back();
      lo = std::min(lo, t);
      hi = std::max(hi, t);
      for (const uint32_t* c = ChildBegin(t); c != ChildEnd(t); ++c) {
        const uint8_t rel = Rel(*c);
        if (t == h && (rel == r.relcl || rel == r.acl || rel == r.parataxis || rel == r.conj ||
                       rel == r.ccomp || rel == r.case_ || rel == r.fixed || rel == r.punct))
          continue;
        if (t == h && rel == r.appos) {
          bool set_off = false;
          for (uint32_t u = std::min(h, *c) + 1; u < std::max(h, *c); ++u)
            set_off |= Norm(u) == W().comma || Norm(u) == W().dash;
          // A name set off by commas stays when the head names no one:
          // "The harbour master, Jonas Berg, said".
          bool name = false;
          for (uint32_t u = *c; u < e_limit && u < toks_.size() && u <= *c + 4; ++u)
            name |= mention_at_[u] >= 0 && Head(u) >= 0 &&
                    doc_.actors()[doc_.mentions()[mention_at_[u]].actor].kind == ActorKind::kPerson;
          if (set_off && (!name || mention_at_[h] >= 0)) continue;
        }
        stack.push_back(*c);
      }
    }
    b = lo;
    e = hi + 1;
    if (e - b > 16) {  // a long description: keep the words next to the head
      b = std::max(b, h >= 8 ? h - 8 : 0);
      e = std::min(e, h + 4);
    }
    while (b < h && IsPunct(b)) ++b;
    bool paren = false;
    for (uint32_t t = b; t < e; ++t) paren |= Norm(t) == W().lparen;
    while (e > h + 1 && (IsPunct(e - 1) || T(e - 1).kind == TokenKind::kQuote) &&
           !(paren && Norm(e - 1) == W().rparen))
      --e;
  }
  q->speaker_begin = b;
  q->speaker_end = e;
  // The actor: the mention at the head, else a possessor's ("Ukraine's
  // spokesman"), else a person named in the span.
  int m = mention_at_[h];
  bool via_possessor = false;
  // A person named in the span wins over a demonym or place at the head
  // ("Estonian Minister of Defense Hanno Pevkur").
  if (m < 0 || doc_.actors()[doc_.mentions()[m].actor].kind != ActorKind::kPerson) {
    for (uint32_t t = b; t < e; ++t) {
      const int k = mention_at_[t];
      if (k >= 0 && doc_.actors()[doc_.mentions()[k].actor].kind == ActorKind::kPerson &&
          Pos(h) != Upos::kPRON) {
        m = k;
        break;
      }
    }
  }
  if (m < 0 && syntax_) {
    for (const uint32_t* c = ChildBegin(h); c != ChildEnd(h) && m < 0; ++c)
      if ((Rel(*c) == r.poss || Rel(*c) == r.nmod) && mention_at_[*c] >= 0) {
        m = mention_at_[*c];
        via_possessor = true;
      }
  }
  if (m < 0) {
    for (uint32_t t = b; t < e; ++t) {
      const int k = mention_at_[t];
      if (k < 0) continue;
      const Actor& a = doc_.actors()[doc_.mentions()[k].actor];
      if (m < 0 || a.kind == ActorKind::kPerson) m = k;
      if (a.kind == ActorKind::kPerson) break;
    }
    via_possessor = m >= 0;
  }
  const std::string lemma = LemmaLower(h);
  SpeakerType type = SpeakerType::kNominal;
  const bool head_named = mention_at_[h] >= 0 || Pos(h) == Upos::kPROPN;
  if (m >= 0 && !head_named && IsOrganizationHead(lemma)) {
    // "the Finnish foreign ministry": an institution of the actor.
    q->speaker_actor = static_cast<int32_t>(doc_.mentions()[m].actor);
    type = SpeakerType::kOrganization;
  } else if (m >= 0 && !head_named && IsAnonymousHead(lemma) &&
             doc_.actors()[doc_.mentions()[m].actor].kind != ActorKind::kPerson &&
             Child(h, R().poss) < 0) {
    // "Ukrainian officials": unnamed people of the actor.
    q->speaker_actor = static_cast<int32_t>(doc_.mentions()[m].actor);
    type = SpeakerType::kAnonymous;
  } else if (m >= 0) {
    const Mention& men = doc_.mentions()[m];
    const Actor& a = doc_.actors()[men.actor];
    q->speaker_actor = static_cast<int32_t>(men.actor);
    if (via_possessor) {
      type = a.kind == ActorKind::kPerson ? SpeakerType::kNamed : SpeakerType::kNominal;
      if (IsAnonymousHead(lemma)) type = SpeakerType::kNominal;
    } else if (men.how == MentionHow::kPronoun) {
      type = SpeakerType::kPronoun;
    } else if (men.how == MentionHow::kNominal) {
      type = SpeakerType::kNominal;
    } else {
      switch (a.kind) {
        case ActorKind::kPerson: type = SpeakerType::kNamed; break;
        case ActorKind::kCountry:
        case ActorKind::kPlace: type = SpeakerType::kCountry; break;
        default: type = SpeakerType::kOrganization; break;
      }
    }
  } else if (Pos(h) == Upos::kPRON) {
    type = SpeakerType::kPronoun;
  } else if (IsAnonymousHead(lemma)) {
    type = SpeakerType::kAnonymous;
  } else if (IsOrganizationHead(lemma)) {
    type = SpeakerType::kOrganization;
  } else if (Pos(h) == Upos::kPROPN) {
    type = SpeakerType::kNamed;
  }
  (void)in_quote_of_other;
  q->speaker_type = static_cast<uint8_t>(type);
}

void QuoteExtraction::Trim(uint32_t* b, uint32_t* e) const {
  while (*b < *e && (IsPunct(*b) || Norm(*b) == W().that)) ++*b;
  while (*e > *b && IsPunct(*e - 1) && Norm(*e - 1) != W().rparen) --*e;
}

bool QuoteExtraction::InsideAttributedDirect(uint32_t b, uint32_t e) const {
  for (const Quote& o : out_)
    if (o.kind == QuoteKind::kDirect &&
        ((o.content_begin <= b && e <= o.content_end) ||
         (o.content2_begin <= b && e <= o.content2_end)))
      return true;
  return false;
}

void QuoteExtraction::Prepare() {
  const uint32_t n = static_cast<uint32_t>(toks_.size());
  sent_of_.assign(n, 0);
  for (uint32_t s = 0; s < doc_.sentences().size(); ++s)
    for (uint32_t t = doc_.sentences()[s].token_begin; t < doc_.sentences()[s].token_end; ++t)
      sent_of_[t] = s;
  par_of_.assign(n, 0);
  for (uint32_t p = 0; p < doc_.paragraphs().size(); ++p)
    for (uint32_t t = doc_.paragraphs()[p].token_begin; t < doc_.paragraphs()[p].token_end; ++t)
      par_of_[t] = p;
  kids_.Build(doc_);
  mention_at_.assign(n, -1);
  for (size_t m = 0; m < doc_.mentions().size(); ++m) {
    const Mention& men = doc_.mentions()[m];
    if (men.actor >= doc_.actors().size()) continue;
    for (uint32_t t = men.token_begin; t < men.token_end && t < n; ++t)
      mention_at_[t] = static_cast<int32_t>(m);
  }
  cue_used_.assign(n, 0);
}

void QuoteExtraction::FindSpans() {
  struct Open {
    uint32_t tok;
    bool dbl;
  };
  std::vector<Open> stack;
  const auto& pars = doc_.paragraphs();
  std::vector<Paragraph> whole;
  if (pars.empty() && !toks_.empty()) {
    Paragraph p;
    p.token_begin = 0;
    p.token_end = static_cast<uint32_t>(toks_.size());
    whole.push_back(p);
  }
  const std::vector<Paragraph>& ps = pars.empty() ? whole : pars;
  // An unclosed quotation carried from the paragraph before.
  uint32_t carry = kNone;
  bool carry_dbl = true;
  uint32_t carry_end = 0;
  for (const Paragraph& p : ps) {
    stack.clear();
    uint32_t t = p.token_begin;
    if (carry != kNone) {
      // The tokenizer may call the mark closing (a quotation is open); a
      // mark of the same style before a word continues the quotation.
      const bool continues = t + 1 < p.token_end && T(t).kind == TokenKind::kQuote &&
                             IsDoubleMark(doc_.token_text(t)) == carry_dbl &&
                             T(t + 1).kind != TokenKind::kQuote && !IsPunct(t + 1);
      if (continues) {
        stack.push_back({carry, carry_dbl});
        ++t;  // the continuation mark opens nothing new
      } else {
        spans_.push_back({carry, kNone, carry + 1, carry_end});
      }
      carry = kNone;
    }
    for (; t < p.token_end; ++t) {
      if (T(t).kind != TokenKind::kQuote) continue;
      const bool dbl = IsDoubleMark(doc_.token_text(t));
      bool is_open = T(t).has(kQuoteOpen), is_close = T(t).has(kQuoteClose);
      // '' opens as well as closes in some newspapers: decide by what is open.
      if (doc_.token_text(t) == "''") is_open = is_close = false;
      int match = -1;
      for (int k = static_cast<int>(stack.size()) - 1; k >= 0; --k)
        if (stack[k].dbl == dbl) {
          match = k;
          break;
        }
      if (!is_open && !is_close) is_close = match >= 0;
      if (is_close && !is_open) {
        if (match < 0) continue;  // a stray closing mark (or an apostrophe)
        spans_.push_back({stack[match].tok, t, stack[match].tok + 1, t});
        stack.resize(match);
      } else if (is_open && !is_close) {
        stack.push_back({t, dbl});
      } else if (match >= 0) {
        spans_.push_back({stack[match].tok, t, stack[match].tok + 1, t});
        stack.resize(match);
      } else {
        stack.push_back({t, dbl});
      }
    }
    if (!stack.empty()) {
      carry = stack[0].tok;
      carry_dbl = stack[0].dbl;
      carry_end = p.token_end;
    }
  }
  if (carry != kNone) spans_.push_back({carry, kNone, carry + 1, carry_end});
  // Drop empty spans; order by opening mark; find each span's enclosing one.
  spans_.erase(std::remove_if(spans_.begin(), spans_.end(),
                              [](const QSpan& s) { return s.end <= s.begin; }),
               spans_.end());
  std::sort(spans_.begin(), spans_.end(),
            [](const QSpan& a, const QSpan& b) { return a.open < b.open; });
  for (size_t i = 0; i < spans_.size(); ++i)
    for (size_t j = i; j-- > 0;)
      if (spans_[j].begin <= spans_[i].open && spans_[i].end <= spans_[j].end) {
        spans_[i].outer = static_cast<int>(j);
        break;
      }
}

void QuoteExtraction::AttributeDirect() {
  const Rels& r = R();
  const uint32_t n = static_cast<uint32_t>(toks_.size());
  for (size_t si = 0; si < spans_.size(); ++si) {
    QSpan& s = spans_[si];
    if (s.used) continue;
    uint32_t words = 0;
    bool terminal_inside = false, lower_start = false, title_case = true;
    for (uint32_t t = s.begin; t < s.end; ++t) {
      if (IsWord(t)) {
        ++words;
        const char c0 = doc_.text()[T(t).begin];
        if (t == s.begin && c0 >= 'a' && c0 <= 'z') lower_start = true;
        // Title case: every word of four letters or more capitalized.
        if (c0 >= 'a' && c0 <= 'z' && T(t).end - T(t).begin >= 4) title_case = false;
      }
      if (IsTerminal(t) || Norm(t) == W().comma) terminal_inside = true;
    }
    const uint32_t par_end = doc_.paragraphs().empty()
                                 ? n
                                 : doc_.paragraphs()[par_of_[s.close == kNone ? s.open : s.close]]
                                       .token_end;
    // A colon or comma right before the opening mark: 'X told them: "..."'.
    auto colon_before = [&](uint32_t open) {
      return open > 0 && (Norm(open - 1) == W().colon || Norm(open - 1) == W().comma);
    };
    Quote q;
    q.content_begin = s.begin;
    q.content_end = s.end;
    q.kind = QuoteKind::kDirect;
    int cue = -1;
    uint32_t cue_tok = kNone, cue_len = 1;
    float conf = 0;
    int speaker = -1;
    // 1. A cue right after the closing mark: '"...," X said', '"...," said X'.
    uint32_t frame_end = s.close == kNone ? kNone : s.close + 1;
    // A quotation closed by a full stop ends its sentence: what follows is
    // a new sentence ('"... the cliff." He says voters ...'), not its
    // attribution.
    const bool full_stop = s.close != kNone && s.close > s.begin && s.close + 1 < n &&
                           Norm(s.close - 1) == W().period &&
                           sent_of_[s.close + 1] != sent_of_[s.close - 1];
    if (s.close != kNone && !full_stop) {
      uint32_t j = s.close + 1;
      while (j < par_end && j < s.close + 22) {
        if (T(j).kind == TokenKind::kQuote && !T(j).has(kQuoteClose)) break;
        if (IsTerminal(j) || Norm(j) == W().semicolon) break;
        ++j;
      }
      frame_end = j;
      for (uint32_t k = s.close + 1; k < frame_end && k < s.close + 14; ++k) {
        uint32_t len = 1;
        int c = WordCue(k);
        if (c >= 0 && x_.cues()[c].pos != Upos::kVERB) c = -1;
        if (c < 0) {
          c = PhraseCue(k, &len);
          if (c >= 0 && k + len >= frame_end) c = -1;
        }
        if (c < 0) continue;
        // A new sentence with its own reported clause is not this quote's
        // attribution: '"... enough." He said the talks would go on.'
        // A cue with a complement of its own after it reports something
        // else ('"...," and said it was ...'); so does one after a verb or
        // a conjunction.
        if (syntax_) {
          bool own = false;
          for (const uint32_t* ch = ChildBegin(k); ch != ChildEnd(k); ++ch)
            own |= Rel(*ch) == r.ccomp && *ch > k && *ch < frame_end &&
                   Subtree(*ch).first <= k + 2;
          if (own) break;
          bool clause = false;
          for (uint32_t u = s.close + 1; u < k; ++u)
            clause |= Pos(u) == Upos::kVERB || Pos(u) == Upos::kCCONJ || Pos(u) == Upos::kSCONJ;
          if (clause) break;
        }
        cue = c;
        cue_tok = k;
        cue_len = len;
        break;
      }
      if (cue >= 0) {
        if (x_.cues()[cue].pos == Upos::kADP) {
          // '"...," according to X.'
          const uint32_t h = cue_tok + cue_len;
          speaker = syntax_ && Head(cue_tok) >= 0 ? Head(cue_tok) : static_cast<int>(h);
          if (speaker < static_cast<int>(h) || speaker >= static_cast<int>(frame_end))
            speaker = static_cast<int>(h);
        } else {
          speaker = SpeakerOf(cue_tok);
          // A subject inside the quotation is a misparse.
          if (speaker >= 0 && static_cast<uint32_t>(speaker) < s.close) speaker = -1;
        }
        if (speaker < 0) {
          // No parse to go by: the mention or pronoun nearest the cue.
          for (uint32_t d = 1; d < 6 && speaker < 0; ++d) {
            for (uint32_t k : {cue_tok - d, cue_tok + d}) {
              if (k <= s.close || k >= frame_end) continue;
              if (mention_at_[k] >= 0 || Pos(k) == Upos::kPRON || Pos(k) == Upos::kPROPN) {
                speaker = static_cast<int>(k);
                break;
              }
            }
          }
        }
        conf = 0.95f;
        // Words before the opening mark in the same sentence make it a
        // fragment of a sentence: 'The plan was "dead," Smith said.'
        const uint32_t sb = doc_.sentences().empty() ? 0
                                                     : doc_.sentences()[sent_of_[s.open]].token_begin;
        uint32_t first = sb;
        while (first < s.open && (IsPunct(first) || T(first).kind == TokenKind::kQuote)) ++first;
        if (first < s.open && s.outer < 0) {
          bool prior_quote = false;
          for (uint32_t t = first; t < s.open; ++t) prior_quote |= T(t).kind == TokenKind::kQuote;
          if (!prior_quote) {
            q.kind = QuoteKind::kMixed;
            q.content_begin = first;
          }
        }
      }
    }
    // 2. A cue before the opening mark: 'X said: "..."', 'X told reporters, "..."'.
    if (cue < 0) {
      const uint32_t sent = sent_of_[s.open];
      uint32_t lb = doc_.sentences().empty() ? 0 : doc_.sentences()[sent].token_begin;
      uint32_t k = s.open;
      while (k > lb && (IsPunct(k - 1) || Norm(k - 1) == W().that)) --k;
      if (k == lb && sent > 0 && !doc_.paragraphs().empty() &&
          par_of_[lb - 1] + 1 >= par_of_[s.open] && Norm(lb - 1) == W().colon) {
        // The sentence before ends with a colon (maybe the paragraph before:
        // 'He said:' then the quotation).
        lb = doc_.sentences()[sent - 1].token_begin;
        k = lb < s.open ? lb : k;
        k = doc_.sentences()[sent - 1].token_end;
        while (k > lb && (IsPunct(k - 1) || Norm(k - 1) == W().that)) --k;
      }
      const bool colon = k < s.open && k > lb && (Norm(k) == W().colon || Norm(k) == W().comma);
      for (uint32_t c = k; c > lb && c + 16 > k && cue < 0; --c) {
        const uint32_t t = c - 1;
        uint32_t len = 1;
        int w = WordCue(t);
        if (w >= 0 && x_.cues()[w].pos != Upos::kVERB) w = -1;
        if (w < 0) {
          w = PhraseCue(t, &len);  // "as The Hill pointed out, "...""
          if (w >= 0 && x_.cues()[w].pos != Upos::kVERB) w = -1;
        }
        if (w < 0 || cue_used_[t] || t + len > k) continue;
        // Words between the cue and the quotation must be its object
        // ("told the mayors who gathered in ..."), not the start of a
        // reported clause.
        bool ok = true;
        for (uint32_t u = t + len; u < k && ok; ++u) {
          if (!IsWord(u)) continue;
          int up = static_cast<int>(u);
          while (up >= 0 && Head(static_cast<uint32_t>(up)) != static_cast<int>(t))
            up = Head(static_cast<uint32_t>(up));
          ok = up >= 0 && (Rel(up) == r.obj || Rel(up) == r.iobj || Rel(up) == r.obl ||
                           Rel(up) == r.advcl || Rel(up) == R().mark);
        }
        if (!ok) continue;
        // A cue with no one saying is no attribution ("the so-called "plan"").
        const int who = SpeakerOf(t);
        if (who < 0) continue;
        cue = w;
        cue_tok = t;
        cue_len = len;
        speaker = who;
        conf = 0.9f;
      }
      if (cue < 0 && colon && syntax_) {
        // 'Pevkur was blunt: "..."', 'Hillary shot back, "..."': the subject
        // of the last verb before the colon or comma.
        for (uint32_t t = k; t-- > lb;) {
          if (Pos(t) != Upos::kVERB && Pos(t) != Upos::kAUX && Pos(t) != Upos::kADJ) continue;
          const int subj = SpeakerOf(t);
          if (subj < 0) continue;
          const uint64_t sn = Norm(static_cast<uint32_t>(subj));
          if (static_cast<uint32_t>(subj) >= lb && sn != W().it && sn != W().i && sn != W().we &&
              (mention_at_[subj] >= 0 || Pos(subj) == Upos::kPRON || Pos(subj) == Upos::kPROPN)) {
            speaker = subj;
            if (Pos(t) == Upos::kVERB) {
              q.cue_begin = t;
              q.cue_end = t + 1;
            }
            conf = 0.5f;
          }
          break;
        }
      }
    }
    if (cue >= 0 && cue_tok < s.open && s.close != kNone && syntax_ &&
        x_.cues()[cue].kind == QuoteCue::Kind::kObject && !colon_before(s.open)) {
      // 'X called the plan "a disgrace"', 'X described the move as "a
      // breach"': the object and what the verb says of it, as one mixed
      // quotation running to the end of the verb's phrase.
      uint32_t b = cue_tok + cue_len;
      while (b < s.open && (IsPunct(b) || Norm(b) == W().that)) ++b;
      if (b < s.open) {
        const uint32_t se = doc_.sentences().empty()
                                ? par_end
                                : doc_.sentences()[sent_of_[s.close]].token_end;
        uint32_t hi = s.close;
        for (const uint32_t* k = ChildBegin(cue_tok); k != ChildEnd(cue_tok); ++k) {
          const uint8_t rel = Rel(*k);
          if (*k < s.open || rel == r.conj || rel == r.parataxis || rel == r.punct ||
              rel == r.cc || rel == r.advcl)
            continue;
          hi = std::max(hi, Subtree(*k).second);
        }
        uint32_t e = std::min(hi + 1, se);
        while (e > s.close + 1 && IsPunct(e - 1)) --e;
        q.kind = QuoteKind::kMixed;
        q.content_begin = b;
        q.content_end = std::max(e, s.close + 1);
      }
    }
    if (cue >= 0 && cue_tok < s.open && s.close != kNone && syntax_ &&
        q.kind == QuoteKind::kDirect && !colon_before(s.open) && s.close + 1 < n &&
        IsWord(s.close + 1) && sent_of_[s.close + 1] == sent_of_[s.open]) {
      // 'X said "boots on the ground" would be needed': the quoted words
      // open the reported clause, which goes on after the closing mark.
      for (const uint32_t* k = ChildBegin(cue_tok); k != ChildEnd(cue_tok); ++k) {
        auto [lo, hi] = Subtree(*k);
        if (lo <= s.begin && hi > s.close && Rel(*k) != r.conj && Rel(*k) != r.parataxis) {
          uint32_t e = hi + 1;
          while (e > s.close + 1 && IsPunct(e - 1)) --e;
          q.kind = QuoteKind::kMixed;
          q.content_end = e;
          break;
        }
      }
    }
    if (cue >= 0) {
      q.cue_begin = cue_tok;
      q.cue_end = cue_tok + cue_len;
      cue_used_[cue_tok] = 1;
      conf *= x_.cues()[cue].weight;
    }
    if (speaker >= 0) SetSpeaker(&q, static_cast<uint32_t>(speaker), false);
    // 3. A split quotation: '"...," X said, "..."'.
    if (cue >= 0 && s.close != kNone && frame_end < par_end && frame_end > cue_tok &&
        T(frame_end).kind == TokenKind::kQuote &&
        (Norm(frame_end - 1) == W().comma || Norm(frame_end - 1) == W().colon)) {
      for (size_t sj = si + 1; sj < spans_.size(); ++sj)
        if (spans_[sj].open == frame_end && !spans_[sj].used) {
          spans_[sj].used = true;
          q.content2_begin = spans_[sj].begin;
          q.content2_end = spans_[sj].end;
          break;
        }
    }
    // 4. '"...," X said. "..."': the quotation goes on after the attribution
    // in the same paragraph, as long as no one else is named.
    const uint32_t cue_sent_end =
        cue >= 0 && !doc_.sentences().empty() ? doc_.sentences()[sent_of_[cue_tok]].token_end : 0;
    if (cue >= 0 && q.content2_end == q.content2_begin && s.close != kNone && cue_tok > s.close &&
        cue_sent_end > 0 && cue_sent_end < par_end && IsTerminal(cue_sent_end - 1)) {
      uint32_t next = cue_sent_end;
      uint32_t last_end = 0;
      size_t sj = si + 1;
      std::vector<size_t> taken;
      while (next < par_end && T(next).kind == TokenKind::kQuote) {
        while (sj < spans_.size() && spans_[sj].open < next) ++sj;
        if (sj >= spans_.size() || spans_[sj].open != next || spans_[sj].used ||
            spans_[sj].close == kNone || HasRightCue(spans_[sj], par_end))
          break;
        if (last_end == 0) q.content2_begin = spans_[sj].begin;
        last_end = spans_[sj].end;
        taken.push_back(sj);
        next = spans_[sj].close + 1;
      }
      if (last_end) {
        q.content2_end = last_end;
        for (size_t t : taken) spans_[t].used = true;
      }
    }
    if (cue < 0 && speaker < 0) {
      // Not attributed here: decided after the indirect quotations, which
      // may take the span as a fragment (EmitUnattributed).
      s.words = words;
      s.title_case = title_case;
      s.terminal_inside = terminal_inside;
      s.lower_start = lower_start;
      s.pending = true;
      continue;
    }
    // The content of a quotation closed by a paragraph end loses trailing punctuation only.
    if (s.close == kNone)
      while (q.content_end > q.content_begin && IsPunct(q.content_end - 1) &&
             !IsTerminal(q.content_end - 1))
        --q.content_end;
    q.confidence = conf;
    s.used = true;
    // Spans nested in this one belong to its speaker unless attributed.
    out_.push_back(q);
    out_span_.push_back(static_cast<int>(si));
  }
}

bool QuoteExtraction::HasRightCue(const QSpan& s, uint32_t par_end) const {
  for (uint32_t k = s.close + 1; k < par_end && k < s.close + 10; ++k) {
    if (IsTerminal(k) || T(k).kind == TokenKind::kQuote) break;
    const int c = WordCue(k);
    if (c >= 0 && x_.cues()[c].pos == Upos::kVERB) return true;
    uint32_t len = 0;
    if (PhraseCue(k, &len) >= 0) return true;
  }
  return false;
}

void QuoteExtraction::EmitUnattributed() {
  for (size_t si = 0; si < spans_.size(); ++si) {
    QSpan& s = spans_[si];
    if (!s.pending || s.used) continue;
    // Nested spans are fragments of their quotation; short spans are scare
    // quotes; titles are not speech.
    if (s.outer >= 0) continue;
    const uint32_t before = s.open;
    const std::string prev = before > 0 ? AsciiLower(doc_.token_text(before - 1)) : std::string();
    if (before > 0 && IsTitleWord(prev)) continue;
    if (s.title_case && !s.terminal_inside) continue;
    const uint32_t sb =
        doc_.sentences().empty() ? 0 : doc_.sentences()[sent_of_[s.open]].token_begin;
    bool sentence_initial = true;
    for (uint32_t t = sb; t < s.open; ++t) sentence_initial &= !IsWord(t);
    if (!sentence_initial && s.words >= 3 && syntax_ && s.close != kNone) {
      // A fragment quoted inside a sentence with a verb we do not list
      // ('Washington thanked Obama for "taking these steps"'): the subject
      // of the nearest verb above it.
      int top = -1;
      for (uint32_t t = s.begin; t < s.end && top < 0; ++t)
        if (Head(t) >= 0 && (static_cast<uint32_t>(Head(t)) < s.begin ||
                             static_cast<uint32_t>(Head(t)) >= s.end))
          top = Head(t);
      int subj = -1;
      for (int guard = 0; top >= 0 && guard < 8 && subj < 0; ++guard) {
        if (Pos(top) == Upos::kVERB) subj = SpeakerOf(static_cast<uint32_t>(top));
        if (subj < 0) top = Head(top);
      }
      if (subj >= 0 && (static_cast<uint32_t>(subj) < s.open ||
                        static_cast<uint32_t>(subj) > s.close)) {
        const uint64_t sn = Norm(static_cast<uint32_t>(subj));
        if (sn != W().i && sn != W().we && sn != W().it && Pos(subj) != Upos::kDET &&
            (mention_at_[subj] >= 0 || Pos(subj) == Upos::kPRON || Pos(subj) == Upos::kPROPN)) {
          Quote q;
          q.content_begin = s.begin;
          q.content_end = s.end;
          q.kind = QuoteKind::kMixed;
          q.cue_begin = static_cast<uint32_t>(top);
          q.cue_end = q.cue_begin + 1;
          SetSpeaker(&q, static_cast<uint32_t>(subj), false);
          q.confidence = 0.4f;
          s.used = true;
          out_.push_back(q);
          out_span_.push_back(static_cast<int>(si));
          continue;
        }
      }
    }
    if (!(sentence_initial && s.words >= 4 && !s.lower_start) && s.words < 8) continue;
    if (!sentence_initial && !s.terminal_inside) continue;
    Quote q;
    q.content_begin = s.begin;
    q.content_end = s.end;
    q.kind = QuoteKind::kDirect;
    float conf = 0.35f;
    // A quotation paragraph after another speaker's quotation: the same
    // speaker goes on.
    const Quote* prevq = nullptr;
    for (const Quote& o : out_)
      if (o.content_end <= s.open && (!prevq || o.content_end > prevq->content_end)) prevq = &o;
    if (prevq && !doc_.paragraphs().empty()) {
      const uint32_t pp = par_of_[s.open];
      const uint32_t prev_par = par_of_[prevq->content_end - 1];
      if (prevq->speaker_end > prevq->speaker_begin && prev_par + kContinuePars >= pp &&
          sentence_initial) {
        q.speaker_begin = prevq->speaker_begin;
        q.speaker_end = prevq->speaker_end;
        q.speaker_actor = prevq->speaker_actor;
        q.speaker_type = prevq->speaker_type;
        conf = 0.6f;
      }
    }
    if (q.speaker_end == q.speaker_begin && syntax_) {
      // Else someone named in the same sentence, or the subject of the
      // sentence before in the paragraph ('Smith had a warning. "..."').
      int who = NearbySpeaker(s.open, s.open, s.close == kNone ? s.end : s.close + 1, 0, 0);
      const uint32_t sent = sent_of_[s.open];
      if (who < 0 && sent > 0 && !doc_.paragraphs().empty()) {
        const auto& ps = doc_.sentences()[sent - 1];
        if (par_of_[ps.token_begin] == par_of_[s.open])
          for (uint32_t t = ps.token_begin; t < ps.token_end && who < 0; ++t)
            if (Head(t) >= 0 && Rel(t) == R().nsubj && Rel(Head(t)) == R().root &&
                (mention_at_[t] >= 0 || Pos(t) == Upos::kPROPN ||
                 (Pos(t) == Upos::kPRON &&
                  (Norm(t) == W().he || Norm(t) == W().she || Norm(t) == W().they))))
              who = static_cast<int>(t);
      }
      if (who >= 0) {
        SetSpeaker(&q, static_cast<uint32_t>(who), false);
        conf = 0.3f;
      }
    }
    if (s.close == kNone)
      while (q.content_end > q.content_begin && IsPunct(q.content_end - 1) &&
             !IsTerminal(q.content_end - 1))
        --q.content_end;
    q.confidence = conf;
    s.used = true;
    out_.push_back(q);
    out_span_.push_back(static_cast<int>(si));
  }
}

void QuoteExtraction::FindIndirect() {
  if (!syntax_ || doc_.sentences().empty()) return;
  const Rels& r = R();
  const uint32_t n = static_cast<uint32_t>(toks_.size());
  for (uint32_t c = 0; c < n; ++c) {
    if (cue_used_[c]) continue;
    uint32_t len = 1;
    int cue = PhraseCue(c, &len);
    const bool phrase = cue >= 0;
    if (!phrase) cue = WordCue(c);
    if (cue < 0) continue;
    const QuoteCue& qc = x_.cues()[cue];
    const uint32_t sent = sent_of_[c];
    const uint32_t sb = doc_.sentences()[sent].token_begin, se = doc_.sentences()[sent].token_end;
    Quote q;
    q.kind = QuoteKind::kIndirect;
    q.cue_begin = c;
    q.cue_end = c + len;
    int speaker = -1;
    uint32_t b = 0, e = 0, b2 = 0, e2 = 0;
    float conf = 0.85f;
    bool object_content = false;
    if (phrase && qc.pos == Upos::kADP) {
      // "According to X, ...": X is what the phrase is the case marker of.
      int x = Head(c);
      if (Rel(c) != r.case_ || x < 0 || static_cast<uint32_t>(x) < c + len ||
          sent_of_[x] != sent) {
        // Parse disagrees: X runs from after the phrase to a comma.
        x = static_cast<int>(c + len);
        if (static_cast<uint32_t>(x) >= se) continue;
      }
      speaker = x;
      auto [lo, hi] = Subtree(static_cast<uint32_t>(x));
      lo = std::min(lo, c);
      if (hi < c + len) hi = c + len;
      // Stop X at a comma that ends the phrase.
      for (uint32_t t = c + len; t <= hi; ++t)
        if (Norm(t) == W().comma) {
          hi = t - 1;
          break;
        }
      b = sb;
      e = lo;
      b2 = hi + 1;
      e2 = se;
      Trim(&b, &e);
      Trim(&b2, &e2);
      if (e - b < e2 - b2) {
        std::swap(b, b2);
        std::swap(e, e2);
      }
      // Keep a second part only when the phrase sits inside the sentence.
      if (e2 - b2 < 3 || b2 < b) b2 = e2 = 0;
      if (e2 > b2 && b2 < b) { std::swap(b, b2); std::swap(e, e2); }
      conf = 0.9f;
    } else if (phrase || qc.pos == Upos::kVERB) {
      if (Pos(c) != Upos::kVERB) continue;
      // The largest clausal complement ("former" mis-parsed as one is not it).
      int comp = -1;
      uint32_t comp_size = 0;
      // A complement after the cue wins over one before it.
      bool comp_right = false;
      for (const uint32_t* k = ChildBegin(c); k != ChildEnd(c); ++k)
        if (Rel(*k) == r.ccomp) {
          auto [lo, hi] = Subtree(*k);
          const bool right = lo > c;
          if ((right && !comp_right) || (right == comp_right && hi - lo + 1 > comp_size)) {
            comp_right = right;
            comp_size = hi - lo + 1;
            comp = static_cast<int>(*k);
          }
        }
      // "X said that ...", "X told reporters that ...": from "that" to the end
      // of the sentence, whatever the parse made of the clause.
      uint32_t after = c + len;
      while (after < se && after < c + len + 4 && Norm(after) != W().that &&
             (IsWord(after) || Norm(after) == W().comma) && Pos(after) != Upos::kVERB &&
             Head(after) >= 0 && Dominates(c, after) &&
             (Rel(after) == r.obj || Rel(after) == r.iobj || Pos(after) == Upos::kDET ||
              Pos(after) == Upos::kADJ))
        ++after;
      if (after < se && Norm(after) == W().that && Pos(after) == Upos::kSCONJ) {
        b = after + 1;
        e = se;
        for (uint32_t t = b; t + 1 < se; ++t)
          if (Norm(t) == W().semicolon ||
              (Norm(t) == W().comma && Norm(t + 1) == W().according)) {
            e = t;
            break;
          }
      } else if (comp >= 0) {
        auto [lo, hi] = Subtree(static_cast<uint32_t>(comp));
        if (lo > c) {
          // "X said (that) ...": the rest of the sentence, up to a second
          // verb of the speaker's ("... and added ...").
          b = std::max(lo, c + len);
          e = std::min(std::max(hi, Subtree(c).second) + 1, se);
          for (const uint32_t* k = ChildBegin(c); k != ChildEnd(c); ++k)
            if ((Rel(*k) == r.conj || Rel(*k) == r.parataxis) && *k > hi) {
              e = std::min(e, Subtree(*k).first);
            }
        } else if (hi < c) {
          b = std::min(lo, sb);
          e = hi + 1;
        } else {
          continue;
        }
      } else if (qc.kind == QuoteCue::Kind::kObject && SpeakerOf(c) >= 0 &&
                 Child(c, r.nsubj_pass) < 0) {
        // "X accused Y of Z", "X promised to ...": what follows the verb in
        // its phrase.
        uint32_t hi = c;
        for (const uint32_t* k = ChildBegin(c); k != ChildEnd(c); ++k) {
          const uint8_t rel = Rel(*k);
          if (*k < c || rel == r.conj || rel == r.parataxis || rel == r.punct || rel == r.cc ||
              rel == r.advcl)
            continue;
          hi = std::max(hi, Subtree(*k).second);
        }
        if (hi == c) continue;
        b = c + len;
        e = hi + 1;
        conf = 0.7f;
        object_content = true;
      } else {
        // "..., X said.": the reporting clause hangs off the reported one.
        const int h = Head(c);
        if (h < 0 || static_cast<uint32_t>(h) > c || sent_of_[h] != sent) continue;
        if (Rel(c) != r.parataxis && Rel(c) != r.ccomp && Rel(c) != r.dep && Rel(c) != r.advcl)
          continue;
        if (Rel(c) == r.advcl) {
          // Only a bare "as X said" style clause counts, not "after X said".
          if (Child(c, r.mark) >= 0) continue;
        }
        // "..., X said." names its speaker.
        if (Child(c, r.nsubj) < 0) continue;
        // 'X said his band had written ...': a cue under another cue is
        // part of what that one reports.
        if (Rel(c) == r.ccomp && WordCue(static_cast<uint32_t>(h)) >= 0) continue;
        auto [hlo, hhi] = Subtree(static_cast<uint32_t>(h));
        auto [clo, chi] = Subtree(c);
        b = std::min(hlo, sb);
        e = clo;
        b2 = chi + 1;
        e2 = hhi + 1;
        if (e2 > se) e2 = se;
      }
      speaker = SpeakerOf(c);
      if (speaker >= 0 && static_cast<uint32_t>(speaker) >= b && static_cast<uint32_t>(speaker) < e)
        continue;  // the "speaker" is inside the content: a bad analysis
      // "Those who vote, he said, must register": the part before the
      // attribution is the content's first part.
      if (speaker >= 0 && e2 == b2 && b > c && static_cast<uint32_t>(speaker) < c &&
          c + len < se && Norm(c + len) == W().comma) {
        const uint32_t lo = std::min(Subtree(static_cast<uint32_t>(speaker)).first,
                                     static_cast<uint32_t>(speaker));
        if (lo > sb + 2 && Norm(lo - 1) == W().comma) {
          bool words_before = false;
          for (uint32_t t = sb; t + 1 < lo; ++t) words_before |= IsWord(t);
          if (words_before) {
            b2 = b;
            e2 = e;
            b = sb;
            e = lo - 1;
          }
        }
      }
      conf *= qc.weight;
    } else {
      // A noun with a "that" clause: "his claim that ...".
      int comp = -1;
      for (const uint32_t* k = ChildBegin(c); k != ChildEnd(c) && comp < 0; ++k)
        if ((Rel(*k) == r.ccomp || Rel(*k) == r.acl) && *k > c) {
          const int m = Child(*k, r.mark);
          if (m >= 0 && Norm(m) == W().that) comp = static_cast<int>(*k);
        }
      if (comp < 0) continue;
      auto [lo, hi] = Subtree(static_cast<uint32_t>(comp));
      b = lo;
      e = hi + 1;
      speaker = Child(c, r.poss);
      if (speaker < 0 && Head(c) >= 0 && (Rel(c) == r.obj || Rel(c) == r.nsubj))
        speaker = SpeakerOf(static_cast<uint32_t>(Head(c)));
      conf = 0.7f * qc.weight;
    }
    if (b > c) {
      // A participle of another cue after a comma ('..., suggesting ...',
      // '..., adding ...') starts an attribution of its own: the content
      // stops before it.
      for (uint32_t t = b + 1; t + 1 < e; ++t)
        if (Norm(t - 1) == W().comma && Pos(t) == Upos::kVERB && WordCue(t) >= 0 &&
            doc_.token_text(t).size() > 4 &&
            doc_.token_text(t).substr(doc_.token_text(t).size() - 3) == "ing") {
          e = t - 1;
          break;
        }
    }
    Trim(&b, &e);
    if (e2 > b2) Trim(&b2, &e2);
    if (e2 <= b2 || e2 - b2 < 2) b2 = e2 = 0;
    if (e <= b) continue;
    uint32_t words = 0;
    for (uint32_t t = b; t < e; ++t) words += IsWord(t);
    if (words < 2) continue;
    // The content of an indirect quotation is a clause, not a bare phrase.
    bool has_verb = false;
    for (uint32_t t = b; t < e && !has_verb; ++t)
      has_verb = Pos(t) == Upos::kVERB || Pos(t) == Upos::kAUX;
    for (uint32_t t = b2; t < e2 && !has_verb; ++t)
      has_verb = Pos(t) == Upos::kVERB || Pos(t) == Upos::kAUX;
    if (!has_verb && !phrase && !object_content) continue;
    // "I think ...": inside a quotation the quoted speaker's own words, outside
    // one a transcript or the writer's; neither is a report of someone else.
    const bool inside = InsideAttributedDirect(c, c + 1);
    if (speaker >= 0) {
      const uint64_t sn = Norm(static_cast<uint32_t>(speaker));
      if (sn == W().i || sn == W().we || sn == W().me || sn == W().us) continue;
    }
    if (inside && speaker < 0) continue;
    // Overlap with a quotation already found: the content of a direct
    // quotation attributed elsewhere is not reported again.
    bool clash = false;
    for (const Quote& o : out_)
      if (o.kind != QuoteKind::kIndirect && o.content_begin < e && b < o.content_end &&
          !(o.content_begin <= c && c < o.content_end))
        clash = true;
    if (clash) continue;
    q.content_begin = b;
    q.content_end = e;
    q.content2_begin = b2;
    q.content2_end = e2;
    // Quoted fragments inside make it mixed.
    // A quoted fragment that starts inside the content ends it.
    for (const QSpan& s : spans_)
      if (!s.used && b <= s.open && s.open < e && s.close != kNone && s.close >= e && s.close < se &&
          s.outer < 0)
        e = s.close + 1;
    q.content_end = e;
    for (QSpan& s : spans_) {
      const bool in1 = b <= s.open && (s.close == kNone ? s.end : s.close) < e;
      const bool in2 = e2 > b2 && b2 <= s.open && (s.close == kNone ? s.end : s.close) < e2;
      if (!in1 && !in2) continue;
      if (!s.used) {
        q.kind = QuoteKind::kMixed;
        s.used = true;
      }
    }
    if (speaker < 0) {
      // No subject in the parse: the nearest phrase that can speak.
      speaker = NearbySpeaker(c, b, e, b2, e2);
      conf *= 0.6f;
    }
    if (speaker >= 0) SetSpeaker(&q, static_cast<uint32_t>(speaker), inside);
    if (inside && speaker >= 0) {
      // Inside another speaker's direct quotation ('"... when Trump said
      // the 'mother of all sanctions' was waiting ...," Kaju said'): the
      // quoted speaker's own words are the fragments in quotation marks
      // within the content; the rest is the outer speaker's paraphrase.
      const Quote* outer = nullptr;
      for (const Quote& o : out_)
        if (o.kind == QuoteKind::kDirect &&
            ((o.content_begin <= c && c < o.content_end) ||
             (o.content2_begin <= c && c < o.content2_end)))
          outer = &o;
      if (outer && (q.speaker_actor < 0 || q.speaker_actor != outer->speaker_actor)) {
        std::vector<const QSpan*> frags;
        for (const QSpan& s : spans_)
          if (s.outer >= 0 && s.close != kNone && b <= s.open && s.close < e) frags.push_back(&s);
        if (!frags.empty() && frags.size() <= 2) {
          q.kind = QuoteKind::kMixed;
          q.content_begin = frags[0]->begin;
          q.content_end = frags[0]->end;
          q.content2_begin = frags.size() > 1 ? frags[1]->begin : 0;
          q.content2_end = frags.size() > 1 ? frags[1]->end : 0;
        }
      }
    }
    q.confidence = conf;
    for (uint32_t t = c; t < c + len; ++t) cue_used_[t] = 1;
    out_.push_back(q);
    out_span_.push_back(-1);
  }
}

void QuoteExtraction::Finish() {
  // Mixed quotations found by the direct pass replace nothing; drop a
  // direct quotation whose span an indirect one has taken as a fragment.
  std::vector<Quote> quotes = std::move(out_);
  std::sort(quotes.begin(), quotes.end(), [](const Quote& a, const Quote& b) {
    if (a.content_begin != b.content_begin) return a.content_begin < b.content_begin;
    return a.content_end > b.content_end;
  });
  for (size_t i = 0; i < quotes.size(); ++i) {
    Quote& q = quotes[i];
    q.parent = -1;
    uint32_t best = UINT32_MAX;
    for (size_t j = 0; j < quotes.size(); ++j) {
      const Quote& o = quotes[j];
      if (j == i || o.kind != QuoteKind::kDirect) continue;
      for (int part = 0; part < 2; ++part) {
        const uint32_t ob = part ? o.content2_begin : o.content_begin;
        const uint32_t oe = part ? o.content2_end : o.content_end;
        if (ob <= q.content_begin && q.content_end <= oe &&
            (oe - ob) > (q.content_end - q.content_begin) && oe - ob < best) {
          best = oe - ob;
          q.parent = static_cast<int32_t>(j);
        }
      }
    }
    if (q.confidence <= 0) q.confidence = 0.05f;
    if (q.confidence > 1) q.confidence = 1;
  }
  doc_.quotes() = std::move(quotes);
}

void QuoteExtraction::Run() {
  doc_.quotes().clear();
  if (toks_.empty()) return;
  Prepare();
  FindSpans();
  AttributeDirect();
  FindIndirect();
  EmitUnattributed();
  Finish();
}

void QuoteExtractor::Extract(Document* doc) const {
  QuoteExtraction(*this, doc).Run();
}

}  // namespace sitrep
