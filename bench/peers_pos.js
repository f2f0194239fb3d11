// POS tagging throughput and accuracy of wink-nlp, the npm peer that tags
// with Universal POS tags, for comparison with bench_analyze and
// `bench_analyze --conllu` (single thread).
//
//   node bench/peers_pos.js --corpus FILE.jsonl [--repeat N] [--limit N] [--lemma]
//   node bench/peers_pos.js --conllu FILE.conllu
//
// --corpus: reads every article's text into memory first (not timed), then
// times nlp.readDoc + reading every token's POS over all articles, N times,
// and prints the best run as JSON (articles, tokens, seconds, tokens/s, peak
// RSS). wink-nlp runs with only the pipes POS tagging needs (sbd, pos).
// --lemma also reads every token's lemma inside the timed loop (sitrep's
// tagger lemmatizes every token).
//
// --conllu: UPOS F1 from raw text, CoNLL 2018 style. Each sentence's
// "# text =" line is tagged on its own; gold words get character spans in
// that text (a multi-word token's words only when their forms spell the
// token, as sitrep's evaluation does); a system token matches a gold word
// when the spans are equal and so are the tags. F1 = 2 * matched / (gold +
// system). `bench_analyze --conllu` scores sitrep the same way.
'use strict';
const fs = require('fs');
const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');
const { readTexts, timeBest } = require('./peers_common');

async function throughput(file, repeat, limit, lemma) {
  const texts = await readTexts([file], limit);
  const nlp = winkNLP(model, ['sbd', 'pos']);
  const its = nlp.its;
  const [seconds, tokens] = timeBest(repeat, () => {
    let n = 0;
    for (const t of texts) {
      const toks = nlp.readDoc(t).tokens();
      n += toks.out(its.pos).length;
      if (lemma) toks.out(its.lemma);
    }
    return n;
  });
  console.log(JSON.stringify({
    peer: 'wink-nlp', stage: lemma ? 'pos+lemma' : 'pos', articles: texts.length, tokens,
    seconds: +seconds.toFixed(4), tokens_per_s: Math.round(tokens / seconds),
    max_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
  }));
}

// Sentences of a CoNLL-U file: the "# text" line and the surface tokens, each
// with its words' forms and UPOS tags.
function readConllu(file) {
  const sentences = [];
  let cur = null, mwtEnd = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('# text = ')) {
      cur = { text: line.slice(9), tokens: [] };
    } else if (line === '' || line === '\r') {
      if (cur && cur.tokens.length) sentences.push(cur);
      cur = null;
      mwtEnd = 0;
    } else if (!line.startsWith('#') && cur) {
      const c = line.split('\t');
      if (c[0].includes('.')) continue;  // empty node
      if (c[0].includes('-')) {
        const [a, b] = c[0].split('-').map(Number);
        cur.tokens.push({ form: c[1], words: [] });
        mwtEnd = b;
        for (let i = a; i <= b; i++) cur.tokens[cur.tokens.length - 1].words.push(null);
      } else if (Number(c[0]) <= mwtEnd) {
        const t = cur.tokens[cur.tokens.length - 1];
        t.words[t.words.indexOf(null)] = { form: c[1], upos: c[3] };
      } else {
        cur.tokens.push({ form: c[1], words: [{ form: c[1], upos: c[3] }] });
      }
    }
  }
  return sentences;
}

// Gold words of a sentence with their spans in its text ([b, e) in UTF-16
// units; null when the word cannot be placed).
function goldSpans(sentence) {
  const words = [];
  let pos = 0;
  for (const t of sentence.tokens) {
    const at = sentence.text.indexOf(t.form, pos);
    const joined = t.words.map((w) => w.form).join('');
    let p = at;
    for (const w of t.words) {
      if (at < 0 || joined !== t.form) {
        words.push({ upos: w.upos, span: null });
      } else {
        words.push({ upos: w.upos, span: `${p}:${p + w.form.length}` });
        p += w.form.length;
      }
    }
    if (at >= 0) pos = at + t.form.length;
  }
  return words;
}

function accuracy(file) {
  const nlp = winkNLP(model, ['sbd', 'pos']);
  const its = nlp.its;
  let gold = 0, system = 0, matched = 0;
  for (const s of readConllu(file)) {
    const byspan = new Map();
    const words = goldSpans(s);
    gold += words.length;
    for (const w of words) if (w.span) byspan.set(w.span, w.upos);
    const toks = nlp.readDoc(s.text).tokens();
    const values = toks.out(its.value), spaces = toks.out(its.precedingSpaces);
    const tags = toks.out(its.pos);
    system += values.length;
    // Token offsets: wink keeps each token's text and the whitespace before it.
    let pos = 0;
    for (let i = 0; i < values.length; i++) {
      pos += spaces[i].length;
      let at = pos;
      if (s.text.substr(pos, values[i].length) !== values[i]) at = s.text.indexOf(values[i], pos);
      if (at < 0) continue;  // not found: counts as a system token that matches nothing
      pos = at + values[i].length;
      if (byspan.get(`${at}:${pos}`) === tags[i]) ++matched;
    }
  }
  const f1 = 100 * 2 * matched / (gold + system);
  console.log(JSON.stringify({
    peer: 'wink-nlp', conllu: file, gold_words: gold, system_tokens: system, matched,
    upos_f1: +f1.toFixed(2),
  }));
}

async function main() {
  const args = process.argv.slice(2);
  let repeat = 3, limit = -1, corpus = null, conllu = null, lemma = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--repeat') repeat = parseInt(args[++i], 10);
    else if (args[i] === '--limit') limit = parseInt(args[++i], 10);
    else if (args[i] === '--corpus') corpus = args[++i];
    else if (args[i] === '--conllu') conllu = args[++i];
    else if (args[i] === '--lemma') lemma = true;
    else throw new Error(`unknown argument ${args[i]}`);
  }
  if (!corpus && !conllu) {
    console.error('usage: peers_pos.js --corpus FILE.jsonl [--repeat N] [--limit N] [--lemma] | --conllu FILE');
    process.exit(2);
  }
  if (corpus) await throughput(corpus, repeat, limit, lemma);
  if (conllu) accuracy(conllu);
}

main().catch((e) => { console.error(e); process.exit(1); });
