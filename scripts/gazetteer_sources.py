#!/usr/bin/env python3
"""Extracts name lists (facts) from the reference data in ../shared/data/reference
into one TSV of `CATEGORY<TAB>phrase` lines, which `sitrep build gazetteer`
compiles into models/gazetteer.bin. Categories:

  COUNTRY  country names (GeoNames, Factbook) and common abbreviations (U.S., UK, ...)
  ADMIN    first-level administrative divisions (GeoNames admin1)
  CITY     cities of 15,000 people or more (GeoNames cities15000)
  NORP     nationality nouns and adjectives (CIA Factbook)
  PERSON   full names of people (US legislators and executive, PETRARCH actors
           whose codes carry dates, i.e. office holders)
  FIRST    first names of those people
  LAST     last names of those people
  ORG      organizations (PETRARCH international and non-state actors without
           dated codes)

Usage: python3 scripts/gazetteer_sources.py [REFERENCE_DIR] > gazetteer.tsv
Deterministic: lines are sorted and unique. Sources and licenses: GeoNames
(CC BY 4.0), CIA World Factbook (CC0), US congress legislators (CC0),
PETRARCH-2 dictionaries (MIT). The mledoze country list is not used: its
ODbL would bind the compiled gazetteer.
"""
import glob
import json
import os
import re
import sys

import yaml

ref = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), '..', '..', 'shared', 'data', 'reference')
out = set()


def add(cat, phrase):
    phrase = ' '.join(phrase.split())
    if 2 <= len(phrase) <= 80 and ',' not in phrase:
        out.add((cat, phrase))


# GeoNames countries, admin1 divisions and cities: the English name and its
# ASCII form.
for line in open(os.path.join(ref, 'geonames', 'countryInfo.txt'), encoding='utf-8'):
    if line.startswith('#'):
        continue
    f = line.rstrip('\n').split('\t')
    if len(f) > 4:
        add('COUNTRY', f[4])
