// Fuzzes the whole analysis (tokenizer, splitter, shipped tagger, parser,
// recognizer and linker)
// on arbitrary bytes repaired to UTF-8, and checks the syntax layers'
// invariants (and the entity layer's): one tag per token, one head per token inside its sentence,
// never itself, exactly one root word per sentence, and no cycles.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "sitrep/pipeline.h"

namespace {
const sitrep::Pipeline* Load() {
  sitrep::PipelineOptions o;
  o.models_dir = std::string(SITREP_SOURCE_DIR) + "/models";
  auto p = sitrep::Pipeline::Create(o);
  if (!p.ok()) std::abort();
  return p.value().release();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sitrep::Pipeline* pipeline = Load();
  std::string text(reinterpret_cast<const char*>(data), size);
  sitrep::RepairUtf8(&text, nullptr);
  sitrep::Document doc(std::move(text), sitrep::Metadata());
  pipeline->Annotate(&doc);
  const size_t n = doc.tokens().size();
  if (doc.tags().size() != n || doc.deps().size() != n) std::abort();
  for (const sitrep::Sentence& s : doc.sentences()) {
    int roots = 0;
    for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
      const int h = doc.deps()[i].head;
      if (h < 0) {
        ++roots;
        continue;
      }
      if (h < static_cast<int>(s.token_begin) || h >= static_cast<int>(s.token_end) ||
          h == static_cast<int>(i))
        std::abort();
      // Walking up from i reaches the root within the sentence's length.
      int x = static_cast<int>(i);
      for (uint32_t steps = 0; x >= 0; ++steps) {
        if (steps > s.token_end - s.token_begin) std::abort();
        x = doc.deps()[x].head;
      }
    }
    if (roots != 1) std::abort();
  }
  // Entities: sorted, non-overlapping, non-empty, each inside one sentence;
  // a title ends where its person begins; values inside the pool.
  std::vector<uint32_t> sentence_of(n, 0);
  for (uint32_t k = 0; k < doc.sentences().size(); ++k)
    for (uint32_t i = doc.sentences()[k].token_begin; i < doc.sentences()[k].token_end; ++i)
      sentence_of[i] = k;
  uint32_t prev_end = 0;
  for (const sitrep::Entity& e : doc.entities()) {
    if (e.token_begin >= e.token_end || e.token_end > n || e.token_begin < prev_end) std::abort();
    if (sentence_of[e.token_begin] != sentence_of[e.token_end - 1]) std::abort();
    if (e.type == sitrep::EntityType::kNone) std::abort();
    if (e.title_end > e.title_begin && e.title_end != e.token_begin) std::abort();
    if (e.value_begin + e.value_len > doc.entity_values().size()) std::abort();
    prev_end = e.token_end;
  }
  // Linked mentions: sorted, non-overlapping, inside one sentence, naming
  // an actor; every pooled string inside the actor pool.
  prev_end = 0;
  for (const sitrep::Mention& m : doc.mentions()) {
    if (m.token_begin >= m.token_end || m.token_end > n || m.token_begin < prev_end) std::abort();
    if (sentence_of[m.token_begin] != sentence_of[m.token_end - 1]) std::abort();
    if (m.actor >= doc.actors().size()) std::abort();
    if (m.entity >= static_cast<int32_t>(doc.entities().size())) std::abort();
    if (m.sector.begin + m.sector.len > doc.actor_pool().size()) std::abort();
    prev_end = m.token_end;
  }
  for (const sitrep::Actor& a : doc.actors())
    for (const sitrep::PoolRef* r : {&a.id, &a.name, &a.country, &a.sector, &a.kb_role, &a.note,
                                     &a.text_role, &a.geo_name, &a.geo_precision})
      if (r->begin + r->len > doc.actor_pool().size()) std::abort();
  // Quotations: non-empty content inside the document, spans in order,
  // speaker actor and parent in range.
  for (size_t q = 0; q < doc.quotes().size(); ++q) {
    const sitrep::Quote& x = doc.quotes()[q];
    if (x.content_begin >= x.content_end || x.content_end > n) std::abort();
    if (x.content2_end > n || x.content2_begin > x.content2_end) std::abort();
    if (x.cue_end > n || x.cue_begin > x.cue_end || x.speaker_end > n ||
        x.speaker_begin > x.speaker_end)
      std::abort();
    if (x.speaker_actor >= static_cast<int32_t>(doc.actors().size())) std::abort();
    if (x.parent >= static_cast<int32_t>(doc.quotes().size()) || x.parent == static_cast<int32_t>(q))
      std::abort();
    if (!(x.confidence > 0 && x.confidence <= 1)) std::abort();
  }
  // Events: trigger inside its sentence, argument ranges inside
  // event_args(), indices in range, a parent chain without cycles.
  const size_t ne = doc.events().size();
  for (size_t i = 0; i < ne; ++i) {
    const sitrep::Event& e = doc.events()[i];
    if (e.sentence >= doc.sentences().size()) std::abort();
    const sitrep::Sentence& s = doc.sentences()[e.sentence];
    if (e.trigger_begin >= e.trigger_end || e.trigger_begin < s.token_begin ||
        e.trigger_end > s.token_end)
      std::abort();
    if (e.source_begin > e.source_end || e.target_begin > e.target_end ||
        e.source_end > doc.event_args().size() || e.target_end > doc.event_args().size())
      std::abort();
    if (e.source_begin == e.source_end && e.target_begin == e.target_end) std::abort();
    if (e.location >= static_cast<int32_t>(doc.mentions().size()) ||
        e.time >= static_cast<int32_t>(doc.times().size()) ||
        e.quote >= static_cast<int32_t>(doc.quotes().size()) ||
        e.parent >= static_cast<int32_t>(ne))
      std::abort();
    size_t steps = 0;
    for (int32_t p = e.parent; p >= 0; p = doc.events()[p].parent)
      if (++steps > ne) std::abort();
    if (!(e.confidence > 0 && e.confidence <= 1)) std::abort();
  }
  for (const sitrep::EventArg& a : doc.event_args()) {
    if (a.token_begin >= a.token_end || a.token_end > n) std::abort();
    if (a.actor >= static_cast<int32_t>(doc.actors().size())) std::abort();
    if (a.code.begin + a.code.len > doc.actor_pool().size()) std::abort();
  }
  return 0;
}
