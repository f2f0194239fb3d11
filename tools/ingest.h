// `sitrep ingest`: analyse articles in parallel into the corpus database.
#ifndef SITREP_TOOLS_INGEST_H_
#define SITREP_TOOLS_INGEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sitrep/pipeline.h"

namespace sitrep_cli {

struct IngestArgs {
  std::vector<std::string> inputs;  // files, directories, "-"
  std::string db;                   // the database file (created if missing)
  int threads = 0;                  // analysis threads; 0: one per core
  std::string errors;               // error report, appended to; empty: stderr
  bool quiet = false;               // no progress line, no error lines on stderr
  uint64_t max_article_bytes = 16u << 20;
  int batch_articles = 200;         // commit after this many articles ...
  double batch_seconds = 1.0;       // ... or this many seconds, whichever first
  // Instead of inputs: re-analyse the articles of `db` stored with another
  // analysis version (sitrep reprocess, after a model or lexicon upgrade).
  bool reprocess = false;
};

// Reads every input (one serial reader), analyses records on `threads`
// threads with the shared `pipeline` (one Document per record in flight)
// and stores them with one serial writer in batched transactions, each
// article atomic, tagged with `analysis_version`. Records whose id and
// content hash are stored with this analysis version are not analysed
// again. Bad records go to the error report as "file:line (id): reason" and
// are counted; they never stop the ingest. Progress goes to stderr when it
// is a terminal; a one-line JSON summary goes to stdout. Returns the exit
// status: 0, or 1 when a record or input failed.
int RunIngest(const sitrep::Pipeline& pipeline, const std::string& analysis_version,
              const IngestArgs& args);

}  // namespace sitrep_cli

#endif  // SITREP_TOOLS_INGEST_H_
