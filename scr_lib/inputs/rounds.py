"""A run's FOI round: its label, the date its figures describe, and the earlier run it is compared with.

Three params knobs (declared in :data:`scr_lib.inputs.params.COMMON_KNOBS`) say which round a run is:

- ``round``: a label, such as ``"2011"`` (a YAML ``2011`` is read as the text "2011"); blank: the
  params file does not say, and the pages say nothing of a round;
- ``as_at``: the date the figures describe, in ISO format: ``2011-03-31``, or with less precision when
  the source gives less (``2010-04``, ``2010``); blank: undated;
- ``previous_run``: an earlier run folder (relative to the params file) to compare with; ``scr run
  --previous DIR`` (relative to the working folder) overrides it. Blank: no comparison.

:func:`of` reads them; :func:`check_previous` refuses a previous run that is not a finished run folder,
with one line (the run calls it before any notebook runs). Nothing here reads a run's figures.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
RUN_MARK = "results.json"  # a finished run folder holds it (the runner writes it last but one, before site/)


class RoundError(ValueError):
    """A round knob that cannot be used: the message is one line, naming the knob and what was expected."""


@dataclass(frozen=True)
class AsAt:
    """A date as precise as its source: ``year``, and ``month`` and ``day`` when known (None otherwise)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value) -> "AsAt | None":
        """From a params value: ``None`` or ``""`` (undated: None), a :class:`datetime.date` (YAML reads
        ``2011-03-31`` as one), a year as a whole number, or ISO text ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``.
        Raises :class:`RoundError` for anything else, or a day that is not in the calendar."""
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        text = str(value).strip()
        match = _ISO.fullmatch(text)
        if not match:
            raise RoundError(f"expected an ISO date for 'as_at' (2011-03-31, or 2011-03 or 2011 when the "
                             f"source gives no day), found {text[:40]!r}")
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            raise RoundError(f"'as_at' is not a date in the calendar: {text!r}") from None
        return cls(year, month, day)

    @property
    def words(self) -> str:
        """The date as a newspaper writes it: '31 March 2011', 'April 2010', '2010'."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year}"

    @property
    def iso(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{v:02d}" for v in (self.month, self.day) if v is not None])


@dataclass(frozen=True)
class Round:
    """A run's round: ``label`` ('' when not stated), ``as_at`` (None: undated) and ``previous`` (an earlier
    run folder, absolute, or None)."""

    label: str = ""
    as_at: AsAt | None = None
    previous: Path | None = None

    @property
    def named(self) -> str:
        """How a sentence names the round: 'the 2011 round', or 'this round' when it has no label."""
        return f"the {self.label} round" if self.label else "this round"


def label_of(value) -> str:
    """A round's label from a params value: text as written, a whole number as its digits, blank as ''."""
    return "" if value is None else str(value).strip()


def of(values: Mapping[str, object], base: Path | None = None, previous: Path | str | None = None) -> Round:
    """The round of a run from its params ``values``; ``base`` is the params file's folder (a relative
    ``previous_run`` is taken from it) and ``previous`` an override (``--previous``, taken as given).
    Does not check that the previous run exists: see :func:`check_previous`."""
    chosen = previous if previous not in (None, "") else values.get("previous_run")
    folder = None
    if chosen not in (None, ""):
        folder = Path(chosen) if previous not in (None, "") or base is None else Path(base) / str(chosen)
        folder = folder.expanduser().resolve()
    return Round(label_of(values.get("round")), AsAt.parse(values.get("as_at")), folder)


def check_previous(folder: Path | None, out: Path | None = None, where: str = "previous_run") -> None:
    """Raise :class:`RoundError` (one line) unless ``folder`` is None or a finished run folder other than
    ``out``, the run's own output folder (a run compared with itself would lose its "then")."""
    if folder is None:
        return
    folder = Path(folder)
    if not folder.exists():
        raise RoundError(f"{where}: {folder} does not exist; give the folder of an earlier run "
                         f"(run that round first)")
    if not folder.is_dir():
        raise RoundError(f"{where}: {folder} is a file; give the folder of an earlier run")
    if not (folder / RUN_MARK).is_file():
        raise RoundError(f"{where}: {folder} is not a run folder (it holds no {RUN_MARK}); give the folder "
                         f"of an earlier run")
    if out is not None and folder.resolve() == Path(out).resolve():
        raise RoundError(f"{where}: {folder} is this run's own output folder; give the folder of an earlier run")


def with_previous(params, previous: Path | str | None, out: Path):
    """``params`` (:class:`~scr_lib.inputs.params.Params`) with ``previous_run`` resolved to an absolute folder,
    ``previous`` (``--previous``) first, once checked (:func:`check_previous`). Raises :class:`RoundError` for a
    bad ``previous``, and :class:`~scr_lib.problems.InputError` naming the params file for ``previous_run``."""
    from .. import paths
    from ..problems import InputError, Problem
    from .params import Params

    given = previous not in (None, "")
    chosen = of(params.values, params.path.parent, previous).previous
    try:
        check_previous(chosen, out, "--previous" if given else "previous_run")
    except RoundError as err:
        if given:
            raise
        raise InputError([Problem(paths.display(params.path), 0, "previous_run", str(err))]) from None
    return Params(params.path, {**params.values, "previous_run": str(chosen) if chosen else None})


def article_round() -> str:
    """The round of Pulse's FOI investigation, whose figures the claims file records: the year of the
    earliest article in ``data/pulse_2010/articles.csv`` (its ``date``, YYYY or YYYY-MM). The article's
    claims are judged ("holds", "does not hold") only on a run of this round."""
    import csv

    from .. import paths

    with open(paths.ARTICLES, newline="", encoding="utf-8") as handle:
        years = sorted(row["date"][:4] for row in csv.DictReader(handle) if row.get("date"))
    return years[0] if years else ""


ROUND_FILE = "round.json"  # written into a run folder by the site renderer: the round its figures describe


def write(run_dir: Path, rnd: Round) -> None:
    """Record ``rnd``'s label and date in ``run_dir/round.json``, so a later run can name this one."""
    import json

    body = {"round": rnd.label, "as_at": rnd.as_at.iso if rnd.as_at else None}
    (Path(run_dir) / ROUND_FILE).write_text(json.dumps(body, sort_keys=True) + "\n", encoding="utf-8")


def read(run_dir: Path | None) -> Round | None:
    """The round a run folder recorded (:func:`write`), without its previous run; None when it has none."""
    import json

    path = Path(run_dir) / ROUND_FILE if run_dir else None
    if path is None or not path.is_file():
        return None
    body = json.loads(path.read_text(encoding="utf-8"))
    return Round(label_of(body.get("round")), AsAt.parse(body.get("as_at")))
