#!/usr/bin/env python3
"""Tests of eval/events_eval.py's scoring on synthetic gold and extract output.

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
import events_eval as ee  # noqa: E402


def bspan(text, sub, occ=1):
    """UTF-8 byte span of the occ-th occurrence of sub in text."""
    i = -1
    for _ in range(occ):
        i = text.index(sub, i + 1)
    b = len(text[:i].encode('utf-8'))
    return b, b + len(sub.encode('utf-8'))


def arg(text, sub, code=None):
    b, e = bspan(text, sub)
    a = {'start': b, 'end': e, 'text': sub}
    if code:
        a['code'] = code
    return a


def event(text, type_, trigger, source=(), target=(), **kw):
    b, e = bspan(text, trigger)
    ev = {'type': type_, 'trigger': {'start': b, 'end': e, 'text': trigger},
          'source': list(source), 'target': list(target), 'modality': 'asserted',
          'negated': False, 'confidence': 0.5}
    ev.update(kw)
    return ev


class Locate(unittest.TestCase):
    T = 'Security forces in Guinea have tortured scores of Sierra Leonean and Liberian refugees.'

    def test_substring(self):
        self.assertEqual(ee.locate(self.T, 'Security forces'), (0, 15))
        s = ee.locate(self.T, 'Liberian refugees')
        self.assertEqual(self.T[s[0]:s[1]], 'Liberian refugees')

    def test_strip_and_case_insensitive(self):
        s = ee.locate(self.T, ' security FORCES ')
        self.assertEqual(s, (0, 15))
        s = ee.locate('The Homeland Union (Conservatives) began.', 'Homeland Union  (Conservatives)')
        self.assertEqual(s, (4, 34))

    def test_ellipsis(self):
        s = ee.locate(self.T, 'Sierra Leonean ... refugees')
        self.assertEqual(self.T[s[0]:s[1]], 'Sierra Leonean and Liberian refugees')
        t = 'Hundreds of thousands of people blocked streets in Hong Kong today.'
        s = ee.locate(t, 'Hundreds of thousands of people .. in Hong Kong')
        self.assertEqual(t[s[0]:s[1]], 'Hundreds of thousands of people blocked streets in Hong Kong')
        s = ee.locate('U.S. and Russian negotiators met.', 'u.s. … negotiators')
        self.assertEqual(s, (0, 28))

    def test_longest_word_fallback(self):
        t = 'The Turkish and Greek sides of Cyprus agreed.'
        s = ee.locate(t, 'Greek-Cypriot')      # "Cypriot" is not in the text
        self.assertEqual(t[s[0]:s[1]], 'Greek')
        t = 'The Red Cross said US and British forces must ensure security.'
        s = ee.locate(t, 'US forces')
        self.assertEqual(t[s[0]:s[1]], 'forces')
        s = ee.locate('A reform of the forum was reformed.', 'reform-minded')  # whole words only
        self.assertEqual(s, (2, 8))

    def test_not_found(self):
        self.assertIsNone(ee.locate(self.T, 'Ghanians'))
        self.assertIsNone(ee.locate(self.T, 'US'))       # no word of >= 4 letters
        self.assertIsNone(ee.locate(self.T, ''))


class Offsets(unittest.TestCase):
    def test_byte_to_char_non_ascii(self):
        text = 'Zoë and Müller’s aides met in Košice'
        conv = ee.byte_to_char(text)
        for sub in ('Zoë', 'Müller’s', 'aides', 'Košice'):
            b, e = bspan(text, sub)
            self.assertEqual(text[conv(b):conv(e)], sub)
        self.assertEqual(conv(len(text.encode('utf-8'))), len(text))
        self.assertEqual(conv(10 ** 6), len(text))

    def test_span_match_after_conversion(self):
        text = 'Šefčovič’s aides accused Ukraine.'
        ev = event(text, 'ACCUSE', 'accused', source=[arg(text, 'Šefčovič’s aides')],
                   target=[arg(text, 'Ukraine')])
        conv = ee.byte_to_char(text)
        src = ee.pred_args(ev, 'source', conv, [])
        self.assertEqual(src[0]['span'], (0, 16))
        gold, _ = ee.gold_actors([{'actorText': 'aides'}], text)
        self.assertTrue(ee.actor_match(gold, src))
        gold, _ = ee.gold_actors([{'actorText': 'Ukraine'}], text)
        self.assertFalse(ee.actor_match(gold, src))


class Categories(unittest.TestCase):
    def test_old_names(self):
        self.assertEqual(ee.map_category('DEMAND'), 'REQUEST')
        self.assertEqual(ee.map_category('DISAPPROVE'), 'ACCUSE')
        self.assertEqual(ee.map_category('FIGHT'), 'ASSAULT')
        self.assertEqual(ee.map_category('INVESTIGATE'), 'ACCUSE')
        self.assertEqual(ee.map_category('agree'), 'AGREE')
        self.assertEqual(ee.map_category(None), '')

    def test_clean_text(self):
        self.assertEqual(ee.clean_text(' {The Council agreed.} '), 'The Council agreed.')
        self.assertEqual(ee.clean_text('  On Monday they met. '), 'On Monday they met.')


class Primary(unittest.TestCase):
    T = 'Israel said it would strike Gaza after militants attacked a town.'

    def test_highest_confidence_without_parent(self):
        a = event(self.T, 'ASSAULT', 'strike', confidence=0.9, parent=1)
        b = event(self.T, 'THREATEN', 'said', confidence=0.6)
        c = event(self.T, 'ASSAULT', 'attacked', confidence=0.7)
        self.assertIs(ee.primary_event([a, b, c]), c)

    def test_tie_earliest_trigger(self):
        b = event(self.T, 'THREATEN', 'would', confidence=0.6)
        c = event(self.T, 'ASSAULT', 'attacked', confidence=0.6)
        a = event(self.T, 'ACCUSE', 'said', confidence=0.6)
        self.assertIs(ee.primary_event([b, c, a]), a)

    def test_parent_negative_or_null_is_no_parent(self):
        a = event(self.T, 'ASSAULT', 'strike', confidence=0.9, parent=-1)
        b = event(self.T, 'THREATEN', 'said', confidence=0.6, parent=None)
        self.assertIs(ee.primary_event([a, b]), a)

    def test_none(self):
        self.assertIsNone(ee.primary_event([]))


class ActorMatch(unittest.TestCase):
    T = 'Hungarian and Romanian officials agreed with the UN on Wednesday.'

    def preds(self, *args):
        ev = {'source': list(args)}
        return ee.pred_args(ev, 'source', ee.byte_to_char(self.T), [])

    def test_by_span(self):
        gold, _ = ee.gold_actors([{'actorText': 'Hungarian', 'code': 'HUN'}], self.T)
        self.assertTrue(ee.actor_match(gold, self.preds(arg(self.T, 'Hungarian and Romanian officials'))))
        self.assertFalse(ee.actor_match(gold, self.preds(arg(self.T, 'Romanian officials'))))

    def test_by_code(self):
        gold, _ = ee.gold_actors([{'actorText': 'Hungarian', 'code': 'HUN'}], self.T)
        p = self.preds(dict(arg(self.T, 'the UN'), code='HUNGOV'))
        self.assertTrue(ee.actor_match(gold, p))
        p = self.preds(dict(arg(self.T, 'the UN'), code='ROU'))
        self.assertFalse(ee.actor_match(gold, p))
        self.assertEqual(ee.country_code('JAP'), 'JPN')

    def test_code_from_actor_index(self):
        gold, _ = ee.gold_actors([{'actorText': 'Magyars', 'code': 'HUN'}], self.T)
        ev = {'source': [{'start': 0, 'end': 3, 'actor': 0}]}
        p = ee.pred_args(ev, 'source', ee.byte_to_char(self.T), [{'kind': 'country', 'id': 'HUN'}])
        self.assertTrue(ee.actor_match(gold, p))

    def test_igo_code_matches_nothing(self):
        gold, dropped = ee.gold_actors([{'actorText': 'United Nations', 'code': 'IGO'}], self.T)
        self.assertEqual(dropped, 1)      # not in the text and no country code
        gold = [{'text': 'United Nations', 'code': 'IGO', 'span': None}]
        self.assertFalse(ee.actor_match(gold, self.preds(dict(arg(self.T, 'the UN'), code='IGO'))))
        gold, _ = ee.gold_actors([{'actorText': 'the UN', 'code': 'IGO'}], self.T)
        self.assertTrue(ee.actor_match(gold, self.preds(arg(self.T, 'UN'))))   # by span

    def test_gold_shapes(self):
        for v in (None, '', []):
            self.assertEqual(ee.gold_actors(v, self.T), ([], 0))
        gold, _ = ee.gold_actors(['Romanian'], self.T)
        self.assertEqual(gold[0]['span'], (14, 22))
        gold, dropped = ee.gold_actors('diplomatic', self.T)
        self.assertEqual((gold, dropped), ([], 1))
        gold, _ = ee.gold_actors([{'actorText': 'Ghanians', 'code': 'GHA'}], self.T)
        self.assertIsNone(gold[0]['span'])  # code only

    def test_missing_gold_side_holds(self):
        self.assertTrue(ee.side_ok([], []))
        self.assertTrue(ee.side_ok([], self.preds(arg(self.T, 'the UN'))))
        gold, _ = ee.gold_actors([{'actorText': 'Hungarian', 'code': 'HUN'}], self.T)
        self.assertFalse(ee.side_ok(gold, []))


T1 = 'Senior Hungarian and Romanian officials agreed on Wednesday to cooperate.'
T2 = ' {Israeli soldiers beat Palestinian protesters in Hébron.} '
T3 = 'Müller’s party demanded that Berlin release the prisoners.'
T4 = 'Rebels fought government troops near the capital.'
T5 = 'The UN condemned the attack.'
GOLD = [
    {'id': 'DOC', 'event': 'DOCUMENT', 'eventText': 'documentation'},
    {'id': 'NOTEXT', 'event': 'AGREE'},
    {'id': 'G1', 'event': 'AGREE', 'text': T1, 'date': '2000-01-01',
     'source': [{'actorText': 'Hungarian', 'code': 'HUN'}, {'actorText': 'Romanian', 'code': 'ROU'}],
     'target': ''},
    {'id': 'G2', 'event': 'FIGHT', 'text': T2,
     'source': [{'actorText': 'Israeli soldiers', 'code': 'ISR', 'sector': 'MIL'}],
     'target': [{'actorText': 'Palestinian ... protesters', 'code': 'PSE'}]},
    {'id': 'G3', 'event': 'DEMAND', 'text': T3,
     'source': [{'actorText': "Müller's party", 'code': 'DEU'}],
     'target': [{'actorText': 'Berlin', 'code': 'DEU'}]},
    {'id': 'G4', 'event': 'FIGHT', 'text': T4, 'source': ['Rebels'], 'target': ['government troops']},
    {'id': 'G5', 'event': 'DISAPPROVE', 'text': T5, 'source': [{'actorText': 'UN', 'code': 'IGO'}]},
]
T2c = ee.clean_text(T2)
PRED = [
    # G1: right category, a source overlapping "Hungarian"; gold has no target
    {'id': 'G1', 'text': T1, 'events': [
        event(T1, 'AGREE', 'agreed', source=[arg(T1, 'Hungarian and Romanian officials')],
              target=[arg(T1, 'Wednesday')], confidence=0.8),
        event(T1, 'COOPERATE', 'cooperate', confidence=0.9, parent=0)]},
    # G2: ASSAULT (FIGHT mapped); source by code, target by span over "Palestinian protesters"
    {'id': 'G2', 'text': T2c, 'events': [
        event(T2c, 'ASSAULT', 'beat', source=[arg(T2c, 'Hébron', code='ISR')],
              target=[arg(T2c, 'protesters')], confidence=0.7, modality='planned', negated=True)]},
    # G3: primary is ACCUSE (wrong); a REQUEST with right args exists as a lower one
    {'id': 'G3', 'text': T3, 'events': [
        event(T3, 'ACCUSE', 'party', confidence=0.6),
        event(T3, 'REQUEST', 'demanded', source=[arg(T3, 'Müller’s party')],
              target=[arg(T3, 'Berlin', code='DEU')], confidence=0.5)]},
    # G4: right category, wrong target
    {'id': 'G4', 'text': T4, 'events': [
        event(T4, 'ASSAULT', 'fought', source=[arg(T4, 'Rebels')], target=[arg(T4, 'the capital')],
              modality='hypothetical')]},
    # G5: an output record without "events"
    {'id': 'G5', 'text': T5},
]


class EndToEnd(unittest.TestCase):
    def run_eval(self, gold, preds, *extra):
        with tempfile.TemporaryDirectory() as d:
            g = os.path.join(d, 'gold.json')
            p = os.path.join(d, 'pred.jsonl')
            with open(g, 'w', encoding='utf-8') as f:
                json.dump(gold, f, ensure_ascii=False)
            with open(p, 'w', encoding='utf-8') as f:
                for x in preds:
                    f.write(json.dumps(x, ensure_ascii=False) + '\n')
            return subprocess.run([sys.executable, os.path.join(EVAL, 'events_eval.py'), '--gold', g,
                                   '--predictions', p] + list(extra),
                                  capture_output=True, text=True, cwd=REPO)

    def test_synthetic(self):
        r = self.run_eval(GOLD, PRED, '--errors')
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout
        self.assertIn('5 scored records (skipped: 1 DOCUMENT, 1 no text)', out)
        self.assertIn('no gold source: 0, no gold target: 2', out)
        self.assertIn('sentences without a predicted event: 1 (no output record: 0)', out)
        self.assertIn('| category (primary event) | 3 | 5 | 60.0% | >= 75% | 37% |', out)
        self.assertIn('| category + source + target (primary event) | 2 | 5 | 40.0% | >= 55% | 25% |', out)
        self.assertIn('| secondary: category, any event | 4 | 5 | 80.0% | | |', out)
        self.assertIn('| secondary: category + source + target, any event | 3 | 5 | 60.0% | | |', out)
        self.assertIn('| ASSAULT | 2 | 2 | 100.0% | 1 |', out)
        self.assertIn('| REQUEST | 1 | 0 | 0.0% | 0 |', out)
        self.assertIn('| ACCUSE | 1 | 0 | 0.0% | 0 |', out)
        self.assertIn('REQUEST -> ACCUSE: 1', out)
        self.assertIn('ACCUSE -> (none): 1', out)
        self.assertIn('primary events: 2 asserted, 1 planned, 1 hypothetical; 1 negated', out)
        self.assertIn('G4\t[target]', out)
        self.assertIn("trigger: 'fought'", out)
        self.assertIn('G5\t[category, source]', out)
        self.assertNotIn('G1\t[', out)
        self.assertNotIn('G2\t[', out)

    def test_no_events_all_wrong(self):
        preds = [{'id': g['id'], 'text': ee.clean_text(g['text']), 'events': []}
                 for g in GOLD if 'text' in g]
        r = self.run_eval(GOLD, preds)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('| category (primary event) | 0 | 5 | 0.0% |', r.stdout)
        self.assertIn('sentences without a predicted event: 5 (no output record: 0)', r.stdout)

    def test_missing_output_records(self):
        r = self.run_eval(GOLD, PRED[:1])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('| category (primary event) | 1 | 5 | 20.0% |', r.stdout)
        self.assertIn('(no output record: 4)', r.stdout)

    def test_sitrep_missing_exits_1(self):
        with tempfile.TemporaryDirectory() as d:
            g = os.path.join(d, 'gold.json')
            with open(g, 'w', encoding='utf-8') as f:
                json.dump(GOLD, f)
            r = subprocess.run([sys.executable, os.path.join(EVAL, 'events_eval.py'), '--gold', g,
                                '--sitrep', os.path.join(d, 'no_such_sitrep')],
                               capture_output=True, text=True, cwd=REPO)
        self.assertEqual(r.returncode, 1)


if __name__ == '__main__':
    unittest.main()
