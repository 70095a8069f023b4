"""Then and now: a run's figures beside an earlier run's, as a newspaper tells a change.

A figure is a result of a run folder's ``results.json`` (key -> ``value``, ``unit``, ``label``, and
``illustrative`` when it rests on generated values). :func:`load` reads them; :func:`change` pairs one
figure of two runs and :func:`Change.words` says it: "26.3%, up from 16.5% in 2010 (9.8 percentage
points)". The difference is put in the figure's own terms: percentage points for a share, pounds and
per cent for money, the count and per cent for a count, "one in N" for a "one in N".

A figure missing from either run (None) has no change: callers tell the figure alone. Nor has a figure
whose earlier value was generated (illustrative): a change from an invented value would be invented too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import words

SHARE_UNITS = {"fraction", "share"}  # results.json's units, and the fact base's
MONEY_UNITS = {"GBP", "GBP per record", "pounds"}
ONE_IN_UNITS = {"one in N"}
SKIP_UNITS = {"rollout begun (1 yes, 0 no)"}  # a yes/no, not a measure that rises or falls


def load(run_dir: Path | None) -> dict[str, dict]:
    """The figures of a run folder (its ``results.json``: key -> entry); empty for None or no file."""
    if run_dir is None:
        return {}
    path = Path(run_dir) / "results.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def show(value: float, unit: str) -> str:
    """A figure in the house style (docs/house-style.md): shares to one decimal place ("26.3%"; two below
    1%: "0.53%"), pounds to the pound ("£190,000"; pence under £1: "33p"; with pence under £10: "£1.19"),
    "one in six", counts with separators, rates to one decimal place without a trailing ".0"."""
    if unit in SHARE_UNITS:
        return words.percent(value, 2 if abs(value) < 0.01 else 1)
    if unit in MONEY_UNITS:
        return words.money(value)
    if unit in ONE_IN_UNITS:
        return f"one in {words.number_words(value)}"
    if float(value).is_integer():
        return words.count(value)
    return words.decimal(value, 1)


@dataclass(frozen=True)
class Change:
    """One figure then and now: ``then`` and ``now`` (numbers), its ``unit`` and ``label``, the round
    ``then_label`` names the earlier round by, and whether each side rests on illustrative values."""

    key: str
    label: str
    unit: str
    then: float
    now: float
    then_label: str
    then_illustrative: bool = False
    now_illustrative: bool = False
    writer: object = None  # the measure's own ``show`` (a callable), when it has one; else :func:`show`

    def shown(self, value: float) -> str:
        """``value`` written as this figure is written everywhere else."""
        if self.unit in MONEY_UNITS or not callable(self.writer):  # money in the house style: "33p", "£1.19"
            return show(value, self.unit)
        return self.writer(value)

    @property
    def direction(self) -> str:
        """'up', 'down' or 'unchanged' (for a "one in N", up means a larger share: a smaller N)."""
        then, now = (1 / self.then, 1 / self.now) if self.unit in ONE_IN_UNITS else (self.then, self.now)
        if self.shown(self.then) == self.shown(self.now):
            return "unchanged"
        return "up" if now > then else "down" if now < then else "unchanged"

    @property
    def illustrative(self) -> bool:
        return self.then_illustrative or self.now_illustrative

    @property
    def difference(self) -> str:
        """The difference in the figure's terms, without a sign ('' when unchanged or a "one in N"):
        '9.8 percentage points', '£50,000, or 26%', '16, or 6%'."""
        if self.direction == "unchanged" or self.unit in ONE_IN_UNITS:
            return ""
        gap = abs(self.now - self.then)
        if self.unit in SHARE_UNITS:
            points = words.round_half_up(gap * 100, 2 if gap < 0.01 else 1)
            return f"{words.decimal(points, 2 if gap < 0.01 else 1)} percentage point{'' if points == 1 else 's'}"
        amount = words.money(gap) if self.unit in MONEY_UNITS else self.shown(gap)
        if self.then:
            return f"{amount}, or {words.decimal(words.round_half_up(gap / abs(self.then) * 100, 0), 0)}%"
        return amount

    def words(self) -> str:
        """The change as a clause after the figure: 'up from 16.5% in 2010' or 'unchanged since 2010'."""
        if self.direction == "unchanged":
            return f"the same as in {self.then_label}"
        return f"{self.direction} from {self.shown(self.then)} in {self.then_label}"

    def sentence(self) -> str:
        """The figure now with its change: '26.3%, up from 16.5% in 2010: a rise of 9.8 percentage points'."""
        told = f"{self.shown(self.now)}, {self.words()}"
        if not self.difference:
            return told
        return told + f": {'a rise' if self.direction == 'up' else 'a fall'} of {self.difference}"


def change(key: str, now: dict, then: dict, then_label: str) -> Change | None:
    """The change of result ``key`` between two runs' figures, or None when either lacks it (or it is a
    yes/no)."""
    a, b = then.get(key), now.get(key)
    if not isinstance(a, dict) or not isinstance(b, dict) or a.get("value") is None or b.get("value") is None:
        return None
    if b.get("unit") in SKIP_UNITS or a.get("illustrative"):  # a generated "then" is no news: nothing to tell
        return None
    return Change(key, b.get("label", key), b.get("unit", ""), float(a["value"]), float(b["value"]), then_label,
                  bool(a.get("illustrative")), bool(b.get("illustrative")))


def national(now_dir: Path, then_dir: Path | None, then_label: str, finding_ids) -> list[Change]:
    """Every national measure (England's facts, subject ``E``) of the findings ``finding_ids`` that both runs'
    fact bases (``facts.csv``) hold, as changes, in the order of the measures' declarations (the facts
    file's order). Named by each measure's ``label``. Empty without an earlier run or a fact base."""
    from ..findings import FINDINGS
    from . import facts

    if then_dir is None or not (Path(then_dir) / facts.FILE).is_file() or not (Path(now_dir) / facts.FILE).is_file():
        return []
    now, then = facts.FactBase.load(now_dir), facts.FactBase.load(then_dir)
    labels = {m.name: m.label for f in FINDINGS for m in f.measures}
    writers = {m.name: m.show for f in FINDINGS for m in f.measures}
    out = []
    for before, after in facts.then_and_now(now, then):
        if before is None or after is None or after.subject != facts.ENGLAND or after.finding not in finding_ids:
            continue
        if before.illustrative:  # a generated "then" is no news: a change from it would be invented
            continue
        label = labels.get(after.measure) or after.measure.replace("_", " ")
        out.append(Change(after.measure, label[:1].upper() + label[1:], after.unit, float(before.value),
                          float(after.value), then_label, before.illustrative, after.illustrative,
                          writers.get(after.measure)))
    return out


def every_change(now: dict, then: dict, then_label: str, keys=None) -> list[Change]:
    """Every figure both runs have (or those of ``keys``), in the order of ``now``."""
    chosen = [k for k in now if keys is None or k in keys]
    return [c for k in chosen if (c := change(k, now, then, then_label)) is not None]
