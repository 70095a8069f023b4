"""Load FOI returns: one row per PCT that answered, validated, with every problem reported.

The data dictionary lives in :data:`COLUMNS` (with the header names each
column is also known by in :data:`VARIANTS`); ``docs/rerunning.md`` repeats it
for readers. Values are read by :mod:`scr_lib.values`: "not given" stays
missing (never 0). Loading never drops a row and never coerces a value it
does not recognise: any problem raises :class:`~scr_lib.problems.InputError`
listing them all.

Formats: CSV in UTF-8 (with or without a byte-order mark) or Windows-1252,
detected from the bytes (a file that is neither, or mixes the two, is an
error, never a guess); or XLSX, the first worksheet or a named one. Title or
notes rows above the header are skipped: the header is the first row that
names at least two known columns. Row numbers are always the spreadsheet's.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
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
    "pct": Column(None, "str", True, "PCT name or ODS code as written in the answer "
                                     "(a file may give the code in a pct_code column instead, or as well)"),
    "pct_code": Column(None, "str", False, "the PCT's ODS code, where the file gives one beside the name; "
                                           "it must agree with the name"),
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
                           "(generated, not from an FOI answer); '*' for all of them; "
                           "blank when every value is as answered"),
}
VALUE_COLUMNS = [name for name, col in COLUMNS.items() if col.reader is not None]

# Other header names each column is known by, as FOI officers write them. A header matches after
# :func:`header_key`: case, spaces and punctuation are ignored, and so are a leading "No. of" or
# "Number of" and a unit such as "(£)", "GBP" or "(Y/N)". "PCT name" and "pct" are the same header.
VARIANTS: dict[str, tuple[str, ...]] = {
    "pct": ("PCT name", "Primary Care Trust", "Organisation", "Organisation name", "Trust name"),
    "pct_code": ("ODS code", "PCT code", "Organisation code", "Org code"),
    "rollout_begun": ("Rollout begun", "Roll-out begun?", "Rollout started", "Has the rollout begun?",
                      "SCR rollout begun"),
    "practices_invited": ("No. of practices invited", "Number of practices invited", "Invited",
                          "Practices contacted"),
    "practices_declined": ("Practices declined", "No. of practices declined", "Declined",
                           "Practices refused", "Practices that declined"),
    "practices_signed_up": ("Practices signed up", "Signed up", "Practices agreed",
                            "Practices that agreed", "Practices interested"),
    "spend_to_date_gbp": ("Spend to date (£)", "Spend to date", "Spent to date", "Amount spent to date",
                          "Expenditure to date"),
    "spend_expected_gbp": ("Spend expected (£)", "Further spend expected (£)", "Expected further spend",
                           "Planned further spend"),
    "records_uploaded": ("Records uploaded", "No. of records uploaded", "SCRs uploaded",
                         "Summary Care Records uploaded"),
    "records_viewed": ("Records viewed", "Records accessed", "Records used", "SCRs viewed"),
    "foi_ref": ("FOI ref", "FOI reference", "Our ref", "Request reference"),
    "notes": ("Notes", "Note", "Comments", "Comment"),
    "illustrative": (),
}

_PREFIXES = ("no_of_", "number_of_", "num_of_", "nr_of_")
_SUFFIXES = ("_gbp", "_pounds", "_y_n", "_yes_no")
# The header is the first row naming at least this many known columns.
HEADER_MIN_COLUMNS = 2


def column_key(name: str) -> str:
    """Normalise a header for matching: lower case, runs of anything but letters and digits -> '_'."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def header_key(name: str) -> str:
    """:func:`column_key`, then drop a leading "no_of_"/"number_of_" and a unit ("_gbp", "_y_n").

    'No. of practices invited' -> 'practices_invited'; 'Spend to date (£)' -> 'spend_to_date'.
    """
    key = column_key(name)
    for prefix in _PREFIXES:
        key = key.removeprefix(prefix)
    for suffix in _SUFFIXES:
        key = key.removesuffix(suffix)
    return key


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name in COLUMNS:
        for text in (name, *VARIANTS.get(name, ())):
            key = header_key(text)
            if index.get(key, name) != name:  # pragma: no cover - guarded by a test
                raise RuntimeError(f"header {text!r} would mean both {index[key]!r} and {name!r}")
            index[key] = name
    return index


