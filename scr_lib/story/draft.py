"""Check every number in a draft story against a run's fact base (``scr draft``).

:func:`check_draft` reads a draft (:mod:`scr_lib.story.draft_text`), finds every
number in it (:mod:`scr_lib.story.numbers`) and looks each one up in the run's
facts (:mod:`scr_lib.story.facts`). For each number it finds:

- its **subject**: the area named in its sentence (any PCT or care trust, by any
  name people write: "NHS Dorset", "Dorset PCT", "Torbay Care Trust"), else the
  last area named before, carried through "it", "its", "the trust" and across
  paragraphs until another is named; "England", "nationally", "across the country"
  reset it to England (subject ``E``). An area the sentence does not name ("one PCT",
  "a neighbouring trust", "its neighbour") is neither England nor the last area named:
  its figures, and "it" after it, are unchecked. A measure the run has only for England (a
  median, a count of PCTs) is England's whoever the sentence is about;
- its **measure**: the measure whose words (declared by the findings,
  :mod:`scr_lib.findings.measure`; nothing here names one) are most, and nearest,
  in its clause, of a kind that fits the number (a count of what its noun counts,
  money, a share); "27 of 53" is two numbers of two measures, the part's and the
  whole its measure is ``of`` (declined of invited, answered of all PCTs); a share with
  no words of its own after such a sentence ("That compares with 16.5% nationally") is
  the share of the sentence before, supported when it holds and never contradicted;
- its **relation**: a value, a bound ("more than 280"), a share ("16.5%", "one in
  six"), a rank ("the second-highest share"), or a change ("up 3%", not checked).

Then its verdict:

- **supported**: the fact matches at the printed precision;
- **contradicted**: the fact does not match; the report gives the fact in words at
  its full value ("NHS Newcastle: 27 of its 53 invited practices declined"), the
  difference as a reader says it ("2 more than the data") and, when the number is
  true of another subject or measure, says so ("£190,000 is NHS Dorset's spend to
  date, not NHS Peterborough's");
- **unchecked**: no fact speaks to it, or its subject or measure is ambiguous, with
  why. Ambiguous is never contradicted: a false alarm costs a newsroom more than a gap.

Ordinary numbers (years, dates, times, labels such as "NHS 111" and "Section 43",
phone numbers, ages, durations, the 1,000 of "per 1,000") are listed apart, not checked.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .. import findings, paths, words
from ..findings.measure import PCTS, Measure, stem
from . import numbers
from .draft_text import Block, DraftError, read_blocks
from .facts import ENGLAND, Fact, FactBase, FactsError

SCHEMA_VERSION = 2


class Verdict(StrEnum):
    """The verdict on one number in a draft."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    UNCHECKED = "unchecked"


@dataclass
class Checked:
    """One number in the draft: where it is, what it was read as, and its verdict.

    ``paragraph`` (from 1), ``line`` (of the file, for a text draft), ``where`` (text, heading, table,
    caption, footnote, text box...), ``start``/``end``: its characters in the paragraph as read;
    ``subject``/``subject_name``, ``measure``/``measure_label``: what it was read as (None when not
    found); ``fact``: the fact's full value; ``fact_text``: the fact in words; ``difference``: printed
    minus the fact, in the number's unit (percentage points for a percentage), and ``difference_text``
    in words; ``elsewhere``: whose figure the number is, when it is true of another subject or measure;
    ``note``: why it is unchecked, or what else to know; ``illustrative``: the fact rests on
    illustrative (generated) values.
    """

    paragraph: int
    line: int | None
    where: str
    start: int
    end: int
    sentence: str
    printed: str
    kind: str
    value: float | None
    precision: str
    relation: str = "value"
    verdict: Verdict | None = None
    subject: str | None = None
    subject_name: str | None = None
    measure: str | None = None
    measure_label: str | None = None
    fact: float | None = None
    fact_text: str = ""
    difference: float | None = None
    difference_text: str = ""
    elsewhere: str = ""
    note: str = ""
    illustrative: bool = False
    offset: int = 0  # where the paragraph starts in the text read (paragraphs joined by a blank line)

    def as_dict(self) -> dict:
        return {"paragraph": self.paragraph, "line": self.line, "where": self.where,
                "span": [self.start, self.end], "text_span": [self.offset + self.start, self.offset + self.end],
                "sentence": self.sentence, "printed": self.printed, "kind": self.kind, "value": self.value,
                "precision": self.precision, "relation": self.relation,
                "verdict": str(self.verdict) if self.verdict else None, "subject": self.subject,
                "subject_name": self.subject_name, "measure": self.measure, "measure_label": self.measure_label,
                "fact": self.fact, "fact_text": self.fact_text, "difference": self.difference,
                "difference_text": self.difference_text, "elsewhere": self.elsewhere, "note": self.note,
                "illustrative": self.illustrative}


@dataclass
class Report:
    """Every number found in a draft: ``numbers`` (each with a verdict) and ``ordinary`` (years, dates,
    labels, ages, durations: listed apart, not checked)."""

    source: str
    numbers: list[Checked]
    ordinary: list[Checked]
    run_dir: str = ""
    round: str | None = None
    blocks: list[Block] = field(default_factory=list)

    @property
    def dates(self) -> list[Checked]:
        return [n for n in self.ordinary if n.kind in ("year", "date")]

    def counts(self) -> dict:
        """Numbers found, ordinary numbers listed apart, and numbers by verdict."""
        out = {"numbers": len(self.numbers), "ordinary": len(self.ordinary)}
        for v in Verdict:
            out[str(v)] = sum(1 for n in self.numbers if n.verdict is v)
        return out

    @property
    def contradicted(self) -> bool:
        return any(n.verdict is Verdict.CONTRADICTED for n in self.numbers)

    def as_dict(self) -> dict:
        offsets, at = [], 0
        for block in self.blocks:
            offsets.append(at)
            at += len(block.text) + 2
        return {"schema_version": SCHEMA_VERSION, "source": self.source, "run_folder": self.run_dir,
                "round": self.round, "counts": self.counts(),
                "paragraphs": [{"paragraph": i, "where": b.where, "line": b.line_at(0), "text_span":
                                [offsets[i - 1], offsets[i - 1] + len(b.text)], "text": b.text}
                               for i, b in enumerate(self.blocks, start=1)],
                "numbers": [n.as_dict() for n in self.numbers],
                "ordinary": [{**{k: v for k, v in n.as_dict().items() if k in (
                    "paragraph", "line", "where", "span", "text_span", "sentence", "printed", "kind")},
                    "why": n.note} for n in self.ordinary]}


# ----------------------------------------------------------------------------------------------------
# Reading the run


def load_facts(run_dir: str | Path) -> FactBase:
    """The fact base of the run in ``run_dir``; :class:`DraftError` naming the file when there is none."""
    folder = Path(run_dir)
    if not folder.is_dir():
        raise DraftError(f"{run_dir}: no such folder: give the folder `scr run PARAMS --out DIR` wrote")
    try:
        base = FactBase.load(folder)
    except FactsError as err:
        raise DraftError(str(err)) from None
    if not len(base):
        raise DraftError(f"{paths.display(folder / 'facts.csv')}: holds no facts: give the folder "
                         "`scr run PARAMS --out DIR` wrote")
    return base


def read_text(path: str | Path) -> list[str]:
    """The paragraphs of a draft as read (see :func:`scr_lib.story.draft_text.read_blocks`)."""
    return [b.text for b in read_blocks(path)]


