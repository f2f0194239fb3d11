#!/usr/bin/env python3
"""Score sitrep's entity linking, coreference and geocoding on the linking fixtures.

Each fixture tests/fixtures/linking/NNN_slug.txt (one dated article) has a gold
file NNN_slug.gold.tsv: one line per mention, `mention<TAB>occurrence<TAB>
category<TAB>target` (see tests/fixtures/linking/README.md). The script runs
`sitrep extract --no-tokens` on the fixtures (or reads a saved output with
--json), turns each gold mention into a byte span of the article's "text",
picks the actor with a mention overlapping that span the most (an exact span
first) and checks the actor against the target:

  person:Full Name       actor kind "person", name equal (case and accents folded)
  country:ISO3           actor kind "country", id == ISO3
  place:Name|ISO2|Admin1 actor kind "place", geo.country == ISO2 (when given),
                         geo.name or name equal to Name (or one contained in the
                         other word by word, when both name the same level: a
                         region word such as "Oblast" in one only counts when the
                         actor's geo.precision says admin1/admin2), and geo.admin1
                         matching Admin1 when given
  org:NAME               actor id or name equal to NAME (case, accents and dots folded)
  A;B                    either target (alternatives, e.g. a city-state)

Prints a markdown table per category and summary lines; --errors lists every
wrong line. Exit status 0 (it is a report) unless a gold file is malformed (2,
with file:line) or sitrep cannot be run (1).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

CATEGORIES = ['PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC', 'PRON', 'NOMINAL']
NAMED = ['PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC']
TARGET_RE = {
    'person': re.compile(r'^person:[^|]+$'),
    'country': re.compile(r'^country:[A-Z]{3}$'),
    'place': re.compile(r'^place:[^|]+(\|([A-Z]{2})?(\|[^|]+)?)?$'),
    'org': re.compile(r'^org:[^|]+$'),
}
REGION_WORDS = {'oblast', 'region', 'province', 'governorate', 'krai', 'kray',
                'county', 'prefecture', 'district', 'state', 'territory', 'canton',
                'voivodeship', 'department', 'republic'}
# First-level divisions with two names in use (folded): GeoNames' name first.
ADMIN1_ALIASES = {'district of columbia': 'washington dc'}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class GoldError(Exception):
    pass


# Letters NFKD does not decompose.
_LETTERS = str.maketrans({'ø': 'o', 'Ø': 'O', 'æ': 'ae', 'Æ': 'AE', 'ß': 'ss', 'đ': 'd',
                          'Đ': 'D', 'ł': 'l', 'Ł': 'L', 'ı': 'i'})


def same_person(actor_name, gold_name):
    """Equal after folding, or equal but for spacing ("Amir-Abdollahian" /
    "Amirabdollahian"), or the gold name is the actor's full name shortened
    ("Edmundo Gonzalez" / "Edmundo González Urrutia": same first word, every
    gold word in the actor's name)."""
    a, g = fold(actor_name), fold(gold_name)
    if a == g or a.replace(' ', '') == g.replace(' ', ''):
        return True
    aw, gw = a.split(), g.split()
    return len(gw) >= 2 and aw[:1] == gw[:1] and all(w in aw for w in gw)


def fold(s):
    """Case- and accent-folded, dots and apostrophes dropped, dashes as spaces."""
    s = (s or '').translate(_LETTERS)
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    s = s.casefold()
    s = re.sub(r"[.'’ʼ`]", '', s)
    s = re.sub(r'[\-‐‑‒–—_/,]', ' ', s)
    return ' '.join(s.split())


def whole_word_offsets(text, s):
    """Character offsets of occurrences of s not preceded/followed by a letter or digit."""
    out = []
    i = text.find(s)
    while i >= 0:
        before = text[i - 1] if i > 0 else ' '
        j = i + len(s)
        after = text[j] if j < len(text) else ' '
        if not before.isalnum() and not after.isalnum():
            out.append(i)
        i = text.find(s, i + 1)
    return out


def byte_span(text, char_start, length):
    start = len(text[:char_start].encode('utf-8'))
    return start, start + len(text[char_start:char_start + length].encode('utf-8'))


def article_body(path):
    """The article text of a fixture: the file without ' date YYYY-MM-DD ' and the final '--'."""
    with open(path, encoding='utf-8') as f:
        raw = f.read()
    m = re.match(r' date \d{4}-\d{2}-\d{2} ', raw)
    if m:
        raw = raw[m.end():]
    raw = raw.rstrip('\n')
    if raw.endswith('\n--'):
        raw = raw[:-3]
    return raw.rstrip('\n')


def read_gold(path):
    """[(lineno, mention, occurrence, category, target)]; raises GoldError('file:line: why')."""
    rows = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n').rstrip('\r')
            if not line.strip() or line.startswith('#'):
                continue
            parts = line.split('\t')
            where = f'{path}:{n}'
            if len(parts) != 4:
                raise GoldError(f'{where}: expected 4 tab-separated fields, got {len(parts)}')
            mention, occ, cat, target = parts
            if not mention or mention != mention.strip():
                raise GoldError(f'{where}: empty mention or surrounding spaces')
            if not occ.isdigit() or int(occ) < 1:
                raise GoldError(f'{where}: occurrence must be a positive integer: {occ!r}')
            if cat not in CATEGORIES:
                raise GoldError(f'{where}: unknown category {cat!r}')
            for alt in target.split(';'):
                kind = alt.split(':', 1)[0]
                if kind not in TARGET_RE or not TARGET_RE[kind].match(alt):
                    raise GoldError(f'{where}: malformed target {alt!r}')
            rows.append((n, mention, int(occ), cat, target))
    return rows


def locate(rows, text, path):
    """Byte spans of the gold mentions in text; GoldError when an occurrence is missing."""
    spans = []
    for n, mention, occ, cat, target in rows:
        offs = whole_word_offsets(text, mention)
        if occ > len(offs):
            raise GoldError(f'{path}:{n}: {mention!r} occurs {len(offs)} time(s) as a whole word, '
                            f'not {occ}')
        spans.append(byte_span(text, offs[occ - 1], len(mention)))
    return spans


def best_actor(actors, span):
    """The actor with a mention overlapping span the most (an exact match first), or None."""
    gs, ge = span
    best, best_key = None, None
    for a in actors:
        for m in a.get('mentions') or []:
            try:
                ms, me = int(m['start']), int(m['end'])
            except (KeyError, TypeError, ValueError):
                continue
            overlap = min(ge, me) - max(gs, ms)
            if overlap <= 0:
                continue
            key = (ms == gs and me == ge, overlap, -abs((me - ms) - (ge - gs)))
            if best_key is None or key > best_key:
                best, best_key = a, key
    return best


def words_contained(a, b):
    """True when the words of a are a contiguous run in b (or the other way round)."""
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return False
    if len(wa) > len(wb):
        wa, wb = wb, wa
    return any(wb[i:i + len(wa)] == wa for i in range(len(wb) - len(wa) + 1))


def is_region_name(name):
    return any(w in REGION_WORDS for w in fold(name).split())


def place_correct(actor, name, iso2, admin1):
    if actor.get('kind') != 'place':
        return False
    geo = actor.get('geo') or {}
    if iso2 and (geo.get('country') or '').upper() != iso2:
        return False
    gold = fold(name)
    cands = [fold(x) for x in (geo.get('name'), actor.get('name')) if x]
    ok = any(c == gold for c in cands)
    if not ok:
        precision = (geo.get('precision') or '').lower()
        for c, raw in zip(cands, [x for x in (geo.get('name'), actor.get('name')) if x]):
            if not words_contained(gold, c):
                continue
            actor_region = is_region_name(raw) or precision in ('admin1', 'admin2')
            if actor_region == is_region_name(name):
                ok = True
                break
    if not ok:
        return False
    if admin1:
        g = ADMIN1_ALIASES.get(fold(admin1), fold(admin1))
        a = ADMIN1_ALIASES.get(fold(geo.get('admin1')), fold(geo.get('admin1')))
        precision = (geo.get('precision') or '').lower()
        if precision in ('admin1', 'admin2') and not is_region_name(name) and gold != g:
            return False   # the gold is a city in that division, not the division
        if not (a and (a == g or words_contained(g, a))):
            return False
    return True


def correct(actor, target):
    """Whether actor is the target; a target may list alternatives separated by ';'."""
    if actor is None:
        return False
    if ';' in target:
        return any(correct(actor, t) for t in target.split(';'))
    kind, value = target.split(':', 1)
    if kind == 'person':
        return actor.get('kind') == 'person' and same_person(actor.get('name'), value)
    if kind == 'country':
        return actor.get('kind') == 'country' and (actor.get('id') or '').upper() == value
    if kind == 'place':
        parts = value.split('|')
        return place_correct(actor, parts[0], parts[1] if len(parts) > 1 else '',
                             parts[2] if len(parts) > 2 else '')
    if kind == 'org':
        v = fold(value).replace(' ', '')
        return any(fold(x).replace(' ', '') == v for x in (actor.get('id'), actor.get('name')) if x)
    return False


def describe(actor):
    if actor is None:
        return 'not found'
    s = f"{actor.get('kind')}:{actor.get('id')} {actor.get('name')!r}"
    geo = actor.get('geo')
    if geo:
        s += f" geo={geo.get('name')}|{geo.get('country')}|{geo.get('admin1')}|{geo.get('precision')}"
    return s


def run_sitrep(sitrep, files):
    cmd = [sitrep, 'extract', '--no-tokens'] + files
    try:
        p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    except OSError as e:
        sys.exit(f'linking_eval: cannot run {sitrep}: {e}')
    if p.returncode != 0:
        sys.exit(f'linking_eval: {" ".join(cmd[:3])} ... failed ({p.returncode}):\n{p.stderr[-2000:]}')
    return p.stdout


def parse_jsonl(s):
    out = {}
    for line in s.splitlines():
        if line.strip():
            d = json.loads(line)
            out[d.get('id')] = d
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('fixtures', nargs='*', help='fixture .txt files (default: all in --dir)')
    ap.add_argument('--dir', default=os.path.join(REPO, 'tests', 'fixtures', 'linking'))
    ap.add_argument('--sitrep', default=os.environ.get('SITREP', 'build/sitrep'),
                    help='sitrep binary, relative to the repo root (default $SITREP or build/sitrep)')
    ap.add_argument('--json', help='read this saved `sitrep extract` JSONL instead of running sitrep')
    ap.add_argument('--errors', action='store_true', help='list every wrong gold line')
    ap.add_argument('--check', action='store_true',
                    help='only validate the gold files against the texts and print counts')
    args = ap.parse_args()

    files = args.fixtures or sorted(
        os.path.join(args.dir, f) for f in os.listdir(args.dir) if f.endswith('.txt'))
    files = [os.path.abspath(f) for f in files]
    try:
        golds = {f: read_gold(f[:-4] + '.gold.tsv') for f in files}
        for f in files:   # validate occurrences on the file's own text first
            locate(golds[f], article_body(f), f[:-4] + '.gold.tsv')
    except (GoldError, OSError) as e:
        print(f'linking_eval: {e}', file=sys.stderr)
        return 2

    if args.check:
        counts = {c: 0 for c in CATEGORIES}
        for rows in golds.values():
            for r in rows:
                counts[r[3]] += 1
        print(f'{len(files)} articles, {sum(counts.values())} gold mentions: ' +
              ', '.join(f'{c} {counts[c]}' for c in CATEGORIES))
        return 0

    if args.json:
        with open(args.json, encoding='utf-8') as f:
            docs = parse_jsonl(f.read())
    else:
        sitrep = args.sitrep if os.path.isabs(args.sitrep) else os.path.join(REPO, args.sitrep)
        docs = parse_jsonl(run_sitrep(sitrep, files))

    stats = {c: [0, 0, 0] for c in CATEGORIES}   # gold, found, correct
    errors = []
    for f in files:
        doc_id = os.path.splitext(os.path.basename(f))[0]
        doc = docs.get(doc_id)
        gold_path = f[:-4] + '.gold.tsv'
        if doc is None:
            print(f'linking_eval: no output for {doc_id}', file=sys.stderr)
            doc = {}
        text = doc.get('text') if doc.get('text') is not None else article_body(f)
        try:
            spans = locate(golds[f], text, gold_path)
        except GoldError as e:
            print(f'linking_eval: {e} (in the JSON text)', file=sys.stderr)
            return 2
        actors = doc.get('actors') or []
        for (n, mention, occ, cat, target), span in zip(golds[f], spans):
            actor = best_actor(actors, span)
            ok = correct(actor, target)
            st = stats[cat]
            st[0] += 1
            st[1] += actor is not None
            st[2] += ok
            if not ok:
                errors.append((os.path.basename(gold_path), n, mention, occ, cat, target, describe(actor)))

    print('| category | gold | found | correct | accuracy |')
    print('|---|---:|---:|---:|---:|')
    for c in CATEGORIES:
        g, fo, co = stats[c]
        print(f'| {c} | {g} | {fo} | {co} | {pct(co, g)} |')
    print()
    for label, cats in (('named mentions (PERSON, ORG, GPE, LOC, NORP, FAC)', NAMED),
                        ('pronouns (PRON)', ['PRON']), ('role descriptions (NOMINAL)', ['NOMINAL'])):
        g = sum(stats[c][0] for c in cats)
        co = sum(stats[c][2] for c in cats)
        print(f'{label}: accuracy {pct(co, g)} ({co}/{g})')
    if args.errors and errors:
        print('\n| file:line | mention | category | gold | got |')
        print('|---|---|---|---|---|')
        for fn, n, mention, occ, cat, target, got in errors:
            cells = [f'{fn}:{n}', f'{mention} #{occ}', cat, target, got]
            print('| ' + ' | '.join(c.replace('|', '\\|') for c in cells) + ' |')
    return 0


def pct(a, b):
    return f'{100.0 * a / b:.1f}%' if b else 'n/a'


if __name__ == '__main__':
    sys.exit(main())
