#include "sitrep/json_output.h"

#include "sitrep/events.h"
#include "sitrep/kb.h"
#include "sitrep/quotes.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <vector>
#include "sitrep/time_resolve.h"

namespace sitrep {

namespace {

template <typename W>
void Str(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <typename W>
void Key(W& w, const char* k) {
  w.Key(k);
}

template <typename W>
void PoolStr(W& w, const Document& doc, const char* key, PoolRef r) {
  if (r.empty()) return;
  Key(w, key);
  Str(w, doc.pool(r));
}

// "actors": canonical actors with their mentions (byte offsets into text).
template <typename W>
void WriteActors(W& w, const Document& doc) {
  std::vector<std::vector<const Mention*>> by_actor(doc.actors().size());
  for (const Mention& m : doc.mentions()) by_actor[m.actor].push_back(&m);
  const auto& tokens = doc.tokens();
  Key(w, "actors");
  w.StartArray();
  for (size_t i = 0; i < doc.actors().size(); ++i) {
    const Actor& a = doc.actors()[i];
    w.StartObject();
    PoolStr(w, doc, "id", a.id);
    Key(w, "kind"); Str(w, ActorKindName(a.kind));
    PoolStr(w, doc, "name", a.name);
    Key(w, "known"); w.Bool((a.flags & kActorKnown) != 0);
    PoolStr(w, doc, "country", a.country);
    PoolStr(w, doc, "sector", a.sector);
    PoolStr(w, doc, "cameo", a.cameo);
    PoolStr(w, doc, "org_kind", a.org_kind);
    if (a.gender) { Key(w, "gender"); Str(w, std::string_view(&a.gender, 1)); }
    if (!a.text_role.empty() || !a.kb_role.empty()) {
      Key(w, "role");
      w.StartObject();
      PoolStr(w, doc, "text", a.text_role);
      PoolStr(w, doc, "kb", a.kb_role);
      PoolStr(w, doc, "of", a.kb_role_country);
      PoolStr(w, doc, "since", a.kb_role_start);
      PoolStr(w, doc, "until", a.kb_role_end);
      if (a.flags & kActorRoleConflict) {
        Key(w, "conflict"); w.Bool(true);
        PoolStr(w, doc, "note", a.note);
      }
      w.EndObject();
    }
    PoolStr(w, doc, "affiliation", a.affiliation);
    if (a.flags & kActorHasGeo) {
      Key(w, "geo");
      w.StartObject();
      PoolStr(w, doc, "name", a.geo_name);
      PoolStr(w, doc, "country", a.geo_country);
      PoolStr(w, doc, "admin1", a.geo_admin1);
      PoolStr(w, doc, "feature", a.geo_feature);
      if (a.geo_class) { Key(w, "class"); Str(w, std::string_view(&a.geo_class, 1)); }
      Key(w, "lat"); w.Double(std::round(a.lat * 1e5) / 1e5);
      Key(w, "lon"); w.Double(std::round(a.lon * 1e5) / 1e5);
      PoolStr(w, doc, "precision", a.geo_precision);
      w.EndObject();
    }
    Key(w, "mentions");
    w.StartArray();
    for (const Mention* m : by_actor[i]) {
      const ByteSpan span{tokens[m->token_begin].begin, tokens[m->token_end - 1].end};
      w.StartObject();
      Key(w, "start"); w.Uint(span.begin);
      Key(w, "end"); w.Uint(span.end);
      Key(w, "text"); Str(w, doc.text(span));
      Key(w, "how"); Str(w, MentionHowName(m->how));
      PoolStr(w, doc, "sector", m->sector);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

// "quotes": each quotation's content span(s), cue, speaker and kind (byte offsets).
template <typename W>
void WriteQuotes(W& w, const Document& doc) {
  const auto& tokens = doc.tokens();
  auto span = [&](uint32_t b, uint32_t e) { return ByteSpan{tokens[b].begin, tokens[e - 1].end}; };
  auto write_span = [&](ByteSpan s) {
    Key(w, "start"); w.Uint(s.begin);
    Key(w, "end"); w.Uint(s.end);
    Key(w, "text"); Str(w, doc.text(s));
  };
  Key(w, "quotes");
  w.StartArray();
  for (const Quote& q : doc.quotes()) {
    w.StartObject();
    Key(w, "kind"); Str(w, QuoteKindName(q.kind));
    Key(w, "content");
    w.StartArray();
    w.StartObject(); write_span(span(q.content_begin, q.content_end)); w.EndObject();
    if (q.content2_end > q.content2_begin) {
      w.StartObject(); write_span(span(q.content2_begin, q.content2_end)); w.EndObject();
    }
    w.EndArray();
    if (q.cue_end > q.cue_begin) {
      Key(w, "cue");
      w.StartObject();
      write_span(span(q.cue_begin, q.cue_end));
      // The lemma of the cue's first word, then its other words as written.
      std::string lemma;
      for (uint32_t i = q.cue_begin; i < q.cue_end; ++i) {
        if (i > q.cue_begin) lemma += ' ';
        lemma += i == q.cue_begin && i < doc.tags().size() ? std::string(doc.lemma(i))
                                                            : std::string(doc.token_text(i));
      }
      for (char& c : lemma)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      Key(w, "lemma"); Str(w, lemma);
      w.EndObject();
    }
    if (q.speaker_end > q.speaker_begin) {
      Key(w, "speaker");
      w.StartObject();
      write_span(span(q.speaker_begin, q.speaker_end));
      if (q.speaker_actor >= 0) { Key(w, "actor"); w.Uint(static_cast<unsigned>(q.speaker_actor)); }
      Key(w, "type"); Str(w, SpeakerTypeName(static_cast<SpeakerType>(q.speaker_type)));
      w.EndObject();
    }
    Key(w, "confidence"); w.Double(std::round(static_cast<double>(q.confidence) * 100) / 100);
    Key(w, "parent"); w.Int(q.parent);
    w.EndObject();
  }
  w.EndArray();
}


// The dates of event e: its resolved time, else the article date ("" when
// unknown); enddate is empty when the interval is one day.
void EventDates(const Document& doc, const Event& e, std::string* date, std::string* enddate) {
  date->clear();
  enddate->clear();
  char day[11];
  if (e.time >= 0 && static_cast<size_t>(e.time) < doc.times().size()) {
    const ResolvedTime& t = doc.times()[e.time];
    FormatIsoDay(t.begin, day);
    date->assign(day, 10);
    if (t.end != t.begin) {
      FormatIsoDay(t.end, day);
      enddate->assign(day, 10);
    }
  } else if (doc.meta().date.size() >= 10) {
    int32_t d = 0;
    if (ParseIsoDay(std::string_view(doc.meta().date).substr(0, 10), false, &d)) {
      FormatIsoDay(d, day);
      date->assign(day, 10);
    }
  }
}

// "events": PLOVER-coded events with their actors, place, time and evidence
// ("conditional" only when true).
template <typename W>
void WriteEvents(W& w, const Document& doc) {
  const auto& tokens = doc.tokens();
  auto write_span = [&](uint32_t b, uint32_t e) {
    const ByteSpan s{tokens[b].begin, tokens[e - 1].end};
    Key(w, "start"); w.Uint(s.begin);
    Key(w, "end"); w.Uint(s.end);
    Key(w, "text"); Str(w, doc.text(s));
  };
  auto write_args = [&](const char* key, uint32_t b, uint32_t e) {
    Key(w, key);
    w.StartArray();
    for (uint32_t i = b; i < e; ++i) {
      const EventArg& a = doc.event_args()[i];
      w.StartObject();
      write_span(a.token_begin, a.token_end);
      if (a.actor >= 0) { Key(w, "actor"); w.Int(a.actor); }
      PoolStr(w, doc, "code", a.code);
      PoolStr(w, doc, "sector", a.sector);
      w.EndObject();
    }
    w.EndArray();
  };
  std::string date, enddate;
  Key(w, "events");
  w.StartArray();
  for (size_t i = 0; i < doc.events().size(); ++i) {
    const Event& e = doc.events()[i];
    w.StartObject();
    Key(w, "id"); w.Uint(static_cast<unsigned>(i));
    Key(w, "type"); Str(w, EventTypeName(e.type));
    PoolStr(w, doc, "mode", e.mode);
    if (!e.context.empty()) {
      Key(w, "context");
      w.StartArray();
      std::string_view c = doc.pool(e.context);
      while (!c.empty()) {
        const size_t comma = c.find(',');
        std::string_view one = c.substr(0, comma);
        while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
        if (!one.empty()) Str(w, one);
        c = comma == std::string_view::npos ? std::string_view() : c.substr(comma + 1);
      }
      w.EndArray();
    }
    PoolStr(w, doc, "cameo", e.cameo);
    Key(w, "modality"); Str(w, EventModalityName(e.modality));
    Key(w, "negated"); w.Bool(e.negated);
    if (e.conditional) { Key(w, "conditional"); w.Bool(true); }
    write_args("source", e.source_begin, e.source_end);
    write_args("target", e.target_begin, e.target_end);
    if (e.location >= 0) {
      const Mention& m = doc.mentions()[e.location];
      Key(w, "location");
      w.StartObject();
      write_span(m.token_begin, m.token_end);
      Key(w, "actor"); w.Uint(m.actor);
      w.EndObject();
    }
    EventDates(doc, e, &date, &enddate);
    if (!date.empty()) { Key(w, "date"); Str(w, date); }
    if (!enddate.empty()) { Key(w, "enddate"); Str(w, enddate); }
    if (e.time >= 0) { Key(w, "time_entity"); w.Uint(doc.times()[e.time].entity); }
    Key(w, "trigger");
    w.StartObject();
    write_span(e.trigger_begin, e.trigger_end);
    w.EndObject();
    Key(w, "sentence"); w.Uint(e.sentence);
    if (e.quote >= 0) { Key(w, "quote"); w.Int(e.quote); }
    if (e.parent >= 0) { Key(w, "parent"); w.Int(e.parent); }
    Key(w, "confidence"); w.Double(std::round(static_cast<double>(e.confidence) * 100) / 100);
    w.EndObject();
  }
  w.EndArray();
}

template <typename W>
void Write(W& w, const Document& doc, const JsonOptions& opt) {
  const Metadata& m = doc.meta();
  w.StartObject();
  Key(w, "id");
  Str(w, m.id);
  if (!m.date.empty()) { Key(w, "date"); Str(w, m.date); }
  if (!m.source.empty()) { Key(w, "source"); Str(w, m.source); }
  if (!m.title.empty()) { Key(w, "title"); Str(w, m.title); }
  if (!m.url.empty()) { Key(w, "url"); Str(w, m.url); }
  if (!m.extra.empty()) {
    Key(w, "meta");
    w.StartObject();
    for (const auto& [k, raw] : m.extra) {
      Str(w, k);
      w.RawValue(raw.data(), raw.size(), rapidjson::kObjectType);
    }
    w.EndObject();
  }
  if (opt.include_text) { Key(w, "text"); Str(w, doc.text()); }
  Key(w, "paragraphs");
  w.StartArray();
  for (const Paragraph& p : doc.paragraphs()) {
    w.StartObject();
    Key(w, "start"); w.Uint(p.span.begin);
    Key(w, "end"); w.Uint(p.span.end);
    Key(w, "sentences"); w.StartArray(); w.Uint(p.sentence_begin); w.Uint(p.sentence_end); w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  Key(w, "sentences");
  w.StartArray();
  const auto& tokens = doc.tokens();
  for (size_t s = 0; s < doc.sentences().size(); ++s) {
    const Sentence& sent = doc.sentences()[s];
    ByteSpan span = doc.sentence_span(s);
    w.StartObject();
    Key(w, "start"); w.Uint(span.begin);
    Key(w, "end"); w.Uint(span.end);
    Key(w, "text"); Str(w, doc.text(span));
    if (opt.include_tokens) {
      Key(w, "tokens");
      w.StartArray();
      for (uint32_t i = sent.token_begin; i < sent.token_end; ++i) {
        const Token& t = tokens[i];
        w.StartObject();
        Key(w, "text"); Str(w, doc.token_text(i));
        Key(w, "start"); w.Uint(t.begin);
        Key(w, "end"); w.Uint(t.end);
        Key(w, "kind"); Str(w, TokenKindName(t.kind));
        if (t.has(kSpaceAfter)) { Key(w, "space"); w.Bool(true); }
        if (t.has(kJoinedToPrev)) { Key(w, "joined"); w.Bool(true); }
        if (t.has(kQuoteOpen)) { Key(w, "quote"); Str(w, "open"); }
        if (t.has(kQuoteClose)) { Key(w, "quote"); Str(w, "close"); }
        if (i < doc.tags().size()) {
          const TokenTag& tag = doc.tags()[i];
          Key(w, "upos"); Str(w, UposName(tag.upos));
          Key(w, "xpos"); Str(w, XposNames()[tag.xpos]);
          Key(w, "lemma"); Str(w, doc.lemma(i));
        }
        if (i < doc.deps().size()) {
          const Dependency& d = doc.deps()[i];
          Key(w, "head");
          w.Int(d.head < 0 ? -1 : d.head - static_cast<int32_t>(sent.token_begin));
          Key(w, "deprel"); Str(w, DeprelNames()[d.deprel]);
        }
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  if (!doc.entities().empty()) {
    Key(w, "entities");
    w.StartArray();
    size_t si = 0, ti = 0;
    const auto& sentences = doc.sentences();
    std::vector<int64_t> actor_of(doc.entities().size(), -1);
    for (const Mention& m : doc.mentions())
      if (m.entity >= 0 && static_cast<size_t>(m.entity) < actor_of.size()) actor_of[m.entity] = m.actor;
    const auto& times = doc.times();
    for (size_t k = 0; k < doc.entities().size(); ++k) {
      const Entity& e = doc.entities()[k];
      while (si + 1 < sentences.size() && sentences[si].token_end <= e.token_begin) ++si;
      const uint32_t base = sentences.empty() ? 0 : sentences[si].token_begin;
      const ByteSpan span{tokens[e.token_begin].begin, tokens[e.token_end - 1].end};
      w.StartObject();
      Key(w, "type"); Str(w, EntityTypeName(e.type));
      Key(w, "text"); Str(w, doc.text(span));
      Key(w, "start"); w.Uint(span.begin);
      Key(w, "end"); w.Uint(span.end);
      Key(w, "sentence"); w.Uint(static_cast<unsigned>(si));
      Key(w, "tokens"); w.StartArray(); w.Uint(e.token_begin - base); w.Uint(e.token_end - base); w.EndArray();
      if (e.title_end > e.title_begin) {
        const ByteSpan t{tokens[e.title_begin].begin, tokens[e.title_end - 1].end};
        Key(w, "title");
        w.StartObject();
        Key(w, "text"); Str(w, doc.text(t));
        Key(w, "start"); w.Uint(t.begin);
        Key(w, "end"); w.Uint(t.end);
        w.EndObject();
      }
      if (e.value_len) { Key(w, "value"); Str(w, doc.entity_value(k)); }
      if (actor_of[k] >= 0) { Key(w, "actor"); w.Uint(static_cast<unsigned>(actor_of[k])); }
      while (ti < times.size() && times[ti].entity < k) ++ti;
      if (ti < times.size() && times[ti].entity == k) {
        char day[11];
        Key(w, "time");
        w.StartObject();
        FormatIsoDay(times[ti].begin, day);
        Key(w, "begin"); Str(w, std::string_view(day, 10));
        FormatIsoDay(times[ti].end, day);
        Key(w, "end"); Str(w, std::string_view(day, 10));
        Key(w, "granularity"); Str(w, TimeGranularityName(times[ti].granularity));
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  if (!doc.actors().empty()) WriteActors(w, doc);
  if (!doc.quotes().empty()) WriteQuotes(w, doc);
  if (!doc.events().empty()) WriteEvents(w, doc);
  if (!doc.diagnostics().empty()) {
    Key(w, "warnings");
    w.StartArray();
    for (const Diagnostic& d : doc.diagnostics()) {
      w.StartObject();
      Key(w, "offset"); w.Uint(d.offset);
      Key(w, "message"); Str(w, d.message);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

void AppendDocumentJson(const Document& doc, const JsonOptions& options, std::string* out) {
  rapidjson::StringBuffer buf;
  if (options.pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    Write(w, doc, options);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    Write(w, doc, options);
  }
  out->append(buf.GetString(), buf.GetSize());
}

void AppendPloverEvents(const Document& doc, std::string* out) {
  const auto& tokens = doc.tokens();
  std::string date, enddate;
  for (size_t i = 0; i < doc.events().size(); ++i) {
    const Event& e = doc.events()[i];
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    auto text = [&](uint32_t b, uint32_t en) {
      return doc.text(ByteSpan{tokens[b].begin, tokens[en - 1].end});
    };
    auto actors = [&](const char* key, uint32_t b, uint32_t en) {
      Key(w, key);
      w.StartArray();
      for (uint32_t k = b; k < en; ++k) {
        const EventArg& a = doc.event_args()[k];
        w.StartObject();
        Key(w, "actorText"); Str(w, text(a.token_begin, a.token_end));
        PoolStr(w, doc, "code", a.code);
        PoolStr(w, doc, "sector", a.sector);
        if (a.actor >= 0) {
          const Actor& act = doc.actors()[a.actor];
          PoolStr(w, doc, "actorId", act.id);
          PoolStr(w, doc, "actorName", act.name);
        }
        w.EndObject();
      }
      w.EndArray();
    };
    w.StartObject();
    Key(w, "id"); Str(w, doc.meta().id + "-" + std::to_string(i));
    Key(w, "article_id"); Str(w, doc.meta().id);
    EventDates(doc, e, &date, &enddate);
    if (!date.empty()) { Key(w, "date"); Str(w, date); }
    if (!enddate.empty()) { Key(w, "enddate"); Str(w, enddate); }
    actors("actor", e.source_begin, e.source_end);
    actors("recipient", e.target_begin, e.target_end);
    Key(w, "event_type"); Str(w, EventTypeName(e.type));
    PoolStr(w, doc, "mode", e.mode);
    PoolStr(w, doc, "context", e.context);
    PoolStr(w, doc, "cameo", e.cameo);
    Key(w, "modality"); Str(w, EventModalityName(e.modality));
    Key(w, "negated"); w.Bool(e.negated);
    if (e.conditional) { Key(w, "conditional"); w.Bool(true); }
    Key(w, "event_text"); Str(w, text(e.trigger_begin, e.trigger_end));
    if (e.location >= 0) {
      const Mention& m = doc.mentions()[e.location];
      const Actor& act = doc.actors()[m.actor];
      Key(w, "event_loc");
      w.StartObject();
      Key(w, "placeText"); Str(w, text(m.token_begin, m.token_end));
      PoolStr(w, doc, "placeName", !act.geo_name.empty() ? act.geo_name : act.name);
      PoolStr(w, doc, "placeId", act.id);
      PoolStr(w, doc, "country", act.country);
      if (act.flags & kActorHasGeo) {
        Key(w, "lat"); w.Double(act.lat);
        Key(w, "lon"); w.Double(act.lon);
      }
      PoolStr(w, doc, "precision", act.geo_precision);
      w.EndObject();
    }
    const ByteSpan sent = doc.sentence_span(e.sentence);
    Key(w, "text"); Str(w, doc.text(sent));
    Key(w, "text_offsets");
    w.StartObject();
    Key(w, "sentence"); w.StartArray(); w.Uint(sent.begin); w.Uint(sent.end); w.EndArray();
    Key(w, "trigger");
    w.StartArray();
    w.Uint(tokens[e.trigger_begin].begin);
    w.Uint(tokens[e.trigger_end - 1].end);
    w.EndArray();
    w.EndObject();
    if (e.quote >= 0) {
      const Quote& q = doc.quotes()[e.quote];
      if (q.speaker_end > q.speaker_begin) {
        Key(w, "reported_by"); Str(w, text(q.speaker_begin, q.speaker_end));
      }
    }
    Key(w, "confidence"); w.Double(std::round(static_cast<double>(e.confidence) * 100) / 100);
    if (e.parent >= 0) { Key(w, "parent"); Str(w, doc.meta().id + "-" + std::to_string(e.parent)); }
    w.EndObject();
    out->append(buf.GetString(), buf.GetSize());
    out->push_back('\n');
  }
}

}  // namespace sitrep