# ----------------------------------------------------------------------------------------------------
# Words


_TOKEN = re.compile(r"[a-z]+|\d+(?:[,.]\d+)*")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(stemmed word, start, end) for each word or figure of ``text``, lower-cased; apostrophes and hyphens
    split words ("out-of-hours": out, of, hours)."""
    low = text.lower().replace("\u2019", "'")
    return [(stem(m.group(0)) if m.group(0)[0].isalpha() else m.group(0), m.start(), m.end())
            for m in _TOKEN.finditer(low)]


@functools.lru_cache(maxsize=2048)
def _phrase(text: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in _tokens(text))


@functools.lru_cache(maxsize=2048)
def _raw(text: str) -> tuple[str, ...]:
    """The words of ``text`` as written (lower case, not stemmed): nouns are matched so, so that "viewed"
    is not read as "views"."""
    return tuple(m.group(0) for m in _TOKEN.finditer(text.lower().replace("\u2019", "'")))


def _occurrences(tokens: list[tuple[str, int, int]], phrase: tuple[str, ...], gap: int = 2) -> list[tuple[int, int]]:
    """Where ``phrase`` occurs in ``tokens``: (first token, last token + 1) pairs. Up to ``gap`` words may come
    between the words of a phrase ("turned the scheme down" is "turned down")."""
    if not phrase:
        return []
    stems = [t for t, _, _ in tokens]
    out = []
    for i in [i for i, word in enumerate(stems) if word == phrase[0]] if phrase[0] in stems else ():
        at = i
        for part in phrase[1:]:
            nxt = next((j for j in range(at + 1, min(at + 2 + gap, len(stems))) if stems[j] == part), None)
            if nxt is None:
                break
            at = nxt
        else:
            out.append((i, at + 1))
    return out


# The nouns of ordinary numbers: ages, durations, distances. A number counting one is not a figure to check.
_ORDINARY_NOUNS = ("year", "years", "year-old", "month", "months", "week", "weeks", "day", "days", "hour", "hours",
                   "minute", "minutes", "second", "seconds", "decade", "decades", "mile", "miles", "km", "metres",
                   "page", "pages", "word", "words", "am", "pm", "o'clock", "storey", "floor")
_PERIOD = re.compile(r"\b(?:a|an|each|per|every)\s+(day|week|month|year|fortnight)\b|\b(daily|weekly|monthly|"
                     r"annually|yearly)\b|\bthe\s+(?:average|typical)\s+(week|year|month|day)\b", re.IGNORECASE)
_PERIODS = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year"}
_CLAUSE_MARK = re.compile(r"(?<!\d),|,(?!\d)|[;:()\u2013\u2014]|\s-\s"
                          r"|\s(?:and|but|while|whereas|yet|although|though|against|"
                          r"compared with|than|versus|vs)\s", re.IGNORECASE)
_NATIONAL = re.compile(r"\b(?:england|english|nationally|national|nationwide|across the country|the country|"
                       r"countrywide|in total|altogether|overall|between them|all pcts|every pct)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:that|this|which)\b"
                      r"|\b(?:it|its|it's|itself|the trust|the pct|the care trust|the primary care trust|the area|"
                      r"the organisation|the authority|this trust|this pct|this area)\b", re.IGNORECASE)
_RANK = re.compile(r"\b(?:the\s+)?(?P<ord>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                   r"\d+(?:st|nd|rd|th))[\s-]+(?P<dir>highest|largest|biggest|greatest|most|worst|lowest|smallest|"
                   r"fewest|least|best)\b", re.IGNORECASE)
_RANK_ONE = re.compile(r"\bthe\s+(?P<dir>highest|largest|biggest|greatest|most|worst|lowest|smallest|fewest|least)"
                       r"\b(?=[^.;:]*?\b(?:of|in)\s+(?:any|all|every)\b)", re.IGNORECASE)
# The areas together, as a sentence's subject ("the PCTs that answered", "trusts"): not one area
_AREAS_PLURAL = re.compile(r"\b(?:pcts|trusts|areas|primary care trusts|care trusts)\b", re.IGNORECASE)
# Words that say a national total is the areas' ("the PCTs spent £1.4m between them"), not another body's
_AREAS_CUE = re.compile(r"\b(?:pcts?|trusts|areas|primary care trusts|health authorities|locally|local|between them|"
                        r"in total|altogether|combined|together|the rest)\b", re.IGNORECASE)
_SAME_MEASURE = re.compile(r"\b(?:the|that|this|its|the same)\s+(?:national\s+|local\s+)?(?:figure|rate|share|"
                           r"proportion|number|total|average)\b", re.IGNORECASE)
_SOME_AREAS = re.compile(r"\b(?:some|several|many|a few|a number of|a handful of|other|a minority of)\s+"
                         r"(?:of\s+the\s+)?(?:other\s+)?(?:areas|pcts|trusts|primary care trusts|places)\b"
                         r"|\bin\s+(?:\w+|\d+)\s+(?:out\s+)?of\s+(?:the|its|their|england's)\s+(?:[\w,-]+\s+){0,2}?"
                         r"(?:areas|pcts|trusts|primary care trusts)\b"
                         r"|\bin\s+(?:the\s+)?(?:worst|hardest)[\w-]*\s+(?:area|pct|trust)\b"
                         r"|\bin\s+(?:one|an|a single)\s+(?:area|pct|trust)\b", re.IGNORECASE)
# An area the sentence does not name ("one PCT", "a neighbouring trust", "another", "one of the PCTs"): its
# figures are that area's, neither England's nor those of the area named before. (Not "a trust spokesman".)
_ONE_AREA = re.compile(r"\b(?:one|a|an|another|one other|a single|a second|a third)\s+(?:[a-z-]+\s+)?"
                       r"(?:pct|primary care trust|care trust|trust|area|health authority)\b"
                       r"(?!['\u2019]s\s+(?:spokes|official|press|board|chief|director|manager))"
                       r"(?!\s+(?:spokes\w*|officials?|press|board|chief|director|manager|boss|in\s+\w+\b|"
                       r"of\s+(?:its|that|this)\b|its\s+size|like\s+(?:it|this)\b))"
                       r"|\b(?:its|a|one|their)\s+(?:[a-z-]+\s+)?neighbou?rs?\b(?!\s+(?:pct|trust|area)s?\b)"
                       r"|\bone\s+of\s+(?:the|its|england's)\s+(?:[\w,-]+\s+){0,2}?(?:pcts|trusts|areas|"
                       r"primary care trusts)\b", re.IGNORECASE)
UNNAMED = "?unnamed"
"""The subject of a figure said of an area the draft does not name: the run can check none of its figures."""
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
             "tenth": 10}
_DESCENDING = ("highest", "largest", "biggest", "greatest", "most", "worst")
_RATE_BASE = re.compile(r"\b(?:per|for every|every|a)\s+$", re.IGNORECASE)
# A change ("a further 12", "up 3%", "rose by 2%", "a 5% rise", "12 more"), not a level the run holds.
_CHANGE_BEFORE = re.compile(
    r"(?:\b(?:up|down|rose|risen|rising|fell|fallen|falling|increased?|decreased?|grew|grown|dropped|climbed|"
    r"jumped|cut|reduced?|swelled|shrank|shrunk)\s+by|\b(?:rise|increase|fall|drop|decrease|growth|jump|cut|"
    r"reduction|change|swing)\s+of|(?<!signed\s)(?<!sign\s)(?<!set\s)(?<!took\s)(?<!taken\s)(?<!made\s)\bup|"
    r"(?<!turned\s)(?<!turn\s)(?<!shut\s)\bdown)\s+$", re.IGNORECASE)
_INCREMENT_BEFORE = re.compile(r"\b(?:a further|another|an extra|an additional)\s+$", re.IGNORECASE)
_CHANGE_AFTER = re.compile(r"\s+(?:more|fewer|extra|additional)\s+(?:than\s+(?:in|last|the\s+year)|this|since)\b"
                           r"|\s+(?:more|fewer)\s+(?:than\s+)?(?:a\s+year|last\s+year)"
                           r"|\s*(?:rise|increase|fall|drop|decrease|jump|up on|down on)\b"
                           r"|\s+(?:higher|lower|more|fewer|less)\s+than\s+(?:in|last|the\s+previous|a\s+year)\b",
                           re.IGNORECASE)

_ORDINARY_WHY = {
    "year": "a year", "date": "a date or time", "label": "a label (a name, section, footnote or phone number)",
    "ordinal": "an ordinal (a position in a list)", "multiple": "a multiple (\"ten times\", \"twice\")",
    "vague": "a vague quantity (\"dozens\", \"almost all\")", "other": "digits no form of number reads",
}


# ----------------------------------------------------------------------------------------------------
# Subjects: the areas a draft names


# Places a draft may name that are not England or one of its areas: the run has no facts about them.
_ELSEWHERE = ("Scotland", "Wales", "Northern Ireland", "Scottish", "Welsh", "Ireland", "the United States", "the US",
              "America", "Europe", "France", "Germany", "Denmark", "the Netherlands")
# A sentence that gives its figure from another source: a poll, a survey, a study, another body's count.
_OTHER_SOURCE = re.compile(r"\b(?:poll|polls|survey|surveys|surveyed|study|studies|research|researchers|estimates?|"
                           r"estimated|audit office|nao|bma|the department of health|ministers?|the government|"
                           r"connecting for health|the king's fund|nuffield|think[- ]tank)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Names:
    pattern: re.Pattern | None
    codes: dict  # a name as written (lower case) -> ODS code
    names: dict  # ODS code -> the name a story prints


@functools.lru_cache(maxsize=8)
def _names(subjects: tuple[tuple[str, str], ...]) -> _Names:
    """Every name an area is written by: the fact base's names, and the reference table's ("NHS Dorset",
    "Dorset PCT", "Dorset Primary Care Trust", "Torbay Care Trust", its aliases, its bare name)."""
    codes: dict[str, str] = {}
    shown = dict(subjects)
    rows = []
    try:
        with open(paths.PCT_REFERENCE, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError:
        rows = []
    for row in rows:
        code, name, kind = row.get("ods_code", ""), row.get("name", "").strip(), row.get("org_type", "PCT") or "PCT"
        if not code or not name:
            continue
        aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        bare = [name, re.sub(r"\s+Teaching$", "", name)] + [a[4:] for a in aliases if a.startswith("NHS ")]
        written = {*aliases, f"NHS {name}", f"{name} PCT", f"{name} Primary Care Trust", f"{name} {kind}",
                   *(f"{b} PCT" for b in bare), *(f"NHS {b}" for b in bare), *bare}
        for text in written:
            codes.setdefault(text.lower(), code)
        shown.setdefault(code, next((a for a in aliases if a.startswith("NHS ")), f"NHS {name}"))
    for row in rows:  # the strategic health authorities: named, but the run has no facts about them
        if row.get("sha_name") and row.get("sha_ods_code"):
            codes.setdefault(row["sha_name"].strip().lower(), row["sha_ods_code"])
            codes.setdefault(f"nhs {row['sha_name'].strip().lower()}", row["sha_ods_code"])
            shown.setdefault(row["sha_ods_code"], f"NHS {row['sha_name'].strip()}")
    for place in _ELSEWHERE:  # places the run has no facts about at all
        codes.setdefault(place.lower(), "?" + place)
        shown.setdefault("?" + place, place)
    for code, name in subjects:
        if code != ENGLAND:
            codes.setdefault(name.lower(), code)
    if not codes:
        return _Names(None, {}, shown)
    alternatives = "|".join(re.escape(n) for n in sorted(codes, key=len, reverse=True))
    # names are proper nouns: matched as written, with a capital (a bare "Dorset", never "dorset")
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return _Names(pattern, codes, shown)


def _named(sentence: str, names: _Names) -> list[tuple[int, int, str]]:
    """The areas ``sentence`` names, as (start, end, code), in order."""
    if names.pattern is None:
        return []
    out = []
    for m in names.pattern.finditer(sentence):
        if not m.group(0)[0].isupper():
            continue
        out.append((m.start(), m.end(), names.codes[m.group(0).lower()]))
    return out


# ----------------------------------------------------------------------------------------------------
# Comparing a number with a fact


def _holds(number: numbers.Number, value: float, unit: str) -> bool:
    """Whether ``value`` (a fact, in its unit) matches ``number`` at its printed precision (bounds unrounded)."""
    kind, printed = number.kind, number.value
    if kind in ("percent", "one_in", "fraction"):
        if unit != "share":
            return False
        if kind == "percent":
            scaled = value * 100
            if number.bound:
                return _bound(number.bound, scaled, printed)
            return words.round_half_up(scaled, int(number.decimals)) == printed
        if kind == "one_in":
            if number.bound:
                return _bound(number.bound, value, 1 / printed)
            return value > 0 and words.one_in(min(value, 1)) == int(printed)
        n = number.denominator or 1
        if number.bound:
            return _bound(number.bound, value, printed)
        if round(printed * n) == 1:
            return value > 0 and words.one_in(min(value, 1)) == n
        return round(value * n) == round(printed * n)
    if unit == "share":
        return False
    if number.bound:
        return _bound(number.bound, value, printed)
    return words.round_half_up(value, _places(number)) == printed


_HEDGE = re.compile(r"^(?:nearly|almost|about|around|roughly|some|approximately|close to|getting on for|over)\b",
                    re.IGNORECASE)


def _places(number: numbers.Number) -> int:
    """The decimal places a number is checked to: as printed, except that a hedged round number ("nearly
    300", "about 40") is as precise as its last non-zero digit, as a round number of 1,000 or more is."""
    places = int(number.decimals)
    if places == 0 and _HEDGE.match(number.text) and isinstance(number.value, int) and number.value:
        text = str(abs(number.value))
        places = -(len(text) - len(text.rstrip("0")))
    return places


def _bound(bound: str, value: float, printed: float) -> bool:
    return {"less_than": value < printed, "more_than": value > printed, "at_least": value >= printed,
            "at_most": value <= printed}[bound]


def round_number(value: float) -> float:
    """``value`` to 12 significant digits, as :func:`scr_lib.precision.round_number` rounds it (that module
    imports pandas, which `scr draft` does without: it would double its time)."""
    return float(format(float(value), ".12g")) if math.isfinite(value) and value else float(value)


def _trim(number: float, places: int) -> str:
    text = f"{number:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _full(value: float, unit: str, number: numbers.Number | None = None) -> str:
    """A fact's value in words at full precision (never rounded to the draft's): a count exactly, money to
    the penny, a share as a percentage one place finer than the draft printed (at least one place)."""
    if unit == "share":
        places = max(1, (int(number.decimals) + 1) if number is not None and number.kind == "percent" else 1)
        if abs(value) < 0.01:
            places = max(places, 2)
        return f"{_trim(value * 100, places)}%"
    if unit == "pounds":
        return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return _trim(value, 2 if abs(value) >= 1 else 4)


def _difference(number: numbers.Number, fact: Fact) -> tuple[float | None, str]:
    """Printed minus the fact, in the number's unit, and in words ("2 more than the data")."""
    if number.kind == "one_in" and not number.bound:
        n = words.one_in(min(fact.value, 1)) if fact.value > 0 else None
        return None, (f"the data give about one in {words.number_words(n)}" if n else "the data give none")
    if number.kind == "fraction" and not number.bound:
        return None, f"the data give {_full(fact.value, 'share')}"
    if number.bound:
        side = {"less_than": "below", "more_than": "above", "at_least": "at least", "at_most": "at most"}[number.bound]
        return None, f"the data's {_full(fact.value, fact.unit, number)} is not {side} the draft's figure"
    if number.kind == "percent":
        diff = round_number(number.value - fact.value * 100)
        places = max(1, int(number.decimals) + 1)
        amount = f"{_trim(abs(diff), places)} percentage point{'s' if abs(diff) != 1 else ''}"
        return diff, f"{amount} {'more' if diff > 0 else 'less'} than the data"
    diff = round_number(float(number.value) - float(fact.value))
    if fact.unit == "pounds":
        amount = f"£{abs(diff):,.0f}" if float(diff).is_integer() else f"£{abs(diff):,.2f}"
        return diff, f"{amount} {'more' if diff > 0 else 'less'} than the data"
    amount = _trim(abs(diff), 2 if abs(diff) >= 1 else 4)
    return diff, f"{amount} {'more' if diff > 0 else 'fewer' if fact.unit == 'count' else 'less'} than the data"


# ----------------------------------------------------------------------------------------------------
# The checker


@dataclass
class _Candidate:
    measure: Measure
    matched: int  # distinct phrases of the measure found
    distance: int  # tokens between the nearest phrase and the number
    near: bool = True  # found in the number's clause (False: only elsewhere in its sentence)


class _Checker:
    """Checks numbers against one fact base; keeps the carried subject between sentences and paragraphs."""

    def __init__(self, base: FactBase):
        self.base = base
        self.names = _names(tuple(base.subjects().items()))
        self.measures = list(findings.MEASURES.values())
        self.area_measures = {f.measure for f in base if f.subject != ENGLAND}
        self.phrases = {m.name: [(p, _phrase(p)) for p in m.words] for m in self.measures}
        self.needs = {m.name: {_phrase(p) for p in m.needs} for m in self.measures}
        self.nouns = {m.name: [_raw(p) for p in m.counts] for m in self.measures}
        self.all_nouns = {p for ps in self.nouns.values() for p in ps}
        self.area_nouns = {_raw(p) for p in PCTS}
        self.ordinary_nouns = {_raw(p) for p in _ORDINARY_NOUNS}
        self.noun_starts = _by_first_word(self.all_nouns)  # the nouns by their first word, longest first
        self.any_noun_starts = _by_first_word(self.all_nouns | self.ordinary_nouns)
        self.context = _context_quotes()
        self.carried: str | None = None  # the subject carried from earlier sentences
        self.carried_paragraph = 0
        self.named_in_draft: list[str] = []
        self.last_named: str | None = None  # the last area named, kept through a national sentence for "it"
        self.previous = ""  # the sentence before, in the same paragraph
        self.last_measure: dict[str, Measure] = {}  # by unit: what "the figure" refers to
        self.descending: dict[int, bool] = {}  # a rank's way, by where it starts in its sentence
        self._words = ""

    # -- subjects ------------------------------------------------------------------------------

    def subject_of(self, sentence: str, number: numbers.Number, named, paragraph: int, clause: tuple[int, int]):
        """(subject code, how firm: "named", "pronoun", "national", "carried" (weak: named paragraphs ago) or
        "none")."""
        in_clause = _NATIONAL.search(sentence, clause[0], clause[1])
        marker = in_clause or _NATIONAL.search(sentence, 0, number.start)
        unnamed = [m.end() for m in _ONE_AREA.finditer(sentence) if m.end() <= number.start
                   and not any(m.end() <= s < number.start for s, _, _ in named)]
        if unnamed and not in_clause and not (marker and marker.start() >= unnamed[-1]):
            return UNNAMED, "named"  # "one PCT had invited 40 practices": an area the draft does not name
        if marker and not any(marker.end() <= s < number.start for s, _, _ in named):
            return ENGLAND, "national"  # "nationally", "across England": in its clause, or before it
        if named:
            before = [code for s, e, code in named if e <= number.start]
            return (before[-1] if before else named[0][2]), "named"
        plural = [m.end() for m in _AREAS_PLURAL.finditer(sentence, 0, number.start)]
        if plural and not _PRONOUN.search(sentence, plural[-1], number.start):
            return ENGLAND, "national"  # "the PCTs that gave figures had spent £1.4 million": theirs, together
        if (self.carried or self.last_named) and _PRONOUN.search(sentence):
            return self.carried or self.last_named, "pronoun"
        if self.carried and self.carried_paragraph == paragraph:
            return self.carried, "pronoun"
        if _NATIONAL.search(sentence):
            return ENGLAND, "national"
        if self.carried:
            return self.carried, "carried"
        return ENGLAND, "none"

    # -- measures ------------------------------------------------------------------------------

    def candidates(self, sentence: str, tokens, number: numbers.Number, clause: tuple[int, int],
                   kinds: set[str], noun, period: str | None, only_of: bool = False) -> list[_Candidate]:
        """The measures that fit ``number``, best first (ties share the first place)."""
        at = [i for i, (_, s, e) in enumerate(tokens) if s < number.end and e > number.start]
        first, last = (at[0], at[-1]) if at else (0, 0)
        fitting = []
        for m in self.measures:
            if m.unit not in kinds or (only_of and not m.of):
                continue
            if (m.per or None) != period:
                continue
            if noun is not None and m.unit != "pounds" and noun not in self.nouns[m.name]:
                continue
            fitting.append(m)
        for near, scope in ((True, clause), (False, (0, len(sentence)))):
            found = []
            for m in fitting:
                seen, nearest, has_need = set(), None, not self.needs[m.name]
                for text, phrase in self.phrases[m.name]:
                    for a, b in _occurrences(tokens, phrase):
                        if tokens[a][1] < scope[0] or tokens[b - 1][2] > scope[1]:
                            continue
                        if a <= last and b > first:  # the number's own words ("none") are not its measure's
                            continue
                        seen.add(phrase)
                        has_need = has_need or phrase in self.needs[m.name]
                        gap = max(0, a - last - 1, first - b)
                        nearest = gap if nearest is None else min(nearest, gap)
                if seen and has_need:
                    found.append(_Candidate(m, len(seen), nearest, near))
            if found:
                found.sort(key=lambda c: (-c.matched, c.distance))
                best = (found[0].matched, found[0].distance)
                return [c for c in found if (c.matched, c.distance) == best]
        return []

    def noun_of(self, tokens, number: numbers.Number, end: int) -> tuple | None:
        """What a count counts: a noun phrase of a measure (or an ordinary noun) starting within three words
        after ``end`` (the number's end, or its whole's in "X of Y"); None when there is none."""
        after = [i for i, (_, s, _) in enumerate(tokens) if s >= end][:4]
        raw = [self._words[s:e].lower() for _, s, e in tokens]
        for i in after:
            for phrase in self.any_noun_starts.get(raw[i], ()):
                if tuple(raw[i:i + len(phrase)]) == phrase:
                    return phrase
        return None

    def noun_in(self, tokens, clause: tuple[int, int]) -> tuple | None:
        """The first measure noun in the clause, for a count with no noun after it ("286 declined")."""
        raw = [self._words[s:e].lower() for _, s, e in tokens]
        for i, (_, s, e) in enumerate(tokens):
            if s < clause[0] or e > clause[1]:
                continue
            for phrase in self.noun_starts.get(raw[i], ()):
                if tuple(raw[i:i + len(phrase)]) == phrase:
                    return phrase
        return None

    # -- verdicts ------------------------------------------------------------------------------

    def fact(self, subject: str, measure: Measure) -> tuple[Fact | None, str]:
        """The fact of ``measure`` for ``subject`` (England's for a measure the run has only for England)."""
        if subject != ENGLAND and measure.name not in self.area_measures:
            subject = ENGLAND
        return self.base.get(subject, measure.name), subject

    def describe(self, fact: Fact, measure: Measure, number: numbers.Number | None) -> str:
        """The fact in words: "NHS Newcastle: 27 of its 53 invited practices declined"."""
        whole = self.base.get(fact.subject, measure.of) if measure.of else None
        whole_measure = findings.MEASURES.get(measure.of) if measure.of else None
        text = measure.sentence(fact.value, whole.value if whole else None, whole_measure,
                                shown=_full(fact.value, fact.unit, number),
                                shown_whole=_full(whole.value, whole.unit) if whole else None)
        if fact.subject == ENGLAND:
            text = text.replace(" its ", " the ")
            return f"England: {text}" if "england" not in text.lower() else text[0].upper() + text[1:]
        return f"{fact.subject_name}: {text}"

    def elsewhere(self, number: numbers.Number, fact: Fact, measure: Measure) -> str:
        """Whose figure ``number`` is, when it is not ``fact``'s subject's: another subject's of the same measure
        (one the draft names, or England), else another measure's of the same subject."""
        name = fact.subject_name if fact.subject != ENGLAND else "England"
        label = measure.label or measure.name.replace("_", " ")
        named = dict.fromkeys([*self.named_in_draft, ENGLAND])
        if number.bound:  # a bound is true of many figures: it says nothing of whose it is
            return ""
        for code in named:
            other = self.base.get(code, measure.name)
            if other is not None and code != fact.subject and _holds(number, other.value, other.unit):
                who = "England's" if code == ENGLAND else f"{other.subject_name}'s"
                mine = "England's" if fact.subject == ENGLAND else f"{name}'s"
                return f"{number.text} is {who} {label}, not {mine}" + (
                    " (an illustrative value)" if other.illustrative else "")
        for other in self.base.for_subject(fact.subject):
            m = findings.MEASURES.get(other.measure)
            if m is None or m.name == measure.name or m.unit != measure.unit:
                continue
            if measure.unit == "count" and not set(m.counts) & set(measure.counts):
                continue
            if _holds(number, other.value, other.unit):
                whose = "England's" if fact.subject == ENGLAND else f"{name}'s"
                return f"{number.text} is {whose} {m.label or m.name}, not its {label}"
        return ""

    def rank_of(self, subject: str, measure: Measure, descending: bool) -> tuple[int | None, int, bool]:
        """(rank, of how many, illustrative) of ``subject`` among the areas with a fact of ``measure``; ties
        share the better rank."""
        facts = [f for f in self.base.for_measure(measure.name) if f.subject != ENGLAND]
        mine = next((f for f in facts if f.subject == subject), None)
        if mine is None:
            return None, len(facts), False
        better = sum(1 for f in facts if (f.value > mine.value if descending else f.value < mine.value))
        return better + 1, len(facts), any(f.illustrative for f in facts)

    def judge(self, row: Checked, number: numbers.Number, subject: str, firm: str, candidates: list[_Candidate]):
        """Fill in ``row``'s verdict from the facts of its ``candidates`` for ``subject``."""
        if not candidates:
            row.verdict, row.note = Verdict.UNCHECKED, ("no measure of the run fits it (no words near it say "
                                                        "what it counts): check it by hand")
            return
        if subject != ENGLAND and firm in ("named", "pronoun") and \
                any(c.measure.name in self.area_measures for c in candidates):
            candidates = [c for c in candidates if c.measure.name in self.area_measures]  # an area's, not England's
        tried = []  # (measure, fact, holds)
        for c in candidates:
            fact, used = self.fact(subject, c.measure)
            tried.append((c.measure, fact, fact is not None and _holds(number, fact.value, fact.unit)))
            if firm == "carried" and not tried[-1][2] and used != ENGLAND:
                national = self.base.get(ENGLAND, c.measure.name)
                if national is not None and _holds(number, national.value, national.unit):
                    tried[-1] = (c.measure, national, True)
        supported = [t for t in tried if t[2]]
        if supported:
            measure, fact, _ = supported[0]
            self.fill(row, measure, fact, number)
            row.verdict = Verdict.SUPPORTED
            return
        with_fact = [t for t in tried if t[1] is not None]
        if subject == UNNAMED and not supported:
            row.verdict = Verdict.UNCHECKED
            row.note = ("it is said of an area the draft does not name (\"one PCT\", \"a neighbouring trust\"): "
                        "name the area, or check it by hand")
            return
        if not with_fact:
            measure = candidates[0].measure
            whom = self.names.names.get(subject, subject) if subject != ENGLAND else "England"
            row.measure, row.measure_label = measure.name, measure.label
            row.subject, row.subject_name = subject, whom
            row.verdict = Verdict.UNCHECKED
            row.note = (f"the run has no figure for {whom}'s {measure.label or measure.name} (not given, or not "
                        "in these returns): check it by hand")
            return
        if len(with_fact) > 1 or len(candidates) > 1:
            row.verdict = Verdict.UNCHECKED
            labels = " or ".join(dict.fromkeys(t[0].label for t in tried))
            row.note = f"it could be {labels}, and matches none: say which, or check it by hand"
            return
        measure, fact, _ = with_fact[0]
        if _OTHER_SOURCE.search(row.sentence):
            row.verdict = Verdict.UNCHECKED
            self.fill(row, measure, fact, number)
            row.note = (f"the sentence gives it from another source (a poll, a study, another body), not from "
                        f"these returns; the run's figure: {row.fact_text}. Check it against that source")
            return
        if firm == "carried":
            row.verdict = Verdict.UNCHECKED
            self.fill(row, measure, fact, number)
            row.note = (f"whose figure this is is not clear (the draft last named {fact.subject_name}, in an "
                        f"earlier paragraph): name the area, or check it by hand")
            return
        if fact.subject == ENGLAND and subject != ENGLAND and firm in ("named", "pronoun"):
            row.verdict = Verdict.UNCHECKED
            self.fill(row, measure, fact, number)
            whom = self.names.names.get(subject, subject)
            row.note = (f"it reads as England's {measure.label} ({row.fact_text}), but the sentence is about "
                        f"{whom}: say which, or check it by hand")
            return
        if fact.subject == ENGLAND and measure.sums and not (_AREAS_CUE.search(row.sentence) or
                                                              _AREAS_CUE.search(self.previous)):
            row.verdict = Verdict.UNCHECKED
            self.fill(row, measure, fact, number)
            row.note = (f"England's figure here is the total of the PCTs that gave one ({row.fact_text}); the "
                        "draft does not say it means theirs: say so, or check it by hand")
            return
        if not candidates[0].near:
            row.verdict = Verdict.UNCHECKED
            self.fill(row, measure, fact, number)
            row.note = (f"the words that would make it {measure.label} are not near it: say what it counts, or "
                        "check it by hand")
            return
        self.fill(row, measure, fact, number)
        elsewhere = self.elsewhere(number, fact, measure)
        if elsewhere.endswith(f"not its {measure.label or measure.name}"):  # its own figure of another measure:
            row.verdict = Verdict.UNCHECKED                              # more likely read wrong than written wrong
            row.note = f"{elsewhere}? It reads as {row.fact_text}: say which, or check it by hand"
            return
        row.verdict = Verdict.CONTRADICTED
        row.difference, row.difference_text = _difference(number, fact)
        row.elsewhere = elsewhere

    def fill(self, row: Checked, measure: Measure, fact: Fact, number: numbers.Number):
        self.last_measure[measure.unit] = measure
        row.subject, row.subject_name = fact.subject, fact.subject_name
        row.measure, row.measure_label = measure.name, measure.label
        row.fact, row.fact_text = fact.value, self.describe(fact, measure, number)
        row.illustrative = fact.illustrative

    # -- a sentence ----------------------------------------------------------------------------

    def sentence(self, sentence: str, block: Block, paragraph: int, base_offset: int, out: list, ordinary: list):
        found = numbers.find(sentence)
        named = _named(sentence, self.names)
        tokens = _tokens(sentence)
        self._words = sentence
        self.descending = {}
        ranks = self.ranks(sentence, found)
        found = [n for n in found if not any(r.start <= n.start < r.end for r in ranks)] + ranks
        found.sort(key=lambda n: n.start)
        context = self.context_numbers(sentence, found)
        figures, places = [], {}
        for i, number in enumerate(found):
            start = base_offset + number.start
            row = Checked(paragraph, block.line_at(start), block.where, start, base_offset + number.end, sentence,
                          number.text, number.kind, number.value, number.precision())
            why = self.ordinary_why(sentence, tokens, number)
            if why:
                row.note = why
                ordinary.append(row)
                continue
            out.append(row)
            if i in context:
                row.verdict, row.note = Verdict.UNCHECKED, f"context: not checkable, because {context[i]}"
                continue
            places[len(figures)] = row
            figures.append(number)
        for i, number in enumerate(figures):  # the ordinary numbers ("per 1,000") do not split clauses
            if i not in places:
                continue
            row = places[i]
            if self.is_change(sentence, number):
                row.relation, row.verdict = "change", Verdict.UNCHECKED
                row.note = ("a change (\"up 3%\", \"12 more than last year\"), not a level the run holds: "
                            "check it by hand")
                continue
            self.check_number(row, sentence, tokens, figures, i, named, paragraph)
        unnamed = [m.end() for m in _ONE_AREA.finditer(sentence) if not any(s >= m.end() for s, _, _ in named)]
        if unnamed and not _NATIONAL.search(sentence, unnamed[-1]):  # "It" after "One PCT ..." is that PCT
            self.carried, self.carried_paragraph = UNNAMED, paragraph
        elif named:
            self.carried, self.carried_paragraph = named[-1][2], paragraph
            self.last_named = named[-1][2]
            self.named_in_draft += [code for _, _, code in named if code not in self.named_in_draft]
        elif _NATIONAL.search(sentence):
            self.carried = None
        elif _PRONOUN.search(sentence) and (self.carried or self.last_named):
            self.carried, self.carried_paragraph = self.carried or self.last_named, paragraph
        self.previous = sentence

    def ordinary_why(self, sentence: str, tokens, number: numbers.Number) -> str:
        if number.kind in _ORDINARY_WHY:
            return _ORDINARY_WHY[number.kind] + ", not a figure of the data"
        if number.kind == "count" and _RATE_BASE.search(sentence[max(0, number.start - 12):number.start]) and \
                re.match(r"\s*(?:people|patients|population|residents|head|of the population)\b",
                         sentence[number.end:], re.IGNORECASE):
            return "the base of a rate (\"per 1,000 people\"), not a figure of the data"
        if number.kind == "count" and number.of is None and number.whole_of is None:
            noun = self.noun_of(tokens, number, number.end)
            if noun in self.ordinary_nouns:
                return "an age, a duration or a distance, not a figure of the data"
            before, after = sentence[:number.start], sentence[number.end:]
            if isinstance(number.value, int) and 0 < number.value < 120 and re.search(r",\s*$", before) and \
                    re.match(r"\s*,", after) or re.search(r"\baged\s+$", before, re.IGNORECASE):
                return "an age, not a figure of the data"
            if re.match(r"\s+(?:[A-Z][a-z]+\s+)?(?:Street|Road|Lane|Avenue|Way|Close|Drive|Place|Square|Row|Hill|"
                        r"Terrace|Crescent|Gardens|Walk|Court)\b", after):
                return "an address, not a figure of the data"
        return ""

    def is_change(self, sentence: str, number: numbers.Number) -> bool:
        before = sentence[max(0, number.start - 40):number.start]
        if _INCREMENT_BEFORE.search(before) and number.kind != "money":
            return True
        return bool(_CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(sentence, number.end))

    def ranks(self, sentence: str, found: list[numbers.Number]) -> list[numbers.Number]:
        """Ranks as numbers of kind 'rank' ("the second-highest", "36th highest"; "the most ... of any" is 1
        when the sentence is about one area)."""
        out = []
        for m in _RANK.finditer(sentence):
            token = m.group("ord").lower()
            value = _ORDINALS.get(token) or int(re.match(r"\d+", token).group(0))
            out.append(numbers.Number(m.group(0), m.start(), m.end(), "rank", value, 0))
            self.descending[m.start()] = m.group("dir").lower() in _DESCENDING
        for m in _RANK_ONE.finditer(sentence):
            if any(r.start <= m.start() < r.end for r in out) or any(n.start <= m.start() < n.end for n in found):
                continue
            out.append(numbers.Number(m.group(0), m.start(), m.end(), "rank", 1, 0))
            self.descending[m.start()] = m.group("dir").lower() in _DESCENDING
        return out

    def context_numbers(self, sentence: str, found: list[numbers.Number]) -> dict[int, str]:
        """The numbers of a context quote of the claims ledger (a figure the articles printed that the data
        cannot check, with its reason), with any figure in the place of the quote's own, by their place in
        ``found``."""
        template = _template(sentence, found)
        out = {}
        for quote, reason in self.context:
            at = template.find(quote)
            if at < 0:
                continue
            first = template[:at].count(_MASK)
            for i in range(first, first + quote.count(_MASK)):
                out[i] = reason
        return out

    def check_number(self, row: Checked, sentence: str, tokens, found: list, i: int, named, paragraph: int):
        number = found[i]
        block_where = row.where
        if not _nil(number) and any(_nil(n) for n in found):  # "40 PCTs spent nothing": one clause, its words
            splitting = [n for n in found if n is number or not _nil(n)]
            clause = _clause(sentence, splitting, splitting.index(number))
        else:
            clause = _clause(sentence, found, i)
        subject, firm = self.subject_of(sentence, number, named, paragraph, clause)
        if number.kind == "rank":
            row.relation = "rank"
            self.check_rank(row, sentence, tokens, number, clause, subject, firm)
            return
        if number.bound:
            row.relation = "bound"
        if number.kind in ("percent", "one_in", "fraction"):
            row.relation = "share" if not number.bound else "bound"
            kinds, noun = {"share"}, self.noun_of(tokens, number, number.end)
            if noun is not None and noun not in self.all_nouns:
                noun = None
        elif number.kind == "money":
            kinds, noun = {"pounds"}, None
        else:
            kinds = {"count", "rate", "number"}
            end = number.end
            if number.of is not None and i + 1 < len(found):
                end = found[i + 1].end
            noun = self.noun_of(tokens, number, end) or self.noun_in(tokens, clause)
            if noun is not None and noun not in self.all_nouns:
                noun = None
        period = self.period(sentence, clause)
        if number.whole_of is not None and i > 0:  # the whole of "X of Y": the measure its part is of
            part = self.candidates(sentence, tokens, found[i - 1], _clause(sentence, found, i - 1), kinds, noun,
                                   period, only_of=True)
            wholes = {c.measure.of for c in part}
            if len(wholes) == 1:
                whole = findings.MEASURES[wholes.pop()]
                self.judge(row, number, subject, firm, [_Candidate(whole, 1, 0)])
                return
            if part:
                row.verdict, row.note = Verdict.UNCHECKED, "the whole of a ratio whose measure is not clear"
                return
        if number.of is not None:
            part = self.candidates(sentence, tokens, number, clause, kinds, noun, period, only_of=True)
            if part:
                self.judge(row, number, subject, firm, part)
                return
        if number.kind == "count" and noun is None:
            # a count whose noun is not said ("286 declined"): the noun of its sentence (or the one before),
            # and only a measure whose words are close to it may claim it
            present = self.nouns_near(sentence)
            close = [c for c in self.candidates(sentence, tokens, number, clause, kinds, None, period)
                     if c.distance <= 3 and c.measure.unit != "rate"]
            candidates = [c for c in close if present & set(self.nouns[c.measure.name])]
            if not candidates and len(close) == 1 and close[0].near and close[0].distance <= 1 and \
                    block_where == "table":
                candidates = close  # a table's column heading says what it counts ("Declined = 24")
            if not candidates:
                row.verdict = Verdict.UNCHECKED
                row.note = "no words near it say what it counts: check it by hand"
                return
        else:
            candidates = self.candidates(sentence, tokens, number, clause, kinds, noun, period)
        if not candidates and _SAME_MEASURE.search(sentence, clause[0], clause[1]):
            last = [self.last_measure[k] for k in sorted(kinds) if k in self.last_measure]
            candidates = [_Candidate(last[0], 1, 0)] if len(last) == 1 else []
        if not candidates and kinds == {"share"} and self.previous and (
                _SAME_MEASURE.search(sentence, clause[0], clause[1]) or _NATIONAL.search(sentence, clause[0], clause[1])):
            # "That compares with 16.5% nationally" after "24 of its 55 invited practices declined": the share of
            # the sentence before; its words are not near, so it is never contradicted on this reading
            before = _tokens(self.previous)
            words_before, self._words = self._words, self.previous
            end = numbers.Number("", len(self.previous), len(self.previous), number.kind, number.value, 0)
            candidates = [_Candidate(c.measure, c.matched, c.distance, near=False) for c in
                          self.candidates(self.previous, before, end, (0, len(self.previous)), kinds, None, period)]
            self._words = words_before
        if _nil(number) and subject == ENGLAND:
            # "37 PCTs had spent nothing": what each of them spent, never England's total; true when one area did
            some = [c for c in candidates if c.measure.name in self.area_measures]
            if some:
                self.judge_some(row, number, some)
                if row.verdict is not Verdict.CONTRADICTED:
                    return
            row.verdict, row.relation, row.difference_text = Verdict.UNCHECKED, "some areas", ""
            row.note = "\"nothing\" said of PCTs together, and true of none that fits: check it by hand"
            return
        if not named and _SOME_AREAS.search(sentence) and not (noun and noun in self.area_nouns):
            if any(c.measure.name in self.area_measures for c in candidates):
                self.judge_some(row, number, [c for c in candidates if c.measure.name in self.area_measures])
                return
        self.judge(row, number, subject, firm, candidates)

    def judge_some(self, row: Checked, number: numbers.Number, candidates: list[_Candidate]):
        """A figure said of "some areas": supported when it is true of at least one area."""
        row.relation = "some areas"
        for c in candidates:
            holders = [f for f in self.base.for_measure(c.measure.name)
                       if f.subject != ENGLAND and _holds(number, f.value, f.unit)]
            if holders:
                first = holders[0]
                row.measure, row.measure_label, row.subject = c.measure.name, c.measure.label, None
                row.verdict, row.illustrative = Verdict.SUPPORTED, any(f.illustrative for f in holders)
                row.fact_text = (f"true of {len(holders):,} area{'s' if len(holders) != 1 else ''}, such as "
                                 f"{self.describe(first, c.measure, number)}")
                return
        if len(candidates) == 1 and candidates[0].near:
            m = candidates[0].measure
            facts = [f for f in self.base.for_measure(m.name) if f.subject != ENGLAND]
            top = max(facts, key=lambda f: f.value)
            row.measure, row.measure_label = m.name, m.label
            row.verdict, row.illustrative = Verdict.CONTRADICTED, top.illustrative
            row.fact, row.fact_text = top.value, f"true of no area: the highest is {self.describe(top, m, number)}"
            row.difference_text = "no area matches"
            return
        row.verdict, row.note = Verdict.UNCHECKED, "said of some areas, and true of none that fits: check it by hand"

    def nouns_near(self, sentence: str) -> set:
        """The nouns of the suite in ``sentence`` and the one before it (what a count that does not say what
        it counts, "286 declined", may be counting)."""
        found = set()
        for text in (sentence, self.previous):
            raw = _raw(text)
            for i, word in enumerate(raw):
                found |= {p for p in self.noun_starts.get(word, ()) if tuple(raw[i:i + len(p)]) == p}
        return found

    def check_rank(self, row, sentence, tokens, number, clause, subject, firm):
        if subject == ENGLAND and firm == "national":  # "the highest in England": the ranking's scope
            named = _named(sentence, self.names)
            if named:
                subject, firm = named[-1][2], "named"
            elif self.carried and (_PRONOUN.search(sentence) or self.carried_paragraph == row.paragraph):
                subject, firm = self.carried, "pronoun"
        if subject == ENGLAND or firm == "carried":
            row.verdict, row.note = Verdict.UNCHECKED, "a rank, but of which area is not clear: check it by hand"
            return
        kinds = {"count", "share", "pounds", "rate"}
        found = [c for c in self.candidates(sentence, tokens, number, (0, len(sentence)), kinds, None, None)
                 if c.measure.name in self.area_measures and not c.measure.across]
        if len(found) != 1:
            row.verdict = Verdict.UNCHECKED
            row.note = ("a rank, but of what is not clear" if not found else
                        f"a rank of {' or '.join(c.measure.label for c in found)}?") + ": check it by hand"
            return
        measure = found[0].measure
        descending = self.descending.get(number.start, True)
        rank, of, illustrative = self.rank_of(subject, measure, descending)
        row.measure, row.measure_label = measure.name, measure.label
        row.subject, row.subject_name = subject, self.names.names.get(subject, subject)
        if rank is None:
            row.verdict = Verdict.UNCHECKED
            row.note = f"the run has no figure for {row.subject_name}'s {measure.label}: check it by hand"
            return
        row.fact, row.illustrative = rank, illustrative
        way = "highest" if descending else "lowest"
        place = f"the {way}" if rank == 1 else f"the {_ordinal(rank)} {way}"
        row.fact_text = (f"{row.subject_name}: {measure.label} "
                         f"{_full(self.base.get(subject, measure.name).value, measure.unit)}, {place} of {of:,} areas")
        if rank == number.value:
            row.verdict = Verdict.SUPPORTED
        else:
            row.verdict = Verdict.CONTRADICTED
            row.difference = float(number.value - rank)
            row.difference_text = f"the data rank it {_ordinal(rank)}, not {_ordinal(int(number.value))}"

    def period(self, sentence: str, clause: tuple[int, int]) -> str | None:
        m = _PERIOD.search(sentence, clause[0], clause[1])
        if not m:
            return None
        word = next(g for g in m.groups() if g)
        return _PERIODS.get(word.lower(), word.lower())


def _by_first_word(phrases) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        out.setdefault(phrase[0], []).append(phrase)
    return out


def _ordinal(n: int) -> str:
    if n == 1:
        return "1st"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _nil(number: numbers.Number) -> bool:
    """A spend of nothing ("had spent nothing"): it ends no other number's clause, which its words describe."""
    return number.kind == "money" and number.value == 0 and number.text.lower() == "nothing"


def _clause(sentence: str, found: list[numbers.Number], i: int) -> tuple[int, int]:
    """The characters around number ``i``: from the previous number or clause mark to the next. The part of
    a ratio ("37 of 77") reaches past its whole, and the whole back to its part."""
    j = i + 1 if found[i].of is not None and i + 1 < len(found) else i
    k = i - 1 if found[i].whole_of is not None and i > 0 else i
    start = found[k - 1].end if k > 0 else 0
    end = found[j + 1].start if j + 1 < len(found) else len(sentence)
    marks = list(_CLAUSE_MARK.finditer(sentence, start, found[k].start))
    if marks and marks[-1].group(0) == ":" and not sentence[marks[-1].end():found[k].start].strip():
        marks.pop()  # "Practices invited in NHS Dorset: 55": a label and its value are one clause
    mark_after = _CLAUSE_MARK.search(sentence, found[j].end, end)
    return (marks[-1].end() if marks else start), (mark_after.start() if mark_after else end)


@functools.lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.lower().split())


