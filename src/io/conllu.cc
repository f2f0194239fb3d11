#include "sitrep/conllu.h"

#include "sitrep/document.h"

#include <charconv>
#include <optional>

#include "io/byte_source.h"

namespace sitrep {

namespace {

bool ParseInt(std::string_view s, int* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string Field(std::string_view s) { return s == "_" ? std::string() : std::string(s); }

bool SpaceAfterNo(std::string_view misc) {
  size_t p = 0;
  while (p <= misc.size()) {
    size_t q = misc.find('|', p);
    if (q == std::string_view::npos) q = misc.size();
    if (misc.substr(p, q - p) == "SpaceAfter=No") return true;
    p = q + 1;
  }
  return false;
}

}  // namespace

Status ParseConllu(std::string_view data, std::vector<ConlluSentence>* out) {
  ConlluSentence cur;
  std::string doc_id;
  bool in_sentence = false;
  uint32_t pending_mwt_end = 0;  // last word id covered by an open multi-word token
  size_t line_no = 0;
  size_t p = 0;
  auto error = [&](const std::string& why) {
    return Status::InvalidArgument("line " + std::to_string(line_no) + ": " + why);
  };
  while (p <= data.size()) {
    size_t q = data.find('\n', p);
    if (q == std::string_view::npos) q = data.size();
    std::string_view line = data.substr(p, q - p);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    p = q + 1;
    if (line.empty()) {
      if (in_sentence && pending_mwt_end > cur.words.size())
        return error("multi-word token range goes past the sentence's last word");
      if (in_sentence) {
        out->push_back(std::move(cur));
        cur = ConlluSentence();
        in_sentence = false;
        pending_mwt_end = 0;
      }
      if (q == data.size()) break;
      continue;
    }
    in_sentence = true;
    if (line[0] == '#') {
      auto value = [&](std::string_view key) -> std::optional<std::string_view> {
        if (line.substr(0, key.size()) != key) return std::nullopt;
        std::string_view v = line.substr(key.size());
        while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
        if (!v.empty() && v[0] == '=') v.remove_prefix(1);
        while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
        return v;
      };
      if (auto v = value("# newdoc")) {
        cur.new_doc = true;
        cur.new_par = true;
        doc_id = std::string(*v);
        if (doc_id.rfind("id", 0) == 0) doc_id = std::string(value("# newdoc id").value_or(""));
      } else if (value("# newpar")) {
        cur.new_par = true;
      } else if (auto v = value("# sent_id")) {
        cur.sent_id = std::string(*v);
      } else if (auto v = value("# text =")) {
        cur.text = std::string(*v);
      }
      cur.doc_id = doc_id;
      continue;
    }
    std::string_view cols[10];
    size_t c = 0, s = 0;
    for (; c < 9; ++c) {
      size_t t = line.find('\t', s);
      if (t == std::string_view::npos) return error("expected 10 tab-separated columns");
      cols[c] = line.substr(s, t - s);
      s = t + 1;
    }
    cols[9] = line.substr(s);
    cur.doc_id = doc_id;
    std::string_view id = cols[0];
    if (id.find('.') != std::string_view::npos) continue;  // empty node
    size_t dash = id.find('-');
    if (dash != std::string_view::npos) {
      int a, b;
      if (!ParseInt(id.substr(0, dash), &a) || !ParseInt(id.substr(dash + 1), &b) || b < a ||
          a != static_cast<int>(cur.words.size()) + 1 ||
          static_cast<uint32_t>(a) <= pending_mwt_end)
        return error("bad multi-word token range '" + std::string(id) + "'");
      ConlluToken tok;
      tok.form = std::string(cols[1]);
      tok.space_after = !SpaceAfterNo(cols[9]);
      tok.word_begin = static_cast<uint32_t>(a - 1);
      tok.word_end = static_cast<uint32_t>(b);
      cur.tokens.push_back(tok);
      pending_mwt_end = static_cast<uint32_t>(b);
      continue;
    }
    int wid;
    if (!ParseInt(id, &wid) || wid != static_cast<int>(cur.words.size()) + 1)
      return error("bad or out-of-order word id '" + std::string(id) + "'");
    ConlluWord w;
    w.form = std::string(cols[1]);
    w.lemma = Field(cols[2]);
    w.upos = Field(cols[3]);
    w.xpos = Field(cols[4]);
    w.feats = Field(cols[5]);
    if (cols[6] != "_" && !ParseInt(cols[6], &w.head)) return error("bad head '" + std::string(cols[6]) + "'");
    w.deprel = Field(cols[7]);
    w.deps = Field(cols[8]);
    w.misc = Field(cols[9]);
    if (static_cast<uint32_t>(wid) > pending_mwt_end) {
      ConlluToken tok;
      tok.form = w.form;
      tok.space_after = !SpaceAfterNo(cols[9]);
      tok.word_begin = static_cast<uint32_t>(wid - 1);
      tok.word_end = static_cast<uint32_t>(wid);
      cur.tokens.push_back(tok);
    }
    cur.words.push_back(std::move(w));
  }
  if (in_sentence && pending_mwt_end > cur.words.size())
    return error("multi-word token range goes past the sentence's last word");
  if (in_sentence) out->push_back(std::move(cur));
  return Status::Ok();
}

Result<std::vector<ConlluSentence>> ReadConlluFile(const std::string& path) {
  auto data = io::ReadWholeFile(path);
  if (!data.ok()) return data.status();
  std::vector<ConlluSentence> out;
  Status st = ParseConllu(*data, &out);
  if (!st.ok()) return st.WithContext(path);
  return out;
}

namespace {
void AppendField(std::string_view v, std::string* out) {
  if (v.empty()) {
    out->push_back('_');
    return;
  }
  for (char c : v) out->push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
}
}  // namespace

void AppendDocumentConllu(const Document& doc, std::string* out) {
  *out += "# newdoc id = ";
  AppendField(doc.meta().id, out);
  out->push_back('\n');
  const bool tagged = doc.tags().size() == doc.tokens().size();
  const bool parsed = doc.deps().size() == doc.tokens().size();
  for (size_t s = 0; s < doc.sentences().size(); ++s) {
    const Sentence& sent = doc.sentences()[s];
    if (sent.token_end <= sent.token_begin) continue;
    *out += "# sent_id = ";
    AppendField(doc.meta().id, out);
    *out += "-" + std::to_string(s + 1) + "\n# text = ";
    std::string text(doc.text(doc.sentence_span(s)));
    for (char& c : text)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    *out += text + "\n";
    for (uint32_t i = sent.token_begin; i < sent.token_end; ++i) {
      const Token& t = doc.tokens()[i];
      *out += std::to_string(i - sent.token_begin + 1);
      out->push_back('\t');
      AppendField(doc.token_text(i), out);
      out->push_back('\t');
      AppendField(tagged ? doc.lemma(i) : std::string_view(), out);
      out->push_back('\t');
      *out += tagged ? UposName(doc.tags()[i].upos) : "_";
      out->push_back('\t');
      *out += tagged ? XposNames()[doc.tags()[i].xpos] : "_";
      *out += "\t_\t";
      if (parsed) {
        const int h = doc.deps()[i].head;
        *out += std::to_string(h < 0 ? 0 : h - static_cast<int>(sent.token_begin) + 1);
        out->push_back('\t');
        *out += DeprelNames()[doc.deps()[i].deprel];
      } else {
        *out += "_\t_";
      }
      *out += "\t_\t";
      if (!t.has(kSpaceAfter) && i + 1 < sent.token_end) *out += "SpaceAfter=No|";
      *out += "TokenRange=" + std::to_string(t.begin) + ":" + std::to_string(t.end) + "\n";
    }
    out->push_back('\n');
  }
}

}  // namespace sitrep
