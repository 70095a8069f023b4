"""The fact base: every figure a run computes, one fact a row, in the run folder's ``facts.csv``.

A fact is a value located by its dimensions (the shape statistical offices publish,
SDMX's "observation"; "tidy data" in pandas terms):

- ``round``: the FOI round it describes (the params file's ``round``; until a params
  file gives one, its ``name``, such as ``pulse_2010``: see :func:`round_of`);
- ``subject``: ``E`` for England, an SHA's code, or a PCT's ODS code (``5QM``);
  ``subject_name``: its name as a story prints it ("England", "NHS Dorset");
- ``measure``: a measure a finding declares (:mod:`scr_lib.findings.measure`),
  ``unit`` its unit (``count``, ``pounds``, ``share``, ``rate``, ``number``);
- ``value``: the number at full precision (rounded at the source to 12 significant
  digits, :mod:`scr_lib.precision`); a share is a fraction 0-1, money is pounds;
- ``illustrative``: True when the value rests on illustrative (generated) FOI values:
  never present it as a real NHS body's own figure;
- ``finding``: the id of the finding that declares the measure.

A fact holds no prose: words come from the measure's declaration. The notebooks
record facts (``Results.add`` of a result key a measure names, and ``Results.facts``
for each area's); ``scr run`` merges them with :func:`write`; every reader (pages,
area pages, downloads, ``scr draft``) reads them with :meth:`FactBase.load`.

Missing values are no fact: an area that did not give a figure has no row for it,
never a zero. Light to import: no pandas.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

FILE = "facts.csv"
COLUMNS = ("round", "subject", "subject_name", "measure", "unit", "value", "illustrative", "finding")
ENGLAND = "E"


@dataclass(frozen=True)
class Fact:
    """One fact: see the module docstring for each field."""

    round: str
    subject: str
    subject_name: str
    measure: str
    unit: str
    value: float
    illustrative: bool
    finding: str

    @property
    def key(self) -> tuple[str, str]:
        """(subject, measure): what locates the fact within its round."""
        return (self.subject, self.measure)

    @property
    def national(self) -> bool:
        """True for England's fact."""
        return self.subject == ENGLAND


class FactsError(Exception):
    """A fact file that cannot be read or a set of facts that disagree; the message names the file and row."""


