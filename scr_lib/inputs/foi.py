"""Load FOI returns: one row per PCT that answered, validated, with every problem reported.

The data dictionary lives in :data:`COLUMNS` (with the header names each
column is also known by in :data:`VARIANTS`); ``docs/rerunning.md`` repeats it
for readers. Values are read by :mod:`scr_lib.inputs.values`: "not given" stays
missing (never 0). Loading never drops a row and never coerces a value it
does not recognise: any problem raises :class:`~scr_lib.problems.InputError`
listing them all.

Formats: CSV in UTF-8 (with or without a byte-order mark) or Windows-1252,
detected from the bytes (a file that is neither, or mixes the two, is an
error, never a guess); or XLSX, the first visible worksheet or a named one,
streamed (never loaded whole) after its sizes are checked against the limits
(:data:`MAX_ROWS`, :data:`MAX_COLUMNS`, :data:`MAX_FILE_BYTES`). Title or
notes rows above the header are skipped: the header is the first row that
names at least two known columns. Row numbers are always the spreadsheet's.
What a reader sees is what is read: merged cells count for every cell they
cover, a hidden sheet is not read unless named, hidden rows and columns are
problems; notes and footnote rows below the data are skipped and counted.
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
from ..problems import InputError, Problem, display_path


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


# Units in money headers: "(£000s)", "(£k)", "£'000", "(£m)", "in thousands of pounds". The header is
# matched without its unit and the column's values are multiplied by it.
_UNITS = [
    (re.compile(r"(£|\bgbp)\s*'?\s*(000s?|k|thousands?)\b|\(\s*'?000s?\s*\)|\bthousands? of pounds\b", re.I),
     1_000, "thousands of pounds"),
    (re.compile(r"(£|\bgbp)\s*(m|mn|millions?)\b|\bmillions? of pounds\b", re.I), 1_000_000, "millions of pounds"),
]
_OTHER_UNIT = re.compile(r"(£|\bgbp)\s*(bn|b|billions?|\d+)\b", re.I)
MONEY_COLUMNS = [name for name, col in COLUMNS.items() if col.reader is values.read_money]


def header_unit(header: str) -> tuple[str, int, str]:
    """A header without its money unit, the unit's multiplier and its name.

    'Spend to date (£000s)' -> ('Spend to date ()', 1000, 'thousands of pounds');
    'Spend to date (£)' -> ('Spend to date (£)', 1, ''). A unit the suite does not
    know ('£bn') raises ``ValueError``.
    """
    for pattern, scale, name in _UNITS:
        if pattern.search(header):
            return pattern.sub(" ", header), scale, name
    if _OTHER_UNIT.search(header):
        raise ValueError(f"the unit in {header!r} is not read: give the figures in pounds, '£000s' or '£m'")
    return header, 1, ""


def canonical_column(header: str) -> str | None:
    """The column of :data:`COLUMNS` a file's header names, or ``None`` if it names none of them.

    A money unit in the header ('(£000s)') is ignored here; :func:`header_unit` reads it.
    """
    found = _HEADERS.get(header_key(header))
    if found is None:
        try:
            plain, scale, _ = header_unit(header)
        except ValueError:
            return None
        if scale != 1:
            found = _HEADERS.get(header_key(plain))
    return found


# Words in a header the suite does not read that suggest it holds data the suite needs, and the
# columns it may be meant as.
_LOOKS_LIKE = [
    (re.compile(r"spen[dt]|cost|expend|budget|£|gbp|pounds|money|amount"), ("spend_to_date_gbp", "spend_expected_gbp")),
    (re.compile(r"record|scr|upload|view|access"), ("records_uploaded", "records_viewed")),
    (re.compile(r"invit|contact"), ("practices_invited",)),
    (re.compile(r"declin|refus|opt.?out|reject"), ("practices_declined",)),
    (re.compile(r"sign|agree|interest|accept"), ("practices_signed_up",)),
    (re.compile(r"practice|surger"), ("practices_invited", "practices_declined", "practices_signed_up")),
    (re.compile(r"roll.?out|begun|started|launch"), ("rollout_begun",)),
]


def looks_like(header: str) -> tuple[str, ...]:
    """The columns an unread header may be meant as ('Spend (£)' -> the two spend columns); () if none."""
    key = str(header).lower()
    for pattern, columns in _LOOKS_LIKE:
        if pattern.search(key):
            return columns
    return ()


@dataclass
class RawTable:
    """Cells as text, with the spreadsheet row number of each row (header row included).

    ``source`` says how the file was read ('CSV, UTF-8', "XLSX, sheet 'Returns'");
    ``skipped_rows`` lists the non-blank rows above the header that were skipped;
    ``cell_problems`` maps (row, cell index) to a problem found while reading
    the cell (a formula with no saved value), which replaces reading its value.
    ``sheet_position`` is the worksheet's place in an XLSX workbook (0: the first).
    ``problems`` are found while reading (hidden rows or columns, merged PCT
    cells); ``remarks`` are said in the check summary (hidden sheets not read,
    merged cells filled). ``strict_width``: a row may not have more cells than
    the header (a CSV, where an extra field means an unquoted comma).
    """

    file: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]
    source: str = "CSV"
    skipped_rows: list[int] = field(default_factory=list)
    cell_problems: dict = field(default_factory=dict)
    sheet_position: int = 0
    problems: list = field(default_factory=list)
    remarks: list = field(default_factory=list)
    strict_width: bool = False


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


# ---------------------------------------------------------------------------------------------
# Limits: the largest file the suite reads (docs/rerunning.md, "Limits"). Larger files are refused
# before they are parsed, from the zip's own table of sizes and the sheet's stated dimension.

MAX_ROWS = 200_000
MAX_COLUMNS = 100  # columns A-CV
MAX_FILE_BYTES = 50_000_000
MAX_SHEET_XML_BYTES = 150_000_000  # one worksheet, uncompressed
MAX_STRINGS_XML_BYTES = 50_000_000  # the shared strings, uncompressed
MAX_OTHER_XML_BYTES = 20_000_000  # any other part of the workbook, uncompressed

_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def column_index(letters: str) -> int:
    """0-based index of spreadsheet column letters: 'A' -> 0, 'AB' -> 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _cell_ref(ref: str) -> tuple[int, int]:
    """(row, 0-based column) of a cell reference such as 'B7'."""
    match = _CELL_REF.fullmatch(ref.strip())
    if not match:
        raise ValueError(ref)
    return int(match.group(2)), column_index(match.group(1))


