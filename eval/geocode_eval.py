#!/usr/bin/env python3
"""Score sitrep's geocoding on GUM place mentions that carry a Wikipedia link.

GUM (UD English-GUM, dev and test by default) marks entities in the MISC
column, e.g. `Entity=(25-place-new-nnnnn-cf17-1,2-sgl-Ziguinchor_Region`; the
fields are named by the document's `# global.Entity` line and the last one,
`identity`, is the Wikipedia title when present. Each document is rebuilt as
one article (`# text` lines of a paragraph joined by a space, paragraphs —
`# newpar` — by a blank line), all documents are run through
`sitrep extract --no-tokens` at once (a temporary JSONL with id, text and the
document's `meta::dateCreated` as date when it is a full date), and every
gold place mention with a title is mapped to the actor with a mention
overlapping its byte span the most.

A mention is *named* when the head of its span (the word whose syntactic head
lies outside the span) is PROPN. It is *correct* when the actor is a place or
a country and its name matches the title: underscores become spaces, a
parenthesized disambiguator is dropped, and a ", Qualifier" suffix
("Paris,_Texas") must match the actor's geo.admin1 (or another geo field)
or its country when the qualifier is a country or a first-level division; the names
compared are geo.name, the actor's name and, for countries, the country's
names (GeoNames countryInfo plus a small alias table: "United States" = "US" =
"America" ...), case- and accent-folded; a place name may also contain the
title word by word or the other way round ("Ziguinchor" / "Ziguinchor Region").
Titles are classed as country (a country name or alias), city (a GeoNames
cities15000 name), admin1 (a GeoNames first-level division: a US state, an
oblast; a name that is both is a city only when a namesake city has 500,000
people or more) or other (regions, continents, neighbourhoods, facilities);
the city and admin1 classes need ../shared/data/reference/geonames (without
it everything but countries is "other", and every qualifier is checked).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(os.path.dirname(REPO), 'shared', 'data')
DEFAULT_FILES = [os.path.join(DATA, 'ud_english_gum', f'en_gum-ud-{s}.conllu') for s in ('test', 'dev')]
GEONAMES = os.path.join(DATA, 'reference', 'geonames')

# Names that refer to the same country; ISO codes included so actor ids match.
COUNTRY_ALIASES = [
    ['United States', 'United States of America', 'US', 'USA', 'U.S.', 'U.S.A.', 'America', 'the United States'],
    ['United Kingdom', 'UK', 'GB', 'GBR', 'U.K.', 'Britain', 'Great Britain',
     'United Kingdom of Great Britain and Northern Ireland'],
    ['Russia', 'Russian Federation', 'RU', 'RUS'],
    ['China', "People's Republic of China", 'PRC', 'CN', 'CHN'],
    ['Taiwan', 'Republic of China', 'TW', 'TWN'],
    ['South Korea', 'Republic of Korea', 'Korea', 'KR', 'KOR'],
    ['North Korea', "Democratic People's Republic of Korea", 'DPRK', 'KP', 'PRK'],
    ['Iran', 'Islamic Republic of Iran', 'IR', 'IRN'],
    ['Syria', 'Syrian Arab Republic', 'SY', 'SYR'],
    ['Vietnam', 'Viet Nam', 'VN', 'VNM'],
    ['Laos', "Lao People's Democratic Republic", 'LA', 'LAO'],
    ['Czech Republic', 'Czechia', 'CZ', 'CZE'],
    ['The Gambia', 'Gambia', 'GM', 'GMB'],
    ['The Bahamas', 'Bahamas', 'BS', 'BHS'],
    ['The Netherlands', 'Netherlands', 'Holland', 'NL', 'NLD'],
    ['Democratic Republic of the Congo', 'DR Congo', 'DRC', 'Congo-Kinshasa', 'CD', 'COD'],
    ['Republic of the Congo', 'Congo-Brazzaville', 'Congo', 'CG', 'COG'],
    ['Ivory Coast', "Cote d'Ivoire", 'CI', 'CIV'],
    ['Myanmar', 'Burma', 'MM', 'MMR'],
    ['Turkey', 'Turkiye', 'Türkiye', 'TR', 'TUR'],
    ['Eswatini', 'Swaziland', 'SZ', 'SWZ'],
    ['North Macedonia', 'Macedonia', 'MK', 'MKD'],
    ['Bolivia', 'Plurinational State of Bolivia', 'BO', 'BOL'],
    ['Venezuela', 'Bolivarian Republic of Venezuela', 'VE', 'VEN'],
    ['Tanzania', 'United Republic of Tanzania', 'TZ', 'TZA'],
    ['Moldova', 'Republic of Moldova', 'MD', 'MDA'],
    ['Palestine', 'State of Palestine', 'Palestinian Territories', 'PS', 'PSE'],
    ['Vatican City', 'Holy See', 'Vatican', 'VA', 'VAT'],
    ['East Timor', 'Timor-Leste', 'TL', 'TLS'],
    ['Cape Verde', 'Cabo Verde', 'CV', 'CPV'],
]


def fold(s):
    s = unicodedata.normalize('NFKD', s or '')
    s = ''.join(c for c in s if not unicodedata.combining(c))
    s = s.casefold()
    s = re.sub(r"[.'’ʼ`]", '', s)
    s = re.sub(r'[\-‐‑‒–—_/,]', ' ', s)
    s = ' '.join(s.split())
    return s[4:] if s.startswith('the ') else s


def words_contained(a, b):
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return False
    if len(wa) > len(wb):
        wa, wb = wb, wa
    return any(wb[i:i + len(wa)] == wa for i in range(len(wb) - len(wa) + 1))


class Countries:
    """Folded country names -> a set of equivalent folded names (codes included)."""

    def __init__(self, geonames_dir=GEONAMES):
        groups = [set(fold(x) for x in g) for g in COUNTRY_ALIASES]
        path = os.path.join(geonames_dir, 'countryInfo.tsv')
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                for line in f:
                    if line.startswith('#'):
                        continue
                    p = line.rstrip('\n').split('\t')
                    if len(p) > 4:
                        groups.append({fold(p[0]), fold(p[1]), fold(p[4])})
        self.by_name = {}
        for g in groups:
            merged = set(g)
            for n in g:
                merged |= self.by_name.get(n, set())
            for n in merged:
                self.by_name[n] = merged

    def is_country(self, name):
        n = fold(name)
        return n in self.by_name and len(n) > 3   # a code alone is not a title

    def same(self, a, b):
        a, b = fold(a), fold(b)
        return a == b or b in self.by_name.get(a, ())


def load_names(filename, geonames_dir=GEONAMES):
    """Folded names (columns 2 and 3) of a GeoNames table -> largest population
    (column 15, 0 when absent); empty when the table is missing."""
    path = os.path.join(geonames_dir, filename)
    names = {}
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for line in f:
                p = line.rstrip('\n').split('\t')
                if len(p) > 2:
                    pop = int(p[14]) if len(p) > 14 and p[14].isdigit() else 0
                    for n in (fold(p[1]), fold(p[2])):
                        names[n] = max(pop, names.get(n, 0))
    return names


def parse_title(title):
    """Wikipedia title -> (name, qualifier): 'Paris,_Texas' -> ('Paris', 'Texas').

    A parenthesized disambiguator is dropped, except that one naming the
    United States ("Georgia_(U.S._state)") becomes the qualifier."""
    t = urllib.parse.unquote(title).replace('_', ' ').strip()
    qual = ''
    m = re.search(r'\s*\(([^()]*)\)\s*$', t)
    if m:
        t = t[:m.start()]
        if re.search(r'\bU\.?S\.?\b', m.group(1)):
            qual = 'United States'
    if ', ' in t:
        t, qual = t.split(', ', 1)
    return t.strip(), qual.strip()


# ---------------------------------------------------------------- GUM reading

def parse_entity_field(value):
    """'(4-place-...-X)1)' -> [('open', '4-place-...-X', closes_here), ('close', '1')]."""
    out, i = [], 0
    while i < len(value):
        if value[i] == '(':
            m = re.compile(r'\(([^()]*)(\))?').match(value, i)
            out.append(('open', m.group(1), bool(m.group(2))))
            i = m.end()
        else:
            m = re.compile(r'(\d+)\)').match(value, i)
            if not m:
                break   # malformed: stop reading this field
            out.append(('close', m.group(1)))
            i = m.end()
    return out


def read_gum(paths):
    """Documents: {'id', 'date', 'text', 'mentions': [{'start', 'end', 'title', 'named', 'text'}]}."""
    docs = []
    for path in paths:
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        doc = None
        fields = ['GRP', 'etype', 'infstat', 'salience', 'centering', 'minspan', 'link', 'identity']
        paras = []          # list of paragraphs; each a list of sentence texts
        sent = None

        def finish_sentence():
            nonlocal sent
            if sent is None:
                return
            if not paras:
                paras.append([])
            paras[-1].append(sent)
            sent = None

        def finish_doc():
            finish_sentence()
            if doc is None:
                return
            build_doc(doc, paras)
            docs.append(doc)

        for line in lines:
            if line.startswith('# newdoc id'):
                finish_doc()
                doc = {'id': line.split('=', 1)[1].strip(), 'date': None}
                paras = []
            elif line.startswith('# global.Entity'):
                fields = line.split('=', 1)[1].strip().split('-')
            elif line.startswith('# meta::dateCreated') and doc is not None:
                d = line.split('=', 1)[1].strip()
                if re.fullmatch(r'\d{4}-\d{2}-\d{2}', d):
                    doc['date'] = d
            elif line.startswith('# newpar') and not line.startswith('# newpar_'):
                finish_sentence()
                paras.append([])
            elif line.startswith('# text ='):
                finish_sentence()
                sent = {'text': line.split('=', 1)[1].strip(), 'rows': [], 'fields': fields}
            elif line and not line.startswith('#') and sent is not None:
                sent['rows'].append(line.split('\t'))
            elif not line:
                finish_sentence()
        finish_doc()
    return docs


def sentence_words(sent):
    """Word id -> (char start, char end) in the sentence text, plus word rows by id."""
    text, pos = sent['text'], 0
    spans, words, mwt_end, mwt_span = {}, {}, 0, None
    for r in sent['rows']:
        if len(r) < 10 or '.' in r[0]:
            continue
        if '-' in r[0]:
            a, b = r[0].split('-')
            s = text.find(r[1], pos)
            if s < 0:
                s = pos
            mwt_span = (s, s + len(r[1]))
            mwt_end = int(b)
            pos = mwt_span[1]
            continue
        wid = int(r[0])
        words[wid] = r
        if wid <= mwt_end and mwt_span:
            spans[wid] = mwt_span
            continue
        s = text.find(r[1], pos)
        if s < 0:
            s = pos
        spans[wid] = (s, s + len(r[1]))
        pos = spans[wid][1]
    return spans, words


def build_doc(doc, paras):
    parts, mentions, offset = [], [], 0
    paras = [p for p in paras if p]
    for pi, para in enumerate(paras):
        if pi:
            parts.append('\n\n')
            offset += 2
        for si, sent in enumerate(para):
            if si:
                parts.append(' ')
                offset += 1
            spans, words = sentence_words(sent)
            mentions.extend(sentence_mentions(sent, spans, words, offset))
            parts.append(sent['text'])
            offset += len(sent['text'])
    doc['text'] = ''.join(parts)
    for m in mentions:   # char offsets -> UTF-8 byte offsets
        m['start'], m['end'] = (len(doc['text'][:m['start']].encode('utf-8')),
                                len(doc['text'][:m['end']].encode('utf-8')))
    doc['mentions'] = mentions


def sentence_mentions(sent, spans, words, offset):
    fields = sent['fields']
    etype_i = fields.index('etype') if 'etype' in fields else 1
    ident_i = fields.index('identity') if 'identity' in fields else len(fields) - 1
    open_ = {}
    out = []
    for wid in sorted(words):
        misc = words[wid][9]
        ent = next((x[len('Entity='):] for x in misc.split('|') if x.startswith('Entity=')), None)
        if not ent:
            continue
        for item in parse_entity_field(ent):
            if item[0] == 'open':
                parts = item[1].split('-')
                if len(parts) > len(fields):   # a stray dash: keep it in the title
                    parts = parts[:len(fields) - 1] + ['-'.join(parts[len(fields) - 1:])]
                eid = parts[0]
                info = {'etype': parts[etype_i] if etype_i < len(parts) else '',
                        'title': parts[ident_i] if len(parts) == len(fields) else '',
                        'first': wid}
                if item[2]:
                    out.append(make_mention(info, wid, spans, words, offset, sent['text']))
                else:
                    open_.setdefault(eid, []).append(info)
            else:
                stack = open_.get(item[1])
                if stack:
                    out.append(make_mention(stack.pop(), wid, spans, words, offset, sent['text']))
    return [m for m in out if m['etype'] == 'place' and m['title']]


def make_mention(info, last, spans, words, offset, text):
    first = info['first']
    ids = [w for w in range(first, last + 1) if w in words]
    heads = [w for w in ids if not (first <= int(words[w][6] or 0) <= last)] if ids else []
    head = heads[0] if heads else (ids[-1] if ids else first)
    s, e = spans[first][0], spans[last][1]
    return {'etype': info['etype'], 'title': info['title'], 'start': offset + s, 'end': offset + e,
            'text': text[s:e], 'named': words.get(head, [''] * 4)[3] == 'PROPN'}


# ---------------------------------------------------------------- scoring

def best_actor(actors, span):
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
            # Exact span first; then the mention that opens the gold span (the
            # head of "Seattle, Washington" is Seattle); then the largest overlap.
            key = (ms == gs and me == ge, ms == gs, overlap, -abs((me - ms) - (ge - gs)))
            if best_key is None or key > best_key:
                best, best_key = a, key
    return best


def correct(actor, title, countries, admin1s=None):
    """admin1s: folded first-level division names (None: every qualifier is checked)."""
    if actor is None or actor.get('kind') not in ('place', 'country'):
        return False
    name, qual = parse_title(title)
    geo = actor.get('geo') or {}
    cands = [x for x in (geo.get('name'), actor.get('name')) if x]
    if actor.get('kind') == 'country':
        cands += [x for x in (actor.get('id'), actor.get('country'), geo.get('country')) if x]
        # "Paris, Texas" or "Georgia (U.S. state)" is not a country
        return not qual and any(countries.same(name, c) for c in cands)
    in_country = [c for c in (geo.get('country'), actor.get('country')) if c]
    if countries.is_country(name) and not qual:
        # a country's title: a place actor is right only inside that country
        # (Georgia the US state is not Georgia the country)
        return any(countries.same(name, c) for c in in_country)
    gold = fold(name)
    if not any(fold(c) == gold or words_contained(gold, fold(c)) for c in cands):
        return False
    if qual:
        # Only a qualifier that is a country or a first-level division can be
        # checked ("Paris, Texas", "Olympia, Greece"); "Coron, Palawan" (a
        # province, admin2) and "Chinatown, Oakland" (a city) are not checked.
        # "North Oakland, Oakland, California": the last checkable part counts.
        parts = [x.strip() for x in qual.split(',') if x.strip()]
        checkable = [x for x in parts if countries.is_country(x) or
                     (admin1s is None or fold(x) in admin1s)]
        if checkable:
            q = checkable[-1]
            levels = [fold(v) for k, v in geo.items() if k != 'name' and isinstance(v, str) and v]
            if not (any(a == fold(q) or words_contained(fold(q), a) for a in levels) or
                    any(countries.same(q, c) for c in in_country)):
                return False
    return True


BIG_CITY = 500000


def classify(title, countries, cities, admin1s):
    """country, city, admin1 or other. A name that is both a first-level
    division and a city (Florida, Virginia, Berlin, Kherson) is a city when
    its largest namesake has at least BIG_CITY inhabitants."""
    name, _ = parse_title(title)
    n = fold(name)
    if countries.is_country(name):
        return 'country'
    if n in cities and (n not in admin1s or cities[n] >= BIG_CITY):
        return 'city'
    if n in admin1s:
        return 'admin1'
    return 'other'


def run_sitrep(sitrep, docs):
    with tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False, encoding='utf-8') as tmp:
        for d in docs:
            rec = {'id': d['id'], 'text': d['text']}
            if d.get('date'):
                rec['date'] = d['date']
            tmp.write(json.dumps(rec, ensure_ascii=False) + '\n')
    try:
        cmd = [sitrep, 'extract', '--no-tokens', '--input-format', 'jsonl', tmp.name]
        try:
            p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        except OSError as e:
            sys.exit(f'geocode_eval: cannot run {sitrep}: {e}')
        if p.returncode != 0:
            sys.exit(f'geocode_eval: sitrep extract failed ({p.returncode}):\n{p.stderr[-2000:]}')
        return p.stdout
    finally:
        os.unlink(tmp.name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('conllu', nargs='*', help='GUM .conllu files (default: GUM test and dev)')
    ap.add_argument('--sitrep', default=os.environ.get('SITREP', 'build/sitrep'),
                    help='sitrep binary, relative to the repo root (default $SITREP or build/sitrep)')
    ap.add_argument('--json', help='read this saved `sitrep extract` JSONL instead of running sitrep')
    ap.add_argument('--write-jsonl', metavar='FILE',
                    help='write the rebuilt documents (id, date, text) as JSONL and exit')
    ap.add_argument('--all', action='store_true', help='list errors for unnamed mentions too')
    ap.add_argument('--errors', action='store_true', help='list every wrong named mention')
    args = ap.parse_args()

    docs = read_gum(args.conllu or DEFAULT_FILES)
    if args.write_jsonl:
        with open(args.write_jsonl, 'w', encoding='utf-8') as f:
            for d in docs:
                rec = {'id': d['id'], 'text': d['text']}
                if d.get('date'):
                    rec['date'] = d['date']
                f.write(json.dumps(rec, ensure_ascii=False) + '\n')
        return 0
    if args.json:
        with open(args.json, encoding='utf-8') as f:
            out = f.read()
    else:
        sitrep = args.sitrep if os.path.isabs(args.sitrep) else os.path.join(REPO, args.sitrep)
        out = run_sitrep(sitrep, docs)
    results = {}
    for line in out.splitlines():
        if line.strip():
            d = json.loads(line)
            results[d.get('id')] = d

    countries = Countries()
    cities, admin1s = load_names('cities15000.txt'), load_names('admin1CodesASCII.txt')
    rows = {}   # (scope, class) -> [gold, found, correct]
    errors = []
    for d in docs:
        res = results.get(d['id'], {})
        if res.get('text') is not None and res['text'] != d['text']:
            print(f"geocode_eval: {d['id']}: sitrep's text differs from the rebuilt text; "
                  'offsets may be off', file=sys.stderr)
        actors = res.get('actors') or []
        for m in d['mentions']:
            actor = best_actor(actors, (m['start'], m['end']))
            ok = correct(actor, m['title'], countries, admin1s or None)
            cls = classify(m['title'], countries, cities, admin1s)
            for scope in (['all', 'named'] if m['named'] else ['all']):
                for c in (cls, 'total'):
                    r = rows.setdefault((scope, c), [0, 0, 0])
                    r[0] += 1
                    r[1] += actor is not None
                    r[2] += ok
            if not ok and (m['named'] or args.all):
                errors.append((d['id'], m, cls, actor))

    print(f"GUM place mentions with a Wikipedia link ({len(docs)} documents)\n")
    print('| mentions | class | gold | found | correct | accuracy |')
    print('|---|---|---:|---:|---:|---:|')
    for scope in ('all', 'named'):
        for c in ('country', 'city', 'admin1', 'other', 'total'):
            g, fo, co = rows.get((scope, c), [0, 0, 0])
            label = 'all linked' if scope == 'all' else 'named (head PROPN)'
            print(f'| {label} | {c} | {g} | {fo} | {co} | {pct(co, g)} |')
    g, fo, co = rows.get(('named', 'total'), [0, 0, 0])
    print(f'\nnamed place mentions: accuracy {pct(co, g)} ({co}/{g}), found {pct(fo, g)}')
    if args.errors and errors:
        print('\n| document | mention | title | class | got |')
        print('|---|---|---|---|---|')
        for doc_id, m, cls, actor in errors:
            got = 'not found' if actor is None else (
                f"{actor.get('kind')}:{actor.get('id')} {actor.get('name')!r} "
                f"geo={json.dumps(actor.get('geo'), ensure_ascii=False) if actor.get('geo') else '-'}")
            cells = [doc_id, m['text'], m['title'], cls, got]
            print('| ' + ' | '.join(c.replace('|', '\\|') for c in cells) + ' |')
    return 0


def pct(a, b):
    return f'{100.0 * a / b:.1f}%' if b else 'n/a'


if __name__ == '__main__':
    sys.exit(main())
