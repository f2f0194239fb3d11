#!/usr/bin/env python3
"""Scores sitrep's event coding against the PLOVER gold-standard records.

Usage: python3 eval/events_eval.py [--gold ../shared/eval/events/plover_gsr_dev.json]
                                   [--sitrep build/sitrep | --predictions out.jsonl]
                                   [--errors] [--limit N]

Gold: a JSON list of PLOVER records, one sentence each. Records whose "event"
is DOCUMENT or that have no "text" are skipped. The text is cleaned before
use: surrounding whitespace and one pair of enclosing braces ("{...}") are
removed. Each sentence is written as JSONL ({"id": <gold id>, "date":
"2000-01-01", "text": <clean text>}) and run through `sitrep extract
--no-tokens` (from the repository root, so it finds models/), or
`--predictions FILE` reads an existing extract JSONL. Output records are
matched to gold by "id"; a gold sentence without an output record, or whose
output has no "events", has no predicted event. Output offsets are UTF-8 byte
offsets into the output's "text" (the sentence sent when it has none) and are
converted to code-point offsets.

Categories. Older PLOVER names in the gold are mapped: DEMAND -> REQUEST,
DISAPPROVE -> ACCUSE, FIGHT -> ASSAULT, INVESTIGATE -> ACCUSE (the same map is
applied to predicted types). Gold "mode", "context" and "date" are not scored.

Primary event of a sentence: among the predicted events without "parent"
(missing, null or negative; all events if every one has a parent) the one with
the highest "confidence" (missing = 0); ties go to the earliest trigger start,
then to output order. Negation and modality do not change its type; they are
only counted (the modality line; a missing "modality" counts as asserted).

  category accuracy = gold records whose primary event type equals the mapped
      gold category / all scored gold records (no predicted event = wrong).
  category + source + target accuracy = records whose category is right AND
      whose source matches AND whose target matches / all scored records.

Source (target) match: some predicted source (target) argument of the primary
event matches some gold source (target) actor:
  - by span: the argument's code-point span overlaps the gold actor's span in
    the text (see below), or
  - by code: the gold code's first 3 letters are a country code (not IGO, NGO,
    IMG, ISM, MNC, ... ; the non-ISO gold codes JAP, ITL, VTN read as JPN, ITA,
    VNM) equal to the first 3 letters of the argument's "code" (or, without a
    code, of the "country" of the actor its "actor" index names). An IGO/NGO/...
    gold code matches nothing by code.
A gold record without a source (without a target) — key absent, null, "" or
an empty list — satisfies the source (target) condition whatever is predicted;
how many records lack each is printed. A gold actor may be a dict
({"actorText", "code", ...}) or a plain string (its actorText, no code); a bare
string instead of a list is read as a one-item list.

Locating a gold actorText (stripped) in the clean text, first that succeeds:
exact substring; case-insensitive with any run of whitespace matching any run;
each part around "..." / ".." (or "…") located separately the same two ways,
left to right (span = first part's start .. last part's end); the longest word
(>= 4 letters) of actorText found as a whole word, case-insensitive. If nothing
is found the actor can only match by code; an actor neither found nor coded
is ignored (counted; if it was the only one, the record counts as having no
actor on that side).

Secondary ("any event") lines, clearly labelled: the same two measures when
any predicted event (with or without parent) of the gold category may stand
for the primary one.

Also printed: per-category gold n / category-correct / full-correct, the most
common (gold -> predicted) category errors, and how many primary events are
asserted / planned / hypothetical / negated. Goals: category >= 75%,
category + source + target >= 55%; TABARI measured 37% / 25% on this gold.
`--errors` lists every record that misses category + source + target.
Exit 0 whatever the scores; 1 when sitrep cannot be run.
Python 3 standard library only.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, '..', 'shared')

OLD_NAMES = {'DEMAND': 'REQUEST', 'DISAPPROVE': 'ACCUSE', 'FIGHT': 'ASSAULT',
             'INVESTIGATE': 'ACCUSE'}
# First three letters of CAMEO actor codes that are no country.
NON_STATE = {'IGO', 'NGO', 'IMG', 'ISM', 'MNC', 'NGM', 'UIS', 'INT', 'UNO', 'REB', 'OPP',
             'GOV', 'MIL', 'COP', 'SPY', 'CVL', 'BUS', 'MED', 'EDU', 'REL', 'CRM', 'LAB',
             'JUD', 'LEG', 'ELI', 'HLH', 'REF', 'AGR', 'ENV', 'MOS', 'CHR', 'JEW', 'BUD',
             'HIN', 'SIK', 'ETH', 'UAF', 'SEP', 'INS', 'ACT', 'AMN', 'IRC', 'XXX', 'UNK',
             'EUR', 'AFR', 'ASA', 'MEA', 'WST', 'CAU', 'SAM', 'NAM', 'SAS', 'SEA', 'CAS'}
CODE_ALIASES = {'JAP': 'JPN', 'ITL': 'ITA', 'VTN': 'VNM'}
GOAL_CAT, GOAL_FULL = 75.0, 55.0
TABARI_CAT, TABARI_FULL = 37.0, 25.0


def map_category(c):
    c = (c or '').strip().upper()
    return OLD_NAMES.get(c, c)


def clean_text(text):
    t = text.strip()
    if t.startswith('{') and t.endswith('}'):
        t = t[1:-1].strip()
    return t


def _find_ci(text, part, start=0):
    """Case-insensitive search of part, any whitespace run matching any run."""
    words = part.split()
    if not words:
        return None
    pat = r'\s+'.join(re.escape(w) for w in words)
    m = re.compile(pat, re.I).search(text, start)
    return (m.start(), m.end()) if m else None


def _find(text, part, start=0):
    i = text.find(part, start)
    if i >= 0:
        return (i, i + len(part))
    return _find_ci(text, part, start)


ELLIPSIS = re.compile(r'\s*(?:\.{2,}|…)\s*')


def locate(text, actor_text):
    """Code-point span (start, end) of actor_text in text, or None."""
    a = (actor_text or '').strip()
    if not a:
        return None
    span = _find(text, a)
    if span:
        return span
    parts = [p for p in ELLIPSIS.split(a) if p.strip()]
    if len(parts) > 1:
        spans, pos = [], 0
        for p in parts:
            s = _find(text, p.strip(), pos)
            if s is None:
                break
            spans.append(s)
            pos = s[1]
        if len(spans) == len(parts):
            return (spans[0][0], spans[-1][1])
    words = [w for w in re.findall(r'[^\W\d_]+', a) if len(w) >= 4]
    words.sort(key=len, reverse=True)    # stable: ties keep actorText order
    for w in words:
        m = re.search(r'(?<!\w)' + re.escape(w) + r'(?!\w)', text, re.I)
        if m:
            return (m.start(), m.end())
    return None


def byte_to_char(text):
    """A function mapping a UTF-8 byte offset of text to a code-point offset.

    An offset inside a character maps to that character; offsets past the end
    map to len(text)."""
    starts = []
    pos = 0
    for ch in text:
        starts.append(pos)
        pos += len(ch.encode('utf-8'))
    total = pos

    def conv(b):
        if b >= total:
            return len(text)
        if b <= 0:
            return 0
        lo, hi = 0, len(starts) - 1
        while lo < hi:       # last start <= b
            mid = (lo + hi + 1) // 2
            if starts[mid] <= b:
                lo = mid
            else:
                hi = mid - 1
        return lo
    return conv


def country_code(code):
    """First three letters of a gold code when they name a country, else None."""
    c = (code or '').strip().upper()[:3]
    if len(c) != 3 or not c.isalpha() or c in NON_STATE:
        return None
    return CODE_ALIASES.get(c, c)


def gold_actors(value, text):
    """[{'text', 'code', 'span'}] of a gold source/target value, and how many
    actors were dropped (neither located nor coded)."""
    if value is None or value == '' or value == []:
        return [], 0
    if isinstance(value, (str, dict)):
        value = [value]
    out, dropped = [], 0
    for it in value:
        if isinstance(it, str):
            at, code = it, None
        elif isinstance(it, dict):
            at, code = it.get('actorText') or '', it.get('code')
        else:
            continue
        span = locate(text, at)
        if span is None and not country_code(code):
            dropped += 1
            continue
        out.append({'text': at, 'code': code, 'span': span})
    return out, dropped


def pred_args(event, key, conv, actors):
    """[{'span', 'code', 'text'}] of a predicted event's source/target."""
    v = event.get(key) or []
    if isinstance(v, dict):
        v = [v]
    out = []
    for a in v:
        if not isinstance(a, dict):
            continue
        span = None
        if isinstance(a.get('start'), int) and isinstance(a.get('end'), int):
            span = (conv(a['start']), conv(a['end']))
        code = a.get('code')
        if not code and isinstance(a.get('actor'), int) and 0 <= a['actor'] < len(actors):
            act = actors[a['actor']] or {}
            code = act.get('country') or (act.get('id') if act.get('kind') == 'country' else None)
        out.append({'span': span, 'code': code, 'text': a.get('text', '')})
    return out


