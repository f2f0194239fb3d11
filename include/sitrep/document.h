// Document: one article and every annotation sitrep computes for it.
//
// A Document owns the article's UTF-8 text and its metadata, and holds each
// layer of analysis as a flat array. Every annotation is an index range into
// another array or a byte range into text(), so any record can be traced back
// to the exact characters it came from. Stages fill the arrays they declare
// (see pipeline.h); a Document is not thread-safe, but distinct Documents may
// be processed concurrently.
#ifndef SITREP_DOCUMENT_H_
#define SITREP_DOCUMENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitrep {

// Half-open byte range [begin, end) into Document::text().
struct ByteSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
  bool empty() const { return end == begin; }
  friend bool operator==(const ByteSpan&, const ByteSpan&) = default;
};

// Coarse lexical class assigned by the tokenizer.
// NOTE: values are written to output and model files; append only.
enum class TokenKind : uint8_t {
  kWord = 0,        // letters, possibly with digits, hyphens, apostrophes
  kNumber = 1,      // 12, 1,000.5, 3/4, 11/28/2000, 5:30, 1990s
  kPunct = 2,       // . , ; : ! ? ... -- ( ) [ ] and the like
  kQuote = 3,       // any quotation mark, straight or curly, single or double
  kSymbol = 4,      // $ % & @ # + = currency signs and other symbols
  kUrl = 5,         // http://..., www.example.com
  kEmail = 6,       // name@example.com
  kEmoticon = 7,    // :) :-( ^_^
  kAbbreviation = 8 // U.S. Gen. e.g. p.m. (a word including its periods)
};
std::string_view TokenKindName(TokenKind kind);

// Bit flags of Token::flags.
enum TokenFlag : uint8_t {
  kSpaceAfter = 1 << 0,    // whitespace follows the token in text()
  kNewlineAfter = 1 << 1,  // the whitespace that follows contains a line break
  kJoinedToPrev = 1 << 2,  // a clitic ('s n't 're) split off the previous
                           // token: the two form one orthographic word
  kQuoteOpen = 1 << 3,     // a quotation mark judged to open a quotation
  kQuoteClose = 1 << 4,    // a quotation mark judged to close a quotation
  kBlankLineAfter = 1 << 5,  // a blank line (paragraph break) follows
};

// A token: the unit every later stage (tagger, parser, NER) works on. Tokens
// are syntactic words: "Ukraine's" is two tokens, "Ukraine" and "'s", the
// second flagged kJoinedToPrev. Tokens never overlap and appear in text order.
struct Token {
  uint32_t begin = 0;  // byte offset of the first byte in text()
  uint32_t end = 0;    // byte offset one past the last byte
  uint64_t norm = 0;   // NormId() of the normalized form (see NormalForm)
  uint64_t shape = 0;  // NormId() of the word shape (see WordShape)
  TokenKind kind = TokenKind::kWord;
  uint8_t flags = 0;
  bool has(TokenFlag f) const { return (flags & f) != 0; }
};

// Universal POS tags (UD v2). NOTE: values are persisted; append only.
enum class Upos : uint8_t {
  kNone = 0, kADJ, kADP, kADV, kAUX, kCCONJ, kDET, kINTJ, kNOUN, kNUM, kPART, kPRON, kPROPN,
  kPUNCT, kSCONJ, kSYM, kVERB, kX
};
inline constexpr int kNumUpos = 18;
std::string_view UposName(Upos tag);
// Returns Upos::kNone for an unknown name.
Upos UposFromName(std::string_view name);

// Part-of-speech annotation of one token (filled by the tagger).
struct TokenTag {
  Upos upos = Upos::kNone;
  uint8_t xpos = 0;          // index into XposNames(); 0 is "_" (none)
  uint32_t lemma_begin = 0;  // lemma: Document::lemma_pool()[begin, begin + len)
  uint32_t lemma_len = 0;
};
// Penn Treebank tags with the UD English extensions, index 0 being "_".
// NOTE: persisted order; append only.
const std::vector<std::string_view>& XposNames();
// Returns 0 for an unknown name.
uint8_t XposFromName(std::string_view name);

// Universal Dependencies relation names (universal relations and the
// English subtypes of EWT and GUM), index 0 being "_" (none).
// NOTE: persisted order; append only.
const std::vector<std::string_view>& DeprelNames();
// Returns 0 for an unknown name.
uint8_t DeprelFromName(std::string_view name);

