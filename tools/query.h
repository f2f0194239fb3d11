// `sitrep query`: filtered rows of the corpus database as a table, JSON,
// JSONL or CSV.
#ifndef SITREP_TOOLS_QUERY_H_
#define SITREP_TOOLS_QUERY_H_

#include <string>

#include "sitrep/query.h"

namespace sitrep_cli {

struct QueryArgs {
  std::string kind;  // events, quotes, articles, actors, places
  std::string db;
  sitrep::QueryFilter filter;
  std::string format;  // table, json, jsonl, csv; empty: table on a terminal, else jsonl
};

// Prints the rows on stdout. Returns the exit status: 0, 1 on an error
// (missing database, bad filter), 2 on a bad kind or format.
int RunQueryCommand(const QueryArgs& args);

struct ActorArgs {
  std::string name;
  std::string db;
  std::string format = "text";  // text or json
  int limit = 5;
};

// `sitrep actor NAME`: the actor's profile on stdout. 0, 1 on an error or
// when no actor matches.
int RunActorCommand(const ActorArgs& args);

// `sitrep export --db FILE --format plover|csv [-o FILE]`: every stored
// event. 0, 1 on an error, 2 on a bad format.
int RunExportCommand(const std::string& db, const std::string& format, const std::string& output);

}  // namespace sitrep_cli

#endif  // SITREP_TOOLS_QUERY_H_
