"""Load FOI returns: one row per PCT that answered, validated, with every problem reported.

The data dictionary lives in :data:`COLUMNS`; the README repeats it for readers.
Values are read by :mod:`scr_lib.values`: "not given" stays missing (never 0).
Loading never drops a row and never coerces a value it does not recognise:
any problem raises :class:`~scr_lib.problems.InputError` listing them all.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from . import reference, values
from .problems import InputError, Problem, display_path


@dataclass(frozen=True)
class Column:
    """One FOI column: its reader, pandas dtype, whether the file must have it, and its meaning."""

    reader: Callable | None
    dtype: str
    required: bool
    meaning: str


COLUMNS: dict[str, Column] = {
    "pct": Column(None, "str", True, "PCT name or ODS code as written in the answer"),
    "rollout_begun": Column(values.read_yes_no, "boolean", True,
                            "yes if the PCT had begun the Summary Care Record rollout"),
    "practices_invited": Column(values.read_count, "Int64", True,
                                "GP practices invited to take part (count)"),
    "practices_declined": Column(values.read_count, "Int64", True,
                                 "invited practices that declined (count)"),
    "practices_signed_up": Column(values.read_count, "Int64", False,
                                  "invited practices that agreed or showed interest (count)"),
    "spend_to_date_gbp": Column(values.read_money, "Float64", False,
                                "local spend on the rollout so far (£)"),
    "spend_expected_gbp": Column(values.read_money, "Float64", False,
                                 "further local spend expected (£)"),
    "records_uploaded": Column(values.read_count, "Int64", False,
                               "Summary Care Records uploaded (count)"),
    "records_viewed": Column(values.read_count, "Int64", False,
                             "uploaded records viewed or used (count)"),
    "foi_ref": Column(None, "str", False, "the PCT's FOI reference"),
    "notes": Column(None, "str", False, "free text from the answer"),
    "illustrative": Column(None, "str", False,
                           "';'-separated names of this row's columns whose values are illustrative "
                           "(generated, not from an FOI answer); blank when every value is as answered"),
}
VALUE_COLUMNS = [name for name, col in COLUMNS.items() if col.reader is not None]


def column_key(name: str) -> str:
    """Normalise a header for matching: lower case, runs of anything but letters and digits -> '_'."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


@dataclass
class RawTable:
    """Cells as text, with the spreadsheet row number of each row (header row included)."""

    file: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]


def read_csv_cells(path: Path) -> RawTable:
    """Read a CSV file as text cells. Row numbers are the spreadsheet's: the header is row 1."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        records = list(csv.reader(handle))
    if not records:
        raise InputError([Problem(display_path(path), 0, "", "the file is empty: expected a header row")])
    return RawTable(display_path(path), records[0], 1, list(enumerate(records[1:], start=2)))


@dataclass
class FOIReturns:
    """A validated FOI returns table.

    ``frame`` has one row per answer, in file order, with ``source_row`` (its
    spreadsheet row), ``ods_code``, ``pct_name`` and ``sha_name`` from the
    reference table, then every column of :data:`COLUMNS` in its dtype.
    ``header`` maps each canonical column to the header text in the file;
    ``ignored_columns`` lists the file's columns that the suite does not use.
    """

    file: str
    frame: pd.DataFrame
    header: dict[str, str]
    ignored_columns: list[str] = field(default_factory=list)
    skipped_blank_rows: list[int] = field(default_factory=list)

    def is_illustrative(self, column: str) -> pd.Series:
        """Boolean Series, True where ``column``'s value in that row is illustrative."""
        return illustrative_mask(self.frame, column)


def illustrative_mask(frame: pd.DataFrame, column: str) -> pd.Series:
    """True where the row's ``illustrative`` list names ``column`` (or '*', every column)."""
    listed = frame["illustrative"].fillna("").str.split(";")
    return listed.map(lambda names: column in names or "*" in names).astype(bool)


def _match_header(table: RawTable) -> tuple[dict[str, int], list[str], list[Problem]]:
    problems, where, ignored = [], {}, []
    for i, text in enumerate(table.header):
        key = column_key(text)
        if key in COLUMNS:
            if key in where:
                problems.append(Problem(table.file, table.header_row, text,
                                        f"column {key!r} appears twice (also column {where[key] + 1})"))
            where[key] = i
        elif text.strip():
            ignored.append(text)
    for name, col in COLUMNS.items():
        if col.required and name not in where:
            problems.append(Problem(table.file, table.header_row, name,
                                    f"missing column {name!r}; the header has: {', '.join(table.header)}"))
    return where, ignored, problems


