#include "sitrep/augment.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace sitrep {
namespace {

// SplitMix64: a small deterministic generator, so the augmented treebank
// depends only on the data and the seed.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
};

constexpr std::array<std::string_view, 20> kReportingLemmas = {
    "say",     "add",    "note",    "explain", "state",       "write",  "claim",
    "warn",    "insist", "argue",   "announce", "stress",     "confirm", "acknowledge",
    "admit",   "recall", "observe", "comment", "report",      "tell"};

constexpr std::array<std::string_view, 26> kTimeLemmas = {
    "week",   "year",    "month",   "day",      "night",  "morning", "afternoon",
    "evening", "weekend", "time",   "monday",   "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "today",    "yesterday", "tomorrow", "decade",
    "summer", "winter",  "spring",  "autumn",   "quarter"};

bool In(std::string_view w, const auto& list) {
  std::string lower(w);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(list.begin(), list.end(), lower) != list.end();
}

// A contiguous subtree [begin, end) (0-based word indices) of a sentence
// whose words all attach inside it except `top`.
struct Phrase {
  const ConlluSentence* sentence = nullptr;
  int begin = 0, end = 0, top = 0;
};

// The subtree of word `top` (0-based) when it is contiguous, else begin = end.
Phrase Subtree(const ConlluSentence& s, int top) {
  const int n = static_cast<int>(s.words.size());
  std::vector<char> in(n, 0);
  in[top] = 1;
  // Heads precede or follow freely; iterate to a fixed point (trees are small).
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < n; ++i) {
      int h = s.words[i].head - 1;
      if (!in[i] && h >= 0 && in[h]) in[i] = 1, changed = true;
    }
  }
  int b = top, e = top + 1;
  while (b > 0 && in[b - 1]) --b;
  while (e < n && in[e]) ++e;
  for (int i = 0; i < n; ++i)
    if (in[i] && (i < b || i >= e)) return {&s, 0, 0, top};
  return {&s, b, e, top};
}

bool HasPunct(const Phrase& p) {
  for (int i = p.begin; i < p.end; ++i)
    if (p.sentence->words[i].upos == "PUNCT") return true;
  return false;
}

// Appends the words of `p` to `out`, the top attached to `head` (1-based in
// the new sentence, 0 the root) with `deprel`.
void Append(const Phrase& p, int head, const std::string& deprel, ConlluSentence* out) {
  const int offset = static_cast<int>(out->words.size()) - p.begin;
  for (int i = p.begin; i < p.end; ++i) {
    ConlluWord w = p.sentence->words[i];
    if (i == p.top) {
      w.head = head;
      w.deprel = deprel;
    } else {
      w.head = w.head + offset;
    }
    w.deps.clear();
    w.misc.clear();
    out->words.push_back(std::move(w));
  }
}

ConlluWord Punct(const std::string& form, const std::string& xpos, int head) {
  // Field order: form, lemma, upos, xpos, feats, deprel, deps, misc, head.
  // "_" columns are empty strings, as ParseConllu stores them.
  return ConlluWord{form, form, std::string("PUNCT"), xpos, std::string(),
                    std::string("punct"), std::string(), std::string(), head};
}

// Fills tokens (one per word) and text from the words.
void Finish(ConlluSentence* s) {
  s->tokens.clear();
  s->text.clear();
  for (size_t i = 0; i < s->words.size(); ++i) {
    ConlluToken t;
    t.form = s->words[i].form;
    t.word_begin = static_cast<uint32_t>(i);
    t.word_end = static_cast<uint32_t>(i + 1);
    s->tokens.push_back(t);
    if (i) s->text += ' ';
    s->text += t.form;
  }
}

void SetCase(std::string* form, bool upper) {
  if (form->empty() || static_cast<unsigned char>((*form)[0]) >= 0x80) return;
  (*form)[0] = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>((*form)[0]))
                                       : std::tolower(static_cast<unsigned char>((*form)[0])));
}

