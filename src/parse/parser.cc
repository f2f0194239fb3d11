#include "sitrep/parser.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <unordered_map>

#include "model/model_file.h"
#include "model/perceptron.h"

namespace sitrep {

namespace {

using model::FeatureHash;

constexpr const char* kParserKind = "parser";
constexpr uint32_t kParserVersion = 3;  // 2: separate move and relation weights; 3: beam width, relabeler
constexpr int kMaxFeatures = 96;  // Features() writes 87
constexpr int kMaxBeam = 64;  // widest beam a model or a caller may ask for

enum Move { kShift = 0, kLeft = 1, kRight = 2 };

// ---------------------------------------------------------------------------
// Transition system. Words are 1..n, 0 is the artificial root that starts on
// the stack; the buffer is the words b..n.

struct State {
  int n = 0;
  int b = 1;
  std::vector<int> stack;
  // Per word 0..n: head (-1 none), relation (label index), leftmost and
  // second-leftmost child, rightmost and second-rightmost child (-1 none),
  // number of left and right children.
  std::vector<int> head, label, lc1, lc2, rc1, rc2, nl, nr;

  void Init(int words) {
    n = words;
    b = 1;
    stack.assign(1, 0);
    for (auto* v : {&head, &label, &lc1, &lc2, &rc1, &rc2}) v->assign(n + 1, -1);
    nl.assign(n + 1, 0);
    nr.assign(n + 1, 0);
  }
  bool Terminal() const { return b > n && stack.size() == 1; }
  int S(size_t k) const { return stack.size() > k ? stack[stack.size() - 1 - k] : -1; }
  int B(int k) const { return b + k <= n ? b + k : -1; }

  bool CanShift() const { return b <= n; }
  bool CanLeft() const { return stack.size() >= 2 && b <= n; }  // s0 is a word
  // RIGHT attaches s0 to s1; attaching to the root only ends the parse, so a
  // sentence has exactly one root word.
  bool CanRight() const {
    return stack.size() >= 2 && (S(1) != 0 || (b > n && stack.size() == 2));
  }