def read_returns(table: RawTable) -> FOIReturns:
    """Validate a :class:`RawTable` of FOI returns and build its frame; raise if anything is wrong."""
    where, ignored, problems = _match_header(table)
    if problems:
        raise InputError(problems)
    header = {name: table.header[i] for name, i in where.items()}
    records, blank_rows = [], []
    for row_number, cells in table.rows:
        if not any(str(c).strip() for c in cells):
            blank_rows.append(row_number)
            continue
        if len(cells) > len(table.header):
            extra = [c for c in cells[len(table.header):] if str(c).strip()]
            if extra:
                problems.append(Problem(table.file, row_number, "",
                                        f"row has {len(cells)} cells but the header has {len(table.header)}"))
        record = {"source_row": row_number}
        for name, col in COLUMNS.items():
            i = where.get(name)
            text = cells[i] if i is not None and i < len(cells) else ""
            if col.reader is None:
                record[name] = str(text).strip()
                continue
            try:
                record[name] = col.reader(text)
            except ValueError as err:
                problems.append(Problem(table.file, row_number, header[name], str(err)))
                record[name] = None
        try:
            match = reference.resolve(record["pct"])
            record["ods_code"] = match.ods_code
        except reference.UnknownPCT as err:
            problems.append(Problem(table.file, row_number, header["pct"], str(err)))
            record["ods_code"] = None
        for name in filter(None, record["illustrative"].split(";")):
            if name != "*" and name not in COLUMNS:
                problems.append(Problem(table.file, row_number, header.get("illustrative", "illustrative"),
                                        f"unknown column {name!r} in the illustrative list"))
        records.append(record)

    frame = pd.DataFrame.from_records(records, columns=["source_row", "ods_code", *COLUMNS])
    problems += consistency_problems(frame, table.file, header)
    if problems:
        raise InputError(problems)
    frame = frame.astype({name: col.dtype for name, col in COLUMNS.items()})
    ref = reference.load_pcts().set_index("ods_code")
    frame.insert(2, "pct_name", frame["ods_code"].map(ref["name"]))
    frame.insert(3, "sha_name", frame["ods_code"].map(ref["sha_name"]))
    return FOIReturns(table.file, frame, header, ignored, blank_rows)


def consistency_problems(frame: pd.DataFrame, file: str, header: dict[str, str]) -> list[Problem]:
    """Rules that tie a row's values together; each broken rule is one problem.

    Missing values never break a rule: a rule is checked only where all its
    values are given. The same PCT twice (by name and by code, say) is a
    problem on the later row.
    """
    problems = []

    def col(name):  # the header as written, or the canonical name if the file lacks it
        return header.get(name, name)

    def given(row, *names):
        return all(row[n] is not None and not pd.isna(row[n]) for n in names)

    first_seen: dict[str, int] = {}
    for row in frame.to_dict("records"):
        n = row["source_row"]
        code = row["ods_code"]
        if code is not None:
            if code in first_seen:
                problems.append(Problem(file, n, col("pct"),
                                        f"{reference.pct_name(code)} ({code}) appears twice: "
                                        f"also row {first_seen[code]}"))
            first_seen.setdefault(code, n)
        for name in VALUE_COLUMNS:
            if name != "rollout_begun" and given(row, name) and row[name] < 0:
                problems.append(Problem(file, n, col(name), f"expected zero or more, found {row[name]:g}"))
        if given(row, "practices_declined", "practices_invited") and \
                row["practices_declined"] > row["practices_invited"]:
            problems.append(Problem(file, n, col("practices_declined"),
                                    f"more practices declined ({row['practices_declined']}) than were invited "
                                    f"({row['practices_invited']})"))
        elif given(row, "practices_declined", "practices_invited", "practices_signed_up") and \
                row["practices_declined"] + row["practices_signed_up"] > row["practices_invited"]:
            problems.append(Problem(file, n, col("practices_signed_up"),
                                    f"signed up ({row['practices_signed_up']}) plus declined "
                                    f"({row['practices_declined']}) is more than invited "
                                    f"({row['practices_invited']})"))
        if given(row, "records_viewed", "records_uploaded") and row["records_viewed"] > row["records_uploaded"]:
            problems.append(Problem(file, n, col("records_viewed"),
                                    f"more records viewed ({row['records_viewed']}) than uploaded "
                                    f"({row['records_uploaded']})"))
    return problems


def load_returns(path: str | Path) -> FOIReturns:
    """Load and validate an FOI returns file (CSV, UTF-8 with or without BOM).

    Raises :class:`~scr_lib.problems.InputError` listing every problem as
    ``FILE:ROW:COLUMN: message``; returns :class:`FOIReturns` otherwise.
    Wholly blank rows are skipped and listed in ``skipped_blank_rows``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(display_path(path), 0, "", "no such file")])
    return read_returns(read_csv_cells(path))