@dataclass(frozen=True)
class Merge:
    """A merged range: its text ('B5:B8') and its first and last row and 0-based column."""

    ref: str
    top: int
    left: int
    bottom: int
    right: int


@dataclass
class _SheetScan:
    """What the suite needs from a worksheet's XML besides its values."""

    dimension: str = ""
    merges: list = field(default_factory=list)
    hidden_rows: set = field(default_factory=set)
    hidden_columns: set = field(default_factory=set)
    formulas: dict = field(default_factory=dict)  # (row, column index) -> formula text, where no value is saved


_LOCAL: dict[str, str] = {}  # XML names ('x:c') -> local names ('c'), filled as met
_COLUMNS_SEEN: dict[str, int] = {}  # column letters -> 0-based index, filled as met


class _SheetReader:
    """Stream one worksheet's XML with expat: values as text, with merges, hidden rows and columns,
    and formulas that have no saved value. Refuses, as soon as it meets it, a stated dimension or a
    cell beyond :data:`MAX_ROWS` and :data:`MAX_COLUMNS`.

    (openpyxl's own reader takes about ten times as long on a 100,000-row sheet; its number and date
    rules are kept: a number with a date style is a date, written YYYY-MM-DD.)
    """

    def __init__(self, strings: list, date_styles: set, epoch, file: str, title: str):
        self.strings, self.epoch, self.file, self.title = strings, epoch, file, title
        self.date_styles = {str(index) for index in date_styles}
        self.scan = _SheetScan()
        self.rows: dict[int, dict[int, str]] = {}
        self.row, self.col = 0, -1
        self.cells: dict[int, str] = {}
        self.kind, self.style, self.has_formula = "n", None, False
        self.value, self.inline, self.formula = [], [], []
        self.where = None  # which text is being read: 'v', 't' (inline), 'f'
        self.in_inline = False
        self.width = 0

    def _beyond(self, ref: str):
        _refuse(self.file, f"sheet {self.title!r} reaches cell {ref}, beyond the largest sheet the suite reads "
                           f"({MAX_ROWS:,} rows, columns A-{column_letter(MAX_COLUMNS - 1)}): delete the rows and "
                           "columns after the table (even a space counts), or copy the table into a new workbook")

    def start(self, name, attrs):
        tag = _LOCAL.get(name) or _LOCAL.setdefault(name, name.rpartition(":")[2])
        if tag == "c":
            ref = attrs.get("r")
            letters = ref.rstrip("0123456789") if ref else ""
            col = _COLUMNS_SEEN.get(letters)
            if col is None:
                col = column_index(letters) if letters.isascii() and letters.isalpha() and letters.isupper() \
                    and len(letters) <= 3 else self.col + 1
                if letters and col >= 0:
                    _COLUMNS_SEEN.setdefault(letters, col)
            self.col = col
            self.kind, self.style, self.has_formula = attrs.get("t", "n"), attrs.get("s"), False
            self.value, self.inline, self.formula = [], [], []
        elif tag == "v":
            self.where = "v"
        elif tag == "t" and self.in_inline:
            self.where = "t"
        elif tag == "is":
            self.in_inline = True
        elif tag == "f":
            self.has_formula, self.where = True, "f"
        elif tag == "row":
            r = attrs.get("r")
            self.row = int(r) if r and r.isdigit() else self.row + 1
            self.col, self.cells = -1, {}
            if attrs.get("hidden") in ("1", "true"):
                self.scan.hidden_rows.add(self.row)
        elif tag == "dimension":
            self.scan.dimension = attrs.get("ref", "")
            last = self.scan.dimension.split(":")[-1]
            try:
                rows, column = _cell_ref(last)
            except ValueError:
                return
            if rows > MAX_ROWS or column >= MAX_COLUMNS:
                self._beyond(last)
        elif tag == "col":
            if attrs.get("hidden") in ("1", "true") and attrs.get("min", "").isdigit():
                low = int(attrs["min"])
                high = int(attrs["max"]) if attrs.get("max", "").isdigit() else low
                self.scan.hidden_columns |= set(range(low - 1, min(high, MAX_COLUMNS + 1)))
        elif tag == "mergeCell":
            ref = attrs.get("ref", "")
            try:
                (top, left), (bottom, right) = (_cell_ref(r) for r in (ref.split(":") + [ref])[:2])
            except ValueError:
                return
            self.scan.merges.append(Merge(ref, top, left, bottom, right))

    def text(self, data):
        if self.where == "v":
            self.value.append(data)
        elif self.where == "t":
            self.inline.append(data)
        elif self.where == "f":
            self.formula.append(data)

    def end(self, name):
        tag = _LOCAL.get(name) or _LOCAL.setdefault(name, name.rpartition(":")[2])
        if tag == "v" or tag == "t" or tag == "f":
            self.where = None
        elif tag == "is":
            self.in_inline = False
        elif tag == "c":
            text = self._cell_text()
            if text:
                if self.row > MAX_ROWS or self.col >= MAX_COLUMNS:
                    self._beyond(f"{column_letter(self.col)}{self.row}")
                self.cells[self.col] = text
            elif self.has_formula:
                self.scan.formulas[(self.row, self.col)] = "".join(self.formula)
        elif tag == "row":
            if self.cells:
                self.rows[self.row] = self.cells
                self.width = max(self.width, max(self.cells) + 1)

    def _cell_text(self) -> str:
        kind, value = self.kind, "".join(self.value)
        if kind == "inlineStr":
            return "".join(self.inline)
        if value == "":
            return ""
        if kind == "s":
            try:
                return self.strings[int(value)]
            except (ValueError, IndexError):
                return ""
        if kind in ("str", "e"):
            return value
        if kind == "b":
            return "TRUE" if value.strip() in ("1", "true") else "FALSE"
        if kind == "d":
            return value[:10]
        dated = self.style is not None and self.style in self.date_styles
        if not dated and value.isdigit():  # a whole number, as most figures are
            return value
        try:
            number = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
        except ValueError:
            return value
        if dated:
            from openpyxl.utils.datetime import from_excel

            try:
                return _xlsx_text(from_excel(number, self.epoch))
            except (ValueError, OverflowError):
                return _xlsx_text(number)
        return _xlsx_text(number)

    def grid(self) -> list[tuple[int, list[str]]]:
        """Every row from the first to the last that holds anything (blank rows between included), as wide
        as the widest row."""
        if not self.rows:
            return []
        out = []
        for row in range(1, max(self.rows) + 1):
            cells = self.rows.get(row, {})
            out.append((row, [cells.get(i, "") for i in range(self.width)]))
        return out