_HEADERS = _header_index()


def canonical_column(header: str) -> str | None:
    """The column of :data:`COLUMNS` a file's header names, or ``None`` if it names none of them."""
    return _HEADERS.get(header_key(header))


@dataclass
class RawTable:
    """Cells as text, with the spreadsheet row number of each row (header row included).

    ``source`` says how the file was read ('CSV, UTF-8', "XLSX, sheet 'Returns'");
    ``skipped_rows`` lists the non-blank rows above the header that were skipped;
    ``cell_problems`` maps (row, cell index) to a problem found while reading
    the cell (a formula with no saved value), which replaces reading its value.
    ``sheet_position`` is the worksheet's place in an XLSX workbook (0: the first).
    """

    file: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]
    source: str = "CSV"
    skipped_rows: list[int] = field(default_factory=list)
    cell_problems: dict = field(default_factory=dict)
    sheet_position: int = 0


# ---------------------------------------------------------------------------------------------
# Reading files into rows of text cells

_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index: 0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _csv_records(text: str) -> list[list[str]]:
    """Parse CSV text strictly (an unclosed quote is an error, not a swallowed file)."""
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def _encoding_problem(file: str, raw: bytes, text: str, err: UnicodeDecodeError, message: str) -> Problem:
    """The problem of an undecodable byte, at the row and column of the first U+FFFD in ``text``
    (the file decoded with replacement characters)."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    row, index = next(((number, i) for number, cells in enumerate(records, start=1)
                       for i, cell in enumerate(cells) if "\ufffd" in cell), (0, -1))
    found = find_header(list(enumerate(records, start=1)))
    column = ""
    if found is not None and row > found and index >= 0:
        header = records[found - 1]
        column = header[index] if index < len(header) else ""
    byte = raw[err.start:err.start + 1].hex().upper()
    return Problem(file, row, column, message.format(byte=f"0x{byte}"))


def decode_csv(path: Path) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in ('UTF-8', 'UTF-8 with BOM', 'Windows-1252').

    Detection: a UTF-8 byte-order mark means UTF-8; otherwise the file is
    UTF-8 if every byte decodes as UTF-8, else Windows-1252 if it holds no
    UTF-8 sequence at all (a file that mixes the two is refused) and every
    byte is defined in Windows-1252. Raises :class:`InputError` naming the
    row and column of the first byte that fits neither.
    """
    file = display_path(path)
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError([Problem(file, 0, "", "the file is UTF-16 ('Unicode text'): save it as 'CSV UTF-8' "
                                                "or plain CSV, or send the .xlsx")])
    if b"\x00" in raw:
        raise InputError([Problem(file, 0, "", "the file holds NUL bytes: expected a CSV (text) or an .xlsx "
                                                "workbook")])
    if raw.startswith(codecs.BOM_UTF8):
        body = raw[len(codecs.BOM_UTF8):]
        try:
            return body.decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as err:
            text = body.decode("utf-8", errors="replace")
            raise InputError([_encoding_problem(file, body, text, err,
                                                "byte {byte} is not UTF-8, though the file starts with a UTF-8 "
                                                "marker: save it again as 'CSV UTF-8'")]) from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as err:
        if _UTF8_SEQUENCE.search(raw):
            text = raw.decode("utf-8", errors="replace")
            raise InputError([_encoding_problem(file, raw, text, err,
                                                "byte {byte} is not UTF-8, but other text in the file is: "
                                                "the file mixes two encodings; save it again as 'CSV UTF-8'")]
                             ) from None
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as err:
        text = raw.decode("cp1252", errors="replace")
        raise InputError([_encoding_problem(file, raw, text, err,
                                            "byte {byte} is neither UTF-8 nor Windows-1252: the file's "
                                            "encoding is not recognised; save it as 'CSV UTF-8'")]) from None