def actor_match(gold, preds):
    """True when some predicted argument matches some gold actor (span or code)."""
    for g in gold:
        gc = country_code(g['code'])
        for p in preds:
            gs, ps = g['span'], p['span']
            if gs and ps and ps[0] < gs[1] and gs[0] < ps[1]:
                return True
            if gc and p['code'] and str(p['code']).strip().upper()[:3] == gc:
                return True
    return False


def side_ok(gold, preds):
    return True if not gold else actor_match(gold, preds)


def has_parent(e):
    p = e.get('parent')
    return isinstance(p, int) and not isinstance(p, bool) and p >= 0


def primary_event(events):
    """The primary event of a sentence's events, or None."""
    if not events:
        return None
    cands = [e for e in events if not has_parent(e)] or list(events)

    def key(ie):
        i, e = ie
        conf = e.get('confidence')
        conf = conf if isinstance(conf, (int, float)) else 0.0
        trig = e.get('trigger') or {}
        start = trig.get('start') if isinstance(trig.get('start'), int) else float('inf')
        return (-conf, start, i)
    return min(enumerate(cands), key=key)[1]


def load_gold(path):
    recs = json.load(open(path, encoding='utf-8'))
    gold, skipped = [], collections.Counter()
    for r in recs:
        if not isinstance(r, dict):
            skipped['not a record'] += 1
        elif str(r.get('event', '')).upper() == 'DOCUMENT':
            skipped['DOCUMENT'] += 1
        elif not r.get('text'):
            skipped['no text'] += 1
        else:
            gold.append(r)
    return gold, skipped