def _read_strings(archive) -> list[str]:
    """The workbook's shared strings (text of each <si>, phonetic runs left out), streamed with expat."""
    import xml.parsers.expat

    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings, parts, state = [], [], {"in_t": False, "skip": 0}

    def start(name, attrs):
        tag = name.rpartition(":")[2]
        if tag == "si":
            parts.clear()
        elif tag == "rPh":
            state["skip"] += 1
        elif tag == "t":
            state["in_t"] = True

    def end(name):
        tag = name.rpartition(":")[2]
        if tag == "si":
            strings.append("".join(parts))
        elif tag == "rPh":
            state["skip"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"] and not state["skip"]:
            parts.append(data)

    parser = xml.parsers.expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    with archive.open("xl/sharedStrings.xml") as handle:
        parser.ParseFile(handle)
    return strings


def _date_styles(archive) -> set[int]:
    """Indexes of the cell styles whose number format is a date."""
    import xml.etree.ElementTree as ET

    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = ET.fromstring(archive.read("xl/styles.xml"))
    local = lambda tag: tag.rpartition("}")[2]  # noqa: E731
    custom = {}
    for el in root.iter():
        if local(el.tag) == "numFmt" and (el.get("numFmtId") or "").isdigit():
            custom[int(el.get("numFmtId"))] = el.get("formatCode", "")
    dates = set()
    for el in root.iter():
        if local(el.tag) == "cellXfs":
            for index, xf in enumerate(x for x in el if local(x.tag) == "xf"):
                fmt = int(xf.get("numFmtId", "0")) if (xf.get("numFmtId") or "0").isdigit() else 0
                code = custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
                if code and is_date_format(code):
                    dates.add(index)
    return dates


def _refuse(file: str, message: str):
    raise InputError([Problem(file, 0, "", message)])


def _xlsx_sheets(archive, file: str) -> list[tuple[str, str, str]]:
    """(name, state, part path) of each sheet of a workbook, in order; state is 'visible', 'hidden' or 'veryHidden'."""
    import posixpath
    import xml.etree.ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        _refuse(file, "not a valid .xlsx workbook (its list of sheets is missing or damaged): open it in a "
                      "spreadsheet program and save it again as .xlsx, or save it as CSV")
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    sheets = []
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel_ns}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        sheets.append((sheet.get("name", ""), sheet.get("state", "visible"), part))
    return sheets


