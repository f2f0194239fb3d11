// Self-describing, versioned, checksummed model files, loaded by mmap.
//
// Layout (all integers little endian):
//   magic        8 bytes  "SITREPMD"
//   version      u32      format version of this layout (kModelFormatVersion)
//   kind_len     u32      then `kind` bytes: what the model is ("segmenter", ...)
//   kind_version u32      version of the kind's payload layout
//   meta_len     u32      then `meta` bytes: JSON with training data, scores, command
//   pad                   zero bytes up to a multiple of 8
//   payload_len  u64      then the payload, 8-byte aligned
//   checksum     u64      XXH3-64 of every byte before it
// A file whose magic, version, kind, kind version, size or checksum does not
// match fails to load with a message saying what to do.
#ifndef SITREP_SRC_MODEL_MODEL_FILE_H_
#define SITREP_SRC_MODEL_MODEL_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sitrep/status.h"

namespace sitrep::model {

inline constexpr uint32_t kModelFormatVersion = 1;

// A read-only, memory-mapped model file. Immutable; safe to share across threads.
class ModelFile {
 public:
  ~ModelFile();
  ModelFile(const ModelFile&) = delete;
  ModelFile& operator=(const ModelFile&) = delete;

  // Maps `path` and checks it is a model of `kind` with payload layout
  // `kind_version`.
  static Result<std::unique_ptr<ModelFile>> Open(const std::string& path, std::string_view kind,
                                                 uint32_t kind_version);

  std::string_view kind() const { return kind_; }
  std::string_view meta() const { return meta_; }
  // 8-byte aligned payload bytes, valid while this object lives.
  std::string_view payload() const { return payload_; }

 private:
  ModelFile() = default;
  void* map_ = nullptr;
  size_t size_ = 0;
  std::string_view kind_, meta_, payload_;
};

// A payload made of blocks: each a u64 length, the bytes, and zero padding
// to the next multiple of 8 (so every block starts 8-byte aligned).
void AppendPayloadBlock(std::string* payload, std::string_view block);
// Splits `payload` into its first `count` blocks; Corruption when it holds
// fewer. `what` names the model kind in the message.
Status SplitPayloadBlocks(std::string_view payload, std::string_view* blocks, int count,
                          std::string_view what);

// Writes a model file atomically (to `path`.tmp, then renamed).
Status WriteModelFile(const std::string& path, std::string_view kind, uint32_t kind_version,
                      std::string_view meta_json, std::string_view payload);

}  // namespace sitrep::model

#endif  // SITREP_SRC_MODEL_MODEL_FILE_H_
