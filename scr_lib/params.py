"""Params files: the knobs of a run, in YAML.

A params file names the run and points at its data; every other key is
optional and falls back to the default below. Relative paths are taken
from the params file's own folder. Unknown keys, keys given twice, wrong
types and missing files are errors that name the key and its line.

Example (``params/pulse_2010.yaml``)::

    name: pulse_2010
    foi_returns: ../data/foi_2010/foi_returns_2010.csv
"""

from __future__ import annotations

import difflib
import re
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
    "foi_returns": Knob((str,), None, "FOI returns file (CSV or XLSX), relative to the params file",
                        is_path=True, required=True),
    "foi_sheet": Knob((str,), "", "the XLSX worksheet holding the FOI returns; blank: the first sheet"),
    "ooh_records_created": Knob((int,), None, "Summary Care Records created nationally; "
                                "blank (null): the April 2012 article's figure"),
    "ooh_views_per_week": Knob((int, float), None, "record views a week; blank (null): the article's figure"),
    "ooh_calls_per_1000_per_week": Knob((int, float), None, "out-of-hours calls per 1,000 people a week; "
                                        "blank (null): the rate implied by the article's own table"),
}


# A run's name becomes a folder under build/: no separators, no leading dot.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


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


def _key_lines(text: str) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """(key -> 1-based line of its last mention, [(key, first line, repeated line)]) of a YAML mapping."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[str, int] = {}
    repeated = []
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in lines:
                repeated.append((key, lines[key], line))
            lines[key] = line
    return lines, repeated


def _suggest(key: str) -> str:
    close = difflib.get_close_matches(str(key), list(KNOBS), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def load_params(path: str | Path) -> Params:
    """Read and check a params file; raise :class:`InputError` naming each bad key.

    Each problem names the params file, the line of the key (0 when the key
    is missing) and the key. Checked: the file is a YAML mapping; no key is
    unknown or given twice; required keys are present; each value has its
    knob's type (``null`` means the default); ``name`` is a plain folder name;
    paths (relative to the params file) point at existing files.
    """
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise InputError([Problem(shown, 0, "", "no such params file")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError([Problem(shown, 0, "", f"not UTF-8 text: {err}")]) from None
    try:
        raw = yaml.safe_load(text)
        lines, repeated = _key_lines(text)
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", -1) + 1
        raise InputError([Problem(shown, line, "", f"not valid YAML: {err}")]) from None
    if not isinstance(raw, dict):
        raise InputError([Problem(shown, 1, "", "expected a mapping of key: value lines")])
    problems, values = [], {}
    for key, first, again in repeated:
        problems.append(Problem(shown, again, key, f"{key!r} is given twice (also line {first}); keep one"))
    for key in raw:
        if key not in KNOBS:
            problems.append(Problem(shown, lines.get(str(key), 0), str(key),
                                    f"unknown key {key!r}; {_suggest(key)}known keys: {', '.join(KNOBS)}"))
    for key, knob in KNOBS.items():
        line = lines.get(key, 0)
        value = raw.get(key)
        if value is None:
            value = knob.default
        if value is None:
            if knob.required:
                problems.append(Problem(shown, line, key, f"missing required key {key!r} ({knob.meaning})"))
            values[key] = None
            continue
        if isinstance(value, bool) and bool not in knob.types or not isinstance(value, knob.types):
            wanted = " or ".join(t.__name__ for t in knob.types)
            problems.append(Problem(shown, line, key, f"expected {wanted} for {key!r}, found {value!r}"))
            continue
        if key == "name" and not _NAME.fullmatch(value):
            problems.append(Problem(shown, line, key, f"expected a plain folder name for 'name' (letters, digits, "
                                                      f"'_', '-', '.'), found {value!r}"))
            continue
        if knob.is_path:
            resolved = (path.parent / value).resolve()
            if not resolved.exists():
                problems.append(Problem(shown, line, key, f"{key!r} points at {value!r}, which does not exist "
                                                          f"(looked for {resolved})"))
            elif not resolved.is_file():
                problems.append(Problem(shown, line, key, f"{key!r} points at {value!r}, which is a folder: "
                                                          "expected a file"))
            value = str(resolved)
        values[key] = value
    if problems:
        raise InputError(problems)
    return Params(path.resolve(), values)