  void Apply(int move, int lab) {
    if (move == kShift) {
      stack.push_back(b++);
    } else if (move == kLeft) {
      int d = stack.back(), h = b;
      stack.pop_back();
      head[d] = h;
      label[d] = lab;
      lc2[h] = lc1[h];
      lc1[h] = d;
      ++nl[h];
    } else {
      int d = stack.back();
      stack.pop_back();
      int h = stack.back();
      head[d] = h;
      label[d] = lab;
      rc2[h] = rc1[h];
      rc1[h] = d;
      ++nr[h];
    }
  }
};

// Unlabelled costs of the three moves under the gold heads `gh` (dynamic
// oracle of the arc-hybrid system): the number of gold arcs that become
// unreachable. -1 marks an illegal move.
void MoveCosts(const State& st, const std::vector<int>& gh, int cost[3]) {
  const int s0 = st.S(0), s1 = st.S(1), b0 = st.b;
  cost[kShift] = cost[kLeft] = cost[kRight] = -1;
  // Gold dependents of x in the buffer.
  auto deps_in_buffer = [&](int x) {
    int c = 0;
    for (int d = st.b; d <= st.n; ++d) c += gh[d] == x;
    return c;
  };
  auto head_in_buffer = [&](int x, int from) { return gh[x] >= from && gh[x] <= st.n; };
  if (st.CanShift()) {
    // b0 loses heads in the stack below s0 and dependents in the stack.
    int c = 0;
    for (size_t k = 0; k < st.stack.size(); ++k) {
      int x = st.stack[k];
      if (x != s0 && gh[b0] == x) ++c;
      if (x != 0 && gh[x] == b0) ++c;
    }
    cost[kShift] = c;
  }
  if (st.CanLeft()) {
    // s0 takes b0 as head: it loses a head at s1 or later in the buffer,
    // and its dependents in the buffer.
    int c = deps_in_buffer(s0);
    if (gh[s0] != b0 && (gh[s0] == s1 || head_in_buffer(s0, b0 + 1))) ++c;
    cost[kLeft] = c;
  }
  if (st.CanRight()) {
    // s0 takes s1 as head: it loses a head in the buffer and its dependents
    // in the buffer.
    int c = deps_in_buffer(s0);
    if (st.b <= st.n && head_in_buffer(s0, st.b)) ++c;
    cost[kRight] = c;
  }
}

// ---------------------------------------------------------------------------
// Features.

// Per-word values the features read; index 0 is the root.
struct WordInfo {
  std::vector<uint64_t> w;    // normalized form id
  std::vector<uint64_t> t;    // XPOS id
  std::vector<uint64_t> u;    // UPOS id
  std::vector<uint64_t> wt;   // hash of (w, t)
};

constexpr uint64_t kNone = 0x4E4F4E45ull, kRootW = 0x524F4F54ull;

void Features(const WordInfo& wi, const State& st, uint64_t* f, int* count) {
  auto W = [&](int i) { return i < 0 ? kNone : wi.w[i]; };
  auto T = [&](int i) { return i < 0 ? kNone : wi.t[i]; };
  auto U = [&](int i) { return i < 0 ? kNone : wi.u[i]; };
  auto WT = [&](int i) { return i < 0 ? kNone : wi.wt[i]; };
  auto L = [&](int i) { return i < 0 ? kNone : static_cast<uint64_t>(st.label[i]); };
  auto at = [](const std::vector<int>& v, int i) { return i < 0 ? -1 : v[i]; };
  const int s0 = st.S(0), s1 = st.S(1), s2 = st.S(2);
  const int b0 = st.B(0), b1 = st.B(1), b2 = st.B(2);
  const int s0l = at(st.lc1, s0), s0l2 = at(st.lc2, s0), s0r = at(st.rc1, s0),
            s0r2 = at(st.rc2, s0);
  const int s1l = at(st.lc1, s1), s1r = at(st.rc1, s1), s1r2 = at(st.rc2, s1);
  const int b0l = at(st.lc1, b0), b0l2 = at(st.lc2, b0);
  const uint64_t s0w = W(s0), s0t = T(s0), s0wt = WT(s0);
  const uint64_t s1w = W(s1), s1t = T(s1), s1wt = WT(s1);
  const uint64_t b0w = W(b0), b0t = T(b0), b0wt = WT(b0);
  const uint64_t b1w = W(b1), b1t = T(b1), b1wt = WT(b1);
  const uint64_t b2t = T(b2), s2t = T(s2);
  // Distances (capped) and valencies.
  auto dist = [](int a, int b) -> uint64_t {
    if (a < 0 || b < 0) return 99;
    int d = std::abs(b - a);
    return static_cast<uint64_t>(d < 6 ? d : d < 10 ? 6 : 7);
  };
  const uint64_t d01 = dist(s1, s0), d0b = (s0 <= 0 || b0 < 0) ? 99 : dist(s0, b0);
  const uint64_t s0vl = s0 < 0 ? 99 : st.nl[s0], s0vr = s0 < 0 ? 99 : st.nr[s0];
  const uint64_t s1vr = s1 < 0 ? 99 : st.nr[s1], b0vl = b0 < 0 ? 99 : st.nl[b0];
  int k = 0;
  auto add = [&](uint64_t tmpl, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
    f[k++] = FeatureHash(tmpl, a, b, c);
  };
  add(0, 1);
  // Single words.
  add(1, s0w); add(2, s0t); add(3, s0wt);
  add(4, s1w); add(5, s1t); add(6, s1wt);
  add(7, b0w); add(8, b0t); add(9, b0wt);
  add(10, b1w); add(11, b1t); add(12, b1wt);
  add(13, b2t); add(14, s2t);
  add(15, U(s0)); add(16, U(s1)); add(17, U(b0));
  // Pairs.
  add(20, s1wt, s0wt); add(21, s1wt, s0w); add(22, s1w, s0wt); add(23, s1wt, s0t);
  add(24, s1t, s0wt); add(25, s1w, s0w); add(26, s1t, s0t); add(27, s0t, b0t);
  add(28, s0wt, b0wt); add(29, s0w, b0w); add(30, s0wt, b0t); add(31, s0t, b0wt);
  add(32, b0t, b1t); add(33, b0w, b1w); add(34, s1t, b0t); add(35, s1w, b0w);
  // Triples of tags.
  add(40, b0t, b1t, b2t); add(41, s0t, b0t, b1t); add(42, s1t, s0t, b0t);
  add(43, s2t, s1t, s0t); add(44, s1t, s0t, b1t);
  add(45, s0t, T(s0l), T(s0r)); add(46, s1t, T(s1l), T(s1r)); add(47, s1t, s0t, T(s0l));
  add(48, s1t, s0t, T(s0r)); add(49, s1t, T(s1r), s0t); add(50, s0t, b0t, T(b0l));
  add(51, b0t, T(b0l), T(b0l2)); add(52, s0t, T(s0l), T(s0l2)); add(53, s0t, T(s0r), T(s0r2));
  add(54, s1t, T(s1r), T(s1r2)); add(55, s1t, s0t, T(s1l));
  // Children.
  add(60, W(s0l)); add(61, T(s0l)); add(62, L(s0l)); add(63, W(s0r)); add(64, T(s0r));
  add(65, L(s0r)); add(66, W(s1r)); add(67, T(s1r)); add(68, L(s1r)); add(69, W(b0l));
  add(70, T(b0l)); add(71, L(b0l)); add(72, L(s0l2)); add(73, L(s0r2)); add(74, L(b0l2));
  add(75, s0t, L(s0l), L(s0l2)); add(76, s0t, L(s0r), L(s0r2)); add(77, b0t, L(b0l), L(b0l2));
  add(78, s1t, L(s1l), L(s1r));
  // Distance and valency.
  add(80, s0w, d01); add(81, s0t, d01); add(82, s1w, d01); add(83, s1t, d01);
  add(84, s1t, s0t, d01); add(85, s1w, s0w, d01); add(86, s0t, b0t, d0b); add(87, s0w, d0b);
  add(88, b0w, d0b);
  add(90, s0w, s0vr); add(91, s0t, s0vr); add(92, s0w, s0vl); add(93, s0t, s0vl);
  add(94, s1w, s1vr); add(95, s1t, s1vr); add(96, b0w, b0vl); add(97, b0t, b0vl);
  // Root-related: is s1 the root, with how much buffer left.
  add(98, s1 == 0, b0 < 0, s0t);
  *count = k;
}

void FillWordInfo(const Document& doc, const Sentence& s, WordInfo* wi) {
  const size_t n = s.token_end - s.token_begin;
  for (auto* v : {&wi->w, &wi->t, &wi->u, &wi->wt}) v->resize(n + 1);
  wi->w[0] = kRootW;
  wi->t[0] = kRootW + 1;
  wi->u[0] = kRootW + 2;
  wi->wt[0] = kRootW + 3;
  const bool tagged = doc.tags().size() == doc.tokens().size();
  for (size_t k = 0; k < n; ++k) {
    const size_t i = s.token_begin + k;
    wi->w[k + 1] = doc.tokens()[i].norm;
    wi->t[k + 1] = tagged ? doc.tags()[i].xpos : 0;
    wi->u[k + 1] = tagged ? static_cast<uint64_t>(doc.tags()[i].upos) : 0;
    wi->wt[k + 1] = FeatureHash(200, wi->w[k + 1], wi->t[k + 1]);
  }
}

// Moves are scored by one perceptron (3 classes), the relation of an arc by
// another (one class per label) whose features are the move features mixed
// with the arc's direction: scoring 3 classes per step and the labels once
// per arc is far cheaper than scoring every (move, label) pair per step.
struct Labels {
  int num_labels = 0;
  int root_label = -1;
};

constexpr int kMaxLabelFeatures = 32;

// Features of the relation of the arc `move` (kLeft or kRight) would make
// now: the dependent s0, its head (b0 or s1), their pair, distance and the
// relations already attached to either. Sets *count.
void LabelFeatures(const WordInfo& wi, const State& st, int move, uint64_t* f, int* count) {
  const int d = st.S(0), h = move == kLeft ? st.b : st.S(1);
  const uint64_t dir = move == kLeft ? 1 : 2;
  auto W = [&](int i) { return i < 0 || i > st.n ? kNone : wi.w[i]; };
  auto T = [&](int i) { return i < 0 || i > st.n ? kNone : wi.t[i]; };
  auto U = [&](int i) { return i < 0 || i > st.n ? kNone : wi.u[i]; };
  auto L = [&](int i) { return i < 0 ? kNone : static_cast<uint64_t>(st.label[i]); };
  const uint64_t dw = W(d), dt = T(d), hw = W(h), ht = T(h), dwt = wi.wt[d];
  const uint64_t hwt = h >= 0 && h <= st.n ? wi.wt[h] : kNone;
  int dist = std::abs(h - d);
  const uint64_t db = static_cast<uint64_t>(dist < 6 ? dist : dist < 10 ? 6 : 7);
  // The head's child on the dependent's side that is closest to it so far.
  const int hc = move == kLeft ? st.lc1[h] : st.rc1[h];
  int k = 0;
  auto add = [&](uint64_t tmpl, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
    f[k++] = FeatureHash(300 + tmpl, dir, a, FeatureHash(0, b, c));
  };
  add(0, 1);
  add(1, dw); add(2, dt); add(3, dwt); add(4, hw); add(5, ht); add(6, hwt);
  add(7, ht, dt); add(8, hw, dt); add(9, ht, dw); add(10, hw, dw); add(11, ht, dt, db);
  add(12, dw, db); add(13, U(h), U(d)); add(14, U(d));
  add(15, L(st.lc1[d])); add(16, L(st.rc1[d])); add(17, dt, L(st.lc1[d]), L(st.rc1[d]));
  add(18, L(hc), dt); add(19, ht, L(hc), dt);
  add(20, T(d + 1), dt); add(21, T(d - 1), dt); add(22, ht, dt, T(d + 1));
  add(23, W(d + 1), dt); add(24, h == 0 ? 1 : 0, dt);
  add(25, st.nl[d], st.nr[d], dt);
  *count = k;
}

// The legal move with the highest score (ties: SHIFT, LEFT, RIGHT).
int BestMove(const State& st, const float* scores) {
  int best = -1;
  const bool legal[3] = {st.CanShift(), st.CanLeft(), st.CanRight()};
  for (int m = 0; m < 3; ++m)
    if (legal[m] && (best < 0 || scores[m] > scores[best])) best = m;
  return best;
}

// The best label for an arc made by `move` from label scores; the root
// relation exactly when the arc attaches to the root.
int BestLabel(const Labels& labels, const State& st, int move, const float* scores) {
  if (move == kRight && st.S(1) == 0) return labels.root_label;
  int best = -1;
  for (int l = 0; l < labels.num_labels; ++l)
    if (l != labels.root_label && (best < 0 || scores[l] > scores[best])) best = l;
  return best;
}

// ---------------------------------------------------------------------------
// Relabeling. The relation model scores an arc when it is made, before the
// words' later children exist. Once the tree is finished, every arc's
// relation is chosen again by a third perceptron that sees the whole tree:
// all children of the dependent (a marker "if" or "that", an auxiliary "to"),
// the head's own head, its other children, and the punctuation between the
// two words.

// Children of every word of a finished tree, in word order: the children
// of word h are kids[begin[h], begin[h + 1]).
struct Children {
  std::vector<int> begin, kids;
  std::vector<int> labels;  // Relabel's copy of the parser's relations
  std::vector<int> fill;    // Build's scratch, kept to reuse its memory
  void Build(const std::vector<int>& head, int n) {
    begin.assign(n + 2, 0);
    for (int d = 1; d <= n; ++d) ++begin[head[d] + 1];
    for (int h = 0; h <= n; ++h) begin[h + 1] += begin[h];
    kids.assign(n, 0);
    fill.assign(begin.begin(), begin.end() - 1);
    for (int d = 1; d <= n; ++d) kids[fill[head[d]]++] = d;
  }
};

constexpr int kMaxRelabelFeatures = 48;

// Features of the relation of the arc head[d] -> d (d in 1..n, head[d] >= 1)
// given the relations the parser chose, label[] (-1 for the root). Sets
// *count.
void RelabelFeatures(const WordInfo& wi, const std::vector<int>& head,
                     const std::vector<int>& label, const Children& ch, int n, int d,
                     uint64_t* f, int* count) {
  auto L = [&](int i) { return i < 1 || i > n ? kNone : static_cast<uint64_t>(label[i]); };
  const int h = head[d];
  const uint64_t dir = d < h ? 1 : 2;
  auto W = [&](int i) { return i < 0 || i > n ? kNone : wi.w[i]; };
  auto T = [&](int i) { return i < 0 || i > n ? kNone : wi.t[i]; };
  auto U = [&](int i) { return i < 0 || i > n ? kNone : wi.u[i]; };
  const uint64_t dw = W(d), dt = T(d), hw = W(h), ht = T(h), dwt = wi.wt[d], hwt = wi.wt[h];
  const int dist = std::abs(h - d);
  const uint64_t db = static_cast<uint64_t>(dist < 6 ? dist : dist < 10 ? 6 : 7);
  const int g = h > 0 ? head[h] : -1;
  int k = 0;
  auto add = [&](uint64_t tmpl, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
    if (k < kMaxRelabelFeatures) f[k++] = FeatureHash(500 + tmpl, dir, a, FeatureHash(0, b, c));
  };
  add(0, 1);
  add(1, dw); add(2, dt); add(3, dwt); add(4, hw); add(5, ht); add(6, hwt);
  add(7, ht, dt); add(8, hw, dt); add(9, ht, dw); add(10, hw, dw); add(11, ht, dt, db);
  add(12, U(h), U(d)); add(13, T(g), ht, dt); add(14, W(g), ht, dt);
  add(15, T(d - 1), dt, T(d + 1)); add(16, W(d - 1), dt); add(17, dt, W(d + 1));
  // Commas and colons between the two words.
  static const uint64_t kComma = XposFromName(","), kColon = XposFromName(":");
  int commas = 0, colons = 0;
  for (int i = std::min(h, d) + 1; i < std::max(h, d); ++i) {
    commas += wi.t[i] == kComma;
    colons += wi.t[i] == kColon;
  }
  add(18, static_cast<uint64_t>(std::min(commas, 2)), ht, dt);
  add(19, static_cast<uint64_t>(std::min(colons, 1)), static_cast<uint64_t>(std::min(commas, 2)), dt);
  // The dependent's children: words and tags by side, the first one (often
  // a marker or preposition), how many.
  const int kb = ch.begin[d], ke = ch.begin[d + 1];
  for (int i = kb; i < ke && i < kb + 6; ++i) {
    const int c = ch.kids[i];
    const uint64_t side = c < d ? 1 : 2;
    add(20, side, W(c), dt);
    add(21, side, T(c), dt);
    add(31, side, L(c), dt);
  }
  if (ke > kb) {
    add(22, W(ch.kids[kb]), dt, ht);
    add(23, T(ch.kids[kb]), dt);
    add(24, W(ch.kids[ke - 1]), dt);
  } else {
    add(25, dt, ht);  // a leaf
  }
  add(26, static_cast<uint64_t>(std::min(ke - kb, 4)), dt);
  // The head's other children: those on the dependent's side between them,
  // the nearest sibling, and whether the head has another nominal child on
  // its left (a subject already).
  int between = 0, nearest = -1;
  bool left_nominal = false;
  for (int i = ch.begin[h]; i < ch.begin[h + 1]; ++i) {
    const int c = ch.kids[i];
    if (c == d) continue;
    if ((c < h) == (d < h) && std::abs(c - h) < dist) {
      ++between;
      if (nearest < 0 || std::abs(c - d) < std::abs(nearest - d)) nearest = c;
    }
    if (c < h && (U(c) == static_cast<uint64_t>(Upos::kNOUN) ||
                  U(c) == static_cast<uint64_t>(Upos::kPRON) ||
                  U(c) == static_cast<uint64_t>(Upos::kPROPN)))
      left_nominal = true;
  }
  add(27, static_cast<uint64_t>(std::min(between, 3)), ht, dt);
  add(28, T(nearest), ht, dt);
  add(29, left_nominal, ht, dt);
  add(30, left_nominal, dw);
  add(32, L(nearest), ht, dt);
  add(33, L(h), ht, dt);
  *count = k;
}

// Relations of every arc of st's finished tree, chosen again by `relabel`;
// the root arc keeps the root relation.
template <typename Scorer>
void Relabel(const Scorer& relabel, const Labels& labels, const WordInfo& wi, State* st,
             Children* ch, std::vector<float>* scores) {
  const int n = st->n;
  const std::vector<int>& head = st->head;
  ch->Build(head, n);
  ch->labels.assign(st->label.begin(), st->label.end());
  uint64_t f[kMaxRelabelFeatures];
  scores->resize(static_cast<size_t>(labels.num_labels));
  for (int d = 1; d <= n; ++d) {
    if (head[d] <= 0) continue;
    int nf = 0;
    RelabelFeatures(wi, head, ch->labels, *ch, n, d, f, &nf);
    std::fill(scores->begin(), scores->end(), 0.0f);
    relabel.Score(f, static_cast<size_t>(nf), scores->data());
    int best = -1;
    for (int l = 0; l < labels.num_labels; ++l)
      if (l != labels.root_label && (best < 0 || (*scores)[l] > (*scores)[best])) best = l;
    st->label[d] = best;
  }
}

// ---------------------------------------------------------------------------
// Beam search. Every transition sequence of a sentence of n words has 2n
// transitions (each word is shifted once and attached once), so the
// hypotheses of a beam advance in step.

// One transition in the history of a beam: the transition before it (an
// index into the history, -1 at the start), the move and the arc's relation
// (-1 for SHIFT).
struct BeamStepRecord {
  int parent;
  int8_t move;
  int16_t label;
};

// A hypothesis: a configuration, the sum of its moves' scores, its last
// transition in the history, and (in training) whether all its transitions
// so far are the gold ones.
struct Hyp {
  State st;
  double score = 0;
  int last = -1;
  bool gold = true;
};

// Scratch of beam search over one sentence (one per thread): the current
// and next hypotheses, the history of their transitions, the candidates of
// a step and feature buffers.
struct Beam {
  struct Cand {
    double score;
    int hyp;
    int move;
  };
  std::vector<Hyp> cur, next;
  std::vector<BeamStepRecord> history;
  std::vector<Cand> cands;
  std::vector<float> label_scores;
  std::vector<uint64_t> hyp_feats;  // kMaxFeatures per hypothesis
  std::vector<int> hyp_nf;
  uint64_t lfeats[kMaxLabelFeatures];

