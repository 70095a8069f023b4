"""Format a table for publication, from its declaration: the same table in JupyterLab, on the story page
and in the CSV download.

A table is declared once (:class:`~scr_lib.findings.columns.Table`: a caption, and each column's
human header and unit); a finding declares its own in its ``Finding`` record, and
:data:`CLAIMS` here is the claims table every finding shows. From a frame (in a notebook) or
from the rows of a run's CSV (on the site, which never imports pandas) this module makes:

- :func:`html`: the table as a reader sees it: no index column, the declared headers,
  ``<caption>``, ``<th scope="col">``, a row header (``<th scope="row">``) where a column names
  the row, numbers right-aligned (``class="num"``), every text escaped, inside a focusable
  scrolling region (``<div class="table-wrap" role="region" tabindex="0" aria-label=...>``);
- :func:`csv_bytes`: the download: UTF-8 with a byte-order mark (so Excel reads "£" as "£"),
  the declared headers with the unit where it is not in the cells ("Spend to date (£)",
  "Share that declined (%)"), numbers at their unit's precision and never as text, and any text
  a spreadsheet would run as a formula neutralised.

What each cell shows (:func:`cell`): counts as whole numbers with separators ("1,732"), pounds as
"£190,000" (pence when the column has pence or is declared with two places), shares as percentages
("16.5%", two places when a share is under 1%), yes/no in words, and a missing value (None, NaN,
``pd.NA`` or an empty text) in the column's ``missing`` words, "not given" unless declared.
An illustrative value is marked beside it (``<span class="illustrative-mark">illustrative</span>``;
in a download, a last column "Illustrative values").

No pandas at import, and none needed: a frame is read through its ``to_dict("records")``.
"""

from __future__ import annotations

import csv
import html as _html
import io
import math
from dataclasses import replace

from ..findings.columns import NOT_GIVEN as NOT_GIVEN_TEXT
from ..findings.columns import Column, Table
from ..words import round_half_up

ILLUSTRATIVE_MARK = '<span class="illustrative-mark">illustrative</span>'
ILLUSTRATIVE_HEADER = "Illustrative values"
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_DECIMALS = {"share": 1, "rate": 1, "number": 1, "pounds": 0}
NUM = ' class="num"'
DOWNLOAD_UNIT = {"pounds": " (£)", "share": " (%)"}

CLAIMS = Table("claims", "Do the published figures hold?", (
    Column("claim", "Claim", row_header=True),
    Column("as published", "As published"),
    Column("this run", "This run"),
    Column("verdict", "Verdict"),
))
"""The claims table (:func:`scr_lib.story.report.claims_table`), common to every finding."""

RESULTS = Table("results", "The figures this notebook hands to the story pages", (
    Column("label", "Figure", row_header=True),
    Column("value", "Value", "figure"),
), illustrative="illustrative")
"""A notebook's recorded results (``Results.frame``): each figure's label and value, never its key."""

COMMON = {"claims": CLAIMS}
"""Declarations every finding shares, by the name after the finding's id: ``refusal_claims`` is ``claims``."""


# ----------------------------------------------------------------------------------------------
# One value


def is_missing(value) -> bool:
    """True for None, NaN, ``pd.NA``/``NaT`` and an empty or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # pd.NA refuses to be a bool
        return True


def _plain(value):
    """A numpy scalar as the Python value it holds."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def _number(value) -> float:
    value = _plain(value)
    if isinstance(value, str):
        return float(value.strip().replace(",", ""))
    return float(value)


def _yes(value) -> bool:
    value = _plain(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "yes", "1", "1.0"):
            return True
        if text in ("false", "no", "0", "0.0"):
            return False
        raise ValueError(f"not a yes/no value: {value!r}")
    return bool(value)


def decimals_for(values, column: Column) -> int | None:
    """The decimal places ``column`` shows its ``values`` at: as declared, else the unit's (see the module
    docstring): pounds in pence when any value has pence, shares to two places when any is under 1%."""
    if column.decimals is not None or column.unit not in DEFAULT_DECIMALS:
        return column.decimals
    numbers = [_number(v) for v in values if not is_missing(v)]
    if column.unit == "pounds":
        return 2 if any(round_half_up(n, 2) != round_half_up(n, 0) for n in numbers) else 0
    if column.unit == "share":
        return 2 if any(0 < abs(n) < 0.01 for n in numbers) else 1
    return DEFAULT_DECIMALS[column.unit]


