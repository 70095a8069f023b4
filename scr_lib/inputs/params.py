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

import datetime
import difflib
import math
import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from ..problems import InputError, Problem, display_path


@dataclass(frozen=True)
class Knob:
    """One parameter: accepted Python types, default, whether it is a path, what it means."""

    types: tuple
    default: object
    meaning: str
    is_path: bool = False
    required: bool = False
    positive: bool = False  # a number that must be finite and above 0
    is_date: bool = False  # an ISO date (2026-12-07), kept as that text


COMMON_KNOBS: dict[str, Knob] = {
    "name": Knob((str,), None, "the run's name; output goes to build/<name>/", required=True),
    "foi_returns": Knob((str,), None, "FOI returns file (CSV or XLSX), relative to the params file",
                        is_path=True, required=True),
    "foi_sheet": Knob((str,), "", "the XLSX worksheet holding the FOI returns; blank: the first visible sheet"),
    "round": Knob((str, int), None, "the FOI round, as the pages name it (such as 2011); blank: not stated"),
    "as_at": Knob((str, int, datetime.date), None, "the date the figures describe, ISO format (2011-03-31; "
                  "2011-03 or 2011 when the source gives no day); blank: undated"),
    "previous_run": Knob((str,), None, "an earlier run's folder, relative to the params file, to compare "
                         "with (scr run --previous overrides it); blank: no comparison"),
    # The pages' dateline (scr_lib/site: each page's byline and dates); blank: not shown
    "byline": Knob((str,), "", "who wrote the pages, as their byline shows it; blank: no byline"),
    "published": Knob((str, datetime.date), None, "the date the pages were first published (2026-12-07); "
                      "blank: no date shown", is_date=True),
    "updated": Knob((str, datetime.date), None, "the date the pages were last updated (2026-12-07); blank: none",
                    is_date=True),
    "corrections": Knob((str,), "", "a corrections note shown on every page; blank: none"),
    "site_url": Knob((str,), "", "the address the site is published at (https://...), for share cards' absolute "
                     "links; blank: links relative to each page"),
}
"""The knobs every run has. Each finding adds its own (``Finding.knobs``); the whole schema of a
params file is :data:`scr_lib.findings.KNOBS`."""

# Limits that keep reading a params file quick and small whatever it holds: a real one is a few lines.
MAX_BYTES = 64 * 1024
MAX_DEPTH = 20  # nested lists and mappings; a params file needs 1
MAX_NAME = 100  # characters in 'name': with the run's temporary suffixes, well inside a file name's 255 bytes


def _short(value) -> str:
    """``repr(value)``, cut to about 60 characters: a message never repeats a huge value."""
    shortener = reprlib.Repr()
    shortener.maxstring = shortener.maxother = 60
    shortener.maxlist = shortener.maxdict = 5
    shortener.maxlevel = 2
    try:
        return shortener.repr(value)
    except (ValueError, OverflowError):  # an integer too long to write out
        return f"a number of {value.bit_length() * 0.30103:,.0f} digits" if isinstance(value, int) else "a value"


def _short_text(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 20] + f"... ({len(text):,} characters)"


# A figure no knob takes: larger than any count of the Summary Care Record.
MAX_FIGURE = 1_000_000_000_000
# A path written on Windows: a drive letter or a network share.
_WINDOWS_ROOT = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")


# A run's name becomes a folder under build/: no separators, no leading dot.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class _TooComplex(ValueError):
    """A YAML construct a params file has no use for, and which could cost unbounded time or memory."""

    def __init__(self, line: int, message: str, key: str = ""):
        super().__init__(message)
        self.line, self.key = line, key


# A plain YAML scalar that PyYAML turns into a number ('12', '-3.5', '0x1f', '1_000'), and how many digits
# a figure may have: no knob takes a longer one, and converting a longer one costs time or fails.
_NUMBER = re.compile(r"[-+]?(0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_,:]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?"
                     r"|\.[0-9_]+([eE][-+]?[0-9]+)?)")
