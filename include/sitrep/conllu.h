// CoNLL-U treebank files: reading, for training and evaluation.
#ifndef SITREP_CONLLU_H_
#define SITREP_CONLLU_H_

#include <string>
#include <string_view>
#include <vector>

#include "sitrep/status.h"

namespace sitrep {

// One syntactic word (a line whose ID is an integer).
struct ConlluWord {
  std::string form, lemma, upos, xpos, feats, deprel, deps, misc;
  int head = -1;  // 0 for the root; -1 when "_"
};

// One surface token: a single word, or a multi-word token ("don't" = do n't)
// covering words [word_begin, word_end).
struct ConlluToken {
  std::string form;
  bool space_after = true;  // false when MISC has SpaceAfter=No
  uint32_t word_begin = 0;
  uint32_t word_end = 0;
};

struct ConlluSentence {
  std::string sent_id;
  std::string text;    // the "# text =" comment
  std::string doc_id;  // the id of the enclosing "# newdoc", if any
  bool new_doc = false;
  bool new_par = false;
  std::vector<ConlluWord> words;
  std::vector<ConlluToken> tokens;
};

// Parses CoNLL-U text. Empty nodes (IDs like 8.1) are skipped. Fails with
// InvalidArgument naming the line on malformed input.
Status ParseConllu(std::string_view data, std::vector<ConlluSentence>* out);

// Reads and parses a CoNLL-U file (gzip/zstd allowed).
Result<std::vector<ConlluSentence>> ReadConlluFile(const std::string& path);

class Document;

// Appends `doc` as CoNLL-U: "# newdoc id", then per sentence "# sent_id"
// (<doc id>-<n>), "# text" and one line per token (ID, FORM, LEMMA, UPOS,
// XPOS, FEATS "_", HEAD, DEPREL, DEPS "_", MISC with SpaceAfter=No and the
// token's byte span as TokenRange=begin:end). Columns of layers the document
// lacks are "_". Newlines and tabs inside a token are written as spaces.
void AppendDocumentConllu(const Document& doc, std::string* out);

}  // namespace sitrep

#endif  // SITREP_CONLLU_H_
