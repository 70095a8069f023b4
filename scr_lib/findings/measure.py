"""What a measure is: a quantity a finding computes, declared once in the finding's own module.

A figure a run computes is a *fact* (:mod:`scr_lib.story.facts`): a value of one
measure for one subject (England, an SHA, a PCT) in one round. The measure says
everything a reader of facts needs to know about that value, so that no page,
download or draft checker names a measure of its own:

- ``name``: the measure's id (``practices_declined``), also the column of a
  per-area table that holds it (see ``Results.facts``) unless ``column`` says
  otherwise;
- ``unit``: one of the column units of :mod:`scr_lib.findings.columns` (``count``,
  ``pounds``, ``share``, ``rate``, ``number``);
- ``words``: the phrases a writer uses for it ("declined", "refused", "said
  no"), lower case; a phrase matches a word that starts with it, so "declin"
  would match "declined" and "declining" (write the words people write;
  :func:`stem` strips common endings from the text and from the phrase alike);
- ``counts``: for a count, the nouns of what it counts ("practices",
  "surgeries"); for a share, the nouns it is a share of ("16.5% of practices"); empty for money;
- ``sums``: True when England's value is the sum of the areas' values (practices
  declined, spend to date); False for a share, a median, a rank;
- ``show``: writes a value as a reader reads it (``words.count``,
  ``words.pounds``, ``words.percent``);
- ``label``: the reader's name for it ("practices that declined");
- ``says``: a sentence template of one fact, ``{value}`` the shown value
  ("{value} practices declined");
- ``of``: for a part of a whole (declined of invited), the measure of the whole:
  "27 of 53" in a draft reads as this measure and that one;
- ``says_of``: with ``of``, the template of both ("{value} of its {whole} invited practices declined");
- ``result``: the result key (``refusal.practices_declined``) whose value is England's fact (subject ``E``),
  or None when England has none; a notebook's ``Results`` turns it into a fact when it saves;
- ``rests_on``: the per-area columns the value is computed from (default: its own column): a per-area fact
  is illustrative when any of them is; ``across``: the value rests on every area of its set (a rank, a
  median), so it is illustrative when any area's ``rests_on`` value is;
- ``needs``: words of which one must be near a number for it to be of this measure at all, where the
  measure shares its other words with a plainer one (a median is "spent" too, but only a number said to
  be a "median" is a median); empty: any of ``words`` will do;
- ``per``: for a rate a writer gives per period, the period ("week"): a number of this measure is said
  "a week", "per week", "weekly"; a number said per period is of no measure without one;
- ``formula``: for a per-area value computed from other columns of the row (practices not yet agreed:
  invited minus signed up), the function of the row (a dict of column -> value, missing values None)
  that gives it, or None when it cannot; used when a per-area table lacks the measure's column.

Light to import: no pandas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .columns import UNITS

MEASURE_UNITS = ("count", "pounds", "share", "rate", "number")


@dataclass(frozen=True)
class Measure:
    """One measure: see the module docstring for each field."""

    name: str
    unit: str
    words: tuple[str, ...]
    sums: bool
    show: Callable[[float], str]
    label: str = ""
    counts: tuple[str, ...] = ()
    says: str = ""
    of: str | None = None
    says_of: str = ""
    result: str | None = None
    column: str | None = None
    rests_on: tuple[str, ...] = ()
    across: bool = False
    needs: tuple[str, ...] = ()
    per: str = ""
    formula: Callable[[dict], "float | None"] | None = None

    def __post_init__(self):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise ValueError(f"a measure's name is a lower-case id (letters, digits, _), got {self.name!r}")
        if self.unit not in MEASURE_UNITS:
            known = ", ".join(MEASURE_UNITS)
            raise ValueError(f"measure {self.name!r}: unit {self.unit!r} is not a number's unit; known: {known}"
                             if self.unit in UNITS else f"measure {self.name!r}: unknown unit {self.unit!r}; "
                             f"known: {known}")
        for name in ("words", "counts", "needs", "rests_on"):
            value = getattr(self, name)
            if not isinstance(value, tuple) or not all(isinstance(w, str) for w in value):
                raise ValueError(f"measure {self.name!r}: {name} must be a tuple of words, got {value!r}")
        if not self.words:
            raise ValueError(f"measure {self.name!r} declares no words: how would a writer say it?")
        if self.unit == "count" and not self.counts:
            raise ValueError(f"measure {self.name!r} is a count: declare what it counts (``counts``)")
        if self.says_of and not self.of:
            raise ValueError(f"measure {self.name!r} has ``says_of`` but no ``of``")

    @property
    def in_table(self) -> str:
        """The column of a per-area table that holds this measure (``column``, else ``name``)."""
        return self.column or self.name

    @property
    def inputs(self) -> tuple[str, ...]:
        """The per-area columns this measure rests on (``rests_on``, else its own column)."""
        return self.rests_on or (self.in_table,)

    def sentence(self, value: float, whole: float | None = None, whole_measure: "Measure | None" = None,
                 shown: str | None = None, shown_whole: str | None = None) -> str:
        """One fact in words: ``says`` (or ``says_of`` with the whole's value), else "label: value". ``shown``
        and ``shown_whole``, when given, are the values as already written (else ``show`` writes them)."""
        shown = self.show(value) if shown is None else shown
        if self.says_of and whole is not None:
            if shown_whole is None:
                shown_whole = whole_measure.show(whole) if whole_measure else f"{whole:,}"
            return self.says_of.format(value=shown, whole=shown_whole)
        if self.says:
            return self.says.format(value=shown)
        return f"{self.label or self.name.replace('_', ' ')}: {shown}"


_ENDINGS = re.compile(r"(?:ing|ied|ies|es|ed|s|e|y)$")


def stem(word: str) -> str:
    """A word without its common English ending, lower case: declined, declines, declining -> "declin".

    Short words (four letters or fewer) are kept whole, so that "used" and "uses" stay apart from "us".
    """
    word = word.lower()
    if len(word) <= 4:
        return word.rstrip("s") if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
    return _ENDINGS.sub("", word)


def check(measures: tuple[Measure, ...], owner: str) -> None:
    """Refuse a measure declared twice, an ``of`` naming no declared measure, or a result key outside ``owner``'s
    prefix (``owner`` is a finding id; ``of`` may name another finding's measure, checked by :func:`check_all`)."""
    names = [m.name for m in measures]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"finding {owner!r} declares the measure(s) {twice} twice")
    wrong = [m.result for m in measures if m.result and not m.result.startswith(owner + ".")]
    if wrong:
        raise ValueError(f"finding {owner!r}: a measure's result key must start with {owner + '.'!r}: {wrong}")


def check_all(measures: list[Measure]) -> None:
    """Refuse two findings declaring one measure, or an ``of`` naming no declared measure."""
    names = [m.name for m in measures]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"the measure(s) {twice} are declared by two findings: declare each once")
    unknown = sorted({m.of for m in measures if m.of and m.of not in names})
    if unknown:
        raise ValueError(f"a measure is 'of' {unknown}, which no finding declares")


# What counts count, in the words writers use: shared by the findings' declarations.
PRACTICES = ("practices", "practice", "surgeries", "surgery", "gp practices", "gps", "gp surgeries")
PCTS = ("pcts", "pct", "primary care trusts", "primary care trust", "trusts", "trust", "care trusts", "areas",
        "area", "organisations", "health bodies", "nhs bodies")
RECORDS = ("records", "record", "summary care records", "care records", "patient records")
