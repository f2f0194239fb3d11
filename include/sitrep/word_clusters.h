// Word classes learned from unlabeled text, for features of the trained
// models (the NER first): words used in the same contexts share a class, so
// a model that saw "Pevkur" labelled can generalize to "Kaju" when both
// follow "minister" and precede "said".
//
// Method: every word seen at least `min_count` times gets a vector of the
// positive pointwise mutual information (PPMI, context counts smoothed with
// exponent 0.75) between it and the frequent words at offsets -2, -1, +1,
// +2 (and the sentence edges); the vectors are reduced to `dims`
// dimensions by a randomized truncated SVD (one power iteration; rows of
// U * sqrt(S), unit length), then clustered by spherical k-means (k-means++
// seeding) at several granularities ("levels", e.g. 32, 128, 512, 2048
// classes). Deterministic: fixed seeds and fixed summation order.
//
// The result is an open-addressing table keyed by Token::norm (the NormId of
// NormalForm) read in place: a lookup is one hash probe and gives the
// word's class at every level. It is written as a model file of kind
// "clusters" and can be embedded in another model (the NER keeps a copy, so
// it always uses the classes it was trained with).
#ifndef SITREP_WORD_CLUSTERS_H_
#define SITREP_WORD_CLUSTERS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/status.h"

namespace sitrep {

namespace model {
class ModelFile;
}

class WordClusters {
 public:
  static constexpr int kMaxLevels = 4;

  WordClusters() = default;
  ~WordClusters();
  WordClusters(WordClusters&&) noexcept;
  WordClusters& operator=(WordClusters&&) noexcept;

  // Loads a clusters model file (kind "clusters").
  static Result<std::unique_ptr<WordClusters>> Load(const std::string& path);
  // A view of a table (Table()) held elsewhere, which must outlive the
  // result and be 8-byte aligned.
  static Result<WordClusters> FromTable(std::string_view table);

  // The word's classes packed 16 bits a level, level l in bits [16l, 16l+16):
  // 0 when the word has no class (rare or unseen), else 1 + class. One probe.
  uint64_t Lookup(uint64_t norm) const {
    const uint64_t key = norm ? norm : 1;
    for (uint64_t i = key & mask_;; i = (i + 1) & mask_) {
      const uint64_t k = slots_[2 * i];
      if (k == key) return slots_[2 * i + 1];
      if (k == 0) return 0;
    }
  }
  static uint32_t Level(uint64_t packed, int level) {
    return static_cast<uint32_t>(packed >> (16 * level)) & 0xFFFF;
  }

  int num_levels() const { return num_levels_; }
  // Number of classes at each level.
  uint32_t level_size(int level) const { return sizes_[level]; }
  size_t num_words() const { return num_words_; }
  // The serialized table (what FromTable reads).
  std::string_view Table() const { return table_; }
  // XXH3-64 of Table(): identifies the classes a model was trained with.
  uint64_t Checksum() const;

 private:
  std::unique_ptr<model::ModelFile> file_;  // when loaded from a file
  std::string_view table_;
  uint64_t mask_ = 0;
  const uint64_t* slots_ = nullptr;
  int num_levels_ = 0;
  uint32_t sizes_[kMaxLevels] = {0, 0, 0, 0};
  size_t num_words_ = 0;
};

struct WordClusterOptions {
  uint32_t min_count = 3;           // rarer words get no class
  uint32_t context_words = 5000;    // the most frequent words serve as contexts
  uint32_t dims = 96;               // SVD dimensions
  std::vector<uint32_t> levels = {32, 128, 512, 2048};  // classes per level (<= 65535)
  int iterations = 12;              // k-means iterations per level
  uint64_t seed = 20250309;
};

// Collects the text the classes are learned from: sentences as sequences of
// token norms (NormId(NormalForm(word)), i.e. Token::norm).
class WordClusterCorpus {
 public:
  void AddSentence(const uint64_t* norms, size_t n);
  size_t num_tokens() const { return tokens_.size() - sentences_; }
  size_t num_sentences() const { return sentences_; }

 private:
  friend struct WordClusterBuilder;
  std::vector<uint64_t> tokens_;  // sentences separated by 0
  size_t sentences_ = 0;
};

struct WordClusterStats {
  size_t tokens = 0, vocabulary = 0, clustered_words = 0;
  double seconds = 0;
};

// Learns the classes; returns the table (WordClusters::FromTable reads it).
Result<std::string> BuildWordClusters(const WordClusterCorpus& corpus,
                                      const WordClusterOptions& options,
                                      WordClusterStats* stats = nullptr);

// Learns the classes and writes them as a model file of kind "clusters".
Status TrainWordClusters(const WordClusterCorpus& corpus, const WordClusterOptions& options,
                         const std::string& out_path, const std::string& meta_json,
                         WordClusterStats* stats = nullptr);

}  // namespace sitrep

#endif  // SITREP_WORD_CLUSTERS_H_