MAX_DIGITS = 30


def _refuse_complex_yaml(text: str) -> None:
    """Raise :class:`_TooComplex` at the first anchor or alias, at nesting deeper than ``MAX_DEPTH``, or at a
    number of more than ``MAX_DIGITS`` digits.

    Reads YAML events only (no objects are built), so a "billion laughs" file
    of nested aliases, a file of thousands of nested brackets, or a number of
    thousands of digits is refused in time proportional to its size, before
    PyYAML composes (and recurses into, or converts) it. The error names the
    top-level key the value belongs to.
    """
    depth, expect_key, key = 0, True, ""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _TooComplex(line, "YAML anchors and aliases (&name, *name) are not accepted in a params file; "
                                    "write each value out", key)
        if isinstance(event, yaml.ScalarEvent):
            if depth == 1:
                if expect_key:
                    key = event.value[:100]
                expect_key = not expect_key
            digits = sum(ch.isalnum() for ch in event.value) if event.style is None and \
                _NUMBER.fullmatch(event.value) else 0
            if digits > MAX_DIGITS:
                raise _TooComplex(line, f"a number of {digits:,} digits for {key!r}: far more than any setting "
                                        "takes; give a figure of a few digits", key)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooComplex(line, f"lists or mappings nested more than {MAX_DEPTH} deep; a params file "
                                        "holds one key: value a line", key if depth > 2 else "")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            if depth == 1:
                expect_key = not expect_key


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


