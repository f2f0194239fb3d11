#include "query.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "sitrep/store.h"

namespace sitrep_cli {
namespace {

using namespace sitrep;

void AppendJsonRow(const std::vector<std::string>& columns, const std::vector<Cell>& row,
                   std::string* out) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (size_t i = 0; i < columns.size(); ++i) {
    w.Key(columns[i].c_str());
    const Cell& c = row[i];
    switch (c.kind) {
      case Cell::kNull: w.Null(); break;
      case Cell::kInt:
      case Cell::kReal: w.RawValue(c.text.data(), c.text.size(), rapidjson::kNumberType); break;
      case Cell::kText: w.String(c.text.data(), static_cast<rapidjson::SizeType>(c.text.size())); break;
    }
  }
  w.EndObject();
  out->append(buf.GetString(), buf.GetSize());
}


// A table cell: one line, at most `max` code points (cut with "…").
std::string TableCell(const std::string& s, size_t max) {
  std::string out;
  size_t cps = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (cps == max) {
        // Back off one code point for the ellipsis.
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
        if (!out.empty()) out.pop_back();
        out += "\xE2\x80\xA6";
        return out;
      }
      ++cps;
    }
    out.push_back(c == '\n' || c == '\t' || c == '\r' ? ' ' : s[i]);
  }
  return out;
}

size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

int RunQueryCommand(const QueryArgs& a) {
  auto kind = QueryKindFromName(a.kind);
  if (!kind.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", kind.status().message().c_str());
    return 2;
  }
  std::string format = a.format;
  if (format.empty()) format = isatty(STDOUT_FILENO) ? "table" : "jsonl";
  if (format != "table" && format != "json" && format != "jsonl" && format != "csv") {
    std::fprintf(stderr, "sitrep: error: unknown format '%s' (table, json, jsonl, csv)\n",
                 format.c_str());
    return 2;
  }
  StoreOptions so;
  so.must_exist = true;
  auto store = Store::Open(a.db, so);
  if (!store.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", store.status().ToString().c_str());
    return 1;
  }
  std::string out;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> table;  // format table: cells, printed at the end
  uint64_t rows = 0;
  auto flush = [&]() {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  Status st = RunQuery(**store, *kind, a.filter,
                       [&](const std::vector<std::string>& columns, const std::vector<Cell>& row) {
                         if (rows == 0) {
                           header = columns;
                           if (format == "csv") {
                             for (size_t i = 0; i < columns.size(); ++i) {
                               if (i) out.push_back(',');
                               AppendCsvField(columns[i], &out);
                             }
                             out += "\r\n";
                           } else if (format == "json") {
                             out += "[\n";
                           }
                         }
                         if (format == "jsonl" || format == "json") {
                           if (format == "json" && rows) out += ",\n";
                           AppendJsonRow(columns, row, &out);
                           if (format == "jsonl") out.push_back('\n');
                         } else if (format == "csv") {
                           for (size_t i = 0; i < row.size(); ++i) {
                             if (i) out.push_back(',');
                             AppendCsvField(row[i].text, &out);
                           }
                           out += "\r\n";
                         } else {
                           std::vector<std::string> cells;
                           for (const Cell& c : row) cells.push_back(TableCell(c.text, 60));
                           table.push_back(std::move(cells));
                         }
                         ++rows;
                         if (out.size() > (1 << 16)) flush();
                         return Status::Ok();
                       });
  if (!st.ok()) {
    flush();
    std::fprintf(stderr, "sitrep: error: %s\n", st.ToString().c_str());
    return 1;
  }
  if (format == "json") out += rows ? "\n]\n" : "[]\n";
  if (format == "table" && rows) {
    std::vector<size_t> width(header.size());
    for (size_t i = 0; i < header.size(); ++i) width[i] = Width(header[i]);
    for (const auto& r : table)
      for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], Width(r[i]));
    auto line = [&](const std::vector<std::string>& cells) {
      for (size_t i = 0; i < cells.size(); ++i) {
        if (i) out += "  ";
        out += cells[i];
        if (i + 1 < cells.size()) out.append(width[i] - Width(cells[i]), ' ');
      }
      out.push_back('\n');
    };
    line(header);
    std::vector<std::string> rule;
    for (size_t w : width) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& r : table) line(r);
  }
  flush();
  if (format == "table" && isatty(STDERR_FILENO))
    std::fprintf(stderr, "%llu rows\n", static_cast<unsigned long long>(rows));
  return 0;
}

