// Named-entity throughput and accuracy of compromise, the npm peer that finds
// people, places and organizations, for comparison with
// `bench_analyze --ner` and `sitrep evaluate ner` (single thread).
//
//   node bench/peers_ner.js --corpus FILE.jsonl [--repeat N] [--limit N]
//   node bench/peers_ner.js --iob2 FILE.iob2
//
// --corpus: reads every article's text into memory first (not timed), then
// times nlp(text) and reading its people, places and organizations with
// their offsets, N times; prints the best run as JSON (tokens counted by
// compromise's terms).
//
// --iob2: entity F1 on a UNER file (tab-separated ID, word, tag), exact span
// and type as conlleval: each sentence's words are joined by single spaces,
// compromise runs on that text, and a mention matches a gold one when their
// character spans (surrounding punctuation and a possessive 's trimmed from
// compromise's) and types (people = PER, places = LOC, organizations = ORG)
// are equal.
'use strict';
const fs = require('fs');
const nlp = require('compromise');
const { readTexts, timeBest } = require('./peers_common');

function mentions(doc) {
  const out = [];
  for (const [type, view] of [['PER', doc.people()], ['LOC', doc.places()], ['ORG', doc.organizations()]]) {
    for (const m of view.json({ offset: true, text: true })) {
      out.push({ type, text: m.text, start: m.offset.start, length: m.offset.length });
    }
  }
  return out;
}

async function throughput(file, repeat, limit) {
  const texts = await readTexts([file], limit);
  const [seconds, counts] = timeBest(repeat, () => {
    let tokens = 0, found = 0;
    for (const t of texts) {
      const doc = nlp(t);
      tokens += doc.terms().length;
      found += mentions(doc).length;
    }
    return [tokens, found];
  });
  console.log(JSON.stringify({
    peer: 'compromise', stage: 'ner', articles: texts.length, tokens: counts[0], mentions: counts[1],
    seconds: +seconds.toFixed(4), tokens_per_s: Math.round(counts[0] / seconds),
    max_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
  }));
}

function readIob2(file) {
  const sentences = [];
  let words = [], tags = [];
  const flush = () => {
    if (words.length) sentences.push({ words, tags });
    words = []; tags = [];
  };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#')) continue;
    if (!line.trim()) { flush(); continue; }
    const c = line.split('\t');
    words.push(c[1]);
    tags.push(c[2] || 'O');
  }
  flush();
  return sentences;
}

function score(file) {
  let gold = 0, system = 0, matched = 0;
  const byType = {};
  const bump = (t, k) => { (byType[t] = byType[t] || { gold: 0, system: 0, matched: 0 })[k]++; };
  for (const s of readIob2(file)) {
    const starts = [];
    let text = '';
    s.words.forEach((w, i) => { if (i) text += ' '; starts.push(text.length); text += w; });
    const ends = s.words.map((w, i) => starts[i] + w.length);
    const ref = new Set();
    for (let i = 0; i < s.tags.length; i++) {
      const t = s.tags[i];
      if (!t.startsWith('B-')) continue;
      const type = t.slice(2);
      if (!['PER', 'LOC', 'ORG'].includes(type)) continue;
      let j = i + 1;
      while (j < s.tags.length && s.tags[j] === 'I-' + type) j++;
      ref.add(`${starts[i]}:${ends[j - 1]}:${type}`);
      gold++; bump(type, 'gold');
    }
    const sys = new Set();
    for (const m of mentions(nlp(text))) {
      let b = m.start, e = m.start + m.length;
      while (b < e && /[\s"'(\[,.;:!?]/.test(text[b])) b++;
      while (e > b && /[\s"')\],.;:!?]/.test(text[e - 1])) e--;
      if (text.slice(e - 3, e) === " 's") e -= 3;
      if (e > b) sys.add(`${b}:${e}:${m.type}`);
    }
    for (const k of sys) {
      const type = k.split(':')[2];
      system++; bump(type, 'system');
      if (ref.has(k)) { matched++; bump(type, 'matched'); }
    }
  }
  const f1 = (c) => (c.gold + c.system ? (200 * c.matched) / (c.gold + c.system) : 0);
  const out = { peer: 'compromise', file, gold, system, matched, f1: +f1({ gold, system, matched }).toFixed(2) };
  for (const [t, c] of Object.entries(byType)) out[t] = +f1(c).toFixed(2);
  console.log(JSON.stringify(out));
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
  if (opt('--iob2')) return score(opt('--iob2'));
  const corpus = opt('--corpus');
  if (!corpus) {
    console.error('usage: peers_ner.js --corpus FILE.jsonl [--repeat N] [--limit N] | --iob2 FILE');
    process.exit(2);
  }
  await throughput(corpus, Number(opt('--repeat', 1)), Number(opt('--limit', -1)));
}
main();
