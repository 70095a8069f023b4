"""Params files: the knobs of a run, in YAML.

A params file names the run and points at its data; every other key is
optional and falls back to the default below. Relative paths are taken
from the params file's own folder. Unknown keys, wrong types and missing
files are errors that name the key.

Example (``params/pulse_2010.yaml``)::

    name: pulse_2010
    foi_returns: ../data/foi_2010/foi_returns_2010.csv
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import InputError, Problem, display_path


@dataclass(frozen=True)
class Knob:
    """One parameter: accepted Python types, default, whether it is a path, what it means."""

    types: tuple
    default: object
    meaning: str
    is_path: bool = False
    required: bool = False


KNOBS: dict[str, Knob] = {
    "name": Knob((str,), None, "the run's name; output goes to build/<name>/", required=True),
    "foi_returns": Knob((str,), None, "FOI returns file (CSV), relative to the params file",
                        is_path=True, required=True),
    "ooh_records_created": Knob((int,), None, "Summary Care Records created nationally; "
                                "blank (null): the April 2012 article's figure"),
    "ooh_views_per_week": Knob((int, float), None, "record views a week; blank (null): the article's figure"),
    "ooh_calls_per_1000_per_week": Knob((int, float), None, "out-of-hours calls per 1,000 people a week; "
                                        "blank (null): the rate implied by the article's own table"),
}


def add_knob(name: str, knob: Knob) -> None:
    """Register a further parameter (used by the finding modules that need one)."""
    KNOBS[name] = knob


@dataclass(frozen=True)
class Params:
    """A loaded params file: ``values`` holds every knob (defaults filled in, paths absolute)."""

    path: Path
    values: dict

    @property
    def name(self) -> str:
        return self.values["name"]


def load_params(path: str | Path) -> Params:
    """Read and check a params file; raise :class:`InputError` naming each bad key."""
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise InputError([Problem(shown, 0, "", "no such params file")])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", -1) + 1
        raise InputError([Problem(shown, line, "", f"not valid YAML: {err}")]) from None
    if not isinstance(raw, dict):
        raise InputError([Problem(shown, 1, "", "expected a mapping of key: value lines")])
    problems, values = [], {}
    for key in raw:
        if key not in KNOBS:
            problems.append(Problem(shown, 0, str(key), f"unknown key {key!r}; known keys: {', '.join(KNOBS)}"))
    for key, knob in KNOBS.items():
        value = raw.get(key, knob.default)
        if value is None:
            if knob.required:
                problems.append(Problem(shown, 0, key, f"missing required key {key!r} ({knob.meaning})"))
            values[key] = None
            continue
        if isinstance(value, bool) and bool not in knob.types or not isinstance(value, knob.types):
            wanted = " or ".join(t.__name__ for t in knob.types)
            problems.append(Problem(shown, 0, key, f"expected {wanted} for {key!r}, found {value!r}"))
            continue
        if knob.is_path:
            resolved = (path.parent / value).resolve()
            if not resolved.exists():
                problems.append(Problem(shown, 0, key, f"{key!r} points at {value!r}, which does not exist "
                                                       f"(looked for {resolved})"))
            value = str(resolved)
        values[key] = value
    if problems:
        raise InputError(problems)
    return Params(path.resolve(), values)
