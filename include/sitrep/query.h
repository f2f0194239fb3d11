// Queries over the corpus database (store.h): events, quotations, articles,
// actors and places with filters, as rows of typed cells.
//
// Filters are ANDed; an empty filter does not restrict. Matching:
//   type     events, clusters: PLOVER type (ACCUSE ...); actors/places: actor kind
//   actor    events: a source or target whose text, canonical name or
//            knowledge-base id matches (clusters: the source or target code);
//            quotes: the speaker; articles: any
//            actor of the article. Names match as case-insensitive substrings
//            (SQL LIKE), ids and codes exactly.
//   speaker  quotes: the speaker's canonical name or text as written
//   country  clusters: the source or target code or the place (a country);
//            events: a source or target code (ISO alpha-3 / CAMEO) or the
//            location's country; quotes: the speaker's country; articles,
//            actors, places: the actor's country
//   place    events: the location text; articles: a place the article names
//   from, to article or event days (clusters: their first day),
//            "YYYY-MM-DD", inclusive
//   text     an FTS5 query over article title and text (quotes: over the
//            quotation content and speaker)
// Rows come in a stable order (date, article id, index); at most `limit`
// (0: no limit).
#ifndef SITREP_QUERY_H_
#define SITREP_QUERY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/status.h"
#include "sitrep/store.h"

namespace sitrep {

enum class QueryKind { kEvents, kQuotes, kArticles, kActors, kPlaces, kClusters };
// "events", "quotes", "articles", "actors", "places", "clusters";
// InvalidArgument otherwise.
Result<QueryKind> QueryKindFromName(std::string_view name);

struct QueryFilter {
  std::string type, actor, speaker, country, place, from, to, text;
  int64_t limit = 100;
};

// One value of a result row.
struct Cell {
  enum Kind { kNull, kInt, kReal, kText } kind = kNull;
  std::string text;  // the value as text (numbers in their SQL form); empty for kNull
};

// Runs the query, calling on_row for each row with the column names and the
// row's cells (both valid during the call only); a non-OK status returned
// by on_row stops the query and is returned. InvalidArgument for a malformed
// filter (a bad FTS5 query, a date not YYYY-MM-DD).
Status RunQuery(Store& store, QueryKind kind, const QueryFilter& filter,
                const std::function<Status(const std::vector<std::string>& columns,
                                           const std::vector<Cell>& row)>& on_row);

// What the corpus says about one actor (`sitrep actor NAME`).
struct ActorProfile {
  std::string id;  // knowledge-base id; empty for an actor the knowledge base lacks
  std::string name, kind, country, sector;
  int64_t articles = 0, mentions = 0;
  std::string first, last;  // article days
  // Event types with counts, most frequent first.
  std::vector<std::pair<std::string, int64_t>> as_source, as_target;
  struct QuoteLine {
    std::string article, date, content;
  };
  std::vector<QuoteLine> quotes;  // latest first
  // Other actors of the same articles (name, articles), most frequent first.
  std::vector<std::pair<std::string, int64_t>> co_actors;
  // Other actors the name matched (name, articles), not profiled.
  std::vector<std::pair<std::string, int64_t>> also;
};

// Profiles the actor `name` designates: a knowledge-base id or a canonical
// name (case-insensitive) first, else the actor whose name contains it; among
// several, the one in most articles. Actors the knowledge base lacks are
// identified by kind and name across articles. Lists hold at most `limit`
// entries. NotFound when no actor matches.
Result<ActorProfile> ProfileActor(Store& store, std::string_view name, int limit = 5);

// Appends `s` to *out as one RFC 4180 CSV field: as is, or in double
// quotes with inner quotes doubled when it holds a comma, quote or line break.
void AppendCsvField(std::string_view s, std::string* out);

// Every stored event, in article order (by rowid) then event index, in one
// of the export formats:
//   plover  one JSON object per line, the record `sitrep extract --format
//           plover` writes for the same event (coordinates rounded to 1e-5)
//   csv     a header line, then one row per event: article, event, date,
//           enddate, type, mode, context, cameo, modality, negated,
//           source, source_code, target, target_code, trigger, location,
//           location_country, lat, lon, confidence, url (RFC 4180, CRLF)
//   gdelt   one row per event cluster (Store::ClusterEvents), tab-separated
//           with a header line, in the column order of the GDELT 2.0 Events
//           table restricted to the columns we have: GLOBALEVENTID (cid),
//           SQLDATE (the cluster's first day, YYYYMMDD), Actor1Code,
//           Actor1Name, Actor1CountryCode, Actor2Code, Actor2Name,
//           Actor2CountryCode, IsRootEvent (1 when a mention is in its
//           article's first sentence), EventCode (CAMEO), EventBaseCode
//           (its first 3 digits), EventRootCode (first 2), QuadClass (from
//           the root: 01-05 1, 06-08 2, 09-13 3, 14-20 4), GoldsteinScale
//           (empty), NumMentions, NumSources, NumArticles, AvgTone (empty),
//           ActionGeo_FullName, ActionGeo_CountryCode (ISO alpha-3, not
//           GDELT's FIPS), ActionGeo_Lat, ActionGeo_Long, DATEADDED (the
//           first report's ingestion time, YYYYMMDDHHMMSS), SOURCEURL (the
//           first report's url). Names, codes, CAMEO code and place are the
//           first non-empty ones among the mentions, earliest article first.
// sink receives the output in pieces; a non-OK status from it stops the
// export and is returned.
enum class ExportFormat { kPlover, kCsv, kGdelt };
Result<ExportFormat> ExportFormatFromName(std::string_view name);  // "plover", "csv", "gdelt"
Status ExportEvents(Store& store, ExportFormat format,
                    const std::function<Status(std::string_view)>& sink);

}  // namespace sitrep

#endif  // SITREP_QUERY_H_
