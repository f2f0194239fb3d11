#!/usr/bin/env python3
"""Check an event lexicon file (data/events/lexicon.tsv or a user file in the
same format) for format errors.  Python 3 standard library only.

Usage: scripts/check_event_lexicon.py [FILE ...]
       (default: data/events/lexicon.tsv next to this script's repository)

Exit status 0 when every file passes, 1 otherwise.  Each problem is printed
as FILE:LINE: message.  See docs/event-lexicon.md for the format.
"""
import os
import re
import sys

HEADER = ["word", "pos", "with", "type", "mode", "context", "cameo", "target"]
POS = {"VERB", "NOUN", "ADJ"}
PLOVER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID",
          "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST",
          "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
PSEUDO = ["LIGHT", "INTENT", "NEG"]
TYPES = PLOVER + PSEUDO

# Mode names from the PLOVER manual (draft 0.8) mode tables.  Types without
# a mode table take no mode.
MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest",
               "deport", "withhold", "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy",
                "primitive", "firearms", "explosives", "suicide-attack", "aerial",
                "drone", "heavy-weapons", "crowd-control", "unconventional"},
}

# General contexts from the PLOVER manual's context table.
CONTEXTS = {
    "military", "intelligence", "executive", "legislative", "election",
    "political_institutions", "pro_democracy", "pro_autocracy", "economic",
    "legal", "reparations", "human_rights", "rights_freedoms", "repression",
    "human_security", "gender", "lgbt", "religion_ethnicity", "inequality",
    "diplomatic", "territory", "peacekeeping", "health", "asylum", "migration",
    "disasters", "natural_resource", "environment", "technology", "terrorism",
    "cbrn", "cyber", "misinformation", "crime", "corruption", "illegal_drugs",
    "trafficking",
}

LEMMA = re.compile(r"^[a-z][a-z'-]*$")
CAMEO = re.compile(r"^[0-9]{2,4}$")
TARGET_ROLES = {"obj", "iobj", "subj"}
SINGLE_KEYS = {"prt", "prep"}      # one lemma
LIST_KEYS = {"obj", "mod"}          # one or more lemmas separated by |


def parse_with(value):
    """Return (dict key -> list of lemmas, error or None)."""
    if value == "-":
        return {}, None
    out = {}
    for part in value.split(";"):
        if "=" not in part:
            return None, "constraint %r is not key=value" % part
        key, val = part.split("=", 1)
        if key not in SINGLE_KEYS | LIST_KEYS:
            return None, "unknown constraint key %r (prt, obj, prep, mod)" % key
        if key in out:
            return None, "constraint key %r given twice" % key
        lemmas = val.split("|")
        if key in SINGLE_KEYS and len(lemmas) != 1:
            return None, "%s= takes exactly one lemma" % key
        for lem in lemmas:
            if not LEMMA.match(lem):
                return None, "bad lemma %r in %s=" % (lem, key)
        if len(set(lemmas)) != len(lemmas):
            return None, "repeated lemma in %s=" % key
        out[key] = lemmas
    return out, None


def check(path, require_sorted=True):
    errors = []

    def err(n, msg):
        errors.append("%s:%d: %s" % (path, n, msg))

    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        return ["%s: cannot read: %s" % (path, e)]

    seen = {}
    groups = {}   # (word, pos, fixed constraints) -> [(line, key, lemmas)]
    header_seen = False
    last_sort = None
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if cols != HEADER:
                err(n, "first non-comment line must be the header: %s" % "\\t".join(HEADER))
                return errors
            header_seen = True
            continue
        if len(cols) != 8:
            err(n, "expected 8 tab-separated columns, found %d" % len(cols))
            continue
        word, pos, with_, typ, mode, context, cameo, target = cols
        if any(c != c.strip() or c == "" for c in cols):
            err(n, "empty column or stray whitespace")
        if not LEMMA.match(word):
            err(n, "word %r must be one lower-case lemma (letters, hyphens)" % word)
        if pos not in POS:
            err(n, "pos %r not in %s" % (pos, sorted(POS)))
        if typ not in TYPES:
            err(n, "type %r not a PLOVER type or LIGHT/INTENT/NEG" % typ)
            continue
        cons, cerr = parse_with(with_)
        if cerr:
            err(n, "with: " + cerr)
            cons = None
        if cons is not None and "mod" in cons and pos != "NOUN":
            err(n, "mod= applies only to NOUN triggers")
        # mode
        if mode != "-":
            allowed = MODES.get(typ)
            if not allowed:
                err(n, "type %s takes no mode (found %r)" % (typ, mode))
            else:
                for m in mode.split(","):
                    if m not in allowed:
                        err(n, "mode %r is not a %s mode %s" % (m, typ, sorted(allowed)))
        # context
        if context != "-":
            for c in context.split(","):
                if c not in CONTEXTS:
                    err(n, "unknown PLOVER context %r" % c)
        # cameo
        if cameo != "-" and not CAMEO.match(cameo):
            err(n, "cameo %r must be 2-4 digits or -" % cameo)
        if typ in ("LIGHT", "NEG"):
            if (mode, context, cameo) != ("-", "-", "-"):
                err(n, "%s entries take - for mode, context and cameo" % typ)
        elif typ == "INTENT":
            if not cameo.startswith("03"):
                err(n, "INTENT entries give the AGREE (03x) CAMEO code")
            if mode != "-":
                err(n, "INTENT entries take no mode")
        elif cameo == "-":
            err(n, "event entries need a CAMEO code")
        # target
        if target != "-":
            toks = target.split("|")
            for t in toks:
                if not (t in TARGET_ROLES or LEMMA.match(t)):
                    err(n, "bad target %r" % t)
            if len(set(toks)) != len(toks):
                err(n, "repeated target slot")
        # duplicates
        key = (word, pos, with_)
        if key in seen:
            err(n, "duplicate entry for word+pos+with (first at line %d)" % seen[key])
        else:
            seen[key] = n
        # overlapping obj/mod lists for the same word, pos and other constraints
        if cons:
            for lk in ("obj", "mod"):
                if lk in cons:
                    fixed = tuple(sorted((k, tuple(v)) for k, v in cons.items() if k != lk))
                    groups.setdefault((word, pos, lk, fixed), []).append((n, set(cons[lk])))
        # order: by type (in the order of TYPES) then word
        sk = (TYPES.index(typ), word)
        if require_sorted and last_sort is not None and sk < last_sort:
            err(n, "entries must be sorted by type then word")
        last_sort = sk

    if not header_seen:
        errors.append("%s: no header line" % path)
    for (word, pos, lk, _), items in groups.items():
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                common = items[i][1] & items[j][1]
                if common:
                    err(items[j][0], "%s %s: %s= lemmas %s also listed at line %d"
                        % (word, pos, lk, ",".join(sorted(common)), items[i][0]))
    return errors


def main(argv):
    args = argv[1:]
    unsorted = "--unsorted" in args
    args = [a for a in args if a != "--unsorted"]
    if not args:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        args = [os.path.join(root, "data", "events", "lexicon.tsv")]
    bad = False
    for path in args:
        errs = check(path, require_sorted=not unsorted)
        for e in errs:
            print(e)
        if errs:
            bad = True
        else:
            print("%s: ok" % path)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
