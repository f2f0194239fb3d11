// Shared by the peer benchmarks: article texts read into memory before any
// timing, and best-of-N timing.
'use strict';
const fs = require('fs');
const readline = require('readline');

// The non-empty `text` fields of JSONL files, at most `limit` (-1: all).
async function readTexts(files, limit = -1) {
  const texts = [];
  for (const f of files) {
    const rl = readline.createInterface({ input: fs.createReadStream(f), crlfDelay: Infinity });
    for await (const line of rl) {
      if (texts.length === limit) return texts;
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line);
        if (typeof r.text === 'string' && r.text.trim()) texts.push(r.text);
      } catch (e) { /* bad records are skipped, as sitrep reports them */ }
    }
  }
  return texts;
}

// Runs fn `repeat` times; returns [best seconds, fn's last result].
function timeBest(repeat, fn) {
  let best = Infinity, out;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    out = fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (s < best) best = s;
  }
  return [best, out];
}

module.exports = { readTexts, timeBest };
