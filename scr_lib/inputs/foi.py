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
        if found is None:
            found = _spend_by_words(header_key(plain))
    return found


_MONEY_WORDS = {"spend", "spent", "spending", "expenditure", "cost", "costs"}
_LATER_WORDS = {"expected", "planned", "further", "forecast", "future", "committed"}
# The only other words such a header may hold: any other word (a unit such as 'thousands', a rate such
# as 'per record') leaves the header unread, and so an error, never a figure read in the wrong unit.
_SPEND_FILLER = {"to", "date", "so", "far", "total", "amount", "local", "the", "on", "of", "in", "scr", "summary",
                 "care", "record", "records", "rollout", "roll", "out", "programme", "project", "gbp", "pounds",
                 "sterling", "money"}


def _spend_by_words(key: str) -> str | None:
    """A spend column named in other words: a money word with 'to date' is spend to date ('Expenditure to
    date', 'Spending To date'); with a word for later ('planned', 'expected', 'further') it is spend
    expected. Any word besides these and a few fillers (see ``_SPEND_FILLER``) means no match: 'Spend to
    date (thousands)' and 'Cost per record to date' stay unread, and so are errors."""
    words = set(key.split("_"))
    if not words & _MONEY_WORDS or words - _MONEY_WORDS - _LATER_WORDS - _SPEND_FILLER:
        return None
    if "to_date" in key:
        return "spend_to_date_gbp" if not words & _LATER_WORDS else None
    return "spend_expected_gbp" if words & _LATER_WORDS else None


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
    (re.compile(r"\bto.?date\b|expected|planned|forecast|further"), ("spend_to_date_gbp", "spend_expected_gbp")),
]

# A share, percentage or rate: never a count, whatever else the header says ('Practices declined (%)').
_SHARE = re.compile(r"%|\bper ?cent|\bpercentage|\bproportion\b|\bshare\b|\bratio\b|\brate\b", re.I)


def share_of(header: str) -> str | None:
    """The count or money column a share header stands in for ('Practices declined (%)' ->
    'practices_declined'); ``None`` when the header is no share, or a share of nothing the suite reads."""
    text = str(header)
    if not _SHARE.search(text):
        return None
    plain = _SHARE.sub(" ", text).replace("of ", " ")
    name = canonical_column(plain) or canonical_column(text)
    if name is None:
        meant = looks_like(plain)
        name = meant[0] if len(meant) == 1 else None
    return name if name is not None and _sums_column(name) else None


def _sums_column(name: str) -> bool:
    return COLUMNS[name].reader in (values.read_count, values.read_money)


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
    titles: list = field(default_factory=list)  # (row, cells) of the rows above the header that hold anything


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


def _utf16_without_bom(raw: bytes) -> bool:
    """True when the bytes read as UTF-16 text: most of the first bytes in odd (or even) places are NUL
    (ASCII characters, as CSV mostly holds, have a zero high byte) and the others are not."""
    head = raw[:4096]
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return False
    for zeros, chars in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and chars.count(0) <= 0.1 * len(chars):
            return True
    return False


# Files that are no spreadsheet, whatever they are named: (how they start, after spaces; what they are).
_NOT_SPREADSHEETS = [
    (re.compile(rb"(?is)(<!--.*?-->\s*)*(<!doctype html|<html|<head|<body|<table|<meta)"),
     "a web page (HTML), not a spreadsheet"),
    (re.compile(rb"(?i)mime-version:"), "a web archive (MHTML, a 'single file web page'), not a spreadsheet"),
    (re.compile(rb"(?i)<\?xml[^>]*>\s*(<\?mso-application[^>]*Excel|<Workbook)"),
     "an Excel 2003 XML spreadsheet, which is not read"),
    (re.compile(rb"%PDF-"), "a PDF document, not a spreadsheet"),
    (re.compile(rb"\{\\rtf"), "an RTF document, not a spreadsheet"),
]


def _not_a_spreadsheet(start: bytes) -> str:
    """What the file is when its first bytes show it is no spreadsheet or CSV ('' otherwise)."""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    for pattern, what in _NOT_SPREADSHEETS:
        if pattern.match(text):
            return what
    return ""


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
        if _utf16_without_bom(raw):
            raise InputError([Problem(file, 0, "", "the file is UTF-16 ('Unicode text') without a byte-order mark: "
                                                    "save it as 'CSV UTF-8' or plain CSV, or send the .xlsx")])
        raise InputError([Problem(file, 0, "", "the file holds NUL bytes, so it is not text: expected a CSV (text) "
                                                "or an .xlsx workbook; save the spreadsheet as 'CSV UTF-8' or "
                                                ".xlsx")])
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


# A row or column a person cannot see is hidden, whatever hides it: the hidden flag, a height or width too
# small to show a figure, a collapsed outline group, or a filter that leaves it out.
MIN_ROW_POINTS = 5.0  # a row lower than this shows no readable text (a line of 8-point text needs about 11)
MIN_COLUMN_CHARACTERS = 1.0  # a column narrower than one character shows no figure


@dataclass
class _SheetScan:
    """What the suite needs from a worksheet's XML besides its values.

    ``hidden_rows`` and ``hidden_columns`` map a row (1-based) or column (0-based) that a person cannot
    see to why ('is hidden', 'is 0 points high', ...). ``filters`` lists the autofilter's columns and what
    each shows: (0-based column, values shown or ``None`` for a kind of filter not read, blanks shown).
    """

    dimension: str = ""
    merges: list = field(default_factory=list)
    hidden_rows: dict = field(default_factory=dict)
    hidden_columns: dict = field(default_factory=dict)
    formulas: dict = field(default_factory=dict)  # (row, column index) -> formula text, where no value is saved
    hidden_values: dict = field(default_factory=dict)  # (row, column index) -> text a ';;;' format hides
    outline_rows: dict = field(default_factory=dict)  # row -> (outline level, collapsed)
    outline_columns: list = field(default_factory=list)  # (first, last 0-based column, level, collapsed)
    summary_below: bool = True
    summary_right: bool = True
    rows_hidden_by_default: bool = False
    filter_ref: str = ""
    filters: list = field(default_factory=list)