def _pick_sheet(sheets: list, sheet: str | None, file: str) -> tuple[str, str, str, int, list[str]]:
    """The sheet to read, its position, and remarks for the summary (hidden sheets not read).

    Default: the first *visible* sheet; a hidden sheet (an old draft, say) is read only when named.
    """
    names = [name for name, _, _ in sheets]
    hidden = [name for name, state, _ in sheets if state != "visible"]
    if not sheet:
        visible = [i for i, (_, state, _) in enumerate(sheets) if state == "visible"]
        if not visible:
            _refuse(file, "the workbook has no visible worksheet" if sheets else "the workbook has no worksheet")
        at = visible[0]
        remarks = [f"hidden sheet{'s' if len(hidden) > 1 else ''} {', '.join(repr(n) for n in hidden)} not read "
                   "(name a sheet to read it)"] if hidden else []
        return (*sheets[at], at, remarks)
    loose = [i for i, n in enumerate(names) if " ".join(n.lower().split()) == " ".join(sheet.lower().split())]
    at = names.index(sheet) if sheet in names else (loose[0] if len(loose) == 1 else None)
    if at is None:
        _refuse(file, f"no sheet named {sheet!r}; the sheets are: {', '.join(repr(n) for n in names)}")
    remarks = [f"sheet {names[at]!r} is hidden in the workbook; read because it was named"] \
        if sheets[at][1] != "visible" else []
    return (*sheets[at], at, remarks)


