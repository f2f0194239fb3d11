// Tokenization + sentence splitting throughput of the npm peers on the same
// article texts as bench_segment (single thread, texts read before timing).
//
//   node bench/peers_segment.js FILE.jsonl... [--repeat N]
//
// Prints one JSON line per peer: articles, bytes, tokens, sentences, seconds,
// MB/s, tokens/s. wink-nlp runs with only its sentence-boundary pipe
// (tokenization + sbd); compromise runs its tokenizer (nlp.tokenize).
'use strict';
const { readTexts, timeBest } = require('./peers_common');

async function main() {
  const args = process.argv.slice(2);
  let repeat = 3;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--repeat') repeat = parseInt(args[++i], 10);
    else files.push(args[i]);
  }
  const texts = await readTexts(files);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);
  const report = (name, seconds, counts) => console.log(JSON.stringify({
    peer: name, articles: texts.length, bytes, tokens: counts[0], sentences: counts[1],
    seconds: +seconds.toFixed(4), mb_per_s: +(bytes / seconds / 1e6).toFixed(1),
    tokens_per_s: Math.round(counts[0] / seconds),
    max_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
  }));

  const winkNLP = require('wink-nlp');
  const model = require('wink-eng-lite-web-model');
  const nlp = winkNLP(model, ['sbd']);
  const [ws, wc] = timeBest(repeat, () => {
    let tok = 0, sen = 0;
    for (const t of texts) {
      const d = nlp.readDoc(t);
      tok += d.tokens().length();
      sen += d.sentences().length();
    }
    return [tok, sen];
  });
  report('wink-nlp', ws, wc);

  const compromise = require('compromise');
  const [cs, cc] = timeBest(repeat, () => {
    let tok = 0, sen = 0;
    for (const t of texts) {
      const d = compromise.tokenize(t);
      tok += d.terms().length;
      sen += d.length;
    }
    return [tok, sen];
  });
  report('compromise', cs, cc);
}

main().catch((e) => { console.error(e); process.exit(1); });