_LOCAL: dict[str, str] = {}  # XML names ('x:c') -> local names ('c'), filled as met
_COLUMNS_SEEN: dict[str, int] = {}  # column letters -> 0-based index, filled as met


class _SheetReader:
    """Stream one worksheet's XML with expat: values as text, with merges, hidden rows and columns,
    and formulas that have no saved value. Refuses, as soon as it meets it, a stated dimension or a
    cell beyond :data:`MAX_ROWS` and :data:`MAX_COLUMNS`.

    (openpyxl's own reader takes about ten times as long on a 100,000-row sheet; its number and date
    rules are kept: a number with a date style is a date, written YYYY-MM-DD.)
    """

    def __init__(self, strings: list, styles: "_Styles", epoch, file: str, title: str):
        self.strings, self.epoch, self.file, self.title = strings, epoch, file, title
        self.date_styles = {str(index) for index in styles.dates}
        self.percent_styles = {str(index) for index in styles.percents}
        self.pound_styles = {str(index) for index in styles.pounds}
        self.hidden_styles = {str(index) for index in styles.hidden}
        self.filter_column = None  # the autofilter column being read: [column, values shown, blanks shown]
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
        _refuse(self.file, f"sheet {self.title!r} has something in cell {ref}, beyond the largest sheet the suite "
                           f"reads ({MAX_ROWS:,} rows, columns A-{column_letter(MAX_COLUMNS - 1)}): delete the rows "
                           "and columns after the table, or copy the table into a new workbook")

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
            scan = self.scan
            if len(attrs) > 1 or r is None:
                height = _number_attr(attrs.get("ht"))
                if attrs.get("hidden") in ("1", "true"):
                    scan.hidden_rows[self.row] = "is hidden"
                elif height is not None and height < MIN_ROW_POINTS:
                    scan.hidden_rows[self.row] = f"is {height:g} points high"
                elif scan.rows_hidden_by_default and height is None:
                    scan.hidden_rows[self.row] = "is hidden (the sheet hides rows by default)"
                level = attrs.get("outlineLevel", "0")
                collapsed = attrs.get("collapsed") in ("1", "true")
                if (level.isdigit() and level != "0") or collapsed:
                    scan.outline_rows[self.row] = (int(level) if level.isdigit() else 0, collapsed)
            elif scan.rows_hidden_by_default:
                scan.hidden_rows[self.row] = "is hidden (the sheet hides rows by default)"
        elif tag == "dimension":
            self.scan.dimension = attrs.get("ref", "")  # said in messages only: a sheet's claim about its size
        elif tag == "col":
            if attrs.get("min", "").isdigit():
                low = int(attrs["min"])
                high = int(attrs["max"]) if attrs.get("max", "").isdigit() else low
                columns = range(low - 1, min(high, MAX_COLUMNS + 1))
                width = _number_attr(attrs.get("width"))
                reason = "is hidden" if attrs.get("hidden") in ("1", "true") else \
                    f"is {width:g} characters wide" if width is not None and width < MIN_COLUMN_CHARACTERS else ""
                if reason:
                    for index in columns:
                        self.scan.hidden_columns.setdefault(index, reason)
                level = attrs.get("outlineLevel", "0")
                collapsed = attrs.get("collapsed") in ("1", "true")
                if (level.isdigit() and level != "0") or collapsed:
                    self.scan.outline_columns.append((low - 1, high - 1, int(level) if level.isdigit() else 0,
                                                      collapsed))
        elif tag == "sheetFormatPr":
            height = _number_attr(attrs.get("defaultRowHeight"))
            self.scan.rows_hidden_by_default = attrs.get("zeroHeight") in ("1", "true") or \
                (height is not None and height < MIN_ROW_POINTS)
        elif tag == "outlinePr":
            self.scan.summary_below = attrs.get("summaryBelow") not in ("0", "false")
            self.scan.summary_right = attrs.get("summaryRight") not in ("0", "false")
        elif tag == "autoFilter":
            self.scan.filter_ref = attrs.get("ref", "")
        elif tag == "filterColumn":
            column = attrs.get("colId", "")
            self.filter_column = [int(column) if column.isdigit() else 0, set(), False]
            self.scan.filters.append(self.filter_column)
        elif tag == "filters" and self.filter_column is not None:
            self.filter_column[2] = attrs.get("blank") in ("1", "true")
        elif tag == "filter" and self.filter_column is not None and self.filter_column[1] is not None:
            self.filter_column[1].add(_filter_key(attrs.get("val", "")))
        elif tag in ("customFilters", "top10", "dynamicFilter", "colorFilter", "iconFilter", "dateGroupItem") \
                and self.filter_column is not None:
            self.filter_column[1] = None  # a kind of filter the suite does not work out
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
        elif tag == "filterColumn":
            self.filter_column = None
        elif tag == "c":
            text = self._cell_text()
            if text and not text.isspace():  # a cell of spaces is blank: it never makes a file refused or slow
                if self.row > MAX_ROWS or self.col >= MAX_COLUMNS:
                    self._beyond(f"{column_letter(self.col)}{self.row}")
                self.cells[self.col] = text
                if self.style in self.hidden_styles:
                    self.scan.hidden_values[(self.row, self.col)] = text
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
        style = self.style
        dated = style is not None and style in self.date_styles
        if style is None or not (dated or style in self.percent_styles or style in self.pound_styles):
            if value.isdigit():  # a whole number, as most figures are
                return value
        try:
            number = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
        except ValueError:
            return value
        if style in self.percent_styles:  # shown as a percentage: 0.25 is '25%'
            return _xlsx_text(round(number * 100, 12)) + "%"
        if style in self.pound_styles:  # shown with a pound sign: 190000 is '£190000'
            return ("-£" if number < 0 else "£") + _xlsx_text(abs(number))
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