// Syntactic head of one token (filled by the parser): `head` is a token index
// in the same sentence, or -1 for the sentence's root word.
struct Dependency {
  int32_t head = -1;
  uint8_t deprel = 0;  // index into DeprelNames()
};

// Entity types: the names of OntoNotes (PERSON, NORP nationalities and
// religious or political groups, FAC buildings and infrastructure, ORG, GPE
// countries cities and states, LOC other places, EVENT) and its numeric and
// temporal types. NOTE: values are persisted; append only.
enum class EntityType : uint8_t {
  kNone = 0, kPerson, kNorp, kFac, kOrg, kGpe, kLoc, kEvent,
  kDate, kTime, kMoney, kPercent, kQuantity, kCardinal, kOrdinal
};
inline constexpr int kNumEntityTypes = 15;
std::string_view EntityTypeName(EntityType type);  // "PERSON", "GPE", ...; "_" for kNone
// Returns EntityType::kNone for an unknown name.
EntityType EntityTypeFromName(std::string_view name);

// An entity mention: tokens [token_begin, token_end), inside one sentence.
// Document::entities() is sorted by token_begin; mentions do not overlap.
struct Entity {
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  EntityType type = EntityType::kNone;
  // A title or role written before a PERSON and not part of the name
  // ("Estonian Minister of Defense" before "Hanno Pevkur"): tokens
  // [title_begin, title_end), ending where the name begins; empty if none.
  uint32_t title_begin = 0;
  uint32_t title_end = 0;
  // Normalized value of a numeric or temporal mention, in
  // Document::entity_values()[value_begin, value_begin + value_len); empty
  // when none is known: "2025-03-09", "5000000 USD", "12.5", "2".
  uint32_t value_begin = 0;
  uint32_t value_len = 0;
};

// How precise a resolved time is (ResolvedTime::granularity): the calendar
// unit the expression names. kTime: a clock time or part of a day ("5:30
// p.m.", "this morning") within the day [begin, end]; kSeason: meteorological
// (northern) seasons, winter running December to February; kRange: an
// interval that is not one calendar unit ("the past week", "late February",
// "2014-2016", "earlier this month"). NOTE: values are persisted; append only.
enum class TimeGranularity : uint8_t {
  kNone = 0, kTime, kDay, kWeek, kMonth, kQuarter, kSeason, kYear, kDecade, kCentury, kRange
};

// Bit flags of ResolvedTime::flags.
enum ResolvedTimeFlag : uint8_t {
  kTimeAssumed = 1 << 0,      // a default chose among readings the text leaves open
                              // (the year of "March 3", which "Tuesday", the day of "5 p.m.")
  kTimeApproximate = 1 << 1,  // the text is vague ("late February", "recent days")
};

// The calendar interval a DATE or TIME entity refers to, resolved against the
// article date (TimeResolver, time_resolve.h): days [begin, end], inclusive,
// counted from 1970-01-01 in the proleptic Gregorian calendar (FormatIsoDay
// in time_resolve.h writes "YYYY-MM-DD").
struct ResolvedTime {
  uint32_t entity = 0;  // index into Document::entities()
  int32_t begin = 0;
  int32_t end = 0;
  TimeGranularity granularity = TimeGranularity::kNone;
  uint8_t flags = 0;  // ResolvedTimeFlag bits
};

// A sentence: tokens [token_begin, token_end).
struct Sentence {
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
};

// A paragraph: a block of text separated from its neighbours by a blank line.
// Sentences never cross paragraphs.
struct Paragraph {
  ByteSpan span;                // text without surrounding whitespace
  uint32_t sentence_begin = 0;  // sentences [sentence_begin, sentence_end)
  uint32_t sentence_end = 0;
  uint32_t token_begin = 0;  // tokens [token_begin, token_end)
  uint32_t token_end = 0;
};

// A string held in Document::actor_pool(): [begin, begin + len).
struct PoolRef {
  uint32_t begin = 0;
  uint32_t len = 0;
  bool empty() const { return len == 0; }
};

// What an actor is. NOTE: values are written to output; append only.
enum class ActorKind : uint8_t { kNone = 0, kPerson, kCountry, kOrg, kPlace, kGroup };
std::string_view ActorKindName(ActorKind kind);  // "person", "country", ...

// Bit flags of Actor::flags.
enum ActorFlag : uint8_t {
  kActorKnown = 1 << 0,         // a knowledge-base record, not a document-level entity
  kActorRoleConflict = 1 << 1,  // the role the text gives disagrees with the knowledge base
  kActorHasGeo = 1 << 2,        // geo_* fields are set
};