for line in open(os.path.join(ref, 'geonames', 'admin1CodesASCII.txt'), encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if len(f) > 2:
        add('ADMIN', f[1])
        add('ADMIN', f[2])
for line in open(os.path.join(ref, 'geonames', 'cities15000.txt'), encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if len(f) > 2:
        add('CITY', f[1])
        add('CITY', f[2])

# Abbreviations news writes for countries (not in the sources above as such).
for abbr in ('U.S.', 'U.S.A.', 'USA', 'US', 'U.K.', 'UK', 'UAE', 'U.A.E.', 'DRC', 'PRC', 'ROK',
             'DPRK', 'USSR', 'U.S.S.R.'):
    add('COUNTRY', abbr)

# Factbook nationality nouns and adjectives ("Estonian(s)" -> Estonian, Estonians).
for path in sorted(glob.glob(os.path.join(ref, 'factbook', '*', '*.json'))):
    try:
        d = json.load(open(path, encoding='utf-8'))
    except (ValueError, OSError):
        continue
    names = d.get('Government', {}).get('Country name', {})
    for key in ('conventional long form', 'conventional short form'):
        text = re.sub(r'<[^>]+>|\(.*?\)', '', names.get(key, {}).get('text', '')).strip()
        if text and text.lower() != 'none':
            add('COUNTRY', text)
    nat = d.get('People and Society', {}).get('Nationality', {})
    for key in ('noun', 'adjective'):
        text = nat.get(key, {}).get('text', '')
        text = re.sub(r'<[^>]+>', '', text)
        for part in re.split(r'[;,]| or ', text):
            part = re.sub(r'\(.*?\)', '', part).strip()
            m = re.match(r"^([A-Z][A-Za-z' -]+?)\(s\)$", part.replace(' ', ' ').strip() + '')
            base = re.sub(r'\(s\)$', '', part).strip()
            if not base or not base[0].isupper() or len(base.split()) > 3:
                continue
            add('NORP', base)
            if '(s)' in nat.get(key, {}).get('text', ''):
                add('NORP', base + 's')

# People: US legislators and executive branch.
TITLES = {'PRESIDENT', 'PRIME', 'MINISTER', 'KING', 'QUEEN', 'GENERAL', 'GEN', 'SECRETARY',
          'SENATOR', 'GOVERNOR', 'DR', 'MR', 'MRS', 'MS', 'SHEIKH', 'SHEIK', 'PRINCE', 'EMIR',
          'AMBASSADOR', 'CHANCELLOR', 'CHAIRMAN', 'LEADER', 'FORMER', 'VICE', 'COL', 'COLONEL',
          'AYATOLLAH', 'SULTAN', 'PREMIER', 'FOREIGN', 'DEFENSE', 'DEFENCE', 'INTERIOR', 'LT',
          'MAJOR', 'CAPTAIN', 'ADMIRAL', 'MARSHAL', 'POPE', 'CARDINAL', 'BISHOP', 'REV', 'JUDGE'}


def add_person(first, last, full=None):
    if first and last:
        add('FIRST', first)
        add('LAST', last)
        add('PERSON', full or (first + ' ' + last))


for name in ('legislators-current.yaml', 'executive.yaml'):
    path = os.path.join(ref, 'us_congress_legislators', name)
    if not os.path.exists(path):
        continue
    for p in yaml.safe_load(open(path, encoding='utf-8')) or []:
        n = p.get('name', {})
        add_person(n.get('first'), n.get('last'), n.get('official_full'))
        if n.get('nickname'):
            add_person(n['nickname'], n.get('last'))

# PETRARCH-2 / Phoenix actor dictionaries. A block is a head line, "+"
# synonym lines and [CODE ...] lines; codes with dates mark office holders
# (people), three-letter codes places, others organizations.
def petrarch(path):
    blocks, cur = [], None
    for raw in open(path, encoding='utf-8', errors='replace'):
        line = raw.split('#', 1)[0].rstrip()
        if not line.strip():
            continue
        codes = re.findall(r'\[([^\]]*)\]', line)
        text = re.sub(r'\[[^\]]*\]', '', line).strip()
        if line[0] not in '+ \t[' and text:
            cur = {'names': [text], 'codes': []}
            blocks.append(cur)
        elif cur is not None and text.startswith('+'):
            cur['names'].append(text[1:].strip())
        if cur is not None:
            cur['codes'].extend(codes)
    return blocks


def phrase(name):
    name = re.sub(r'\(.*?\)', '', name).replace('_', ' ').strip()
    return ' '.join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in name.split())


places = {p for c, p in out if c in ('COUNTRY', 'NORP', 'ADMIN')}
for fname, default in (('Phoenix.Countries.actors.txt', None),
                       ('Phoenix.International.actors.txt', 'ORG'),
                       ('Phoenix.MilNonState.actors.txt', 'ORG')):
    path = os.path.join(ref, 'petrarch2_dictionaries', fname)
    for b in petrarch(path):
        dated = any(re.search(r'\s[<>]?\d{6}', c) for c in b['codes'])
        place = all(re.fullmatch(r'[A-Z]{3}', c.strip()) for c in b['codes']) and b['codes']
        for n in b['names']:
            words = n.replace('_', ' ').split()
            if not words or any(w.strip('.').upper() in TITLES for w in words):
                continue
            p = phrase(n)
            if len(p) < 3:
                continue
            ws = p.split()
            if dated:
                if len(ws) >= 2 and all(w[0].isalpha() and w not in places for w in ws):
                    add_person(ws[0], ws[-1], p)
            elif default == 'ORG' and sum(w[0].isalpha() for w in ws) >= max(1, len(ws) - 1):
                add('ORG', p)
            # The country file's undated entries are countries, their cities and
            # adjectives mixed together: GeoNames gives the places instead.

for cat, p in sorted(out):
    print(f'{cat}\t{p}')