def _fixed(number: float, decimals: int, separators: bool) -> str:
    rounded = round_half_up(number, decimals)
    text = f"{rounded:,.{decimals}f}" if separators else f"{rounded:.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(rounded) == 0 else text  # never "-0"


def cell(value, column: Column, decimals: int | None = None) -> str:
    """``value`` as ``column`` shows it to a reader (plain text, not yet escaped); ``decimals`` from
    :func:`decimals_for` (None: the column's declared places, or the unit's default)."""
    return _text(value, column, decimals, page=True)


def _text(value, column: Column, decimals: int | None, page: bool) -> str:
    if is_missing(value):
        return column.missing
    unit = column.unit
    if decimals is None:
        decimals = column.decimals if column.decimals is not None else DEFAULT_DECIMALS.get(unit, 0)
    if unit == "count":
        return _fixed(_number(value), 0, page)
    if unit == "pounds":
        number = _number(value)
        if not page:
            return _fixed(number, decimals, False)
        return ("-£" if number < 0 else "£") + _fixed(abs(number), decimals, True)
    if unit == "share":
        return _fixed(_number(value) * 100, decimals, page) + ("%" if page else "")
    if unit in ("rate", "number"):
        return _fixed(_number(value), decimals, page)
    if unit == "yes/no":
        return "yes" if _yes(value) else "no"
    return str(_plain(value))


def figure(value, unit: str) -> str:
    """A recorded result (``Results.add``) as a reader reads it, from its value and its unit in
    ``results.json``: "fraction" as a percentage, "GBP" in pounds ("GBP per record": "£2.42 per record"),
    "one in N" as "one in 6", a "(1 yes, 0 no)" unit as yes or no, anything else as the number (whole,
    or to one decimal place) followed by its unit ("1,732 practices"; "1 practice")."""
    if is_missing(value):
        return NOT_GIVEN_TEXT
    number = _number(value)
    if unit == "fraction":
        return cell(number, Column("v", "", "share"), decimals_for([number], Column("v", "", "share")))
    if unit.startswith("GBP"):
        per = unit[len("GBP"):]
        places = 2 if per.strip() else decimals_for([number], Column("v", "", "pounds"))
        return cell(number, Column("v", "", "pounds"), places) + per
    if "1 yes, 0 no" in unit:
        return "yes" if number else "no"
    if unit == "one in N":
        return f"one in {_fixed(number, 0, True)}"
    shown = _fixed(number, 0 if float(number).is_integer() else 1, True)
    if shown == "1" and unit.split(" ")[0].endswith("s"):  # 1 practice, 1 call a week
        first, _, rest = unit.partition(" ")
        unit = f"{first[:-1]} {rest}"
    return f"{shown} {unit}".strip()


def neutralise(text: str) -> str:
    """``text`` with an apostrophe before it when a spreadsheet would read it as a formula (it begins with
    =, +, -, @, a tab or a carriage return); other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# ----------------------------------------------------------------------------------------------
# A table


def rows_of(data) -> list[dict]:
    """The rows of a frame (its ``to_dict("records")``) or a list of dicts (as ``csv.DictReader`` reads)."""
    return data.to_dict("records") if hasattr(data, "to_dict") else [dict(row) for row in data]


def _columns(rows: list[dict], table: Table, present: set | None = None) -> list[Column]:
    known = present if present is not None else {name for row in rows[:1] for name in row}
    if not rows and present is None:
        return [c for c in table.columns if not c.optional]
    missing = [c.name for c in table.columns if c.name not in known and not c.optional]
    if missing:
        raise KeyError(f"table {table.name!r} declares column(s) {missing} that it does not have; "
                       f"it has {sorted(known)!r}")
    return [c for c in table.columns if c.name in known]


def _marked(row: dict, table: Table, columns: list[Column]) -> set[str]:
    """The names of the row's columns whose values are illustrative."""
    if table.illustrative is None or is_missing(row.get(table.illustrative)):
        return set()
    flag = _plain(row[table.illustrative])
    try:
        return {c.name for c in columns if c.numeric and not c.row_header} if _yes(flag) else set()
    except ValueError:  # not a yes/no: a list of columns
        return {name.strip() for name in str(flag).split(";") if name.strip()}


