"""The PCT reference table, and turning names as FOI files write them into ODS codes.

The table (``data/reference/pcts_2010.csv``) lists the 152 PCTs and care trusts
of 2010. It was built by ``scripts/build_reference.py`` from ONS names and codes
lists. Contains National Statistics data © Crown copyright and database right.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .. import paths

# Words that name the kind of body rather than the place; dropped before matching.
_NOISE = re.compile(
    r"\b(nhs|the|pct|primary care trust|primary care|care trust plus|care trust|teaching|"
    r"national health service|trust)\b"
)
# Compass words written as one ("SouthEast", "North-East", "Northeast") are split before matching.
_JOINED_COMPASS = re.compile(r"\b(north|south)[\s-]*(east|west)\b")
# Words that tell two places apart. A close match may not add, drop or change any of them:
# "North Gloucestershire" is not South Gloucestershire, "Nottingham County" is not Nottingham City.
GUARD_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                         "central", "mid", "city", "county", "teaching", "inner", "outer", "upper", "lower",
                         "great", "heart"})
_COMPOUND = frozenset({"northeast", "northwest", "southeast", "southwest"})

# The areas Pulse's 2010 article names, by ODS code, with the slug used in result keys.
NAMED_AREAS = {
    "5NF": "north_lancashire",
    "5PP": "cambridgeshire",
    "5PN": "peterborough",
    "5QM": "dorset",
    "5H1": "hammersmith_and_fulham",
    "TAL": "torbay",
    "5QD": "buckinghamshire",
}

# What an ODS code (5QM, TAL) or an ONS code (E16000001) looks like.
_CODE = re.compile(r"[0-9A-Z]{3}|E1[0-9]{7}")
# A close match must score at least this (0-100, rapidfuzz token_sort_ratio)...
MATCH_CUTOFF = 90
# ...and beat the next PCT's score by at least this margin, or it is ambiguous.
MATCH_MARGIN = 6


def load_pcts() -> pd.DataFrame:
    """The reference table: one row per 2010 PCT or care trust, indexed by nothing.

    Columns: ods_code, ons_code, name, org_type, sha_ods_code, sha_ons_code,
    sha_name, aliases (';'-separated), note. No value is missing except
    aliases and note, which are '' when empty. Read anew on each call.
    """
    return pd.read_csv(paths.PCT_REFERENCE, dtype=str, keep_default_na=False)


def normalise(name: str) -> str:
    """Lower-case a PCT name and strip what varies between writers.

    '&' becomes 'and'; punctuation, and words such as 'NHS', 'PCT',
    'Teaching' and 'Care Trust', are dropped: 'NHS Hammersmith & Fulham' ->
    'hammersmith and fulham'.
    Compass words written as one are split: 'SouthEast Essex' -> 'south east essex'.
    """
    text = str(name).lower().replace("&", " and ")
    text = _JOINED_COMPASS.sub(r"\1 \2", text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = _NOISE.sub(" ", text)
    return " ".join(text.split())


def guard_words(norm: str) -> list[str]:
    """The words of a normalised name that tell places apart (compass words, 'city', 'county'), sorted.

    'North East' and 'South West' count as one direction each: 'north east essex' -> ['northeast'],
    'east and north hertfordshire' -> ['east', 'north'].
    """
    joined = re.sub(r"\b(north|south) (east|west)\b", r"\1\2", norm)
    return sorted(word for word in joined.split() if word in GUARD_WORDS or word in _COMPOUND)


def place_words(norm: str) -> str:
    """A normalised name without its :func:`guard_words` and 'and': 'west hertfordshire' -> 'hertfordshire'."""
    return " ".join(w for w in norm.split() if w not in GUARD_WORDS and w != "and")


@dataclass(frozen=True)
class PCTs:
    """The reference table read once, with what :func:`resolve` looks names up in: ``by_code`` (ODS or
    ONS code -> ODS codes), ``by_name`` (exact name or alias, lower case -> ODS codes), ``by_norm``
    (normalised name -> ODS codes) and ``names`` (ODS code -> name). A key that leads to more than one
    ODS code (Hertfordshire, 5QV) is ambiguous. Building it takes some milliseconds: a caller that
    resolves many names (a file's rows) reads one with :meth:`read` and passes it to each call.
    """

    by_code: dict
    by_name: dict
    by_norm: dict
    names: dict

    @classmethod
    def read(cls) -> "PCTs":
        """The reference file (:data:`scr_lib.paths.PCT_REFERENCE`), read and indexed."""
        table = load_pcts()
        by_code, by_name, by_norm = {}, {}, {}
        for r in table.itertuples():
            by_code.setdefault(r.ods_code.upper(), set()).add(r.ods_code)
            by_code.setdefault(r.ons_code.upper(), set()).add(r.ods_code)
            for name in [r.name, *filter(None, r.aliases.split(";"))]:
                if re.fullmatch(r"[0-9A-Z]{3}", name):  # another ODS code kept as an alias
                    by_code.setdefault(name, set()).add(r.ods_code)
                    continue
                by_name.setdefault(name.lower(), set()).add(r.ods_code)
                by_norm.setdefault(normalise(name), set()).add(r.ods_code)
        return cls(by_code, by_name, by_norm, dict(zip(table["ods_code"], table["name"])))


class UnknownPCT(LookupError):
    """A PCT name that matches no 2010 PCT, or more than one. ``candidates`` are the closest names."""

    def __init__(self, text: str, message: str, candidates: list[str]):
        self.text = text
        self.candidates = candidates
        super().__init__(message)


@dataclass(frozen=True)
class Match:
    """How a PCT name was resolved: ``ods_code`` and ``how`` (code, name, alias, normalised, close)."""

    ods_code: str
    how: str
    score: float = 100.0


def pct_name(ods_code: str, pcts: PCTs) -> str:
    """The reference name of an ODS code (``KeyError`` for a code not in the table), from ``pcts`` (one
    :meth:`PCTs.read`, passed by the caller: reading the file for each name made checking a 100,000-row
    file take minutes)."""
    return pcts.names[ods_code]


def resolve(text: str, pcts: PCTs | None = None) -> Match:
    """Resolve a PCT as an FOI file writes it to its ODS code.

    Tries, in order: an ODS or ONS code; the exact name or an alias (case
    ignored); the normalised name (see :func:`normalise`); then a close match
    that is unambiguous (score >= ``MATCH_CUTOFF`` and ``MATCH_MARGIN`` ahead
    of the next PCT) and has the same compass words and qualifiers
    (:data:`GUARD_WORDS`): a close match only mends spelling, never turns
    North into South or City into County. Raises :class:`UnknownPCT` naming the closest
    candidates otherwise: for an unknown code, the codes one character away;
    for a name, first the PCTs whose names contain all its words, then the
    closest by spelling. A blank name raises too. ``pcts``: the table to look in (default: the reference
    file, read for this call; pass one :meth:`PCTs.read` to resolve many names).
    """
    raw = str(text).strip()
    if not raw:
        raise UnknownPCT(raw, "expected a PCT name or ODS code, found nothing", [])
    pcts = pcts or PCTs.read()
    by_code, by_name, by_norm = pcts.by_code, pcts.by_name, pcts.by_norm
    norm = normalise(raw)
    for key, index, how in ((raw.upper(), by_code, "code"), (raw.lower(), by_name, "name"),
                            (norm, by_norm, "normalised")):
        codes = index.get(key)
        if codes and len(codes) == 1:
            return Match(next(iter(codes)), how)
        if codes:
            closest = [f"{pcts.names[code]} ({code})" for code in sorted(codes)]
            raise UnknownPCT(raw, f"PCT {raw!r} is ambiguous in 2010; it may be: {'; '.join(closest)}",
                             closest)

    if _CODE.fullmatch(raw.upper()):
        wanted = raw.upper()
        near = [c for c in by_code if len(c) == len(wanted) and Levenshtein.distance(c, wanted) <= 1]
        # codes that share the longest start come first ('5QX': 5QA, 5QC, ... before 5HX)
        near.sort(key=lambda c: (-len(os.path.commonprefix([c, wanted])), c))
        codes = list(dict.fromkeys(code for n in near for code in sorted(by_code[n])))
        closest = [f"{pcts.names[code]} ({code})" for code in codes[:5]]
        hint = f"; closest codes: {'; '.join(closest)}" if closest else ""
        raise UnknownPCT(raw, f"no 2010 PCT has the code {raw!r}{hint}", closest)

    scored = process.extract(norm, list(by_norm), scorer=fuzz.token_sort_ratio, limit=12)
    best: dict[str, float] = {}
    same_guard: dict[str, float] = {}
    guard, place = guard_words(norm), place_words(norm)
    # A place that is itself a PCT's ('Herefordshire') is never mended into another ('Hertfordshire').
    known_place = place in {place_words(name) for name in by_norm}
    for candidate, score, _ in scored:
        for code in by_norm[candidate]:
            best[code] = max(best.get(code, 0.0), score)
            if guard_words(candidate) == guard and (not known_place or place_words(candidate) == place):
                # 'North Gloucestershire' never becomes South Gloucestershire
                same_guard[code] = max(same_guard.get(code, 0.0), score)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    allowed = sorted(same_guard.items(), key=lambda kv: (-kv[1], kv[0]))
    if allowed and allowed[0][1] >= MATCH_CUTOFF:
        runner_up = ranked[1][1] if ranked[0][0] == allowed[0][0] and len(ranked) > 1 else ranked[0][1]
        if allowed[0][1] - runner_up >= MATCH_MARGIN:
            return Match(allowed[0][0], "close", allowed[0][1])
        closest = [f"{pcts.names[code]} ({code})" for code, _ in allowed[:3]]
        raise UnknownPCT(raw, f"PCT name {raw!r} is ambiguous; closest: {'; '.join(closest)}", closest)
    # Names that contain every word of the text ('Birmingham' -> the three Birmingham PCTs) come first.
    words = set(norm.split())
    containing = sorted({code for name, codes in by_norm.items() if words and words <= set(name.split())
                         for code in codes})
    order = containing + [code for code, _ in ranked if code not in containing]
    closest = [f"{pcts.names[code]} ({code})" for code in order[:max(3, min(len(containing), 5))]]
    raise UnknownPCT(raw, f"unknown PCT {raw!r}; closest: {'; '.join(closest)}", closest)