# A row whose every cell is blank or holds only spaces (an inline string, or a shared string checked by
# _feed), matched in the XML so that such rows cost one regular-expression match instead of a dozen
# Python calls each: a sheet of 1,048,570 rows of one space each took about 2 s to read (in-process, on a
# 2-core machine under heavy load), where `scr check` took 22 s without it.
_SPACE_CELLS = (rb'(?:<c r="[A-Z]{1,3}\d+"(?: s="\d+")?'
                rb'(?: t="inlineStr"><is><t(?: xml:space="preserve")?>[ \t\r\n]*</t></is></c>| t="s"><v>\d+</v></c>|/>)'
                rb'\s*)*+')
_SPACE_ROW = re.compile(rb'(<row r="\d+"[^<>]*?)(?<!/)>\s*(' + _SPACE_CELLS + rb')</row>')
# A run of such rows that carry nothing but their number (no height, no hidden flag, no outline level):
# one empty row numbered as the run's last stands for the run, so a row after it without a number is
# still counted right. (It starts with a literal, which the engine finds quickly, and its repeats are
# possessive: 4 MB of rows of spaces take about 0.04 s, against 0.13 s written plainly.)
_SPACE_ONE = rb'(?: spans="[^"<>]*")?(?: x14ac:dyDescent="[^"<>]*")?>\s*' + _SPACE_CELLS + rb'</row>\s*'
_SPACE_RUN = re.compile(rb'<row r="\d+"' + _SPACE_ONE + rb'(?:<row r="\d+"' + _SPACE_ONE + rb')*+')
_SHARED_INDEX = re.compile(rb"<v>(\d+)</v>")
_CHUNK = 1 << 22


def _feed(parser, handle, strings: list) -> None:
    """Parse a worksheet's XML in chunks, each row of nothing but spaces first collapsed to an empty row
    (its attributes kept: a hidden or outline row stays one). Cuts fall after a '</row>', so no row is split."""
    blank = {i for i, text in enumerate(strings) if not text.strip()}

    def collapse(match):
        indexes = _SHARED_INDEX.findall(match.group(2))
        if all(int(i) in blank for i in indexes):
            return match.group(1) + b"/>"
        return match.group(0)

    def collapse_run(match):
        text = match.group(0)
        if all(int(i) in blank for i in _SHARED_INDEX.findall(text)):
            last = text.rfind(b'<row r="') + len(b'<row r="')
            return b'<row r="' + text[last:text.index(b'"', last)] + b'"/>'
        return _SPACE_ROW.sub(collapse, text)

    def clean(data: bytes) -> bytes:
        return _SPACE_ROW.sub(collapse, _SPACE_RUN.sub(collapse_run, data))

    carry = b""
    while True:
        chunk = handle.read(_CHUNK)
        buffer = carry + chunk
        if not chunk:
            parser.Parse(clean(buffer), True)
            return
        cut = buffer.rfind(b"</row>")
        if cut < 0:
            if len(buffer) > 4 * _CHUNK:  # no row ends here (prefixed names, or no rows): parse as it is
                parser.Parse(buffer, False)
                buffer = b""
            carry = buffer
            continue
        cut += len(b"</row>")
        parser.Parse(clean(buffer[:cut]), False)
        carry = buffer[cut:]


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