int RunActorCommand(const ActorArgs& a) {
  if (a.format != "text" && a.format != "json") {
    std::fprintf(stderr, "sitrep: error: unknown format '%s' (text, json)\n", a.format.c_str());
    return 2;
  }
  StoreOptions so;
  so.must_exist = true;
  auto store = Store::Open(a.db, so);
  if (!store.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", store.status().ToString().c_str());
    return 1;
  }
  auto p = ProfileActor(**store, a.name, a.limit);
  if (!p.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", p.status().ToString().c_str());
    return 1;
  }
  std::string out;
  if (a.format == "json") {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    auto str = [&](const char* k, const std::string& v) {
      w.Key(k);
      if (v.empty()) w.Null(); else w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    };
    auto counts = [&](const char* k, const std::vector<std::pair<std::string, int64_t>>& v) {
      w.Key(k);
      w.StartObject();
      for (const auto& [n, c] : v) {
        w.Key(n.c_str(), static_cast<rapidjson::SizeType>(n.size()));
        w.Int64(c);
      }
      w.EndObject();
    };
    w.StartObject();
    str("id", p->id);
    str("name", p->name);
    str("kind", p->kind);
    str("country", p->country);
    str("sector", p->sector);
    w.Key("articles"); w.Int64(p->articles);
    w.Key("mentions"); w.Int64(p->mentions);
    str("first", p->first);
    str("last", p->last);
    counts("as_source", p->as_source);
    counts("as_target", p->as_target);
    w.Key("quotes");
    w.StartArray();
    for (const auto& q : p->quotes) {
      w.StartObject();
      str("article", q.article);
      str("date", q.date);
      str("content", q.content);
      w.EndObject();
    }
    w.EndArray();
    counts("co_actors", p->co_actors);
    counts("also", p->also);
    w.EndObject();
    out.assign(buf.GetString(), buf.GetSize());
    out.push_back('\n');
  } else {
    auto list = [&](const std::vector<std::pair<std::string, int64_t>>& v) {
      std::string s;
      for (const auto& [n, c] : v) s += (s.empty() ? "" : ", ") + n + " " + std::to_string(c);
      return s.empty() ? std::string("none") : s;
    };
    out += p->name;
    if (!p->id.empty()) out += " (" + p->id + ")";
    out += ", " + p->kind;
    if (!p->country.empty()) out += ", " + p->country;
    if (!p->sector.empty()) out += ", " + p->sector;
    out += "\n" + std::to_string(p->articles) + " articles, " + std::to_string(p->mentions) +
           " mentions, " + p->first + " .. " + p->last + "\n";
    out += "events as source: " + list(p->as_source) + "\n";
    out += "events as target: " + list(p->as_target) + "\n";
    out += "latest quotations:" + std::string(p->quotes.empty() ? " none" : "") + "\n";
    for (const auto& q : p->quotes)
      out += "  " + q.date + " " + q.article + ": " + TableCell(q.content, 100) + "\n";
    out += "appears with: " + list(p->co_actors) + "\n";
    if (!p->also.empty()) out += "also matching: " + list(p->also) + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int RunExportCommand(const std::string& db, const std::string& format, const std::string& output) {
  auto f = ExportFormatFromName(format);
  if (!f.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", f.status().message().c_str());
    return 2;
  }
  StoreOptions so;
  so.must_exist = true;
  auto store = Store::Open(db, so);
  if (!store.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", store.status().ToString().c_str());
    return 1;
  }
  FILE* out = stdout;
  if (output != "-") {
    out = std::fopen(output.c_str(), "wb");
    if (!out) {
      std::fprintf(stderr, "sitrep: error: %s: cannot open for writing\n", output.c_str());
      return 1;
    }
  }
  Status st = ExportEvents(**store, *f, [&](std::string_view piece) {
    if (std::fwrite(piece.data(), 1, piece.size(), out) != piece.size())
      return Status::IOError(output + ": write failed");
    return Status::Ok();
  });
  if (std::fflush(out) != 0 && st.ok()) st = Status::IOError(output + ": write failed");
  if (out != stdout) std::fclose(out);
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace sitrep_cli
