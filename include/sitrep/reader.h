// Readers: streaming sources of articles.
//
// Formats:
//  - article text (".txt" and anything not JSONL): articles separated by a
//    line "--"; an article may open with "date YYYY-MM-DD" (leading
//    whitespace allowed) followed by the body on the same or the next line;
//    paragraphs are separated by blank lines. A file with no "--" line is one
//    article. The date is optional.
//  - JSONL (".jsonl", ".ndjson"): one JSON object per line with fields id,
//    date, source, url, title, text; any other field is kept verbatim.
//  - a directory: every regular file below it, in sorted path order.
//  - ".gz" and ".zst" compressed variants of each, and "-" for stdin (format
//    detected from the first non-blank byte: '{' means JSONL).
//
// A reader yields one record at a time and holds at most one record in
// memory. A bad record (broken JSON, NUL byte, empty or oversized article)
// is reported as an error for that record and reading continues with the
// next one.
#ifndef SITREP_READER_H_
#define SITREP_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/status.h"

namespace sitrep {

enum class InputFormat { kAuto, kText, kJsonl };

struct ReaderOptions {
  InputFormat format = InputFormat::kAuto;
  // Articles larger than this many bytes are rejected (with an error naming
  // the record) without being held in memory.
  uint64_t max_article_bytes = 16u << 20;
};

class Reader {
 public:
  virtual ~Reader() = default;

  // Reads the next record into *doc (cleared first). Returns false when the
  // input is exhausted. Returns true with *status OK for a good record; true
  // with a non-OK *status for a bad record, which is skipped (doc->origin()
  // and as much of doc->meta() as could be read identify it). Invalid UTF-8
  // is not an error: it is repaired and noted in doc->diagnostics().
  virtual bool Next(Document* doc, Status* status) = 0;
};

// Opens `path` ("-" for stdin): a file or a directory, compressed or not.
// Fails with NotFound / IOError when the path cannot be opened.
Result<std::unique_ptr<Reader>> OpenReader(const std::string& path,
                                           const ReaderOptions& options = {});

// Reads articles from an in-memory buffer in the article text format;
// `name` is used for document ids and origins. Used by tests and fuzzers.
std::unique_ptr<Reader> TextReaderFromString(std::string data, std::string name,
                                             const ReaderOptions& options = {});
// Reads JSONL records from an in-memory buffer.
std::unique_ptr<Reader> JsonlReaderFromString(std::string data, std::string name,
                                              const ReaderOptions& options = {});

}  // namespace sitrep

#endif  // SITREP_READER_H_
