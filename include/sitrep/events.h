// EventCoder: political events in PLOVER and CAMEO, from the parse.
//
// Fills Document::events() and event_args() (document.h) from the tokens,
// tags, dependency parse, the linker's actors and mentions, resolved times
// and quotations:
//
//   - triggers: verbs, nouns and predicative adjectives of the event lexicon
//     (docs/event-lexicon.md), with constraints on particles, objects,
//     prepositions and modifiers ("blow up", "impose sanctions", "call for",
//     "hunger strike"); a support verb ("launch [an attack]", "hold [talks]")
//     lends its subject and obliques to the noun it governs;
//   - source and target: subject, object, passive agent and subject,
//     prepositional objects the lexicon names, a noun's possessor or
//     demonym, "between A and B"; coordinated actors ("the US and Ukraine")
//     give several; a subjectless verb takes the subject of the clause it
//     depends on; a pronoun the linker left unresolved, or an event with no
//     source inside a quotation, takes the quotation's speaker;
//   - codes: the linked actor's country or CAMEO code and the sector its
//     mention or role gives ("Russian military command" -> RUS MIL);
//   - place: a place or country in a locative phrase of the event ("in the
//     Kursk region"), else the territory attacked; time: a date or time
//     phrase of the event's clause, else the article date;
//   - modality: negated ("did not attack"), planned ("will meet", "before
//     talks begin", a resolved date after the article date) and hypothetical
//     ("would receive", "if they attack", "potential talks");
//   - intent and statements: "promised / offered / is willing to X" and a
//     speaker saying it will X is AGREE when X cooperates and THREATEN when X
//     is hostile or made conditional with "unless"; a hostile act a speaker
//     makes conditional ("sanctions if they do not stop") is THREATEN; the
//     act itself is kept as a planned or hypothetical child event.
//
// The lexicon is one or more data files in the format of
// docs/event-lexicon.md; a later file's entry replaces an earlier one with
// the same word, part of speech and constraints (users extend the shipped
// lexicon that way).
//
// Immutable after construction; one EventCoder serves every thread.
#ifndef SITREP_EVENTS_H_
#define SITREP_EVENTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/status.h"

namespace sitrep {

class KnowledgeBase;

// One entry of the event lexicon.
struct EventPattern {
  // kLight: a support verb whose object noun names the event. kIntent: a
  // verb or adjective of intent whose complement decides AGREE or THREATEN.
  // kNeg: a verb that negates its complement ("failed to reach").
  enum class Role : uint8_t { kEvent, kLight, kIntent, kNeg };
  std::string word;  // lemma, lower case
  Upos pos = Upos::kVERB;
  // Constraints (all must hold); NormIds of lemmas. Empty: no constraint.
  uint64_t prt = 0;              // a particle child
  std::vector<uint64_t> obj;     // the direct object is one of these
  uint64_t prep = 0;             // an oblique introduced by this preposition
  std::vector<uint64_t> mod;     // a compound or adjectival modifier is one of these
  Role role = Role::kEvent;
  EventType type = EventType::kNone;  // kNone unless role is kEvent or kIntent
  std::string mode, context, cameo;   // "" when "-"
  // Where the target is, in priority order: NormIds of prepositions, or
  // kTargetObj / kTargetIobj / kTargetSubj.
  std::vector<uint64_t> target;
  int specificity = 0;  // number of constraints
  std::string with;     // the constraint column as written (identity for overrides)
};

inline constexpr uint64_t kTargetObj = 1, kTargetIobj = 2, kTargetSubj = 3;

class EventLexicon {
 public:
  // Reads lexicon files in order; a later entry with the same word, part of
  // speech and constraints replaces an earlier one. Errors name `path:line`
  // and the reason; NotFound when a file cannot be read.
  static Result<std::unique_ptr<EventLexicon>> Load(const std::vector<std::string>& paths);
  // Adds the entries of one file's contents; `name` is used in messages.
  Status AddText(std::string_view text, std::string_view name);

  // Entries for a lemma (NormId of the lower-case lemma) and part of
  // speech, most specific first; empty when none.
  const std::vector<int>& Find(uint64_t lemma, Upos pos) const;
  const std::vector<EventPattern>& patterns() const { return patterns_; }

 private:
  EventLexicon() = default;
  std::vector<EventPattern> patterns_;
  std::unordered_map<uint64_t, std::vector<int>> index_;  // (lemma ^ pos) -> patterns
};

class EventCoder {
 public:
  // Loads the lexicon files (see EventLexicon::Load); fails when none has
  // an event entry.
  static Result<std::unique_ptr<EventCoder>> Load(const std::vector<std::string>& lexicon_paths);
  // Takes a loaded lexicon.
  explicit EventCoder(std::unique_ptr<EventLexicon> lexicon) : lexicon_(std::move(lexicon)) {}

  // Replaces doc->events() and doc->event_args().
  // REQUIRES: tokens and sentences are set. Without tags and a parse
  //   parallel to the tokens no event is coded. Actors come from mentions()
  //   when the linker has run; times from times(); speakers from quotes().
  // GUARANTEES: events are sorted by (sentence, trigger_begin); every token
  //   range lies within its sentence; each event has a source or a target;
  //   arg ranges lie within event_args(); location, time, quote and parent
  //   are -1 or valid indices, and parent < the event's own index is not
  //   guaranteed but parent != itself and the parent chain has no cycle.
  // `kb`, when given, supplies the sector of a sector term heading an
  // actor phrase ("police" -> COP).
  void Code(Document* doc, const KnowledgeBase* kb = nullptr) const;

  const EventLexicon& lexicon() const { return *lexicon_; }

 private:
  std::unique_ptr<EventLexicon> lexicon_;
};

}  // namespace sitrep

#endif  // SITREP_EVENTS_H_
