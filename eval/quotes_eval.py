#!/usr/bin/env python3
"""Scores sitrep's quotations against PolNeAR attributions (issue 6).

Usage: python3 eval/quotes_eval.py [--split dev|train] [--sitrep build/sitrep]
                                   [--polnear ../shared/eval/quotes/polnear] [--errors]

Rebuilds each article's text from PolNeAR, runs `sitrep extract` on them as
JSONL (id, date from the file name, text), and aligns gold attributions
(content, cue and source spans, code-point offsets) with sitrep's quotes
(byte offsets, converted) by character offsets.

Scored gold attributions are those whose cue is a reporting expression or
whose content is in quotation marks. A reporting expression is "according
to" or a cue span with a word (or its -s/-ed/-ing stem) in the cue lists
collected in ../shared/data/reference/quote_cues/cue_union_en.tsv from a
source other than the PolNeAR-mined one; our own lexicon is not used to
decide what is scored. Other gold attributions ("in", "show", "poll found")
are ignored: a prediction that matches one counts neither way.

PolNeAR is univocal (a token belongs to one attribution), so a quotation
nested inside another (parent >= 0, or content within another quotation's
content) is not scored.

Content: words are compared as sets of letter and digit positions (spaces,
punctuation, quotation marks and a leading "that" do not count). A pair
matches at overlap >= 0.5 when |intersection| / |union| >= 0.5, exactly when
the sets are equal; pairs are matched one to one, best overlap first.
Cue F1: a predicted cue matches a gold cue it overlaps (one to one).
Speaker accuracy: of the content matches at 0.5 whose gold has a source,
the share whose predicted speaker span overlaps the gold source span.
Python 3 standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, '..', 'shared')


def load_cue_words(path):
    words = set()
    with open(path, encoding='utf-8') as f:
        header = None
        for line in f:
            if line.startswith('#'):
                continue
            cols = line.rstrip('\n').split('\t')
            if header is None:
                header = cols
                continue
            row = dict(zip(header, cols))
            others = [k for k in header[1:] if k not in ('spangher_polnear', 'n_sources',
                                                         'polnear_train_count')]
            if any(row.get(k) == '1' for k in others):
                words.add(row['word'].lower())
    return words


def stems(w):
    out = {w}
    for suf in ('s', 'es', 'ed', 'd', 'ing'):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            out.add(w[:-len(suf)])
            out.add(w[:-len(suf)] + 'e')
    if w.endswith('ied'):
        out.add(w[:-3] + 'y')
    if w.endswith('ies'):
        out.add(w[:-3] + 'y')
    irregular = {'said': 'say', 'says': 'say', 'told': 'tell', 'wrote': 'write',
                 'written': 'write', 'thought': 'think', 'felt': 'feel', 'spoke': 'speak',
                 'spoken': 'speak', 'knew': 'know', 'known': 'know', 'argued': 'argue',
                 'made': 'make', 'found': 'find', 'gave': 'give'}
    if w in irregular:
        out.add(irregular[w])
    return out


def is_reporting(cue_text, cue_words):
    t = ' '.join(cue_text.lower().split())
    if 'according to' in t or t in cue_words:
        return True
    for w in re.findall(r"[a-z]+(?:-[a-z]+)*", t):
        if stems(w) & cue_words:
            return True
    return False


def char_set(text, spans):
    """Positions of letters and digits in spans, without a leading 'that'."""
    out = set()
    for b, e in spans:
        seg = text[b:e]
        m = re.match(r'\W*that\b', seg, re.I)
        start = b + (m.end() if m else 0)
        for i in range(start, e):
            if text[i].isalnum():
                out.add(i)
    return out


def overlap(a, b):
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def spans_touch(a, b):
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--split', default='dev', choices=['dev', 'train'])
    ap.add_argument('--sitrep', default=os.path.join(ROOT, 'build', 'sitrep'))
    ap.add_argument('--polnear', default=os.path.join(SHARED, 'eval', 'quotes', 'polnear'))
    ap.add_argument('--cues', default=os.path.join(SHARED, 'data', 'reference', 'quote_cues',
                                                   'cue_union_en.tsv'))
    ap.add_argument('--errors', action='store_true', help='list misses and false alarms')
    ap.add_argument('--limit', type=int, default=0, help='score only the first N articles')
    args = ap.parse_args()

    cue_words = load_cue_words(args.cues)
    gold_path = os.path.join(args.polnear, 'derived', 'polnear_%s.jsonl' % args.split)
    articles = [json.loads(l) for l in open(gold_path, encoding='utf-8')]
    if args.limit:
        articles = articles[:args.limit]
    texts = {}
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, 'in.jsonl')
        out = os.path.join(tmp, 'out.jsonl')
        with open(inp, 'w', encoding='utf-8') as f:
            for a in articles:
                text = open(os.path.join(args.polnear, a['text_file']), encoding='utf-8').read()
                texts[a['article']] = text
                m = re.search(r'_(\d{4}-\d\d-\d\d)_', a['article'])
                rec = {'id': a['article'], 'text': text}
                if m:
                    rec['date'] = m.group(1)
                f.write(json.dumps(rec, ensure_ascii=False) + '\n')
        r = subprocess.run([args.sitrep, 'extract', inp, '--no-tokens', '-o', out],
                           stderr=subprocess.PIPE, text=True)
        if r.returncode not in (0, 1):
            sys.exit('sitrep failed: ' + r.stderr)
        preds = {}
        for line in open(out, encoding='utf-8'):
            d = json.loads(line)
            preds[d['id']] = d

    c_tp5 = c_tpx = n_pred = n_gold = 0
    cue_tp = cue_pred = cue_gold = 0
    spk_ok = spk_n = 0
    errors = []
    skipped_text = 0
    for a in articles:
        text = texts[a['article']]
        d = preds.get(a['article'])
        if d is None or d.get('text', text) != text:
            skipped_text += 1
            continue
        # byte offset -> code-point offset
        b2c = {}
        pos = 0
        for i, ch in enumerate(text):
            b2c[pos] = i
            pos += len(ch.encode('utf-8'))
        b2c[pos] = len(text)

        def cp(s):
            return (b2c[s['start']], b2c[s['end']])

        gold = []
        for g in a['attributions']:
            scored = g.get('content_has_quote_marks') or is_reporting(g.get('cue_text', ''),
                                                                      cue_words)
            gold.append({'content': [tuple(x) for x in g['content']],
                         'cue': [tuple(x) for x in g.get('cue', [])],
                         'source': [tuple(x) for x in g.get('source', [])],
                         'scored': scored, 'g': g})
            gold[-1]['chars'] = char_set(text, gold[-1]['content'])
        pred = []
        quotes = d.get('quotes', [])
        spans = [(b2c[q['content'][0]['start']], b2c[q['content'][-1]['end']]) for q in quotes]
        for k, q in enumerate(quotes):
            if q.get('parent', -1) >= 0:
                continue
            b, e = spans[k]
            if any(j != k and spans[j][0] <= b and e <= spans[j][1] and spans[j] != (b, e)
                   for j in range(len(quotes))):
                continue  # nested in another quotation
            content = [cp(c) for c in q['content']]
            p = {'content': content, 'chars': char_set(text, content),
                 'cue': [cp(q['cue'])] if 'cue' in q else [],
                 'speaker': [cp(q['speaker'])] if 'speaker' in q else [], 'q': q}
            pred.append(p)
        # One-to-one content matching, best overlap first.
        pairs = []
        for i, p in enumerate(pred):
            for j, g in enumerate(gold):
                o = overlap(p['chars'], g['chars'])
                if o > 0:
                    pairs.append((o, i, j))
        pairs.sort(reverse=True)
        p_match, g_match = {}, {}
        for o, i, j in pairs:
            if i in p_match or j in g_match or o < 0.5:
                continue
            p_match[i] = (j, o)
            g_match[j] = (i, o)
        for i, p in enumerate(pred):
            if i in p_match and not gold[p_match[i][0]]['scored']:
                continue  # matches an attribution outside the scored set
            n_pred += 1
            if i not in p_match and args.errors:
                errors.append(('FALSE', a['article'], text[p['content'][0][0]:p['content'][0][1]],
                               p['q'].get('cue', {}).get('text', ''),
                               p['q'].get('speaker', {}).get('text', '')))
        for j, g in enumerate(gold):
            if not g['scored']:
                continue
            n_gold += 1
            if j in g_match:
                i, o = g_match[j]
                c_tp5 += 1
                if pred[i]['chars'] == g['chars']:
                    c_tpx += 1
                if g['source']:
                    spk_n += 1
                    if spans_touch(pred[i]['speaker'], g['source']):
                        spk_ok += 1
                    elif args.errors:
                        errors.append(('SPEAKER', a['article'], g['g']['content_text'][:100],
                                       g['g'].get('source_text', ''),
                                       pred[i]['q'].get('speaker', {}).get('text', '(none)'),
                                       pred[i]['q'].get('cue', {}).get('text', '(no cue)'), pred[i]['q']['kind']))
            elif args.errors:
                best = max(((overlap(p['chars'], g['chars']), p) for p in pred),
                           key=lambda x: x[0], default=(0.0, None))
                near = ''
                if best[1] is not None and best[0] > 0:
                    c0 = best[1]['content'][0]
                    near = '%.2f %s' % (best[0], text[c0[0]:c0[1]][:100])
                errors.append(('MISS', a['article'], g['g']['content_text'][:100],
                               g['g'].get('cue_text', ''), g['g'].get('source_text', ''), near))
        # Cues, one to one by overlap; cues of ignored attributions do not count.
        used = set()
        for i, p in enumerate(pred):
            if not p['cue']:
                continue
            hit = None
            for j, g in enumerate(gold):
                if j not in used and spans_touch(p['cue'], g['cue']):
                    hit = j
                    break
            if hit is not None and not gold[hit]['scored']:
                used.add(hit)
                continue
            cue_pred += 1
            if hit is not None:
                used.add(hit)
                cue_tp += 1
        cue_gold += sum(1 for g in gold if g['scored'] and g['cue'])

    def f1(tp, p, g):
        pr = tp / p if p else 0.0
        rc = tp / g if g else 0.0
        return pr * 100, rc * 100, (2 * pr * rc / (pr + rc) * 100 if pr + rc else 0.0)

    print('PolNeAR %s: %d articles, %d scored gold attributions, %d predicted quotations'
          % (args.split, len(articles) - skipped_text, n_gold, n_pred))
    if skipped_text:
        print('  (%d articles skipped: text changed by the reader)' % skipped_text)
    print('%-28s %7s %7s %7s' % ('', 'P', 'R', 'F1'))
    for name, (p, r, f) in (('content, overlap >= 0.5', f1(c_tp5, n_pred, n_gold)),
                            ('content, exact', f1(c_tpx, n_pred, n_gold)),
                            ('cue', f1(cue_tp, cue_pred, cue_gold))):
        print('%-28s %7.1f %7.1f %7.1f' % (name, p, r, f))
    print('speaker accuracy             %7.1f%%  (%d of %d content matches with a gold source)'
          % (100.0 * spk_ok / spk_n if spk_n else 0.0, spk_ok, spk_n))
    if args.errors:
        for e in errors:
            print('\t'.join(e).replace('\n', ' '))


if __name__ == '__main__':
    main()