// A canonical actor that mentions of one document refer to (filled by the
// linker): a person, country, organization or place of the knowledge base,
// or a document-level entity when the knowledge base does not know it.
// Strings are PoolRefs into Document::actor_pool().
struct Actor {
  ActorKind kind = ActorKind::kNone;
  uint8_t flags = 0;
  char gender = 0;           // 'm', 'f' or 0 (people)
  char geo_class = 0;        // 'A' division, 'P' populated place, 'L' area, ...; 0 if none
  PoolRef id;                // "hanno_pevkur", "RUS", "NATO", "geo:538560", "doc:3"
  PoolRef name;              // canonical name
  PoolRef country;           // ISO 3166-1 alpha-3, when known
  PoolRef sector;            // CAMEO-style sector code: "GOV", "MIL", ...
  PoolRef cameo;             // CAMEO actor code when the knowledge base gives one
  PoolRef org_kind;          // organizations: "igo", "party", "armed", ...
  // People: the role as the text writes it ("former President"), the
  // knowledge base's role at the article date, and its validity.
  PoolRef text_role, kb_role, kb_role_country, kb_role_start, kb_role_end;
  PoolRef affiliation;       // organization the text attaches ("(Reform)")
  PoolRef note;              // why kActorRoleConflict is set
  // Places and countries: the geocoded record.
  PoolRef geo_name, geo_country, geo_admin1, geo_feature, geo_precision;
  float lat = 0, lon = 0;
};

// How a mention refers to its actor. NOTE: written to output; append only.
enum class MentionHow : uint8_t {
  kName = 0, kAlias, kSurname, kDemonym, kCapital, kMetonym, kPronoun, kNominal
};
std::string_view MentionHowName(MentionHow how);  // "name", "alias", ...

// A mention of an actor: tokens [token_begin, token_end) inside one
// sentence. `entity` is the entity it was made from, or -1 (pronouns,
// descriptions, names the recognizer missed). `sector`: a sector term
// written with it ("Russian [military command]") as a code, else empty.
struct Mention {
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t actor = 0;  // index into Document::actors()
  int32_t entity = -1;
  MentionHow how = MentionHow::kName;
  PoolRef sector;
};

// --- Quotations (filled by QuoteExtractor, include/sitrep/quotes.h) ---
// How a quotation is reported. NOTE: written to output; append only.
enum class QuoteKind : uint8_t {
  kDirect = 0,    // the words inside quotation marks
  kIndirect = 1,  // reported speech without marks ("X said (that) ...")
  kMixed = 2      // reported speech carrying a quoted fragment ("X called it 'a disgrace'")
};
// Who a speaker is. NOTE: written to output; append only.
enum class SpeakerType : uint8_t {
  kNone = 0,          // no speaker found
  kNamed = 1,         // a person's name ("Hanno Pevkur", "Pevkur")
  kPronoun = 2,       // "he", "she", "they"
  kNominal = 3,       // a description ("the minister", "Ukraine's spokesman")
  kAnonymous = 4,     // "officials", "sources", "a senior diplomat"
  kOrganization = 5,  // "NATO", "the ministry"
  kCountry = 6        // "Ukraine", "the Kremlin"
};

// A quotation: token ranges [begin, end) into Document::tokens(). Content
// excludes the quotation marks. content2 is a second part of the same
// quotation ("..., X said, "..."), empty (begin == end) when none. cue and
// speaker are empty when not found; speaker_actor indexes actors(), or -1.
// parent is the index in quotes() of the direct quotation this one lies
// inside ("the 'mother of all sanctions'" reported within another's words), or -1.
struct Quote {
  uint32_t content_begin = 0, content_end = 0;
  uint32_t content2_begin = 0, content2_end = 0;
  uint32_t cue_begin = 0, cue_end = 0;
  uint32_t speaker_begin = 0, speaker_end = 0;
  int32_t speaker_actor = -1;
  QuoteKind kind = QuoteKind::kDirect;
  uint8_t speaker_type = 0;  // a SpeakerType
  float confidence = 0;      // in (0, 1]
  int32_t parent = -1;
};