def _marks_are_flags(rows: list[dict], table: Table) -> bool:
    for row in rows:
        value = row.get(table.illustrative)
        if not is_missing(value):
            try:
                _yes(value)
            except ValueError:
                return False
    return True


GENERATED_NAME = "Area {n}, illustrative"
NO_CODE = "—"


def without_generated_names(data, table: Table):
    """``data``'s rows with each row whose figures were all generated (every figure it gives that any row marks
    is marked illustrative in it) named :data:`GENERATED_NAME` in its row-header column (N counting those rows in order) and
    its ``ods_code``, if any, :data:`NO_CODE`: a table never pairs a real body's name with figures generated for
    it, as the charts do not (:func:`scr_lib.findings.arithmetic.chart_names`). A row of a named area with
    some figures received keeps its name, its generated values marked. Returned as given when the table has
    no illustrative value or no row-header column, or names its generated rows already."""
    rows = rows_of(data)
    header = next((c for c in table.columns if c.row_header), None)
    if table.illustrative is None or header is None or any(
            str(row.get(header.name, "")).endswith(", illustrative") for row in rows):
        return data
    columns = _columns(rows, table, set(getattr(data, "columns", [])) or None)
    marks = [_marked(row, table, columns) for row in rows]
    markable = set().union(*marks)  # the figures a row can be marked on (not those worked out from them)
    out, n = [], 0
    for row, marked in zip(rows, marks):
        given = {c.name for c in columns if c.name in markable and not is_missing(row.get(c.name))}
        if marked and given <= marked:
            n += 1
            row = {**row, header.name: GENERATED_NAME.format(n=n), **({"ods_code": NO_CODE} if "ods_code" in row else {})}
        out.append(row)
    return _Rows(out, list(getattr(data, "columns", [])) or None)


def _prepared(data, table: Table):
    rows = rows_of(data)
    present = set(getattr(data, "columns", [])) or None
    columns = _columns(rows, table, present)
    places = {c.name: decimals_for([row.get(c.name) for row in rows], c) for c in columns}
    return rows, columns, places