def _suggest(key: str, knobs: Mapping[str, Knob]) -> str:
    close = difflib.get_close_matches(str(key), list(knobs), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def load_params(path: str | Path, knobs: Mapping[str, Knob]) -> Params:
    """Read and check a params file against ``knobs`` (the schema; the whole one is
    :data:`scr_lib.findings.KNOBS`, whose ``load_params`` passes it); raise :class:`InputError` naming each bad key.

    Each problem names the params file, the line of the key (0 when the key
    is missing) and the key. Checked: the file is a YAML mapping; no key is
    unknown or given twice; required keys are present; each value has its
    knob's type (``null`` means the default); figures that must be positive
    are finite and above 0; ``name`` is a plain folder name of at most
    ``MAX_NAME`` characters; paths (relative to the params file) point at
    existing files. A file over ``MAX_BYTES``, or using YAML anchors and
    aliases or nesting deeper than ``MAX_DEPTH``, is refused before it is
    parsed into objects, so any params file is refused or read in
    milliseconds.
    """
    path = Path(path)
    shown = display_path(path)
    if path.is_dir():
        raise InputError([Problem(shown, 0, "", "is a folder: expected a params file (.yaml)")])
    if not path.is_file():
        raise InputError([Problem(shown, 0, "", "no such params file")])
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError([Problem(shown, 0, "", f"too large for a params file ({path.stat().st_size:,} bytes; "
                                                    f"the limit is {MAX_BYTES:,}): is it the right file?")])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError([Problem(shown, 0, "", f"not UTF-8 text: {err}")]) from None
    except OSError as err:
        raise InputError([Problem(shown, 0, "", f"cannot be read: {err.strerror or err}")]) from None
    try:
        _refuse_complex_yaml(text)
        raw = yaml.safe_load(text)
        lines, repeated = _key_lines(text)
    except _TooComplex as err:
        raise InputError([Problem(shown, err.line, err.key, str(err))]) from None
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", -1) + 1
        raise InputError([Problem(shown, line, "", f"not valid YAML: {_short_text(str(err), 300)}")]) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as err:  # a value PyYAML cannot build
        # PyYAML reads 2026-02-30 as a date, and fails building it
        hint = "; write dates as 2026-12-07" if re.search(r"\b(day|month|year)\b", str(err)) else ""
        raise InputError([Problem(shown, 0, "", f"a value cannot be read: {_short_text(str(err), 200)}{hint}")]) from None
    if not isinstance(raw, dict):
        raise InputError([Problem(shown, 1, "", "expected a mapping of key: value lines")])
    problems, values = [], {}
    for key, first, again in repeated:
        problems.append(Problem(shown, again, key, f"{key!r} is given twice (also line {first}); keep one"))
    for key in raw:
        if key not in knobs:
            problems.append(Problem(shown, lines.get(str(key), 0), str(key),
                                    f"unknown key {key!r}; {_suggest(key, knobs)}known keys: {', '.join(knobs)}"))
    for key, knob in knobs.items():
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
            problems.append(Problem(shown, line, key, f"expected {wanted} for {key!r}, found {_short(value)}"))
            continue
        if knob.positive and not (math.isfinite(float(value)) and 0 < value <= MAX_FIGURE):
            problems.append(Problem(shown, line, key, f"expected a number above 0 and at most {MAX_FIGURE:,} for "
                                                      f"{key!r}, found {_short(value)}; leave it blank for the "
                                                      f"default ({knob.meaning})"))
            continue
        if key == "name" and not _NAME.fullmatch(value):
            problems.append(Problem(shown, line, key, f"expected a plain folder name for 'name' (letters, digits, "
                                                      f"'_', '-', '.'), found {_short(value)}"))
            continue
        if key == "name" and len(value) > MAX_NAME:
            problems.append(Problem(shown, line, key, f"expected a name of at most {MAX_NAME} characters for "
                                                      f"'name' (it names the output folder), found {len(value):,}"))
            continue
        if knob.is_date:
            try:
                value = datetime.date.fromisoformat(str(value)).isoformat()
            except ValueError:
                problems.append(Problem(shown, line, key, f"expected a date such as 2026-12-07 for {key!r}, "
                                                          f"found {_short(value)}"))
                continue
        if key == "site_url" and value and not re.fullmatch(r"https?://[^\s\"'<>]+", value):
            problems.append(Problem(shown, line, key, f"expected an address starting https:// for 'site_url', "
                                                      f"found {_short(value)}"))
            continue
        if knob.is_path:
            if "\x00" in value or len(value) > 4096:
                problems.append(Problem(shown, line, key, f"{key!r} is not a usable path: {_short(value)}"))
                continue
            resolved = (path.parent / value).resolve()
            if not resolved.exists() and "\\" in value and not _WINDOWS_ROOT.match(value):
                slashed = (path.parent / value.replace("\\", "/")).resolve()  # written on Windows: the same path
                resolved = slashed if slashed.exists() else resolved
            if not resolved.exists() and "\\" in value:
                problems.append(Problem(shown, line, key, f"{key!r} points at {_short(value)}, a path written "
                                                          "Windows-style, which does not lead to a file here: write "
                                                          "it relative to the params file, with '/' (such as "
                                                          "data/foi/returns.csv)"))
            elif not resolved.exists():
                problems.append(Problem(shown, line, key, f"{key!r} points at {_short(value)}, which does not exist "
                                                          f"(looked for {resolved})"))
            elif not resolved.is_file():
                problems.append(Problem(shown, line, key, f"{key!r} points at {value!r}, which is a folder: "
                                                          "expected a file"))
            value = str(resolved)
        values[key] = value
    problems += _sheet_problems(shown, values, lines)
    if problems:
        raise InputError(problems)
    return Params(path.resolve(), values)


def _sheet_problems(shown: str, values: dict, lines: dict) -> list[Problem]:
    """A problem at the ``foi_sheet`` line when it names a sheet the FOI file cannot have: any sheet of a
    CSV, or a sheet the workbook lacks (the message names the workbook's sheets)."""
    sheet, file = values.get("foi_sheet"), values.get("foi_returns")
    if not sheet or not file or not Path(file).is_file():
        return []
    from . import foi

    message = foi.sheet_problem(Path(file), sheet)
    return [Problem(shown, lines.get("foi_sheet", 0), "foi_sheet", message)] if message else []