// --- Events (filled by EventCoder, include/sitrep/events.h) ---
// PLOVER event types. NOTE: values are written to output; append only.
enum class EventType : uint8_t {
  kNone = 0, kAgree, kConsult, kSupport, kConcede, kCooperate, kAid, kRetreat, kRequest,
  kAccuse, kReject, kThreaten, kProtest, kSanction, kMobilize, kCoerce, kAssault
};
inline constexpr int kNumEventTypes = 17;
std::string_view EventTypeName(EventType type);  // "AGREE", ...; "" for kNone
// Returns EventType::kNone for an unknown name.
EventType EventTypeFromName(std::string_view name);

// Whether an event happened as the text reports it. NOTE: written to output; append only.
enum class EventModality : uint8_t {
  kAsserted = 0,     // reported as having happened or happening
  kPlanned = 1,      // future, scheduled or intended ("will meet next week", "before talks begin")
  kHypothetical = 2  // conditional, possible or demanded ("would receive", "if they attack")
};
std::string_view EventModalityName(EventModality m);  // "asserted", "planned", "hypothetical"

// One actor of an event: tokens [token_begin, token_end) of the phrase as
// written; actor indexes actors() or is -1; code is a country or CAMEO actor
// code and sector a CAMEO sector, both in actor_pool(), empty when unknown.
struct EventArg {
  uint32_t token_begin = 0, token_end = 0;
  int32_t actor = -1;
  PoolRef code, sector;
};

// An event: the trigger words [trigger_begin, trigger_end) in `sentence`;
// source and target actors as ranges of Document::event_args(); location a
// mention index (a place or country) or -1; time an index into times() or -1
// (then the date is the article date); quote the quotation whose content
// carries the event (its speaker reports it) or -1; parent the event whose
// complement or argument this one is, or -1. mode, context (comma-separated)
// and cameo are in actor_pool().
struct Event {
  EventType type = EventType::kNone;
  EventModality modality = EventModality::kAsserted;
  bool negated = false;
  bool conditional = false;  // made on a condition ("... if the Russians did not stop")
  uint32_t sentence = 0;
  uint32_t trigger_begin = 0, trigger_end = 0;
  uint32_t source_begin = 0, source_end = 0;
  uint32_t target_begin = 0, target_end = 0;
  int32_t location = -1;
  int32_t time = -1;
  int32_t quote = -1;
  int32_t parent = -1;
  PoolRef mode, context, cameo;
  float confidence = 0;  // in (0, 1]
};

// Where a document came from, for error messages and provenance.
struct Origin {
  std::string file;   // path as given by the user, "-" for stdin
  uint64_t line = 0;  // 1-based line of the record's first line; 0 if unknown
};

// Article metadata. Empty strings mean "not given".
struct Metadata {
  std::string id;
  std::string date;  // as given in the input: YYYY-MM-DD or an ISO timestamp
  std::string source;
  std::string title;
  std::string url;
  // Other input fields, kept verbatim: (name, raw JSON value).
  std::vector<std::pair<std::string, std::string>> extra;
};

// A non-fatal problem found while reading or analysing a document.
struct Diagnostic {
  uint32_t offset = 0;  // byte offset in text() it refers to
  std::string message;
};

class Document {
 public:
  Document() = default;
  Document(std::string text, Metadata meta) : text_(std::move(text)), meta_(std::move(meta)) {}

  // Replaces the text and clears every annotation; metadata is kept.
  void Reset(std::string text);
  // Clears text, metadata and annotations but keeps allocated capacity.
  void Clear();

  const std::string& text() const { return text_; }
  std::string_view text(ByteSpan span) const {
    return std::string_view(text_).substr(span.begin, span.size());
  }

  Metadata& meta() { return meta_; }
  const Metadata& meta() const { return meta_; }
  Origin& origin() { return origin_; }
  const Origin& origin() const { return origin_; }