def html(data, table: Table) -> str:
    """``data`` (a frame, or rows as dicts) as a publication table in HTML, per ``table``'s declaration.

    Raises ``KeyError`` naming the columns when a declared column (not optional) is absent.
    """
    rows, columns, places = _prepared(data, table)
    esc = _html.escape
    label = esc(table.caption)
    out = [f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">',
           f'<table class="publication">', f"<caption>{label}</caption>", "<thead><tr>"]
    out += [f'<th scope="col"{NUM if c.numeric else ""}>{esc(c.header)}</th>' for c in columns]
    out.append("</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        marked = _marked(row, table, columns)
        parts = []
        for column in columns:
            text = esc(cell(row.get(column.name), column, places[column.name]))
            if column.name in marked:
                text += " " + ILLUSTRATIVE_MARK
            if column.row_header:
                parts.append(f'<th scope="row">{text}</th>')
            else:
                parts.append(f'<td class="num">{text}</td>' if column.numeric else f"<td>{text}</td>")
        out.append("<tr>" + "".join(parts) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def plain(data, table: Table) -> str:
    """The publication table as plain text in aligned columns (a notebook's ``text/plain`` form)."""
    rows, columns, places = _prepared(data, table)
    grid = [[c.header for c in columns]]
    for row in rows:
        marked = _marked(row, table, columns)
        grid.append([cell(row.get(c.name), c, places[c.name]) + (" (illustrative)" if c.name in marked else "")
                     for c in columns])
    widths = [max(len(line[i]) for line in grid) for i in range(len(columns))]
    lines = ["  ".join(text.rjust(w) if c.numeric else text.ljust(w) for text, w, c in zip(line, widths, columns))
             for line in grid]
    return "\n".join([table.caption, *(line.rstrip() for line in lines)])


def csv_bytes(data, table: Table) -> bytes:
    """``data`` as the download a reader opens in a spreadsheet: UTF-8 with a BOM, ``\\r\\n`` line ends,
    the declared headers (with "(£)" or "(%)" where the cells carry no unit), numbers at their unit's
    precision with no separators (shares as percentages), missing values in words, text that a
    spreadsheet would run neutralised, and, when a row holds an illustrative value, a last column
    "Illustrative values" (yes/no, or the headers of the marked columns, or "none"). A table with no
    illustrative value has no such column: a download says nothing of illustrative values then."""
    rows, columns, places = _prepared(data, table)
    handle = io.StringIO()
    writer = csv.writer(handle, lineterminator="\r\n")
    if table.illustrative is not None and not any(_marked(row, table, columns) for row in rows):
        table = replace(table, illustrative=None)
    flags = table.illustrative is not None and _marks_are_flags(rows, table)
    header = [neutralise(c.header + DOWNLOAD_UNIT.get(c.unit, "")) for c in columns]
    writer.writerow(header + ([ILLUSTRATIVE_HEADER] if table.illustrative else []))
    headers = {c.name: c.header for c in table.columns}
    for row in rows:
        line = []
        for column in columns:
            value = row.get(column.name)
            text = _text(value, column, places[column.name], page=False)
            line.append(neutralise(text) if column.unit == "text" or is_missing(value) else text)
        if table.illustrative:
            marked = _marked(row, table, columns)
            if flags:
                line.append("yes" if marked else "no")
            else:
                raw = row.get(table.illustrative)
                names = [] if is_missing(raw) else [n.strip() for n in str(raw).split(";") if n.strip()]
                line.append(neutralise("; ".join(headers.get(n, n) for n in names)) if names else "none")
        writer.writerow(line)
    return (BOM + handle.getvalue()).encode("utf-8")


def infer(name: str, data) -> Table:
    """A declaration for a table nobody declared, from its values: headers from the column names
    ("spend_to_date_gbp" -> "Spend to date gbp"), yes/no for true/false, counts for whole numbers,
    numbers to two places otherwise, text for the rest. Better declared: this only keeps an
    undeclared table readable."""
    rows = rows_of(data)
    names = list(getattr(data, "columns", [])) or (list(rows[0]) if rows else [])
    columns = []
    for column in names:
        values = [_guess(row.get(column)) for row in rows if not is_missing(row.get(column))]
        columns.append(Column(str(column), str(column).replace("_", " ").strip().capitalize() or str(column),
                              _unit_of(values), 2 if _unit_of(values) == "number" else None))
    return Table(name, name.replace("_", " ").capitalize(), tuple(columns))


def _guess(value):
    """A value as what it holds: a text read from a CSV ("217000.0", "True") as a number or a bool."""
    value = _plain(value)
    if not isinstance(value, str):
        return value
    if value.strip() in ("True", "False"):
        return value.strip() == "True"
    try:
        return float(value)
    except ValueError:
        return value


def _unit_of(values: list) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "yes/no"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        whole = all(math.isfinite(v) and float(v).is_integer() for v in values)
        return "count" if whole else "number"
    return "text"


class Shown:
    """A publication table as a notebook shows it: its HTML in JupyterLab (and so on the story page),
    aligned plain text elsewhere. ``rows`` keeps the rows it shows."""

    def __init__(self, data, table: Table):
        self.table = table
        self.rows = rows_of(data)
        self._columns = list(getattr(data, "columns", [])) or None

    def _data(self):
        return _Rows(self.rows, self._columns)

    def _repr_html_(self) -> str:
        return html(self._data(), self.table)

    def __repr__(self) -> str:
        return plain(self._data(), self.table)


class _Rows(list):
    """Rows with the column names of the frame they came from (an empty frame still has its columns)."""

    def __init__(self, rows, columns):
        super().__init__(rows)
        if columns is not None:
            self.columns = columns


def show(data, table: Table) -> Shown:
    """``data`` (a frame or rows) shown as a publication table per ``table`` (see :class:`Shown`)."""
    return Shown(data, table)
