// Treebank augmentation for training: sentences in constructions news text
// is full of and the treebanks rarely show, built from the treebanks' own
// trees (no new words, annotation conventions of EWT and GUM).
#ifndef SITREP_AUGMENT_H_
#define SITREP_AUGMENT_H_

#include <cstdint>
#include <vector>

#include "sitrep/conllu.h"

namespace sitrep {

struct AugmentOptions {
  // Share of eligible sentences (declaratives of 6-45 words ending in ".")
  // that get a final reporting clause: "S, NP said." (the content clause a
  // ccomp of the verb, the verb the root), "“S,” NP said." or "S, said NP."
  // with a speaker and a verb taken from another treebank sentence, or a
  // named subject of any verb ("security expert Rainer Saks") and a
  // past-tense reporting verb.
  double reporting_rate = 0.06;
  // Share that get a fronted bare time phrase: "Next week, S." (obl:unmarked).
  double time_rate = 0.02;
  // Share that get a fronted source: "According to U.S. expert Andreas Kaju, S."
  double according_rate = 0.02;
  uint64_t seed = 20250309;
};

// New sentences derived from `train` (which is not changed); deterministic
// for given data and options. Each is its own document ("<doc_id>-aug"),
// one token per word, heads complete.
std::vector<ConlluSentence> AugmentTreebank(const std::vector<ConlluSentence>& train,
                                            const AugmentOptions& options);

}  // namespace sitrep

#endif  // SITREP_AUGMENT_H_