def _open_xlsx(path: Path, file: str):
    """Open an .xlsx as a zip after checking what it holds and how large it is; refuse anything else."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        _refuse(file, "not a valid .xlsx workbook (it is damaged, or not a spreadsheet): open it in a spreadsheet "
                      "program and save it again as .xlsx, or save it as CSV")
    infos = {info.filename: info for info in archive.infolist()}
    mimetype = infos.get("mimetype")
    if mimetype is not None and mimetype.file_size < 200 and \
            archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
        _refuse(file, "this is an OpenDocument spreadsheet (.ods), which is not read: save it as .xlsx or as CSV")
    if "xl/workbook.xml" not in infos:
        _refuse(file, "not a valid .xlsx workbook (a zip file without a workbook in it): save the spreadsheet as "
                      ".xlsx or as CSV")
    for name, info in infos.items():
        limit = (MAX_STRINGS_XML_BYTES if name == "xl/sharedStrings.xml" else
                 MAX_SHEET_XML_BYTES if name.startswith("xl/worksheets/") else MAX_OTHER_XML_BYTES)
        if name.endswith((".xml", ".rels")) and info.file_size > limit:
            _refuse(file, f"the workbook's part {name} unpacks to {info.file_size:,} bytes, over the "
                          f"{limit:,} the suite reads (a workbook this large, or a damaged or hostile one): "
                          "save the table alone as CSV, or split it")
    return archive


def _xlsx_grid(path: Path, sheet: str | None):
    """Every row of a worksheet as (spreadsheet row, text cells), with what else was found.

    Returns (grid, source, cell problems, sheet position, scan, remarks). Sizes are checked
    from the zip's table before anything is parsed, and the sheet's stated dimension as soon as
    it is met; the sheet is streamed (:class:`_SheetReader`), never loaded whole.
    """
    import xml.parsers.expat

    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    file = display_path(path)
    archive = _open_xlsx(path, file)
    with archive:
        sheets = _xlsx_sheets(archive, file)
        title, _, part, position, remarks = _pick_sheet(sheets, sheet, file)
        if part not in archive.namelist() or "worksheets/" not in part:
            _refuse(file, f"sheet {title!r} is not a worksheet of cells (a chart, or missing): name the sheet "
                          "that holds the table")
        mac = re.search(rb"date1904=\"(1|true)\"", archive.read("xl/workbook.xml"))
        try:
            reader = _SheetReader(_read_strings(archive), _date_styles(archive),
                                  CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900, file, title)
            parser = xml.parsers.expat.ParserCreate()
            parser.buffer_text = True
            parser.StartElementHandler, parser.EndElementHandler = reader.start, reader.end
            parser.CharacterDataHandler = reader.text
            with archive.open(part) as handle:
                parser.ParseFile(handle)
        except InputError:
            raise
        except Exception as err:  # malformed XML, a damaged zip member
            _refuse(file, f"sheet {title!r} could not be read ({type(err).__name__}: {err}): open the file in a "
                          "spreadsheet program and save it again as .xlsx, or save it as CSV")
    scan = reader.scan
    scan.merges = sorted(set(scan.merges), key=lambda m: (m.top, m.left))
    grid = reader.grid()
    texts = {row: cells for row, cells in grid}
    cell_problems = {}
    for (row, index), formula in scan.formulas.items():
        cells = texts.get(row)
        if cells is not None and index < len(cells) and cells[index] == "":
            shown = f"the formula '={formula}'" if formula else "a formula"
            cell_problems[(row, index)] = (f"{shown} has no saved value: open the file in a spreadsheet program "
                                           "and save it, or paste the values")
    return grid, f"XLSX, sheet {title!r}", cell_problems, position, scan, remarks


def find_header(grid: list[tuple[int, list[str]]]) -> int | None:
    """The spreadsheet row of the header: the first row naming :data:`HEADER_MIN_COLUMNS` known columns."""
    for row, cells in grid:
        known = {canonical_column(c) for c in cells if str(c).strip()} - {None}
        if len(known) >= HEADER_MIN_COLUMNS:
            return row
    return None


def _is_blank(cells) -> bool:
    return not any(str(c).strip() for c in cells)


def _merged_header(grid: list, header_row: int, scan: _SheetScan | None, file: str):
    """The header names (merged header cells understood) and the last row of the header.

    A header cell merged across columns ('Spend (£)' over F1:G1) with sub-headings in the row
    below ('To date', 'Expected') gives 'Spend (£) To date' and 'Spend (£) Expected'. Without
    sub-headings the merge is a problem naming its range. Cells merged down ('PCT' over A1:A2)
    make the header as deep as the merge.
    """
    rows = {row: cells for row, cells in grid}
    width = len(rows[header_row])

    def text(row, index):
        cells = rows.get(row, [])
        return str(cells[index]).strip() if index < len(cells) else ""

    merges = scan.merges if scan else []
    in_header = [m for m in merges if m.top <= header_row <= m.bottom]
    across = [m for m in in_header if m.right > m.left]
    bottom = max([m.bottom for m in in_header], default=header_row)
    problems = []
    if across and bottom == header_row:
        # The row below holds sub-headings when it has text under every merged heading and nothing
        # anywhere else (a data row has a PCT and figures in other columns too).
        below = header_row + 1
        under = {c for m in across for c in range(m.left, m.right + 1)}
        if all(text(below, c) for c in under) and \
                not any(text(below, c) for c in range(len(rows.get(below, []))) if c not in under):
            bottom = below
        else:
            for m in across:
                problems.append(Problem(file, header_row, text(m.top, m.left),
                                        f"header cells {m.ref} are merged, so one name covers columns "
                                        f"{column_letter(m.left)}-{column_letter(m.right)}: unmerge them and give "
                                        "each column its own header, or put sub-headings (such as 'To date', "
                                        "'Expected') in the row below"))
    owner = {}
    for m in in_header:
        for r in range(m.top, m.bottom + 1):
            for c in range(m.left, m.right + 1):
                owner[(r, c)] = (m.top, m.left)
    header = []
    for c in range(width):
        parts = []
        for r in range(header_row, bottom + 1):
            value = text(*owner.get((r, c), (r, c)))
            if value and value not in parts:
                parts.append(value)
        header.append(" ".join(parts))
    return header, bottom, problems


def _fill_merges(grid: list, header: list, bottom: int, scan: _SheetScan | None, file: str):
    """Data rows with merged cells filled from each merge's first cell, as a reader sees them.

    A merge down a PCT name or code column is a problem instead (each row needs its own PCT).
    Returns (rows, problems, refs of the merges filled).
    """
    rows = [(row, list(cells)) for row, cells in grid if row > bottom]
    if not scan or not scan.merges:
        return rows, [], []
    at = {row: cells for row, cells in rows}
    problems, filled = [], []
    for m in scan.merges:
        if m.bottom <= bottom:
            continue
        name = header[m.left] if m.left < len(header) else ""
        if m.top <= bottom:
            problems.append(Problem(file, m.top, name, f"cells {m.ref} are merged across the header and the data: "
                                                       "unmerge them"))
            continue
        if m.bottom > m.top and name and canonical_column(name) in ("pct", "pct_code"):
            problems.append(Problem(file, m.top, name, f"cells {m.ref} are merged: each PCT needs its own row; "
                                                       "unmerge them"))
            continue
        first = at.get(m.top, [])
        value = first[m.left] if m.left < len(first) else ""
        for r in range(m.top, m.bottom + 1):
            cells = at.get(r)
            if cells is None:
                continue
            cells.extend([""] * (m.right + 1 - len(cells)))
            for c in range(m.left, m.right + 1):
                cells[c] = value
        filled.append(m.ref)
    return rows, problems, filled


def _hidden_problems(rows: list, header: list, header_row: int, scan: _SheetScan | None, file: str) -> list:
    """A problem for each hidden row of the data, and each hidden column with anything in it."""
    if not scan:
        return []
    problems = []
    for row, cells in rows:
        if row in scan.hidden_rows and not _is_blank(cells):
            problems.append(Problem(file, row, "", f"row {row} is hidden in the spreadsheet, so it is easy to miss: "
                                                   "unhide it and check it (delete the row if it should not be "
                                                   "counted)"))
    for index in sorted(scan.hidden_columns):
        name = header[index] if index < len(header) else ""
        used = any(index < len(cells) and str(cells[index]).strip() for _, cells in rows)
        if name or used:
            problems.append(Problem(file, header_row, name, f"column {column_letter(index)} is hidden in the "
                                                             "spreadsheet, so it is easy to miss: unhide it and "
                                                             "check it (delete the column if it should not be read)"))
    return problems


def read_cells(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read an FOI file (CSV or XLSX, told apart by its bytes) as text cells below its header.

    ``sheet`` names an XLSX worksheet (default: the first visible one); it is
    an error for a CSV. Rows above the header that hold anything are listed in
    ``skipped_rows``. Merged cells read as a reader sees them (see
    :func:`_merged_header`, :func:`_fill_merges`); hidden rows and columns
    are problems. Raises :class:`InputError` when the file cannot be read, is
    over the limits (:data:`MAX_ROWS`, :data:`MAX_COLUMNS`,
    :data:`MAX_FILE_BYTES`), is empty, or has no header row.
    """
    path = Path(path)
    file = display_path(path)
    if not path.is_file():
        raise InputError([Problem(file, 0, "", "no such file" if not path.exists() else "expected a file, "
                                                                                         "found a folder")])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        _refuse(file, f"the file is {size:,} bytes, over the {MAX_FILE_BYTES:,} the suite reads: split it, or "
                      "save only the table")
    with open(path, "rb") as handle:
        start = handle.read(8)
    cell_problems, position, scan, remarks = {}, 0, None, []
    suffix = path.suffix.lower()
    if start.startswith(_OLE2):
        raise InputError([Problem(file, 0, "", "this is an old-style Excel .xls workbook, which is not read: "
                                                "save it as .xlsx or as CSV")])
    if start.startswith(_ZIP):
        grid, source, cell_problems, position, scan, remarks = _xlsx_grid(path, sheet)
    elif suffix == ".ods":
        _refuse(file, "an OpenDocument spreadsheet (.ods) is not read: save it as .xlsx or as CSV")
    elif suffix in _XLSX_SUFFIXES:
        _refuse(file, f"not a valid {suffix} workbook (it is not a zip file, as every .xlsx is): open it in a "
                      "spreadsheet program and save it again as .xlsx, or save it as CSV")
    else:
        if sheet:
            raise InputError([Problem(file, 0, "", f"a sheet ({sheet!r}) was named, but this is a CSV file, "
                                                    "which has none")])
        grid, source = _csv_grid(path)
        if len(grid) > MAX_ROWS + 1:
            _refuse(file, f"the file has {len(grid):,} rows, over the {MAX_ROWS:,} the suite reads: split it")
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
    skipped = [row for row, cells in grid if row < header_row and not _is_blank(cells)]
    header, bottom, problems = _merged_header(grid, header_row, scan, file)
    rows, merge_problems, filled = _fill_merges(grid, header, bottom, scan, file)
    problems += merge_problems + _hidden_problems(rows, header, header_row, scan, file)
    if bottom > header_row:
        remarks.append(f"header in rows {header_row}-{bottom} (merged header cells read as one name per column)")
    if filled:
        shown = ", ".join(filled[:5]) + (f" and {len(filled) - 5:,} more" if len(filled) > 5 else "")
        remarks.append(f"{_plural(len(filled), 'merged range')} ({shown}) read as the value of each range's "
                       "first cell")
    return RawTable(file, header, header_row, rows, source, skipped, cell_problems, position, problems, remarks,
                    strict_width=scan is None)


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