def _number_attr(text) -> float | None:
    """An XML attribute's number ('12.75' -> 12.75); ``None`` when absent or not a number."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Styles:
    """Indexes of the cell styles whose number format shows a date, a percentage or a pound sign."""

    dates: frozenset = frozenset()
    percents: frozenset = frozenset()
    pounds: frozenset = frozenset()
    hidden: frozenset = frozenset()


def _format_kind(code: str) -> str:
    """What a number format shows besides the number: 'percent', 'pounds', 'hidden' (every section
    empty, as ';;;': the cell shows nothing) or ''."""
    bare = re.sub(r'"[^"]*"|\\.', "", code)  # quoted text and escaped characters shown as they are
    if ";" in code and not code.replace(";", "").strip():
        return "hidden"
    if "%" in bare:
        return "percent"
    if "£" in code:
        return "pounds"
    return ""


def _styles(archive) -> _Styles:
    """The cell styles whose number format shows a date, a percentage or a pound sign (see :class:`_Styles`)."""
    import xml.etree.ElementTree as ET

    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if "xl/styles.xml" not in archive.namelist():
        return _Styles()
    root = ET.fromstring(archive.read("xl/styles.xml"))
    local = lambda tag: tag.rpartition("}")[2]  # noqa: E731
    custom = {}
    for el in root.iter():
        if local(el.tag) == "numFmt" and (el.get("numFmtId") or "").isdigit():
            custom[int(el.get("numFmtId"))] = el.get("formatCode", "")
    found = {"date": set(), "percent": set(), "pounds": set(), "hidden": set()}
    for el in root.iter():
        if local(el.tag) == "cellXfs":
            for index, xf in enumerate(x for x in el if local(x.tag) == "xf"):
                fmt = int(xf.get("numFmtId", "0")) if (xf.get("numFmtId") or "0").isdigit() else 0
                code = custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
                if code and is_date_format(code):
                    found["date"].add(index)
                elif code and _format_kind(code):
                    found[_format_kind(code)].add(index)
    return _Styles(frozenset(found["date"]), frozenset(found["percent"]), frozenset(found["pounds"]),
                   frozenset(found["hidden"]))


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


def sheet_problem(path: Path, sheet: str) -> str:
    """Why ``sheet`` cannot be read from the file at ``path`` ('' when it can, or when the file is not a
    workbook of any kind the suite reads: reading it says why). For the params file's ``foi_sheet``."""
    import zipfile

    with open(path, "rb") as handle:
        start = handle.read(4)
    if start != _ZIP:
        return (f"'foi_sheet' names a sheet ({sheet!r}), but foi_returns is a CSV file, which has no sheets: delete "
                "the foi_sheet line") if not start.startswith(_OLE2[:4]) else ""
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = _xlsx_sheets(archive, display_path(path))
        _pick_sheet(sheets, sheet, display_path(path))
    except InputError as err:
        return err.problems[0].message if "no sheet named" in err.problems[0].message else ""
    except (zipfile.BadZipFile, OSError):
        return ""
    return ""


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
            reader = _SheetReader(_read_strings(archive), _styles(archive),
                                  CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900, file, title)
            parser = xml.parsers.expat.ParserCreate()
            parser.buffer_text = True
            parser.StartElementHandler, parser.EndElementHandler = reader.start, reader.end
            parser.CharacterDataHandler = reader.text
            with archive.open(part) as handle:
                _feed(parser, handle, reader.strings)
        except InputError:
            raise
        except Exception as err:  # malformed XML, a damaged zip member
            _refuse(file, f"sheet {title!r} could not be read ({type(err).__name__}: {err}): open the file in a "
                          "spreadsheet program and save it again as .xlsx, or save it as CSV")
    scan = reader.scan
    scan.merges = sorted(set(scan.merges), key=lambda m: (m.top, m.left))
    grid = reader.grid()
    _folded_away(scan)
    _filtered_out(scan, grid)
    texts = {row: cells for row, cells in grid}
    cell_problems = {}
    for (row, index), text in scan.hidden_values.items():
        cell_problems[(row, index)] = (f"the cell's number format shows nothing (a format such as ';;;'), so a reader "
                                       f"cannot see its value ({_short_cell(text)}): set the cell's format to General "
                                       "and check the value")
    for (row, index), formula in scan.formulas.items():
        cells = texts.get(row)
        if cells is not None and index < len(cells) and cells[index] == "":
            shown = f"the formula '={formula}'" if formula else "a formula"
            cell_problems[(row, index)] = (f"{shown} has no saved value (the program that wrote the file did not "
                                           "calculate it; saving it again may not): replace the formulas with "
                                           "their values (copy the cells, then Paste Special > Values) and save, "
                                           "or recalculate before saving (Excel: Formulas > Calculate Now; "
                                           "LibreOffice: Data > Calculate > Recalculate Hard)")
    return grid, f"XLSX, sheet {title!r}", cell_problems, position, scan, remarks


def _folded_away(scan: _SheetScan) -> None:
    """Add to the hidden rows and columns those inside a collapsed outline group.

    A group's summary row (below the group unless the sheet says otherwise) is marked collapsed; the
    rows next to it at a deeper outline level are folded away, whether or not each carries the hidden flag.
    """
    _fold(scan.outline_rows, -1 if scan.summary_below else 1, scan.hidden_rows)
    levels = {}
    for first, last, level, collapsed in scan.outline_columns:
        for index in range(first, min(last, MAX_COLUMNS) + 1):
            levels[index] = (level, collapsed)
    _fold(levels, -1 if scan.summary_right else 1, scan.hidden_columns)


def _fold(levels: dict, step: int, hidden: dict) -> None:
    """Mark in ``hidden`` each row or column (number -> (outline level, collapsed)) folded away by a collapsed
    summary: the run beside it, ``step`` (-1 or 1) at a time, at a deeper outline level."""
    for index, (level, collapsed) in sorted(levels.items()):
        if not collapsed:
            continue
        inner = index + step
        while levels.get(inner, (0, False))[0] > level:
            hidden.setdefault(inner, "is folded away in a collapsed outline group")
            inner += step


def _filter_key(text) -> str:
    """A cell's text as a filter value is compared: case, spaces, '£' and thousands commas ignored."""
    return " ".join(str(text).lower().replace(",", "").replace("£", "").split())


def _filtered_out(scan: _SheetScan, grid: list) -> None:
    """Add to the hidden rows those an autofilter leaves out (each row below the filter's first row whose
    cell is not among the values a filter column shows). A kind of filter the suite does not work out
    (a custom, top-10, date or colour filter) hides every row of its range that holds anything, as far as
    the suite can tell: the message says to clear the filter."""
    if not scan.filters or not scan.filter_ref:
        return
    try:
        (top, left), (bottom, _) = (_cell_ref(r) for r in (scan.filter_ref.split(":") + [scan.filter_ref])[:2])
    except ValueError:
        return
    for row, cells in grid:
        if row <= top or row > bottom or row in scan.hidden_rows:
            continue
        for offset, shown, blanks in scan.filters:
            index = left + offset
            letter = column_letter(index)
            if shown is None:
                scan.hidden_rows[row] = f"may be left out by the filter on column {letter} (a kind of filter " \
                                        "the suite does not work out)"
                break
            text = _filter_key(cells[index]) if index < len(cells) else ""
            if (text == "" and not blanks) or (text != "" and text not in shown):
                scan.hidden_rows[row] = f"is filtered out (the filter on column {letter} does not show it)"
                break


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


