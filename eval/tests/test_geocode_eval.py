#!/usr/bin/env python3
"""Tests of eval/geocode_eval.py on a tiny hand-made GUM-style document.

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
sys.path.insert(0, EVAL)
import geocode_eval as ge  # noqa: E402

HEADER = '# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity'


def row(i, form, upos, head, misc='_'):
    return '\t'.join([str(i), form, form, upos, '_', '_', str(head), 'dep', '_', misc])


CONLLU = '\n'.join([
    '# newdoc id = doc_one',
    HEADER,
    '# meta::dateCreated = 2019-05-04',
    '# newpar',
    '# sent_id = doc_one-1',
    '# text = She left Paris, Texas for the United States\' capital.',
    row(1, 'She', 'PRON', 2, 'Entity=(1-person-new-s-cf1-1-sgl)'),
    row(2, 'left', 'VERB', 0),
    row(3, 'Paris', 'PROPN', 2, 'Entity=(2-place-new-s-cf2-1-sgl-Paris%2C_Texas|SpaceAfter=No'),
    row(4, ',', 'PUNCT', 5),
    row(5, 'Texas', 'PROPN', 3, 'Entity=2)'),
    row(6, 'for', 'ADP', 11),
    row(7, 'the', 'DET', 9, 'Entity=(3-place-new-s-cf3-2-sgl-United_States'),
    row(8, 'United', 'PROPN', 9),
    row(9, 'States', 'PROPN', 11, 'Entity=3)'),
    '10\t\'\t\'\tPART\t_\t_\t9\tcase\t_\t_',
    row(11, 'capital', 'NOUN', 2, 'SpaceAfter=No'),
    row(12, '.', 'PUNCT', 2),
    '',
    '# newpar',
    '# sent_id = doc_one-2',
    '# text = Georgia (the country) was next.',
    row(1, 'Georgia', 'PROPN', 6, 'Entity=(4-place-new-s-cf4-1-coref-Georgia_%28country%29)'),
    row(2, '(', 'PUNCT', 4, 'SpaceAfter=No'),
    row(3, 'the', 'DET', 4, 'Entity=(4-place-giv-s-cf4-2-coref-Georgia_%28country%29'),
    row(4, 'country', 'NOUN', 1, 'Entity=4)|SpaceAfter=No'),
    row(5, ')', 'PUNCT', 4),
    row(6, 'was', 'AUX', 0),
    row(7, 'next', 'ADJ', 6, 'SpaceAfter=No'),
    row(8, '.', 'PUNCT', 6),
    '', ''])


class Parsing(unittest.TestCase):
    def setUp(self):
        fd, self.path = tempfile.mkstemp(suffix='.conllu')
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            f.write(CONLLU)
        self.docs = ge.read_gum([self.path])

    def tearDown(self):
        os.unlink(self.path)

    def test_text_and_mentions(self):
        self.assertEqual(len(self.docs), 1)
        d = self.docs[0]
        self.assertEqual(d['date'], '2019-05-04')
        self.assertEqual(d['text'], "She left Paris, Texas for the United States' capital.\n\n"
                                    'Georgia (the country) was next.')
        got = [(m['text'], m['title'], m['named']) for m in d['mentions']]
        self.assertEqual(got, [('Paris, Texas', 'Paris%2C_Texas', True),
                               ('the United States', 'United_States', True),
                               ('Georgia', 'Georgia_%28country%29', True),
                               ('the country', 'Georgia_%28country%29', False)])
        b = d['text'].encode('utf-8')
        for m in d['mentions']:
            self.assertEqual(b[m['start']:m['end']].decode('utf-8'), m['text'])

    def test_entity_field(self):
        self.assertEqual(ge.parse_entity_field('(53-place-x-Senegal)52)'),
                         [('open', '53-place-x-Senegal', True), ('close', '52')])

    def test_titles(self):
        self.assertEqual(ge.parse_title('Paris%2C_Texas'), ('Paris', 'Texas'))
        self.assertEqual(ge.parse_title('Georgia_%28country%29'), ('Georgia', ''))
        self.assertEqual(ge.parse_title('Georgia_%28U.S._state%29'), ('Georgia', 'United States'))
        self.assertEqual(ge.parse_title('Guinea%2DBissau'), ('Guinea-Bissau', ''))

    def test_scoring(self):
        c = ge.Countries()
        usa = {'kind': 'country', 'id': 'USA', 'name': 'United States of America'}
        geo_ = {'kind': 'country', 'id': 'GEO', 'name': 'Georgia'}
        paris_tx = {'kind': 'place', 'name': 'Paris', 'geo': {'name': 'Paris', 'country': 'US', 'admin1': 'Texas'}}
        paris_fr = {'kind': 'place', 'name': 'Paris', 'geo': {'name': 'Paris', 'country': 'FR',
                                                              'admin1': 'Île-de-France'}}
        georgia_us = {'kind': 'place', 'name': 'Georgia', 'geo': {'name': 'Georgia', 'country': 'US',
                                                                  'admin1': 'Georgia', 'precision': 'admin1'}}
        self.assertTrue(ge.correct(usa, 'United_States', c))
        self.assertTrue(ge.correct({'kind': 'country', 'id': 'GBR', 'name': 'UK'}, 'United_Kingdom', c))
        self.assertTrue(ge.correct(paris_tx, 'Paris%2C_Texas', c))
        self.assertFalse(ge.correct(paris_fr, 'Paris%2C_Texas', c))
        self.assertTrue(ge.correct(paris_fr, 'Paris', c))
        self.assertTrue(ge.correct(geo_, 'Georgia_%28country%29', c))
        self.assertFalse(ge.correct(georgia_us, 'Georgia_%28country%29', c))
        self.assertTrue(ge.correct(georgia_us, 'Georgia_%28U.S._state%29', c))
        self.assertFalse(ge.correct(geo_, 'Georgia_%28U.S._state%29', c))
        self.assertFalse(ge.correct({'kind': 'person', 'name': 'Paris'}, 'Paris', c))
        self.assertFalse(ge.correct(None, 'Paris', c))

    def test_qualifiers(self):
        c = ge.Countries()
        admin1s = {ge.fold(x): 0 for x in ('Texas', 'California', 'Mimaropa', 'Washington')}
        coron = {'kind': 'place', 'name': 'Coron', 'geo': {'name': 'Coron', 'country': 'PH', 'admin1': 'Mimaropa'}}
        olympia_us = {'kind': 'place', 'name': 'Olympia',
                      'geo': {'name': 'Olympia', 'country': 'US', 'admin1': 'Washington'}}
        oakland = {'kind': 'place', 'name': 'North Oakland',
                   'geo': {'name': 'North Oakland', 'country': 'US', 'admin1': 'California'}}
        self.assertTrue(ge.correct(coron, 'Coron%2C_Palawan', c, admin1s))   # Palawan: not checkable
        self.assertFalse(ge.correct(coron, 'Coron%2C_Palawan', c))            # without the table: checked
        self.assertFalse(ge.correct(olympia_us, 'Olympia%2C_Greece', c, admin1s))
        self.assertTrue(ge.correct(oakland, 'North_Oakland%2C_Oakland%2C_California', c, admin1s))
        self.assertFalse(ge.correct(oakland, 'North_Oakland%2C_Oakland%2C_Texas', c, admin1s))

    def test_classify(self):
        c = ge.Countries()
        cities = {'berlin': 3400000, 'florida': 50000, 'paris': 2100000}
        admin1s = {'berlin': 0, 'florida': 0, 'texas': 0}
        self.assertEqual(ge.classify('Berlin', c, cities, admin1s), 'city')
        self.assertEqual(ge.classify('Florida', c, cities, admin1s), 'admin1')
        self.assertEqual(ge.classify('Paris%2C_Texas', c, cities, admin1s), 'city')
        self.assertEqual(ge.classify('United_Kingdom', c, cities, admin1s), 'country')
        self.assertEqual(ge.classify('Museum_of_Flight', c, cities, admin1s), 'other')

    def run_eval(self, actors_by_doc):
        d = self.docs[0]
        with tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False, encoding='utf-8') as f:
            f.write(json.dumps({'id': d['id'], 'text': d['text'],
                                'actors': actors_by_doc}, ensure_ascii=False) + '\n')
        try:
            return subprocess.run([sys.executable, os.path.join(EVAL, 'geocode_eval.py'), '--json', f.name,
                                   '--errors', self.path], capture_output=True, text=True)
        finally:
            os.unlink(f.name)

    def test_end_to_end(self):
        d = self.docs[0]
        m = {x['text']: x for x in d['mentions']}

        def men(x, s=0, e=0):
            return {'start': m[x]['start'] + s, 'end': m[x]['end'] + e, 'text': x}
        actors = [
            {'id': 'geo:4717560', 'kind': 'place', 'name': 'Paris',
             'geo': {'name': 'Paris', 'country': 'US', 'admin1': 'Texas'},
             'mentions': [men('Paris, Texas', 0, -7)]},          # just "Paris"
            {'id': 'USA', 'kind': 'country', 'name': 'United States',
             'mentions': [men('the United States', 4)]},          # without "the"
            {'id': 'geo:4197000', 'kind': 'place', 'name': 'Georgia',
             'geo': {'name': 'Georgia', 'country': 'US', 'admin1': 'Georgia'},
             'mentions': [men('Georgia')]},                        # the wrong Georgia
        ]
        p = self.run_eval(actors)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('| named (head PROPN) | total | 3 | 3 | 2 | 66.7% |', p.stdout)
        self.assertIn('| all linked | total | 4 | 3 | 2 | 50.0% |', p.stdout)
        self.assertIn('| named (head PROPN) | country | 2 | 2 | 1 | 50.0% |', p.stdout)
        self.assertIn('| doc_one | Georgia | Georgia_%28country%29 | country |', p.stdout)

    def test_without_linker(self):
        p = self.run_eval([])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('named place mentions: accuracy 0.0% (0/3), found 0.0%', p.stdout)


if __name__ == '__main__':
    unittest.main()
