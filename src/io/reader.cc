#include "sitrep/reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>

#include "io/byte_source.h"
#include "sitrep/text.h"

namespace sitrep {

namespace {

namespace fs = std::filesystem;

bool IsBlank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
  return true;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

bool IsIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  int month = (d[5] - '0') * 10 + (d[6] - '0');
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// File name without directories and without .gz/.zst and the format extension.
std::string Stem(const std::string& path) {
  if (path == "-") return "stdin";
  std::string name = fs::path(path).filename().string();
  for (const char* ext : {".gz", ".zst", ".jsonl", ".ndjson", ".txt", ".text"}) {
    size_t n = std::strlen(ext);
    if (name.size() > n && name.compare(name.size() - n, n, ext) == 0) name.resize(name.size() - n);
  }
  return name;
}

// Checks the body of a finished record and applies repairs shared by all
// formats: NUL bytes and empty text are errors; invalid UTF-8 is repaired.
Status FinishText(Document* doc) {
  const std::string& t = doc->text();
  const size_t nul = t.find('\0');
  if (nul != std::string::npos)
    return Status::InvalidArgument("NUL byte at offset " + std::to_string(nul) +
                                   " of the article text");
  if (t.find_first_not_of(" \t\r\n\f\v") == std::string::npos)
    return Status::InvalidArgument("empty article");
  if (!IsValidUtf8(t)) {
    std::string text = t;
    std::vector<uint32_t> fixes;
    RepairUtf8(&text, &fixes);
    doc->Reset(std::move(text));
    for (uint32_t off : fixes)
      doc->diagnostics().push_back(
          {off, "invalid UTF-8 replaced by U+FFFD at byte " + std::to_string(off)});
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// Article text format.

class TextReader : public Reader {
 public:
  TextReader(std::unique_ptr<io::ByteSource> src, std::string name, const ReaderOptions& options)
      : lines_(std::move(src), options.max_article_bytes + 1),
        name_(std::move(name)),
        stem_(Stem(name_)),
        max_(options.max_article_bytes) {}

  bool Next(Document* doc, Status* status) override {
    doc->Clear();
    *status = Status::Ok();
    if (done_) return false;
    std::string body;
    std::string date;
    bool started = false;
    bool oversized = false;
    uint64_t first_line = 0;
    std::string line;
    bool overflow;
    Status st;
    while (true) {
      if (!lines_.Next(&line, &overflow, &st)) {
        done_ = true;
        if (!st.ok()) {
          doc->origin() = {name_, lines_.line_number() + 1};
          *status = st;
          return true;
        }
        break;
      }
      if (Trim(line) == "--") {
        if (started) break;
        continue;  // stray separator
      }
      if (!started) {
        if (IsBlank(line)) continue;
        started = true;
        first_line = lines_.line_number();
        std::string_view t = line;
        size_t lead = 0;
        while (lead < t.size() && (t[lead] == ' ' || t[lead] == '\t')) ++lead;
        std::string_view rest = t.substr(lead);
        if (rest.size() >= 15 && rest.substr(0, 5) == "date " && IsIsoDate(rest.substr(5, 10)) &&
            (rest.size() == 15 || rest[15] == ' ' || rest[15] == '\t')) {
          date.assign(rest.substr(5, 10));
          rest = rest.substr(15);
          size_t k = 0;
          while (k < rest.size() && (rest[k] == ' ' || rest[k] == '\t')) ++k;
          rest = rest.substr(k);
          if (rest.empty()) continue;  // body starts on the next line
        }
        Append(&body, rest, overflow, &oversized);
        continue;
      }
      if (body.empty() && IsBlank(line)) continue;  // blank lines after the date line
      Append(&body, line, overflow, &oversized);
    }
    if (!started) return false;  // only blank lines or separators remain
    ++count_;
    doc->origin() = {name_, first_line};
    doc->meta().id = count_ == 1 ? stem_ : stem_ + "#" + std::to_string(count_);
    doc->meta().date = date;
    if (oversized) {
      *status = Status::ResourceExhausted("article exceeds the limit of " +
                                          std::to_string(max_) + " bytes");
      return true;
    }
    // Trailing whitespace is not part of the article.
    size_t end = body.find_last_not_of(" \t\r\n\f\v");
    body.resize(end == std::string::npos ? 0 : end + 1);
    doc->Reset(std::move(body));
    *status = FinishText(doc);
    return true;
  }

 private:
  void Append(std::string* body, std::string_view line, bool overflow, bool* oversized) {
    if (*oversized) return;
    if (overflow || body->size() + line.size() + 1 > max_) {
      *oversized = true;
      body->clear();
      body->shrink_to_fit();
      return;
    }
    if (!body->empty()) body->push_back('\n');
    body->append(line);
  }

  io::LineReader lines_;
  std::string name_;
  std::string stem_;
  uint64_t max_;
  uint64_t count_ = 0;
  bool done_ = false;
};

// ---------------------------------------------------------------------------
// JSONL.

class JsonlReader : public Reader {
 public:
  JsonlReader(std::unique_ptr<io::ByteSource> src, std::string name, const ReaderOptions& options)
      : lines_(std::move(src), options.max_article_bytes * 2 + 4096),
        name_(std::move(name)),
        stem_(Stem(name_)),
        max_(options.max_article_bytes) {}

  bool Next(Document* doc, Status* status) override {
    doc->Clear();
    *status = Status::Ok();
    bool overflow;
    Status st;
    while (true) {
      if (!lines_.Next(&line_, &overflow, &st)) {
        if (!st.ok()) {
          doc->origin() = {name_, lines_.line_number() + 1};
          *status = st;
          if (failed_read_) return false;
          failed_read_ = true;
          return true;
        }
        return false;
      }
      if (!IsBlank(line_)) break;
    }
    doc->origin() = {name_, lines_.line_number()};
    if (overflow) {
      *status = Status::ResourceExhausted("record exceeds the limit of " + std::to_string(max_) +
                                          " bytes of text");
      return true;
    }
    // Invalid UTF-8 is repaired before parsing so the record survives.
    size_t repaired = IsValidUtf8(line_) ? 0 : RepairUtf8(&line_, nullptr);
    *status = Parse(doc);
    if (status->ok() && repaired > 0) {
      const std::string& t = doc->text();
      for (size_t k = t.find("\xEF\xBF\xBD"); k != std::string::npos && repaired > 0;
           k = t.find("\xEF\xBF\xBD", k + 3), --repaired)
        doc->diagnostics().push_back(
            {static_cast<uint32_t>(k),
             "invalid UTF-8 replaced by U+FFFD at byte " + std::to_string(k)});
    }
    if (doc->meta().id.empty()) doc->meta().id = stem_ + ":" + std::to_string(lines_.line_number());
    return true;
  }

 private:
  // Copies a string value; other values are kept as their (minified) JSON.
  static void StringField(simdjson::dom::element v, std::string* out) {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) {
      out->assign(s);
    } else if (v.is_null()) {
      out->clear();
    } else {
      *out = simdjson::to_string(v);
    }
  }

  Status Parse(Document* doc) {
    simdjson::dom::element root;
    if (auto err = parser_.parse(line_).get(root))
      return Status::InvalidArgument(std::string("broken JSON: ") + simdjson::error_message(err));
    simdjson::dom::object obj;
    if (root.get_object().get(obj) != simdjson::SUCCESS)
      return Status::InvalidArgument("broken JSON: expected an object");
    std::string text;
    bool has_text = false;
    Metadata& m = doc->meta();
    for (auto [key, v] : obj) {
      if (key == "text") {
        std::string_view s;
        if (v.get_string().get(s) != simdjson::SUCCESS)
          return Status::InvalidArgument("field \"text\" is not a string");
        text.assign(s);
        has_text = true;
      } else if (key == "id") {
        StringField(v, &m.id);
      } else if (key == "date") {
        StringField(v, &m.date);
      } else if (key == "source") {
        StringField(v, &m.source);
      } else if (key == "title") {
        StringField(v, &m.title);
      } else if (key == "url") {
        StringField(v, &m.url);
      } else {
        m.extra.emplace_back(std::string(key), simdjson::to_string(v));
      }
    }
    if (!has_text) return Status::InvalidArgument("record has no \"text\" field");
    if (text.size() > max_)
      return Status::ResourceExhausted("article exceeds the limit of " + std::to_string(max_) +
                                       " bytes");
    doc->Reset(std::move(text));
    return FinishText(doc);
  }

  io::LineReader lines_;
  std::string name_;
  std::string stem_;
  uint64_t max_;
  std::string line_;
  simdjson::dom::parser parser_;
  bool failed_read_ = false;
};

// ---------------------------------------------------------------------------
// Format detection and directories.

bool HasSuffix(const std::string& s, const char* suf) {
  size_t n = std::strlen(suf);
  return s.size() >= n && s.compare(s.size() - n, n, suf) == 0;
}

std::string StripCompression(const std::string& path) {
  for (const char* ext : {".gz", ".zst"})
    if (HasSuffix(path, ext)) return path.substr(0, path.size() - std::strlen(ext));
  return path;
}

bool IsJsonlName(const std::string& path) {
  std::string p = StripCompression(path);
  return HasSuffix(p, ".jsonl") || HasSuffix(p, ".ndjson");
}

bool IsArticleFileName(const std::string& path) {
  std::string p = StripCompression(path);
  return HasSuffix(p, ".jsonl") || HasSuffix(p, ".ndjson") || HasSuffix(p, ".txt") ||
         HasSuffix(p, ".text");
}

// A source that first replays bytes already read (for format sniffing).
class PrefixedSource : public io::ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<io::ByteSource> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  Result<size_t> Read(char* buf, size_t cap) override {
    if (pos_ < prefix_.size()) {
      size_t n = std::min(cap, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return rest_->Read(buf, cap);
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<io::ByteSource> rest_;
};

// Builds a reader over `src`. With kAuto and no telling name, the first
// non-blank byte decides: '{' means JSONL.
Result<std::unique_ptr<Reader>> MakeReader(std::unique_ptr<io::ByteSource> src,
                                           const std::string& name, const ReaderOptions& options) {
  InputFormat fmt = options.format;
  if (fmt == InputFormat::kAuto && name != "-") {
    fmt = IsJsonlName(name) ? InputFormat::kJsonl : InputFormat::kText;
  }
  if (fmt == InputFormat::kAuto) {
    std::string head;
    char buf[4096];
    while (true) {
      auto r = src->Read(buf, sizeof buf);
      if (!r.ok()) return r.status();
      if (*r == 0) break;
      head.append(buf, *r);
      size_t k = head.find_first_not_of(" \t\r\n");
      if (k != std::string::npos) break;
    }
    size_t k = head.find_first_not_of(" \t\r\n");
    fmt = (k != std::string::npos && head[k] == '{') ? InputFormat::kJsonl : InputFormat::kText;
    src = std::make_unique<PrefixedSource>(std::move(head), std::move(src));
  }
  if (fmt == InputFormat::kJsonl)
    return std::unique_ptr<Reader>(new JsonlReader(std::move(src), name, options));
  return std::unique_ptr<Reader>(new TextReader(std::move(src), name, options));
}

class DirectoryReader : public Reader {
 public:
  DirectoryReader(std::vector<std::string> files, const ReaderOptions& options)
      : files_(std::move(files)), options_(options) {}

  bool Next(Document* doc, Status* status) override {
    while (true) {
      if (!current_) {
        if (next_file_ >= files_.size()) return false;
        const std::string& f = files_[next_file_++];
        auto src = io::OpenByteSource(f);
        Result<std::unique_ptr<Reader>> r =
            src.ok() ? MakeReader(std::move(src.value()), f, options_)
                     : Result<std::unique_ptr<Reader>>(src.status());
        if (!r.ok()) {
          doc->Clear();
          doc->origin() = {f, 0};
          *status = r.status();
          return true;
        }
        current_ = std::move(r.value());
      }
      if (current_->Next(doc, status)) return true;
      current_.reset();
    }
  }

 private:
  std::vector<std::string> files_;
  ReaderOptions options_;
  size_t next_file_ = 0;
  std::unique_ptr<Reader> current_;
};

}  // namespace

Result<std::unique_ptr<Reader>> OpenReader(const std::string& path, const ReaderOptions& options) {
  if (path != "-") {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return Status::NotFound(path + ": no such file or directory");
    if (fs::is_directory(st)) {
      std::vector<std::string> files;
      for (auto it = fs::recursive_directory_iterator(
               path, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path& p = it->path();
        std::string fname = p.filename().string();
        if (!fname.empty() && fname[0] == '.') {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file() && IsArticleFileName(p.string())) files.push_back(p.string());
      }
      if (ec) return Status::IOError(path + ": " + ec.message());
      std::sort(files.begin(), files.end());
      return std::unique_ptr<Reader>(new DirectoryReader(std::move(files), options));
    }
  }
  auto src = io::OpenByteSource(path);
  if (!src.ok()) return src.status();
  return MakeReader(std::move(src.value()), path, options);
}

std::unique_ptr<Reader> TextReaderFromString(std::string data, std::string name,
                                             const ReaderOptions& options) {
  return std::make_unique<TextReader>(io::MemoryByteSource(std::move(data)), std::move(name),
                                      options);
}

std::unique_ptr<Reader> JsonlReaderFromString(std::string data, std::string name,
                                              const ReaderOptions& options) {
  return std::make_unique<JsonlReader>(io::MemoryByteSource(std::move(data)), std::move(name),
                                       options);
}

}  // namespace sitrep