def _heading_over(cells: list, index: int, row: int, merges: list, texts: Callable) -> str:
    """The heading a row puts over column ``index``: its own text, the merged cell covering it, or the
    nearest text to its left (a heading typed in the first of the columns it spans)."""
    for m in merges:
        if m.top <= row <= m.bottom and m.left <= index <= m.right:
            return texts(m.top, m.left)
    for j in range(min(index, len(cells) - 1), -1, -1):
        if str(cells[j]).strip():
            return str(cells[j]).strip()
    return ""


def _looks_like_figure(text: str) -> bool:
    """True for a cell that holds a figure or a yes/no rather than a heading ('12', '£1,200', 'nil', 'yes')."""
    for reader in (values.read_money, values.read_yes_no):
        try:
            if reader(text) is not None:
                return True
        except ValueError:
            continue
    return False


def _two_row_header(grid: list, header: list, header_row: int, bottom: int, scan: _SheetScan | None):
    """Header names read with a heading in the row above or sub-headings in the row below, whatever the
    corner holds.

    A two-row header ('Spend (£)' over 'To date' and 'Expected') is read as combined names: a header cell
    that names no column by itself is read with the heading above it (the cell above, the merged cell
    over it, or the nearest heading to its left in that row) when the two together name a column the
    header lacks. A row right below the header with no PCT and no figures, whose words complete the
    headings above them into columns the header lacks, is a row of sub-headings. Returns (header, first
    row, last row, the combined names read).
    """
    rows = {row: cells for row, cells in grid}
    merges = scan.merges if scan else []

    def texts(row, index):
        cells = rows.get(row, [])
        return str(cells[index]).strip() if index < len(cells) else ""

    have = {canonical_column(n) for n in header if str(n).strip()} - {None}
    header = list(header)
    combined = []
    above = rows.get(header_row - 1)
    if above and not _is_blank(above):
        for c, name in enumerate(header):
            if str(name).strip() and canonical_column(name) is not None:
                continue
            heading = _heading_over(above, c, header_row - 1, merges, texts)
            joined = f"{heading} {name}".strip()
            found = canonical_column(joined) if heading else None
            if found is not None and found not in have:
                header[c] = joined
                have.add(found)
                combined.append(joined)
        if combined:
            return header, header_row - 1, bottom, combined
    if bottom != header_row:
        return header, header_row, bottom, combined
    below = rows.get(bottom + 1)
    pct_at = [i for i, n in enumerate(header) if str(n).strip() and canonical_column(n) in ("pct", "pct_code")]
    if not below or _is_blank(below) or any(i < len(below) and str(below[i]).strip() for i in pct_at):
        return header, header_row, bottom, combined
    subs = {c: str(t).strip() for c, t in enumerate(below) if str(t).strip()}
    if any(_looks_like_figure(t) for t in subs.values()):
        return header, header_row, bottom, combined
    names = list(header) + [""] * max(0, len(below) - len(header))
    gained = set()
    for c, sub in subs.items():
        heading = _heading_over(header, c, header_row, merges, texts)
        names[c] = f"{heading} {sub}".strip()
        found = canonical_column(names[c])
        if found is not None and found not in have:
            gained.add(found)
    if not gained:
        return header, header_row, bottom, combined
    return names, header_row, bottom + 1, [names[c] for c in subs]


def _fill_merges(grid: list, header: list, bottom: int, scan: _SheetScan | None, file: str):
    """Data rows with merged cells filled from each merge's first cell, as a reader sees them.

    A merge down a PCT name or code column is a problem instead (each row needs its own PCT), and so is
    a joint figure: a merge over a count or an amount that spans several rows or columns, so that one
    figure stands for several PCTs or several columns. It cannot be split without a decision; merges
    over the same rows are one problem. Yes/no and text cells are filled (a merged 'yes' is every
    row's answer). Returns (rows, problems, refs of the merges filled).
    """
    if not scan or not scan.merges:
        return [(row, cells) for row, cells in grid if row > bottom], [], []
    rows = [(row, list(cells)) for row, cells in grid if row > bottom]
    at = {row: cells for row, cells in rows}
    problems, filled = [], []
    joint: dict[tuple[int, int], list[Merge]] = {}
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
        if any(_sums(header[c]) for c in range(m.left, min(m.right + 1, len(header)))):
            joint.setdefault((m.top, m.bottom), []).append(m)
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
    pct_at = [i for i, text in enumerate(header) if text and canonical_column(text) in ("pct", "pct_code")]
    for (top, low), merges in joint.items():
        m = merges[0]
        first = at.get(top, [])
        value = first[m.left] if m.left < len(first) else ""
        refs = " and ".join(x.ref for x in merges)
        verb = "are" if len(merges) > 1 else "is"
        if low > top:
            names = [at[r][pct_at[0]] for r in range(top, low + 1)
                     if pct_at and r in at and pct_at[0] < len(at[r]) and at[r][pct_at[0]]]
            whose = f" ({', '.join(names)})" if names else ""
            message = (f"a joint figure: {refs} {verb} merged over rows {top}-{low}{whose}, so one figure "
                       f"({value!r}) stands for {low - top + 1} PCTs, and it cannot be split without a decision. "
                       "Give each PCT's row its own figure (split as the PCTs' answer says), or leave it out: "
                       "write 'not known' in each row and put the joint figure in the notes column; then unmerge "
                       "the cells")
        else:
            columns = ", ".join(repr(header[c]) for c in range(m.left, min(m.right + 1, len(header))))
            message = (f"a joint figure: {refs} {verb} merged across columns {columns}, so one figure ({value!r}) "
                       "stands for several: give each column its own figure, or write 'not known' where the "
                       "answer gives none; then unmerge the cells")
        problems.append(Problem(file, top, header[m.left] if m.left < len(header) else "", message))
    return rows, problems, filled