def _csv_grid(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    """Every row of a CSV file as (spreadsheet row, cells), and how it was decoded."""
    text, encoding = decode_csv(path)
    try:
        records = _csv_records(text)
    except csv.Error as err:
        raise InputError([Problem(display_path(path), _strict_row(text), "",
                                  f"not valid CSV: {err} (a quote opened in this row is never closed, "
                                  "or a quoted cell has text after its closing quote)")]) from None
    return list(enumerate(records, start=1)), f"CSV, {encoding}"


def _strict_row(text: str) -> int:
    """The spreadsheet row at which strict CSV parsing fails."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    count = 0
    try:
        for _ in reader:
            count += 1
    except csv.Error:
        return count + 1
    return count  # pragma: no cover


def read_csv_cells(path: Path) -> RawTable:
    """Read a CSV file as text cells, header in row 1. Row numbers are the spreadsheet's.

    Encodings as :func:`decode_csv` detects them. For FOI returns (header
    found below any title rows) use :func:`read_cells`.
    """
    path = Path(path)
    grid, source = _csv_grid(path)
    if not grid:
        raise InputError([Problem(display_path(path), 0, "", "the file is empty: expected a header row")])
    return RawTable(display_path(path), grid[0][1], 1, grid[1:], source)


def _xlsx_text(value) -> str:
    """A cell's value as the text a CSV would hold: 38.0 -> '38'; floats to Excel's 15 digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _pick_sheet(workbook, sheet: str | None, file: str):
    names = workbook.sheetnames
    if not sheet:
        if not workbook.worksheets:
            raise InputError([Problem(file, 0, "", "the workbook has no worksheet")])
        return workbook.worksheets[0]
    if sheet in names:
        return workbook[sheet]
    loose = [n for n in names if " ".join(n.lower().split()) == " ".join(sheet.lower().split())]
    if len(loose) == 1:
        return workbook[loose[0]]
    raise InputError([Problem(file, 0, "", f"no sheet named {sheet!r}; the sheets are: "
                                           f"{', '.join(repr(n) for n in names)}")])


def _xlsx_grid(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[str]]], str, dict, int]:
    """Every row of a worksheet as (spreadsheet row, text cells), its description, cell problems and position."""
    import zipfile

    import openpyxl

    file = display_path(path)
    try:
        values_book = openpyxl.load_workbook(path, data_only=True)
        formula_book = openpyxl.load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise InputError([Problem(file, 0, "", f"could not be read as an .xlsx workbook: {err}")]) from None
    ws = _pick_sheet(values_book, sheet, file)
    formulas = formula_book[ws.title]
    grid, cell_problems = [], {}
    for cells in ws.iter_rows():
        if not cells:
            continue
        row = cells[0].row
        texts = []
        for index, cell in enumerate(cells):
            texts.append(_xlsx_text(cell.value))
            if cell.value is None:
                formula = formulas.cell(row=row, column=cell.column).value
                if isinstance(formula, str) and formula.startswith("="):
                    cell_problems[(row, index)] = (f"the formula {formula!r} has no saved value: open the file "
                                                   "in a spreadsheet program and save it, or paste the values")
        grid.append((row, texts))
    return grid, f"XLSX, sheet {ws.title!r}", cell_problems, values_book.worksheets.index(ws)


def find_header(grid: list[tuple[int, list[str]]]) -> int | None:
    """The spreadsheet row of the header: the first row naming :data:`HEADER_MIN_COLUMNS` known columns."""
    for row, cells in grid:
        known = {canonical_column(c) for c in cells if str(c).strip()} - {None}
        if len(known) >= HEADER_MIN_COLUMNS:
            return row
    return None


