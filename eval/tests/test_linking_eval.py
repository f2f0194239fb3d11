#!/usr/bin/env python3
"""Tests of eval/linking_eval.py's scoring on a hand-made extract output.

Run from the repository root: python3 -m unittest discover -s eval/tests
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.dirname(HERE)
REPO = os.path.dirname(EVAL)
sys.path.insert(0, EVAL)
import linking_eval as le  # noqa: E402

FIXTURE = os.path.join(REPO, 'tests', 'fixtures', 'linking', '001_estonia_kursk_drills.txt')


def span(text, mention, occ):
    return le.byte_span(text, le.whole_word_offsets(text, mention)[occ - 1], len(mention))


def mention(text, s, occ=1):
    a, b = span(text, s, occ)
    return {'start': a, 'end': b, 'text': s, 'how': 'name'}


class Offsets(unittest.TestCase):
    def test_whole_words_only(self):
        self.assertEqual(le.whole_word_offsets('he the he, ahe he2 he', 'he'), [0, 7, 19])

    def test_utf8_bytes(self):
        text = 'Zoë met Zoë'
        self.assertEqual(le.byte_span(text, le.whole_word_offsets(text, 'Zoë')[1], 3), (9, 13))

    def test_fold(self):
        self.assertEqual(le.fold('Gitanas Nausėda'), le.fold('gitanas nauseda'))
        self.assertEqual(le.fold('U.N.'), 'un')


class Scoring(unittest.TestCase):
    def test_place_levels(self):
        city = {'kind': 'place', 'name': 'Kherson',
                'geo': {'name': 'Kherson', 'country': 'UA', 'admin1': 'Kherson Oblast', 'precision': 'city'}}
        oblast = {'kind': 'place', 'name': 'Kherson Oblast',
                  'geo': {'name': 'Kherson Oblast', 'country': 'UA', 'admin1': 'Kherson Oblast',
                          'precision': 'admin1'}}
        kursk_short = {'kind': 'place', 'name': 'Kursk',
                       'geo': {'name': 'Kursk', 'country': 'RU', 'admin1': 'Kursk Oblast', 'precision': 'admin1'}}
        self.assertTrue(le.correct(city, 'place:Kherson|UA|Kherson Oblast'))
        self.assertFalse(le.correct(oblast, 'place:Kherson|UA|Kherson Oblast'))
        self.assertTrue(le.correct(oblast, 'place:Kherson Oblast|UA'))
        self.assertFalse(le.correct(city, 'place:Kherson Oblast|UA'))
        self.assertTrue(le.correct(kursk_short, 'place:Kursk Oblast|RU'))
        self.assertFalse(le.correct(city, 'place:Kherson|RU'))

    def test_admin1_disambiguates(self):
        texas = {'kind': 'place', 'name': 'Paris',
                 'geo': {'name': 'Paris', 'country': 'US', 'admin1': 'Texas', 'precision': 'city'}}
        tennessee = {'kind': 'place', 'name': 'Paris',
                     'geo': {'name': 'Paris', 'country': 'US', 'admin1': 'Tennessee', 'precision': 'city'}}
        france = {'kind': 'place', 'name': 'Paris',
                  'geo': {'name': 'Paris', 'country': 'FR', 'admin1': 'Île-de-France', 'precision': 'city'}}
        self.assertTrue(le.correct(texas, 'place:Paris|US|Texas'))
        self.assertFalse(le.correct(tennessee, 'place:Paris|US|Texas'))
        self.assertFalse(le.correct(france, 'place:Paris|US|Texas'))
        self.assertTrue(le.correct(france, 'place:Paris|FR'))

    def test_division_is_not_its_capital(self):
        oblast = {'kind': 'place', 'name': 'Kherson',
                  'geo': {'name': 'Kherson', 'country': 'UA', 'admin1': 'Kherson', 'precision': 'admin1'}}
        self.assertFalse(le.correct(oblast, 'place:Kherson|UA|Kherson Oblast'))
        self.assertTrue(le.correct(oblast, 'place:Kherson Oblast|UA'))

    def test_dc_and_alternatives(self):
        dc = {'kind': 'place', 'name': 'Washington, D.C.',
              'geo': {'name': 'Washington, D.C.', 'country': 'US', 'admin1': 'District of Columbia',
                      'precision': 'city'}}
        state = {'kind': 'place', 'name': 'Washington',
                 'geo': {'name': 'Washington', 'country': 'US', 'admin1': 'Washington', 'precision': 'admin1'}}
        self.assertTrue(le.correct(dc, 'place:Washington|US|Washington, D.C.'))
        self.assertFalse(le.correct(state, 'place:Washington|US|Washington, D.C.'))
        self.assertTrue(le.correct(state, 'place:Washington|US'))
        sgp = {'kind': 'country', 'id': 'SGP', 'name': 'Singapore'}
        self.assertTrue(le.correct(sgp, 'place:Singapore|SG;country:SGP'))
        self.assertFalse(le.correct(sgp, 'place:Singapore|SG'))

    def test_kinds(self):
        rus = {'kind': 'country', 'id': 'RUS', 'name': 'Russia'}
        moscow = {'kind': 'place', 'id': 'geo:524901', 'name': 'Moscow',
                  'geo': {'name': 'Moscow', 'country': 'RU', 'precision': 'city'}}
        self.assertTrue(le.correct(rus, 'country:RUS'))
        self.assertFalse(le.correct(moscow, 'country:RUS'))
        self.assertFalse(le.correct(rus, 'place:Moscow|RU'))
        self.assertTrue(le.correct({'kind': 'org', 'id': 'UN', 'name': 'United Nations'}, 'org:UN'))
        self.assertTrue(le.correct({'kind': 'org', 'id': 'U.N.', 'name': 'x'}, 'org:UN'))
        self.assertTrue(le.correct({'kind': 'person', 'name': 'Gitanas Nausėda'}, 'person:Gitanas Nauseda'))
        self.assertFalse(le.correct({'kind': 'org', 'name': 'Gitanas Nauseda'}, 'person:Gitanas Nauseda'))
        self.assertFalse(le.correct(None, 'country:RUS'))

    def test_best_actor_prefers_exact(self):
        a = {'id': 'a', 'mentions': [{'start': 0, 'end': 20}]}
        b = {'id': 'b', 'mentions': [{'start': 5, 'end': 10}]}
        c = {'id': 'c', 'mentions': [{'start': 30, 'end': 40}]}
        self.assertEqual(le.best_actor([a, b, c], (5, 10))['id'], 'b')
        self.assertEqual(le.best_actor([a, c], (5, 10))['id'], 'a')
        self.assertIsNone(le.best_actor([c], (5, 10)))


class EndToEnd(unittest.TestCase):
    def run_eval(self, docs, *extra):
        with tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False, encoding='utf-8') as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + '\n')
        try:
            p = subprocess.run([sys.executable, os.path.join(EVAL, 'linking_eval.py'), '--json', f.name,
                                FIXTURE] + list(extra), capture_output=True, text=True, cwd=REPO)
        finally:
            os.unlink(f.name)
        return p

    def test_hand_made_output(self):
        text = le.article_body(FIXTURE)
        pevkur = {'id': 'hanno_pevkur', 'kind': 'person', 'name': 'Hanno Pevkur', 'known': True,
                  'mentions': [mention(text, 'Hanno Pevkur'), mention(text, 'Pevkur', 2),
                               mention(text, 'He', 1), mention(text, 'the minister')]}
        est = {'id': 'EST', 'kind': 'country', 'name': 'Estonia', 'known': True,
               'mentions': [mention(text, 'Estonia', 1), mention(text, 'Estonian', 1)]}
        # "Tallinn" (2nd, the government) wrongly linked to the city; TALLINN (dateline) right
        tallinn = {'id': 'geo:588409', 'kind': 'place', 'name': 'Tallinn',
                   'geo': {'name': 'Tallinn', 'country': 'EE', 'admin1': 'Harjumaa', 'precision': 'city'},
                   'mentions': [mention(text, 'TALLINN'), mention(text, 'Tallinn')]}
        kursk = {'id': 'geo:538555', 'kind': 'place', 'name': 'Kursk',
                 'geo': {'name': 'Kursk', 'country': 'RU', 'admin1': 'Kursk Oblast', 'precision': 'admin1'},
                 'mentions': [{'start': span(text, 'Kursk region', 1)[0],
                               'end': span(text, 'Kursk region', 1)[0] + 5, 'text': 'Kursk'}]}
        doc = {'id': '001_estonia_kursk_drills', 'text': text, 'actors': [pevkur, est, tallinn, kursk]}
        p = self.run_eval([doc], '--errors')
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        self.assertIn('| PERSON | 7 | 2 | 2 | 28.6% |', out)   # Hanno Pevkur, Pevkur #2 of 7
        self.assertIn('| PRON | 3 | 1 | 1 | 33.3% |', out)      # He #1 (Pevkur)
        self.assertIn('| NOMINAL | 1 | 1 | 1 | 100.0% |', out)
        self.assertIn('| GPE | 8 | 3 | 2 | 25.0% |', out)      # TALLINN, Estonia #1; Tallinn #1 wrong
        self.assertIn('| NORP | 5 | 1 | 1 | 20.0% |', out)     # Estonian
        self.assertIn('| LOC | 2 | 1 | 1 | 50.0% |', out)      # Kursk region, by containment
        self.assertIn('named mentions (PERSON, ORG, GPE, LOC, NORP, FAC): accuracy 24.0% (6/25)', out)
        self.assertIn("| Tallinn #1 | GPE | country:EST | place:geo:588409 'Tallinn'", out)
        self.assertIn('not found', out)

    def test_no_actors_all_not_found(self):
        text = le.article_body(FIXTURE)
        p = self.run_eval([{'id': '001_estonia_kursk_drills', 'text': text}])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('accuracy 0.0%', p.stdout)

    def test_malformed_gold_exits_2(self):
        with tempfile.TemporaryDirectory() as d:
            txt = os.path.join(d, '900_bad.txt')
            with open(txt, 'w', encoding='utf-8') as f:
                f.write(' date 2020-01-01 Pevkur spoke.\n--\n')
            with open(os.path.join(d, '900_bad.gold.tsv'), 'w', encoding='utf-8') as f:
                f.write('Pevkur\t2\tPERSON\tperson:Hanno Pevkur\n')
            p = subprocess.run([sys.executable, os.path.join(EVAL, 'linking_eval.py'), '--check', txt],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 2)
            self.assertIn('900_bad.gold.tsv:1:', p.stderr)
            with open(os.path.join(d, '900_bad.gold.tsv'), 'w', encoding='utf-8') as f:
                f.write('# comment\nPevkur\t1\tPERSON\tpersn:Hanno Pevkur\n')
            p = subprocess.run([sys.executable, os.path.join(EVAL, 'linking_eval.py'), '--check', txt],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 2)
            self.assertIn('900_bad.gold.tsv:2: malformed target', p.stderr)

    def test_fixtures_are_valid(self):
        p = subprocess.run([sys.executable, os.path.join(EVAL, 'linking_eval.py'), '--check'],
                           capture_output=True, text=True, cwd=REPO)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == '__main__':
    unittest.main()