def _sums(header_text: str) -> bool:
    """True when a header names a column of counts or amounts (figures that add up over PCTs)."""
    name = canonical_column(header_text) if str(header_text).strip() else None
    return name is not None and _sums_column(name)


def _hidden_problems(rows: list, header: list, header_row: int, scan: _SheetScan | None, file: str) -> list:
    """A problem for each run of data rows a person cannot see with anything in it, and each such column.

    What cannot be seen is not read: hidden rows and columns, rows or columns too small to show a figure,
    folded away in a collapsed outline or left out by a filter (see :class:`_SheetScan`). A run of
    consecutive hidden rows is one problem, at its first row that holds anything.
    """
    if not scan:
        return []
    problems = []
    hidden = scan.hidden_rows
    runs: list[list] = []  # [first row, last row, first row with content, reason]
    for row, cells in rows:
        if row not in hidden:
            continue
        if runs and runs[-1][1] == row - 1 and hidden[runs[-1][0]] == hidden[row]:
            runs[-1][1] = row
        else:
            runs.append([row, row, None, hidden[row]])
        if runs[-1][2] is None and not _is_blank(cells):
            runs[-1][2] = row
    for first, last, content, reason in runs:
        if content is None:
            continue
        if first == last:
            where, verb = f"row {first} {reason}", "it"
        else:
            plural = reason.replace("is ", "are ", 1) if reason.startswith("is ") else reason
            where, verb = f"rows {first:,}-{last:,} {plural}", "them"
        fix = "clear the filter (show every row)" if "filter" in reason else f"unhide {verb} (or make {verb} tall " \
            "enough to read)" if "points high" in reason else f"unhide {verb}"
        problems.append(Problem(file, content, "", f"{where}, so a reader cannot see {verb}: {fix} and check "
                                                   f"{verb} (delete what should not be counted), then save"))
    seen = []  # runs of consecutive hidden columns with a header or anything in them: [first, last, reason]
    for index in sorted(scan.hidden_columns):
        name = header[index] if index < len(header) else ""
        used = any(index < len(cells) and str(cells[index]).strip() for _, cells in rows)
        if not (name or used):
            continue
        reason = scan.hidden_columns[index]
        if seen and seen[-1][1] == index - 1 and seen[-1][2] == reason:
            seen[-1][1] = index
        else:
            seen.append([index, index, reason])
    for first, last, reason in seen:
        name = header[first] if first < len(header) else ""
        if first == last:
            where, verb = f"column {column_letter(first)} {reason}", "it"
        else:
            plural = reason.replace("is ", "are ", 1) if reason.startswith("is ") else reason
            where, verb = f"columns {column_letter(first)}-{column_letter(last)} {plural}", "them"
        fix = f"widen {verb}" if "wide" in reason else f"unhide {verb}"
        problems.append(Problem(file, header_row, name, f"{where} in the spreadsheet, so a reader cannot see {verb}: "
                                                        f"{fix} and check {verb} (delete what should not be read)"))
    return problems


def _no_table_in_sheet(path: Path, source: str, empty: bool, sheet: str | None) -> str:
    """The message for a worksheet without a header row (a cover letter, say): the workbook's sheets, which
    of them holds a table, and how to name it (``foi_sheet`` in the params file, or ``scr check --sheet``)."""
    import zipfile

    title = source.removeprefix("XLSX, sheet ")
    with zipfile.ZipFile(path) as archive:
        sheets = _xlsx_sheets(archive, display_path(path))
    names = [name for name, _, _ in sheets]
    what = "is empty" if empty else "has no header row (a row naming the columns, such as pct, rollout_begun)"
    said = f"sheet {title} {what}; the workbook's sheets are: {', '.join(repr(n) for n in names)}."
    for name in names:
        if repr(name) == title:
            continue
        try:
            grid, *_ = _xlsx_grid(path, name)
        except InputError:
            continue
        row = find_header(grid)
        if row is not None:
            return (f"{said} Sheet {name!r} has the table (header in row {row}): name it with 'foi_sheet: {name}' "
                    f"in the params file (or `scr check --sheet '{name}'`)")
    named = " named" if sheet else ""
    return f"{said} No sheet has a header row: put the table in the{named} sheet, its header in one row"


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
        start = handle.read(512)
    cell_problems, position, scan, remarks = {}, 0, None, []
    suffix = path.suffix.lower()
    what = _not_a_spreadsheet(start)
    if what:
        _refuse(file, f"this is {what}{f', though it is named {suffix}' if suffix else ''}: open it in a "
                      "spreadsheet program and save it as .xlsx or as CSV")
    if start.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
            _refuse(file, "the workbook is protected with a password (encrypted), so it cannot be read: remove "
                          "the password (in Excel: File > Info > Protect Workbook > Encrypt with Password, clear it) "
                          "and save it, or save the table as CSV")
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
    empty = not any(any(str(c).strip() for c in cells) for _, cells in grid)
    header_row = None if empty else find_header(grid)
    if header_row is None and scan is not None:
        _refuse(file, _no_table_in_sheet(path, source, empty, sheet))
    if empty:
        raise InputError([Problem(file, 0, "", "the file is empty: expected a header row")])
    if header_row is None:
        first = next(cells for _, cells in grid if any(str(c).strip() for c in cells))
        hint = ""
        if len(first) == 1 and (";" in first[0] or "\t" in first[0]):
            hint = " The first row looks separated by ';' or tabs: save the file as comma-separated CSV."
        shown = ", ".join(str(c).strip() for c in first if str(c).strip())
        shown = shown if len(shown) <= 120 else shown[:100] + f"... ({len(shown):,} characters)"
        raise InputError([Problem(file, 0, "", "no header row found: expected a row naming the columns, such as "
                                               f"{', '.join(n for n, c in COLUMNS.items() if c.required)}; "
                                               f"the first row has: {shown}.{hint}")])
    skipped = [row for row, cells in grid if row < header_row and not _is_blank(cells)]
    header, bottom, problems = _merged_header(grid, header_row, scan, file)
    merged_bottom = bottom
    header, top, bottom, combined = _two_row_header(grid, header, header_row, bottom, scan)
    if problems and bottom > merged_bottom:  # the sub-headings that a merged heading lacked are there after all
        problems = []
    rows, merge_problems, filled = _fill_merges(grid, header, bottom, scan, file)
    problems += merge_problems + _hidden_problems(rows, header, header_row, scan, file)
    if combined:
        skipped = [row for row in skipped if row < top]
        remarks.append(f"header in rows {top}-{bottom} (names read with the heading above them: "
                       f"{', '.join(repr(n) for n in combined)})")
    elif bottom > header_row:
        remarks.append(f"header in rows {header_row}-{bottom} (merged header cells read as one name per column)")
    if filled:
        shown = ", ".join(filled[:5]) + (f" and {len(filled) - 5:,} more" if len(filled) > 5 else "")
        remarks.append(f"{_plural(len(filled), 'merged range')} ({shown}) read as the value of each range's "
                       "first cell")
    titles = [(row, cells) for row, cells in grid if row in set(skipped)]
    return RawTable(file, header, header_row, rows, source, skipped, cell_problems, position, problems, remarks,
                    strict_width=scan is None, titles=titles)


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