def run_sitrep(sitrep, gold):
    preds = {}
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, 'in.jsonl')
        with open(inp, 'w', encoding='utf-8') as f:
            for r in gold:
                f.write(json.dumps({'id': r['id'], 'date': '2000-01-01',
                                    'text': clean_text(r['text'])}, ensure_ascii=False) + '\n')
        try:
            p = subprocess.run([sitrep, 'extract', '--no-tokens', inp], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            print('cannot run %s: %s' % (sitrep, e), file=sys.stderr)
            sys.exit(1)
        if p.returncode not in (0, 1):
            print('sitrep failed (%d): %s' % (p.returncode, p.stderr.decode('utf-8', 'replace')),
                  file=sys.stderr)
            sys.exit(1)
        for line in p.stdout.decode('utf-8').splitlines():
            if line.strip():
                d = json.loads(line)
                preds[d.get('id')] = d
    return preds


def load_predictions(path):
    preds = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                preds[d.get('id')] = d
    return preds


def describe_gold(actors):
    return '; '.join('%s/%s%s' % (g['text'] or '?', g['code'] or '-', '' if g['span'] else ' (not in text)')
                     for g in actors) or '-'


def describe_pred(args):
    return '; '.join('%s/%s' % (a['text'] or '?', a['code'] or '-') for a in args) or '-'


def pct(n, d):
    return 100.0 * n / d if d else 0.0


def score(gold, preds):
    """Counts and per-record results of the scoring described in the docstring."""
    s = {'n': 0, 'cat': 0, 'full': 0, 'any_cat': 0, 'any_full': 0, 'no_output': 0,
         'no_event': 0, 'text_changed': 0, 'no_source': 0, 'no_target': 0,
         'not_located': 0, 'dropped': 0, 'per_cat': collections.defaultdict(lambda: [0, 0, 0]),
         'confusion': collections.Counter(), 'modality': collections.Counter(), 'misses': []}
    for r in gold:
        s['n'] += 1
        sent = clean_text(r['text'])
        gcat = map_category(r.get('event'))
        d = preds.get(r['id'])
        if d is None:
            s['no_output'] += 1
            d = {}
        text = d.get('text') if isinstance(d.get('text'), str) else sent
        if text != sent:
            s['text_changed'] += 1
        conv = byte_to_char(text)
        actors = d.get('actors') or []
        gsrc, drop_s = gold_actors(r.get('source'), text)
        gtgt, drop_t = gold_actors(r.get('target'), text)
        s['dropped'] += drop_s + drop_t
        s['not_located'] += sum(1 for g in gsrc + gtgt if g['span'] is None)
        s['no_source'] += not gsrc
        s['no_target'] += not gtgt
        events = [e for e in (d.get('events') or []) if isinstance(e, dict)]
        if not events:
            s['no_event'] += 1
        prim = primary_event(events)
        ptype = map_category(prim.get('type')) if prim else None
        cat_ok = ptype == gcat
        psrc = pred_args(prim, 'source', conv, actors) if prim else []
        ptgt = pred_args(prim, 'target', conv, actors) if prim else []
        src_ok, tgt_ok = side_ok(gsrc, psrc), side_ok(gtgt, ptgt)
        full_ok = cat_ok and src_ok and tgt_ok
        pc = s['per_cat'][gcat]
        pc[0] += 1
        pc[1] += cat_ok
        pc[2] += full_ok
        s['cat'] += cat_ok
        s['full'] += full_ok
        same = [e for e in events if map_category(e.get('type')) == gcat]
        s['any_cat'] += bool(same)
        s['any_full'] += any(side_ok(gsrc, pred_args(e, 'source', conv, actors)) and
                             side_ok(gtgt, pred_args(e, 'target', conv, actors)) for e in same)
        if prim:
            s['modality'][str(prim.get('modality') or 'asserted')] += 1
            if prim.get('negated'):
                s['modality']['negated'] += 1
        if not cat_ok:
            s['confusion'][(gcat, ptype or '(none)')] += 1
        if not full_ok:
            why = [w for w, ok in (('category', cat_ok), ('source', src_ok), ('target', tgt_ok))
                   if not ok]
            trig = (prim.get('trigger') or {}).get('text', '') if prim else ''
            s['misses'].append({'id': r['id'], 'why': why, 'gold': gcat, 'gsrc': describe_gold(gsrc),
                                'gtgt': describe_gold(gtgt), 'pred': ptype or '(none)',
                                'psrc': describe_pred(psrc), 'ptgt': describe_pred(ptgt),
                                'trigger': trig, 'text': sent})
    return s


def report(s, skipped, label, errors=False, out=sys.stdout):
    n = s['n']
    w = out.write
    w('PLOVER gold %s: %d scored records (skipped: %s)\n'
      % (label, n, ', '.join('%d %s' % (v, k) for k, v in sorted(skipped.items())) or 'none'))
    w('  no gold source: %d, no gold target: %d (the condition holds); gold actors not found in '
      'the text (match by code only): %d; ignored (not found, no country code): %d\n'
      % (s['no_source'], s['no_target'], s['not_located'], s['dropped']))
    w('  sentences without a predicted event: %d (no output record: %d)\n'
      % (s['no_event'], s['no_output']))
    if s['text_changed']:
        w('  (%d output texts differ from the sentence sent; gold actors located in the output text)\n'
          % s['text_changed'])
    w('\n| measure | correct | of | accuracy | goal | TABARI |\n|---|---|---|---|---|---|\n')
    w('| category (primary event) | %d | %d | %.1f%% | >= %.0f%% | %.0f%% |\n'
      % (s['cat'], n, pct(s['cat'], n), GOAL_CAT, TABARI_CAT))
    w('| category + source + target (primary event) | %d | %d | %.1f%% | >= %.0f%% | %.0f%% |\n'
      % (s['full'], n, pct(s['full'], n), GOAL_FULL, TABARI_FULL))
    w('| secondary: category, any event | %d | %d | %.1f%% | | |\n'
      % (s['any_cat'], n, pct(s['any_cat'], n)))
    w('| secondary: category + source + target, any event | %d | %d | %.1f%% | | |\n'
      % (s['any_full'], n, pct(s['any_full'], n)))
    w('\n| gold category | gold | category correct | accuracy | + source + target |\n'
      '|---|---|---|---|---|\n')
    for c in sorted(s['per_cat'], key=lambda c: (-s['per_cat'][c][0], c)):
        g, ok, full = s['per_cat'][c]
        w('| %s | %d | %d | %.1f%% | %d |\n' % (c, g, ok, pct(ok, g), full))
    if s['confusion']:
        w('\nmost common category errors (gold -> predicted primary):\n')
        for (g, p), k in sorted(s['confusion'].items(), key=lambda x: (-x[1], x[0]))[:15]:
            w('  %s -> %s: %d\n' % (g, p, k))
    m = s['modality']
    others = sorted(k for k in m if k not in ('asserted', 'planned', 'hypothetical', 'negated'))
    w('\nprimary events: %d asserted, %d planned, %d hypothetical%s; %d negated\n'
      % (m['asserted'], m['planned'], m['hypothetical'],
         ''.join(', %d %s' % (m[k], k) for k in others), m['negated']))
    if errors:
        w('\nmisses (category + source + target):\n')
        for e in s['misses']:
            w('%s\t[%s]\n' % (e['id'], ', '.join(e['why'])))
            w('  gold: %s\tsource: %s\ttarget: %s\n' % (e['gold'], e['gsrc'], e['gtgt']))
            w('  pred: %s\tsource: %s\ttarget: %s\ttrigger: %r\n'
              % (e['pred'], e['psrc'], e['ptgt'], e['trigger']))
            w('  text: %s\n' % e['text'].replace('\n', ' '))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--gold', default=os.path.join(SHARED, 'eval', 'events', 'plover_gsr_dev.json'))
    ap.add_argument('--sitrep', default=os.environ.get('SITREP') or os.path.join(ROOT, 'build', 'sitrep'))
    ap.add_argument('--predictions', metavar='FILE',
                    help='score this sitrep extract JSONL instead of running sitrep')
    ap.add_argument('--errors', action='store_true', help='list every miss')
    ap.add_argument('--limit', type=int, default=0, help='score only the first N gold records')
    args = ap.parse_args(argv)

    gold, skipped = load_gold(args.gold)
    if args.limit:
        gold = gold[:args.limit]
    preds = load_predictions(args.predictions) if args.predictions else run_sitrep(args.sitrep, gold)
    s = score(gold, preds)
    report(s, skipped, os.path.basename(args.gold), args.errors)
    return 0


if __name__ == '__main__':
    sys.exit(main())