_MASK = "\x00"


def _template(sentence: str, found: list) -> str:
    """The sentence, normalised, with each number's text replaced by a placeholder."""
    out, last = [], 0
    for n in found:
        out.append(sentence[last:n.start])
        out.append(_MASK)
        last = n.end
    out.append(sentence[last:])
    return _norm("".join(out))


@functools.lru_cache(maxsize=1)
def _context_quotes() -> tuple[tuple[str, str], ...]:
    """The claims ledger's context rows: (quote, normalised, its numbers masked; the reason the data cannot
    check it)."""
    try:
        with open(paths.CLAIMS, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError:
        return ()
    return tuple((_template(r["quote"], [n for n in numbers.find(r["quote"])]),
                  r.get("reason") or "no reason is recorded") for r in rows
                 if r.get("check") == "context" and r.get("quote"))


def check_blocks(blocks: list[Block], base: FactBase, source: str = "draft", run_dir: str = "") -> Report:
    """Find and check every number in ``blocks`` against ``base``; ``source`` names the draft in the report."""
    checker = _Checker(base)
    checked, ordinary = [], []
    offset = 0
    for p, block in enumerate(blocks, start=1):
        at = 0
        if block.where not in ("list item", "table"):  # a list or table reads on from the row before
            checker.previous = ""
        for sentence in numbers.sentences(block.text):
            where = block.text.find(sentence, at)
            where = at if where < 0 else where
            before = len(checked) + len(ordinary)
            checker.sentence(sentence, block, p, where, checked, ordinary)
            for row in (checked + ordinary)[before:]:
                row.offset = offset
            at = where + len(sentence)
        offset += len(block.text) + 2
    return Report(source, checked, sorted(ordinary, key=lambda r: (r.paragraph, r.start)), run_dir, base.round,
                  list(blocks))


def check_paragraphs(paragraphs: list[str], base: FactBase, source: str = "draft") -> Report:
    """Check the numbers of ``paragraphs`` (plain text, one a paragraph) against ``base``."""
    return check_blocks([Block(p) for p in paragraphs], base, source)


def check_draft(path: str | Path, base: FactBase, run_dir: str | Path = "") -> Report:
    """Read the draft at ``path`` and check every number in it against ``base``."""
    return check_blocks(read_blocks(path), base, paths.display(path), paths.display(run_dir) if run_dir else "")


def _place(n: Checked) -> str:
    where = f"paragraph {n.paragraph}" + (f", line {n.line}" if n.line is not None else "")
    return where + (f" ({n.where})" if n.where != "text" else "")


def table_text(report: Report) -> str:
    """The report as plain text for a terminal: one block per number, then the ordinary numbers, then counts."""
    head = f"Numbers in {report.source}"
    if report.run_dir:
        head += f", checked against the run in {report.run_dir}"
    if report.round:
        head += f" (round {report.round})"
    lines = [head + ":", ""]
    if not report.numbers:
        lines.append("  No figures to check in the draft.")
    width = max(len(str(v)) for v in Verdict) + 2
    for n in report.numbers:
        lines.append(f"  {str(n.verdict):<{width}}\"{n.printed}\" ({n.precision}), {_place(n)}: {n.sentence}")
        pad = " " * (width + 2)
        fact = n.fact_text + (" (the run's figure is illustrative, generated, not an FOI answer: an illustration, "
                              "not a finding)" if n.illustrative else "")
        if n.verdict is Verdict.SUPPORTED:
            detail = fact
        elif n.verdict is Verdict.CONTRADICTED:
            detail = f"{fact}; the draft says {n.difference_text}" if n.difference is not None else \
                f"{fact}; {n.difference_text}"
            if n.elsewhere:
                detail += f". {n.elsewhere}"
        else:
            detail = n.note
        lines.append(f"{pad}{detail}")
    if report.ordinary:
        lines += ["", "Ordinary numbers (listed, not checked):"]
        lines += [f"  \"{d.printed}\", {_place(d)}: {d.note}" for d in report.ordinary]
    c = report.counts()
    found = f"{c['numbers']:,} {'figure' if c['numbers'] == 1 else 'figures'} found"
    lines += ["", f"{found}: {c['supported']:,} supported, {c['contradicted']:,} contradicted, "
                  f"{c['unchecked']:,} unchecked; {c['ordinary']:,} ordinary "
                  f"{'number' if c['ordinary'] == 1 else 'numbers'} (years, dates, labels...) listed apart."]
    return "\n".join(lines)