# Words for a unit in a header the suite does not read ('Spend to date (thousands)'), and the unit to write.
_UNIT_WORDS = [(re.compile(r"thousand|'?000s?\b|\bk\b", re.I), "£000s"),
               (re.compile(r"million|\bmn?\b", re.I), "£m")]


def _name_for(column: str, header: str) -> str:
    """The names to advise for an unread header meant as ``column``: the canonical name and a variant;
    for money whose header names a unit ('thousands'), the variant with that unit, so that the renamed
    column is read in the header's unit, never in pounds."""
    variant = VARIANTS[column][0] if VARIANTS[column] else ""
    if column in MONEY_COLUMNS:
        for pattern, unit in _UNIT_WORDS:
            if pattern.search(header):
                plain = re.sub(r"\s*\(£\)", "", variant) or column
                return f"'{plain} ({unit})' (its figures are in {'thousands' if unit == '£000s' else 'millions'})"
    return f"{column!r} (or {variant!r})" if variant else repr(column)


def _match_header(table: RawTable) -> tuple[dict[str, int], list[str], list[Problem], dict[str, tuple]]:
    """Where each known column is, the headers not read, problems, and the unit of each scaled money column."""
    problems, where, ignored, scales = [], {}, [], {}
    shares = []
    for i, text in enumerate(table.header):
        share = share_of(text) if text.strip() else None
        if share is not None:
            shares.append((i, text, share))
            ignored.append(text)
            continue
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
                names = "; ".join(_name_for(c, text) for c in meant)
                problems.append(Problem(table.file, table.header_row, text,
                                        f"column {column_letter(i)} ({text!r}) is not read, but looks like data the "
                                        f"suite needs: rename it to {names}, or delete the column if it holds "
                                        "something else"))
    for i, text, name in shares:
        if name in where:
            continue  # the count is given too: the share beside it is not read
        wanted = VARIANTS[name][0] if VARIANTS[name] else name
        problems.append(Problem(table.file, table.header_row, text,
                                f"column {column_letter(i)} ({text!r}) gives a share or percentage, but the suite "
                                f"needs a count ({COLUMNS[name].meaning}): give the numbers in a column headed "
                                f"{wanted!r}, or delete the column if the answer gives no count"))
        where[name] = -1  # reported: not reported again as missing
    where = {name: i for name, i in where.items() if i >= 0}
    for name, col in COLUMNS.items():
        if name == "pct" and "pct_code" in where or any(name == n for _, _, n in shares):
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


_JOINED = re.compile(r"\s+(?:and|&)\s+|\s*[/+;]\s*|,\s*", re.I)


def _joint_pcts(text: str, pcts: reference.PCTs) -> str:
    """The message for a PCT cell that names several PCTs ('NHS Bolton and NHS Bury'): a joint answer;
    '' when the text is not two or more PCTs' names."""
    parts = [part for part in _JOINED.split(text) if part.strip()]
    if len(parts) < 2:
        return ""
    names = []
    for part in parts:
        try:
            names.append(reference.pct_name(reference.resolve(part, pcts).ods_code, pcts))
        except reference.UnknownPCT:
            return ""
    return (f"a joint answer: {text!r} names {len(names)} PCTs ({'; '.join(names)}), and figures given for "
            "several PCTs together cannot be split without a decision. Give each PCT its own row with its own "
            "figures (split as the answer says), or leave the joint figures out: one row per PCT with 'not "
            "known', and the joint figures in the notes column")


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
            problems.append(Problem(table.file, row_number, header[name], _joint_pcts(text, pcts) or str(err)))
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


