"""The findings: the list of them, and what is derived from it (the params schema, lookups).

Each finding is declared once, as a :class:`~scr_lib.findings.finding.Finding`
in its own module here (``findings/refusal.py``...), beside its arithmetic
(``scr_lib/findings/arithmetic/refusal.py``...). To add one, declare it and add it to
:data:`FINDINGS` (see ``docs/adding-a-finding.md``). The order of
:data:`FINDINGS` is the order of the knobs in the schema.

The declarations are light to import (no pandas): the run reads the params
schema here on its no-op path.
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..inputs import params, rounds
from ..problems import InputError, Problem
from . import areas, ooh, refusal, spend
from .finding import Finding, Source  # noqa: F401  (Source: for declarations)
from .measure import Measure, check_all as _check_measures

FINDINGS: tuple[Finding, ...] = (refusal.FINDING, spend.FINDING, ooh.FINDING, areas.FINDING)


def _check(findings: tuple[Finding, ...]) -> None:
    for attribute in ("id", "notebook"):
        seen = [getattr(f, attribute) for f in findings]
        twice = sorted({v for v in seen if seen.count(v) > 1})
        if twice:
            raise ValueError(f"two findings share the {attribute} {twice}")
    knobs = [k for f in findings for k in f.knobs]
    clash = sorted({k for k in knobs if knobs.count(k) > 1 or k in params.COMMON_KNOBS})
    if clash:
        raise ValueError(f"a params key is declared twice: {clash}")


_check(FINDINGS)
_check_measures([m for f in FINDINGS for m in f.measures])

IDS: tuple[str, ...] = tuple(f.id for f in FINDINGS)

KNOBS: dict[str, params.Knob] = {**params.COMMON_KNOBS, **{k: v for f in FINDINGS for k, v in f.knobs.items()}}
"""Every key a params file may hold: the common knobs, then each finding's, in :data:`FINDINGS` order."""


MEASURES: dict[str, Measure] = {m.name: m for f in FINDINGS for m in f.measures}
"""Every declared measure by name, in :data:`FINDINGS` order (see :mod:`scr_lib.findings.measure`)."""


def measure_owner(name: str) -> Finding | None:
    """The finding that declares the measure ``name``, or None."""
    return next((f for f in FINDINGS if f.measure(name) is not None), None)


def load_params(path: str | Path) -> params.Params:
    """Read and check a params file against :data:`KNOBS` (see :func:`scr_lib.inputs.params.load_params`),
    and its round (:mod:`scr_lib.inputs.rounds`: ``as_at`` must be an ISO date)."""
    loaded = params.load_params(path, KNOBS)
    try:
        as_at = rounds.AsAt.parse(loaded.values.get("as_at"))
    except rounds.RoundError as err:
        text = loaded.path.read_text(encoding="utf-8")
        line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith("as_at")), 0)
        raise InputError([Problem(paths.display(loaded.path), line, "as_at", str(err))]) from None
    loaded.values["as_at"] = as_at.iso if as_at else None  # YAML's date, or a year, as ISO text
    loaded.values["round"] = rounds.label_of(loaded.values.get("round")) or None
    return loaded


def by_id(finding_id: str) -> Finding:
    """The finding with this id; ``KeyError`` naming the known ids when there is none."""
    for finding in FINDINGS:
        if finding.id == finding_id:
            return finding
    raise KeyError(f"no finding {finding_id!r}; known: {', '.join(IDS)}")


def by_notebook(stem: str) -> Finding | None:
    """The finding whose notebook is ``stem`` (file name without .ipynb), or None."""
    return next((f for f in FINDINGS if f.notebook == stem), None)


def owner(key: str) -> Finding | None:
    """The finding a result ``key`` belongs to, by its prefix, or None."""
    return next((f for f in FINDINGS if f.owns(key)), None)
