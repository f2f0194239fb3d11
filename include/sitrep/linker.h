// Linker: entity linking, coreference, geocoding and roles at the article date.
//
// Turns the entity mentions of a Document into canonical actors
// (Document::actors()) and the mentions that refer to them
// (Document::mentions()), with the knowledge base (kb.h):
//
//   - names: each PERSON, ORG, GPE, LOC, NORP and FAC mention becomes a
//     mention of a knowledge-base record (a person with the role valid at the
//     article date, a country, an organization, a place) or of a
//     document-level actor when the knowledge base does not know it;
//     countries are also reached by demonyms ("Estonian"), capitals and
//     metonyms used as actors ("the Kremlin said"); a sector term written
//     with a country ("Russian military command") is kept on the mention;
//   - coreference: surnames and partial names to the full name met in the
//     document (else to the one office holder of that surname at the date),
//     he/she pronouns to the nearest compatible person, definite role
//     descriptions ("the minister") to the person holding that role;
//   - geocoding: places to a record with coordinates, ranked by population,
//     by the countries and divisions the document mentions, and by a
//     division word written after the name ("Kursk region"), with an
//     ACLED-style precision (place, admin1, region, country);
//   - roles: the title the text writes ("former President", apposition,
//     "(Reform)" affiliation) beside the knowledge base's role at the article
//     date; a disagreement sets kActorRoleConflict with a note.
//
// Immutable; one Linker serves every thread.
#ifndef SITREP_LINKER_H_
#define SITREP_LINKER_H_

#include "sitrep/document.h"
#include "sitrep/kb.h"

namespace sitrep {

class Linker {
 public:
  // REQUIRES: kb outlives the Linker.
  explicit Linker(const KnowledgeBase* kb) : kb_(kb) {}

  // Replaces doc->actors(), doc->mentions() and doc->actor_pool().
  // REQUIRES: tokens, sentences and entities are set (tags and deps are used
  //   when they are parallel to the tokens). The article date is
  //   doc->meta().date; without one, roles are taken as of the latest
  //   knowledge.
  // GUARANTEES: mentions are sorted by token_begin, do not overlap, lie in
  //   one sentence each, and name an actor index below actors().size().
  void Link(Document* doc) const;

 private:
  const KnowledgeBase* kb_;
};

}  // namespace sitrep

#endif  // SITREP_LINKER_H_