  void Start(int n, size_t num_labels) {
    cur.resize(1);
    cur[0].st.Init(n);
    cur[0].score = 0;
    cur[0].last = -1;
    cur[0].gold = true;
    history.clear();
    label_scores.resize(num_labels);
  }
};

// The relation the arc model gives the arc `move` makes in `st` (-1 for
// SHIFT). Scorer: model::Perceptron or model::PerceptronTrainer.
template <typename Scorer>
int PickLabel(const Scorer& arcs, const Labels& labels, const WordInfo& wi, const State& st,
              int move, Beam* b) {
  if (move == kShift) return -1;
  if (move == kRight && st.S(1) == 0) return labels.root_label;
  int nl = 0;
  LabelFeatures(wi, st, move, b->lfeats, &nl);
  std::fill(b->label_scores.begin(), b->label_scores.end(), 0.0f);
  arcs.Score(b->lfeats, static_cast<size_t>(nl), b->label_scores.data());
  return BestLabel(labels, st, move, b->label_scores.data());
}

// Extends every hypothesis in b->cur by each legal move and keeps the
// `width` best (higher score, then earlier hypothesis, then SHIFT < LEFT <
// RIGHT), each arc labelled by the arc model. In training, gold_move is the
// gold transition of this step (else -1); returns whether a kept hypothesis
// is still all gold.
template <typename MoveScorer, typename ArcScorer>
bool AdvanceBeam(const MoveScorer& moves, const ArcScorer& arcs, const Labels& labels,
                 const WordInfo& wi, size_t width, int gold_move, Beam* b) {
  b->cands.clear();
  // Features of every hypothesis first, their slots prefetched (when the
  // scorer is a loaded model), so that the lookups' cache misses overlap.
  const size_t hyps = b->cur.size();
  if (b->hyp_feats.size() < hyps * kMaxFeatures) b->hyp_feats.resize(hyps * kMaxFeatures);
  b->hyp_nf.resize(hyps);
  for (size_t i = 0; i < hyps; ++i) {
    uint64_t* f = b->hyp_feats.data() + i * kMaxFeatures;
    Features(wi, b->cur[i].st, f, &b->hyp_nf[i]);
    if constexpr (requires { moves.Prefetch(uint64_t{0}); })
      for (int k = 0; k < b->hyp_nf[i]; ++k) moves.Prefetch(f[k]);
  }
  for (size_t i = 0; i < hyps; ++i) {
    const State& st = b->cur[i].st;
    float s[3] = {0, 0, 0};
    moves.Score(b->hyp_feats.data() + i * kMaxFeatures, static_cast<size_t>(b->hyp_nf[i]), s);
    const bool legal[3] = {st.CanShift(), st.CanLeft(), st.CanRight()};
    for (int m = 0; m < 3; ++m)
      if (legal[m]) b->cands.push_back({b->cur[i].score + s[m], static_cast<int>(i), m});
  }
  const size_t keep = std::min(width, b->cands.size());
  std::partial_sort(b->cands.begin(), b->cands.begin() + keep, b->cands.end(),
                    [](const Beam::Cand& x, const Beam::Cand& y) {
                      if (x.score != y.score) return x.score > y.score;
                      return x.hyp != y.hyp ? x.hyp < y.hyp : x.move < y.move;
                    });
  b->next.resize(keep);
  bool any_gold = false;
  for (size_t k = 0; k < keep; ++k) {
    const Beam::Cand& c = b->cands[k];
    const Hyp& from = b->cur[c.hyp];
    Hyp& h = b->next[k];
    const int label = PickLabel(arcs, labels, wi, from.st, c.move, b);
    h.st = from.st;
    h.st.Apply(c.move, label);
    h.score = c.score;
    h.gold = from.gold && c.move == gold_move;
    any_gold |= h.gold;
    b->history.push_back({from.last, static_cast<int8_t>(c.move), static_cast<int16_t>(label)});
    h.last = static_cast<int>(b->history.size()) - 1;
  }
  std::swap(b->cur, b->next);
  return any_gold;
}

// The transitions (move, label) ending with history record `last`, first to
// last.
std::vector<std::pair<int, int>> PathOf(const Beam& b, int last) {
  std::vector<std::pair<int, int>> path;
  for (int i = last; i >= 0; i = b.history[i].parent)
    path.emplace_back(b.history[i].move, b.history[i].label);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace

// ---------------------------------------------------------------------------
// Projectivity (exposed for tests).

namespace parse_internal {

namespace {
// True when h dominates x (x is h or below it).
bool Dominates(const std::vector<int>& heads, int h, int x) {
  for (int guard = 0; x > 0 && guard <= static_cast<int>(heads.size()); ++guard) {
    if (x == h) return true;
    x = heads[x];
  }
  return x == h;
}
bool ArcProjective(const std::vector<int>& heads, int d) {
  int h = heads[d];
  int lo = std::min(h, d), hi = std::max(h, d);
  for (int k = lo + 1; k < hi; ++k)
    if (!Dominates(heads, h, k)) return false;
  return true;
}
}  // namespace

bool IsProjective(const std::vector<int>& heads) {
  for (size_t d = 1; d < heads.size(); ++d)
    if (!ArcProjective(heads, static_cast<int>(d))) return false;
  return true;
}

std::vector<int> Projectivize(const std::vector<int>& heads) {
  std::vector<int> h = heads;
  for (size_t guard = 0; guard < h.size() * h.size(); ++guard) {
    int pick = -1, len = 0;
    for (size_t d = 1; d < h.size(); ++d) {
      if (h[d] <= 0 || ArcProjective(h, static_cast<int>(d))) continue;
      int l = std::abs(h[d] - static_cast<int>(d));
      if (pick < 0 || l < len) pick = static_cast<int>(d), len = l;
    }
    if (pick < 0) break;
    h[pick] = h[h[pick]];
  }
  return h;
}

std::vector<int> OracleParse(const std::vector<int>& heads) {
  State st;
  st.Init(static_cast<int>(heads.size()) - 1);
  while (!st.Terminal()) {
    int cost[3];
    MoveCosts(st, heads, cost);
    int m = 0;
    while (m < 3 && cost[m] != 0) ++m;
    if (m == 3) break;  // no zero-cost move: not a projective single-root tree
    st.Apply(m, 0);
  }
  std::vector<int> out = st.head;
  out[0] = 0;
  return out;
}

std::vector<int> OracleCosts(const std::vector<int>& heads, const std::vector<int>& transitions) {
  State st;
  st.Init(static_cast<int>(heads.size()) - 1);
  for (int t : transitions) st.Apply(t, 0);
  int cost[3];
  MoveCosts(st, heads, cost);
  return {cost[0], cost[1], cost[2]};
}

std::vector<uint64_t> ConfigFeatures(const std::vector<uint64_t>& norms,
                                     const std::vector<uint8_t>& xpos,
                                     const std::vector<int>& transitions, int label) {
  const int n = static_cast<int>(norms.size()) - 1;
  WordInfo wi;
  for (auto* v : {&wi.w, &wi.t, &wi.u, &wi.wt}) v->assign(n + 1, 0);
  wi.w[0] = kRootW;
  wi.t[0] = kRootW + 1;
  wi.u[0] = kRootW + 2;
  wi.wt[0] = kRootW + 3;
  for (int i = 1; i <= n; ++i) {
    wi.w[i] = norms[i];
    wi.t[i] = xpos[i];
    wi.wt[i] = FeatureHash(200, wi.w[i], wi.t[i]);
  }
  State st;
  st.Init(n);
  for (int t : transitions) st.Apply(t, label);
  uint64_t f[kMaxFeatures];
  int count = 0;
  Features(wi, st, f, &count);
  return std::vector<uint64_t>(f, f + count);
}

}  // namespace parse_internal

// ---------------------------------------------------------------------------
// Parser.

struct Parser::Impl {
  std::unique_ptr<model::ModelFile> file;
  model::Perceptron moves, arcs;  // move scores; relation scores of an arc
  model::Perceptron relabel;      // relation scores of an arc of a finished tree
  Labels labels;
  std::vector<uint8_t> deprel;  // label index -> DeprelNames() index
  int beam = 1;                 // beam width the model was trained with
};

Parser::Parser() : impl_(new Impl) {}
Parser::~Parser() = default;

namespace {

// Per-call scratch of the decoder.
struct ParseScratch {
  WordInfo wi;
  State st;
  std::vector<float> move_scores, label_scores;
  model::Perceptron::SumScratch sum;
};

// Adds the weights of f[0..n) to scores (padded, see Perceptron::Sum),
// looking every feature up before summing so the cache misses overlap.
[[gnu::always_inline]] inline void ScoreAll(const model::Perceptron& p, const uint64_t* f, int n,
                                            float* scores, model::Perceptron::SumScratch* sum) {
  uint64_t peeks[kMaxFeatures];
  model::Perceptron::Ref refs[kMaxFeatures];
  for (int i = 0; i < n; ++i) peeks[i] = p.Peek(f[i]);
  for (int i = 0; i < n; ++i) refs[i] = p.Find(f[i], peeks[i]);
  p.ClearScores(scores);
  p.Sum(refs, static_cast<size_t>(n), scores, sum);
}

// Greedy parse of one sentence (words in scratch->wi); fills scratch->st.
// Compiled for AVX2 as well as plain x86-64 (as the tagger's loop), with the
// same output.
SITREP_TARGET_CLONES
void ParseSentence(const model::Perceptron& moves, const model::Perceptron& arcs,
                   const Labels& labels, ParseScratch* scratch) {
  State* st = &scratch->st;
  const WordInfo& wi = scratch->wi;
  st->Init(static_cast<int>(wi.w.size()) - 1);
  uint64_t feats[kMaxFeatures], lfeats[kMaxLabelFeatures];
  int nf = 0, nl = 0;
  scratch->move_scores.resize(moves.padded_classes());
  scratch->label_scores.resize(arcs.padded_classes());
  float* scores = scratch->move_scores.data();
  float* label_scores = scratch->label_scores.data();
  while (!st->Terminal()) {
    Features(wi, *st, feats, &nf);
    // Three classes: the plain sparse sum beats spreading rows to add them.
    std::fill(scores, scores + 3, 0.0f);
    moves.Score(feats, nf, scores);
    const int move = BestMove(*st, scores);
    int label = -1;
    if (move != kShift) {
      if (!(move == kRight && st->S(1) == 0)) {
        LabelFeatures(wi, *st, move, lfeats, &nl);
        ScoreAll(arcs, lfeats, nl, label_scores, &scratch->sum);
      }
      label = BestLabel(labels, *st, move, label_scores);
    }
    st->Apply(move, label);
  }
}

}  // namespace

Result<std::unique_ptr<Parser>> Parser::Load(const std::string& path) {
  auto f = model::ModelFile::Open(path, kParserKind, kParserVersion);
  if (!f.ok()) return f.status();
  std::unique_ptr<Parser> p(new Parser);
  std::string_view blocks[5];
  Status st = model::SplitPayloadBlocks((*f)->payload(), blocks, 5, "parser");
  if (!st.ok()) return st.WithContext(path);
  std::string_view names = blocks[0];
  Impl& m = *p->impl_;
  while (!names.empty()) {
    size_t nl = names.find('\n');
    std::string_view name = names.substr(0, nl);
    uint8_t id = DeprelFromName(name);
    if (id == 0) id = DeprelFromName("dep");
    if (name == "root") m.labels.root_label = static_cast<int>(m.deprel.size());
    m.deprel.push_back(id);
    names = nl == std::string_view::npos ? std::string_view() : names.substr(nl + 1);
  }
  m.labels.num_labels = static_cast<int>(m.deprel.size());
  if (m.labels.root_label < 0 || m.labels.num_labels < 2)
    return Status::Corruption(path + ": parser needs a root relation and another one");
  auto moves = model::Perceptron::FromPayload(blocks[1]);
  if (!moves.ok()) return moves.status().WithContext(path);
  auto arcs = model::Perceptron::FromPayload(blocks[2]);
  if (!arcs.ok()) return arcs.status().WithContext(path);
  auto relabel = model::Perceptron::FromPayload(blocks[4]);
  if (!relabel.ok()) return relabel.status().WithContext(path);
  if (moves->num_classes() != 3 || arcs->num_classes() != m.labels.num_labels ||
      relabel->num_classes() != m.labels.num_labels)
    return Status::Corruption(path + ": parser class counts do not match its weights");
  m.moves = *moves;
  m.arcs = *arcs;
  m.relabel = *relabel;
  // Settings: "beam=N".
  const std::string_view config = blocks[3];
  if (config.substr(0, 5) != "beam=" || config.size() < 6 || config.size() > 8 ||
      config.find_first_not_of("0123456789", 5) != std::string_view::npos)
    return Status::Corruption(path + ": bad parser settings block");
  m.beam = std::stoi(std::string(config.substr(5)));
  if (m.beam < 1 || m.beam > kMaxBeam)
    return Status::Corruption(path + ": parser beam width out of range");
  m.file = std::move(f.value());
  return p;
}

int Parser::beam() const { return impl_->beam; }

namespace {

// Verbs that report speech or thought ("said", "added", "noted").
bool IsReportingLemma(std::string_view lemma) {
  static constexpr std::string_view kLemmas[] = {
      "say", "add", "note", "explain", "state", "write", "claim", "warn", "insist", "argue",
      "announce", "stress", "confirm", "acknowledge", "admit", "recall", "observe", "comment",
      "report", "tell", "outline", "believe", "conclude", "emphasize", "emphasise", "suggest",
      "predict", "continue", "reply", "respond", "tweet", "declare", "assert", "caution"};
  return std::find(std::begin(kLemmas), std::end(kLemmas), lemma) != std::end(kLemmas);
}

}  // namespace

void RepairReportingSubjects(Document* doc, const Sentence& s) {
  auto& deps = doc->deps();
  const auto& tags = doc->tags();
  const std::vector<std::string_view>& rel = DeprelNames();
  const uint8_t nsubj = DeprelFromName("nsubj");
  for (uint32_t v = s.token_begin + 1; v < s.token_end; ++v) {
    const std::string_view x = XposNames()[tags[v].xpos];
    if (tags[v].upos != Upos::kVERB || !(x == "VBD" || x == "VBZ" || x == "VBP") ||
        !IsReportingLemma(doc->lemma(v)))
      continue;
    bool has_subject = false, content_before = false;
    for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
      if (deps[i].head != static_cast<int32_t>(v)) continue;
      const std::string_view r = rel[deps[i].deprel];
      has_subject |= r.substr(0, 5) == "nsubj" || r == "expl" || r == "csubj";
      content_before |= i < v && (r == "ccomp" || r == "parataxis");
    }
    if (has_subject || !content_before) continue;
    // The words between the last punctuation mark before the verb and the verb.
    uint32_t k = v;
    while (k > s.token_begin && tags[k - 1].upos != Upos::kPUNCT) --k;
    if (k == v || k == s.token_begin) continue;
    int top = -1;
    bool nominal = true;
    for (uint32_t i = k; i < v && nominal; ++i) {
      const int32_t h = deps[i].head;
      if (h < static_cast<int32_t>(k) || h >= static_cast<int32_t>(v)) {
        nominal = top < 0;
        top = static_cast<int>(i);
      }
    }
    if (!nominal || top < 0) continue;
    const Upos u = tags[static_cast<size_t>(top)].upos;
    if (u != Upos::kNOUN && u != Upos::kPROPN && u != Upos::kPRON) continue;
    // The verb must not hang below the phrase (no cycle).
    bool below = false;
    for (int32_t a = static_cast<int32_t>(v), guard = 0; a >= 0 && guard < 1000; ++guard) {
      if (a == top) { below = true; break; }
      a = deps[static_cast<size_t>(a)].head;
    }
    if (below) continue;
    deps[static_cast<size_t>(top)].head = static_cast<int32_t>(v);
    deps[static_cast<size_t>(top)].deprel = nsubj;
  }
}

namespace {

// Verbs whose complement an "if" can introduce ("asked if", "wonder if").
bool TakesIfComplement(std::string_view lemma) {
  static constexpr std::string_view kLemmas[] = {
      "ask", "wonder", "know", "see", "check", "decide", "determine", "doubt", "question", "find",
      "learn", "tell", "say", "care", "mind", "remember", "forget", "understand", "show",
      "consider", "examine", "investigate", "judge", "verify", "test", "inquire", "enquire",
      "debate", "discuss", "predict", "guess", "clarify", "confirm", "sure", "unclear", "clear",
      "certain", "uncertain", "aware", "matter", "depend", "assess", "establish", "explore"};
  return std::find(std::begin(kLemmas), std::end(kLemmas), lemma) != std::end(kLemmas);
}

// Subordinators that introduce adverbial clauses only.
bool IsAdverbialMarker(std::string_view w) {
  static constexpr std::string_view kWords[] = {"because", "although", "though", "unless",
                                                "whereas", "while", "once", "until", "till"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

}  // namespace

void RepairClauseRelations(Document* doc, const Sentence& s) {
  auto& deps = doc->deps();
  const uint8_t ccomp = DeprelFromName("ccomp"), advcl = DeprelFromName("advcl"),
                mark = DeprelFromName("mark");
  for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
    if (deps[i].deprel != mark || deps[i].head < 0) continue;
    const size_t c = static_cast<size_t>(deps[i].head);
    if (deps[c].deprel != ccomp || deps[c].head < 0) continue;
    std::string w = NormalForm(doc->token_text(i));
    const bool conditional = w == "if" && !TakesIfComplement(doc->lemma(static_cast<size_t>(deps[c].head)));
    if (conditional || IsAdverbialMarker(w)) deps[c].deprel = advcl;
  }
}

void Parser::Parse(Document* doc, int beam) const {
  const Impl& m = *impl_;
  const size_t width = static_cast<size_t>(std::clamp(beam > 0 ? beam : m.beam, 1, kMaxBeam));
  doc->deps().assign(doc->tokens().size(), Dependency());
  thread_local ParseScratch scratch;
  thread_local Beam bs;
  thread_local Children children;
  for (const Sentence& s : doc->sentences()) {
    if (s.token_end <= s.token_begin) continue;
    FillWordInfo(*doc, s, &scratch.wi);
    State* result = &scratch.st;
    if (width == 1) {
      ParseSentence(m.moves, m.arcs, m.labels, &scratch);
    } else {
      bs.Start(static_cast<int>(scratch.wi.w.size()) - 1, static_cast<size_t>(m.labels.num_labels));
      while (!bs.cur[0].st.Terminal())
        AdvanceBeam(m.moves, m.arcs, m.labels, scratch.wi, width, -1, &bs);
      result = &bs.cur[0].st;
    }
    State& st = *result;
    Relabel(m.relabel, m.labels, scratch.wi, &st, &children, &scratch.label_scores);
    for (int k = 1; k <= st.n; ++k) {
      Dependency& d = doc->deps()[s.token_begin + k - 1];
      d.head = st.head[k] <= 0 ? -1 : static_cast<int32_t>(s.token_begin) + st.head[k] - 1;
      d.deprel = st.label[k] >= 0 ? m.deprel[st.label[k]] : 0;
    }
    RepairReportingSubjects(doc, s);
    RepairClauseRelations(doc, s);
  }
}

// ---------------------------------------------------------------------------
// Training.

std::vector<std::vector<TokenTag>> TagSentences(const std::vector<ConlluSentence>& sentences,
                                               const Tagger& tagger) {
  std::vector<std::vector<TokenTag>> out(sentences.size());
  for (size_t i = 0; i < sentences.size(); ++i) {
    if (sentences[i].words.empty()) continue;
    std::vector<std::string> words;
    for (const ConlluWord& w : sentences[i].words) words.push_back(w.form);
    Document doc = DocumentFromWords(words);
    tagger.Tag(&doc);
    out[i] = doc.tags();
  }
  return out;
}

Status TrainParser(const std::vector<ConlluSentence>& train,
                   const std::vector<std::vector<TokenTag>>& tags,
                   const ParserTrainOptions& options, const std::string& out_path,
                   const std::string& meta_json) {
  // Labels: every relation in the data, "root" included.
  std::map<std::string, int> label_count;
  for (const ConlluSentence& s : train)
    for (const ConlluWord& w : s.words) ++label_count[w.deprel];
  std::vector<std::string> labels;
  std::map<std::string, int> label_of;
  for (const auto& [name, c] : label_count) {
    if (name.empty() || name == "_" || DeprelFromName(name) == 0) continue;
    label_of[name] = static_cast<int>(labels.size());
    labels.push_back(name);
  }
  if (!label_of.count("root")) return Status::InvalidArgument("no root relation in training data");
  Labels cls;
  cls.num_labels = static_cast<int>(labels.size());
  cls.root_label = label_of["root"];
  const int dep_label = label_of.count("dep") ? label_of["dep"] : 0;

  // Training sentences: word info with tags from the tagger (or the
  // treebank), projectivized gold heads and gold labels.
  struct Example {
    WordInfo wi;
    std::vector<int> heads, labels;
  };
  std::vector<Example> data;
  if (!tags.empty() && tags.size() != train.size())
    return Status::InvalidArgument("tags do not match the training sentences");
  for (size_t si = 0; si < train.size(); ++si) {
    const ConlluSentence& s = train[si];
    if (s.words.empty()) continue;
    std::vector<std::string> words;
    for (const ConlluWord& w : s.words) words.push_back(w.form);
    Document doc = DocumentFromWords(words);
    if (!tags.empty()) {
      if (tags[si].size() != words.size())
        return Status::InvalidArgument("tags do not match the training sentences");
      doc.tags() = tags[si];
    } else {
      doc.tags().resize(words.size());
      for (size_t i = 0; i < words.size(); ++i) {
        doc.tags()[i].upos = UposFromName(s.words[i].upos);
        doc.tags()[i].xpos = XposFromName(s.words[i].xpos);
      }
    }
    Example ex;
    FillWordInfo(doc, doc.sentences()[0], &ex.wi);
    ex.heads.assign(words.size() + 1, 0);
    ex.labels.assign(words.size() + 1, dep_label);
    int roots = 0;
    bool ok = true;
    for (size_t i = 0; i < words.size(); ++i) {
      int h = s.words[i].head;
      if (h < 0 || h > static_cast<int>(words.size())) ok = false;
      ex.heads[i + 1] = h;
      roots += h == 0;
      auto it = label_of.find(s.words[i].deprel);
      if (it != label_of.end()) ex.labels[i + 1] = it->second;
      if (h == 0) ex.labels[i + 1] = cls.root_label;
      else if (ex.labels[i + 1] == cls.root_label) ex.labels[i + 1] = dep_label;
    }
    if (!ok || roots != 1) continue;
    if (!parse_internal::IsProjective(ex.heads)) {
      ex.heads = parse_internal::Projectivize(ex.heads);
    }
    data.push_back(std::move(ex));
  }
  if (data.empty()) return Status::InvalidArgument("no usable trees to train on");

  model::PerceptronTrainer move_trainer(3), arc_trainer(cls.num_labels);
  std::mt19937_64 rng(options.seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::vector<size_t> order(data.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<float> label_scores(cls.num_labels);
  uint64_t feats[kMaxFeatures], lfeats[kMaxLabelFeatures];
  int nf = 0, nl = 0;
  State st;
  if (options.beam < 1 || options.beam > kMaxBeam)
    return Status::InvalidArgument("beam width must be between 1 and " + std::to_string(kMaxBeam));
  Beam beam;
  std::vector<std::pair<int, int>> gold_path;
  // Global update: over the first `len` transitions, the gold sequence's
  // moves gain the weights of their features and those of the hypothesis
  // ending at history record `last` lose them.
  auto update = [&](const Example& ex, size_t len, int last) {
    const int n = static_cast<int>(ex.heads.size()) - 1;
    const std::vector<std::pair<int, int>> pred = PathOf(beam, last);
    for (int side = 0; side < 2; ++side) {
      const auto& path = side == 0 ? gold_path : pred;
      st.Init(n);
      for (size_t k = 0; k < len && k < path.size(); ++k) {
        Features(ex.wi, st, feats, &nf);
        move_trainer.Update(feats, static_cast<size_t>(nf), path[k].first, side == 0 ? 1.0f : -1.0f);
        st.Apply(path[k].first, path[k].second);
      }
    }
  };
  for (int epoch = 0; epoch < options.epochs && options.beam > 1; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t di : order) {
      const Example& ex = data[di];
      const int n = static_cast<int>(ex.heads.size()) - 1;
      // The gold transitions (static oracle: the first zero-cost move), and
      // the arc model trained on the gold arcs along them.
      gold_path.clear();
      st.Init(n);
      bool reachable = true;
      while (!st.Terminal()) {
        int cost[3];
        MoveCosts(st, ex.heads, cost);
        int m = 0;
        while (m < 3 && cost[m] != 0) ++m;
        if (m == 3) {
          reachable = false;
          break;
        }
        int label = -1;
        if (m == kRight && st.S(1) == 0) {
          label = cls.root_label;
        } else if (m != kShift) {
          label = ex.labels[st.S(0)];
          LabelFeatures(ex.wi, st, m, lfeats, &nl);
          std::fill(label_scores.begin(), label_scores.end(), 0.0f);
          arc_trainer.Score(lfeats, static_cast<size_t>(nl), label_scores.data());
          arc_trainer.Step(lfeats, static_cast<size_t>(nl), label,
                           BestLabel(cls, st, m, label_scores.data()));
        }
        gold_path.emplace_back(m, label);
        st.Apply(m, label);
      }
      if (!reachable) continue;
      // Early update (Collins & Roark 2004): when the gold sequence falls
      // out of the beam, the best hypothesis and the gold prefix of the same
      // length are updated and the sentence is left; a wrong winner at the
      // end is updated against the whole gold sequence.
      beam.Start(n, static_cast<size_t>(cls.num_labels));
      bool fell_out = false;
      for (size_t t = 0; !beam.cur[0].st.Terminal(); ++t) {
        if (!AdvanceBeam(move_trainer, arc_trainer, cls, ex.wi, static_cast<size_t>(options.beam),
                         gold_path[t].first, &beam)) {
          update(ex, t + 1, beam.cur[0].last);
          fell_out = true;
          break;
        }
      }
      if (!fell_out && !beam.cur[0].gold) update(ex, gold_path.size(), beam.cur[0].last);
      move_trainer.Tick();
    }
  }
  for (int epoch = 0; epoch < options.epochs && options.beam == 1; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t di : order) {
      const Example& ex = data[di];
      st.Init(static_cast<int>(ex.heads.size()) - 1);
      while (!st.Terminal()) {
        Features(ex.wi, st, feats, &nf);
        float scores[3] = {0, 0, 0};
        move_trainer.Score(feats, nf, scores);
        int cost[3];
        MoveCosts(st, ex.heads, cost);
        const int pred = BestMove(st, scores);
        // The best-scoring move of least cost is the one to learn.
        int gold = -1;
        for (int mv = 0; mv < 3; ++mv) {
          if (cost[mv] < 0) continue;
          if (gold < 0 || cost[mv] < cost[gold] || (cost[mv] == cost[gold] && scores[mv] > scores[gold]))
            gold = mv;
        }
        const bool wrong = cost[pred] > cost[gold];
        move_trainer.Step(feats, nf, gold, wrong ? pred : gold);
        const bool explore =
            wrong && epoch >= options.explore_from_epoch && coin(rng) < options.explore;
        const int next = explore ? pred : gold;
        int label = -1;
        if (next != kShift) {
          const int s0 = st.S(0), head = next == kLeft ? st.b : st.S(1);
          const bool gold_arc = ex.heads[s0] == head;
          if (next == kRight && head == 0) {
            label = cls.root_label;
          } else {
            LabelFeatures(ex.wi, st, next, lfeats, &nl);
            std::fill(label_scores.begin(), label_scores.end(), 0.0f);
            arc_trainer.Score(lfeats, nl, label_scores.data());
            const int guess = BestLabel(cls, st, next, label_scores.data());
            if (gold_arc) arc_trainer.Step(lfeats, nl, ex.labels[s0], guess);
            label = gold_arc ? ex.labels[s0] : guess;
          }
        }
        st.Apply(next, label);
      }
    }
  }

  // The relabeler, on the gold (projectivized) trees.
  model::PerceptronTrainer relabel_trainer(cls.num_labels);
  {
    Children ch;
    uint64_t rf[kMaxRelabelFeatures];
    std::vector<float> rs(static_cast<size_t>(cls.num_labels));
    for (int epoch = 0; epoch < options.relabel_epochs; ++epoch) {
      std::shuffle(order.begin(), order.end(), rng);
      for (size_t di : order) {
        const Example& ex = data[di];
        const int n = static_cast<int>(ex.heads.size()) - 1;
        ch.Build(ex.heads, n);
        for (int d = 1; d <= n; ++d) {
          if (ex.heads[d] == 0) continue;
          int nr = 0;
          RelabelFeatures(ex.wi, ex.heads, ex.labels, ch, n, d, rf, &nr);
          std::fill(rs.begin(), rs.end(), 0.0f);
          relabel_trainer.Score(rf, static_cast<size_t>(nr), rs.data());
          int best = -1;
          for (int l = 0; l < cls.num_labels; ++l)
            if (l != cls.root_label && (best < 0 || rs[l] > rs[best])) best = l;
          relabel_trainer.Step(rf, static_cast<size_t>(nr), ex.labels[d], best);
        }
      }
    }
  }

  auto move_weights = move_trainer.Serialize(options.min_weight);
  if (!move_weights.ok()) return move_weights.status();
  auto arc_weights = arc_trainer.Serialize(options.min_weight);
  if (!arc_weights.ok()) return arc_weights.status();
  std::string names;
  for (const std::string& l : labels) names += l + "\n";
  if (!names.empty()) names.pop_back();
  std::string payload;
  model::AppendPayloadBlock(&payload, names);
  model::AppendPayloadBlock(&payload, *move_weights);
  model::AppendPayloadBlock(&payload, *arc_weights);
  model::AppendPayloadBlock(&payload, "beam=" + std::to_string(options.beam));
  auto relabel_weights = relabel_trainer.Serialize(options.min_weight);
  if (!relabel_weights.ok()) return relabel_weights.status();
  model::AppendPayloadBlock(&payload, *relabel_weights);
  return model::WriteModelFile(out_path, kParserKind, kParserVersion, meta_json, payload);
}

// ---------------------------------------------------------------------------
// Evaluation.

namespace {

std::string_view Universal(std::string_view rel) { return rel.substr(0, rel.find(':')); }

}  // namespace

ParserScores EvaluateParserGoldTokens(const std::vector<ConlluSentence>& gold,
                                      const Tagger& tagger, const Parser& parser, int beam) {
  ParserScores s;
  for (const ConlluSentence& sent : gold) {
    std::vector<std::string> words;
    for (const ConlluWord& w : sent.words) words.push_back(w.form);
    if (words.empty()) continue;
    Document doc = DocumentFromWords(words);
    tagger.Tag(&doc);
    parser.Parse(&doc, beam);
    for (size_t i = 0; i < words.size(); ++i) {
      const ConlluWord& g = sent.words[i];
      const Dependency& d = doc.deps()[i];
      int head = d.head < 0 ? 0 : d.head + 1;
      s.upos.matched += UposName(doc.tags()[i].upos) == g.upos;
      if (head == g.head) {
        ++s.uas.matched;
        s.las.matched += Universal(DeprelNames()[d.deprel]) == Universal(g.deprel);
      }
    }
    for (SpanCounts* c : {&s.upos, &s.uas, &s.las}) {
      c->gold += words.size();
      c->system += words.size();
    }
  }
  return s;
}

ParserScores EvaluateParserRaw(const std::vector<ConlluSentence>& gold, const Tokenizer& tokenizer,
                               const SentenceSplitter& splitter, const Tagger& tagger,
                               const Parser& parser, int beam) {
  ParserScores s;
  // Sentence and word index of every gold word.
  std::unordered_map<const ConlluWord*, std::pair<size_t, size_t>> position;
  for (size_t si = 0; si < gold.size(); ++si)
    for (size_t wi = 0; wi < gold[si].words.size(); ++wi) position[&gold[si].words[wi]] = {si, wi};
  for (const TreebankDocument& td : RebuildTreebankText(gold)) {
    Document doc(td.text, Metadata());
    tokenizer.Tokenize(&doc);
    splitter.Split(&doc);
    tagger.Tag(&doc);
    parser.Parse(&doc, beam);
    // Gold word by span, and each gold word's head word span (root: none).
    std::map<std::pair<uint32_t, uint32_t>, size_t> by_span;
    for (size_t w = 0; w < td.words.size(); ++w)
      if (td.words[w].first != td.words[w].second) by_span[td.words[w]] = w;
    // Index in td.words of each word's gold head, -1 for the root.
    std::unordered_map<const ConlluWord*, long> index_of;
    for (size_t w = 0; w < td.words.size(); ++w) index_of[td.word_refs[w]] = static_cast<long>(w);
    std::vector<long> gold_head(td.words.size(), -1);
    for (size_t w = 0; w < td.words.size(); ++w) {
      auto [si, wi] = position.at(td.word_refs[w]);
      int h = gold[si].words[wi].head;
      if (h > 0) {
        auto it = index_of.find(&gold[si].words[h - 1]);
        gold_head[w] = it == index_of.end() ? -2 : it->second;
      }
    }
    for (size_t i = 0; i < doc.tokens().size(); ++i) {
      auto it = by_span.find({doc.tokens()[i].begin, doc.tokens()[i].end});
      if (it == by_span.end()) continue;
      const size_t gw = it->second;
      const ConlluWord& g = *td.word_refs[gw];
      s.upos.matched += UposName(doc.tags()[i].upos) == g.upos;
      const Dependency& d = doc.deps()[i];
      bool head_ok;
      if (gold_head[gw] == -2) {
        head_ok = false;
      } else if (d.head < 0 || gold_head[gw] < 0) {
        head_ok = d.head < 0 && gold_head[gw] < 0;
      } else {
        const Token& ht = doc.tokens()[d.head];
        const auto& gs = td.words[gold_head[gw]];
        head_ok = ht.begin == gs.first && ht.end == gs.second && gs.first != gs.second;
      }
      if (head_ok) {
        ++s.uas.matched;
        s.las.matched += Universal(DeprelNames()[d.deprel]) == Universal(g.deprel);
      }
    }
    for (SpanCounts* c : {&s.upos, &s.uas, &s.las}) {
      c->gold += td.words.size();
      c->system += doc.tokens().size();
    }
  }
  return s;
}

}  // namespace sitrep