class FactBase:
    """The facts of one run (one round): look them up by subject and measure.

    Iterating gives every fact in file order; ``len`` counts them.
    """

    def __init__(self, facts: list[Fact], source: str = ""):
        self.facts = list(facts)
        self.source = source
        self._by_key: dict[tuple[str, str], Fact] = {}
        self._by_subject: dict[str, list[Fact]] = {}
        self._by_measure: dict[str, list[Fact]] = {}
        for fact in self.facts:
            if fact.key in self._by_key:
                raise FactsError(f"{source or 'facts'}: two facts for {fact.measure} of {fact.subject}")
            self._by_key[fact.key] = fact
            self._by_subject.setdefault(fact.subject, []).append(fact)
            self._by_measure.setdefault(fact.measure, []).append(fact)

    @classmethod
    def load(cls, run_dir: str | Path) -> "FactBase":
        """The facts of the run in ``run_dir`` (its ``facts.csv``).

        Raises :class:`FactsError` naming the file, and the row and column, when there is no such file, a
        column is missing, a value is not a number or a flag not true/false.
        """
        from ..paths import display

        path = Path(run_dir) / FILE
        shown = display(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise FactsError(f"{shown}: no readable fact file ({err.__class__.__name__}): run `scr run PARAMS "
                             "--out DIR` first (a run folder written before the fact base has none: run it again)"
                             ) from None
        return cls.parse(text, shown)

    @classmethod
    def parse(cls, text: str, source: str = FILE) -> "FactBase":
        """The facts in ``text`` (a ``facts.csv``'s content); ``source`` names it in errors."""
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise FactsError(f"{source}:1: no column {', '.join(missing)}: not a fact file")
        facts = []
        for line, row in enumerate(reader, start=2):
            try:
                value = float(row["value"])
                if not math.isfinite(value):
                    raise ValueError
            except (TypeError, ValueError):
                raise FactsError(f"{source}:{line}: column value: {row['value']!r} is not a number") from None
            flag = (row["illustrative"] or "").strip().lower()
            if flag not in ("true", "false"):
                raise FactsError(f"{source}:{line}: column illustrative: {row['illustrative']!r} is not "
                                 "true or false")
            number = int(value) if value.is_integer() and "." not in row["value"] and "e" not in row["value"].lower() \
                else value
            facts.append(Fact(row["round"], row["subject"], row["subject_name"], row["measure"], row["unit"],
                              number, flag == "true", row["finding"]))
        return cls(facts, source)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    @property
    def round(self) -> str | None:
        """The round these facts describe (the first fact's), or None when there are none."""
        return self.facts[0].round if self.facts else None

    def get(self, subject: str, measure: str) -> Fact | None:
        """The fact of ``measure`` for ``subject`` (``E``, an SHA's or a PCT's code), or None."""
        return self._by_key.get((subject, measure))

    def for_subject(self, subject: str) -> list[Fact]:
        """Every fact about ``subject``, in file order (empty when none)."""
        return list(self._by_subject.get(subject, ()))

    def for_measure(self, measure: str) -> list[Fact]:
        """Every subject's fact of ``measure``, in file order (empty when none)."""
        return list(self._by_measure.get(measure, ()))

    def subjects(self) -> dict[str, str]:
        """Every subject's code and name, in file order."""
        return {f.subject: f.subject_name for f in self.facts}

    def measures(self) -> list[str]:
        """The measures with at least one fact, in file order."""
        return list(self._by_measure)


def then_and_now(now: FactBase, then: FactBase) -> list[tuple[Fact | None, Fact | None]]:
    """The facts of two rounds joined on (subject, measure): (then, now) pairs, in ``now``'s order, then the
    facts only ``then`` has. A side without that fact is None (the area did not answer that round, or the
    measure is new): never a zero."""
    pairs = [(then.get(*fact.key), fact) for fact in now]
    pairs += [(fact, None) for fact in then if now.get(*fact.key) is None]
    return pairs


def round_of(params: Mapping[str, object]) -> str:
    """The round a run's facts describe: the params file's ``round`` when it gives one, else its ``name``
    (``pulse_2010``), else ``"run"``."""
    for key in ("round", "name"):
        value = params.get(key)
        if value not in (None, ""):
            return str(value)
    return "run"


def collect(output_dir: str | Path) -> list[dict]:
    """Every fact the notebooks' ``*.results.json`` files in ``output_dir`` hold, in file order (England's
    first, then the areas', by subject). Raises :class:`FactsError` when two notebooks record one fact."""
    from .results import RESULTS_SUFFIX

    found: dict[tuple[str, str], dict] = {}
    owner: dict[tuple[str, str], str] = {}
    for path in sorted(Path(output_dir).glob(f"*{RESULTS_SUFFIX}")):
        for fact in json.loads(path.read_text(encoding="utf-8")).get("facts", []):
            key = (fact["subject"], fact["measure"])
            if key in found:
                raise FactsError(f"the fact {fact['measure']} of {fact['subject']} comes from two notebooks: "
                                 f"{owner[key]} and {path.name}")
            found[key], owner[key] = fact, path.name
    order = {name: i for i, name in enumerate(_measure_order())}
    return sorted(found.values(), key=lambda f: (f["subject"] != ENGLAND, f["subject"],
                                                  order.get(f["measure"], len(order)), f["measure"]))


def _measure_order() -> list[str]:
    from .. import findings

    return list(findings.MEASURES)


def write(output_dir: str | Path, round_: str) -> Path:
    """Write ``facts.csv`` into the run folder ``output_dir`` from its notebooks' results files, every fact
    stamped with ``round_``; returns its path."""
    rows = collect(output_dir)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for fact in rows:
        writer.writerow([round_, fact["subject"], fact["subject_name"], fact["measure"], fact["unit"],
                         _number(fact["value"]), "true" if fact["illustrative"] else "false", fact["finding"]])
    path = Path(output_dir) / FILE
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _number(value) -> str:
    """A value as the file holds it: a whole number without a point, else the shortest text of the float
    (already rounded to 12 significant digits at the source), never in exponent form."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    text = repr(float(value))
    if "e" in text:
        text = format(float(value), "f").rstrip("0")
    return text