def _match_header(table: RawTable) -> tuple[dict[str, int], list[str], list[Problem], dict[str, tuple]]:
    """Where each known column is, the headers not read, problems, and the unit of each scaled money column."""
    problems, where, ignored, scales = [], {}, [], {}
    for i, text in enumerate(table.header):
        name = canonical_column(text) if text.strip() else None
        try:
            _, scale, unit = header_unit(text)
        except ValueError as err:
            problems.append(Problem(table.file, table.header_row, text, str(err)))
            continue
        if name is not None and scale != 1:
            if name not in MONEY_COLUMNS:
                problems.append(Problem(table.file, table.header_row, text,
                                        f"a money unit ({unit}) on {name!r}, which is not money: remove it"))
                continue
            scales[name] = (scale, unit)
        if name is not None:
            if name in where:
                problems.append(Problem(table.file, table.header_row, text,
                                        f"{table.header[where[name]]!r} (column {column_letter(where[name])}) and "
                                        f"{text!r} (column {column_letter(i)}) both name the column {name!r}"))
                continue
            where[name] = i
        elif text.strip():
            ignored.append(text)
            meant = [c for c in looks_like(text) if c not in where]
            told = any(p.row == table.header_row and p.column == text for p in table.problems)
            if meant and not told:
                names = "; ".join(f"{c!r} (or {VARIANTS[c][0]!r})" if VARIANTS[c] else repr(c) for c in meant)
                problems.append(Problem(table.file, table.header_row, text,
                                        f"column {column_letter(i)} ({text!r}) is not read, but looks like data the "
                                        f"suite needs: rename it to {names}, or delete the column if it holds "
                                        "something else"))
    for name, col in COLUMNS.items():
        if name == "pct" and "pct_code" in where:
            continue
        if col.required and name not in where:
            also = VARIANTS.get(name, ())
            known_as = f" (or {', '.join(repr(v) for v in also)})" if also else ""
            problems.append(Problem(table.file, table.header_row, name,
                                    f"missing column {name!r}{known_as}; the header has: "
                                    f"{', '.join(t for t in table.header if t)}"))
    return where, ignored, problems, scales


@dataclass
class _Validated:
    frame: pd.DataFrame | None
    header: dict
    ignored: list
    blank_rows: list
    answers: list
    problems: list
    note_rows: list = field(default_factory=list)
    scales: dict = field(default_factory=dict)