def read_cells(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read an FOI file (CSV or XLSX, told apart by its bytes) as text cells below its header.

    ``sheet`` names an XLSX worksheet (default: the first); it is an error for
    a CSV. Rows above the header that hold anything are listed in
    ``skipped_rows``. Raises :class:`InputError` when the file cannot be
    read, is empty, or has no header row.
    """
    path = Path(path)
    file = display_path(path)
    if not path.is_file():
        raise InputError([Problem(file, 0, "", "no such file" if not path.exists() else "expected a file, "
                                                                                         "found a folder")])
    with open(path, "rb") as handle:
        start = handle.read(8)
    cell_problems, position = {}, 0
    if start.startswith(_OLE2):
        raise InputError([Problem(file, 0, "", "this is an old-style Excel .xls workbook, which is not read: "
                                                "save it as .xlsx or as CSV")])
    if start.startswith(_ZIP):
        grid, source, cell_problems, position = _xlsx_grid(path, sheet)
    else:
        if sheet:
            raise InputError([Problem(file, 0, "", f"a sheet ({sheet!r}) was named, but this is a CSV file, "
                                                    "which has none")])
        grid, source = _csv_grid(path)
    if not any(any(str(c).strip() for c in cells) for _, cells in grid):
        raise InputError([Problem(file, 0, "", "the file is empty: expected a header row")])
    header_row = find_header(grid)
    if header_row is None:
        first = next(cells for _, cells in grid if any(str(c).strip() for c in cells))
        hint = ""
        if len(first) == 1 and (";" in first[0] or "\t" in first[0]):
            hint = " The first row looks separated by ';' or tabs: save the file as comma-separated CSV."
        raise InputError([Problem(file, 0, "", "no header row found: expected a row naming the columns, such as "
                                               f"{', '.join(n for n, c in COLUMNS.items() if c.required)}; "
                                               f"the first row has: {', '.join(map(str, first))}.{hint}")])
    at = [row for row, _ in grid].index(header_row)
    skipped = [row for row, cells in grid[:at] if any(str(c).strip() for c in cells)]
    header = [str(c).strip() for c in grid[at][1]]
    return RawTable(file, header, header_row, grid[at + 1:], source, skipped, cell_problems, position)


# ---------------------------------------------------------------------------------------------
# Validating the cells


@dataclass
class FOIReturns:
    """A validated FOI returns table.

    ``frame`` has one row per answer, in file order, with ``source_row`` (its
    spreadsheet row), ``ods_code``, ``pct_name`` and ``sha_name`` from the
    reference table, then every column of :data:`COLUMNS` in its dtype.
    ``header`` maps each canonical column to the header text in the file;
    ``ignored_columns`` lists the file's columns that the suite does not use.
    ``source`` says how it was read; ``header_row`` is the header's row and
    ``skipped_rows`` the title or notes rows above it; ``sheet_position`` is
    the worksheet's place in an XLSX workbook (0 for the first, and for CSV).
    """

    file: str
    frame: pd.DataFrame
    header: dict[str, str]
    ignored_columns: list[str] = field(default_factory=list)
    skipped_blank_rows: list[int] = field(default_factory=list)
    source: str = "CSV"
    header_row: int = 1
    skipped_rows: list[int] = field(default_factory=list)
    sheet_position: int = 0

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
        name = canonical_column(text) if text.strip() else None
        if name is not None:
            if name in where:
                problems.append(Problem(table.file, table.header_row, text,
                                        f"{table.header[where[name]]!r} (column {column_letter(where[name])}) and "
                                        f"{text!r} (column {column_letter(i)}) both name the column {name!r}"))
                continue
            where[name] = i
        elif text.strip():
            ignored.append(text)
    for name, col in COLUMNS.items():
        if name == "pct" and "pct_code" in where:
            continue
        if col.required and name not in where:
            also = VARIANTS.get(name, ())
            known_as = f" (or {', '.join(repr(v) for v in also)})" if also else ""
            problems.append(Problem(table.file, table.header_row, name,
                                    f"missing column {name!r}{known_as}; the header has: "
                                    f"{', '.join(t for t in table.header if t)}"))
    return where, ignored, problems


@dataclass
class _Validated:
    frame: pd.DataFrame | None
    header: dict
    ignored: list
    blank_rows: list
    answers: list
    problems: list


def _resolve_pct(table: RawTable, row_number: int, record: dict, header: dict) -> list[Problem]:
    """Set ``record['ods_code']`` from the name and/or code columns; return any problems."""
    problems = []
    record["ods_code"] = None
    found = {}
    for name in ("pct", "pct_code"):
        text = record.get(name, "")
        if name not in header or not text:
            continue
        try:
            found[name] = reference.resolve(text).ods_code
        except reference.UnknownPCT as err:
            problems.append(Problem(table.file, row_number, header[name], str(err)))
    if not record.get("pct") and not record.get("pct_code"):
        column = header.get("pct", header.get("pct_code"))
        problems.append(Problem(table.file, row_number, column,
                                "expected a PCT name or ODS code, found nothing"))
    if len(found) == 2 and found["pct"] != found["pct_code"]:
        problems.append(Problem(table.file, row_number, header["pct_code"],
                                f"the ODS code {record['pct_code']!r} is {reference.pct_name(found['pct_code'])} "
                                f"({found['pct_code']}), but the name {record['pct']!r} is "
                                f"{reference.pct_name(found['pct'])} ({found['pct']})"))
    elif found and not problems:
        record["ods_code"] = next(iter(found.values()))
    if not record.get("pct"):
        record["pct"] = record.get("pct_code", "")
    return problems


def _validate(table: RawTable) -> _Validated:
    where, ignored, problems = _match_header(table)
    header = {name: table.header[i] for name, i in where.items()}
    if problems:
        return _Validated(None, header, ignored, [], [], problems)
    records, blank_rows, answers = [], [], []
    for row_number, cells in table.rows:
        if not any(str(c).strip() for c in cells):
            blank_rows.append(row_number)
            continue
        answers.append(row_number)
        for i, text in enumerate(cells):
            unnamed = i >= len(table.header) or not table.header[i]
            if unnamed and str(text).strip():
                problems.append(Problem(table.file, row_number, "",
                                        f"a value ({str(text).strip()!r}) in column {column_letter(i)}, "
                                        "which has no header"))
        record = {"source_row": row_number}
        for name, col in COLUMNS.items():
            i = where.get(name)
            text = cells[i] if i is not None and i < len(cells) else ""
            if i is not None and (row_number, i) in table.cell_problems:
                problems.append(Problem(table.file, row_number, header[name],
                                        table.cell_problems[(row_number, i)]))
                record[name] = None if col.reader else ""
                continue
            if col.reader is None:
                record[name] = str(text).strip()
                continue
            try:
                record[name] = col.reader(text)
            except ValueError as err:
                problems.append(Problem(table.file, row_number, header[name], str(err)))
                record[name] = None
        problems += _resolve_pct(table, row_number, record, header)
        for name in filter(None, (n.strip() for n in record["illustrative"].split(";"))):
            if name != "*" and name not in COLUMNS:
                problems.append(Problem(table.file, row_number, header.get("illustrative", "illustrative"),
                                        f"unknown column {name!r} in the illustrative list; expected '*' or "
                                        f"names from: {', '.join(COLUMNS)}"))
        records.append(record)

    if not answers:
        problems.append(Problem(table.file, table.header_row, "", "no answers below the header: expected one row "
                                                                  "per PCT that answered"))
    frame = pd.DataFrame.from_records(records, columns=["source_row", "ods_code", *COLUMNS])
    problems += consistency_problems(frame, table.file, header)
    if problems:
        return _Validated(None, header, ignored, blank_rows, answers, problems)
    frame = frame.astype({name: col.dtype for name, col in COLUMNS.items()})
    ref = reference.load_pcts().set_index("ods_code")
    frame.insert(2, "pct_name", frame["ods_code"].map(ref["name"]))
    frame.insert(3, "sha_name", frame["ods_code"].map(ref["sha_name"]))
    return _Validated(frame, header, ignored, blank_rows, answers, [])


def read_returns(table: RawTable) -> FOIReturns:
    """Validate a :class:`RawTable` of FOI returns and build its frame; raise if anything is wrong."""
    done = _validate(table)
    if done.problems:
        raise InputError(done.problems)
    return FOIReturns(table.file, done.frame, done.header, done.ignored, done.blank_rows, table.source,
                      table.header_row, table.skipped_rows, table.sheet_position)


def consistency_problems(frame: pd.DataFrame, file: str, header: dict[str, str]) -> list[Problem]:
    """Rules that tie a row's values together; each broken rule is one problem.

    Missing values never break a rule: a rule is checked only where all its
    values are given (and not negative, which is a problem of its own). The same PCT twice (by name and by code, say) is a
    problem on the later row.
    """
    problems = []

    def col(name):  # the header as written, or the canonical name if the file lacks it
        return header.get(name, name)

    def present(row, name):
        return row[name] is not None and not pd.isna(row[name])

    def given(row, *names):  # present and not negative (a negative value is already a problem)
        return all(present(row, n) and row[n] >= 0 for n in names)

    def num(value):  # a count as written: 20, not 20.0
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"

    first_seen: dict[str, int] = {}
    for row in frame.to_dict("records"):
        n = row["source_row"]
        code = row["ods_code"]
        if code is not None and not pd.isna(code):
            if code in first_seen:
                problems.append(Problem(file, n, col("pct") if "pct" in header else col("pct_code"),
                                        f"{reference.pct_name(code)} ({code}) appears twice: "
                                        f"also row {first_seen[code]}"))
            first_seen.setdefault(code, n)
        for name in VALUE_COLUMNS:
            if name != "rollout_begun" and present(row, name) and row[name] < 0:
                problems.append(Problem(file, n, col(name), f"expected zero or more, found {row[name]:g}"))
        if given(row, "practices_declined", "practices_invited") and \
                row["practices_declined"] > row["practices_invited"]:
            problems.append(Problem(file, n, col("practices_declined"),
                                    f"more practices declined ({num(row['practices_declined'])}) than were "
                                    f"invited ({num(row['practices_invited'])})"))
        elif given(row, "practices_declined", "practices_invited", "practices_signed_up") and \
                row["practices_declined"] + row["practices_signed_up"] > row["practices_invited"]:
            problems.append(Problem(file, n, col("practices_signed_up"),
                                    f"signed up ({num(row['practices_signed_up'])}) plus declined "
                                    f"({num(row['practices_declined'])}) is more than invited "
                                    f"({num(row['practices_invited'])})"))
        if given(row, "records_viewed", "records_uploaded") and row["records_viewed"] > row["records_uploaded"]:
            problems.append(Problem(file, n, col("records_viewed"),
                                    f"more records viewed ({num(row['records_viewed'])}) than uploaded "
                                    f"({num(row['records_uploaded'])})"))
    return problems


def load_returns(path: str | Path, sheet: str | None = None) -> FOIReturns:
    """Load and validate an FOI returns file: CSV (UTF-8, with or without BOM, or Windows-1252) or XLSX.

    ``sheet`` names the XLSX worksheet to read (default, or ''/None: the
    first). Raises :class:`~scr_lib.problems.InputError` listing every
    problem as ``FILE:ROW:COLUMN: message``; returns :class:`FOIReturns`
    otherwise. Wholly blank rows are skipped and listed in
    ``skipped_blank_rows``; title rows above the header in ``skipped_rows``.
    The file is only read, never written.
    """
    return read_returns(read_cells(path, sheet or None))


@dataclass(frozen=True)
class Check:
    """What :func:`check` found: every problem (none if the file is good) and a one-line summary."""

    file: str
    problems: list
    summary: str
    returns: FOIReturns | None


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def check(path: str | Path, sheet: str | None = None) -> Check:
    """Validate an FOI file without raising: its problems, and a one-line summary of what was read.

    The summary names the format (and encoding or sheet), the header row, the
    answers read and the columns used or ignored, and ends with the number of
    problems ('no problems' when there are none).
    """
    file = display_path(Path(path))
    try:
        table = read_cells(path, sheet or None)
    except InputError as err:
        return Check(file, err.problems, f"{file}: could not be read; {_plural(len(err.problems), 'problem')}",
                     None)
    done = _validate(table)
    problems = InputError(done.problems).problems if done.problems else []
    parts = [f"{file}: {table.source}", f"header in row {table.header_row}"]
    if table.skipped_rows:
        parts[-1] += f" ({_plural(len(table.skipped_rows), 'title row')} above it skipped)"
    if done.answers:
        parts.append(f"{_plural(len(done.answers), 'answer')} in rows {done.answers[0]}-{done.answers[-1]}")
    else:
        parts.append("no answers below it")
    if done.blank_rows:
        parts[-1] += f" ({_plural(len(done.blank_rows), 'blank row')} skipped)"
    used = f"{_plural(len(done.header), 'column')} used"
    if done.ignored:
        used += f", {len(done.ignored):,} ignored ({', '.join(done.ignored)})"
    parts.append(used)
    parts.append(_plural(len(problems), "problem") if problems else "no problems")
    returns = None
    if not problems:
        returns = FOIReturns(table.file, done.frame, done.header, done.ignored, done.blank_rows, table.source,
                             table.header_row, table.skipped_rows, table.sheet_position)
    return Check(file, problems, "; ".join(parts), returns)