  std::vector<Token>& tokens() { return tokens_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  std::vector<Sentence>& sentences() { return sentences_; }
  const std::vector<Sentence>& sentences() const { return sentences_; }
  std::vector<Paragraph>& paragraphs() { return paragraphs_; }
  const std::vector<Paragraph>& paragraphs() const { return paragraphs_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // Parallel to tokens() once a tagger has run; empty before.
  std::vector<TokenTag>& tags() { return tags_; }
  const std::vector<TokenTag>& tags() const { return tags_; }
  // Parallel to tokens() once a parser has run; empty before.
  std::vector<Dependency>& deps() { return deps_; }
  const std::vector<Dependency>& deps() const { return deps_; }
  // Sorted by token_begin, non-overlapping; empty before NER has run.
  std::vector<Entity>& entities() { return entities_; }
  const std::vector<Entity>& entities() const { return entities_; }
  std::string& entity_values() { return entity_values_; }
  const std::string& entity_values() const { return entity_values_; }
  // REQUIRES: i < entities().size()
  std::string_view entity_value(size_t i) const {
    const Entity& e = entities_[i];
    return std::string_view(entity_values_).substr(e.value_begin, e.value_len);
  }
  // Filled by the linker; empty before. mentions() is sorted by token_begin.
  std::vector<Actor>& actors() { return actors_; }
  const std::vector<Actor>& actors() const { return actors_; }
  std::vector<Mention>& mentions() { return mentions_; }
  const std::vector<Mention>& mentions() const { return mentions_; }
  std::string& actor_pool() { return actor_pool_; }
  const std::string& actor_pool() const { return actor_pool_; }
  std::string_view pool(PoolRef r) const {
    return std::string_view(actor_pool_).substr(r.begin, r.len);
  }
  PoolRef AddToPool(std::string_view s) {
    PoolRef r{static_cast<uint32_t>(actor_pool_.size()), static_cast<uint32_t>(s.size())};
    actor_pool_.append(s);
    return r;
  }
  std::string& lemma_pool() { return lemma_pool_; }
  const std::string& lemma_pool() const { return lemma_pool_; }
  // REQUIRES: i < tags().size()
  std::string_view lemma(size_t i) const {
    const TokenTag& t = tags_[i];
    return std::string_view(lemma_pool_).substr(t.lemma_begin, t.lemma_len);
  }

  // The exact characters of token i.  REQUIRES: i < tokens().size()
  std::string_view token_text(size_t i) const {
    const Token& t = tokens_[i];
    return std::string_view(text_).substr(t.begin, t.end - t.begin);
  }
  // Byte span of sentence s, from its first token's start to its last
  // token's end.  REQUIRES: s < sentences().size() and the sentence is non-empty.
  ByteSpan sentence_span(size_t s) const {
    const Sentence& x = sentences_[s];
    return {tokens_[x.token_begin].begin, tokens_[x.token_end - 1].end};
  }
  // Resolved DATE and TIME entities, sorted by entity, at most one per
  // entity; empty before TimeResolver has run or when the article date is
  // missing or malformed. Entity indices refer to entities() as the resolver
  // saw them: a stage that inserts entities later must resolve again.
  std::vector<ResolvedTime>& times() { return times_; }
  const std::vector<ResolvedTime>& times() const { return times_; }
  // Filled by the quote extractor; empty before. Sorted by content_begin.
  std::vector<Quote>& quotes() { return quotes_; }
  const std::vector<Quote>& quotes() const { return quotes_; }
  // Filled by the event coder; empty before. Sorted by sentence, then trigger.
  std::vector<Event>& events() { return events_; }
  const std::vector<Event>& events() const { return events_; }
  std::vector<EventArg>& event_args() { return event_args_; }
  const std::vector<EventArg>& event_args() const { return event_args_; }

 private:
  std::string text_;
  Metadata meta_;
  Origin origin_;
  std::vector<Token> tokens_;
  std::vector<Sentence> sentences_;
  std::vector<Paragraph> paragraphs_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<TokenTag> tags_;
  std::string lemma_pool_;
  std::vector<Dependency> deps_;
  std::vector<Entity> entities_;
  std::string entity_values_;
  std::vector<Actor> actors_;
  std::vector<Mention> mentions_;
  std::string actor_pool_;
  std::vector<ResolvedTime> times_;
  std::vector<Quote> quotes_;
  std::vector<Event> events_;
  std::vector<EventArg> event_args_;
};

// 64-bit identifier of a string (a stable hash; equal strings, equal ids).
uint64_t NormId(std::string_view s);

// Normalized form of a token: lower case (full Unicode case folding),
// curly quotes and apostrophes mapped to their ASCII forms, en/em dashes to
// "--", the ellipsis character to "...".
std::string NormalForm(std::string_view token);
// Appends NormalForm(token) to *out (no allocation when *out has the room).
void AppendNormalForm(std::string_view token, std::string* out);

// Word shape in the style of spaCy: letters map to X/x, digits to d, other
// characters stay; runs longer than 4 of the same class are cut to 4.
// "Pevkur" -> "Xxxxx", "2025-03-09" -> "dddd-dd-dd", "U.S." -> "X.X.".
std::string WordShape(std::string_view token);

}  // namespace sitrep

#endif  // SITREP_DOCUMENT_H_
