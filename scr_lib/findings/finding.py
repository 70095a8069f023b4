"""What a finding is: one record, declared once in the finding's own module.

A finding is a question the story answers from data, with a notebook that
answers it. Its :class:`Finding` record says everything the rest of the
suite needs to know about it, so nothing else types its name:

- ``id``: the results-key prefix (``refusal.share``) and the ``finding``
  column of ``data/pulse_2010/claims.csv``;
- ``notebook``: the notebook's file name without ``.ipynb``, also the name of
  its results file (``<notebook>.results.json``);
- ``title``: a short name, the page's title when its notebook has no heading;
- ``knobs``: the params-file keys it adds, with defaults and validation;
- ``sources``: the data files it reads besides the FOI returns and claims;
- ``key_figures``: the result keys its headline needs; without any of them
  the index shows no headline for it;
- ``figures``: the two to four :class:`KeyFigure` its story page leads with,
  beside the headline (a figure missing from the results is left out);
- ``headline``: the lead sentence, from this run's results (a mapping of
  result key to number) and the run's params values;
- ``news``: the page's H1, the finding with its figure in newspaper style ("One in four invited
  practices refused the Summary Care Record, up from one in six in 2010"), from this run's results
  (key -> results.json entry: ``value``, ``illustrative``), an earlier run's (or None) and the earlier
  round's label; None when the figures it needs are missing (the page then uses ``title``);
- ``charts``: the names of the tables behind its charts (published as CSV);
- ``tables``: the tables it shows or publishes, each declared once with a caption
  and each column's human header and unit (:class:`~scr_lib.findings.columns.Table`);
  the notebook and the story page format them from here (``Results.table``,
  ``Results.show``). The claims table, common to all, is declared in
  :mod:`scr_lib.story.tables`.
- ``measures``: the quantities it computes, each a :class:`~scr_lib.findings.measure.Measure` (name, unit,
  the words a writer uses for it, whether it sums over areas, how it is shown): every figure of the run's
  fact base (``facts.csv``) is a value of one of them, and the draft checker reads a draft's numbers by them;
- ``claimed``: whether the articles printed figures about it (then ``claims.csv`` holds them and its
  notebook checks them); False for a finding of the suite's own, such as the area comparison.

The list of findings is :data:`scr_lib.findings.FINDINGS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from ..inputs.params import Knob
from .columns import Table
from .measure import Measure, check as check_measures

Headline = Callable[[Mapping[str, float], Mapping[str, object]], "str | None"]
News = Callable[[Mapping[str, dict], "Mapping[str, dict] | None", str], "str | None"]


@dataclass(frozen=True)
class Source:
    """A data file a finding reads: its path and what it holds."""

    path: Path
    what: str


@dataclass(frozen=True)
class KeyFigure:
    """A figure a story page leads with: the result ``key``, the reader's ``label`` for it, and ``show``,
    which writes its value with its unit (``words.count``, ``words.pounds``, ``words.percent``...)."""

    key: str
    label: str
    show: Callable[[float], str]


@dataclass(frozen=True)
class Finding:
    """One finding: see the module docstring for each field."""

    id: str
    notebook: str
    title: str
    headline: Headline
    key_figures: tuple[str, ...] = ()
    knobs: Mapping[str, Knob] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    charts: tuple[str, ...] = ()
    figures: tuple[KeyFigure, ...] = ()
    tables: tuple[Table, ...] = ()
    claimed: bool = True
    news: News | None = None
    measures: tuple[Measure, ...] = ()

    def __post_init__(self):
        if not self.id.isidentifier() or not self.id.islower():
            raise ValueError(f"a finding id is a lower-case word (it prefixes result keys), got {self.id!r}")
        if self.figures and not 2 <= len(self.figures) <= 4:
            raise ValueError(f"finding {self.id!r}: a page leads with two to four key figures, "
                             f"got {len(self.figures)}")
        wrong = [k for k in (*self.key_figures, *(f.key for f in self.figures)) if not k.startswith(self.id + ".")]
        if wrong:
            raise ValueError(f"finding {self.id!r}: key figures must start with {self.id + '.'!r}: {wrong}")
        names = [t.name for t in self.tables]
        if len(set(names)) < len(names):
            raise ValueError(f"finding {self.id!r} declares a table twice: {sorted(names)}")
        check_measures(self.measures, self.id)

    def measure(self, name: str) -> Measure | None:
        """The declaration of the measure ``name``, or None when this finding declares none by that name."""
        return next((m for m in self.measures if m.name == name), None)

    def table(self, name: str) -> Table | None:
        """The declaration of the table ``name``, or None when this finding declares none by that name."""
        return next((t for t in self.tables if t.name == name), None)

    def owns(self, key: str) -> bool:
        """True when the result ``key`` belongs to this finding (starts with ``<id>.``)."""
        return key.startswith(self.id + ".")

    def headline_for(self, figures: Mapping[str, float], params: Mapping[str, object]) -> str | None:
        """The headline from ``figures`` (result key -> number); None when a key figure is missing."""
        if any(figures.get(key) is None for key in self.key_figures):
            return None
        return self.headline(figures, params)

    def news_for(self, now: Mapping[str, dict], then: Mapping[str, dict] | None = None,
                 then_label: str = "") -> str | None:
        """The H1 (see ``news``), or None when the finding declares none or its figures are missing."""
        return self.news(now, then or None, then_label) if self.news else None

    def figures_from(self, results: Mapping[str, dict]) -> list[dict]:
        """The key figures as a page shows them, from ``results`` (result key -> its results.json entry:
        ``value``, ``illustrative``): each a dict of ``label``, ``value`` (the words) and ``illustrative``
        (True when it rests on illustrative values). A figure missing from ``results``, or None, is left out."""
        shown = []
        for figure in self.figures:
            entry = results.get(figure.key)
            if isinstance(entry, dict) and entry.get("value") is not None:
                shown.append({"key": figure.key, "label": figure.label, "value": figure.show(entry["value"]),
                              "illustrative": bool(entry.get("illustrative", False))})
        return shown


def value(entries: Mapping[str, dict] | None, key: str):
    """The number of result ``key`` in ``entries`` (key -> results.json entry), or None."""
    entry = (entries or {}).get(key)
    return entry.get("value") if isinstance(entry, dict) else None


def illustrative(entries: Mapping[str, dict] | None, *keys: str) -> bool:
    """True when any of ``keys`` in ``entries`` rests on illustrative values."""
    return any(bool(((entries or {}).get(k) or {}).get("illustrative")) for k in keys)


class _Entry(dict):
    """A results.json entry that calls ``noted`` when its value is read (not when its mark is)."""

    def __init__(self, entry: dict, noted: Callable[[], None]):
        super().__init__(entry)
        self._noted = noted

    def __getitem__(self, name):
        if name == "value":
            self._noted()
        return super().__getitem__(name)

    def get(self, name, default=None):
        if name == "value":
            self._noted()
        return super().get(name, default)


class _Reads(Mapping):
    """``entries`` (result key -> number, or -> results.json entry) noting in ``read`` the keys whose value
    is read."""

    def __init__(self, entries: Mapping):
        self._entries, self.read = entries, set()

    def __getitem__(self, key):
        item = self._entries[key]
        if isinstance(item, dict):
            return _Entry(item, lambda: self.read.add(key))
        self.read.add(key)
        return item

    def __iter__(self):
        return iter(self._entries)

    def __len__(self):
        return len(self._entries)


def read_by(sentence: Callable[..., object], *entries: Mapping | None) -> list[set[str]]:
    """The figures ``sentence(*entries)`` rests on: for each of ``entries`` (result key -> number, or ->
    results.json entry; None is passed as it is), the keys whose value it read. A sentence that only looks
    at a figure's mark (``illustrative``) to leave the figure out does not rest on it."""
    reads = [None if e is None else _Reads(e) for e in entries]
    sentence(*reads)
    return [set() if r is None else r.read for r in reads]


def moved(now: float, then: float) -> str:
    """'up' or 'down' (or '' when equal): the way a figure went."""
    return "up" if now > then else "down" if now < then else ""


def since(now: float, before: float | None, show: Callable[[float], str], then_label: str) -> str:
    """What a figure did since the earlier round, to end a title: ", up from 91 in 2010" (``before`` written
    by ``show``), ", as in 2010" when it is the same, and "" without an earlier figure."""
    if before is None:
        return ""
    way = moved(now, before)
    return f", {way} from {show(before)} in {then_label}" if way else f", as in {then_label}"
