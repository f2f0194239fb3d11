// Byte sources (files, stdin, memory; gzip and zstd decoded transparently by
// their magic numbers) and a line reader with a length limit.
#ifndef SITREP_SRC_IO_BYTE_SOURCE_H_
#define SITREP_SRC_IO_BYTE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "sitrep/status.h"

namespace sitrep::io {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `cap` bytes into `buf`. Returns the number read; 0 means end.
  virtual Result<size_t> Read(char* buf, size_t cap) = 0;
};

// Opens a file ("-" for stdin). Gzip (1f 8b) and zstd (28 b5 2f fd) content
// is decompressed whatever the file's name.
Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path);

// Reads a whole file (decompressed as OpenByteSource does) into memory.
Result<std::string> ReadWholeFile(const std::string& path);

// A source over an in-memory buffer, also decompressed by magic number.
std::unique_ptr<ByteSource> MemoryByteSource(std::string data);

// Splits a source into lines ("\n"; a "\r" before it is dropped).
class LineReader {
 public:
  // Lines longer than `max_line` bytes are cut to that length and flagged.
  LineReader(std::unique_ptr<ByteSource> src, uint64_t max_line);

  // Reads the next line into *line. Returns false at the end of input, or
  // on a read error (then *status is non-OK). *overflow tells whether the
  // line was cut at max_line bytes.
  bool Next(std::string* line, bool* overflow, Status* status);

  // 1-based number of the line last returned.
  uint64_t line_number() const { return line_no_; }
  // Byte offset (in the decoded stream) of the start of the line last returned.
  uint64_t line_offset() const { return line_off_; }

 private:
  bool Fill(Status* status);
  std::unique_ptr<ByteSource> src_;
  uint64_t max_line_;
  std::string buf_;
  size_t pos_ = 0;
  size_t len_ = 0;
  bool eof_ = false;
  uint64_t line_no_ = 0;
  uint64_t line_off_ = 0;
  uint64_t consumed_ = 0;  // bytes of the stream before buf_[0]
};

}  // namespace sitrep::io

#endif  // SITREP_SRC_IO_BYTE_SOURCE_H_