def _resolve_pct(table: RawTable, row_number: int, record: dict, header: dict,
                 pcts: reference.PCTs) -> list[Problem]:
    """Set ``record['ods_code']`` from the name and/or code columns (looked up in ``pcts``); return any problems."""
    problems = []
    record["ods_code"] = None
    found = {}
    for name in ("pct", "pct_code"):
        text = record.get(name, "")
        if name not in header or not text:
            continue
        try:
            found[name] = reference.resolve(text, pcts).ods_code
        except reference.UnknownPCT as err:
            problems.append(Problem(table.file, row_number, header[name], str(err)))
    if not record.get("pct") and not record.get("pct_code"):
        column = header.get("pct", header.get("pct_code"))
        problems.append(Problem(table.file, row_number, column,
                                "expected a PCT name or ODS code, found nothing"))
    if len(found) == 2 and found["pct"] != found["pct_code"]:
        problems.append(Problem(table.file, row_number, header["pct_code"],
                                f"the ODS code {record['pct_code']!r} is "
                                f"{reference.pct_name(found['pct_code'], pcts)} "
                                f"({found['pct_code']}), but the name {record['pct']!r} is "
                                f"{reference.pct_name(found['pct'], pcts)} ({found['pct']})"))
    elif found and not problems:
        record["ods_code"] = next(iter(found.values()))
    if not record.get("pct"):
        record["pct"] = record.get("pct_code", "")
    return problems


# A row holding one text alone that starts like a note or footnote: "Notes: ...", "Source: ...", "* figures ...".
_NOTE = re.compile(r"^\s*(notes?\b|nb\b|n\.b\.|sources?\b|footnotes?\b|please note|figures (are|exclude|include|as)"
                   r"|data (are|is|exclude|include|as)|[*†‡§¹²³⁴⁵⁶⁷⁸⁹]|\(\w\)\s|\[\w+\]\s|\d\.\s+[a-z])", re.I)


def is_note_row(cells) -> bool:
    """True for a notes or footnote row: one distinct text in the row, starting as notes do."""
    texts = set(cells)
    if len(texts) > 3:  # most rows: figures in several cells
        return False
    texts = {str(c).strip() for c in texts} - {""}
    return len(texts) == 1 and bool(_NOTE.match(next(iter(texts))))


def _split_amount(cells: list[str]) -> str:
    """Where a row's extra field looks like an amount split at its comma ('£190' then '000'), that amount."""
    for i in range(len(cells) - 1):
        if re.fullmatch(r"£?\d{1,3}", cells[i].strip()) and re.fullmatch(r"\d{3}(\.\d\d)?", cells[i + 1].strip()):
            return f" ('{cells[i].strip()},{cells[i + 1].strip()}' in columns {column_letter(i)}-{column_letter(i + 1)})"
    return ""