def _column_problems(table: RawTable, where: dict, header: dict, scales: dict, note_rows: set) -> dict:
    """Rules about a column as a whole, each a problem at its header naming the column (and then its cells
    are not read one by one):

    - a count or an amount is never a percentage: cells such as '28%' in a column of counts;
    - a unit in the header and a unit in the cells must agree: under a header in £000s or £m, a cell
      that writes '£' gives its amount in pounds ('£190,000'), not in the header's unit.
    """
    found = {}
    filled = [(row, cells) for row, cells in table.rows if any(cells) and row not in note_rows]
    for name, i in where.items():
        if not _sums_column(name):
            continue
        percents, pounds = [], []
        for row, cells in filled:
            text = str(cells[i]).strip() if i < len(cells) else ""
            if not text:
                continue
            if text.endswith("%"):
                percents.append((row, text))
            elif name in scales and "£" in text:
                pounds.append((row, text))
        column = header[name]
        money = COLUMNS[name].reader is values.read_money
        what, figures = ("an amount", "amounts") if money else ("a count", "numbers")
        if percents:
            found[name] = Problem(table.file, table.header_row, column,
                                  f"column {column_letter(i)} ({column!r}) holds percentages ({_examples(percents)}), "
                                  f"but the suite needs {what} ({COLUMNS[name].meaning}): give the {figures} "
                                  f"instead, or leave the column out if the answer gives none")
        elif pounds:
            scale, unit = scales[name]
            found[name] = Problem(table.file, table.header_row, column,
                                  f"the header of column {column_letter(i)} ({column!r}) gives its unit as {unit}, "
                                  f"but its cells give amounts in pounds ({_examples(pounds)}): the two must agree. "
                                  f"Write the figures in {unit} without '£' (190 for £190,000), or in pounds with "
                                  "the unit taken out of the header ('(£)')")
    return found


def _short_cell(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:30] + "...")


def _unit_notes(table: RawTable, note_rows: set, where: dict, header: dict, scales: dict) -> list[Problem]:
    """A unit stated in a title or note row ('All figures in £000s') must agree with the money headers: a
    money column whose header gives another unit (or none: pounds) is a problem at that row, so that a
    figure is never read a thousand times too small."""
    money = [name for name in MONEY_COLUMNS if name in where]
    if not money:
        return []
    rows = [*table.titles, *((row, cells) for row, cells in table.rows if row in note_rows)]
    for row, cells in rows:
        text = " ".join(str(c).strip() for c in cells if str(c).strip())
        try:
            _, scale, unit = header_unit(text)
        except ValueError:
            continue
        if scale == 1:
            continue
        other = [name for name in money if scales.get(name, (1, ""))[0] != scale]
        if other:
            shown = text if len(text) <= 60 else text[:50] + "..."
            names = ", ".join(repr(header[n]) for n in other)
            return [Problem(table.file, row, "", f"row {row} says the figures are in {unit} ({shown!r}), but the "
                                                 f"header of {names} does not: put the unit in the header (such as "
                                                 f"'Spend to date (£000s)'), or take it out of row {row} if the "
                                                 "figures are in pounds")]
    return []


def _examples(found: list) -> str:
    """'£190,000' in row 5, and 3 more' from [(row, text), ...]."""
    row, text = found[0]
    more = f", and {len(found) - 1:,} more" if len(found) > 1 else ""
    return f"{text!r} in row {row}{more}"


def _validate(table: RawTable) -> _Validated:
    where, ignored, problems, scales = _match_header(table)
    problems = list(table.problems) + problems
    header = {name: table.header[i] for name, i in where.items()}
    note_rows = set(row for row, cells in table.rows if is_note_row(cells))
    problems += _unit_notes(table, note_rows, where, header, scales)
    if problems:
        answers = [row for row, cells in table.rows if not _is_blank(cells) and row not in note_rows]
        return _Validated(None, header, ignored, [], answers, problems, sorted(note_rows), scales)
    records, blank_rows, answers = [], [], []
    width = len(table.header)
    unnamed = [i for i, text in enumerate(table.header) if not text]
    readers = [(name, where.get(name), col) for name, col in COLUMNS.items()]
    column_problems = _column_problems(table, where, header, scales, note_rows)
    problems += column_problems.values()
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
            if name in column_problems:  # the column as a whole is reported
                record[name] = None
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
    problems += consistency_problems(frame, table.file, header, pcts)
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


def consistency_problems(frame: pd.DataFrame, file: str, header: dict[str, str],
                         pcts: reference.PCTs) -> list[Problem]:
    """Rules that tie a row's values together; each broken rule is one problem.

    Missing values never break a rule: a rule is checked only where all its
    values are given (and not negative, which is a problem of its own). The same PCT twice (by name and by
    code, say) is a problem on the later row, named as ``pcts`` (the reference table, read once) names it.
    Problems come in row order; the rules are checked column by column (vectorised), so a file of 100,000
    rows is checked in well under a second.
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
                                          f"{reference.pct_name(code, pcts)} ({code}) appears twice: "
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


def row_ranges(rows, limit: int = 10) -> str:
    """Row numbers as runs, for people: [13, 14, ..., 100000, 100004] -> 'rows 13-100,000 and 100,004'.

    At most ``limit`` runs are written out, then how many more ('and 7 more runs'), so that a file of
    100,000 blank rows is one short phrase, never 100,000 numbers.
    """
    runs: list[list[int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    if not runs:
        return "no rows"
    parts = [f"{a:,}" if a == b else f"{a:,}-{b:,}" for a, b in runs[:limit]]
    if len(runs) > limit:
        parts.append(f"{len(runs) - limit:,} more run{'s' if len(runs) - limit > 1 else ''}")
    word = "row" if len(runs) == 1 and runs[0][0] == runs[0][1] else "rows"
    return f"{word} {parts[0]}" if len(parts) == 1 else f"{word} {', '.join(parts[:-1])} and {parts[-1]}"


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
        skipped.append(f"{_plural(len(done.note_rows), 'note row')} ({row_ranges(done.note_rows)})")
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