// An empty sentence that is its own document, named after `s`.
ConlluSentence Derived(const ConlluSentence& s) {
  ConlluSentence a;
  a.sent_id = s.sent_id + "-aug";
  a.doc_id = s.doc_id + "-aug";
  a.new_doc = true;
  return a;
}

// Appends all of `s` (root word `root`, 0-based) as the root clause of *a,
// its first word lower-cased unless a proper noun or "I".
void AppendMainClause(const ConlluSentence& s, int root, ConlluSentence* a) {
  const size_t first = a->words.size();
  Append(Phrase{&s, 0, static_cast<int>(s.words.size()), root}, 0, "root", a);
  if (a->words[first].upos != "PROPN" && a->words[first].form != "I")
    SetCase(&a->words[first].form, false);
}

int RootOf(const ConlluSentence& s) {
  int root = -1;
  for (size_t i = 0; i < s.words.size(); ++i)
    if (s.words[i].head == 0) {
      if (root >= 0) return -1;
      root = static_cast<int>(i);
    }
  return root;
}

}  // namespace

std::vector<ConlluSentence> AugmentTreebank(const std::vector<ConlluSentence>& train,
                                            const AugmentOptions& options) {
  // Pools from the treebank itself: speakers (contiguous subjects without
  // punctuation), reporting verbs in the past or present tense, fronted
  // time phrases (bare noun phrases of time attached to a clause).
  std::vector<Phrase> speakers, verbs, times;
  // Subjects of any verb that name someone: 2-6 words with a proper noun
  // ("security expert Rainer Saks"); past-tense reporting verbs.
  std::vector<Phrase> named;
  std::vector<size_t> past;
  std::vector<size_t> contents;
  for (size_t si = 0; si < train.size(); ++si) {
    const ConlluSentence& s = train[si];
    const int n = static_cast<int>(s.words.size());
    bool has_empty_head = false;
    for (const ConlluWord& w : s.words) has_empty_head |= w.head < 0;
    if (has_empty_head || RootOf(s) < 0) continue;
    for (int i = 0; i < n; ++i) {
      const ConlluWord& w = s.words[i];
      if (w.deprel == "nsubj" && w.head - 1 > i) {
        const ConlluWord& v = s.words[w.head - 1];
        if (v.upos == "VERB" && In(v.lemma, kReportingLemmas) && v.lemma != "tell" &&
            (v.xpos == "VBD" || v.xpos == "VBZ")) {
          Phrase p = Subtree(s, i);
          if (p.end > p.begin && p.end == w.head - 1 && p.end - p.begin <= 7 && !HasPunct(p)) {
            if (v.xpos == "VBD") past.push_back(verbs.size());
            speakers.push_back(p);
            verbs.push_back(Phrase{&s, w.head - 1, w.head, w.head - 1});
          }
        }
      }
      if (w.deprel == "nsubj" && (w.upos == "NOUN" || w.upos == "PROPN")) {
        Phrase p = Subtree(s, i);
        bool has_name = false;
        for (int j = p.begin; j < p.end; ++j) has_name |= s.words[j].upos == "PROPN";
        if (p.end - p.begin >= 2 && p.end - p.begin <= 6 && has_name && !HasPunct(p))
          named.push_back(p);
      }
      if (w.deprel == "obl:unmarked" && In(w.lemma, kTimeLemmas)) {
        Phrase p = Subtree(s, i);
        bool plain = p.end > p.begin && p.end - p.begin <= 3;
        for (int j = p.begin; plain && j < p.end; ++j) {
          const std::string& u = s.words[j].upos;
          plain = u == "DET" || u == "ADJ" || u == "NOUN" || u == "PROPN";
        }
        if (plain) times.push_back(p);
      }
    }
    const int root = RootOf(s);
    if (n >= 6 && n <= 45 && s.words.back().form == "." && s.words.back().head == root + 1 &&
        s.words.front().upos != "PUNCT" && s.words.front().upos != "CCONJ")
      contents.push_back(si);
  }
  std::vector<ConlluSentence> out;
  if (contents.empty()) return out;
  Rng rng{options.seed};
  for (size_t ci : contents) {
    const ConlluSentence& s = train[ci];
    const int root = RootOf(s);
    const int body = static_cast<int>(s.words.size()) - 1;  // without the final period
    const double u = rng.Uniform();
    if (u < options.reporting_rate && !speakers.empty()) {
      // "S, NP said." / "“S,” NP said." / "S, said NP." The speaker and
      // verb of a treebank sentence, or half the time a named subject of any
      // verb with a past-tense reporting verb.
      size_t k = rng.Below(speakers.size());
      const bool use_named = !named.empty() && !past.empty() && rng.Uniform() < 0.5;
      const Phrase& speaker = use_named ? named[rng.Below(named.size())] : speakers[k];
      if (use_named) k = past[rng.Below(past.size())];
      const Phrase& verb = verbs[k];
      const double style = rng.Uniform();
      const bool pronoun = speaker.sentence->words[speaker.top].upos == "PRON";
      const bool quoted = style < 0.3;
      const bool inverted = !quoted && !pronoun && style > 0.85;
      ConlluSentence a = Derived(s);
      const int q = quoted ? 1 : 0;
      const int content_root = root + 1 + q;             // 1-based in `a`
      // Words before the verb: quote, content, comma, quote, speaker.
      const int verb_pos = q + body + 1 + q + (inverted ? 0 : speaker.end - speaker.begin) + 1;
      if (quoted) a.words.push_back(Punct("\"", "``", content_root));
      Phrase content{&s, 0, body, root};
      Append(content, verb_pos, "ccomp", &a);
      a.words.push_back(Punct(",", ",", content_root));
      if (quoted) a.words.push_back(Punct("\"", "''", content_root));
      if (inverted) Append(verb, 0, "root", &a);
      const size_t first = a.words.size();
      Append(speaker, verb_pos, "nsubj", &a);
      if (a.words[first].upos != "PROPN" && a.words[first].form != "I")
        SetCase(&a.words[first].form, false);
      if (!inverted) Append(verb, 0, "root", &a);
      a.words.push_back(Punct(".", ".", verb_pos));
      Finish(&a);
      out.push_back(std::move(a));
    } else if (u >= options.reporting_rate + options.time_rate &&
               u < options.reporting_rate + options.time_rate + options.according_rate &&
               !named.empty()) {
      // "According to NP, S." ("According" case of the NP, "to" fixed to it;
      // the NP an obl of the clause, the comma attached to the NP).
      const Phrase& source = named[rng.Below(named.size())];
      ConlluSentence a = Derived(s);
      const int len = source.end - source.begin;
      const int top = 2 + source.top - source.begin + 1;
      const int content_root = 2 + len + 1 + root + 1;
      a.words.push_back(ConlluWord{"According", "accord", "VERB", "VBG", "VerbForm=Ger", "case",
                                   std::string(), std::string(), top});
      a.words.push_back(ConlluWord{"to", "to", "ADP", "IN", std::string(), "fixed", std::string(),
                                   std::string(), 1});
      const size_t first_source = a.words.size();
      Append(source, content_root, "obl", &a);
      if (a.words[first_source].upos != "PROPN") SetCase(&a.words[first_source].form, false);
      a.words.push_back(Punct(",", ",", top));
      AppendMainClause(s, root, &a);
      Finish(&a);
      out.push_back(std::move(a));
    } else if (u >= options.reporting_rate && u < options.reporting_rate + options.time_rate &&
               !times.empty()) {
      // "Next week, S."
      const Phrase& time = times[rng.Below(times.size())];
      ConlluSentence a = Derived(s);
      const int len = time.end - time.begin;
      const int content_root = root + 1 + len + 1;
      const int time_top = time.top - time.begin + 1;
      Append(time, content_root, "obl:unmarked", &a);
      SetCase(&a.words[0].form, true);
      a.words.push_back(Punct(",", ",", time_top));
      AppendMainClause(s, root, &a);
      Finish(&a);
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace sitrep