def _validate(table: RawTable) -> _Validated:
    where, ignored, problems, scales = _match_header(table)
    problems = list(table.problems) + problems
    header = {name: table.header[i] for name, i in where.items()}
    note_rows = set(row for row, cells in table.rows if is_note_row(cells))
    if problems:
        answers = [row for row, cells in table.rows if not _is_blank(cells) and row not in note_rows]
        return _Validated(None, header, ignored, [], answers, problems, sorted(note_rows), scales)
    records, blank_rows, answers = [], [], []
    width = len(table.header)
    unnamed = [i for i, text in enumerate(table.header) if not text]
    readers = [(name, where.get(name), col) for name, col in COLUMNS.items()]
    pcts = reference.PCTs.read()  # one read of the reference table for every row's PCT
    for row_number, cells in table.rows:
        if not any(str(c).strip() for c in cells):
            blank_rows.append(row_number)
            continue
        if row_number in note_rows:
            continue
        answers.append(row_number)
        if table.strict_width and len(cells) > width:
            extra = [(i, str(c).strip()) for i, c in enumerate(cells) if i >= width and str(c).strip()]
            stray = f"; a value ({extra[0][1]!r}) in column {column_letter(extra[0][0])}, which has no header" \
                if extra else ""
            problems.append(Problem(table.file, row_number, "",
                                    f"this row has {len(cells)} fields but the header has {width}{stray}: a value "
                                    f"with a comma{_split_amount(cells) or ' (such as £190,000)'} must be in quotes, "
                                    "or a comma is one too many"))
            continue
        for i in [*unnamed, *range(width, len(cells))]:
            text = str(cells[i]).strip() if i < len(cells) else ""
            if text:
                problems.append(Problem(table.file, row_number, "",
                                        f"a value ({text!r}) in column {column_letter(i)}, which has no header"))
        record = {"source_row": row_number}
        for name, i, col in readers:
            text = cells[i] if i is not None and i < len(cells) else ""
            if i is not None and table.cell_problems and (row_number, i) in table.cell_problems:
                problems.append(Problem(table.file, row_number, header[name],
                                        table.cell_problems[(row_number, i)]))
                record[name] = None if col.reader else ""
                continue
            if col.reader is None:
                record[name] = str(text).strip()
                continue
            try:
                record[name] = col.reader(text, scale=scales[name][0]) if name in scales else col.reader(text)
            except ValueError as err:
                problems.append(Problem(table.file, row_number, header[name], str(err)))
                record[name] = None
        problems += _resolve_pct(table, row_number, record, header, pcts)
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
        return _Validated(None, header, ignored, blank_rows, answers, problems, sorted(note_rows), scales)
    frame = frame.astype({name: col.dtype for name, col in COLUMNS.items()})
    ref = reference.load_pcts().set_index("ods_code")
    frame.insert(2, "pct_name", frame["ods_code"].map(ref["name"]))
    frame.insert(3, "sha_name", frame["ods_code"].map(ref["sha_name"]))
    return _Validated(frame, header, ignored, blank_rows, answers, [], sorted(note_rows), scales)


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
    values are given (and not negative, which is a problem of its own). The same PCT twice (by name and by
    code, say) is a problem on the later row. Problems come in row order; the rules are checked column by
    column (vectorised), so a file of 100,000 rows is checked in well under a second.
    """
    found = []  # (position in the frame, rank of the rule within a row, problem)
    rows = frame["source_row"].tolist()

    def col(name):  # the header as written, or the canonical name if the file lacks it
        return header.get(name, name)

    def num(value):  # a count as written: 20, not 20.0
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"

    def value(name, pos):
        return frame[name].iat[pos]

    first_seen: dict[str, int] = {}
    for pos, code in enumerate(frame["ods_code"].tolist()):
        if code is None or pd.isna(code):
            continue
        if code in first_seen:
            found.append((pos, 0, Problem(file, rows[pos], col("pct") if "pct" in header else col("pct_code"),
                                          f"{reference.pct_name(code)} ({code}) appears twice: "
                                          f"also row {first_seen[code]}")))
        first_seen.setdefault(code, rows[pos])
    numbers = {name: pd.to_numeric(frame[name], errors="coerce").astype(float)
               for name in VALUE_COLUMNS if name != "rollout_begun"}
    for rank, (name, series) in enumerate(numbers.items(), start=1):
        for pos in series.index[series.lt(0).to_numpy()].map(frame.index.get_loc):
            found.append((pos, rank, Problem(file, rows[pos], col(name),
                                             f"expected zero or more, found {value(name, pos):g}")))

    def given(name):  # present and not negative (a negative value is already a problem)
        return numbers[name].ge(0).to_numpy()

    invited, declined = numbers["practices_invited"], numbers["practices_declined"]
    signed, uploaded, viewed = numbers["practices_signed_up"], numbers["records_uploaded"], numbers["records_viewed"]
    over = given("practices_declined") & given("practices_invited") & (declined > invited).to_numpy()
    over_signed = ~over & given("practices_declined") & given("practices_invited") & given("practices_signed_up") \
        & ((declined + signed) > invited).to_numpy()
    over_viewed = given("records_viewed") & given("records_uploaded") & (viewed > uploaded).to_numpy()
    for pos in over.nonzero()[0]:
        found.append((pos, 20, Problem(file, rows[pos], col("practices_declined"),
                                       f"more practices declined ({num(value('practices_declined', pos))}) than "
                                       f"were invited ({num(value('practices_invited', pos))})")))
    for pos in over_signed.nonzero()[0]:
        found.append((pos, 20, Problem(file, rows[pos], col("practices_signed_up"),
                                       f"signed up ({num(value('practices_signed_up', pos))}) plus declined "
                                       f"({num(value('practices_declined', pos))}) is more than invited "
                                       f"({num(value('practices_invited', pos))})")))
    for pos in over_viewed.nonzero()[0]:
        found.append((pos, 30, Problem(file, rows[pos], col("records_viewed"),
                                       f"more records viewed ({num(value('records_viewed', pos))}) than uploaded "
                                       f"({num(value('records_uploaded', pos))})")))
    return [problem for _, _, problem in sorted(found, key=lambda f: (f[0], f[1]))]


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
    answers read (blank and note rows skipped), the columns used or ignored,
    the unit of any money column in £000s or £m, hidden sheets not read and
    merged cells filled, and ends with the number of problems ('no problems'
    when there are none).
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
    skipped = []
    if done.blank_rows:
        skipped.append(_plural(len(done.blank_rows), 'blank row'))
    if done.note_rows:
        skipped.append(f"{_plural(len(done.note_rows), 'note row')} ({', '.join(map(str, done.note_rows))})")
    if skipped:
        parts[-1] += f" ({' and '.join(skipped)} skipped)"
    used = f"{_plural(len(done.header), 'column')} used"
    if done.ignored:
        used += f", {len(done.ignored):,} ignored ({', '.join(done.ignored)})"
    parts.append(used)
    for name, (scale, unit) in done.scales.items():
        parts.append(f"{done.header[name]!r} read in {unit} (values x {scale:,})")
    parts += table.remarks
    parts.append(_plural(len(problems), "problem") if problems else "no problems")
    returns = None
    if not problems:
        returns = FOIReturns(table.file, done.frame, done.header, done.ignored, done.blank_rows, table.source,
                             table.header_row, table.skipped_rows, table.sheet_position)
    return Check(file, problems, "; ".join(parts), returns)
