// XXH3 compiled into the including file (XXH_INLINE_ALL), for code that
// hashes several short strings per token, where a call into libxxhash for
// each costs more than the hash. XXH3_64bits(s, n) here is the function
// NormId (sitrep/document.h) calls. Include before anything else that
// includes <xxhash.h>.
#ifndef SITREP_SRC_TEXT_XXH3_INLINE_H_
#define SITREP_SRC_TEXT_XXH3_INLINE_H_

#define XXH_INLINE_ALL
// GCC 12 reports array-bounds warnings inside xxhash's inlined length switch
// for buffers it cannot prove long enough; the reads are guarded by length.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#include <xxhash.h>
#pragma GCC diagnostic pop

#endif  // SITREP_SRC_TEXT_XXH3_INLINE_H_
